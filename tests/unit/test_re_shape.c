/* rules/re_shape.c: widths and gate counts read from regex text, checked
 * against hand-worked answers, against PCRE2 itself on every built-in rule
 * example, and end to end: gated scanning finds exactly what whole-value
 * scanning finds. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <criterion/criterion.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "detect/detect.h"
#include "rules/re_shape.h"
#include "rules/rule_def.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"
#include "util.h"

/* the detector's gate: ASCII digits and ':' */
static void gate_digits_colon(uint8_t g[32])
{
    memset(g, 0, 32);
    for (unsigned c = '0'; c <= ':'; c++)
        g[c / 8] |= (uint8_t)(1u << (c % 8));
}

typedef struct vec {
    const char *re;
    int caseless;
    int ok;
    unsigned width, reach, gates, lead, trail;
} vec;

static const vec vectors[] = {
    {"[0-9]{3}-[0-9]{2}-[0-9]{4}", 0, 1, 11, 11, 9, 0, 0},
    {"\\d+", 0, 0, 0, 0, 0, 0, 0},                       /* unbounded */
    {"abc", 0, 1, 3, 3, 0, 3, 3},
    {"abc", 1, 1, 9, 9, 0, 9, 9},                        /* k, s fold to 3- and 2-byte letters */
    {"a|12|345", 0, 1, 3, 3, 0, 3, 3},                   /* one branch has no digit */
    {"1|12|345", 0, 1, 3, 3, 1, 0, 0},
    {"(?:12)?3", 0, 1, 3, 3, 1, 2, 0},
    {"x{2,4}9{0,3}", 0, 1, 7, 7, 0, 7, 7},
    {"([- .])[0-9]{2}\\1", 0, 1, 4, 4, 2, 1, 1},         /* backreference: the group's width */
    {"(?<sep>[-/])7\\k<sep>", 0, 1, 3, 3, 1, 1, 1},
    {"(?P<s>:)(?P=s)", 0, 1, 2, 2, 1, 0, 1}, /* a backreference counts no gate byte */
    {"(?<![0-9A-Za-z])[0-9]{9}(?![0-9])", 0, 1, 9, 9, 9, 0, 0}, /* lookarounds: zero width */
    {"(?=[A-Z]{0,8}[0-9])[A-Z0-9]{9}", 0, 1, 9, 9, 1, 8, 9},    /* lookahead counts within reach */
    {"(?=[A-Z]{0,20}[0-9])[A-Z]{2}", 0, 1, 2, 21, 1, 20, 2},
    {"(?<=[0-9])ab", 0, 1, 2, 2, 0, 2, 2},                      /* lookbehind text: before */
    {"[\\x{C0}-\\x{DE}]", 0, 1, 2, 2, 0, 2, 2},
    {"\\x{20AC}[0-9]", 0, 1, 4, 4, 1, 3, 0},
    {"é", 0, 1, 2, 2, 0, 2, 2},
    {"[^0-9]", 0, 1, 4, 4, 0, 4, 4},
    {".", 0, 1, 4, 4, 0, 4, 4},
    {"[[:digit:]]{2}", 0, 1, 2, 2, 2, 0, 0},
    {"[[:alpha:]]", 0, 1, 1, 1, 0, 1, 1},
    {"\\Q1.2\\E", 0, 1, 3, 3, 2, 0, 0},
    {"a{,3}", 0, 1, 5, 5, 1, 3, 1},                      /* PCRE2 10.42: "{,3}" is literal */
    {"a{x}", 0, 1, 4, 4, 0, 4, 4},
    {"(?i)k", 0, 1, 3, 3, 0, 3, 3},
    {"(?i:k)0", 0, 1, 4, 4, 1, 3, 0},
    {"ab(?#comment)1", 0, 1, 3, 3, 1, 2, 0},
    {"^[0-9]{5}$", 0, 1, 5, 5, 5, 0, 0},
    {"[a-z]{1,5}:[0-9]", 0, 1, 7, 7, 2, 5, 0},            /* lead: the first gate byte */
    {"[a-z]{1,5}(?:x|1)2", 0, 1, 7, 7, 1, 6, 0},          /* a branch without one */
    {"(?:[a-z]3|4[a-z]{9})", 0, 1, 10, 10, 1, 1, 9},
    {"\\b[0-9]{2}\\b", 0, 1, 2, 2, 2, 0, 0},
    {"\\s\\w\\d", 0, 1, 3, 3, 1, 2, 0},
    {"\\p{L}", 0, 0, 0, 0, 0, 0, 0},                     /* Unicode properties: not read */
    {"(?x) 1 2", 0, 0, 0, 0, 0, 0, 0},                   /* extended mode: not read */
    {"(*UCP)\\d", 0, 0, 0, 0, 0, 0, 0},
    {"(?|(a)|(b))\\1", 0, 0, 0, 0, 0, 0, 0},             /* branch reset */
    {"(a)(?1)", 0, 0, 0, 0, 0, 0, 0},                    /* recursion */
    {"\\2(a)(b)", 0, 0, 0, 0, 0, 0, 0},                  /* forward reference */
    {"(a", 0, 0, 0, 0, 0, 0, 0},
    {"a)", 0, 0, 0, 0, 0, 0, 0},
    {"[a", 0, 0, 0, 0, 0, 0, 0},
    {"*a", 0, 0, 0, 0, 0, 0, 0},
    {"a\\", 0, 0, 0, 0, 0, 0, 0},
    {"x{99999}{99999}", 0, 0, 0, 0, 0, 0, 0},            /* past DS_RE_SHAPE_MAX */
    /* trail: bytes after the last gate byte a match consumes */
    {"[0-9]{3}[A-Z]{2}", 0, 1, 5, 5, 3, 0, 2},
    {"1(?:x2)?y", 0, 1, 4, 4, 1, 0, 3},                /* an optional gate byte: not the last */
    {"(?:1|2a)bc", 0, 1, 4, 4, 1, 0, 3},               /* the longer branch after it */
    {"[0-9]{2}(?:[ -]?[0-9]{2}){4}(?![0-9])", 0, 1, 14, 14, 10, 0, 0},
    {"(?:[0-9]{4}[ -]?){3}[0-9]{4}\\b", 0, 1, 19, 19, 16, 0, 0},
    {"[0-9]{2}(?=[A-Z]{3})", 0, 1, 2, 5, 2, 0, 0},     /* lookahead text: not consumed */
    {"\\Q12a\\Eb", 0, 1, 4, 4, 2, 0, 2},
};

Test(re_shape, hand_worked_vectors)
{
    uint8_t g[32];
    gate_digits_colon(g);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const vec *v = &vectors[i];
        ds_re_shape s;
        int ok = ds_re_shape_of(v->re, v->caseless, g, &s);
        cr_expect_eq(ok, v->ok, "%s: ok %d", v->re, ok);
        cr_expect_eq(s.max_width, v->width, "%s: width %u, expected %u", v->re, s.max_width,
                     v->width);
        if (ok) {
            cr_expect_eq(s.reach, v->reach, "%s: reach %u, expected %u", v->re, s.reach,
                         v->reach);
            cr_expect_eq(s.gates, v->gates, "%s: gates %u, expected %u", v->re, s.gates,
                         v->gates);
            cr_expect_eq(s.lead, v->lead, "%s: lead %u, expected %u", v->re, s.lead, v->lead);
            cr_expect_eq(s.trail, v->trail, "%s: trail %u, expected %u", v->re, s.trail,
                         v->trail);
        }
    }
}

Test(re_shape, deep_nesting_is_refused_not_recursed)
{
    uint8_t g[32];
    gate_digits_colon(g);
    char re[4096];
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        re[n++] = '(';
    re[n++] = '1';
    for (int i = 0; i < 1000; i++)
        re[n++] = ')';
    re[n] = 0;
    ds_re_shape s;
    cr_assert_eq(ds_re_shape_of(re, 0, g, &s), 0);
    cr_assert_eq(s.max_width, 0);
    cr_assert_eq(s.gates, 0);
}

static size_t count_gate(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += s[i] >= '0' && s[i] <= ':';
    return n;
}

/* Every match PCRE2 finds, of every regex of every built-in rule, on every
 * example of every rule, is within the width read from the text, holds
 * the gate bytes promised within reach, its first one within lead, and one
 * within trail of its end. */
Test(re_shape, sound_on_every_builtin_rule_example)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s", err.msg);
    uint8_t g[32];
    gate_digits_colon(g);
    pcre2_match_data *md = pcre2_match_data_create(64, NULL);
    size_t checked = 0, gated = 0;
    for (size_t r = 0; r < rs->nrules; r++) {
        const ds_rule_def *d = &rs->rules[r].def;
        for (size_t k = 0; k < d->regex.n; k++) {
            ds_re_shape s;
            if (!ds_re_shape_of(d->regex.v[k], d->caseless, g, &s))
                continue;
            gated += s.gates > 0;
            int ec;
            PCRE2_SIZE eo;
            pcre2_code *re = pcre2_compile((PCRE2_SPTR)d->regex.v[k], PCRE2_ZERO_TERMINATED,
                                           PCRE2_UTF | (d->caseless ? PCRE2_CASELESS : 0), &ec,
                                           &eo, NULL);
            cr_assert_not_null(re, "%s", d->id);
            for (size_t q = 0; q < rs->nrules; q++) {
                const ds_rule_def *e = &rs->rules[q].def;
                for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
                    const char *t = x < e->npositive ? e->positive[x].value
                                                     : e->negative[x - e->npositive].value;
                    size_t len = strlen(t), start = 0;
                    while (start <= len &&
                           pcre2_match(re, (PCRE2_SPTR)t, len, start, 0, md, NULL) >= 0) {
                        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                        size_t a = ov[0], b = ov[1];
                        cr_expect_leq(b - a, s.max_width, "%s regex %zu on '%s': %zu > %u",
                                      d->id, k, t, b - a, s.max_width);
                        size_t hi = a + s.reach < len ? a + s.reach : len;
                        cr_expect_geq(count_gate(t, a, hi), s.gates,
                                      "%s regex %zu on '%s': fewer than %u gate bytes", d->id,
                                      k, t, s.gates);
                        size_t lh = a + s.lead + 1 < len ? a + s.lead + 1 : len;
                        if (s.gates)
                            cr_expect_geq(count_gate(t, a, lh), 1,
                                          "%s regex %zu on '%s': no gate byte within lead %u",
                                          d->id, k, t, s.lead);
                        /* the detector's window ends trail bytes after the
                         * last gate byte: one lies that near the end */
                        size_t tl = b > s.trail + 1 ? b - s.trail - 1 : 0;
                        if (s.gates)
                            cr_expect_geq(count_gate(t, tl > a ? tl : a, hi), 1,
                                          "%s regex %zu on '%s': no gate byte within trail %u",
                                          d->id, k, t, s.trail);
                        checked++;
                        start = b > a ? b : b + 1;
                    }
                }
            }
            pcre2_code_free(re);
        }
    }
    pcre2_match_data_free(md);
    cr_assert_geq(checked, 500, "only %zu matches checked", checked);
    cr_assert_geq(gated, 40, "only %zu gated regexes", gated);
    ds_ruleset_free(rs);
}

static void scan_into(ds_detector *d, const char *field, const char *v, size_t len, ds_buf *out)
{
    cr_assert_eq(scan_field_into(d, field, v, len, 0, out), DS_OK);
}

/* Gated scanning (windows around digits and colons) and whole-value
 * scanning give the same findings, byte for byte: on every rule example
 * alone, in the columns the examples name, and on all of them run together
 * in one long value, where windows merge and patterns hit many times. */
Test(re_shape, gated_scanning_finds_what_whole_value_scanning_finds)
{
    ds_ruleset *gated = NULL, *whole = NULL;
    ds_ruleset_opts nog = {0};
    nog.no_gate = 1;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &gated, &err), DS_OK, "%s", err.msg);
    cr_assert_eq(ds_ruleset_load_builtin(&nog, &whole, &err), DS_OK, "%s", err.msg);
    cr_assert_gt(gated->ngated, 40);
    cr_assert_eq(whole->ngated, 0);
    ds_detect_opts lo = {0.0}; /* every finding, low confidence too */
    ds_detector *dg, *dw;
    cr_assert_eq(ds_detector_new(gated, &lo, &dg, NULL), DS_OK);
    cr_assert_eq(ds_detector_new(whole, &lo, &dw, NULL), DS_OK);
    ds_buf a = {0}, b = {0}, all = {0};
    size_t n = 0;
    for (size_t r = 0; r < gated->nrules; r++) {
        const ds_rule_def *e = &gated->rules[r].def;
        for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
            const ds_rule_example *ex =
                x < e->npositive ? &e->positive[x] : &e->negative[x - e->npositive];
            const char *field = ex->field ? ex->field : "text";
            scan_into(dg, field, ex->value, strlen(ex->value), &a);
            scan_into(dw, field, ex->value, strlen(ex->value), &b);
            ds_buf_puts(&all, ex->value);
            ds_buf_puts(&all, (n++ % 3) ? " ; " : "\n");
        }
    }
    scan_into(dg, "text", all.data, all.len, &a);
    scan_into(dw, "text", all.data, all.len, &b);
    ds_buf_puts(&a, "");
    ds_buf_puts(&b, "");
    cr_assert_gt(a.len, 1000);
    const char *diff = first_line_diff(a.data, b.data);
    cr_assert_null(diff, "%s", diff);
    ds_buf_free(&a);
    ds_buf_free(&b);
    ds_buf_free(&all);
    ds_detector_free(dg);
    ds_detector_free(dw);
    ds_ruleset_free(gated);
    ds_ruleset_free(whole);
}

/* ---- the expressions gated tiers give Vectorscan (rules_impl.h) ----------- */

Test(re_shape, gated_expr_holds_boundaries_as_classes)
{
    static const char *const v[][2] = {
        {"(?<![0-9A-Za-z])[0-9]{9}(?![0-9])", "(?:^|[^0-9A-Za-z])[0-9]{9}(?:[^0-9]|$)"},
        /* other branches of the lookahead are dropped: a wider prefilter */
        {"(?<![0-9.,-])[0-9]{5}(?![0-9]|[.,-][0-9])", "(?:^|[^0-9.,-])[0-9]{5}(?:[^0-9]|$)"},
        /* escapes inside the class; a second lookbehind stays for Vectorscan */
        {"(?<![A-Za-z0-9_\\]])(?<![0-9][ .])x", "(?:^|[^A-Za-z0-9_\\]])(?<![0-9][ .])x"},
        {"(?<![A-Za-z0-9_:.])::(?![A-Za-z0-9_:./%\\[])",
         "(?:^|[^A-Za-z0-9_:.])::(?:[^A-Za-z0-9_:./%\\[]|$)"},
        /* left as they are: a negated or POSIX class, a lookahead not at the
         * end or holding a group, no lookaround at all */
        {"(?<![^a])b", "(?<![^a])b"},
        {"(?<![[:alpha:]])1", "(?<![[:alpha:]])1"},
        {"1(?![0-9])2", "1(?![0-9])2"},
        {"1(?![0-9]|(?:ab))", "1(?![0-9]|(?:ab))"},
        {"[0-9]{4}", "[0-9]{4}"},
        {"(?<![0-9]", "(?<![0-9]"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *got = ds_hs_gated_expr(v[i][0]);
        cr_expect_str_eq(got, v[i][1], "%s", v[i][0]);
        free(got);
    }
}
