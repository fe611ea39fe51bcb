/* tests: ds_stream chunking, peeking, BOM and UTF-16 decoding. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "input/stream.h"

static char *drain(const void *data, size_t len, size_t chunk, int decode, const char **enc)
{
    ds_stream_opts o = {.chunk = chunk, .decode = decode};
    ds_stream *s;
    cr_assert_eq(ds_stream_open_mem(data, len, "m", &o, &s, NULL), DS_OK);
    ds_buf b = {0};
    const unsigned char *p;
    size_t n;
    ds_status rc;
    while ((rc = ds_stream_next(s, &p, &n, NULL)) == DS_OK) {
        cr_assert(n >= 1);
        if (chunk)
            cr_assert(n <= chunk);
        ds_buf_append(&b, p, n);
    }
    cr_assert_eq(rc, DS_DONE);
    cr_assert_eq(ds_stream_offset(s), b.len);
    if (enc)
        *enc = ds_stream_encoding(s);
    ds_stream_close(s);
    ds_buf_puts(&b, "");
    return b.data;
}

Test(stream, chunks_reassemble_at_every_size)
{
    const char *t = "hello, world\nsecond line\n";
    size_t sizes[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < 4; i++) {
        char *got = drain(t, strlen(t), sizes[i], 1, NULL);
        cr_assert_str_eq(got, t);
        free(got);
    }
}

Test(stream, utf8_bom_is_dropped)
{
    const char t[] = "\xEF\xBB\xBF" "a,b\n";
    size_t sizes[] = {0, 1, 7};
    for (size_t i = 0; i < 3; i++) {
        const char *enc;
        char *got = drain(t, sizeof t - 1, sizes[i], 1, &enc);
        cr_assert_str_eq(got, "a,b\n");
        cr_assert_str_eq(enc, "utf-8-bom");
        free(got);
    }
}

Test(stream, bom_only_file_is_empty)
{
    const char t[] = "\xEF\xBB\xBF";
    char *got = drain(t, 3, 1, 1, NULL);
    cr_assert_str_eq(got, "");
    free(got);
}

Test(stream, bom_kept_without_decode)
{
    const char t[] = "\xEF\xBB\xBFx";
    char *got = drain(t, 4, 1, 0, NULL);
    cr_assert_str_eq(got, t);
    free(got);
}

Test(stream, utf16le_and_be_transcode_with_surrogates)
{
    /* "é€😀\n" */
    const unsigned char le[] = {0xFF, 0xFE, 0xE9, 0x00, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 0x0A, 0x00};
    const unsigned char be[] = {0xFE, 0xFF, 0x00, 0xE9, 0x20, 0xAC, 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x0A};
    size_t sizes[] = {0, 1, 7};
    for (size_t i = 0; i < 3; i++) {
        const char *enc;
        char *got = drain(le, sizeof le, sizes[i], 1, &enc);
        cr_assert_str_eq(got, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n");
        cr_assert_str_eq(enc, "utf-16le");
        free(got);
        got = drain(be, sizeof be, sizes[i], 1, &enc);
        cr_assert_str_eq(got, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n");
        cr_assert_str_eq(enc, "utf-16be");
        free(got);
    }
}

Test(stream, utf16_lone_surrogate_and_odd_tail_become_replacement)
{
    const unsigned char le[] = {0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00, 0x42};
    char *got = drain(le, sizeof le, 1, 1, NULL);
    cr_assert_str_eq(got, "\xEF\xBF\xBD" "A" "\xEF\xBF\xBD");
    free(got);
}

Test(stream, peek_does_not_consume)
{
    const char *t = "0123456789";
    ds_stream_opts o = {.chunk = 3, .decode = 1};
    ds_stream *s;
    ds_stream_open_mem(t, 10, "m", &o, &s, NULL);
    const unsigned char *p;
    size_t n;
    cr_assert_eq(ds_stream_peek(s, 5, &p, &n, NULL), DS_OK);
    cr_assert_eq(n, 5);
    cr_assert(memcmp(p, "01234", 5) == 0);
    cr_assert_eq(ds_stream_peek(s, 20, &p, &n, NULL), DS_OK);
    cr_assert_eq(n, 10);
    ds_buf b = {0};
    while (ds_stream_next(s, &p, &n, NULL) == DS_OK) {
        cr_assert(n <= 3);
        ds_buf_append(&b, p, n);
    }
    cr_assert_eq(b.len, 10);
    cr_assert(memcmp(b.data, t, 10) == 0);
    ds_buf_free(&b);
    ds_stream_close(s);
}

static ds_status failing_read(void *ctx, const unsigned char **d, size_t *n, ds_error *err)
{
    int *calls = ctx;
    if ((*calls)++ == 0) {
        *d = (const unsigned char *)"abc";
        *n = 3;
        return DS_OK;
    }
    return ds_error_set(err, DS_EIO, "x.gz", "truncated gzip stream");
}

Test(stream, producer_error_is_sticky)
{
    int calls = 0;
    ds_stream *s;
    ds_stream_open_fn(failing_read, NULL, &calls, "x.gz", NULL, &s, NULL);
    const unsigned char *p;
    size_t n;
    ds_error err;
    cr_assert_eq(ds_stream_next(s, &p, &n, &err), DS_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(ds_stream_next(s, &p, &n, &err), DS_EIO);
    cr_assert_str_eq(err.msg, "truncated gzip stream");
    ds_error_clear(&err);
    cr_assert_eq(ds_stream_next(s, &p, &n, &err), DS_EIO);
    cr_assert_str_eq(err.where, "x.gz");
    ds_stream_close(s);
}
