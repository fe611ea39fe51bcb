/* rules: lexing helpers for regex text (re_lex.h). */
#include "rules/re_lex.h"

int ds_re_hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if ((c | 32u) >= 'a' && (c | 32u) <= 'f')
        return (int)((c | 32u) - 'a' + 10);
    return -1;
}

long ds_re_read_hex(const unsigned char **p)
{
    const unsigned char *s = *p;
    long cp = 0;
    int h;
    if (*s == '{') {
        s++;
        int n = 0;
        while ((h = ds_re_hexval(*s)) >= 0 && n < 8) {
            cp = cp * 16 + h;
            s++;
            n++;
        }
        if (*s != '}' || n == 0 || cp > 0x10FFFF) {
            *p = s;
            return -1;
        }
        *p = s + 1;
        return cp;
    }
    for (int n = 0; n < 2 && (h = ds_re_hexval(*s)) >= 0; n++, s++)
        cp = cp * 16 + h;
    *p = s;
    return cp;
}

long ds_re_read_utf8(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = *s++;
    long cp = (long)c;
    if (c >= 0x80) {
        if (c < 0xC2 || c > 0xF4) {
            *p = s;
            return -1;
        }
        unsigned k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
        cp = (long)(c & (0x3Fu >> k));
        for (unsigned i = 0; i < k; i++) {
            if ((*s & 0xC0) != 0x80) {
                *p = s;
                return -1;
            }
            cp = (cp << 6) | (*s++ & 0x3F);
        }
    }
    *p = s;
    return cp;
}

long ds_re_char_escape(unsigned e, const unsigned char **p)
{
    switch (e) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'f':
        return '\f';
    case 'e':
        return 27;
    case 'a':
        return 7;
    case 'x':
        return ds_re_read_hex(p);
    default:
        break;
    }
    if (e && e < 0x80 && !((e | 32u) >= 'a' && (e | 32u) <= 'z') && !(e >= '0' && e <= '9'))
        return (long)e; /* escaped punctuation stands for itself */
    return -1;
}
