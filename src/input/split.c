/* input: record-aligned byte ranges and per-record sampling (see split.h). */
#include "input/split.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mem.h"

#define SPLIT_BLOCK (1u << 20)

/* pread all of [off, off + n) or up to the end of the file; -1 on error. */
static ssize_t read_at(int fd, unsigned char *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static ds_status read_error(ds_error *err)
{
    return ds_error_set(err, DS_EIO, NULL, "read failed: %s", strerror(errno));
}

ds_status ds_split_align(int fd, uint64_t size, uint64_t off, uint64_t *out, ds_error *err)
{
    if (off == 0 || off >= size) {
        *out = off == 0 ? 0 : size;
        return DS_OK;
    }
    size_t cap = 65536;
    unsigned char *buf = ds_xmalloc(cap);
    uint64_t pos = off - 1;
    *out = size;
    while (pos < size) {
        size_t want = size - pos < cap ? (size_t)(size - pos) : cap;
        ssize_t n = read_at(fd, buf, want, pos);
        if (n < 0) {
            free(buf);
            return read_error(err);
        }
        if (n == 0)
            break;
        const unsigned char *nl = memchr(buf, '\n', (size_t)n);
        if (nl) {
            *out = pos + (uint64_t)(nl - buf) + 1;
            break;
        }
        pos += (uint64_t)n;
    }
    free(buf);
    return DS_OK;
}

ds_status ds_split_ranges(int fd, uint64_t size, size_t n, ds_range *out, ds_error *err)
{
    if (n == 0)
        return ds_error_set(err, DS_EINVAL, NULL, "no ranges");
    uint64_t prev = 0;
    for (size_t k = 0; k < n; k++) {
        uint64_t next = size;
        if (k + 1 < n) {
            /* size * (k+1) / n without overflowing 64 bits */
            uint64_t cut = size / n * (k + 1) + size % n * (k + 1) / n;
            ds_status rc = ds_split_align(fd, size, cut, &next, err);
            if (rc != DS_OK)
                return rc;
            if (next < prev)
                next = prev;
        }
        out[k].start = prev;
        out[k].end = next;
        prev = next;
    }
    return DS_OK;
}

int ds_split_format_ok(ds_format fmt)
{
    return fmt == DS_FORMAT_JSONL || fmt == DS_FORMAT_TEXT;
}

ds_status ds_split_count(int fd, uint64_t start, uint64_t end, ds_format fmt, uint64_t *lines,
                         uint64_t *records, ds_error *err)
{
    uint64_t nl_count = 0, recs = 0;
    int jsonl = fmt == DS_FORMAT_JSONL;
    int seen = 0; /* JSONL: the line in progress has a non-blank byte */
    int in_line = 0;
    unsigned char *buf = ds_xmalloc(SPLIT_BLOCK);
    uint64_t pos = start;
    while (pos < end) {
        size_t want = end - pos < SPLIT_BLOCK ? (size_t)(end - pos) : SPLIT_BLOCK;
        ssize_t n = read_at(fd, buf, want, pos);
        if (n < 0) {
            free(buf);
            return read_error(err);
        }
        if (n == 0)
            break;
        const unsigned char *p = buf, *e = buf + n;
        if (!jsonl) {
            while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
                nl_count++;
                p++;
            }
            in_line = buf[n - 1] != '\n';
        } else {
            while (p < e) {
                if (!seen) {
                    unsigned char c = *p;
                    if (c == '\n') {
                        nl_count++;
                        p++;
                        continue;
                    }
                    p++;
                    if (c == ' ' || c == '\t' || c == '\r')
                        continue;
                    seen = 1;
                    recs++;
                }
                const unsigned char *q = memchr(p, '\n', (size_t)(e - p));
                if (!q)
                    break;
                nl_count++;
                seen = 0;
                p = q + 1;
            }
        }
        pos += (uint64_t)n;
    }
    free(buf);
    if (!jsonl)
        recs = nl_count + (uint64_t)in_line; /* text numbers records by line */
    *lines = nl_count;
    *records = recs;
    return DS_OK;
}

/* ---- sampling --------------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finaliser */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t ds_sample_threshold(double rate)
{
    if (!(rate > 0))
        return 0;
    if (rate >= 1)
        return UINT64_MAX;
    /* 2^64 * rate, exactly representable steps of 2^-53 are plenty */
    return (uint64_t)(rate * 18446744073709551616.0);
}

uint64_t ds_sample_name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

int ds_sample_keep(uint64_t seed, uint64_t name_hash, uint64_t index, uint64_t threshold)
{
    if (threshold == UINT64_MAX)
        return 1;
    uint64_t h = mix64(mix64(seed ^ 0x9e3779b97f4a7c15ULL) ^ name_hash);
    h = mix64(h + index * 0x9e3779b97f4a7c15ULL);
    return h < threshold;
}
