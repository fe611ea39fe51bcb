/* aggregate: findings -> per-field summaries of one input file.
 *
 * Fields are aggregated under their generic name (array indices folded:
 * "posts[3].body" -> "posts[].body"), in order of first appearance. At most
 * DS_AGG_MAX_FIELDS distinct names are kept per file; further names are
 * counted under "(other fields)" so memory stays bounded whatever the keys. */
#ifndef DS_AGGREGATE_AGG_H
#define DS_AGGREGATE_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "detect/detect.h"
#include "input/source.h"

#define DS_AGG_MAX_FIELDS 4096
#define DS_AGG_OTHER "(other fields)"

typedef struct ds_type_agg {
    const char *type;      /* borrowed from the ruleset */
    const char *category;
    ds_severity severity;  /* highest severity of the rules that fired */
    uint64_t findings;
    uint64_t records;      /* records with at least one finding of this type here */
    uint64_t last_rec;     /* internal: record index last counted */
} ds_type_agg;

typedef struct ds_field_agg {
    char *name;
    uint64_t records;      /* records in which the field has a non-empty value */
    uint64_t last_rec;
    ds_type_agg *types;    /* in order of first finding */
    size_t ntypes, tcap;
} ds_field_agg;

typedef struct ds_agg ds_agg;

ds_agg *ds_agg_new(void);

/* Count one record part and its findings (as pushed by the detector). */
void ds_agg_add(ds_agg *a, const ds_record *rec, const ds_finding *f, size_t n);

size_t ds_agg_nfields(const ds_agg *a);
const ds_field_agg *ds_agg_field(const ds_agg *a, size_t i);

void ds_agg_free(ds_agg *a); /* NULL is a no-op */

#endif
