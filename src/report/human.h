/* report: what the human-readable formats (text, markdown, html) share: a
 * summary of the result model (coverage, totals by type and by field, the
 * verdict) and the plain-language legal frame of each finding category.
 * Pure functions of the model; every list is sorted deterministically. */
#ifndef DS_REPORT_HUMAN_H
#define DS_REPORT_HUMAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "report/report.h"

typedef struct ds_sum_item {
    const char *name;       /* type, or field name (borrowed from the model) */
    const char *category;   /* of the type; NULL for fields */
    ds_severity severity;   /* highest seen */
    uint64_t findings, records;
} ds_sum_item;

typedef struct ds_summary {
    size_t nread, nskipped, nincomplete;
    uint64_t records, bytes, skipped_bytes;
    ds_sum_item *types;     /* by findings (descending), then name */
    size_t ntypes;
    ds_sum_item *fields;    /* field names across files, same order */
    size_t nfields;
    size_t nchecks_failed, nchecks_warned;
    int status;             /* ds_scan_exit_status() */
} ds_summary;

void ds_summary_build(const ds_scan_result *r, ds_summary *s);
void ds_summary_free(ds_summary *s);

/* 1 when some field of f has a finding. */
int ds_file_has_findings(const ds_file_result *f);

/* For a sample (--sample, --max-records): one sentence saying so, with the
 * records scanned of those read and the factor that extrapolates counts to
 * all records read (no markup). Returns 0 and leaves out empty for a full
 * scan. */
int ds_sample_caveat(const ds_scan_result *r, ds_buf *out);

/* "PASS", "FAIL" or "INCOMPLETE". */
const char *ds_verdict_word(int status);
/* One sentence explaining the verdict (no markup). */
void ds_verdict_sentence(const ds_scan_result *r, ds_buf *out);

/* The three finding categories, in report order, and the one a rule's
 * category counts under (NULL or anything unknown is "personal"). */
extern const char *const ds_categories[3];
const char *ds_category_canon(const char *category);

/* Legal frame and next step for a finding category ("personal",
 * "sensitive", "criminal"; anything else is treated as personal). */
const char *ds_category_basis(const char *category);
const char *ds_category_remedy(const char *category);

/* 21.1 KB, 3.0 MB... (decimal units). */
void ds_human_bytes(uint64_t b, char *out, size_t cap);

#endif
