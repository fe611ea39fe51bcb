/* report: masking of matched values (see mask.h). */
#include "report/mask.h"

#include <string.h>

static int is_alnum_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0xC0; /* lead byte of a non-ASCII letter */
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the UTF-8 sequence starting at s[i]. */
static size_t cp_len(const char *s, size_t n, size_t i)
{
    size_t l = 1;
    while (i + l < n && ((unsigned char)s[i + l] & 0xC0) == 0x80)
        l++;
    return l;
}

/* Mask alphanumerics of s except the first `head` and last `tail` ones; keep
 * separators. */
static void mask_keep(const char *s, size_t n, size_t head, size_t tail, ds_buf *out)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i += cp_len(s, n, i))
        if (is_alnum_byte((unsigned char)s[i]))
            total++;
    if (total <= 3 || head + tail >= total)
        head = tail = 0;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t l = cp_len(s, n, i);
        if (is_alnum_byte((unsigned char)s[i])) {
            if (k < head || k >= total - tail)
                ds_buf_append(out, s + i, l);
            else
                ds_buf_putc(out, '*');
            k++;
        } else {
            ds_buf_append(out, s + i, l);
        }
        i += l;
    }
}

static void mask_email(const char *s, size_t n, ds_buf *out)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s) {
        mask_keep(s, n, 0, 0, out);
        return;
    }
    ds_buf_append(out, s, cp_len(s, n, 0));
    ds_buf_puts(out, "***@");
    const char *dom = at + 1;
    size_t dl = n - (size_t)(dom - s);
    const char *dot = NULL;
    for (size_t i = dl; i-- > 0;)
        if (dom[i] == '.') {
            dot = dom + i;
            break;
        }
    if (dl == 0 || !dot || dot == dom) {
        ds_buf_puts(out, "****");
        return;
    }
    ds_buf_append(out, dom, cp_len(dom, dl, 0));
    ds_buf_puts(out, "****");
    ds_buf_append(out, dot, (size_t)(dom + dl - dot));
}

static void mask_words(const char *s, size_t n, ds_buf *out)
{
    int start = 1;
    size_t total = 0;
    for (size_t i = 0; i < n; i += cp_len(s, n, i))
        if (is_alnum_byte((unsigned char)s[i]))
            total++;
    for (size_t i = 0; i < n;) {
        size_t l = cp_len(s, n, i);
        if (is_alnum_byte((unsigned char)s[i])) {
            if (start && total > 3)
                ds_buf_append(out, s + i, l);
            else
                ds_buf_putc(out, '*');
            start = 0;
        } else {
            ds_buf_append(out, s + i, l);
            start = 1;
        }
        i += l;
    }
}

void ds_mask(const char *type, const char *s, size_t n, ds_buf *out)
{
    if (strcmp(type, "EMAIL") == 0) {
        mask_email(s, n, out);
        return;
    }
    if (strcmp(type, "IBAN") == 0) {
        mask_keep(s, n, 4, 4, out);
        return;
    }
    if (strcmp(type, "CREDIT_CARD") == 0) {
        mask_keep(s, n, 0, 4, out);
        return;
    }
    if (strcmp(type, "IP_ADDRESS") == 0) {
        /* keep the first group: 192.***.***.*** / 2001:****:... */
        size_t i = 0;
        while (i < n && s[i] != '.' && s[i] != ':')
            i++;
        ds_buf_append(out, s, i);
        for (; i < n; i++)
            ds_buf_putc(out, s[i] == '.' || s[i] == ':' ? s[i] : '*');
        return;
    }
    size_t digits = 0, alnum = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit((unsigned char)s[i]))
            digits++;
        if (is_alnum_byte((unsigned char)s[i]))
            alnum++;
    }
    if (digits * 2 >= alnum)
        mask_keep(s, n, 0, alnum >= 8 ? 2 : 0, out);
    else
        mask_words(s, n, out);
}
