/* checks: the result model of the metadata and compliance checks (SPEC §7,
 * shared CHECKS.md). The checks stage fills a ds_checks; report writers only
 * read it. Strings are owned by the ds_checks and never hold raw matched
 * values. ds_checks_free() is in checks.c. */
#ifndef DS_CHECKS_CHECK_H
#define DS_CHECKS_CHECK_H

#include <stddef.h>

#include "rules/rules.h"

typedef enum ds_check_status {
    DS_CHECK_PASS = 0,
    DS_CHECK_WARN,
    DS_CHECK_FAIL,
    DS_CHECK_NA
} ds_check_status;

typedef struct ds_check {
    char *id;        /* stable, as in CHECKS.md, e.g. "SRC-01" */
    char *title;     /* one line */
    ds_check_status status;
    ds_severity severity;
    char *evidence;  /* which field, file, finding or keyword; NULL if none */
    char *basis;     /* legal basis: GDPR article, CNIL sheet */
    char *remedy;    /* what to do next; NULL if nothing */
    int blocker;     /* CHECKS.md BLOCKER (severity is then DS_SEV_HIGH) */
} ds_check;

typedef struct ds_dpia_criterion {
    char *id;        /* e.g. "WP248-1" or "CNIL-..." */
    char *title;
    int met;         /* 1 met, 0 not met, -1 unknown */
    char *evidence;
} ds_dpia_criterion;

typedef struct ds_checks {
    char *metadata_path;   /* NULL when no metadata was found */
    char *metadata_format; /* "croissant", "hf-card", "datapackage", "sidecar" */
    char *scan_date;       /* YYYY-MM-DD the checks compared against */
    ds_check *v;
    size_t n;
    ds_dpia_criterion *dpia;
    size_t ndpia;
    int dpia_score;        /* criteria met */
    int dpia_required;     /* the resulting decision */
} ds_checks;

static inline const char *ds_check_status_name(ds_check_status s)
{
    static const char *n[] = {"pass", "warn", "fail", "n/a"};
    return (unsigned)s < 4 ? n[s] : "?";
}

void ds_checks_free(ds_checks *c); /* NULL is a no-op */

#endif
