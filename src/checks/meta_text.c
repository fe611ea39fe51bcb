/* checks: text helpers (see meta_text.h). */
#include "checks/meta_text.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int wchar(unsigned char c) { return isalnum(c) || c == '\'' || c == '-' || c >= 0x80; }

int ds_text_has_word(const char *s, const char *word)
{
    if (!s || !word || !*word)
        return 0;
    size_t wl = strlen(word);
    for (const char *p = s; *p;) {
        while (*p && !wchar((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && wchar((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - b);
        /* trailing apostrophes / hyphens do not count */
        while (n && (b[n - 1] == '-' || (b[n - 1] == '\'' && wl && word[wl - 1] != '\'')))
            n--;
        if (n == wl && strncasecmp(b, word, wl) == 0)
            return 1;
    }
    return 0;
}

int ds_text_has_any_word(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (ds_text_has_word(s, *words))
            return 1;
    return 0;
}

int ds_text_contains(const char *s, const char *sub)
{
    if (!s || !sub)
        return 0;
    size_t n = strlen(sub);
    for (const char *p = s; *p; p++)
        if (strncasecmp(p, sub, n) == 0)
            return 1;
    return 0;
}

int ds_text_has_phrase(const char *s, const char *phrase)
{
    if (!s || !phrase || !*phrase)
        return 0;
    size_t n = strlen(phrase);
    for (const char *p = s; *p; p++) {
        if (strncasecmp(p, phrase, n) != 0)
            continue;
        if (p > s && isalnum((unsigned char)p[-1]))
            continue;
        if (isalnum((unsigned char)p[n]))
            continue;
        return 1;
    }
    return 0;
}

size_t ds_text_word_count(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (const char *p = s; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        int alnum = 0;
        while (*p && !isspace((unsigned char)*p))
            alnum |= isalnum((unsigned char)*p++) != 0;
        n += alnum;
    }
    return n;
}

size_t ds_text_tokens(const char *s, char *out, size_t cap)
{
    size_t o = 0, nt = 0;
    int in = 0;
    if (!cap)
        return 0;
    for (const char *p = s; p && *p && o + 2 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c)) {
            int camel = in && isupper(c) && p > s && islower((unsigned char)p[-1]);
            if (!in || camel) {
                if (o)
                    out[o++] = 0;
                nt++;
            }
            out[o++] = (char)tolower(c);
            in = 1;
        } else {
            in = 0;
        }
    }
    out[o] = 0;
    if (o + 1 < cap)
        out[o + 1] = 0;
    return nt;
}

int ds_text_has_token(const char *s, const char *tok)
{
    char buf[512];
    size_t n = ds_text_tokens(s, buf, sizeof buf);
    const char *p = buf;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p, tok) == 0)
            return 1;
        p += strlen(p) + 1;
    }
    return 0;
}

int ds_text_is_identifier(const char *s)
{
    if (!s)
        return 0;
    if (strstr(s, "://") || strncasecmp(s, "internal:", 9) == 0 || strncasecmp(s, "hf:", 3) == 0 ||
        strncasecmp(s, "doi:", 4) == 0 || strncmp(s, "10.", 3) == 0)
        return 1;
    /* a bare host name: word.word with a letter TLD */
    char host[256];
    return ds_text_url_host(s, host, sizeof host);
}

int ds_text_url_host(const char *s, char *out, size_t cap)
{
    if (!s || cap < 2)
        return 0;
    const char *p = strstr(s, "://");
    const char *b;
    if (p) {
        b = p + 3;
    } else {
        /* first token with a dot and a letter TLD, no spaces */
        b = NULL;
        for (const char *q = s; *q;) {
            while (*q && isspace((unsigned char)*q))
                q++;
            const char *t = q;
            while (*q && !isspace((unsigned char)*q))
                q++;
            const char *dot = NULL;
            for (const char *r = t; r < q && *r != '/'; r++)
                if (*r == '.')
                    dot = r;
            if (dot && dot > t && isalpha((unsigned char)dot[1]) && isalpha((unsigned char)dot[2]) &&
                !memchr(t, '@', (size_t)(q - t))) {
                /* not a file name like dump.sql: require the TLD to end the host */
                const char *e = dot + 1;
                while (e < q && isalpha((unsigned char)*e))
                    e++;
                if (e - dot - 1 >= 2 && e - dot - 1 <= 6 && (e == q || *e == '/') &&
                    strncasecmp(dot + 1, "sql", 3) && strncasecmp(dot + 1, "csv", 3) &&
                    strncasecmp(dot + 1, "json", 4) && strncasecmp(dot + 1, "zip", 3) &&
                    strncasecmp(dot + 1, "txt", 3) && strncasecmp(dot + 1, "gz", 2) &&
                    strncasecmp(dot + 1, "tar", 3) && strncasecmp(dot + 1, "md", 2)) {
                    b = t;
                    break;
                }
            }
        }
        if (!b)
            return 0;
    }
    size_t o = 0;
    for (const char *q = b; *q && *q != '/' && *q != ':' && *q != '?' && *q != '#' &&
                            !isspace((unsigned char)*q) && o + 1 < cap;
         q++) {
        if (*q == '@') { /* user@host */
            o = 0;
            continue;
        }
        out[o++] = (char)tolower((unsigned char)*q);
    }
    out[o] = 0;
    return o > 0 && strchr(out, '.') != NULL;
}
