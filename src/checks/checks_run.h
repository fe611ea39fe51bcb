/* checks: running the metadata and compliance checks (SPEC §7, shared
 * CHECKS.md) over a finished scan. The CLI calls ds_checks_run() after the
 * content scan and before the reports are written. */
#ifndef DS_CHECKS_CHECKS_RUN_H
#define DS_CHECKS_CHECKS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"
#include "checks/meta_model.h"
#include "report/report.h"

#define DS_LARGE_SUBJECTS_DEFAULT 100000
#define DS_LARGE_RECORDS_DEFAULT 1000000

typedef struct ds_checks_opts {
    const char *metadata;          /* --metadata FILE, or NULL: discover */
    const char *const *roots;      /* directories scanned (discovery) */
    size_t nroots;
    const char *scan_date;         /* YYYY-MM-DD */
    uint64_t large_subjects;       /* C5 thresholds (0: defaults) */
    uint64_t large_records;
    const char *breach_list;       /* optional breach-name list (HIBP JSON or one name a line) */
} ds_checks_opts;

/* The metadata files that discovery would read under root, in precedence
 * order (sidecar, Croissant, datapackage, card). Appends paths to out. */
void ds_meta_discover(const char *root, ds_slist *out);

/* Read metadata, derive content signals from r (may have no files: then
 * only names declared in the metadata stand in for findings), evaluate the
 * catalogue and the DPIA criteria. Messages for the user (unreadable
 * metadata with FILE:LINE, values of the wrong type) are appended to msgs.
 * Returns NULL only on a bad option (message in msgs). */
ds_checks *ds_checks_run(const ds_scan_result *r, const ds_checks_opts *o, ds_slist *msgs);

/* Failed checks at or above `fail_on` (blockers count as high). */
uint64_t ds_checks_failing(const ds_checks *c, ds_severity fail_on);

/* The check with this id, or NULL. */
const ds_check *ds_checks_find(const ds_checks *c, const char *id);

/* Parse YYYY-MM-DD into days since 1970-01-01; 0 on success. */
int ds_date_parse(const char *s, long *days);
/* Add an ISO 8601 duration (PnYnMnWnD) to a date in days; 0 on success. */
int ds_date_add_duration(long days, const char *dur, long *out);
/* Today (or SOURCE_DATE_EPOCH) as YYYY-MM-DD into out[11]. */
void ds_date_today(char out[11]);

#endif
