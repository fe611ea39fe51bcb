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
