/* common: growable byte buffer. Always NUL-terminated after any append, so
 * `data` can be handed to functions expecting a C string when the content has
 * no embedded NUL. A zero-initialised ds_buf is a valid empty buffer. */
#ifndef DS_COMMON_BUF_H
#define DS_COMMON_BUF_H

#include <stddef.h>

typedef struct ds_buf {
    char *data;
    size_t len;
    size_t cap;
} ds_buf;

void ds_buf_reserve(ds_buf *b, size_t extra);
void ds_buf_append(ds_buf *b, const void *p, size_t n);
void ds_buf_putc(ds_buf *b, int c);
void ds_buf_puts(ds_buf *b, const char *s);
void ds_buf_printf(ds_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drop the first n bytes, keeping the rest at the front. */
void ds_buf_consume(ds_buf *b, size_t n);
void ds_buf_reset(ds_buf *b);  /* len = 0, memory kept */
void ds_buf_free(ds_buf *b);   /* releases memory; buffer is empty and reusable */

#endif
