/* rules/re_relax.c and the detector's shape cache: relaxed expressions
 * checked against hand-worked answers; against PCRE2 on every built-in rule
 * regex (they match wherever the original does and cannot tell one digit
 * from another); and end to end: the detector with its shape cache finds
 * exactly what it finds without, on values of one shape and many digits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <criterion/criterion.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "detect/detect.h"
#include "rules/re_relax.h"
#include "rules/rule_def.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"
#include "util.h"

Test(re_relax, hand_worked_vectors)
{
    static const char *const v[][2] = {
        {"[0-9]{9}", "[0-9]{9}"},
        {"4[0-9]{15}", "[0-9][0-9]{15}"},
        {"(?:5[1-5]|2[2-7])x", "(?:[0-9](?:[1-5]|[0-9])|[0-9](?:[2-7]|[0-9]))x"},
        /* a negated class leaving some digits out gets them back */
        {"[^5]a", "(?:[^5]|[0-9])a"},
        /* classes with all digits or none, \d \w \D, POSIX classes: as they are */
        {"[^0-9A-Z][\\dx][[:alnum:]][[:alpha:]]\\w\\D", "[^0-9A-Z][\\dx][[:alnum:]][[:alpha:]]\\w\\D"},
        {"[+-9]", "[+-9]"},
        {"[!-5]", "(?:[!-5]|[0-9])"},
        {"\\x31\\x{32}\\x41", "[0-9][0-9]\\x41"},
        /* quantifier counts are not digits of the text */
        {"a{2,10}b{3}c{x", "a{2,10}b{3}c{x"},
        /* negative lookarounds: dropped when relaxing would narrow them */
        {"(?!000)[0-9]{3}", "(?:)[0-9]{3}"},
        {"(?<![0-9][ .])1", "(?<![0-9][ .])[0-9]"},
        {"(?<!1)2", "(?:)[0-9]"},
        {"(?=[A-Z]{0,8}7)x", "(?=[A-Z]{0,8}[0-9])x"},
        /* a backreference to a group that holds no digit stays */
        {"([ -])1\\1", "([ -])[0-9]\\1"},
        {"(?i:rue)|(?<n>é)9", "(?i:rue)|(?<n>é)[0-9]"},
        {"^7$", "^[0-9]$"},
        {"\\Qa.b\\E", "\\Qa.b\\E"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *got = ds_re_digit_relax(v[i][0]);
        cr_expect_not_null(got, "%s", v[i][0]);
        if (got)
            cr_expect_str_eq(got, v[i][1], "%s", v[i][0]);
        free(got);
    }
}

Test(re_relax, refuses_what_it_does_not_read)
{
    static const char *const v[] = {
        "([0-9])\\1",      /* a backreference to a group that may hold a digit */
        "(a)\\2",          /* forward reference */
        "\\k<n>",          /* named reference */
        "\\p{N}",          /* Unicode properties */
        "\\Q12\\E",        /* quoted digits */
        "(?x) 1 2",        /* extended mode */
        "(?#c)1",          /* comment */
        "(?(1)a|b)",       /* conditional */
        "(*UTF)1",         /* verb */
        "(?<!(1))2",       /* a dropped lookbehind with a capture inside */
        "\\0",             /* octal */
        "a{,4}",           /* a quantifier or text, by PCRE2 version */
        "[[:^digit:]]",    /* negated POSIX class */
        "[\\p{L}]",        /* property in a class */
        "a)",              /* unbalanced */
        "(a",              /* unclosed */
        "[a",              /* unclosed class */
        "*a",              /* nothing to quantify */
        "\xff",            /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *got = ds_re_digit_relax(v[i]);
        cr_expect_null(got, "%s gave %s", v[i], got ? got : "");
        free(got);
    }
}

static pcre2_code *compile(const char *re, int caseless)
{
    int ec;
    PCRE2_SIZE eo;
    return pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0), &ec, &eo, NULL);
}

/* Every start of a match of re in s, as a bitmap (s up to 256 bytes). */
static void match_starts(pcre2_code *re, pcre2_match_data *md, const char *s, size_t len,
                         unsigned char out[32])
{
    memset(out, 0, 32);
    for (size_t start = 0; start <= len && start < 256; start++) {
        if (pcre2_match(re, (PCRE2_SPTR)s, len, start, PCRE2_ANCHORED, md, NULL) >= 0)
            out[start / 8] |= (unsigned char)(1u << (start % 8));
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned next_digit(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % 10);
}

/* s with each digit replaced by a pseudo-random one (or '0' when zero). */
static void scramble(const char *s, char *out, size_t cap, int zero)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = s[i] >= '0' && s[i] <= '9' ? (char)('0' + (zero ? 0 : next_digit())) : s[i];
    out[i] = 0;
}

/* Every regex of every built-in rule, and the expression its gated tier
 * gives Vectorscan: the relaxed one compiles, matches (anchored, at every
 * start) wherever the original matches, on every rule example and four
 * digit-scrambled copies of each, and matches at the same starts whatever
 * the digits. */
Test(re_relax, superset_and_digit_blind_on_every_builtin_rule)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s", err.msg);
    pcre2_match_data *md = pcre2_match_data_create(64, NULL);
    size_t relaxed = 0, compared = 0;
    for (size_t r = 0; r < rs->nrules; r++) {
        const ds_rule_def *d = &rs->rules[r].def;
        for (size_t k = 0; k < d->regex.n; k++) {
            for (int form = 0; form < 2; form++) {
                char *src = form ? ds_hs_gated_expr(d->regex.v[k]) : strdup(d->regex.v[k]);
                char *rx = ds_re_digit_relax(src);
                if (!rx) {
                    free(src);
                    continue;
                }
                relaxed++;
                pcre2_code *a = compile(src, d->caseless), *b = compile(rx, d->caseless);
                cr_assert_not_null(a, "%s", src);
                cr_assert_not_null(b, "%s relaxed to %s", src, rx);
                for (size_t q = 0; q < rs->nrules; q++) {
                    const ds_rule_def *e = &rs->rules[q].def;
                    for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
                        const char *t = x < e->npositive ? e->positive[x].value
                                                         : e->negative[x - e->npositive].value;
                        if (strlen(t) >= 256)
                            continue;
                        char zero[256];
                        scramble(t, zero, sizeof zero, 1);
                        unsigned char sz[32];
                        match_starts(b, md, zero, strlen(zero), sz);
                        for (int v = 0; v < 5; v++) {
                            char s[256];
                            if (v == 0)
                                snprintf(s, sizeof s, "%s", t);
                            else
                                scramble(t, s, sizeof s, 0);
                            size_t len = strlen(s);
                            unsigned char sa[32], sb[32];
                            match_starts(a, md, s, len, sa);
                            match_starts(b, md, s, len, sb);
                            for (int i = 0; i < 32; i++)
                                cr_assert_eq(sa[i] & ~sb[i], 0,
                                             "%s: '%s' matched by %s, not by %s", d->id, s,
                                             src, rx);
                            cr_assert_eq(memcmp(sb, sz, 32), 0,
                                         "%s: %s matches '%s' and '%s' at other starts",
                                         d->id, rx, s, zero);
                            compared++;
                        }
                    }
                }
                pcre2_code_free(a);
                pcre2_code_free(b);
                free(rx);
                free(src);
            }
        }
    }
    pcre2_match_data_free(md);
    cr_assert_geq(relaxed, 100, "only %zu regexes relaxed", relaxed);
    cr_assert_geq(compared, 100000, "only %zu comparisons", compared);
    for (int t = 0; t < DS_GATE_TIERS; t++)
        if (rs->gdb[t] && rs->gate_class[t] == 0)
            cr_expect_not_null(rs->rdb[t], "digit tier %d has no relaxed database", t);
    cr_expect_not_null(rs->rdb_main, "the whole-value database has no relaxed twin");
    ds_ruleset_free(rs);
}

static void scan_into(ds_detector *d, const char *field, const char *v, ds_buf *out)
{
    cr_assert_eq(scan_field_into(d, field, v, strlen(v), 1, out), DS_OK);
}

/* The same rules loaded twice, with and without relaxed databases (and the
 * shape cache), and a detector on each that reports every finding. */
typedef struct pair {
    ds_ruleset *with, *without;
    ds_detector *dw, *dn;
} pair;

/* yaml NULL: the built-in rules */
static void pair_open(pair *p, const char *yaml)
{
    const char *names[] = {"rules.yml"};
    const char *texts[] = {yaml};
    ds_ruleset_opts ns = {0};
    ns.no_shape = 1;
    ds_error err;
    ds_error_clear(&err);
    if (yaml) {
        cr_assert_eq(ds_ruleset_load_mem(names, texts, 1, NULL, &p->with, &err), DS_OK, "%s",
                     err.msg);
        cr_assert_eq(ds_ruleset_load_mem(names, texts, 1, &ns, &p->without, &err), DS_OK,
                     "%s", err.msg);
    } else {
        cr_assert_eq(ds_ruleset_load_builtin(NULL, &p->with, &err), DS_OK, "%s", err.msg);
        cr_assert_eq(ds_ruleset_load_builtin(&ns, &p->without, &err), DS_OK, "%s", err.msg);
    }
    for (int t = 0; t < DS_GATE_TIERS; t++)
        cr_assert(!p->without->rdb[t] && !p->without->rrest[t]);
    cr_assert(!p->without->rdb_main && !p->without->rrest_main);
    ds_detect_opts lo = {0.0}; /* low-confidence findings too */
    cr_assert_eq(ds_detector_new(p->with, &lo, &p->dw, NULL), DS_OK);
    cr_assert_eq(ds_detector_new(p->without, &lo, &p->dn, NULL), DS_OK);
}

static void pair_close(pair *p)
{
    ds_detector_free(p->dw);
    ds_detector_free(p->dn);
    ds_ruleset_free(p->with);
    ds_ruleset_free(p->without);
}

/* The shape cache hands a window the candidates of an earlier window of the
 * same shape: findings must not change. Every rule example, in its own
 * column and in a text column, with eight sets of its digits (valid and
 * invalid checksums of one shape, a card's prefix changing its brand), and
 * again, now that every shape is in the cache: the same findings as the
 * detector without relaxed databases, which scans every window. */
Test(re_relax, shape_cache_finds_what_full_scanning_finds)
{
    pair p;
    pair_open(&p, NULL);
    ds_ruleset *with = p.with;
    ds_detector *dw = p.dw, *dn = p.dn;
    ds_buf a = {0}, b = {0};
    for (int pass = 0; pass < 2; pass++) {
        rng = 42;
        for (size_t r = 0; r < with->nrules; r++) {
            const ds_rule_def *e = &with->rules[r].def;
            for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
                const ds_rule_example *ex =
                    x < e->npositive ? &e->positive[x] : &e->negative[x - e->npositive];
                const char *field = ex->field ? ex->field : "text";
                for (int v = 0; v < 9; v++) {
                    char s[512];
                    if (v == 0)
                        snprintf(s, sizeof s, "%s", ex->value);
                    else
                        scramble(ex->value, s, sizeof s, 0);
                    scan_into(dw, field, s, &a);
                    scan_into(dn, field, s, &b);
                    scan_into(dw, "notes", s, &a);
                    scan_into(dn, "notes", s, &b);
                }
            }
        }
    }
    ds_buf_puts(&a, "");
    ds_buf_puts(&b, "");
    cr_assert_gt(a.len, 10000);
    const char *diff = first_line_diff(a.data, b.data);
    cr_assert_null(diff, "%s", diff);
    ds_buf_free(&a);
    ds_buf_free(&b);
    pair_close(&p);
}

/* A user's rules may hold regexes the relaxer refuses: a backreference to a
 * group of digits in a digit tier, a Unicode property in the whole-value
 * database. Those go to a database of their own (rrest) scanned on every
 * window, the others through the cache, and the findings stay the same. */
static const char *MIXED_RULES =
    "rules:\n"
    "  - id: twin\n"
    "    type: TWIN\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: '(?<![0-9])([0-9])\\1[0-9]{6}(?![0-9])'\n"
    "    examples: {positive: ['11234567'], negative: ['12345678']}\n"
    "  - id: nine\n"
    "    type: NINE\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: '(?<![0-9])9[0-9]{7}(?![0-9])'\n"
    "    examples: {positive: ['91234567'], negative: ['81234567']}\n"
    "  - id: upper\n"
    "    type: UPPER\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: '\\p{Lu}\\p{Ll}+ 7[0-9]'\n"
    "    examples: {positive: ['Paris 75'], negative: ['paris 75']}\n"
    "  - id: word\n"
    "    type: WORD\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: 'lot 5[0-9]*'\n"
    "    examples: {positive: ['lot 51'], negative: ['lot 61']}\n";

Test(re_relax, refused_regexes_scanned_beside_the_cache)
{
    pair p;
    pair_open(&p, MIXED_RULES);
    int tier_split = 0;
    for (int t = 0; t < DS_GATE_TIERS; t++)
        tier_split |= p.with->rdb[t] && p.with->rrest[t];
    cr_assert(tier_split, "no digit tier with both relaxed and refused expressions");
    cr_assert_not_null(p.with->rdb_main);
    cr_assert_not_null(p.with->rrest_main);
    ds_detector *dw = p.dw, *dn = p.dn;
    static const char *const v[] = {"11234567", "12345678", "22987654", "91234567",
                                    "99234567", "Paris 75", "Lyon 69",  "Évry 71",
                                    "lot 51",   "lot 61",   "x 33445566 y", "x 34445566 y"};
    ds_buf a = {0}, b = {0};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
            scan_into(dw, "code", v[i], &a);
            scan_into(dn, "code", v[i], &b);
        }
    ds_buf_puts(&a, "");
    ds_buf_puts(&b, "");
    const char *diff = first_line_diff(a.data, b.data);
    cr_assert_null(diff, "%s", diff);
    /* each rule found where it should be, twice */
    cr_assert_not_null(strstr(a.data, "code=11234567:twin:0-8"));
    cr_assert_not_null(strstr(a.data, "code=91234567:nine:0-8"));
    cr_assert_not_null(strstr(a.data, "code=Paris 75:upper:0-8"));
    cr_assert_not_null(strstr(a.data, "code=Évry 71:upper:0-8"));
    cr_assert_not_null(strstr(a.data, "code=lot 51:word:0-6"));
    cr_assert_null(strstr(a.data, "code=12345678:twin"));
    cr_assert_null(strstr(a.data, "code=lot 61:word"));
    ds_buf_free(&a);
    ds_buf_free(&b);
    pair_close(&p);
}

/* A gated window ends trail bytes after its last gate byte (re_shape.h), not
 * the tier's reach: a phone number is its own shape whatever words follow
 * it, so the same format in another sentence is answered by the shape cache
 * without a scan, and found all the same. */
static const char *PHONE_RULE = "rules:\n"
                                "  - id: phone\n"
                                "    type: PHONE\n"
                                "    category: personal\n"
                                "    severity: low\n"
                                "    confidence: 0.6\n"
                                "    regex: '(?<![0-9])0[1-9](?: [0-9]{2}){4}(?![0-9])'\n"
                                "    examples: {positive: ['06 12 34 56 78'], negative: ['06 "
                                "12 34 56']}\n";

Test(re_relax, window_ends_at_the_last_digit_and_the_cache_answers)
{
    pair p;
    pair_open(&p, PHONE_RULE);
    cr_assert_not_null(p.with->rdb[0], "the phone rule is not in the first digit tier");
    cr_assert_eq(p.with->gate_lead[0], 0);
    cr_assert_eq(p.with->gate_trail[0], 0);
    static const char *const v[] = {
        "Call 06 12 34 56 78 tomorrow morning, after the meeting with the team.",
        "Please ring 07 98 76 54 32 when you can; the office closes at five.",
        "Numbers 01 23 45 67 89 are listed, and also 09 87 65 43 21 in the appendix."};
    ds_buf a = {0}, b = {0};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        scan_into(p.dw, "notes", v[i], &a);
        scan_into(p.dn, "notes", v[i], &b);
    }
    ds_buf_puts(&a, "");
    ds_buf_puts(&b, "");
    const char *diff = first_line_diff(a.data, b.data);
    cr_assert_null(diff, "%s", diff);
    cr_assert_not_null(strstr(a.data, ":phone:5-19"), "%s", a.data);
    cr_assert_not_null(strstr(a.data, ":phone:12-26"), "%s", a.data);
    cr_assert_not_null(strstr(a.data, ":phone:8-22"), "%s", a.data);
    cr_assert_not_null(strstr(a.data, ":phone:44-58"), "%s", a.data);
    /* one window a number (the two of the last value are further apart
     * than the reach): the first is scanned, the three others are its shape */
    const ds_detect_stats *st = ds_detector_stats(p.dw);
    cr_assert_eq(st->windows, 4);
    cr_assert_eq(st->window_hits, 3);
    ds_buf_free(&a);
    ds_buf_free(&b);
    pair_close(&p);
}
