/* Fuzz target: cutting a CSV file in ranges (ds_split_csv, input/split.c),
 * differentially. Wherever ds_split_csv says it could cut, reading each range
 * with its counts and the file's dialect (ds_csv_dialect_read) must give
 * exactly the records (index, line, fields) and error messages of one
 * whole-file read; any difference aborts.
 *
 * The same bytes are also cut block by block as a stream is
 * (ds_split_csv_buf), with the same check.
 *
 * byte 0: ranges (1 + low 4 bits), the block limit (bits 4-5: 1, 7, 64 or
 * 1024 bytes) and ds_split_csv's read size (high bits: 1, 2, 7 or 1 MiB); byte 1: max_field, header mode, delimiter (as
 * fuzz_csv); byte 2: the stream's read size; the rest is the file. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/buf.h"
#include "fuzz_util.h"
#include "input/split.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RANGES 16

/* Records and errors of [start, end) of fd, one line each, appended to out. */
static void dump(ds_buf *out, int fd, uint64_t start, uint64_t end, const ds_source_opts *base,
                 uint64_t lb, uint64_t rb, const ds_csv_dialect *csv, size_t chunk)
{
    ds_stream_opts so = {.chunk = chunk, .decode = start == 0};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    if (ds_stream_open_fd_range(fd, 0, start, end - start, "f", &so, &st, &err) != DS_OK)
        abort();
    ds_source_opts o = *base;
    o.line_base = lb;
    o.record_base = rb;
    o.csv_preset = csv;
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, DS_FORMAT_CSV, &o, &src, &err);
    while (rc == DS_OK || rc == DS_EFORMAT) {
        const ds_record *rec;
        ds_error_clear(&err);
        rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK) {
            ds_buf_printf(out, "!%s %s: %s\n", ds_status_str(rc), err.where, err.msg);
            continue;
        }
        ds_buf_printf(out, "#%llu L%llu%s", (unsigned long long)rec->index,
                      (unsigned long long)rec->line, rec->more ? "+" : "");
        for (size_t i = 0; i < rec->nfields; i++)
            ds_buf_printf(out, " %.*s@%llu=%.*s", (int)rec->fields[i].name_len,
                          rec->fields[i].name, (unsigned long long)rec->fields[i].value_off,
                          (int)rec->fields[i].value_len, rec->fields[i].value);
        ds_buf_putc(out, '\n');
    }
    if (rc != DS_DONE && rc != DS_OK && rc != DS_EFORMAT && !src)
        ds_buf_printf(out, "!open %s: %s\n", err.where, err.msg);
    ds_source_close(src);
    ds_stream_close(st);
    ds_buf_puts(out, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t n = 1 + (data[0] & 15);
    static const size_t blocks[4] = {1, 2, 7, 1u << 20};
    size_t chunk = fuzz_chunk(data[2]);
    ds_source_opts o;
    ds_source_opts_default(&o);
    fuzz_csv_opts(&o, data[1]);
    const uint8_t *file = data + 3;
    size_t len = size - 3;
    if (len >= 2 && ((file[0] == 0xFF && file[1] == 0xFE) || (file[0] == 0xFE && file[1] == 0xFF)))
        return 0; /* UTF-16: bytes do not cut on lines, the CLI reads it whole (walk.c) */
    int fd = memfd_create("fuzz.csv", 0);
    if (fd < 0 || (len && write(fd, file, len) != (ssize_t)len))
        abort();

    ds_stream_opts so = {.decode = 1};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_csv_dialect d;
    if (ds_stream_open_fd_range(fd, 0, 0, len, "f", &so, &st, &err) != DS_OK)
        abort();
    ds_status rc = ds_csv_dialect_read(st, &o, &d, &err);
    ds_stream_close(st);
    if (rc != DS_OK) {
        close(fd);
        return 0;
    }
    ds_range r[MAX_RANGES];
    uint64_t lines[MAX_RANGES], recs[MAX_RANGES];
    int ok = 0;
    ds_split_set_block(blocks[data[0] >> 6]);
    rc = ds_split_csv(fd, 0, len, n, d.delim, d.header, r, lines, recs, &ok, &err);
    ds_split_set_block(0);
    FUZZ_CHECK(rc == DS_OK);
    if (ok) {
        ds_buf whole = {0}, parts = {0};
        dump(&whole, fd, 0, len, &o, 0, 0, NULL, chunk);
        for (size_t k = 0; k < n; k++) {
            FUZZ_CHECK(r[k].start == (k ? r[k - 1].end : 0));
            FUZZ_CHECK(r[k].start <= r[k].end);
            FUZZ_CHECK(k == 0 || (lines[k] >= lines[k - 1] && recs[k] >= recs[k - 1]));
            dump(&parts, fd, r[k].start, r[k].end, &o, lines[k], recs[k], &d, chunk);
        }
        FUZZ_CHECK(r[n - 1].end == len);
        int same = strcmp(whole.data, parts.data) == 0;
        if (!same)
            fprintf(stderr, "whole:\n%s\nranges:\n%s\n", whole.data, parts.data);
        FUZZ_CHECK(same);
        ds_buf_free(&whole);
        ds_buf_free(&parts);
    }
    /* the same bytes cut as a stream, block by block (ds_split_csv_buf); a
     * block that cannot be cut is the rest of the input */
    static const size_t limits[4] = {1, 7, 64, 1024};
    size_t limit = limits[(data[0] >> 4) & 3];
    ds_buf whole = {0}, parts = {0};
    dump(&whole, fd, 0, len, &o, 0, 0, NULL, chunk);
    size_t at = 0;
    uint64_t blines = 0, brecs = 0;
    while (at < len) {
        size_t c = 0;
        uint64_t l = 0, rows = 0;
        int cr = ds_split_csv_buf(file + at, len - at, d.delim, limit, &c, &l, &rows);
        if (cr == 1 && at == 0 && d.header && rows == 0)
            cr = -1; /* blank lines only before the header: one piece */
        if (cr == 1)
            FUZZ_CHECK(c > 0 && c <= len - at);
        else
            c = len - at;
        dump(&parts, fd, at, at + c, &o, blines, brecs, &d, chunk);
        blines += l;
        brecs += rows - (at == 0 && d.header && rows ? 1 : 0);
        at += c;
    }
    ds_buf_puts(&parts, ""); /* an empty input has no block */
    int same = strcmp(whole.data, parts.data) == 0;
    if (!same)
        fprintf(stderr, "whole:\n%s\nblocks:\n%s\n", whole.data, parts.data);
    FUZZ_CHECK(same);
    ds_buf_free(&whole);
    ds_buf_free(&parts);
    ds_csv_dialect_free(&d);
    close(fd);
    return 0;
}
