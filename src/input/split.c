/* input: record-aligned byte ranges and per-record sampling (see split.h). */
#include "input/split.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mem.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SPLIT_BLOCK (1u << 20)

static size_t split_block = SPLIT_BLOCK;

void ds_split_set_block(size_t n)
{
    split_block = n ? n : SPLIT_BLOCK;
}

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
    return fmt == DS_FORMAT_JSONL || fmt == DS_FORMAT_TEXT || fmt == DS_FORMAT_CSV;
}

void ds_split_count_mem(const unsigned char *p, size_t n, ds_format fmt, uint64_t *lines,
                        uint64_t *records)
{
    const unsigned char *e = p + n;
    uint64_t nl = 0, recs = 0;
    while (p < e) {
        const unsigned char *q = memchr(p, '\n', (size_t)(e - p));
        const unsigned char *end = q ? q : e;
        if (fmt == DS_FORMAT_JSONL) {
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
                p++;
            recs += p < end;
        } else {
            recs++; /* text: every line, blank ones too */
        }
        nl += q != NULL;
        p = q ? q + 1 : e;
    }
    *lines = nl;
    *records = recs;
}

/* ---- CSV -------------------------------------------------------------------- */

/* The offset of the first '\n', '\r' or '"' in [p, e), or e - p. */
static size_t csv_skip(const unsigned char *p, const unsigned char *e)
{
    size_t i = 0, n = (size_t)(e - p);
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), qu = _mm_set1_epi8('"');
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, nl), _mm_cmpeq_epi8(x, cr)),
                                 _mm_cmpeq_epi8(x, qu));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    for (; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r' || p[i] == '"')
            return i;
    return n;
}

typedef struct csv_cut {
    uint64_t from;    /* the first range starts here */
    size_t n, k;      /* ranges; the next range start looked for */
    uint64_t *want;   /* want[k]: nominal start of range k (k >= 1) */
    ds_range *out;
    uint64_t *lines, *rows;
} csv_cut;

/* A record starts at pos (just after a newline outside quotes, or 0): the
 * ranges whose nominal start it reaches begin here. */
static void csv_boundary(csv_cut *c, uint64_t pos, uint64_t lines, uint64_t rows)
{
    if (pos == c->from && c->k == 0) {
        c->lines[0] = lines;
        c->rows[0] = rows;
        c->out[0].start = pos;
        c->k = 1;
    }
    while (c->k > 0 && c->k < c->n && pos >= c->want[c->k]) {
        c->out[c->k - 1].end = pos;
        c->out[c->k].start = pos;
        c->lines[c->k] = lines;
        c->rows[c->k] = rows;
        c->k++;
    }
}

/* The quote-following state machine of ds_split_csv. */
typedef struct csv_scan {
    int delim;
    /* inq: in a quoted field; quote: a quote seen in one (what follows says
     * whether it closed it); bol: a line starts (outside quotes, at 0 or
     * after '\n'); row: the line holds a row; need_lf: a CR outside quotes,
     * a '\n' must follow; plain: nothing lenient seen */
    int inq, quote, bol, row, need_lf, plain;
    unsigned char prev;
    uint64_t nl, rows; /* newlines, rows ended */
} csv_scan;

static void csv_scan_init(csv_scan *s, int delim, uint64_t nl, uint64_t rows)
{
    *s = (csv_scan){.delim = delim, .bol = 1, .plain = 1, .prev = '\n', .nl = nl, .rows = rows};
}

/* Follow p[0..n), the next bytes. After every newline outside quotes (a
 * record start), call at(ctx, offset past it, s), and stop when it returns
 * nonzero; stop too at what is not plain (s->plain = 0). Returns the bytes
 * followed. */
static size_t csv_scan_run(csv_scan *s, const unsigned char *p0, size_t n,
                           int (*at)(void *ctx, size_t off, const csv_scan *s), void *ctx)
{
    const unsigned char *p = p0, *e = p0 + n;
    const int delim = s->delim;
    while (p < e) {
        unsigned char ch = *p;
        if (s->quote) {
            s->quote = 0;
            if (ch == '"') { /* "" inside quotes */
                s->prev = ch;
                p++;
                continue;
            }
            s->inq = 0;
            if (ch != delim && ch != '\r' && ch != '\n') {
                s->plain = 0;
                break;
            }
        } else if (s->need_lf) {
            s->need_lf = 0;
            if (ch != '\n') {
                s->plain = 0;
                break;
            }
        } else if (s->bol && !s->inq) {
            s->bol = 0;
            if ((ch == ' ' || ch == '\t') && ch != delim) {
                s->plain = 0;
                break;
            }
            s->row = ch != '\r' && ch != '\n';
        }
        if (s->inq) {
            /* to the next quote, counting the quoted newlines */
            const unsigned char *q = memchr(p, '"', (size_t)(e - p));
            const unsigned char *stop = q ? q : e;
            for (const unsigned char *t = p; (t = memchr(t, '\n', (size_t)(stop - t))); t++)
                s->nl++;
            if (!q) {
                s->prev = e[-1];
                p = e; /* the field goes on in the next bytes */
                break;
            }
            s->quote = 1;
            s->prev = '"';
            p = q + 1;
            continue;
        }
        if (ch != '\n' && ch != '\r' && ch != '"') {
            size_t k = csv_skip(p, e);
            if (k) {
                p += k;
                s->prev = p[-1];
                continue;
            }
        }
        if (ch == '\n') {
            s->nl++;
            s->rows += (uint64_t)s->row;
            s->row = 0;
            s->bol = 1;
            p++;
            s->prev = ch;
            if (at(ctx, (size_t)(p - p0), s))
                break;
            continue;
        }
        if (ch == '\r') {
            s->need_lf = 1;
        } else if (ch == '"') {
            if (s->prev != delim && s->prev != '\n') {
                s->plain = 0;
                break;
            }
            s->inq = 1;
        }
        s->prev = ch;
        p++;
    }
    return (size_t)(p - p0);
}

typedef struct file_at {
    csv_cut *c;
    uint64_t pos; /* file offset of the bytes being followed */
} file_at;

static int at_file(void *ctx, size_t off, const csv_scan *s)
{
    file_at *f = ctx;
    csv_boundary(f->c, f->pos + off, s->nl, s->rows);
    return f->c->k >= f->c->n; /* every range has its start */
}

ds_status ds_split_csv(int fd, uint64_t from, uint64_t to, size_t n, int delim, int header,
                       ds_range *out, uint64_t *lines, uint64_t *records, int *ok, ds_error *err)
{
    *ok = 0;
    if (n == 0)
        return ds_error_set(err, DS_EINVAL, NULL, "no ranges");
    csv_cut c = {.from = from, .n = n, .out = out, .lines = lines, .rows = records};
    c.want = ds_xcalloc(n, sizeof *c.want);
    uint64_t span = to > from ? to - from : 0;
    for (size_t k = 1; k < n; k++)
        c.want[k] = from + span / n * k + span % n * k / n;
    unsigned char *buf = ds_xmalloc(split_block);
    csv_scan s;
    csv_scan_init(&s, delim, 0, 0);
    uint64_t pos = 0;
    ds_status rc = DS_OK;
    csv_boundary(&c, 0, 0, 0);
    /* a UTF-8 byte-order mark is not row content the quotes look at */
    unsigned char bom[3];
    if (to >= 3 && read_at(fd, bom, 3, 0) == 3 && bom[0] == 0xEF && bom[1] == 0xBB &&
        bom[2] == 0xBF)
        pos = 3;
    /* once every range has its start, the rest is the last reader's */
    while (pos < to && s.plain && c.k < n) {
        size_t want = to - pos < split_block ? (size_t)(to - pos) : split_block;
        ssize_t got = read_at(fd, buf, want, pos);
        if (got < 0) {
            rc = read_error(err);
            break;
        }
        if (got == 0)
            break;
        file_at fa = {&c, pos};
        csv_scan_run(&s, buf, (size_t)got, at_file, &fa);
        pos += (uint64_t)got;
    }
    free(buf);
    if (rc == DS_OK && s.plain && c.k > 0) {
        /* the ranges not started yet are empty, at the end */
        while (c.k < n) {
            c.out[c.k - 1].end = to;
            c.out[c.k].start = to;
            c.lines[c.k] = s.nl;
            c.rows[c.k] = s.rows;
            c.k++;
        }
        c.out[n - 1].end = to;
        *ok = 1;
        /* records are data rows: the header row is before every range but
         * one that starts the file */
        uint64_t hdr = header != 0;
        for (size_t k = n; k-- > 0;) {
            if (out[k].start > 0 && records[k] < hdr) {
                /* only blank lines before it (from is then 0): it starts
                 * the file instead, so that its reader reads the header,
                 * and the ranges before it are empty */
                for (size_t j = 0; j <= k; j++) {
                    out[j].start = 0;
                    if (j < k)
                        out[j].end = 0;
                    lines[j] = 0;
                    records[j] = 0;
                }
                break;
            }
            records[k] = out[k].start > 0 ? records[k] - hdr : 0;
        }
    }
    free(c.want);
    return rc;
}

typedef struct buf_at {
    size_t limit, cut;
    uint64_t nl, rows;
} buf_at;

static int at_buf(void *ctx, size_t off, const csv_scan *s)
{
    buf_at *b = ctx;
    if (off > b->limit && b->cut)
        return 1; /* the last one within the limit is already known */
    b->cut = off;
    b->nl = s->nl;
    b->rows = s->rows;
    return off >= b->limit;
}

int ds_split_csv_buf(const unsigned char *p, size_t n, int delim, size_t limit, size_t *cut,
                     uint64_t *lines, uint64_t *rows)
{
    csv_scan s;
    csv_scan_init(&s, delim, 0, 0);
    buf_at b = {.limit = limit};
    csv_scan_run(&s, p, n, at_buf, &b);
    if (!b.cut)
        return s.plain ? 0 : -1;
    *cut = b.cut;
    *lines = b.nl;
    *rows = b.rows;
    return 1;
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
