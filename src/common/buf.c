/* common: growable byte buffer. */
#include "common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

void ds_buf_reserve(ds_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 64;
    while (c < need)
        c *= 2;
    b->data = ds_xrealloc(b->data, c);
    b->cap = c;
}

void ds_buf_append(ds_buf *b, const void *p, size_t n)
{
    ds_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ds_buf_putc(ds_buf *b, int c)
{
    ds_buf_reserve(b, 1);
    b->data[b->len++] = (char)c;
    b->data[b->len] = '\0';
}

void ds_buf_puts(ds_buf *b, const char *s)
{
    ds_buf_append(b, s, strlen(s));
}

void ds_buf_printf(ds_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        ds_buf_append(b, tmp, (size_t)n);
    } else {
        ds_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void ds_buf_consume(ds_buf *b, size_t n)
{
    if (n >= b->len) {
        ds_buf_reset(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

void ds_buf_reset(ds_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ds_buf_free(ds_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
