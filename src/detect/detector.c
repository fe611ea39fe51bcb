/* detect: the per-thread scanner over an immutable ruleset (see detect.h). */
#include "detect/detect.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/names.h"
#include "rules/rules_impl.h"

#define UNSET UINT64_MAX

struct ds_detector {
    const ds_ruleset *rs;
    ds_detect_opts o;
    hs_scratch_t *scratch;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    uint64_t *first_end; /* per pattern: end of its first Vectorscan hit, or UNSET */
    size_t *hits;        /* patterns hit in the current value */
    size_t nhits;
    ds_finding *f;
    size_t nf, fcap;
    ds_detect_stats st;
    /* current field */
    const ds_field *field;
    size_t field_idx;
    int norm_done;
    char norm[256];
};

ds_status ds_detector_new(const ds_ruleset *rs, const ds_detect_opts *opts, ds_detector **out,
                          ds_error *err)
{
    ds_detector *d = ds_xcalloc(1, sizeof *d);
    d->rs = rs;
    d->o.min_confidence = opts ? opts->min_confidence : DS_DEFAULT_MIN_CONFIDENCE;
    if (rs->db && hs_alloc_scratch(rs->db, &d->scratch) != HS_SUCCESS) {
        free(d);
        return ds_error_set(err, DS_ENOMEM, NULL, "cannot allocate Vectorscan scratch");
    }
    d->md = pcre2_match_data_create(1, NULL);
    d->mctx = pcre2_match_context_create(NULL);
    d->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!d->md || !d->mctx || !d->jit) {
        ds_detector_free(d);
        return ds_error_set(err, DS_ENOMEM, NULL, "cannot allocate PCRE2 match state");
    }
    pcre2_set_match_limit(d->mctx, DS_PCRE2_MATCH_LIMIT);
    pcre2_set_depth_limit(d->mctx, DS_PCRE2_DEPTH_LIMIT);
    pcre2_jit_stack_assign(d->mctx, NULL, d->jit);
    d->first_end = ds_xmalloc((rs->npats ? rs->npats : 1) * sizeof *d->first_end);
    for (size_t i = 0; i < rs->npats; i++)
        d->first_end[i] = UNSET;
    d->hits = ds_xmalloc((rs->npats ? rs->npats : 1) * sizeof *d->hits);
    *out = d;
    return DS_OK;
}

void ds_detector_free(ds_detector *d)
{
    if (!d)
        return;
    if (d->scratch)
        hs_free_scratch(d->scratch);
    pcre2_match_data_free(d->md);
    pcre2_match_context_free(d->mctx);
    pcre2_jit_stack_free(d->jit);
    free(d->first_end);
    free(d->hits);
    free(d->f);
    free(d);
}

const ds_detect_stats *ds_detector_stats(const ds_detector *d)
{
    return &d->st;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                 void *ctx)
{
    (void)from;
    (void)flags;
    ds_detector *d = ctx;
    if (d->first_end[id] == UNSET) {
        d->first_end[id] = to;
        d->hits[d->nhits++] = id;
    }
    return 0;
}

static const char *field_norm(ds_detector *d)
{
    if (!d->norm_done) {
        ds_name_normalise(d->field->name, d->field->name_len, d->norm, sizeof d->norm);
        d->norm_done = 1;
    }
    return d->norm;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* A context word of rule r, whole word, within the window around [s,e). */
static int has_context(const ds_crule *r, const char *v, size_t len, size_t s, size_t e)
{
    if (r->nctx == 0)
        return 0;
    size_t w = r->def.context_window ? r->def.context_window : 64;
    size_t lo = s > w ? s - w : 0;
    size_t hi = e + w < len ? e + w : len;
    for (size_t k = 0; k < r->nctx; k++) {
        const char *word = r->ctx_words[k];
        size_t wl = r->ctx_lens[k];
        if (wl == 0 || wl > hi - lo)
            continue;
        for (size_t i = lo; i + wl <= hi; i++) {
            if (lower((unsigned char)v[i]) != (unsigned char)word[0])
                continue;
            size_t j = 1;
            while (j < wl && lower((unsigned char)v[i + j]) == (unsigned char)word[j])
                j++;
            if (j < wl)
                continue;
            if (i > 0 && is_word_byte((unsigned char)v[i - 1]))
                continue;
            if (i + wl < len && is_word_byte((unsigned char)v[i + wl]))
                continue;
            /* the match itself is not its own context */
            if (i >= s && i + wl <= e)
                continue;
            return 1;
        }
    }
    return 0;
}

static void push(ds_detector *d, const ds_crule *r, const char *v, size_t s, size_t e,
                 uint64_t base_off, double conf)
{
    /* the same span from another regex of the same rule */
    for (size_t i = d->nf; i-- > 0;) {
        const ds_finding *p = &d->f[i];
        if (p->field != d->field_idx)
            break;
        if (p->rule == &r->pub && p->start == base_off + s && p->end == base_off + e)
            return;
    }
    d->f = ds_xgrow(d->f, &d->fcap, d->nf + 1, sizeof *d->f);
    d->f[d->nf++] = (ds_finding){.rule = &r->pub,
                                 .field = d->field_idx,
                                 .start = base_off + s,
                                 .end = base_off + e,
                                 .match = v + s,
                                 .match_len = e - s,
                                 .confidence = conf};
}

/* Decide on one regex match [s,e) of rule r in v. */
static void confirm(ds_detector *d, const ds_crule *r, const char *v, size_t len, size_t s,
                    size_t e, uint64_t base_off)
{
    const char *m = v + s;
    size_t ml = e - s;
    if (r->validator && !r->validator->fn(m, ml))
        return;
    for (size_t i = 0; i < r->def.allow.n; i++) {
        const char *a = r->def.allow.v[i];
        if (strlen(a) == ml && memcmp(a, m, ml) == 0)
            return;
    }
    for (size_t i = 0; i < r->nexclude; i++) {
        int rc = pcre2_match(r->exclude[i], (PCRE2_SPTR)m, ml, 0, PCRE2_NO_UTF_CHECK, d->md,
                             d->mctx);
        if (rc >= 0)
            return;
    }
    int ctx = has_context(r, v, len, s, e);
    int col = r->ncolumns && ds_crule_column_match(r, field_norm(d));
    if (r->def.context_required && !ctx && !col)
        return;
    double conf = r->pub.confidence + (ctx ? DS_CONF_CONTEXT : 0) + (col ? DS_CONF_COLUMN : 0);
    if (conf > 1.0)
        conf = 1.0;
    if (conf + 1e-9 < d->o.min_confidence)
        return;
    push(d, r, v, s, e, base_off, conf);
}

/* Run pattern p over v from `from` to the end; matches starting at or after
 * own are left to the next window. */
static void run_pattern(ds_detector *d, size_t p, const char *v, size_t len, size_t own,
                        size_t from, uint64_t base_off)
{
    const ds_cpattern *pat = &d->rs->pats[p];
    const ds_crule *r = &d->rs->rules[pat->rule];
    size_t start = from;
    /* never start inside a UTF-8 sequence */
    while (start > 0 && start < len && ((unsigned char)v[start] & 0xC0) == 0x80)
        start--;
    while (start <= len) {
        d->st.candidates++;
        int rc = pcre2_match(pat->re, (PCRE2_SPTR)v, len, start, PCRE2_NO_UTF_CHECK, d->md,
                             d->mctx);
        if (rc < 0) {
            if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
                d->st.limit_hits++;
                d->st.limit_rule = &r->pub;
            }
            return;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
        size_t s = ov[0], e = ov[1];
        if (s >= own)
            return;
        if (e > s)
            confirm(d, r, v, len, s, e, base_off);
        start = e > s ? e : e + 1;
        while (start < len && ((unsigned char)v[start] & 0xC0) == 0x80)
            start++;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void scan_value(ds_detector *d, const ds_field *f)
{
    const char *v = f->value;
    size_t len = f->value_len, own = f->own_len;
    uint64_t base = f->value_off;
    if (own > len)
        own = len;
    /* a window may cut UTF-8 sequences at its edges: trim them */
    if (base > 0) {
        size_t lead = 0;
        while (lead < len && lead < 3 && ((unsigned char)v[lead] & 0xC0) == 0x80)
            lead++;
        v += lead;
        len -= lead;
        own = own > lead ? own - lead : 0;
        base += lead;
    }
    if (f->own_len < f->value_len) {
        size_t cut = len;
        size_t back = 0;
        while (back < 3 && cut > back && ((unsigned char)v[cut - 1 - back] & 0xC0) == 0x80)
            back++;
        if (cut > back && (unsigned char)v[cut - 1 - back] >= 0xC0)
            len = cut - 1 - back;
        if (own > len)
            own = len;
    }
    d->st.values++;
    d->st.bytes += len;
    const ds_ruleset *rs = d->rs;

    if (rs->has_column_only && f->value_off == 0 && len > 0) {
        for (size_t i = 0; i < rs->nrules; i++) {
            const ds_crule *r = &rs->rules[i];
            if (r->def.column_only && ds_crule_column_match(r, field_norm(d))) {
                size_t e = f->own_len < f->value_len ? own : len;
                push(d, r, v, 0, e, base, r->pub.confidence);
            }
        }
    }
    d->nhits = 0;
    if (rs->db && len > 0)
        hs_scan(rs->db, v, (unsigned)(len > UINT32_MAX ? UINT32_MAX : len), 0, d->scratch,
                on_hs, d);
    /* rule order, whatever order Vectorscan reported in */
    for (size_t i = 0; i < rs->nalways; i++)
        d->hits[d->nhits++] = rs->always[i];
    if (d->nhits > 1)
        qsort(d->hits, d->nhits, sizeof *d->hits, cmp_size);
    for (size_t i = 0; i < d->nhits; i++) {
        size_t p = d->hits[i];
        size_t from = 0;
        if (d->first_end[p] != UNSET) {
            unsigned w = rs->pats[p].max_width;
            from = w && d->first_end[p] > w ? (size_t)d->first_end[p] - w : 0;
            d->first_end[p] = UNSET;
        }
        run_pattern(d, p, v, len, own, from, base);
    }
}

static int cmp_finding(const void *a, const void *b)
{
    const ds_finding *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1; /* rules live in one array, in rule order */
    return 0;
}

ds_status ds_detector_scan(ds_detector *d, const ds_record *rec, const ds_sink *sink,
                           ds_error *err)
{
    (void)err;
    d->nf = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        d->field = &rec->fields[i];
        d->field_idx = i;
        d->norm_done = 0;
        scan_value(d, d->field);
    }
    if (d->nf > 1)
        qsort(d->f, d->nf, sizeof *d->f, cmp_finding);
    if (sink && sink->on_findings)
        return sink->on_findings(sink->ctx, rec, d->f, d->nf);
    return DS_OK;
}
