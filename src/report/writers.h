/* report: the writer registry. Every report format is one writer: a pure
 * function of the finished scan (ds_scan_result) and a ds_report_ctx (run
 * facts, options, and the spooled findings list). `--format FMT` and
 * `-o FMT:PATH` look writers up here by name, so one scan pass can feed
 * several writers.
 *
 * Adding a format is ONE line in src/report/writers.def:
 *
 *     DS_WRITER(sarif, ds_report_sarif, DS_WRITER_FINDINGS, "SARIF 2.1.0")
 *
 * which both declares `int ds_report_sarif(const ds_scan_result *,
 * const ds_report_ctx *, FILE *)` and registers it under the name "sarif"
 * (list order = --help order). Implement the function in its own .c file.
 *
 * A writer must: write only to `out`; be deterministic (no clock, no
 * addresses, no hash-table order): byte-identical output at any -j and after
 * `dsaudit merge`; never print a raw matched value unless ctx->show_values
 * (findings from ds_findings_next() are already masked accordingly); return 0,
 * or -1 on a write error (errno set). */
#ifndef DS_REPORT_WRITERS_H
#define DS_REPORT_WRITERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"

/* Writer flags. */
#define DS_WRITER_FINDINGS 1u /* reads the findings list: the scan spools it */
#define DS_WRITER_STREAM 2u   /* jsonl: written while scanning, not from the model */

/* One spooled finding. `json` is the SPEC §6.1 object exactly as
 * `--format jsonl` prints it (no newline), value masked unless show_values;
 * the other members are parsed from it for convenience. Strings point into
 * the reader and stay valid until the next ds_findings_next() call. */
typedef struct ds_finding_view {
    const char *json;
    size_t json_len;
    const char *file, *field, *type, *category, *rule, *severity, *value;
    uint64_t record, start, end, line;
    double confidence;
    /* SipHash-2-4 of the raw matched value under the fixed report key
     * (report/siphash.h DS_REPORT_KEY); has_hash is 0 when unknown (findings
     * read back by `dsaudit merge` from a JSON report). */
    uint64_t value_hash;
    int has_hash;
} ds_finding_view;

/* The findings list of a run, in report order (file order, then record,
 * field, start), at most `max_findings` of them (see ds_report_ctx). */
typedef struct ds_findings_spool ds_findings_spool;

/* The spool itself (a temporary file, so the list never sits in memory): one
 * line per finding, "HASH\tJSON\n" where HASH is 16 hex digits of
 * value_hash or 16 '-' when unknown. Created by the scan or by merge. */
ds_findings_spool *ds_findings_spool_new(void); /* NULL when no temporary file */
/* Append a finding (json without newline); 0 on a write error. */
int ds_findings_spool_add(ds_findings_spool *s, const uint64_t *value_hash, const char *json,
                          size_t n);
/* Append lines already in the spool format (whole lines); 0 on error. */
int ds_findings_spool_add_raw(ds_findings_spool *s, const char *lines, size_t n);
uint64_t ds_findings_spool_count(const ds_findings_spool *s);
void ds_findings_spool_free(ds_findings_spool *s); /* NULL is a no-op */
#define DS_SPOOL_PREFIX 17 /* "HASH\t" */

/* Start reading the list from the beginning (a writer may read it several
 * times). */
void ds_findings_rewind(ds_findings_spool *s);
/* Next finding: 1 and *v filled, or 0 at the end (or on a read error). */
int ds_findings_next(ds_findings_spool *s, ds_finding_view *v);

typedef struct ds_report_ctx {
    const char *tool_version;   /* "0.1.0" */
    const char *rules_digest;   /* ds_ruleset_digest(), or the merged reports' */
    /* run.arguments: the command line after "dsaudit" ("scan", options, paths) */
    const char *const *argv;
    size_t argc;
    const char *started, *finished; /* ISO 8601 UTC with --timestamps, else NULL */
    /* settings that make reports comparable (merge checks they are equal) */
    double min_confidence;
    int show_values;
    int quiet, color;           /* text */
    uint64_t max_findings;      /* findings listed at most; UINT64_MAX = no cap */
    /* the run's settings as a JSON object (keys fixed order), for run.settings */
    const char *settings_json;
    ds_findings_spool *findings;/* NULL when no writer asked for findings */
    uint64_t findings_listed;   /* entries in the spool (<= max_findings) */
    /* checks re-read from a report by `merge` and not re-evaluated: 1 */
    int merged;
    /* the baseline salt (--baseline/--write-baseline, report/baseline.h) that
     * keys SARIF partialFingerprints; NULL when the run has no baseline */
    const uint8_t *fingerprint_salt;
} ds_report_ctx;

typedef int (*ds_writer_fn)(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out);

typedef struct ds_writer {
    const char *name;   /* --format / -o name */
    ds_writer_fn write; /* NULL for the streamed jsonl */
    unsigned flags;     /* DS_WRITER_* */
    const char *desc;   /* one line for --help */
} ds_writer;

#define DS_WRITER(name, fn, flags, desc) \
    int fn(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out);
#include "report/writers.def"
#undef DS_WRITER

/* The writer called `name`, or NULL. */
const ds_writer *ds_writer_find(const char *name);
/* All writers, in registration order; *n set to their number. */
const ds_writer *ds_writer_list(size_t *n);
/* "text, json, jsonl, ..." for messages and --help. */
const char *ds_writer_names(void);

/* Default --max-findings for a report format that lists findings. */
#define DS_DEFAULT_MAX_FINDINGS 1000

/* Distinct-value sketches kept in one report at most (about 1 KB each when
 * dense). ds_sketch_budget() walks a file's (field, type) sketches in report
 * order and frees those past the budget (*used counts the kept ones); the
 * scan applies it to files in report order as they are finished, merge to
 * the merged list, so both keep exactly the same sketches. */
#define DS_MAX_SKETCHES 8192
void ds_sketch_budget(ds_file_result *f, size_t *used);

/* "pass", "fail" or "incomplete" for an exit status 0, 1, 2. */
const char *ds_verdict_name(int exit_status);

#endif
