/* aggregate: per-field summaries (see agg.h). */
#include "aggregate/agg.h"

#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "common/mem.h"
#include "common/names.h"
#include "common/siphash.h"
#include "rules/rules_impl.h"

#define AGG_MEMO 64
#define AGG_MEMO_NAME 64

struct ds_agg {
    ds_field_agg *fields;
    size_t nfields, cap;
    size_t *slots; /* open addressing: index + 1, 0 = empty */
    size_t nslots;
    size_t other; /* index + 1 of the overflow bucket, 0 = none */
    size_t nsketches; /* distinct-value sketches created (DS_AGG_MAX_SKETCHES) */
    /* The raw name last seen at each field position and its index: a CSV
     * header or a JSONL schema repeats on every record, and normalising and
     * hashing every name of every record was ~3% of a dense CSV scan. */
    struct {
        size_t len; /* raw name length + 1; 0: empty */
        size_t idx;
        char name[AGG_MEMO_NAME];
    } memo[AGG_MEMO];
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

ds_agg *ds_agg_new(void)
{
    ds_agg *a = ds_xcalloc(1, sizeof *a);
    a->nslots = 64;
    a->slots = ds_xcalloc(a->nslots, sizeof *a->slots);
    return a;
}

static size_t add_field(ds_agg *a, const char *name, size_t n)
{
    a->fields = ds_xgrow(a->fields, &a->cap, a->nfields + 1, sizeof *a->fields);
    ds_field_agg *f = &a->fields[a->nfields];
    memset(f, 0, sizeof *f);
    f->name = ds_xstrndup(name, n);
    return a->nfields++;
}

static void rehash(ds_agg *a)
{
    free(a->slots);
    a->nslots *= 2;
    a->slots = ds_xcalloc(a->nslots, sizeof *a->slots);
    for (size_t i = 0; i < a->nfields; i++) {
        if (a->other == i + 1)
            continue;
        const char *nm = a->fields[i].name;
        size_t s = hash(nm, strlen(nm)) & (a->nslots - 1);
        while (a->slots[s])
            s = (s + 1) & (a->nslots - 1);
        a->slots[s] = i + 1;
    }
}

static size_t field_index(ds_agg *a, const char *raw, size_t rawlen)
{
    char gen[1024];
    size_t n = ds_name_generic(raw, rawlen, gen, sizeof gen);
    size_t s = hash(gen, n) & (a->nslots - 1);
    while (a->slots[s]) {
        ds_field_agg *f = &a->fields[a->slots[s] - 1];
        if (strlen(f->name) == n && memcmp(f->name, gen, n) == 0)
            return a->slots[s] - 1;
        s = (s + 1) & (a->nslots - 1);
    }
    if (a->nfields >= DS_AGG_MAX_FIELDS) {
        if (!a->other)
            a->other = add_field(a, DS_AGG_OTHER, strlen(DS_AGG_OTHER)) + 1;
        return a->other - 1;
    }
    size_t idx = add_field(a, gen, n);
    a->slots[s] = idx + 1;
    if (a->nfields * 2 > a->nslots)
        rehash(a);
    return idx;
}

void ds_agg_add(ds_agg *a, const ds_record *rec, const ds_finding *f, size_t n)
{
    size_t fi = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        const ds_field *fld = &rec->fields[i];
        size_t idx;
        if (i < AGG_MEMO && fld->name_len <= AGG_MEMO_NAME) {
            if (a->memo[i].len == fld->name_len + 1 &&
                memcmp(a->memo[i].name, fld->name, fld->name_len) == 0) {
                idx = a->memo[i].idx;
            } else {
                idx = field_index(a, fld->name, fld->name_len);
                a->memo[i].len = fld->name_len + 1;
                a->memo[i].idx = idx;
                memcpy(a->memo[i].name, fld->name, fld->name_len);
            }
        } else {
            idx = field_index(a, fld->name, fld->name_len);
        }
        ds_field_agg *fa = &a->fields[idx];
        if (fa->last_rec != rec->index && fld->value_len > 0) {
            fa->last_rec = rec->index;
            fa->records++;
        }
        for (; fi < n && f[fi].field == i; fi++) {
            const ds_rule *r = f[fi].rule;
            ds_type_agg *t = NULL;
            for (size_t k = 0; k < fa->ntypes; k++)
                if (fa->types[k].type == r->type || strcmp(fa->types[k].type, r->type) == 0) {
                    t = &fa->types[k];
                    break;
                }
            if (!t) {
                fa->types = ds_xgrow(fa->types, &fa->tcap, fa->ntypes + 1, sizeof *fa->types);
                t = &fa->types[fa->ntypes++];
                memset(t, 0, sizeof *t);
                t->type = r->type;
                t->category = r->category;
                if (a->nsketches < DS_AGG_MAX_SKETCHES) {
                    a->nsketches++;
                    t->hll = ds_hll_new();
                }
            }
            if (t->hll)
                ds_hll_add(t->hll, ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, f[fi].match,
                                                   f[fi].match_len));
            if (r->severity > t->severity)
                t->severity = r->severity;
            t->findings++;
            if (t->last_rec != rec->index) {
                t->last_rec = rec->index;
                t->records++;
            }
        }
    }
}

size_t ds_agg_nfields(const ds_agg *a)
{
    return a->nfields;
}

const ds_field_agg *ds_agg_field(const ds_agg *a, size_t i)
{
    return i < a->nfields ? &a->fields[i] : NULL;
}

void ds_agg_free(ds_agg *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nfields; i++) {
        free(a->fields[i].name);
        for (size_t k = 0; k < a->fields[i].ntypes; k++)
            ds_hll_free(a->fields[i].types[k].hll);
        free(a->fields[i].types);
    }
    free(a->fields);
    free(a->slots);
    free(a);
}

ds_field_agg *ds_agg_put_field(ds_agg *a, const char *name)
{
    size_t i = add_field(a, name, strlen(name)); /* may move a->fields */
    return &a->fields[i];
}

ds_type_agg *ds_agg_put_type(ds_field_agg *f, const char *type, const char *category)
{
    f->types = ds_xgrow(f->types, &f->tcap, f->ntypes + 1, sizeof *f->types);
    ds_type_agg *t = &f->types[f->ntypes++];
    memset(t, 0, sizeof *t);
    t->type = type;
    t->category = category;
    return t;
}

ds_field_agg *ds_agg_field_mut(ds_agg *a, size_t i)
{
    return i < a->nfields ? &a->fields[i] : NULL;
}

void ds_agg_set_hints(ds_agg *a, const ds_ruleset *rs)
{
    for (size_t i = 0; i < a->nfields; i++) {
        ds_field_agg *f = &a->fields[i];
        f->name_hint = f->name_hint_rule = NULL;
        if (!rs || f->records == 0 || a->other == i + 1)
            continue;
        char norm[256];
        ds_name_normalise(f->name, strlen(f->name), norm, sizeof norm);
        for (size_t r = 0; r < rs->nrules && !f->name_hint; r++) {
            const ds_crule *cr = &rs->rules[r];
            if (!cr->ncolumns || !ds_crule_column_match(cr, norm))
                continue;
            int found = 0;
            for (size_t k = 0; k < f->ntypes && !found; k++)
                found = f->types[k].type && cr->pub.type &&
                        strcmp(f->types[k].type, cr->pub.type) == 0;
            if (!found) {
                f->name_hint = cr->pub.type;
                f->name_hint_rule = cr->pub.id;
            }
        }
    }
}
