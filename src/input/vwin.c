/* input: windows over an oversized value (see vwin.h). */
#include "input/vwin.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/utf8.h"


void ds_vwin_init(ds_vwin *w, size_t max, size_t overlap)
{
    memset(w, 0, sizeof *w);
    w->buf = ds_xmalloc(max);
    w->max = max;
    w->overlap = overlap;
}

void ds_vwin_free(ds_vwin *w)
{
    free(w->buf);
    ds_buf_free(&w->one);
}

void ds_vwin_reset(ds_vwin *w)
{
    w->len = 0;
    w->off = 0;
    w->drop = 0;
    w->npend = 0;
    w->windowed = 0;
    w->repaired = 0;
}

/* Drop the part of the last window handed out that the next one does not share. */
void ds_vwin_settle(ds_vwin *w)
{
    if (!w->drop)
        return;
    memmove(w->buf, w->buf + w->drop, w->len - w->drop);
    w->len -= w->drop;
    w->off += w->drop;
    w->drop = 0;
}

/* Append one whole character (or nothing when it does not fit). */
static int ds_vwin_unit(ds_vwin *w, const void *p, size_t n)
{
    if (w->len + n > w->max)
        return 0;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 1;
}

/* Append byte b read as Windows-1252. */
static int ds_vwin_bad(ds_vwin *w, unsigned char b)
{
    ds_buf_reset(&w->one);
    ds_utf8_repair((const char *)&b, 1, &w->one);
    if (!ds_vwin_unit(w, w->one.data, w->one.len))
        return 0;
    w->repaired = 1;
    return 1;
}

/* Append raw bytes; returns how many were taken. Fewer than n means the
 * window is full: cut it (ds_vwin_cut), then append the rest. */
size_t ds_vwin_put(ds_vwin *w, const unsigned char *s, size_t n)
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
                if (!ds_vwin_unit(w, t, m))
                    return i;
                w->npend = 0;
                i++;
                continue;
            }
            /* the pending lead byte does not start a valid sequence */
            if (!ds_vwin_bad(w, w->pend[0]))
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
        if (!ds_vwin_bad(w, s[i]))
            return i;
        i++;
    }
    return i;
}

/* At the end of the value: a sequence still pending was cut, so it is invalid.
 * 0 when the window must be cut first. */
int ds_vwin_flush(ds_vwin *w)
{
    while (w->npend) {
        if (!ds_vwin_bad(w, w->pend[0]))
            return 0;
        memmove(w->pend, w->pend + 1, --w->npend);
    }
    return 1;
}

/* Hand out the full window as f; the next window starts at f->own_len. */
void ds_vwin_cut(ds_vwin *w, ds_field *f)
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
