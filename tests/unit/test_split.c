/* tests: record-aligned byte ranges (input/split.h) and sampling.
 *
 * The central property: reading a file as ranges, each reader given the lines
 * and records counted before its range, yields exactly the records (index,
 * line, fields) and error messages of one whole-file read, whatever the
 * number of ranges, with blank lines, CRLF, malformed lines, a last line
 * without a newline, and ranges smaller than a record. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "input/source.h"
#include "input/split.h"
#include "input/stream.h"

static char path[64];

/* A temporary file holding data; returns an open fd. */
static int tmp_file(const char *data, size_t n)
{
    snprintf(path, sizeof path, "/tmp/dsaudit-split-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    unlink(path);
    return fd;
}

static uint64_t align(int fd, uint64_t size, uint64_t off)
{
    uint64_t out = 12345;
    ds_error err;
    cr_assert_eq(ds_split_align(fd, size, off, &out, &err), DS_OK);
    return out;
}

Test(split, align_on_line_starts)
{
    /* a0 b1 \n2 c3 d4 \r5 \n6 e7 f8 \n9 */
    const char *s = "ab\ncd\r\nef\n";
    int fd = tmp_file(s, 10);
    static const uint64_t want[] = {0, 3, 3, 3, 7, 7, 7, 7, 10, 10, 10, 10};
    for (uint64_t off = 0; off < 12; off++)
        cr_assert_eq(align(fd, 10, off), want[off], "offset %llu", (unsigned long long)off);
    close(fd);
}

Test(split, align_without_final_newline)
{
    int fd = tmp_file("abc\ndef", 7);
    cr_assert_eq(align(fd, 7, 1), 4);
    cr_assert_eq(align(fd, 7, 4), 4);
    cr_assert_eq(align(fd, 7, 5), 7);
    close(fd);
}

Test(split, align_across_blocks)
{
    /* the next newline is further than one read block away */
    size_t n = 200000;
    char *s = malloc(n);
    memset(s, 'x', n);
    s[150000] = '\n';
    int fd = tmp_file(s, n);
    cr_assert_eq(align(fd, n, 10), 150001);
    cr_assert_eq(align(fd, n, 150001), 150001);
    cr_assert_eq(align(fd, n, 150002), n);
    close(fd);
    free(s);
}

Test(split, ranges_tile_the_file)
{
    const char *s = "one\ntwo\nthree\nfour\n";
    size_t len = strlen(s);
    int fd = tmp_file(s, len);
    ds_range r[4];
    ds_error err;
    cr_assert_eq(ds_split_ranges(fd, len, 4, r, &err), DS_OK);
    /* cuts at 19*k/4 = 4, 9, 14: 4 and 14 are line starts, 9 moves to 14 */
    static const uint64_t starts[] = {0, 4, 14, 14}, ends[] = {4, 14, 14, 19};
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(r[k].start, starts[k], "range %d start %llu", k,
                     (unsigned long long)r[k].start);
        cr_assert_eq(r[k].end, ends[k], "range %d end", k);
    }
    close(fd);
}

Test(split, ranges_smaller_than_a_record_are_empty)
{
    char s[101];
    memset(s, 'y', 100);
    s[100] = '\n';
    int fd = tmp_file(s, 101);
    ds_range r[4];
    ds_error err;
    cr_assert_eq(ds_split_ranges(fd, 101, 4, r, &err), DS_OK);
    cr_assert_eq(r[0].start, 0);
    cr_assert_eq(r[0].end, 101);
    for (int k = 1; k < 4; k++) {
        cr_assert_eq(r[k].start, 101);
        cr_assert_eq(r[k].end, 101);
    }
    cr_assert_eq(ds_split_ranges(fd, 0, 3, r, &err), DS_OK);
    for (int k = 0; k < 3; k++)
        cr_assert(r[k].start == 0 && r[k].end == 0);
    close(fd);
}

Test(split, count_lines_and_records)
{
    const char *s = "{}\n\n  \n{}\r\n \t{}\nxyz";
    size_t len = strlen(s);
    int fd = tmp_file(s, len);
    uint64_t lines, recs;
    ds_error err;
    cr_assert_eq(ds_split_count(fd, 0, len, DS_FORMAT_JSONL, &lines, &recs, &err), DS_OK);
    cr_assert_eq(lines, 5);
    cr_assert_eq(recs, 4);
    cr_assert_eq(ds_split_count(fd, 0, len, DS_FORMAT_TEXT, &lines, &recs, &err), DS_OK);
    cr_assert_eq(lines, 5);
    cr_assert_eq(recs, 6); /* text: by line, the unterminated last one too */
    cr_assert_eq(ds_split_count(fd, 3, 7, DS_FORMAT_JSONL, &lines, &recs, &err), DS_OK);
    cr_assert_eq(lines, 2);
    cr_assert_eq(recs, 0);
    cr_assert_eq(ds_split_count(fd, 4, 4, DS_FORMAT_TEXT, &lines, &recs, &err), DS_OK);
    cr_assert_eq(lines, 0);
    cr_assert_eq(recs, 0);
    close(fd);
}

/* Dump [start, end) of fd read as fmt with the given bases (util.h format). */
static void dump_range(ds_buf *out, int fd, uint64_t start, uint64_t end, ds_format fmt,
                       uint64_t lb, uint64_t rb, size_t chunk)
{
    ds_stream_opts so = {.chunk = chunk, .decode = start == 0};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_stream_open_fd_range(fd, 0, start, end - start, "t", &so, &st, &err), DS_OK);
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.max_field = 64;
    o.line_base = lb;
    o.record_base = rb;
    ds_source *src = NULL;
    cr_assert_eq(ds_source_open(st, fmt, &o, &src, &err), DS_OK);
    for (;;) {
        const ds_record *rec;
        ds_error_clear(&err);
        ds_status rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK) {
            ds_buf_printf(out, "!%s %s: %s\n", ds_status_str(rc), err.where, err.msg);
            if (rc == DS_EFORMAT)
                continue;
            break;
        }
        ds_buf_printf(out, "#%llu L%llu%s", (unsigned long long)rec->index,
                      (unsigned long long)rec->line, rec->more ? "+" : "");
        for (size_t i = 0; i < rec->nfields; i++)
            ds_buf_printf(out, " %.*s@%llu=%.*s", (int)rec->fields[i].name_len,
                          rec->fields[i].name, (unsigned long long)rec->fields[i].value_off,
                          (int)rec->fields[i].value_len, rec->fields[i].value);
        ds_buf_putc(out, '\n');
    }
    ds_source_close(src);
    ds_stream_close(st);
    ds_buf_puts(out, "");
}

static void check_ranges(const char *data, ds_format fmt)
{
    size_t len = strlen(data);
    int fd = tmp_file(data, len);
    ds_buf whole = {0};
    dump_range(&whole, fd, 0, len, fmt, 0, 0, 0);
    for (size_t n = 1; n <= 12; n++) {
        ds_range r[12];
        ds_error err;
        cr_assert_eq(ds_split_ranges(fd, len, n, r, &err), DS_OK);
        for (size_t chunk = 1; chunk <= 4096; chunk *= 64) {
            ds_buf parts = {0};
            uint64_t lb = 0, rb = 0;
            for (size_t k = 0; k < n; k++) {
                cr_assert_eq(r[k].start, k ? r[k - 1].end : 0);
                dump_range(&parts, fd, r[k].start, r[k].end, fmt, lb, rb, chunk);
                uint64_t l, c;
                cr_assert_eq(ds_split_count(fd, r[k].start, r[k].end, fmt, &l, &c, &err), DS_OK);
                lb += l;
                rb += c;
            }
            cr_assert_eq(r[n - 1].end, len);
            cr_assert_str_eq(parts.data, whole.data, "%zu ranges, chunk %zu", n, chunk);
            ds_buf_free(&parts);
        }
    }
    ds_buf_free(&whole);
    close(fd);
}

Test(split, jsonl_ranges_read_like_the_whole_file)
{
    check_ranges("{\"a\":\"x@y.fr\"}\n"
                 "\n"
                 "   \n"
                 "{\"b\":[1,2,{\"c\":\"d\"}]}\r\n"
                 "{broken\n"
                 " {\"long\":\"0123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789\"}\n"
                 "{\"e\":true}\n"
                 "{\"f\":\"no newline at the end\"}",
                 DS_FORMAT_JSONL);
}

Test(split, text_ranges_read_like_the_whole_file)
{
    check_ranges("first line\r\n"
                 "\n"
                 "\r\n"
                 "a line longer than the sixty-four byte field limit, so read in two windows\n"
                 "x\n"
                 "caf\xc3\xa9 \xe9t\xe9\n"
                 "last",
                 DS_FORMAT_TEXT);
}

Test(split, utf8_bom_stays_with_range_zero)
{
    check_ranges("\xef\xbb\xbf{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", DS_FORMAT_JSONL);
}

/* ---- sampling ----------------------------------------------------------------- */

Test(sample, deterministic_and_seeded)
{
    uint64_t thr = ds_sample_threshold(0.1);
    uint64_t h = ds_sample_name_hash("data/web.jsonl");
    uint64_t kept = 0, kept_other_seed = 0, both = 0;
    for (uint64_t i = 1; i <= 100000; i++) {
        int a = ds_sample_keep(7, h, i, thr);
        cr_assert_eq(a, ds_sample_keep(7, h, i, thr));
        int b = ds_sample_keep(8, h, i, thr);
        kept += (uint64_t)a;
        kept_other_seed += (uint64_t)b;
        both += (uint64_t)(a && b);
    }
    /* fixed forever: a sample must be reproducible across versions */
    cr_assert_eq(kept, 10079);
    cr_assert_eq(kept_other_seed, 9863);
    cr_assert(both < 1200, "seeds 7 and 8 pick independent samples (%llu in both)",
              (unsigned long long)both);
}

Test(sample, rate_one_keeps_everything)
{
    uint64_t thr = ds_sample_threshold(1.0);
    cr_assert_eq(thr, UINT64_MAX);
    for (uint64_t i = 0; i < 1000; i++)
        cr_assert(ds_sample_keep(i, i * 31, i, thr));
    cr_assert_eq(ds_sample_threshold(0), 0);
    cr_assert_not(ds_sample_keep(1, 2, 3, 0));
}

Test(sample, names_give_different_samples)
{
    uint64_t thr = ds_sample_threshold(0.5);
    uint64_t a = ds_sample_name_hash("a.jsonl"), b = ds_sample_name_hash("b.jsonl");
    cr_assert_neq(a, b);
    int differ = 0;
    for (uint64_t i = 1; i <= 64; i++)
        differ += ds_sample_keep(0, a, i, thr) != ds_sample_keep(0, b, i, thr);
    cr_assert(differ > 10);
}
