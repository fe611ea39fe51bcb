/* report: the finished scan as a read-only model, and the writers that turn
 * it into bytes. Writers are pure functions of the model (plus options), so
 * their output is deterministic and golden-testable. The streamed JSONL
 * findings writer is separate (it runs during the scan): see findings.h. */
#ifndef DS_REPORT_REPORT_H
#define DS_REPORT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "aggregate/agg.h"
#include "checks/check.h"
#include "input/source.h"
#include "rules/rules.h"

typedef enum ds_file_status {
    DS_FILE_OK = 0,
    DS_FILE_INCOMPLETE, /* read in part: errors below */
    DS_FILE_SKIPPED     /* not read: skip_reason */
} ds_file_status;

typedef struct ds_file_result {
    char *name;
    ds_format format;
    const char *encoding;
    ds_file_status status;
    char *skip_reason;
    char *error;        /* first error message ("WHERE: MSG"), or NULL */
    uint64_t nerrors;
    uint64_t records, bytes, malformed, ragged, invalid_utf8, windowed;
    /* Sampling (--sample, --max-records): records that went through the
     * detector (== records without sampling), and 1 when reading stopped at
     * --max-records before the end of the file. */
    uint64_t records_scanned;
    int truncated;
    ds_agg *agg;        /* NULL for skipped files */
    /* A part of a file read in ranges or blocks: values that hit a PCRE2
     * limit and the last rule that did, told once for the whole file when
     * the parts are put together (not in reports). */
    uint64_t limit_hits;
    const char *limit_rule;
} ds_file_result;

typedef struct ds_message {
    char *where;
    char *msg;
} ds_message;

typedef struct ds_scan_result {
    ds_file_result *files;
    size_t nfiles, fcap;
    ds_message *errors;     /* inputs that could not be read completely */
    size_t nerrors, ecap;
    uint64_t findings;      /* findings reported (at or above --min-confidence) */
    uint64_t failing;       /* findings at or above --fail-on */
    ds_severity highest;    /* highest severity among findings */
    uint64_t limit_hits;    /* PCRE2 limit hits (values not fully scanned) */
    const char *limit_rule;
    const ds_ruleset *rules;
    ds_severity fail_on;    /* DS_SEV_NONE: never fail */
    int incomplete;         /* some input was not read completely */
    /* A sample, not a full audit (--sample RATE --seed S, --max-records N):
     * sample_rate 1 and max_records 0 when every record was scanned. The
     * counts are those of the scanned records; a report extrapolates with
     * records / records_scanned (per file) and says it is an estimate. */
    double sample_rate;
    uint64_t sample_seed;
    uint64_t max_records;
    /* --shard K/N: this run scanned shard shard_k (0-based) of shard_n; 0/0
     * when not sharded. */
    unsigned shard_k, shard_n;
    ds_checks *checks;      /* metadata and compliance checks; NULL when not run */
    uint64_t failing_checks;/* failed checks at or above --fail-on */
    /* --baseline: findings left out because the baseline holds them (they are
     * in no other count); 0 without a baseline */
    uint64_t baselined;
    int has_baseline;
} ds_scan_result;

typedef struct ds_report_opts {
    int quiet;  /* only problems */
    int color;  /* ANSI colours */
} ds_report_opts;

/* Exit status implied by a result: 2 incomplete, 1 failing findings, else 0. */
int ds_scan_exit_status(const ds_scan_result *r);

/* The terminal summary (SPEC §6.3 text). */
void ds_report_text(const ds_scan_result *r, const ds_report_opts *o, FILE *out);

void ds_scan_result_free(ds_scan_result *r);

#endif
