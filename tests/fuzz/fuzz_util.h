/* tests/fuzz: helpers shared by the fuzz targets (header only, so that every
 * tests/fuzz/fuzz_*.c builds on its own, with clang/libFuzzer or with the
 * replay runner of `make check`).
 *
 * Each reader target takes its options from the first bytes of the input, so
 * the fuzzer explores read sizes (the stream chunk cap: 1 byte, 7 bytes...),
 * field limits (windows) and dialects along with the bytes themselves. */
#ifndef DS_FUZZ_UTIL_H
#define DS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "input/source.h"
#include "input/stream.h"

/* A broken invariant: abort so that libFuzzer (or the replay runner) flags it. */
#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* Stream chunk cap picked by a byte: small caps make every reader cross
 * chunk boundaries everywhere; 0 is no cap. */
static inline size_t fuzz_chunk(uint8_t b)
{
    static const size_t sizes[16] = {0, 1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 100, 512, 4096, 65536};
    return sizes[b & 15];
}

/* max_field picked by a byte: tiny limits exercise the windows. */
static inline size_t fuzz_max_field(uint8_t b)
{
    static const size_t sizes[8] = {64, 65, 100, 128, 256, 1000, 4096, 1u << 20};
    return sizes[b & 7];
}

/* CSV reader options picked by a byte: max_field (bits 0-2), header mode
 * (bits 3-4: detect, none, present), delimiter (bits 5-7: sniffed, or one of
 * , ; TAB |). */
static inline void fuzz_csv_opts(ds_source_opts *o, uint8_t b)
{
    o->max_field = fuzz_max_field(b);
    static const int headers[4] = {-1, 0, 1, -1};
    o->csv_header = headers[(b >> 3) & 3];
    static const int delims[8] = {0, 0, 0, 0, ',', ';', '\t', '|'};
    o->csv_delim = delims[(b >> 5) & 7];
}

/* A JSON number is one token, held whole up to 4096 bytes (JSON_MAX_TOKEN)
 * whatever max_field is. */
static inline int fuzz_is_number(const char *s, size_t n)
{
    if (n > 4096)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '+' || s[i] == '.' ||
              s[i] == 'e' || s[i] == 'E'))
            return 0;
    return 1;
}

/* Read every record of src, checking what the ds_source contract promises.
 * Returns the number of ds_source_next calls. */
static inline size_t fuzz_drain_source(ds_source *src, size_t input_len, size_t max_field)
{
    size_t calls = 0;
    /* Each call consumes input or ends: a generous bound catches a reader
     * that loops without progress (windows of invalid bytes triple them). */
    size_t bound = 8 * input_len + 1000;
    for (;;) {
        const ds_record *rec = NULL;
        ds_error err;
        ds_error_clear(&err);
        ds_status rc = ds_source_next(src, &rec, &err);
        FUZZ_CHECK(++calls <= bound);
        if (rc == DS_DONE)
            break;
        if (rc == DS_EFORMAT) {
            FUZZ_CHECK(err.msg[0] != 0);
            continue;
        }
        if (rc != DS_OK) {
            FUZZ_CHECK(err.msg[0] != 0);
            break;
        }
        FUZZ_CHECK(rec != NULL);
        FUZZ_CHECK(rec->nfields == 0 || rec->fields != NULL);
        FUZZ_CHECK(rec->index >= 1);
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            FUZZ_CHECK(f->name != NULL || f->name_len == 0);
            FUZZ_CHECK(f->value != NULL || f->value_len == 0);
            FUZZ_CHECK(f->value_len <= max_field || fuzz_is_number(f->value, f->value_len));
            FUZZ_CHECK(f->own_len <= f->value_len);
            FUZZ_CHECK(ds_utf8_is_valid(f->value, f->value_len));
            FUZZ_CHECK(ds_utf8_is_valid(f->name, f->name_len));
        }
    }
    return calls;
}

/* A memory stream over data with the options of one selector byte (NULL
 * when it cannot be opened), and a reader of it as fmt in *src (NULL, with
 * the status in *rc and the reason in err, when that fails). */
static inline ds_stream *fuzz_open(ds_format fmt, const char *name, const uint8_t *data,
                                   size_t size, const ds_source_opts *o, uint8_t sel,
                                   ds_source **src, ds_status *rc, ds_error *err)
{
    ds_stream_opts so = {fuzz_chunk(sel), (sel & 0x10) == 0};
    ds_stream *st = NULL;
    ds_error_clear(err);
    *src = NULL;
    if (ds_stream_open_mem(data, size, name, &so, &st, err) != DS_OK)
        return NULL;
    *rc = ds_source_open(st, fmt, o, src, err);
    return st;
}

/* Read data as fmt with the options of one selector byte, check every record. */
static inline void fuzz_read_format(ds_format fmt, const char *name, const uint8_t *data,
                                    size_t size, const ds_source_opts *o, uint8_t sel)
{
    ds_source *src;
    ds_status rc;
    ds_error err;
    ds_stream *st = fuzz_open(fmt, name, data, size, o, sel, &src, &rc, &err);
    if (!st)
        return;
    if (rc == DS_OK) {
        size_t maxf = o->max_field < 64 ? 64 : o->max_field;
        fuzz_drain_source(src, size, maxf);
        ds_source_close(src);
    }
    ds_stream_close(st);
}

/* Everything a read of data as fmt gives, appended to out as text: the open
 * status, each record (number, line, part flag, fields with names, values,
 * offsets), each error, the source's counts. Two reads that must agree (a
 * fast path against the library it stands in for) compare these. */
static inline void fuzz_read_digest(ds_format fmt, const char *name, const uint8_t *data,
                                    size_t size, const ds_source_opts *o, uint8_t sel, ds_buf *out)
{
    ds_source *src;
    ds_status rc;
    ds_error err;
    ds_stream *st = fuzz_open(fmt, name, data, size, o, sel, &src, &rc, &err);
    if (!st)
        return;
    ds_buf_printf(out, "open %d %s\n", (int)rc, rc == DS_OK ? "" : err.msg);
    size_t calls = 0, bound = 8 * size + 1000;
    while (rc == DS_OK) {
        const ds_record *rec = NULL;
        ds_error_clear(&err);
        ds_status r = ds_source_next(src, &rec, &err);
        FUZZ_CHECK(++calls <= bound);
        if (r == DS_DONE)
            break;
        if (r != DS_OK) {
            ds_buf_printf(out, "error %d %s\n", (int)r, err.msg);
            if (r == DS_EFORMAT)
                continue;
            break;
        }
        ds_buf_printf(out, "record %llu line %llu more %d fields %zu\n",
                      (unsigned long long)rec->index, (unsigned long long)rec->line, rec->more,
                      rec->nfields);
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            ds_buf_printf(out, " %zu:", f->name_len);
            ds_buf_append(out, f->name, f->name_len);
            ds_buf_printf(out, " %zu@%llu/%zu:", f->value_len, (unsigned long long)f->value_off,
                          f->own_len);
            ds_buf_append(out, f->value, f->value_len);
            ds_buf_putc(out, '\n');
        }
    }
    if (src) {
        const ds_source_stats *s = ds_source_stats_get(src);
        ds_buf_printf(out, "stats %llu %llu %llu %llu %llu %llu %d %d\n",
                      (unsigned long long)s->records, (unsigned long long)s->malformed,
                      (unsigned long long)s->ragged, (unsigned long long)s->invalid_utf8,
                      (unsigned long long)s->windowed, (unsigned long long)s->lines, s->csv_delim,
                      s->csv_header);
        ds_source_close(src);
    }
    ds_stream_close(st);
}

/* Read data twice, with opts as given and with `slow_flag` (a member of
 * ds_source_opts that turns a fast path off) set: the digests must match. */
#define FUZZ_SAME_BOTH_WAYS(fmt_, name_, data_, size_, opts_, sel_, slow_flag_)          \
    do {                                                                                  \
        ds_source_opts fz_o = *(opts_);                                                   \
        ds_buf fz_fast = {0}, fz_slow = {0};                                              \
        fuzz_read_digest(fmt_, name_, data_, size_, &fz_o, sel_, &fz_fast);               \
        fz_o.slow_flag_ = 1;                                                              \
        fuzz_read_digest(fmt_, name_, data_, size_, &fz_o, sel_, &fz_slow);               \
        FUZZ_CHECK(fz_fast.len == fz_slow.len &&                                          \
                   memcmp(fz_fast.data, fz_slow.data, fz_fast.len) == 0);                 \
        ds_buf_free(&fz_fast);                                                            \
        ds_buf_free(&fz_slow);                                                            \
    } while (0)

#endif
