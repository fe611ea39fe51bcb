/* input: text reader (SPEC §4): one record per line, one field named "text".
 *
 * The record index is the line number. Blank lines (empty, or only "\r") are
 * counted but not delivered; a trailing "\r" is dropped. A line longer than
 * max_field is delivered in overlapping windows, one record part each. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/utf8.h"
#include "input/source_impl.h"

/* ---- windows over an oversized value -------------------------------------
 * Kept in step with the copy in source_csv.c.
 *
 * Bytes are decoded to valid UTF-8 as they are appended (an invalid byte
 * becomes its Windows-1252 character), so windows, value_off and own_len are
 * in decoded bytes. A window holds at most `max` bytes and never ends inside
 * a character. The next window starts `overlap` bytes before the end of the
 * previous one, moved forward to a character start: for non-ASCII text a
 * window can be up to 3 bytes shorter, and an overlap up to 3 bytes smaller. */
typedef struct vwin {
    char *buf;
    size_t len;
    size_t max, overlap;
    uint64_t off;          /* offset of buf[0] in the whole value */
    size_t drop;           /* front bytes to drop once the window handed out is done with */
    unsigned char pend[4]; /* start of a multi-byte sequence cut by the input */
    size_t npend;
    int windowed; /* at least one window was cut */
    int repaired; /* some byte was read as Windows-1252 */
    ds_buf one;   /* scratch for one re-decoded byte */
} vwin;

static void vwin_init(vwin *w, size_t max, size_t overlap)
{
    memset(w, 0, sizeof *w);
    w->buf = ds_xmalloc(max);
    w->max = max;
    w->overlap = overlap;
}

static void vwin_free(vwin *w)
{
    free(w->buf);
    ds_buf_free(&w->one);
}

static void vwin_reset(vwin *w)
{
    w->len = 0;
    w->off = 0;
    w->drop = 0;
    w->npend = 0;
    w->windowed = 0;
    w->repaired = 0;
}

/* Drop the part of the last window handed out that the next one does not share. */
static void vwin_settle(vwin *w)
{
    if (!w->drop)
        return;
    memmove(w->buf, w->buf + w->drop, w->len - w->drop);
    w->len -= w->drop;
    w->off += w->drop;
    w->drop = 0;
}

/* Append one whole character (or nothing when it does not fit). */
static int vwin_unit(vwin *w, const void *p, size_t n)
{
    if (w->len + n > w->max)
        return 0;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 1;
}

/* Append byte b read as Windows-1252. */
static int vwin_bad(vwin *w, unsigned char b)
{
    ds_buf_reset(&w->one);
    ds_utf8_repair((const char *)&b, 1, &w->one);
    if (!vwin_unit(w, w->one.data, w->one.len))
        return 0;
    w->repaired = 1;
    return 1;
}

/* Append raw bytes; returns how many were taken. Fewer than n means the
 * window is full: cut it (vwin_cut), then append the rest. */
static size_t vwin_put(vwin *w, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (w->npend) {
            unsigned char t[4];
            size_t m = w->npend + 1;
            memcpy(t, w->pend, w->npend);
            t[w->npend] = s[i];
            if (ds_utf8_valid_prefix((const char *)t, m) == m) {
                if (ds_utf8_incomplete_tail((const char *)t, m)) {
                    w->pend[w->npend++] = s[i++];
                    continue;
                }
                if (!vwin_unit(w, t, m))
                    return i;
                w->npend = 0;
                i++;
                continue;
            }
            /* the pending lead byte does not start a valid sequence */
            if (!vwin_bad(w, w->pend[0]))
                return i;
            memmove(w->pend, w->pend + 1, --w->npend);
            continue;
        }
        size_t room = w->max - w->len;
        if (room == 0)
            return i;
        size_t span = n - i < room ? n - i : room;
        const char *p = (const char *)s + i;
        size_t ok = ds_utf8_valid_prefix(p, span);
        if (ok == span) {
            size_t tail = ds_utf8_incomplete_tail(p, span);
            memcpy(w->buf + w->len, p, span - tail);
            w->len += span - tail;
            i += span - tail;
            if (!tail)
                continue;
            if (i + tail < n)
                return i; /* the character does not fit in this window */
            memcpy(w->pend, p + span - tail, tail);
            w->npend = tail;
            i += tail;
            continue;
        }
        memcpy(w->buf + w->len, p, ok);
        w->len += ok;
        i += ok;
        if (!vwin_bad(w, s[i]))
            return i;
        i++;
    }
    return i;
}

/* At the end of the value: a sequence still pending was cut, so it is invalid.
 * 0 when the window must be cut first. */
static int vwin_flush(vwin *w)
{
    while (w->npend) {
        if (!vwin_bad(w, w->pend[0]))
            return 0;
        memmove(w->pend, w->pend + 1, --w->npend);
    }
    return 1;
}

/* Hand out the full window as f; the next window starts at f->own_len. */
static void vwin_cut(vwin *w, ds_field *f)
{
    size_t start = w->len - w->overlap;
    while (start < w->len && ((unsigned char)w->buf[start] & 0xC0) == 0x80)
        start++;
    f->value = w->buf;
    f->value_len = w->len;
    f->value_off = w->off;
    f->own_len = start;
    w->drop = start;
    w->windowed = 1;
}

typedef struct text_impl {
    vwin win;
    const unsigned char *cur;
    size_t cur_len;
    int at_end;
    uint64_t line; /* line in progress, 1-based */
    int in_line;   /* bytes of the line in progress were read */
    int eol;       /* the line in progress has ended: finish and deliver it */
    int held_cr;   /* a "\r" ended the bytes so far: content only if more follows */
    int handed;    /* 1: a part was handed out, 2: a whole line */
    ds_field field;
    ds_record rec;
} text_impl;

static const ds_record *text_record(text_impl *t, int more)
{
    t->field.name = "text";
    t->field.name_len = 4;
    t->rec.index = t->line;
    t->rec.line = t->line;
    t->rec.fields = &t->field;
    t->rec.nfields = 1;
    t->rec.more = more;
    t->handed = more ? 1 : 2;
    return &t->rec;
}

/* The line in progress ended; NULL when it was blank. */
static const ds_record *text_finish(ds_source *src, text_impl *t)
{
    vwin *w = &t->win;
    t->held_cr = 0; /* the line's trailing "\r" */
    if (!vwin_flush(w)) {
        vwin_cut(w, &t->field);
        return text_record(t, 1);
    }
    t->eol = 0;
    if (!w->len && !w->windowed) {
        vwin_reset(w);
        t->line++;
        return NULL;
    }
    if (w->windowed)
        src->stats.windowed++;
    if (w->repaired)
        src->stats.invalid_utf8++;
    t->field.value = w->buf;
    t->field.value_len = w->len;
    t->field.value_off = w->off;
    t->field.own_len = w->len;
    return text_record(t, 0);
}

static ds_status text_next(ds_source *src, const ds_record **rec, ds_error *err)
{
    text_impl *t = src->impl;
    vwin *w = &t->win;
    if (t->handed == 1) {
        vwin_settle(w);
    } else if (t->handed == 2) {
        vwin_reset(w);
        t->line++;
    }
    t->handed = 0;
    for (;;) {
        if (t->eol) {
            if ((*rec = text_finish(src, t)) != NULL)
                return DS_OK;
            continue;
        }
        if (!t->cur_len && !t->at_end) {
            ds_status rc = ds_stream_next(src->st, &t->cur, &t->cur_len, err);
            if (rc == DS_DONE)
                t->at_end = 1;
            else if (rc != DS_OK)
                return rc;
            continue;
        }
        if (!t->cur_len) {
            if (!t->in_line)
                return DS_DONE;
            t->in_line = 0;
            t->eol = 1;
            src->stats.lines++;
            continue;
        }
        const unsigned char *nl = memchr(t->cur, '\n', t->cur_len);
        size_t span = nl ? (size_t)(nl - t->cur) : t->cur_len;
        if (t->held_cr && span) {
            if (!vwin_put(w, (const unsigned char *)"\r", 1)) {
                vwin_cut(w, &t->field);
                *rec = text_record(t, 1);
                return DS_OK;
            }
            t->held_cr = 0;
        }
        /* A "\r" that ends the span is held back, so that a line's trailing
         * "\r" never takes room in a window, wherever the chunks end. */
        int cr = span && t->cur[span - 1] == '\r';
        size_t body = span - (size_t)cr;
        size_t k = vwin_put(w, t->cur, body);
        t->cur += k;
        t->cur_len -= k;
        if (span)
            t->in_line = 1;
        if (k < body) {
            vwin_cut(w, &t->field);
            *rec = text_record(t, 1);
            return DS_OK;
        }
        if (cr) {
            t->cur++;
            t->cur_len--;
            t->held_cr = 1;
        }
        if (nl) {
            t->cur++;
            t->cur_len--;
            t->in_line = 0;
            t->eol = 1;
            src->stats.lines++;
        }
    }
}

static ds_status text_open(ds_source *src, ds_error *err)
{
    (void)err;
    text_impl *t = ds_xcalloc(1, sizeof *t);
    vwin_init(&t->win, src->opts.max_field, src->opts.window_overlap);
    t->line = 1 + src->opts.line_base;
    src->impl = t;
    return DS_OK;
}

static void text_close(ds_source *src)
{
    text_impl *t = src->impl;
    if (!t)
        return;
    vwin_free(&t->win);
    free(t);
    src->impl = NULL;
}

const ds_source_ops ds_source_text_ops = {"text", text_open, text_next, text_close};
