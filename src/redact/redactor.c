/* redact: the per-thread redactor, value rewriting, output encoding, summary. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/names.h"
#include "redact/redact_impl.h"
#include "report/mask.h"

ds_status rd_error(ds_error *err, ds_status st, const char *name, uint64_t line, const char *fmt,
                   ...)
{
    char where[512];
    if (line)
        snprintf(where, sizeof where, "%s:%llu", name, (unsigned long long)line);
    else
        snprintf(where, sizeof where, "%s", name);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ds_error_set(err, st, where, "%s", msg);
}

/* ---- summary ---------------------------------------------------------------- */

void ds_rsummary_add(ds_rsummary *s, const char *field, size_t flen, const char *type, ds_raction a,
                     uint64_t n)
{
    char gen[512];
    ds_name_generic(field, flen, gen, sizeof gen);
    s->by_action[a] += n;
    for (size_t i = s->n; i-- > 0;) {
        ds_rsum_entry *e = &s->e[i];
        if (e->action == a && strcmp(e->type, type) == 0 && strcmp(e->field, gen) == 0) {
            e->count += n;
            return;
        }
    }
    s->e = ds_xgrow(s->e, &s->cap, s->n + 1, sizeof *s->e);
    ds_rsum_entry *e = &s->e[s->n++];
    e->field = ds_xstrdup(gen);
    e->type = ds_xstrdup(type);
    e->action = a;
    e->count = n;
}

void ds_rsummary_merge(ds_rsummary *dst, const ds_rsummary *src)
{
    uint64_t by[DS_RA_COUNT];
    memcpy(by, dst->by_action, sizeof by);
    for (size_t i = 0; i < src->n; i++) {
        const ds_rsum_entry *e = &src->e[i];
        ds_rsummary_add(dst, e->field, strlen(e->field), e->type, e->action, e->count);
    }
    memcpy(dst->by_action, by, sizeof by);
    for (int a = 0; a < DS_RA_COUNT; a++)
        dst->by_action[a] += src->by_action[a];
    dst->files += src->files;
    dst->records += src->records;
    dst->values_changed += src->values_changed;
    dst->values_dropped += src->values_dropped;
    dst->bytes_in += src->bytes_in;
    dst->bytes_out += src->bytes_out;
}

static int cmp_entry(const void *a, const void *b)
{
    const ds_rsum_entry *x = a, *y = b;
    int c = strcmp(x->field, y->field);
    if (!c)
        c = strcmp(x->type, y->type);
    if (!c)
        c = (int)x->action - (int)y->action;
    return c;
}

void ds_rsummary_sort(ds_rsummary *s)
{
    if (s->n > 1)
        qsort(s->e, s->n, sizeof *s->e, cmp_entry);
}

void ds_rsummary_free(ds_rsummary *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->e[i].field);
        free(s->e[i].type);
    }
    free(s->e);
    memset(s, 0, sizeof *s);
}

/* ---- redactor --------------------------------------------------------------- */

ds_status ds_redactor_new(const ds_ruleset *rs, const ds_detect_opts *dopts,
                          const ds_redact_opts *o, ds_redactor **out, ds_error *err)
{
    ds_redactor *r = ds_xcalloc(1, sizeof *r);
    ds_status rc = ds_detector_new(rs, dopts, &r->det, err);
    if (rc != DS_OK) {
        free(r);
        return rc;
    }
    r->pol = o ? o->policy : NULL;
    r->key = o ? o->key : NULL;
    r->max_field = o && o->max_field ? o->max_field : (1u << 20);
    *out = r;
    return DS_OK;
}

void ds_redactor_free(ds_redactor *r)
{
    if (!r)
        return;
    ds_detector_free(r->det);
    free(r->f);
    ds_buf_free(&r->tmp);
    ds_buf_free(&r->tmp2);
    free(r->ps);
    free(r->acts);
    free(r);
}

static ds_status collect(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    (void)rec;
    ds_redactor *r = ctx;
    r->f = ds_xgrow(r->f, &r->fcap, r->nf + n, sizeof *r->f);
    for (size_t i = 0; i < n; i++) {
        rfind *d = &r->f[r->nf++];
        d->field = f[i].field;
        d->start = f[i].start;
        d->end = f[i].end;
        d->rule = f[i].rule;
    }
    return DS_OK;
}

ds_status rd_detect(ds_redactor *r, const ds_record *rec, ds_error *err)
{
    r->nf = 0;
    ds_sink sink = {r, collect};
    return ds_detector_scan(r->det, rec, &sink, err);
}

/* A pseudonym may be found again as its own type (an e-mail stays an
 * e-mail), but not pass the checksum of an identifier: it would look like a
 * real one. */
static int checksummed(const ds_rule *r)
{
    static const char *const shape_only[] = {"EMAIL", "PHONE", "PERSON_NAME", "IP_ADDRESS"};
    if (!r->validator)
        return 0;
    for (size_t i = 0; i < sizeof shape_only / sizeof *shape_only; i++)
        if (strcmp(r->type, shape_only[i]) == 0)
            return 0;
    return 1;
}

typedef struct pcheck {
    const char *type;
    int bad;
} pcheck;

static ds_status pcheck_cb(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    (void)rec;
    pcheck *c = ctx;
    for (size_t i = 0; i < n; i++)
        if (!c->type || strcmp(f[i].rule->type, c->type) != 0 || checksummed(f[i].rule))
            c->bad = 1;
    return DS_OK;
}

#define PSEUDO_RETRIES 8

/* A pseudonym must not be found as another type than the value it replaces
 * (random digits may pass a checksum of some other identifier): it is
 * scanned on its own, under the same field name, and drawn again (a
 * deterministic retry number) until it is clean. */
static void pseudo_clean(ds_redactor *r, const char *type, const char *v, size_t n,
                         const char *fname, size_t flen, ds_buf *out)
{
    size_t mark = out->len;
    for (unsigned k = 0; k < PSEUDO_RETRIES; k++) {
        out->len = mark;
        ds_pseudonymise_salted(r->key, type, v, n, r->salt_base * PSEUDO_RETRIES + k, out);
        ds_field f = {fname, flen, out->data + mark, out->len - mark, 0, out->len - mark};
        ds_record rec = {1, 1, &f, 1, 0};
        pcheck c = {type, 0};
        ds_sink sink = {&c, pcheck_cb};
        if (ds_detector_scan(r->det, &rec, &sink, NULL) != DS_OK || !c.bad)
            return;
    }
}

static void apply(ds_redactor *r, ds_raction a, const char *type, const char *v, size_t n,
                  const char *fname, size_t flen, ds_buf *out)
{
    switch (a) {
    case DS_RA_PSEUDO:
        if (r->key) {
            size_t start = out->len;
            pseudo_clean(r, type, v, n, fname, flen, out);
            r->ps = ds_xgrow(r->ps, &r->pscap, r->nps + 1, sizeof *r->ps);
            r->ps[r->nps].start = start;
            r->ps[r->nps].end = out->len;
            r->ps[r->nps].type = type;
            r->nps++;
            break;
        }
        /* no key: never leak, mask instead (the CLI refuses earlier) */
        ds_mask(type ? type : "", v, n, out);
        break;
    case DS_RA_GENERALISE: ds_generalise(type, v, n, out); break;
    case DS_RA_MASK: ds_mask(type ? type : "", v, n, out); break;
    case DS_RA_DROP: /* span drop */ break;
    default: ds_buf_append(out, v, n); break;
    }
}

typedef struct ccheck {
    const ds_redactor *r;
    int bad;
} ccheck;

static ds_status ccheck_cb(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    (void)rec;
    ccheck *c = ctx;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < c->r->nps; k++) {
            const pspan *p = &c->r->ps[k];
            if (f[i].start < p->end && f[i].end > p->start &&
                (!p->type || strcmp(p->type, f[i].rule->type) != 0))
                c->bad = 1;
        }
    return DS_OK;
}

/* In context, a pseudonym must not make a finding of another type appear
 * (a replaced middle part can make a whole IBAN valid again). */
static int context_clean(ds_redactor *r, const char *name, size_t nlen, const ds_buf *out)
{
    /* one pseudonym making the whole value was already scanned as it is */
    if (r->nps == 1 && r->ps[0].start == 0 && r->ps[0].end == out->len)
        return 1;
    ds_field f = {name, nlen, out->data ? out->data : "", out->len, 0, out->len};
    ds_record rec = {1, 1, &f, 1, 0};
    ccheck c = {r, 0};
    ds_sink sink = {&c, ccheck_cb};
    if (ds_detector_scan(r->det, &rec, &sink, NULL) != DS_OK)
        return 1;
    return !c.bad;
}

#define CONTEXT_RETRIES 8

/* Write the rewritten value; 0 when nothing changed. */
static int build(ds_redactor *r, size_t lo, size_t hi, const ds_raction *acts, const char *v,
                 size_t n, const char *name, size_t nlen, ds_buf *out)
{
    uint64_t pos = 0;
    int changed = 0;
    out->len = 0;
    r->nps = 0;
    for (size_t i = lo; i < hi; i++) {
        if (acts[i - lo] == DS_RA_UNSET)
            continue;
        const rfind *f = &r->f[i];
        ds_buf_append(out, v + pos, (size_t)(f->start - pos));
        if (acts[i - lo] == DS_RA_KEEP) {
            ds_buf_append(out, v + f->start, (size_t)(f->end - f->start));
        } else {
            apply(r, acts[i - lo], f->rule->type, v + f->start, (size_t)(f->end - f->start),
                  name, nlen, out);
            changed = 1;
        }
        pos = f->end;
    }
    ds_buf_append(out, v + pos, n - (size_t)pos);
    return changed;
}

int rd_rewrite(ds_redactor *r, size_t fi, const char *name, size_t nlen, ds_raction field_act,
               const char *v, size_t n, int span_drop, ds_buf *out)
{
    /* findings of this field */
    size_t lo = 0, hi;
    while (lo < r->nf && r->f[lo].field != fi)
        lo++;
    hi = lo;
    while (hi < r->nf && r->f[hi].field == fi)
        hi++;
    ds_rsummary *sum = r->sum;
    out->len = 0;
    if (out->data)
        out->data[0] = 0;
    if (field_act != DS_RA_UNSET) {
        const char *type = hi > lo ? r->f[lo].rule->type : NULL;
        if (field_act == DS_RA_KEEP || (n == 0 && field_act != DS_RA_DROP)) {
            if (sum && hi > lo)
                for (size_t i = lo; i < hi; i++)
                    ds_rsummary_add(sum, name, nlen, r->f[i].rule->type, DS_RA_KEEP, 1);
            return RW_SAME;
        }
        if (sum) {
            ds_rsummary_add(sum, name, nlen, type ? type : "*", field_act, 1);
            if (field_act == DS_RA_DROP)
                sum->values_dropped++;
            else
                sum->values_changed++;
        }
        if (field_act == DS_RA_DROP)
            return RW_DROP;
        for (unsigned attempt = 0; attempt < CONTEXT_RETRIES; attempt++) {
            r->salt_base = attempt;
            out->len = 0;
            r->nps = 0;
            apply(r, field_act, type, v, n, name, nlen, out);
            if (!r->nps || context_clean(r, name, nlen, out))
                break;
        }
        r->salt_base = 0;
        return RW_CHANGED;
    }
    if (hi == lo)
        return RW_SAME;
    /* per finding, left to right; a finding overlapping one already chosen
     * is covered by it; of findings sharing a start, the longest wins (the
     * detector sorts by start, then end) */
    if (hi - lo > r->acap)
        r->acts = ds_xgrow(r->acts, &r->acap, hi - lo, sizeof *r->acts);
    uint64_t pos = 0;
    int any = 0;
    for (size_t i = lo; i < hi; i++) {
        const rfind *f = &r->f[i];
        r->acts[i - lo] = DS_RA_UNSET;
        if (f->start < pos || f->end > n)
            continue;
        size_t best = i;
        for (size_t j = i + 1; j < hi && r->f[j].start == f->start; j++)
            if (r->f[j].end > r->f[best].end)
                best = j;
        if (best != i)
            continue; /* a longer one starts here: it is chosen at its turn */
        ds_raction a = ds_rpolicy_for_rule(r->pol, f->rule);
        if (sum)
            ds_rsummary_add(sum, name, nlen, f->rule->type, a, 1);
        if (a == DS_RA_DROP && !span_drop) {
            if (sum)
                sum->values_dropped++;
            return RW_DROP;
        }
        r->acts[i - lo] = a;
        if (a != DS_RA_KEEP)
            any = 1;
        pos = f->end;
    }
    if (!any)
        return RW_SAME;
    for (unsigned attempt = 0; attempt < CONTEXT_RETRIES; attempt++) {
        r->salt_base = attempt;
        build(r, lo, hi, r->acts, v, n, name, nlen, out);
        if (!r->nps || context_clean(r, name, nlen, out))
            break;
    }
    r->salt_base = 0;
    if (sum)
        sum->values_changed++;
    return RW_CHANGED;
}

/* ---- Windows-1252 ------------------------------------------------------------ */

/* U+20AC... for 0x80..0x9F (0 where the code page has no character). */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static unsigned long u8_decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned char c = s[0];
    size_t l = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (l == 0 || l > n) {
        *len = 1;
        return 0xFFFD;
    }
    unsigned long cp = l == 1 ? c : l == 2 ? (c & 0x1F) : l == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < l; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *len = l;
    return cp;
}

void rd_to_cp1252(const char *s, size_t n, ds_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l;
        unsigned long cp = u8_decode(u + i, n - i, &l);
        i += l;
        if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
            ds_buf_putc(out, (int)cp);
            continue;
        }
        int found = 0;
        for (int k = 0; k < 32; k++)
            if (cp1252_hi[k] && cp1252_hi[k] == cp) {
                ds_buf_putc(out, 0x80 + k);
                found = 1;
                break;
            }
        if (!found)
            ds_buf_putc(out, '?');
    }
}

/* ---- output ----------------------------------------------------------------- */

#define ROUT_FLUSH (64u << 10)

void rout_init(rout *o, const ds_rwriter *w, const char *encoding)
{
    memset(o, 0, sizeof *o);
    o->w = w;
    if (encoding && strcmp(encoding, "utf-8-bom") == 0)
        o->enc = 1;
    else if (encoding && strcmp(encoding, "utf-16le") == 0)
        o->enc = 2;
    else if (encoding && strcmp(encoding, "utf-16be") == 0)
        o->enc = 3;
}

static void put16(ds_buf *b, unsigned v, int be)
{
    unsigned char x[2] = {(unsigned char)(be ? v >> 8 : v), (unsigned char)(be ? v : v >> 8)};
    ds_buf_append(b, x, 2);
}

static ds_status rout_emit(rout *o, ds_error *err)
{
    if (!o->buf.len)
        return DS_OK;
    const char *p = o->buf.data;
    size_t n = o->buf.len;
    if (o->enc >= 2) {
        /* the buffer only ever holds whole UTF-8 sequences (values are valid
         * UTF-8 after repair, and UTF-16 input has no Windows-1252 values) */
        int be = o->enc == 3;
        o->conv.len = 0;
        const unsigned char *u = (const unsigned char *)p;
        for (size_t i = 0; i < n;) {
            size_t l;
            unsigned long cp = u8_decode(u + i, n - i, &l);
            i += l;
            if (cp >= 0x10000) {
                cp -= 0x10000;
                put16(&o->conv, 0xD800 + (unsigned)(cp >> 10), be);
                put16(&o->conv, 0xDC00 + (unsigned)(cp & 0x3FF), be);
            } else {
                put16(&o->conv, (unsigned)cp, be);
            }
        }
        p = o->conv.data;
        n = o->conv.len;
    }
    ds_status rc = o->w->write(o->w->ctx, p, n, err);
    o->bytes += n;
    o->buf.len = 0;
    return rc;
}

ds_status rout_put(rout *o, const void *p, size_t n, ds_error *err)
{
    if (!o->started) {
        o->started = 1;
        static const unsigned char bom8[] = {0xEF, 0xBB, 0xBF};
        if (o->enc == 1)
            ds_buf_append(&o->buf, bom8, 3);
        else if (o->enc >= 2) {
            /* the BOM goes through the converter as U+FEFF */
            ds_buf_append(&o->buf, bom8, 3);
        }
    }
    ds_buf_append(&o->buf, p, n);
    if (o->buf.len >= ROUT_FLUSH)
        return rout_emit(o, err);
    return DS_OK;
}

ds_status rout_flush(rout *o, ds_error *err)
{
    if (!o->started)
        rout_put(o, "", 0, err);
    return rout_emit(o, err);
}

void rout_free(rout *o)
{
    ds_buf_free(&o->buf);
    ds_buf_free(&o->conv);
}

/* ---- one stream ------------------------------------------------------------- */

ds_status ds_redact_stream(ds_redactor *r, ds_format fmt, ds_stream *st, const ds_rwriter *w,
                           ds_rsummary *sum, ds_redact_file_stats *fs, ds_error *err)
{
    ds_redact_file_stats local;
    if (!fs)
        fs = &local;
    memset(fs, 0, sizeof *fs);
    /* learn the encoding before writing anything */
    const unsigned char *d;
    size_t n;
    ds_status rc = ds_stream_peek(st, 4, &d, &n, err);
    if (rc != DS_OK && rc != DS_DONE)
        return rc;
    fs->encoding = ds_stream_encoding(st);
    rout o;
    rout_init(&o, w, fs->encoding);
    r->sum = sum;
    switch (fmt) {
    case DS_FORMAT_CSV: rc = rd_csv(r, st, &o, fs, err); break;
    case DS_FORMAT_JSON: rc = rd_json(r, st, 0, &o, fs, err); break;
    case DS_FORMAT_JSONL: rc = rd_json(r, st, 1, &o, fs, err); break;
    case DS_FORMAT_TEXT: rc = rd_text(r, st, &o, fs, err); break;
    default:
        rc = ds_error_set(err, DS_EUNSUPPORTED, ds_stream_name(st), "no rewriter for this format");
        break;
    }
    if (rc == DS_OK)
        rc = rout_flush(&o, err);
    if (sum) {
        sum->records += fs->records;
        sum->bytes_in += ds_stream_offset(st);
        sum->bytes_out += o.bytes;
    }
    r->sum = NULL;
    rout_free(&o);
    return rc;
}
