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
/* Distinct-value sketches: one HyperLogLog per (field, type), keyed hash of
 * the matched value (DS_REPORT_KEY). At most DS_AGG_MAX_SKETCHES per file, in
 * order of creation; later (field, type) pairs get none (hll NULL). */
#define DS_AGG_MAX_SKETCHES 64

typedef struct ds_type_agg {
    const char *type;      /* borrowed from the ruleset */
    const char *category;
    ds_severity severity;  /* highest severity of the rules that fired */
    uint64_t findings;
    uint64_t records;      /* records with at least one finding of this type here */
    uint64_t last_rec;     /* internal: record index last counted */
    struct ds_hll *hll;    /* distinct matched values (common/hll.h), owned;
                              NULL past the sketch caps (DS_AGG_MAX_SKETCHES) */
} ds_type_agg;

typedef struct ds_field_agg {
    char *name;
    uint64_t records;      /* records in which the field has a non-empty value */
    uint64_t last_rec;
    ds_type_agg *types;    /* in order of first finding */
    size_t ntypes, tcap;
    /* SPEC §5.3 field-level hint: the type the field's name points at (a
     * rule's `columns`) when none of its non-empty values gave a finding of
     * that type, e.g. a column "email" holding hashes; NULL otherwise. Set by
     * ds_agg_set_hints; borrowed from the ruleset. */
    const char *name_hint;
    const char *name_hint_rule; /* id of the rule whose columns matched */
} ds_field_agg;

typedef struct ds_agg ds_agg;

ds_agg *ds_agg_new(void);

/* Count one record part and its findings (as pushed by the detector). */
void ds_agg_add(ds_agg *a, const ds_record *rec, const ds_finding *f, size_t n);

size_t ds_agg_nfields(const ds_agg *a);
const ds_field_agg *ds_agg_field(const ds_agg *a, size_t i);

void ds_agg_free(ds_agg *a); /* NULL is a no-op */

/* Fill name_hint of every field of a (call once the file is aggregated, or
 * again after merging): the first rule of rs, in rule order, whose columns
 * match the field's normalised name, when the field has non-empty values but
 * no finding of that rule's type. rs NULL clears the hints. */
void ds_agg_set_hints(ds_agg *a, const ds_ruleset *rs);

/* For `dsaudit merge` (rebuilding an aggregate from a report): append a
 * field with this exact name (no normalisation, no cap) and return it; and
 * append a type entry to a field. Strings type/category are borrowed. */
ds_field_agg *ds_agg_put_field(ds_agg *a, const char *name);
ds_type_agg *ds_agg_put_type(ds_field_agg *f, const char *type, const char *category);
/* Field i for editing (sketch budget, merge); NULL when out of range. */
ds_field_agg *ds_agg_field_mut(ds_agg *a, size_t i);

#endif
