/* rules: a regex relaxed to be indifferent to which digit is which
 * (re_relax.h). A recursive-descent copier of the PCRE2 subset re_shape.c
 * reads; every construct it does not know gives NULL. */
#include "rules/re_relax.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "rules/re_lex.h"

#define MAX_DEPTH 64
#define MAX_GROUPS 128
#define ALL_DIGITS 0x3FFu

typedef struct relaxer {
    const unsigned char *p;
    char *out;
    size_t n, cap;
    int fail;
    int depth;
    unsigned changes;            /* rewrites so far */
    unsigned digit_atoms;        /* atoms so far that can match a digit */
    unsigned ngroups;            /* capture groups opened so far */
    signed char gdigit[MAX_GROUPS + 1]; /* per group: 1 can hold a digit, 0 cannot,
                                         * -1 still open */
} relaxer;

static void put(relaxer *r, const void *s, size_t n)
{
    if (r->n + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 64;
        while (r->n + n + 1 > cap)
            cap *= 2;
        r->out = ds_xrealloc(r->out, cap);
        r->cap = cap;
    }
    memcpy(r->out + r->n, s, n);
    r->n += n;
    r->out[r->n] = 0;
}

static void puts_(relaxer *r, const char *s)
{
    put(r, s, strlen(s));
}

static int is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

static long read_char(relaxer *r)
{
    return ds_re_read_utf8(&r->p);
}

static long char_escape(relaxer *r, unsigned e)
{
    return ds_re_char_escape(e, &r->p);
}

/* The digits of [lo, hi] as a mask of bits 0-9. */
static unsigned digit_mask(long lo, long hi)
{
    unsigned m = 0;
    for (unsigned k = 0; k < 10; k++) {
        long c = '0' + (long)k;
        if (lo <= c && c <= hi)
            m |= 1u << k;
    }
    return m;
}

/* A class after its '[': copied, or widened to every digit when it holds
 * some but not all of them. */
static void relax_class(relaxer *r, const unsigned char *open)
{
    int neg = 0;
    if (*r->p == '^') {
        neg = 1;
        r->p++;
    }
    unsigned mask = 0;
    int first = 1;
    for (;;) {
        unsigned c = *r->p;
        if (c == 0) {
            r->fail = 1;
            return;
        }
        if (c == ']' && !first) {
            r->p++;
            break;
        }
        first = 0;
        if (c == '[' && r->p[1] == ':') {
            const unsigned char *e = (const unsigned char *)strstr((const char *)r->p + 2, ":]");
            if (!e || r->p[2] == '^') {
                r->fail = 1;
                return;
            }
            static const char *const all[] = {"digit", "alnum", "xdigit", "graph",
                                              "print", "word",  "ascii"};
            static const char *const none[] = {"alpha", "upper", "lower", "space",
                                               "blank", "punct", "cntrl"};
            size_t n = (size_t)(e - r->p - 2);
            int known = 0;
            for (size_t i = 0; i < sizeof all / sizeof *all; i++)
                if (strlen(all[i]) == n && memcmp(r->p + 2, all[i], n) == 0) {
                    mask = ALL_DIGITS;
                    known = 1;
                }
            for (size_t i = 0; i < sizeof none / sizeof *none; i++)
                if (strlen(none[i]) == n && memcmp(r->p + 2, none[i], n) == 0)
                    known = 1;
            if (!known) {
                r->fail = 1;
                return;
            }
            r->p = e + 2;
            continue;
        }
        long lo;
        if (c == '\\') {
            r->p++;
            unsigned e = *r->p++;
            if (e == 'd' || e == 'w' || e == 'S' || e == 'H' || e == 'V') {
                mask = ALL_DIGITS;
                continue;
            }
            if (e == 's' || e == 'h' || e == 'v' || e == 'D' || e == 'W')
                continue;
            lo = e == 'b' ? 8 : char_escape(r, e);
        } else {
            lo = read_char(r);
        }
        if (lo < 0) {
            r->fail = 1; /* \p, \Q, octal, a bad byte... */
            return;
        }
        long hi = lo;
        if (*r->p == '-' && r->p[1] != ']' && r->p[1] != 0) {
            r->p++;
            if (*r->p == '\\') {
                r->p++;
                unsigned e = *r->p++;
                hi = e == 'b' ? 8 : char_escape(r, e);
            } else if (*r->p == '[') {
                hi = -1;
            } else {
                hi = read_char(r);
            }
            if (hi < lo) {
                r->fail = 1;
                return;
            }
        }
        mask |= digit_mask(lo, hi);
    }
    unsigned matched = neg ? ALL_DIGITS & ~mask : mask;
    if (matched)
        r->digit_atoms++;
    if (mask == 0 || mask == ALL_DIGITS) {
        put(r, open, (size_t)(r->p - open));
        return;
    }
    r->changes++;
    puts_(r, "(?:");
    put(r, open, (size_t)(r->p - open));
    puts_(r, "|[0-9])");
}

static void relax_alt(relaxer *r);

/* {n}, {n,}, {n,m} at r->p: its length, or 0 when the brace is literal. */
static size_t braces_len(const unsigned char *p)
{
    const unsigned char *q = p + 1;
    int na = 0, nb = 0;
    while (is_digit(*q) && na < 6) {
        q++;
        na++;
    }
    if (!na)
        return 0;
    if (*q == ',') {
        q++;
        while (is_digit(*q) && nb < 6) {
            q++;
            nb++;
        }
    }
    if (*q != '}')
        return 0;
    return (size_t)(q + 1 - p);
}

/* A group after its '('. */
static void relax_group(relaxer *r, const unsigned char *open)
{
    int cap = 0, neg_look = 0;
    if (*r->p == '*') {
        r->fail = 1; /* verbs */
        return;
    }
    if (*r->p == '?') {
        r->p++;
        unsigned k = *r->p;
        if (k == ':' || k == '>' || k == '=') {
            r->p++;
        } else if (k == '!') {
            r->p++;
            neg_look = 1;
        } else if (k == '<' && r->p[1] == '=') {
            r->p += 2;
        } else if (k == '<' && r->p[1] == '!') {
            r->p += 2;
            neg_look = 1;
        } else if (k == '<' || k == '\'' || (k == 'P' && r->p[1] == '<')) {
            r->p += k == 'P' ? 2 : 1;
            unsigned char end = k == '\'' ? '\'' : '>';
            const unsigned char *s = r->p;
            while (*r->p && *r->p != end && *r->p != ')')
                r->p++;
            if (*r->p != end || r->p == s) {
                r->fail = 1;
                return;
            }
            r->p++;
            cap = 1;
        } else {
            /* option settings (?i) (?-i) (?i:...); not x, not n */
            while (*r->p == 'i' || *r->p == 'm' || *r->p == 's' || *r->p == 'U' ||
                   *r->p == '-')
                r->p++;
            if (*r->p == ')') {
                r->p++;
                put(r, open, (size_t)(r->p - open));
                return;
            }
            if (*r->p != ':') {
                r->fail = 1; /* recursion, conditionals, comments, branch reset... */
                return;
            }
            r->p++;
        }
    } else {
        cap = 1;
    }
    unsigned no = 0;
    if (cap) {
        no = ++r->ngroups;
        if (no > MAX_GROUPS) {
            r->fail = 1;
            return;
        }
        r->gdigit[no] = -1;
    }
    if (++r->depth > MAX_DEPTH) {
        r->fail = 1;
        return;
    }
    size_t at = r->n;
    unsigned changes0 = r->changes, digits0 = r->digit_atoms, groups0 = r->ngroups;
    put(r, open, (size_t)(r->p - open));
    relax_alt(r);
    r->depth--;
    if (r->fail)
        return;
    if (*r->p != ')') {
        r->fail = 1;
        return;
    }
    r->p++;
    put(r, ")", 1);
    if (cap)
        r->gdigit[no] = r->digit_atoms != digits0;
    if (neg_look && r->changes != changes0) {
        /* relaxing a negative lookaround narrows what passes: drop it */
        if (r->ngroups != groups0) {
            r->fail = 1; /* captures inside: the numbering would change */
            return;
        }
        r->n = at;
        puts_(r, "(?:)");
    }
}

/* A backslash escape after the backslash. */
static void relax_escape(relaxer *r, const unsigned char *open)
{
    unsigned e = *r->p++;
    switch (e) {
    case 'd':
    case 'w':
    case 'S':
    case 'H':
    case 'V':
    case 'N':
        r->digit_atoms++;
        put(r, open, (size_t)(r->p - open));
        return;
    case 'D':
    case 'W':
    case 's':
    case 'h':
    case 'v':
    case 'R':
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'E':
        put(r, open, (size_t)(r->p - open));
        return;
    case 'Q': {
        while (*r->p && !(r->p[0] == '\\' && r->p[1] == 'E')) {
            if (is_digit(*r->p)) {
                r->fail = 1;
                return;
            }
            r->p++;
        }
        if (*r->p)
            r->p += 2;
        put(r, open, (size_t)(r->p - open));
        return;
    }
    default:
        break;
    }
    if (e >= '1' && e <= '9' && !is_digit(*r->p)) {
        unsigned no = e - '0';
        if (no > r->ngroups || r->gdigit[no] != 0) {
            r->fail = 1; /* forward, open, or able to hold a digit */
            return;
        }
        put(r, open, (size_t)(r->p - open));
        return;
    }
    long cp = char_escape(r, e);
    if (cp < 0) {
        r->fail = 1; /* \p \X \K \C \g \k \0 octal... */
        return;
    }
    if (is_digit((unsigned)cp)) {
        r->digit_atoms++;
        r->changes++;
        puts_(r, "[0-9]");
        return;
    }
    put(r, open, (size_t)(r->p - open));
}

/* One atom and its quantifier. */
static void relax_atom(relaxer *r)
{
    const unsigned char *open = r->p;
    unsigned c = *r->p++;
    if (c == '(') {
        relax_group(r, open);
    } else if (c == '[') {
        relax_class(r, open);
    } else if (c == '\\') {
        relax_escape(r, open);
    } else if (c == '.') {
        r->digit_atoms++;
        put(r, open, 1);
    } else if (is_digit(c)) {
        r->digit_atoms++;
        r->changes++;
        puts_(r, "[0-9]");
    } else if (c == '*' || c == '+' || c == '?') {
        r->fail = 1; /* nothing to quantify */
    } else if (c == '{') {
        /* a brace that is not a quantifier is literal; {,n} is one or the
         * other depending on the PCRE2 version */
        if (*r->p == ',')
            r->fail = 1;
        else
            put(r, open, 1);
    } else {
        r->p = open;
        if (read_char(r) < 0)
            r->fail = 1;
        else
            put(r, open, (size_t)(r->p - open));
    }
    if (r->fail)
        return;
    /* its quantifier */
    const unsigned char *q = r->p;
    size_t bl;
    if (*r->p == '*' || *r->p == '+' || *r->p == '?')
        r->p++;
    else if (*r->p == '{' && (bl = braces_len(r->p)) > 0)
        r->p += bl;
    if (r->p != q && (*r->p == '?' || *r->p == '+'))
        r->p++;
    put(r, q, (size_t)(r->p - q));
}

static void relax_alt(relaxer *r)
{
    while (!r->fail && *r->p && *r->p != ')') {
        if (*r->p == '|' || *r->p == '^' || *r->p == '$') {
            put(r, r->p, 1);
            r->p++;
            continue;
        }
        relax_atom(r);
    }
}

char *ds_re_digit_relax(const char *re)
{
    if (strstr(re, "(?x") || strstr(re, "(*") || strstr(re, "(?#"))
        return NULL; /* extended mode, verbs, comments: not read */
    relaxer r = {0};
    r.p = (const unsigned char *)re;
    put(&r, "", 0);
    relax_alt(&r);
    if (r.fail || *r.p != 0) {
        free(r.out);
        return NULL;
    }
    return r.out;
}
