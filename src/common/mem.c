/* common: allocation helpers that abort on exhaustion (see mem.h). */
#include "common/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("dsaudit: out of memory\n", stderr);
    abort();
}

void *ds_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *ds_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *ds_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

void *ds_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            oom();
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        oom();
    p = ds_xrealloc(p, c * size);
    *cap = c;
    return p;
}

char *ds_xstrdup(const char *s)
{
    return ds_xstrndup(s, strlen(s));
}

char *ds_xstrndup(const char *s, size_t n)
{
    char *d = ds_xmalloc(n + 1);
    if (n) /* s may be NULL when n is 0 (memcpy wants valid pointers) */
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
