/* tests: UTF-8 validation and Windows-1252 repair. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

Test(utf8, valid_and_invalid)
{
    cr_assert(ds_utf8_is_valid("plain ascii", 11));
    cr_assert(ds_utf8_is_valid("caf\xC3\xA9", 5));
    cr_assert(ds_utf8_is_valid("\xF0\x9F\x98\x80", 4));
    cr_assert(!ds_utf8_is_valid("caf\xE9", 4));            /* latin-1 e-acute */
    cr_assert(!ds_utf8_is_valid("\xC0\xAF", 2));           /* overlong */
    cr_assert(!ds_utf8_is_valid("\xED\xA0\x80", 3));       /* surrogate */
    cr_assert(!ds_utf8_is_valid("\xF4\x90\x80\x80", 4));   /* > U+10FFFF */
    cr_assert(!ds_utf8_is_valid("\xC3", 1));               /* cut */
}

/* Every position of every length up to 40, so that each path of the ASCII
 * fast path (whole words, the overlapping last word, the byte loop) meets an
 * invalid byte, a valid two-byte sequence and a cut one. */
Test(utf8, valid_prefix_at_every_position)
{
    char s[48];
    for (size_t n = 1; n <= 40; n++) {
        for (size_t p = 0; p < n; p++) {
            memset(s, 'a', n);
            s[p] = (char)0xFF; /* never valid */
            cr_assert_eq(ds_utf8_valid_prefix(s, n), p, "0xFF at %zu of %zu", p, n);
            cr_assert(!ds_utf8_is_valid(s, n));
            s[p] = (char)0xC3; /* e-acute, or cut at the end */
            if (p + 1 < n) {
                s[p + 1] = (char)0xA9;
                cr_assert_eq(ds_utf8_valid_prefix(s, n), n, "e-acute at %zu of %zu", p, n);
                cr_assert(ds_utf8_is_valid(s, n));
            } else {
                cr_assert_eq(ds_utf8_valid_prefix(s, n), n); /* cut: the caller decides */
                cr_assert(!ds_utf8_is_valid(s, n));
            }
            /* a two-byte lead before an ASCII byte: invalid where it stands */
            memset(s, 'a', n);
            s[p] = (char)0xC3;
            if (p + 1 < n)
                cr_assert_eq(ds_utf8_valid_prefix(s, n), p, "C3 'a' at %zu of %zu", p, n);
            /* three and four bytes (euro sign, U+1F600), whole or cut */
            static const char *const seq[] = {"\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
            for (size_t k = 0; k < 2; k++) {
                size_t sl = strlen(seq[k]);
                memset(s, 'a', n);
                memcpy(s + p, seq[k], p + sl <= n ? sl : n - p);
                cr_assert_eq(ds_utf8_valid_prefix(s, n), n, "%zu-byte at %zu of %zu", sl, p, n);
                cr_assert_eq(ds_utf8_is_valid(s, n), p + sl <= n, "%zu-byte at %zu of %zu", sl,
                             p, n);
                if (p + sl <= n) { /* a bad continuation byte */
                    s[p + sl - 1] = 'a';
                    cr_assert_eq(ds_utf8_valid_prefix(s, n), p, "bad %zu-byte at %zu of %zu",
                                 sl, p, n);
                }
            }
        }
    }
}

Test(utf8, incomplete_tail)
{
    cr_assert_eq(ds_utf8_incomplete_tail("ab\xC3", 3), 1);
    cr_assert_eq(ds_utf8_incomplete_tail("ab\xF0\x9F\x98", 5), 3);
    cr_assert_eq(ds_utf8_incomplete_tail("ab\xC3\xA9", 4), 0);
    cr_assert_eq(ds_utf8_incomplete_tail("ab", 2), 0);
}

Test(utf8, repair_reads_invalid_bytes_as_cp1252)
{
    ds_buf b = {0};
    size_t fixed = ds_utf8_repair("R\xE9sum\xE9 \x80 5\x85", 11, &b);
    cr_assert_eq(fixed, 4);
    cr_assert_str_eq(b.data, "R\xC3\xA9sum\xC3\xA9 \xE2\x82\xAC 5\xE2\x80\xA6");
    ds_buf_reset(&b);
    cr_assert_eq(ds_utf8_repair("ok \xC3\xA9", 5, &b), 0);
    cr_assert_str_eq(b.data, "ok \xC3\xA9");
    ds_buf_free(&b);
}
