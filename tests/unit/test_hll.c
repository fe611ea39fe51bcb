/* tests: HyperLogLog sketches: registers, estimates within the error bound,
 * exact merging, the canonical text form and its rejection of bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "common/hll.h"
#include "common/siphash.h"

static uint64_t h_of(uint64_t i)
{
    return ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, &i, sizeof i);
}

static ds_hll *sketch_range(uint64_t from, uint64_t to)
{
    ds_hll *h = ds_hll_new();
    for (uint64_t i = from; i < to; i++)
        ds_hll_add(h, h_of(i));
    return h;
}

static char *enc(const ds_hll *h)
{
    ds_buf b = {0};
    ds_hll_encode(h, &b);
    ds_buf_putc(&b, 0);
    return b.data;
}

Test(hll, registers_from_hash_bits)
{
    ds_hll *h = ds_hll_new();
    /* index = top 10 bits; rank = 1 + leading zeros of the other 54 */
    ds_hll_add(h, (3ULL << 54) | (1ULL << 53)); /* rank 1 */
    ds_hll_add(h, (5ULL << 54) | (1ULL << 50)); /* rank 4 */
    ds_hll_add(h, (5ULL << 54) | (1ULL << 52)); /* rank 2: kept max 4 */
    ds_hll_add(h, 7ULL << 54);                  /* all zero: max rank 55 */
    cr_assert_eq(ds_hll_register(h, 3), 1);
    cr_assert_eq(ds_hll_register(h, 5), 4);
    cr_assert_eq(ds_hll_register(h, 7), DS_HLL_MAX_RANK);
    cr_assert_eq(ds_hll_register(h, 4), 0);
    ds_hll_free(h);
}

Test(hll, empty_and_small_counts_exact)
{
    ds_hll *h = ds_hll_new();
    cr_assert_eq(ds_hll_estimate(h), 0);
    for (int rep = 0; rep < 3; rep++) /* duplicates do not count */
        for (uint64_t i = 0; i < 10; i++)
            ds_hll_add(h, h_of(i));
    cr_assert_eq(ds_hll_estimate(h), 10);
    ds_hll_free(h);
}

Test(hll, estimates_within_error)
{
    const uint64_t ns[] = {100, 1000, 20000, 300000};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        ds_hll *h = sketch_range(0, ns[k]);
        double e = (double)ds_hll_estimate(h), n = (double)ns[k];
        /* 1.04/sqrt(1024) = 3.25%: allow four standard errors */
        cr_assert(fabs(e - n) / n < 0.13, "n=%llu estimate %.0f", (unsigned long long)ns[k], e);
        ds_hll_free(h);
    }
}

Test(hll, merge_equals_union_whatever_the_split)
{
    ds_hll *whole = sketch_range(0, 5000);
    char *want = enc(whole);
    /* in two, three and uneven parts, merged in any order */
    const uint64_t cuts[][4] = {{0, 2500, 5000, 5000}, {0, 7, 4000, 5000}, {0, 1, 2, 5000}};
    for (size_t c = 0; c < 3; c++) {
        ds_hll *a = sketch_range(cuts[c][0], cuts[c][1]);
        ds_hll *b = sketch_range(cuts[c][1], cuts[c][2]);
        ds_hll *d = sketch_range(cuts[c][2], cuts[c][3]);
        ds_hll_merge(d, b);
        ds_hll_merge(d, a);
        char *got = enc(d);
        cr_assert_str_eq(got, want, "cut %zu", c);
        cr_assert_eq(ds_hll_estimate(d), ds_hll_estimate(whole));
        free(got);
        ds_hll_free(a);
        ds_hll_free(b);
        ds_hll_free(d);
    }
    /* sparse + sparse overflowing into dense */
    ds_hll *s1 = sketch_range(0, 100), *s2 = sketch_range(100, 200), *u = sketch_range(0, 200);
    ds_hll_merge(s1, s2);
    char *g = enc(s1), *w = enc(u);
    cr_assert_str_eq(g, w);
    cr_assert_eq(g[0], 'd');
    free(g);
    free(w);
    ds_hll_free(s1);
    ds_hll_free(s2);
    ds_hll_free(u);
    free(want);
    ds_hll_free(whole);
}

Test(hll, text_form_round_trip_and_canonical)
{
    const uint64_t ns[] = {0, 1, 50, 128, 129, 140, 3000};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        ds_hll *h = sketch_range(0, ns[k]);
        char *t = enc(h);
        ds_hll *back = ds_hll_decode(t, strlen(t));
        cr_assert_not_null(back, "n=%llu %s", (unsigned long long)ns[k], t);
        char *t2 = enc(back);
        cr_assert_str_eq(t2, t);
        for (unsigned j = 0; j < DS_HLL_M; j++)
            cr_assert_eq(ds_hll_register(back, j), ds_hll_register(h, j));
        free(t);
        free(t2);
        ds_hll_free(h);
        ds_hll_free(back);
    }
    /* the empty sketch, and a pinned small one */
    ds_hll *h = ds_hll_new();
    char *t = enc(h);
    cr_assert_str_eq(t, "s");
    free(t);
    ds_hll_add(h, (1ULL << 54) | (1ULL << 53)); /* register 1, rank 1: word 0x0041 */
    t = enc(h);
    cr_assert_str_eq(t, "sAEE=");
    free(t);
    ds_hll_free(h);
}

Test(hll, decode_rejects_bad_input)
{
    const char *bad[] = {
        "",         "x",        "sA",      "sAEE",     /* base64 length */
        "sAAA=",                                     /* rank 0 */
        "sAEEAEE=",                                   /* index 1 twice */
        "sAEIAEE=",                                   /* not in index order */
        "sAHg",                                       /* 3 bytes: odd word count */
        "sAHk=",                                      /* padding bits not zero */
        "dAAAA",                                      /* dense of wrong size */
        "s!!!!",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ds_hll *h = ds_hll_decode(bad[i], strlen(bad[i]));
        cr_assert_null(h, "accepted \"%s\"", bad[i]);
    }
    /* a dense form with few registers is not canonical */
    ds_buf b = {0};
    uint8_t regs[DS_HLL_M] = {0};
    regs[0] = 3;
    ds_buf_putc(&b, 'd');
    ds_base64_encode(regs, sizeof regs, &b);
    cr_assert_null(ds_hll_decode(b.data, b.len));
    /* and a rank above 55 */
    for (unsigned j = 0; j < DS_HLL_M; j++)
        regs[j] = 1;
    regs[9] = 56;
    ds_buf_reset(&b);
    ds_buf_putc(&b, 'd');
    ds_base64_encode(regs, sizeof regs, &b);
    cr_assert_null(ds_hll_decode(b.data, b.len));
    ds_buf_free(&b);
}

Test(hll, base64_rfc4648_vectors)
{
    /* RFC 4648 section 10 */
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        ds_buf b = {0}, d = {0};
        ds_base64_encode(in[i], strlen(in[i]), &b);
        ds_buf_putc(&b, 0);
        cr_assert_str_eq(b.data, out[i]);
        cr_assert(ds_base64_decode(out[i], strlen(out[i]), &d));
        cr_assert_eq(d.len, strlen(in[i]));
        cr_assert(d.len == 0 || memcmp(d.data, in[i], d.len) == 0);
        ds_buf_free(&b);
        ds_buf_free(&d);
    }
}
