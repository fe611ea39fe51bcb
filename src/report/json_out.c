/* report: JSON string escaping. */
#include "report/json_out.h"

#include <string.h>

void ds_json_str(ds_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ds_buf_reserve(b, n + 2);
    ds_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        ds_buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': ds_buf_puts(b, "\\\""); break;
        case '\\': ds_buf_puts(b, "\\\\"); break;
        case '\n': ds_buf_puts(b, "\\n"); break;
        case '\r': ds_buf_puts(b, "\\r"); break;
        case '\t': ds_buf_puts(b, "\\t"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            ds_buf_puts(b, u);
        }
        }
    }
    ds_buf_append(b, s + run, n - run);
    ds_buf_putc(b, '"');
}

void ds_json_cstr(ds_buf *b, const char *s)
{
    if (!s)
        ds_buf_puts(b, "null");
    else
        ds_json_str(b, s, strlen(s));
}
