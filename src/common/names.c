/* common: field-name normalisation (see names.h). */
#include "common/names.h"

#include <string.h>

/* Fold a two-byte UTF-8 Latin-1 supplement letter (C3 xx) to ASCII, or 0. */
static char fold_c3(unsigned char b)
{
    static const char map[64] = {
        /* 80 */ 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
        /* 90 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 's',
        /* a0 */ 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
        /* b0 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 'y',
    };
    if (b < 0x80 || b > 0xBF)
        return 0;
    return map[b - 0x80];
}

size_t ds_name_normalise(const char *name, size_t n, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    /* last path component */
    size_t begin = 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '.' && i + 1 < n)
            begin = i + 1;
    size_t end = n;
    /* drop trailing [..] groups */
    while (end > begin && name[end - 1] == ']') {
        size_t j = end - 1;
        while (j > begin && name[j] != '[')
            j--;
        if (name[j] != '[')
            break;
        end = j;
    }
    size_t o = 0;
    for (size_t i = begin; i < end && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '_' || c == '-' || c == '.' || c == ' ' || c == '\t')
            continue;
        if (c >= 'A' && c <= 'Z') {
            out[o++] = (char)(c - 'A' + 'a');
        } else if (c == 0xC3 && i + 1 < end) {
            char f = fold_c3((unsigned char)name[i + 1]);
            if (f) {
                out[o++] = f;
                i++;
            } else {
                out[o++] = (char)c;
            }
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

size_t ds_name_generic(const char *name, size_t n, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (name[i] == '[') {
            size_t j = i + 1;
            while (j < n && name[j] >= '0' && name[j] <= '9')
                j++;
            if (j < n && name[j] == ']' && j > i + 1) {
                if (o + 2 >= cap)
                    break;
                out[o++] = '[';
                out[o++] = ']';
                i = j;
                continue;
            }
        }
        out[o++] = name[i];
    }
    out[o] = '\0';
    return o;
}
