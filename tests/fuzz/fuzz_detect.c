/* Fuzz target: the detector (src/detect/detector.c) with the built-in rules,
 * differentially. The gated detector (windows around digits and '@', lead
 * and reach proven by rules/re_shape.c, class boundaries on the identifier
 * tiers, PCRE2 start limits, rules' anchors) must find exactly what
 * whole-value scanning from every start finds (ds_ruleset_opts.no_gate,
 * no_shape, no_anchor), and a record scanned a second
 * time (its short values then come from the value cache) must give the same
 * findings again. The record with other digits (each d -> 7d + 3 mod 10),
 * scanned next by the gated detector, whose shape cache (re_relax.h) now
 * holds the first record's shapes, must give what a fresh whole-value
 * detector finds in it. Any difference aborts.
 *
 * Input: fields separated by 0x1E; a field is NAME 0x1F VALUE, or a VALUE
 * alone (named "value"). Each value is cut at its first invalid UTF-8 byte,
 * as readers deliver valid UTF-8 only. At most 8 fields. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "detect/detect.h"
#include "fuzz_util.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 8

static ds_ruleset *gated, *whole;

static ds_status collect(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    ds_buf *b = ctx;
    (void)rec;
    for (size_t i = 0; i < n; i++)
        ds_buf_printf(b, "%zu:%s:%llu-%llu:%.3f\n", f[i].field, f[i].rule->id,
                      (unsigned long long)f[i].start, (unsigned long long)f[i].end,
                      f[i].confidence);
    ds_buf_putc(b, '|');
    return DS_OK;
}

static void load(void)
{
    if (gated)
        return;
    ds_error err;
    ds_error_clear(&err);
    ds_ruleset_opts o = {0};
    FUZZ_CHECK(ds_ruleset_load_builtin(&o, &gated, &err) == DS_OK);
    o.no_gate = 1;
    o.no_shape = 1;
    o.no_anchor = 1;
    FUZZ_CHECK(ds_ruleset_load_builtin(&o, &whole, &err) == DS_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    load();
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = 0;
    ds_field f[MAX_FIELDS];
    size_t nf = 0;
    for (char *p = copy, *end = copy + size; p <= end && nf < MAX_FIELDS;) {
        char *sep = memchr(p, 0x1E, (size_t)(end - p));
        char *fe = sep ? sep : end;
        char *us = memchr(p, 0x1F, (size_t)(fe - p));
        const char *name = us ? p : "value";
        size_t name_len = us ? (size_t)(us - p) : 5;
        char *v = us ? us + 1 : p;
        size_t vl = ds_utf8_valid_prefix(v, (size_t)(fe - v));
        /* a sequence cut at the end is not valid either */
        vl -= ds_utf8_incomplete_tail(v, vl);
        f[nf++] = (ds_field){name, name_len, v, vl, 0, vl};
        if (!sep)
            break;
        p = sep + 1;
    }
    ds_record rec = {1, 1, f, nf, 0};
    ds_detector *dg = NULL, *dw = NULL;
    ds_detect_opts o = {DS_DEFAULT_MIN_CONFIDENCE};
    FUZZ_CHECK(ds_detector_new(gated, &o, &dg, NULL) == DS_OK);
    FUZZ_CHECK(ds_detector_new(whole, &o, &dw, NULL) == DS_OK);
    ds_buf a = {0}, b = {0}, c = {0};
    ds_sink sa = {&a, collect}, sb = {&b, collect}, sc = {&c, collect};
    ds_detector_scan(dg, &rec, &sa, NULL);
    ds_detector_scan(dg, &rec, &sb, NULL); /* the value cache answers now */
    ds_detector_scan(dw, &rec, &sc, NULL);
    ds_buf_putc(&a, 0);
    ds_buf_putc(&b, 0);
    ds_buf_putc(&c, 0);
    FUZZ_CHECK(strcmp(a.data, b.data) == 0);
    /* a PCRE2 limit stops a regex where it is, which may differ with the
     * offset it started from: compare only when neither hit one */
    if (!ds_detector_stats(dg)->limit_hits && !ds_detector_stats(dw)->limit_hits) {
        if (strcmp(a.data, c.data) != 0)
            fprintf(stderr, "gated:\n%s\nwhole:\n%s\n", a.data, c.data);
        FUZZ_CHECK(strcmp(a.data, c.data) == 0);
    }
    /* other digits, same shapes */
    char *other = malloc(size + 1);
    FUZZ_CHECK(other != NULL);
    for (size_t i = 0; i <= size; i++)
        other[i] = copy[i] >= '0' && copy[i] <= '9' ? (char)('0' + (7 * (copy[i] - '0') + 3) % 10)
                                                    : copy[i];
    ds_field g[MAX_FIELDS];
    for (size_t i = 0; i < nf; i++) {
        g[i] = f[i];
        g[i].value = other + (f[i].value - copy);
    }
    ds_record rec2 = {2, 2, g, nf, 0};
    ds_detector *dw2 = NULL;
    FUZZ_CHECK(ds_detector_new(whole, &o, &dw2, NULL) == DS_OK);
    ds_buf d2 = {0}, e2 = {0};
    ds_sink sd = {&d2, collect}, se = {&e2, collect};
    uint64_t lim = ds_detector_stats(dg)->limit_hits;
    ds_detector_scan(dg, &rec2, &sd, NULL);
    ds_detector_scan(dw2, &rec2, &se, NULL);
    ds_buf_putc(&d2, 0);
    ds_buf_putc(&e2, 0);
    if (ds_detector_stats(dg)->limit_hits == lim && !ds_detector_stats(dw2)->limit_hits) {
        if (strcmp(d2.data, e2.data) != 0)
            fprintf(stderr, "shape-cached:\n%s\nwhole:\n%s\n", d2.data, e2.data);
        FUZZ_CHECK(strcmp(d2.data, e2.data) == 0);
    }
    ds_buf_free(&d2);
    ds_buf_free(&e2);
    ds_detector_free(dw2);
    free(other);
    ds_buf_free(&a);
    ds_buf_free(&b);
    ds_buf_free(&c);
    ds_detector_free(dg);
    ds_detector_free(dw);
    free(copy);
    return 0;
}
