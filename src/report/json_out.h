/* report: the one JSON string escaper, used by every JSON-speaking format. */
#ifndef DS_REPORT_JSON_OUT_H
#define DS_REPORT_JSON_OUT_H

#include <stddef.h>

#include "common/buf.h"

/* Append s[0..n) as a JSON string literal (with quotes). s must be UTF-8;
 * control characters, quote and backslash are escaped, the rest is copied. */
void ds_json_str(ds_buf *b, const char *s, size_t n);

/* Same for a NUL-terminated string; NULL becomes `null`. */
void ds_json_cstr(ds_buf *b, const char *s);

#endif
