/* input: walking paths down to leaf byte streams (ds_walk, see walk.h).
 *
 * Two halves. The filesystem half expands paths into top-level inputs
 * ("units"): directories listed recursively in bytewise order, symlinks,
 * special files and excludes handled with lstat before anything is opened.
 * The archive half reads one unit: its first bytes (the "head") say whether
 * it is a container (compressed file or archive, read with libarchive) or a
 * leaf (handed to the visitor as a ds_stream). Archive members are read the
 * same way, recursively: a member's bytes come from the parent archive
 * through a "feed", and a nested archive reads its parent member through
 * libarchive callbacks, so nothing is ever extracted or held whole.
 *
 * Errors are reported once. A member's read error goes to the visitor
 * through its stream; a failure the visitor never saw (in a member that was
 * skipped, while draining, in an archive header) goes to on_error. Each feed
 * remembers whether its error "surfaced"; when a nested archive fails because
 * its parent member failed, surfacing one surfaces the other. A guard (ratio,
 * size) stops the whole top-level input and is reported once, at the latest
 * when the input is done. */
#include "input/walk.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/mem.h"
#include "input/split.h"

#define HEAD_MAX 4096            /* bytes looked at to decide what an input is */
#define BLOCK_SIZE (64u * 1024u) /* libarchive and stdin read size */
/* The ratio guard starts after 16 MiB of output: one gzip layer of a repeated
 * byte reaches ~1030, so a small file of repetitive text must not trip the
 * default 1000, and scanning 16 MiB of a real bomb costs a fraction of a second. */
#define RATIO_FLOOR (16u << 20)
#define MAX_HEADER_RETRIES 16    /* bad headers skipped in a row before giving up */

typedef struct walker walker;
typedef struct layer layer;
typedef struct entry entry;
typedef struct feed feed;

/* Next block from the producer behind a feed: DS_OK, DS_DONE or an error
 * (err filled). The block stays valid until the next call. */
typedef ds_status (*feed_pull_fn)(feed *f, const unsigned char **p, size_t *n, ds_error *err);

/* A byte producer whose first HEAD_MAX bytes are gathered once (to sniff
 * them) and then handed out again before the rest. An error met while the
 * head was gathered waits until the head has been read. */
struct feed {
    walker *w;
    entry *owner; /* the archive member read, or NULL for stdin */
    feed_pull_fn pull;
    unsigned char head[HEAD_MAX];
    size_t head_len, head_pos;
    const unsigned char *rest; /* the part of the last block that did not fit the head */
    size_t rest_len;
    ds_status pend;   /* DS_DONE or an error that ended the head (error in ferr) */
    ds_status failed; /* sticky error once handed out (in ferr) */
    ds_error ferr;
    int surfaced; /* the error reached the user (visitor stream or on_error) */
    /* stdin */
    int fd;
    unsigned char *buf;
};

/* One archive member being read. */
struct entry {
    feed f;
    layer *L;
    const char *name; /* display name */
    uint64_t pos;  /* bytes produced, holes included */
    int container; /* opened as a nested archive: its members count, not it */
    int has_blk;   /* a block is pending (behind a hole) */
    const unsigned char *blk;
    size_t blk_len;
    int64_t blk_off;
    int fatal; /* libarchive said ARCHIVE_FATAL while reading it */
};

/* One open archive (or compressed file). */
struct layer {
    walker *w;
    struct archive *a;
    layer *parent;
    feed *src; /* where its bytes come from (nested, stdin); NULL: a file */
    const char *name;
    unsigned depth; /* 1 for a top-level archive */
    uint64_t out;   /* bytes read out of its members */
    uint64_t entries;
    int src_failed;    /* reading src failed; src->ferr says why */
    int dead_reported; /* the failure that stops it already reached the user */
};

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

struct walker {
    const ds_walk_opts *o;
    const ds_walk_visitor *v;
    ds_walk_unit_fn on_unit; /* ds_walk_expand; NULL: read the units */
    ds_status fatal;         /* a failure of the walk itself (in *err) */
    ds_error *err;
    int done; /* the visitor asked to stop */
    /* the top-level input being read */
    layer *top;
    uint64_t leaf_bytes;
    int aborted;        /* a guard tripped: stop this input */
    int limit_surfaced; /* and limit_err reached the user */
    ds_error limit_err;
    locale_t utf8; /* LC_CTYPE for libarchive's header reading, or 0 */
    /* directories being walked, for loop detection */
    dir_id *anc;
    size_t nanc, canc;
};

void ds_walk_opts_default(ds_walk_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_depth = 4;
    o->max_ratio = 1000;
    o->max_bytes = 0;
    o->max_entries = 100000;
    o->follow_symlinks = 0;
    o->stream.chunk = 0;
    o->stream.decode = 1;
    o->exclude = NULL;
    o->nexclude = 0;
}

/* ---- reporting -------------------------------------------------------------- */

static void report(walker *w, const ds_error *e)
{
    if (w->v->on_error)
        w->v->on_error(w->v->ctx, e);
}

static void report_msg(walker *w, ds_status st, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report_msg(walker *w, ds_status st, const char *where, const char *fmt, ...)
{
    ds_error e;
    ds_error_set(&e, st, where, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    report(w, &e);
}

static void skip(walker *w, const char *name, const char *reason, uint64_t bytes)
{
    if (w->v->on_skip)
        w->v->on_skip(w->v->ctx, name, reason, bytes);
}

static const char *special_reason(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "special file: fifo";
    if (S_ISSOCK(mode))
        return "special file: socket";
    if (S_ISCHR(mode))
        return "special file: character device";
    if (S_ISBLK(mode))
        return "special file: block device";
    return "not a regular file";
}

/* The --exclude pattern matching path (or its basename, or display), or NULL. */
static const char *excluded(const walker *w, const char *path, const char *display)
{
    if (!w->o->nexclude)
        return NULL;
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    char *base = ds_xstrndup(path + start, end - start);
    const char *hit = NULL;
    for (size_t i = 0; i < w->o->nexclude && !hit; i++) {
        const char *pat = w->o->exclude[i];
        if (!pat)
            continue;
        if (fnmatch(pat, path, 0) == 0 || fnmatch(pat, base, 0) == 0 ||
            (display && fnmatch(pat, display, 0) == 0))
            hit = pat;
    }
    free(base);
    return hit;
}

static void skip_excluded(walker *w, const char *name, const char *pat)
{
    ds_buf b = {0};
    ds_buf_printf(&b, "excluded by --exclude %s", pat);
    skip(w, name, b.data, 0);
    ds_buf_free(&b);
}

/* ---- member names ------------------------------------------------------------
 * libarchive converts member names to the charset of the current locale and
 * drops those it cannot convert: under the "C" locale of a program that never
 * called setlocale, every non-ASCII zip name. Opening archives and reading
 * headers run under a UTF-8 LC_CTYPE, set for this thread only (uselocale),
 * so the names come out as UTF-8 whatever the process locale is. */

static locale_t utf8_begin(const walker *w)
{
    return w->utf8 ? uselocale(w->utf8) : (locale_t)0;
}

static void utf8_end(const walker *w, locale_t saved)
{
    if (w->utf8)
        uselocale(saved);
}

/* ---- feeds -------------------------------------------------------------------- */

static void copy_err(ds_error *to, const ds_error *from)
{
    if (to)
        *to = *from;
}

static void feed_fill_head(feed *f)
{
    while (f->head_len < HEAD_MAX) {
        const unsigned char *p = NULL;
        size_t n = 0;
        ds_status rc = f->pull(f, &p, &n, &f->ferr);
        if (rc != DS_OK) {
            f->pend = rc;
            return;
        }
        size_t take = HEAD_MAX - f->head_len;
        if (take > n)
            take = n;
        if (take) /* libarchive may hand out an empty block (p NULL) */
            memcpy(f->head + f->head_len, p, take);
        f->head_len += take;
        if (take < n) {
            f->rest = p + take;
            f->rest_len = n - take;
            return;
        }
    }
}

/* Next chunk: the head, the rest of its block, then the producer. */
static ds_status feed_read(feed *f, const unsigned char **p, size_t *n, ds_error *err)
{
    if (f->head_pos < f->head_len) {
        *p = f->head + f->head_pos;
        *n = f->head_len - f->head_pos;
        f->head_pos = f->head_len;
        return DS_OK;
    }
    if (f->rest_len) {
        *p = f->rest;
        *n = f->rest_len;
        f->rest_len = 0;
        return DS_OK;
    }
    if (f->failed) {
        copy_err(err, &f->ferr);
        return f->failed;
    }
    if (f->pend == DS_DONE)
        return DS_DONE;
    if (f->pend != DS_OK) {
        f->failed = f->pend;
        copy_err(err, &f->ferr);
        return f->failed;
    }
    ds_status rc = f->pull(f, p, n, &f->ferr);
    if (rc == DS_DONE) {
        f->pend = DS_DONE;
    } else if (rc != DS_OK) {
        f->failed = rc;
        copy_err(err, &f->ferr);
    }
    return rc;
}

/* f's error reached the user: so did the errors it was made of. */
static void feed_surfaced(feed *f)
{
    walker *w = f->w;
    f->surfaced = 1;
    if (w->aborted && f->failed == DS_ELIMIT)
        w->limit_surfaced = 1;
    if (f->owner) {
        layer *L = f->owner->L;
        if (f->owner->fatal)
            L->dead_reported = 1;
        if (L->src_failed && L->src && !L->src->surfaced)
            feed_surfaced(L->src);
    }
}

/* Report f's error through on_error unless the user has seen it. */
static void feed_report(feed *f)
{
    walker *w = f->w;
    if (f->surfaced || !f->failed)
        return;
    if (f->failed == DS_ELIMIT && w->aborted) {
        if (!w->limit_surfaced)
            report(w, &w->limit_err);
    } else {
        report(w, &f->ferr);
    }
    feed_surfaced(f);
}

/* Read what is left of f (keeping the guards on), reporting a failure. */
static void feed_drain(feed *f)
{
    walker *w = f->w;
    if (w->done || w->fatal)
        return;
    for (;;) {
        const unsigned char *p;
        size_t n;
        ds_status rc = feed_read(f, &p, &n, NULL);
        if (rc == DS_DONE)
            return;
        if (rc != DS_OK)
            break;
    }
    feed_report(f);
}

/* ds_stream producer of a leaf read through a feed. */
static ds_status leaf_read(void *ctx, const unsigned char **data, size_t *len, ds_error *err)
{
    feed *f = ctx;
    ds_status rc = feed_read(f, data, len, err);
    if (rc != DS_OK && rc != DS_DONE)
        feed_surfaced(f); /* the visitor reports it */
    return rc;
}

static ds_status fd_pull(feed *f, const unsigned char **p, size_t *n, ds_error *err)
{
    for (;;) {
        ssize_t r = read(f->fd, f->buf, BLOCK_SIZE);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return ds_error_set(err, DS_EIO, "-", "read failed: %s", strerror(errno));
        if (r == 0)
            return DS_DONE;
        *p = f->buf;
        *n = (size_t)r;
        return DS_OK;
    }
}

/* ---- guards --------------------------------------------------------------------- */

static ds_status trip(walker *w, const char *where, ds_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static ds_status trip(walker *w, const char *where, ds_error *err, const char *fmt, ...)
{
    char msg[sizeof w->limit_err.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->aborted = 1;
    ds_error_set(&w->limit_err, DS_ELIMIT, where, "%s", msg);
    copy_err(err, &w->limit_err);
    return DS_ELIMIT;
}

static int ratio_above(uint64_t out, struct archive *a, double max)
{
    if (out < RATIO_FLOOR)
        return 0;
    double in = (double)archive_filter_bytes(a, -1);
    return (double)out > max * (in > 1 ? in : 1);
}

/* After more bytes came out of a member of L: still within the limits? */
static ds_status check_guards(walker *w, layer *L, const char *where, ds_error *err)
{
    const ds_walk_opts *o = w->o;
    if (o->max_bytes && w->leaf_bytes > o->max_bytes)
        return trip(w, where, err, "more than %llu decompressed bytes; use --max-bytes",
                    (unsigned long long)o->max_bytes);
    if (o->max_ratio > 0) {
        int over = 0;
        for (layer *l = L; l && !over; l = l->parent)
            over = ratio_above(l->out, l->a, o->max_ratio);
        if (!over && w->top)
            over = ratio_above(w->leaf_bytes, w->top->a, o->max_ratio);
        if (over)
            return trip(w, where, err,
                        "decompression ratio above %g (possible zip bomb); use --max-ratio",
                        o->max_ratio);
    }
    return DS_OK;
}

/* ---- archives ------------------------------------------------------------------- */

enum { K_NONE, K_ARCHIVE, K_7Z };

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* A tar header without the ustar magic (old v7 tar): the checksum says so. */
static int tar_checksum_ok(const unsigned char *h, size_t n)
{
    if (n < 512 || h[0] == 0)
        return 0;
    unsigned long want = 0;
    int digits = 0;
    for (size_t i = 148; i < 156; i++) {
        if (h[i] == ' ' && !digits)
            continue;
        if (h[i] < '0' || h[i] > '7')
            break;
        want = want * 8 + (unsigned long)(h[i] - '0');
        digits++;
    }
    if (!digits)
        return 0;
    unsigned long sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? ' ' : h[i];
    return sum == want;
}

/* What the first bytes of an input say it is. */
static int container_kind(const unsigned char *h, size_t n, const char *name)
{
    static const struct {
        const char *magic;
        size_t len;
    } magics[] = {
        {"\x1f\x8b", 2},                 /* gzip */
        {"\xfd\x37\x7a\x58\x5a\x00", 6}, /* xz */
        {"\x28\xb5\x2f\xfd", 4},         /* zstd */
        {"\x04\x22\x4d\x18", 4},         /* lz4 frame */
        {"\x02\x21\x4c\x18", 4},         /* lz4 legacy */
        {"PK\x03\x04", 4},               /* zip */
        {"PK\x05\x06", 4},               /* empty zip */
        {"PK\x07\x08", 4},               /* spanned zip marker */
        {"070707", 6},                   /* cpio odc */
        {"070701", 6},                   /* cpio newc */
        {"070702", 6},                   /* cpio newc with crc */
        {"!<arch>\n", 8},                /* ar */
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        if (n >= magics[i].len && memcmp(h, magics[i].magic, magics[i].len) == 0)
            return K_ARCHIVE;
    }
    if (n >= 4 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9')
        return K_ARCHIVE; /* bzip2 */
    if (n >= 6 && memcmp(h, "7z\xbc\xaf\x27\x1c", 6) == 0)
        return K_7Z;
    if (n >= 26 && ((h[0] == 0xc7 && h[1] == 0x71) || (h[0] == 0x71 && h[1] == 0xc7)))
        return K_ARCHIVE; /* binary cpio */
    if ((n >= 262 && memcmp(h + 257, "ustar", 5) == 0) || tar_checksum_ok(h, n))
        return K_ARCHIVE;
    if (has_suffix(name, ".tar"))
        return K_ARCHIVE; /* let libarchive bid; anything else comes back as raw */
    return K_NONE;
}

/* "data.csv.gz", "x.jsonl.zst": a name that says compressed records. */
static int compressed_leaf_name(const char *name)
{
    static const char *const comp[] = {".gz", ".bz2", ".xz", ".zst", ".zstd", ".lz4", ".lzma"};
    int compressed = 0;
    for (size_t i = 0; i < sizeof comp / sizeof comp[0] && !compressed; i++)
        compressed = has_suffix(name, comp[i]);
    /* a NUL byte of content: only the name can make it a leaf format */
    return compressed && ds_sniff_format(name, (const unsigned char *)"", 1, NULL) != DS_FORMAT_UNKNOWN;
}

/* The formats and filters of SPEC §3, plus raw (a compressed single file)
 * and empty. Not _all: that would add external-program filters and formats
 * (mtree, warc, iso9660...) that can mistake plain data for an archive. */
static struct archive *archive_new(int data_only)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_lz4(a);
    if (data_only) {
        /* "people.csv.gz": compressed data, whatever its bytes look like (a
         * run of NULs reads as the end of a tar archive and would hide the
         * rest) */
        archive_read_support_format_empty(a);
        archive_read_support_format_raw(a);
        return a;
    }
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_empty(a);
    archive_read_support_format_raw(a);
    return a;
}

static const char *archive_msg(struct archive *a)
{
    const char *m = archive_error_string(a);
    return m && *m ? m : "unknown error";
}

/* The error of a failed read in L, where = the member or archive name. */
static ds_status layer_error(layer *L, const char *where, ds_error *err)
{
    if (L->src_failed)
        return ds_error_set(err, L->src->failed, where, "%s", L->src->ferr.msg);
    return ds_error_set(err, DS_EIO, where, "corrupt or truncated data: %s", archive_msg(L->a));
}

/* L cannot go on: say so, unless the user already knows. */
static void layer_dead(layer *L)
{
    walker *w = L->w;
    if (w->aborted || L->dead_reported)
        return;
    ds_error e;
    layer_error(L, L->name, &e);
    report(w, &e);
    L->dead_reported = 1;
    if (L->src_failed && !L->src->surfaced)
        feed_surfaced(L->src);
}

static la_ssize_t layer_read_cb(struct archive *a, void *ctx, const void **buf)
{
    layer *L = ctx;
    for (;;) {
        const unsigned char *p = NULL;
        size_t n = 0;
        ds_error e;
        ds_status rc = feed_read(L->src, &p, &n, &e);
        if (rc == DS_DONE)
            return 0;
        if (rc != DS_OK) {
            L->src_failed = 1;
            archive_set_error(a, EIO, "%s", e.msg);
            return ARCHIVE_FATAL;
        }
        if (n) {
            *buf = p;
            return (la_ssize_t)n;
        }
    }
}

static const unsigned char zeros[4096];

static ds_status entry_pull(feed *f, const unsigned char **p, size_t *n, ds_error *err)
{
    entry *e = f->owner;
    layer *L = e->L;
    walker *w = L->w;
    if (w->aborted)
        return ds_error_set(err, DS_ELIMIT, e->name, "%s", w->limit_err.msg);
    if (!e->has_blk) {
        const void *b = NULL;
        size_t len = 0;
        la_int64_t off = 0;
        int r = archive_read_data_block(L->a, &b, &len, &off);
        if (r == ARCHIVE_EOF)
            return DS_DONE;
        if (r < ARCHIVE_WARN) {
            e->fatal = r == ARCHIVE_FATAL;
            return layer_error(L, e->name, err);
        }
        e->has_blk = 1;
        e->blk = b;
        e->blk_len = len;
        e->blk_off = off;
    }
    size_t got;
    if (e->blk_off > 0 && (uint64_t)e->blk_off > e->pos) {
        /* a hole in a sparse member reads as zeros */
        uint64_t gap = (uint64_t)e->blk_off - e->pos;
        got = gap < sizeof zeros ? (size_t)gap : sizeof zeros;
        *p = zeros;
    } else {
        got = e->blk_len;
        *p = e->blk;
        e->has_blk = 0;
    }
    *n = got;
    e->pos += got;
    L->out += got;
    if (!e->container)
        w->leaf_bytes += got;
    return check_guards(w, L, e->name, err);
}

/* The member is a nested archive: what comes out of it counts, not its own
 * bytes (counted so far, to keep the guard on while its head was read). */
static void feed_uncount(feed *f)
{
    entry *e = f->owner;
    if (!e || e->container)
        return;
    e->container = 1;
    f->w->leaf_bytes -= e->pos;
}

static void layer_walk(layer *L);

static void layer_run(walker *w, layer *L)
{
    layer *saved_top = w->top;
    if (!w->top)
        w->top = L;
    int r = ARCHIVE_OK;
    if (L->src) {
        locale_t saved = utf8_begin(w);
        r = archive_read_open(L->a, L, NULL, layer_read_cb, NULL);
        utf8_end(w, saved);
    }
    if (r < ARCHIVE_WARN)
        layer_dead(L);
    else
        layer_walk(L);
    w->top = saved_top;
}

static ds_status new_archive(walker *w, layer *L)
{
    L->a = archive_new(compressed_leaf_name(L->name));
    if (!L->a) {
        w->fatal = ds_error_set(w->err, DS_ENOMEM, L->name, "cannot create an archive reader");
        return DS_ENOMEM;
    }
    return DS_OK;
}

/* A leaf: hand it to the visitor. */
static void leaf(walker *w, feed *f, const char *name, ds_format fmt)
{
    ds_stream *st = NULL;
    ds_error e;
    ds_stream_open_fn(leaf_read, NULL, f, name, &w->o->stream, &st, &e);
    ds_status rc = w->v->on_input(w->v->ctx, name, fmt, st);
    ds_stream_close(st);
    if (rc == DS_DONE)
        w->done = 1;
}

/* An input read through a feed whose head is filled (stdin, a member):
 * open it as an archive one level below parent, or hand it over. may_nest
 * is 0 for what libarchive already read as raw data: it found no container
 * in those bytes, and trying again would only recurse. */
static void feed_input(walker *w, feed *f, layer *parent, const char *name, uint64_t size,
                       int may_nest)
{
    const ds_walk_opts *o = w->o;
    unsigned depth = parent ? parent->depth + 1 : 1;
    const char *reason = "";
    if (f->head_len == 0 && f->pend != DS_OK && f->pend != DS_DONE) {
        /* not one byte could be read: nothing to hand over */
        f->failed = f->pend;
        feed_report(f);
        return;
    }
    if (ds_sniff_format(name, NULL, 0, &reason) == DS_FORMAT_UNKNOWN) {
        skip(w, name, reason, size);
        return;
    }
    int kind = may_nest ? container_kind(f->head, f->head_len, name) : K_NONE;
    if (kind != K_NONE && o->max_depth == 0) {
        skip(w, name, "archive not opened (--max-depth 0)", size);
        return;
    }
    if (kind != K_NONE && depth > o->max_depth) {
        report_msg(w, DS_ELIMIT, name, "archive nesting deeper than %u; use --max-depth",
                   o->max_depth);
        return;
    }
    if (kind == K_7Z) {
        report_msg(w, DS_EUNSUPPORTED, name,
                   "7z archive not read: it needs random access, which an archive inside "
                   "another one or on stdin cannot give (extract it first)");
        return;
    }
    if (kind == K_ARCHIVE) {
        feed_uncount(f);
        layer L = {.w = w, .parent = parent, .src = f, .name = name, .depth = depth};
        if (new_archive(w, &L) != DS_OK)
            return;
        layer_run(w, &L);
        archive_read_free(L.a);
        return;
    }
    ds_format fmt = ds_sniff_format(name, f->head, f->head_len, &reason);
    if (fmt == DS_FORMAT_UNKNOWN) {
        skip(w, name, reason, size);
        return;
    }
    leaf(w, f, name, fmt);
}

/* "outer.tar.gz" + "dir/a.csv" -> "outer.tar.gz!dir/a.csv", control
 * characters in the member name shown as '?'. */
static char *member_name(const char *outer, const char *path)
{
    ds_buf b = {0};
    ds_buf_puts(&b, outer);
    ds_buf_putc(&b, '!');
    size_t start = b.len;
    ds_buf_puts(&b, path);
    for (size_t i = start; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        if (c < 0x20 || c == 0x7f)
            b.data[i] = '?';
    }
    return b.data;
}

static const char *entry_special_reason(mode_t type)
{
    switch (type) {
    case AE_IFIFO: return "special file in archive: fifo";
    case AE_IFSOCK: return "special file in archive: socket";
    case AE_IFCHR: return "special file in archive: character device";
    case AE_IFBLK: return "special file in archive: block device";
    default: return "special file in archive";
    }
}

/* The member's path in its archive (malloc'd), never NULL. */
static char *entry_path(struct archive_entry *ae)
{
    const char *p = archive_entry_pathname_utf8(ae);
    if (!p)
        p = archive_entry_pathname(ae);
    return ds_xstrdup(p && *p ? p : "?");
}

/* One member of L; path: its name in the archive (NULL for raw data). */
static void member(layer *L, struct archive_entry *ae, const char *path)
{
    walker *w = L->w;
    int raw = !path;
    /* a compressed single file keeps its own name */
    char *name = raw ? ds_xstrdup(L->name) : member_name(L->name, path);
    mode_t type = archive_entry_filetype(ae);
    const char *pat;
    if (raw) {
        /* data, whatever the entry says */
    } else if (type == AE_IFDIR) {
        goto out;
    } else if (archive_entry_hardlink(ae) || type == AE_IFLNK) {
        skip(w, name, "link entry in archive", 0);
        goto out;
    } else if (type != AE_IFREG && type != 0) {
        skip(w, name, entry_special_reason(type), 0);
        goto out;
    } else if ((pat = excluded(w, path, name))) {
        skip_excluded(w, name, pat);
        goto out;
    }
    uint64_t size = 0;
    if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0)
        size = (uint64_t)archive_entry_size(ae);
    if (!raw && archive_entry_is_data_encrypted(ae) == 1) {
        report_msg(w, DS_EUNSUPPORTED, name, "encrypted member, not read");
        goto out;
    }
    entry *e = ds_xcalloc(1, sizeof *e);
    e->f.w = w;
    e->f.owner = e;
    e->f.pull = entry_pull;
    e->L = L;
    e->name = name;
    feed_fill_head(&e->f);
    feed_input(w, &e->f, L, name, size, !raw);
    feed_drain(&e->f);
    free(e);
out:
    free(name);
}

/* An empty compressed file ("empty.csv.gz"): an empty leaf. */
static void empty_leaf(walker *w, layer *L)
{
    const char *reason;
    ds_format fmt = ds_sniff_format(L->name, NULL, 0, &reason);
    if (fmt == DS_FORMAT_UNKNOWN) {
        skip(w, L->name, reason, 0);
        return;
    }
    ds_stream *st = NULL;
    ds_stream_open_mem("", 0, L->name, &w->o->stream, &st, NULL);
    ds_status rc = w->v->on_input(w->v->ctx, L->name, fmt, st);
    ds_stream_close(st);
    if (rc == DS_DONE)
        w->done = 1;
}

static void layer_walk(layer *L)
{
    walker *w = L->w;
    unsigned retries = 0;
    while (!w->done && !w->aborted && !w->fatal) {
        struct archive_entry *ae = NULL;
        locale_t saved = utf8_begin(w);
        int r = archive_read_next_header(L->a, &ae);
        char *path = NULL;
        if ((r == ARCHIVE_OK || r == ARCHIVE_WARN) && archive_format(L->a) != ARCHIVE_FORMAT_RAW)
            path = entry_path(ae);
        utf8_end(w, saved);
        if (r == ARCHIVE_EOF) {
            if (L->entries == 0 && archive_format(L->a) == ARCHIVE_FORMAT_EMPTY &&
                archive_filter_count(L->a) > 1)
                empty_leaf(w, L);
            else if (L->entries == 0 && archive_filter_count(L->a) > 1 &&
                     (archive_format(L->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR)
                /* a tar end marker first: an empty .tar.gz, or compressed data
                 * that starts with NUL bytes, whose rest would go unseen */
                report_msg(w, DS_EFORMAT, L->name,
                           "compressed data read as an empty tar archive (it starts with "
                           "NUL bytes): nothing in it was scanned");
            return;
        }
        if (r == ARCHIVE_FATAL || (r < ARCHIVE_WARN && ++retries > MAX_HEADER_RETRIES)) {
            layer_dead(L);
            return;
        }
        if (r < ARCHIVE_WARN) {
            /* this header is bad; the next one may not be */
            report_msg(w, DS_EIO, L->name, "corrupt or truncated data: %s", archive_msg(L->a));
            continue;
        }
        retries = 0;
        if (L->entries == 0 && archive_format(L->a) == ARCHIVE_FORMAT_RAW &&
            archive_filter_count(L->a) <= 1 && !has_suffix(L->name, ".tar")) {
            /* the magic said compressed, yet no decompressor took it: the
             * header itself is cut short (an 8-byte ".gz") */
            free(path);
            report_msg(w, DS_EIO, L->name,
                       "corrupt or truncated data: compressed stream too short to decode");
            return;
        }
        L->entries++;
        if (w->o->max_entries && L->entries > w->o->max_entries) {
            report_msg(w, DS_ELIMIT, L->name,
                       "more than %llu members in archive; use --max-entries",
                       (unsigned long long)w->o->max_entries);
            free(path);
            return;
        }
        member(L, ae, path);
        free(path);
    }
}

/* ---- top-level inputs ----------------------------------------------------------- */

static ssize_t read_head(int fd, unsigned char *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t r = pread(fd, buf + got, cap - got, (off_t)got);
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

ds_format ds_walk_probe_leaf(const char *path, const ds_walk_opts *opts, uint64_t *size)
{
    const char *reason = "";
    *size = 0;
    if (ds_sniff_format(path, NULL, 0, &reason) == DS_FORMAT_UNKNOWN)
        return DS_FORMAT_UNKNOWN;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return DS_FORMAT_UNKNOWN;
    struct stat st;
    unsigned char head[HEAD_MAX];
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        n = read_head(fd, head, sizeof head);
    close(fd);
    if (n < 0)
        return DS_FORMAT_UNKNOWN;
    (void)opts;
    if (container_kind(head, (size_t)n, path) != K_NONE)
        return DS_FORMAT_UNKNOWN; /* skipped or opened as an archive: not split */
    if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        return DS_FORMAT_UNKNOWN; /* UTF-16: bytes do not cut on lines */
    ds_format fmt = ds_sniff_format(path, head, (size_t)n, &reason);
    *size = (uint64_t)st.st_size;
    return fmt;
}

static void walk_file(walker *w, const char *path, int nofollow)
{
    if (w->o->ranged && w->o->range_start > 0) {
        /* a later range of a file that is no longer a plain leaf (it changed
         * since it was cut): range 0 reads and reports all of it */
        uint64_t sz;
        if (!ds_split_format_ok(ds_walk_probe_leaf(path, w->o, &sz)))
            return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0) {
        report_msg(w, DS_EIO, path, "cannot open: %s", strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        report_msg(w, DS_EIO, path, "cannot open: %s", strerror(errno));
        close(fd);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        skip(w, path, special_reason(st.st_mode), 0);
        close(fd);
        return;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    uint64_t size = (uint64_t)st.st_size;
    const char *reason = "";
    if (ds_sniff_format(path, NULL, 0, &reason) == DS_FORMAT_UNKNOWN) {
        skip(w, path, reason, size);
        close(fd);
        return;
    }
    unsigned char head[HEAD_MAX];
    ssize_t n = read_head(fd, head, sizeof head);
    if (n < 0) {
        report_msg(w, DS_EIO, path, "read failed: %s", strerror(errno));
        close(fd);
        return;
    }
    int kind = container_kind(head, (size_t)n, path);
    if (kind != K_NONE) {
        if (w->o->max_depth == 0) {
            skip(w, path, "archive not opened (--max-depth 0)", size);
        } else {
            layer L = {.w = w, .name = path, .depth = 1};
            if (new_archive(w, &L) == DS_OK) {
                locale_t saved = utf8_begin(w);
                int r = archive_read_open_fd(L.a, fd, BLOCK_SIZE);
                utf8_end(w, saved);
                if (r < ARCHIVE_WARN)
                    layer_dead(&L);
                else
                    layer_run(w, &L);
                archive_read_free(L.a);
            }
        }
        close(fd);
        return;
    }
    ds_format fmt = ds_sniff_format(path, head, (size_t)n, &reason);
    if (fmt == DS_FORMAT_UNKNOWN) {
        skip(w, path, reason, size);
        close(fd);
        return;
    }
    ds_stream *s = NULL;
    if (w->o->ranged) {
        /* one range of the file: a BOM can only open range 0 */
        ds_stream_opts so = w->o->stream;
        if (w->o->range_start > 0)
            so.decode = 0;
        uint64_t end = w->o->range_end < size ? w->o->range_end : size;
        uint64_t start = w->o->range_start < end ? w->o->range_start : end;
        ds_stream_open_fd_range(fd, 1, start, end - start, path, &so, &s, NULL);
    } else {
        ds_stream_open_fd(fd, 1, path, &w->o->stream, &s, NULL);
    }
    ds_status rc = w->v->on_input(w->v->ctx, path, fmt, s);
    ds_stream_close(s);
    if (rc == DS_DONE)
        w->done = 1;
}

static void walk_stdin(walker *w)
{
    feed *f = ds_xcalloc(1, sizeof *f);
    f->w = w;
    f->pull = fd_pull;
    f->fd = 0;
    f->buf = ds_xmalloc(BLOCK_SIZE);
    feed_fill_head(f);
    feed_input(w, f, NULL, "-", 0, 1);
    free(f->buf);
    free(f);
}

/* Read one top-level input. */
static void walk_input(walker *w, const char *path, int nofollow)
{
    w->top = NULL;
    w->leaf_bytes = 0;
    w->aborted = 0;
    w->limit_surfaced = 0;
    if (strcmp(path, "-") == 0)
        walk_stdin(w);
    else
        walk_file(w, path, nofollow);
    if (w->aborted && !w->limit_surfaced)
        report(w, &w->limit_err);
    w->aborted = 0;
}

/* ---- the filesystem ------------------------------------------------------------- */

static ds_status unit(walker *w, const char *path, int nofollow)
{
    if (w->on_unit)
        return w->on_unit(w->v->ctx, path);
    walk_input(w, path, nofollow);
    if (w->fatal)
        return w->fatal;
    return w->done ? DS_DONE : DS_OK;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static char *join_path(const char *dir, const char *name)
{
    ds_buf b = {0};
    ds_buf_puts(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        ds_buf_putc(&b, '/');
    ds_buf_puts(&b, name);
    return b.data;
}

static ds_status visit(walker *w, const char *path, int top);

static ds_status visit_dir(walker *w, const char *path, const struct stat *st, int via_link)
{
    for (size_t i = 0; i < w->nanc; i++) {
        if (w->anc[i].dev == st->st_dev && w->anc[i].ino == st->st_ino) {
            skip(w, path, via_link ? "symbolic link loop" : "directory loop", 0);
            return DS_OK;
        }
    }
    struct dirent **list = NULL;
    int n = scandir(path, &list, NULL, by_name);
    if (n < 0) {
        report_msg(w, DS_EIO, path, "cannot read directory: %s", strerror(errno));
        return DS_OK;
    }
    w->anc = ds_xgrow(w->anc, &w->canc, w->nanc + 1, sizeof *w->anc);
    w->anc[w->nanc].dev = st->st_dev;
    w->anc[w->nanc].ino = st->st_ino;
    w->nanc++;
    ds_status rc = DS_OK;
    for (int i = 0; i < n; i++) {
        const char *d = list[i]->d_name;
        if (rc == DS_OK && strcmp(d, ".") != 0 && strcmp(d, "..") != 0) {
            char *child = join_path(path, d);
            rc = visit(w, child, 0);
            free(child);
        }
        free(list[i]);
    }
    free(list);
    w->nanc--;
    return rc;
}

static ds_status visit(walker *w, const char *path, int top)
{
    if (top && strcmp(path, "-") == 0)
        return unit(w, path, 0);
    const char *pat = excluded(w, path, NULL);
    if (pat) {
        skip_excluded(w, path, pat);
        return DS_OK;
    }
    struct stat st;
    if (lstat(path, &st) != 0) {
        report_msg(w, DS_EIO, path, "cannot open: %s", strerror(errno));
        return DS_OK;
    }
    int via_link = 0;
    if (S_ISLNK(st.st_mode)) {
        if (!top && !w->o->follow_symlinks) {
            skip(w, path, "symbolic link not followed (use --follow-symlinks)", 0);
            return DS_OK;
        }
        if (stat(path, &st) != 0) {
            if (!top && errno == ELOOP)
                skip(w, path, "symbolic link loop", 0);
            else if (!top && errno == ENOENT)
                skip(w, path, "broken symbolic link", 0);
            else
                report_msg(w, DS_EIO, path, "cannot open: %s", strerror(errno));
            return DS_OK;
        }
        via_link = 1;
    }
    if (S_ISDIR(st.st_mode))
        return visit_dir(w, path, &st, via_link);
    if (S_ISREG(st.st_mode))
        return unit(w, path, !top && !via_link);
    skip(w, path, special_reason(st.st_mode), 0);
    return DS_OK;
}

static ds_status run(const char *const *paths, size_t n, const ds_walk_opts *opts,
                     const ds_walk_visitor *v, ds_walk_unit_fn on_unit, ds_error *err)
{
    ds_walk_opts defaults;
    if (!opts) {
        ds_walk_opts_default(&defaults);
        opts = &defaults;
    }
    walker w;
    memset(&w, 0, sizeof w);
    w.o = opts;
    w.v = v;
    w.on_unit = on_unit;
    w.err = err;
    w.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    ds_status rc = DS_OK;
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        if (!paths[i])
            continue;
        rc = visit(&w, paths[i], 1);
    }
    free(w.anc);
    if (w.utf8)
        freelocale(w.utf8);
    return rc;
}

ds_status ds_walk(const char *const *paths, size_t n, const ds_walk_opts *opts,
                  const ds_walk_visitor *v, ds_error *err)
{
    if ((!paths && n) || !v || !v->on_input)
        return ds_error_set(err, DS_EINVAL, "walk", "no paths or no visitor");
    return run(paths, n, opts, v, NULL, err);
}

ds_status ds_walk_expand(const char *const *paths, size_t n, const ds_walk_opts *opts,
                         const ds_walk_visitor *v, ds_walk_unit_fn on_unit, ds_error *err)
{
    if ((!paths && n) || !v || !on_unit)
        return ds_error_set(err, DS_EINVAL, "walk", "no paths, visitor or unit callback");
    return run(paths, n, opts, v, on_unit, err);
}
