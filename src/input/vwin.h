/* input: windows over an oversized value (the CSV and text readers).
 *
 * Bytes are decoded to valid UTF-8 as they are appended (an invalid byte
 * becomes its Windows-1252 character), so windows, value_off and own_len are
 * in decoded bytes. A window holds at most `max` bytes and never ends inside
 * a character. The next window starts `overlap` bytes before the end of the
 * previous one, moved forward to a character start: for non-ASCII text a
 * window can be up to 3 bytes shorter, and an overlap up to 3 bytes smaller. */
#ifndef DS_INPUT_VWIN_H
#define DS_INPUT_VWIN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "input/source.h"

typedef struct ds_vwin {
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
} ds_vwin;

void ds_vwin_init(ds_vwin *w, size_t max, size_t overlap);
void ds_vwin_free(ds_vwin *w);
void ds_vwin_reset(ds_vwin *w);
void ds_vwin_settle(ds_vwin *w);
size_t ds_vwin_put(ds_vwin *w, const unsigned char *s, size_t n);
int ds_vwin_flush(ds_vwin *w);
void ds_vwin_cut(ds_vwin *w, ds_field *f);

#endif
