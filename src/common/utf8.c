/* common: UTF-8 validation, repair through Windows-1252. */
#include "common/utf8.h"

#include <stdint.h>

/* Length of the valid sequence at s (1..4), or 0 if invalid. `avail` bytes
 * are readable. When the sequence is cut by `avail`, returns -(needed) to
 * signal "incomplete but consistent so far". */
static int seq_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    int need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (int i = 1; i < need; i++) {
        if ((size_t)i >= avail)
            return -need;
        unsigned b = s[i];
        unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h)
            return 0;
    }
    return need;
}

size_t ds_utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    const uint64_t hi = 0x8080808080808080ULL;
    size_t i = 0;
    /* a short value's whole tail in one overlapping load (most values are
     * short, and their tail was most of the work) */
    if (n >= 8) {
        uint64_t w;
        __builtin_memcpy(&w, s + n - 8, 8);
        if (!(w & hi)) {
            for (; i < n - 8; i += 8) { /* the words before the tail (may overlap it) */
                __builtin_memcpy(&w, s + i, 8);
                if (w & hi)
                    break;
            }
            if (i >= n - 8)
                return n; /* ASCII up to the tail, which is ASCII */
        }
    }
    while (i < n) {
        /* ASCII, 8 bytes at a time; the first non-ASCII byte of a word is
         * found from its mask, not by stepping to it (mixed text, such as
         * French, has one every few words) */
        while (i + 8 <= n) {
            uint64_t w;
            __builtin_memcpy(&w, s + i, 8);
            if (w & hi) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                i += (size_t)__builtin_ctzll(w & hi) / 8;
#endif
                break;
            }
            i += 8;
        }
        while (i < n && s[i] < 0x80)
            i++;
        if (i >= n)
            break;
        unsigned c = s[i];
        if (c >= 0xC2 && c <= 0xDF) { /* two bytes: the usual accented letter */
            if (i + 1 >= n)
                return n; /* consistent but cut: the caller decides */
            if ((s[i + 1] & 0xC0) != 0x80)
                return i;
            i += 2;
            continue;
        }
        int l = seq_len(s + i, n - i);
        if (l == 0)
            return i;
        if (l < 0)
            return n; /* consistent but cut: the caller decides */
        i += (size_t)l;
    }
    return n;
}

size_t ds_utf8_incomplete_tail(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t back = 1; back <= 3 && back <= n; back++) {
        unsigned c = s[n - back];
        if ((c & 0xC0) == 0x80)
            continue; /* continuation byte: keep looking for the lead */
        if (c >= 0xC2 && c <= 0xF4) {
            int l = seq_len(s + n - back, back);
            return l < 0 ? back : 0;
        }
        return 0;
    }
    return 0;
}

int ds_utf8_is_valid(const char *s, size_t n)
{
    if (ds_utf8_valid_prefix(s, n) != n)
        return 0;
    return ds_utf8_incomplete_tail(s, n) == 0;
}

size_t ds_utf8_encode(unsigned long cp, char out[4])
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Windows-1252 0x80..0x9F; the five undefined positions map to themselves
 * as C1 controls, as the WHATWG encoding standard does. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

size_t ds_utf8_repair(const char *str, size_t n, ds_buf *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t fixed = 0, i = 0;
    ds_buf_reserve(out, n + n / 2);
    while (i < n) {
        size_t ok = ds_utf8_valid_prefix((const char *)s + i, n - i);
        /* a sequence cut by the end of the value is invalid too */
        if (i + ok == n) {
            size_t tail = ds_utf8_incomplete_tail((const char *)s + i, ok);
            ok -= tail;
        }
        ds_buf_append(out, s + i, ok);
        i += ok;
        if (i >= n)
            break;
        unsigned c = s[i++];
        unsigned long cp = c >= 0x80 && c < 0xA0 ? cp1252_hi[c - 0x80] : c;
        char enc[4];
        ds_buf_append(out, enc, ds_utf8_encode(cp, enc));
        fixed++;
    }
    return fixed;
}
