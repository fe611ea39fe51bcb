/* input: ds_stream, byte chunks from fd, memory or a producer, with BOM
 * handling and UTF-16 -> UTF-8 transcoding (see stream.h). */
#include "input/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mem.h"
#include "common/utf8.h"

enum { SRC_FD, SRC_MEM, SRC_FN };
enum { ENC_UTF8, ENC_UTF8_BOM, ENC_UTF16LE, ENC_UTF16BE };

#define IOBUF_SIZE (256u * 1024u)

struct ds_stream {
    char *name;
    ds_stream_opts opts;
    int kind;
    /* SRC_FD */
    int fd, own_fd;
    unsigned char *iobuf;
    int ranged;              /* read [roff, roff + rlen) with pread */
    uint64_t roff, rlen, rpos;
    /* SRC_MEM */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    /* SRC_FN */
    ds_stream_read_fn fn;
    ds_stream_close_fn close_fn;
    void *ctx;

    /* raw bytes not yet decoded */
    const unsigned char *raw;
    size_t raw_len;
    int raw_eof;

    /* decoding */
    int enc_checked, enc;
    unsigned char head[4];
    size_t head_len, head_pos;
    unsigned char carry[4]; /* UTF-16: partial code unit or pending high surrogate */
    size_t ncarry;
    unsigned char *dbuf;
    size_t dcap;

    /* decoded bytes not yet handed out */
    const unsigned char *pend;
    size_t pend_len;

    /* peek buffer: decoded bytes gathered by ds_stream_peek, handed out first */
    unsigned char *pk;
    size_t pk_len, pk_pos, pk_cap;

    uint64_t offset;
    ds_status failed; /* DS_OK, or the sticky error */
    ds_error ferr;
};

static ds_stream *stream_new(const char *name, const ds_stream_opts *opts, int kind)
{
    ds_stream *s = ds_xcalloc(1, sizeof *s);
    s->name = ds_xstrdup(name ? name : "-");
    if (opts)
        s->opts = *opts;
    s->kind = kind;
    s->fd = -1;
    return s;
}

ds_status ds_stream_open_fd(int fd, int own_fd, const char *name, const ds_stream_opts *opts,
                            ds_stream **out, ds_error *err)
{
    (void)err;
    ds_stream *s = stream_new(name, opts, SRC_FD);
    s->fd = fd;
    s->own_fd = own_fd;
    s->iobuf = ds_xmalloc(IOBUF_SIZE);
    *out = s;
    return DS_OK;
}

ds_status ds_stream_open_fd_range(int fd, int own_fd, uint64_t off, uint64_t len,
                                  const char *name, const ds_stream_opts *opts, ds_stream **out,
                                  ds_error *err)
{
    ds_status rc = ds_stream_open_fd(fd, own_fd, name, opts, out, err);
    if (rc == DS_OK) {
        (*out)->ranged = 1;
        (*out)->roff = off;
        (*out)->rlen = len;
    }
    return rc;
}

ds_status ds_stream_open_mem(const void *data, size_t len, const char *name,
                             const ds_stream_opts *opts, ds_stream **out, ds_error *err)
{
    (void)err;
    ds_stream *s = stream_new(name, opts, SRC_MEM);
    s->mem = data;
    s->mem_len = len;
    *out = s;
    return DS_OK;
}

ds_status ds_stream_open_fn(ds_stream_read_fn read_fn, ds_stream_close_fn close_fn, void *ctx,
                            const char *name, const ds_stream_opts *opts, ds_stream **out,
                            ds_error *err)
{
    (void)err;
    ds_stream *s = stream_new(name, opts, SRC_FN);
    s->fn = read_fn;
    s->close_fn = close_fn;
    s->ctx = ctx;
    *out = s;
    return DS_OK;
}

/* Next raw chunk from the producer into s->raw; DS_DONE at end. */
static ds_status raw_fill(ds_stream *s, ds_error *err)
{
    if (s->raw_len)
        return DS_OK;
    if (s->raw_eof)
        return DS_DONE;
    for (;;) {
        switch (s->kind) {
        case SRC_MEM:
            if (s->mem_pos >= s->mem_len) {
                s->raw_eof = 1;
                return DS_DONE;
            }
            s->raw = s->mem + s->mem_pos;
            s->raw_len = s->mem_len - s->mem_pos;
            s->mem_pos = s->mem_len;
            return DS_OK;
        case SRC_FD: {
            ssize_t r;
            if (s->ranged) {
                uint64_t left = s->rlen - s->rpos;
                size_t want = left < IOBUF_SIZE ? (size_t)left : IOBUF_SIZE;
                r = want ? pread(s->fd, s->iobuf, want, (off_t)(s->roff + s->rpos)) : 0;
                if (r > 0)
                    s->rpos += (uint64_t)r;
            } else {
                r = read(s->fd, s->iobuf, IOBUF_SIZE);
            }
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                return ds_error_set(err, DS_EIO, s->name, "read failed: %s", strerror(errno));
            }
            if (r == 0) {
                s->raw_eof = 1;
                return DS_DONE;
            }
            s->raw = s->iobuf;
            s->raw_len = (size_t)r;
            return DS_OK;
        }
        default: {
            const unsigned char *p = NULL;
            size_t n = 0;
            ds_status rc = s->fn(s->ctx, &p, &n, err);
            if (rc == DS_DONE) {
                s->raw_eof = 1;
                return DS_DONE;
            }
            if (rc != DS_OK)
                return rc;
            if (n == 0)
                continue;
            s->raw = p;
            s->raw_len = n;
            return DS_OK;
        }
        }
    }
}

/* Gather up to 4 raw bytes to look for a BOM. */
static ds_status check_encoding(ds_stream *s, ds_error *err)
{
    s->enc_checked = 1;
    s->enc = ENC_UTF8;
    if (!s->opts.decode)
        return DS_OK;
    while (s->head_len < 4) {
        ds_status rc = raw_fill(s, err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK)
            return rc;
        size_t take = 4 - s->head_len;
        if (take > s->raw_len)
            take = s->raw_len;
        memcpy(s->head + s->head_len, s->raw, take);
        s->head_len += take;
        s->raw += take;
        s->raw_len -= take;
    }
    const unsigned char *h = s->head;
    if (s->head_len >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        s->enc = ENC_UTF8_BOM;
        s->head_pos = 3;
    } else if (s->head_len >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        s->enc = ENC_UTF16LE;
        s->head_pos = 2;
    } else if (s->head_len >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        s->enc = ENC_UTF16BE;
        s->head_pos = 2;
    }
    return DS_OK;
}

/* Transcode UTF-16 bytes in[0..n) (with the carry) into s->dbuf. */
static size_t utf16_decode(ds_stream *s, const unsigned char *in, size_t n, int final)
{
    size_t need = (n + s->ncarry) / 2 * 3 + 8;
    if (need > s->dcap) {
        s->dbuf = ds_xrealloc(s->dbuf, need);
        s->dcap = need;
    }
    size_t o = 0, i = 0;
    int be = s->enc == ENC_UTF16BE;
    for (;;) {
        /* assemble one code unit from carry + input */
        while (s->ncarry < 2 && i < n)
            s->carry[s->ncarry++] = in[i++];
        if (s->ncarry < 2)
            break;
        unsigned u = be ? (unsigned)(s->carry[0] << 8 | s->carry[1])
                        : (unsigned)(s->carry[1] << 8 | s->carry[0]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            /* need the low surrogate: carry holds 2 bytes, gather 2 more */
            while (s->ncarry < 4 && i < n)
                s->carry[s->ncarry++] = in[i++];
            if (s->ncarry < 4)
                break;
            unsigned l = be ? (unsigned)(s->carry[2] << 8 | s->carry[3])
                            : (unsigned)(s->carry[3] << 8 | s->carry[2]);
            if (l >= 0xDC00 && l <= 0xDFFF) {
                unsigned long cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + (l - 0xDC00);
                o += ds_utf8_encode(cp, (char *)s->dbuf + o);
                s->ncarry = 0;
            } else {
                o += ds_utf8_encode(0xFFFD, (char *)s->dbuf + o);
                /* the second unit starts the next character */
                s->carry[0] = s->carry[2];
                s->carry[1] = s->carry[3];
                s->ncarry = 2;
            }
            continue;
        }
        o += ds_utf8_encode(u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u, (char *)s->dbuf + o);
        s->ncarry = 0;
    }
    if (final && s->ncarry) {
        o += ds_utf8_encode(0xFFFD, (char *)s->dbuf + o);
        s->ncarry = 0;
    }
    return o;
}

/* Fill s->pend with the next decoded chunk. */
static ds_status decoded_fill(ds_stream *s, ds_error *err)
{
    if (s->pend_len)
        return DS_OK;
    if (!s->enc_checked) {
        ds_status rc = check_encoding(s, err);
        if (rc != DS_OK)
            return rc;
    }
    for (;;) {
        const unsigned char *p;
        size_t n;
        int final = 0;
        if (s->head_pos < s->head_len) {
            p = s->head + s->head_pos;
            n = s->head_len - s->head_pos;
            s->head_pos = s->head_len;
        } else {
            ds_status rc = raw_fill(s, err);
            if (rc == DS_DONE) {
                if ((s->enc == ENC_UTF16LE || s->enc == ENC_UTF16BE) && s->ncarry) {
                    size_t o = utf16_decode(s, NULL, 0, 1);
                    s->pend = s->dbuf;
                    s->pend_len = o;
                    return DS_OK;
                }
                return DS_DONE;
            }
            if (rc != DS_OK)
                return rc;
            p = s->raw;
            n = s->raw_len;
            s->raw_len = 0;
        }
        if (s->enc == ENC_UTF16LE || s->enc == ENC_UTF16BE) {
            size_t o = utf16_decode(s, p, n, final);
            if (o == 0)
                continue;
            s->pend = s->dbuf;
            s->pend_len = o;
        } else {
            s->pend = p;
            s->pend_len = n;
        }
        return DS_OK;
    }
}

static ds_status fail(ds_stream *s, ds_status rc, ds_error *err)
{
    s->failed = rc;
    if (err)
        s->ferr = *err;
    else
        ds_error_set(&s->ferr, rc, s->name, "%s", ds_status_str(rc));
    return rc;
}

ds_status ds_stream_next(ds_stream *s, const unsigned char **data, size_t *len, ds_error *err)
{
    if (s->failed) {
        if (err)
            *err = s->ferr;
        return s->failed;
    }
    size_t cap = s->opts.chunk ? s->opts.chunk : (size_t)-1;
    if (s->pk_pos < s->pk_len) {
        size_t n = s->pk_len - s->pk_pos;
        if (n > cap)
            n = cap;
        *data = s->pk + s->pk_pos;
        *len = n;
        s->pk_pos += n;
        s->offset += n;
        return DS_OK;
    }
    ds_status rc = decoded_fill(s, err);
    if (rc == DS_DONE)
        return DS_DONE;
    if (rc != DS_OK)
        return fail(s, rc, err);
    size_t n = s->pend_len < cap ? s->pend_len : cap;
    *data = s->pend;
    *len = n;
    s->pend += n;
    s->pend_len -= n;
    s->offset += n;
    return DS_OK;
}

ds_status ds_stream_peek(ds_stream *s, size_t want, const unsigned char **data, size_t *len,
                         ds_error *err)
{
    if (s->failed) {
        if (err)
            *err = s->ferr;
        return s->failed;
    }
    /* keep unread peeked bytes at the front */
    if (s->pk_pos) {
        memmove(s->pk, s->pk + s->pk_pos, s->pk_len - s->pk_pos);
        s->pk_len -= s->pk_pos;
        s->pk_pos = 0;
    }
    while (s->pk_len < want) {
        ds_status rc = decoded_fill(s, err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK)
            return fail(s, rc, err);
        size_t take = want - s->pk_len;
        if (take > s->pend_len)
            take = s->pend_len;
        if (s->pk_len + take > s->pk_cap) {
            s->pk_cap = s->pk_len + take > 4096 ? s->pk_len + take : 4096;
            s->pk = ds_xrealloc(s->pk, s->pk_cap);
        }
        memcpy(s->pk + s->pk_len, s->pend, take);
        s->pk_len += take;
        s->pend += take;
        s->pend_len -= take;
    }
    *data = s->pk;
    *len = s->pk_len < want ? s->pk_len : want;
    return DS_OK;
}

int ds_stream_is_file(const ds_stream *s)
{
    return s->kind == SRC_FD;
}

const char *ds_stream_name(const ds_stream *s)
{
    return s->name;
}

uint64_t ds_stream_offset(const ds_stream *s)
{
    return s->offset;
}

const char *ds_stream_encoding(const ds_stream *s)
{
    switch (s->enc) {
    case ENC_UTF8_BOM: return "utf-8-bom";
    case ENC_UTF16LE: return "utf-16le";
    case ENC_UTF16BE: return "utf-16be";
    default: return "utf-8";
    }
}

void ds_stream_close(ds_stream *s)
{
    if (!s)
        return;
    if (s->kind == SRC_FD && s->own_fd && s->fd >= 0)
        close(s->fd);
    if (s->kind == SRC_FN && s->close_fn)
        s->close_fn(s->ctx);
    free(s->iobuf);
    free(s->dbuf);
    free(s->pk);
    free(s->name);
    free(s);
}
