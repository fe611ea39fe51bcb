/* report: reading JSON reports back (schema dsaudit.report/1) and merging
 * them into the result a single run would have given (`dsaudit merge`).
 *
 * A report is parsed whole (yajl tree) up to DS_MERGE_MAX_REPORT bytes, and
 * checked: schema, tool version, rules digest, sketch parameters and
 * run.settings must be equal across the reports merged; every count must be
 * a non-negative integer; sketches must be valid canonical HyperLogLogs.
 *
 * Merging (ds_report_merge):
 *  - reports with run.shard are taken in shard order, the others in the
 *    order given;
 *  - files are listed in path order, compared component by component at
 *    '/' as a directory walk sorts them, on the part before the first '!'
 *    (archive members keep their order inside their archive); entries with
 *    the same path in several reports (one file read in byte ranges by
 *    several shards) are folded into one by merge_file;
 *  - counts are summed, sketches merged (register-wise max), the sketch
 *    budget (DS_MAX_SKETCHES) applied again in the merged order;
 *  - findings: each report's list, put in the merged file order, cut at the
 *    reports' --max-findings: the same list a single run gives, because a
 *    single run's first N findings, restricted to one shard, are a prefix of
 *    that shard's list;
 *  - checks: those of the first report that has them, not re-evaluated.
 * run.arguments are the first report's without --shard. */
#ifndef DS_REPORT_MERGE_H
#define DS_REPORT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "report/report.h"
#include "report/writers.h"

#define DS_MERGE_MAX_REPORT ((size_t)1 << 30) /* bytes per report read */

typedef struct ds_report_in ds_report_in;

/* Parse one report (text[0..len), need not be NUL-terminated). On error,
 * err->msg says what is wrong (err->where is left for the caller). */
ds_status ds_report_parse(const char *text, size_t len, ds_report_in **out, ds_error *err);
void ds_report_in_free(ds_report_in *r); /* NULL is a no-op */

/* Folds src (same path, later part of the file) into dst and empties src. */
typedef void (*ds_merge_file_fn)(ds_file_result *dst, ds_file_result *src);

typedef struct ds_merged {
    ds_scan_result res;
    ds_findings_spool *findings; /* the merged list, at most max_findings */
    ds_report_ctx ctx;           /* filled: pass to the writers */
    /* owned storage behind res and ctx */
    char **argv;
    size_t argc;
    char *settings, *digest, *version;
    char **pool;
    size_t npool, cpool;
} ds_merged;

/* Merge n parsed reports (consumed: their files move into out; free them
 * after). names[i] is used in error messages. Returns DS_OK, or DS_EINVAL
 * with err set when the reports cannot be merged (incompatible, or the same
 * findings list cannot be rebuilt). */
ds_status ds_report_merge(ds_report_in **in, const char *const *names, size_t n,
                          ds_merge_file_fn merge_file, ds_merged *out, ds_error *err);
void ds_merged_free(ds_merged *m);

/* Compare two paths as a directory walk orders them: component by component
 * at '/', each with strcmp. For tests. */
int ds_path_cmp(const char *a, const char *b);

#endif
