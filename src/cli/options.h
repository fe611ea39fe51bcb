/* cli: command-line options of `dsaudit scan`, parsed into one struct (no
 * globals). The option table in options.c is the single source of truth for
 * parsing and for --help. */
#ifndef DS_CLI_OPTIONS_H
#define DS_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

typedef enum ds_out_format { DS_OUT_TEXT, DS_OUT_JSONL } ds_out_format;

typedef struct ds_strlist {
    char **v;
    size_t n;
} ds_strlist;

typedef struct ds_scan_opts {
    ds_out_format format;
    ds_severity fail_on;
    const char *rules_dir;     /* NULL: built-in rules (or DSAUDIT_RULES) */
    ds_strlist enable, disable, langs, exclude;
    double min_confidence;
    unsigned max_depth;
    double max_ratio;
    uint64_t max_bytes;
    uint64_t max_entries;
    size_t max_field;
    size_t read_size;          /* stream chunk cap (testing knob); 0 = none */
    unsigned jobs;
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
