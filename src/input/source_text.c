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

#include "input/vwin.h"

typedef struct text_impl {
    ds_vwin win;
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
    ds_vwin *w = &t->win;
    t->held_cr = 0; /* the line's trailing "\r" */
    if (!ds_vwin_flush(w)) {
        ds_vwin_cut(w, &t->field);
        return text_record(t, 1);
    }
    t->eol = 0;
    if (!w->len && !w->windowed) {
        ds_vwin_reset(w);
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
    ds_vwin *w = &t->win;
    if (t->handed == 1) {
        ds_vwin_settle(w);
    } else if (t->handed == 2) {
        ds_vwin_reset(w);
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
            if (!ds_vwin_put(w, (const unsigned char *)"\r", 1)) {
                ds_vwin_cut(w, &t->field);
                *rec = text_record(t, 1);
                return DS_OK;
            }
            t->held_cr = 0;
        }
        /* A "\r" that ends the span is held back, so that a line's trailing
         * "\r" never takes room in a window, wherever the chunks end. */
        int cr = span && t->cur[span - 1] == '\r';
        size_t body = span - (size_t)cr;
        size_t k = ds_vwin_put(w, t->cur, body);
        t->cur += k;
        t->cur_len -= k;
        if (span)
            t->in_line = 1;
        if (k < body) {
            ds_vwin_cut(w, &t->field);
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
    ds_vwin_init(&t->win, src->opts.max_field, src->opts.window_overlap);
    t->line = 1 + src->opts.line_base;
    src->impl = t;
    return DS_OK;
}

static void text_close(ds_source *src)
{
    text_impl *t = src->impl;
    if (!t)
        return;
    ds_vwin_free(&t->win);
    free(t);
    src->impl = NULL;
}

const ds_source_ops ds_source_text_ops = {"text", text_open, text_next, text_close};
