/* cli: command-line options of `dsaudit scan`, parsed into one struct (no
 * globals). The option table in options.c is the single source of truth for
 * parsing and for --help. */
#ifndef DS_CLI_OPTIONS_H
#define DS_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

/* DS_OUT_WRITER: another registered writer (report/writers.h), format_name. */
typedef enum ds_out_format { DS_OUT_TEXT, DS_OUT_JSONL, DS_OUT_WRITER } ds_out_format;

typedef struct ds_strlist {
    char **v;
    size_t n;
} ds_strlist;

typedef struct ds_scan_opts {
    ds_out_format format;
    const char *format_name;   /* --format, a writer name */
    ds_strlist outputs;        /* -o FMT:PATH, as given */
    uint64_t max_findings;     /* --max-findings (default DS_DEFAULT_MAX_FINDINGS) */
    int timestamps;            /* --timestamps */
    ds_severity fail_on;
    const char *rules_dir;     /* NULL: built-in rules (or DSAUDIT_RULES) */
    ds_strlist enable, disable, langs, exclude;
    double min_confidence;
    unsigned max_depth;
    double max_ratio;
    uint64_t max_bytes;
    uint64_t max_entries;
    size_t max_field;
    unsigned max_json_depth;   /* --max-json-depth (default 512) */
    uint64_t max_columns;      /* --max-columns: CSV columns per row (default 100000) */
    double max_time_per_file;  /* --max-time-per-file SECONDS: 0 = no limit */
    size_t read_size;          /* stream chunk cap (testing knob); 0 = none */
    unsigned jobs;
    double sample_rate;        /* --sample: 1 = every record */
    uint64_t seed;             /* --seed (sampling) */
    uint64_t max_records;      /* --max-records: 0 = no limit */
    unsigned shard_k, shard_n; /* --shard K/N (K 1-based on the command line, 0-based here); n 0 = off */
    uint64_t split_min;        /* --split-min: plain files this big are cut in ranges for -j */
    const char *baseline;       /* --baseline FILE: report only findings not in it */
    const char *write_baseline; /* --write-baseline FILE: record the current findings */
    const char *metadata;       /* --metadata FILE: dataset metadata (else discovered) */
    const char *scan_date;      /* --scan-date YYYY-MM-DD (NULL: today / SOURCE_DATE_EPOCH) */
    const char *breach_list;    /* --breach-list FILE: breach names (HIBP JSON or lines) */
    uint64_t large_subjects;    /* --large-subjects N: DPIA large-scale threshold (0 default) */
    uint64_t large_records;     /* --large-records N (0 default) */
    int show_values, quiet, strict, follow_symlinks;
    int progress;              /* -1 auto (stderr is a terminal), 0 off, 1 on */
    char **paths;
    size_t npaths;
} ds_scan_opts;

/* Parse argv (argv[0] is "scan"). Returns 0 on success, 2 on a usage error
 * (message already printed), 1 when --help was printed. */
int ds_scan_opts_parse(int argc, char **argv, ds_scan_opts *o);

void ds_scan_opts_free(ds_scan_opts *o);

/* Print the usage of `dsaudit scan` to f. */
void ds_scan_usage(void *f);

#endif
