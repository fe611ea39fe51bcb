/* rules: the shape of a PCRE2 regex (see re_shape.h). A recursive-descent
 * reader of the PCRE2 syntax rules use; depth is bounded, and anything
 * outside the subset it knows ends the analysis with the safe answer. */
#include "rules/re_shape.h"

#include <string.h>

#include "rules/re_lex.h"

#define MAX_DEPTH 64
#define MAX_GROUPS 128
#define MAX_NAMES 32
#define INF (DS_RE_SHAPE_MAX + 1u)

typedef struct shape {
    unsigned w;     /* longest width, INF when unbounded */
    unsigned reach; /* longest extent from the start, lookahead text included (>= w) */
    unsigned cnt;   /* gate bytes every match consumes, at least */
    unsigned tot;   /* distinct gate bytes within reach, lookahead text included (>= cnt) */
    unsigned lead;  /* every match has a gate byte (its own or its lookaheads') at most
                     * this many bytes after its start; INF: no such bound known */
    unsigned trail; /* every match consumes a gate byte at most this many bytes before
                     * its end; INF: no such bound known */
} shape;

typedef struct parser {
    const unsigned char *p;
    const uint8_t *gate;
    int caseless;
    int fail;
    int depth;
    unsigned ngroups;             /* capture groups opened so far */
    unsigned gw[MAX_GROUPS + 1];  /* width of each closed group, INF while open */
    char names[MAX_NAMES][33];    /* named groups: name -> number */
    unsigned name_no[MAX_NAMES];
    unsigned nnames;
} parser;

static unsigned add(unsigned a, unsigned b)
{
    return a >= INF || b >= INF || a + b >= INF ? INF : a + b;
}

static unsigned mul(unsigned a, unsigned n)
{
    if (a == 0 || n == 0)
        return 0;
    if (a >= INF || n >= INF || (unsigned long long)a * n >= INF)
        return INF;
    return a * n;
}

static int in_gate(const parser *ps, unsigned c)
{
    return c < 256 && (ps->gate[c / 8] >> (c % 8)) & 1;
}

static int is_letter(unsigned c)
{
    return (c | 32u) >= 'a' && (c | 32u) <= 'z';
}

static unsigned utf8_len(unsigned cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Width of one character of code point cp, case folding included. */
static unsigned char_width(const parser *ps, unsigned cp)
{
    if (!ps->caseless)
        return utf8_len(cp);
    if (cp < 0x80)
        return is_letter(cp) ? 3 : 1; /* k and s fold to 3- and 2-byte letters */
    return 4;
}

/* Read one UTF-8 character of the pattern text; its code point. */
static unsigned read_char(parser *ps)
{
    long cp = ds_re_read_utf8(&ps->p);
    if (cp < 0) {
        ps->fail = 1;
        return 0;
    }
    return (unsigned)cp;
}

/* An escape that stands for one known character; its code point, or -1. */
static long simple_escape(parser *ps, unsigned c)
{
    long cp = ds_re_char_escape(c, &ps->p);
    if (cp < 0 && c == 'x')
        ps->fail = 1; /* a malformed \x{...} */
    return cp;
}

/* A class [...] after its '['. */
static shape parse_class(parser *ps)
{
    shape s = {1, 1, 1, 1, 0, 0}; /* cnt, tot, lead, trail: while every member is a gate byte */
    int neg = 0;
    if (*ps->p == '^') {
        neg = 1;
        ps->p++;
    }
    int first = 1;
    for (;;) {
        unsigned c = *ps->p;
        if (c == 0) {
            ps->fail = 1;
            return s;
        }
        if (c == ']' && !first) {
            ps->p++;
            break;
        }
        first = 0;
        if (c == '[' && ps->p[1] == ':') {
            /* POSIX class: ASCII only without UCP */
            const unsigned char *e = (const unsigned char *)strstr((const char *)ps->p + 2, ":]");
            if (!e) {
                ps->fail = 1;
                return s;
            }
            size_t n = (size_t)(e - ps->p - 2);
            int digit = n == 5 && memcmp(ps->p + 2, "digit", 5) == 0;
            if (!digit || !in_gate(ps, '0'))
                s.cnt = s.tot = 0;
            if (!digit)
                s.w = s.w > char_width(ps, 'a') ? s.w : char_width(ps, 'a');
            ps->p = e + 2;
            continue;
        }
        long lo;
        ps->p++;
        if (c == '\\') {
            unsigned e = *ps->p++;
            if (e == 'd') {
                for (unsigned k = '0'; k <= '9'; k++)
                    if (!in_gate(ps, k))
                        s.cnt = s.tot = 0;
                continue;
            }
            if (e == 'w' || e == 's') {
                s.cnt = s.tot = 0;
                unsigned w = char_width(ps, 'a');
                s.w = s.w > w ? s.w : w;
                continue;
            }
            if (e == 'h' || e == 'v') {
                s.cnt = s.tot = 0;
                s.w = s.w > 3 ? s.w : 3;
                continue;
            }
            lo = simple_escape(ps, e);
            if (lo < 0) {
                ps->fail = 1; /* \D \W \p{..} \Q in a class...: not read */
                return s;
            }
        } else if (c >= 0x80) {
            ps->p--;
            lo = (long)read_char(ps);
        } else {
            lo = (long)c;
        }
        long hi = lo;
        if (*ps->p == '-' && ps->p[1] != ']' && ps->p[1] != 0) {
            ps->p++;
            unsigned c2 = *ps->p;
            if (c2 == '\\') {
                ps->p++;
                unsigned e = *ps->p++;
                hi = simple_escape(ps, e);
                if (hi < 0) {
                    ps->fail = 1;
                    return s;
                }
            } else if (c2 == '[') {
                ps->fail = 1;
                return s;
            } else {
                hi = (long)read_char(ps);
            }
            if (hi < lo) {
                ps->fail = 1;
                return s;
            }
        }
        for (long k = lo; k <= hi; k++) {
            if (!in_gate(ps, (unsigned)k)) {
                s.cnt = s.tot = 0;
                break;
            }
        }
        unsigned w = char_width(ps, (unsigned)hi);
        /* a caseless range may hold letters without its ends being ones */
        if (ps->caseless && lo < 0x80 && hi >= 'A')
            w = hi < 0x80 ? 3 : 4;
        s.w = s.w > w ? s.w : w;
    }
    if (neg) {
        s.cnt = s.tot = 0;
        s.w = 4;
    }
    s.reach = s.w;
    if (!s.tot)
        s.lead = s.trail = INF;
    return s;
}

static shape parse_alt(parser *ps);

/* {n}, {n,}, {n,m} at ps->p: 1 and the bounds (max INF when open), or 0
 * when the brace is a literal. */
static int read_braces(parser *ps, unsigned *mn, unsigned *mx)
{
    const unsigned char *q = ps->p + 1;
    unsigned a = 0, b;
    int na = 0;
    while (*q >= '0' && *q <= '9' && na < 6) {
        a = a * 10 + (unsigned)(*q++ - '0');
        na++;
    }
    if (!na)
        return 0; /* {,n} is literal text in PCRE2 10.42 */
    if (*q == '}') {
        b = a;
    } else if (*q == ',') {
        q++;
        b = 0;
        int nb = 0;
        while (*q >= '0' && *q <= '9' && nb < 6) {
            b = b * 10 + (unsigned)(*q++ - '0');
            nb++;
        }
        if (*q != '}')
            return 0;
        if (!nb)
            b = INF;
    } else {
        return 0;
    }
    ps->p = q + 1;
    *mn = a;
    *mx = b;
    return 1;
}

static int lookup_name(parser *ps, const unsigned char *name, size_t n, unsigned *no)
{
    for (unsigned i = 0; i < ps->nnames; i++)
        if (strlen(ps->names[i]) == n && memcmp(ps->names[i], name, n) == 0) {
            *no = ps->name_no[i];
            return 1;
        }
    return 0;
}

/* A name up to the terminator `end`, for (?<name>, \k<name>... */
static int read_name(parser *ps, unsigned char end, const unsigned char **name, size_t *n)
{
    const unsigned char *s = ps->p;
    while (*ps->p && *ps->p != end)
        ps->p++;
    if (*ps->p != end || ps->p == s || ps->p - s > 32)
        return 0;
    *name = s;
    *n = (size_t)(ps->p - s);
    ps->p++;
    return 1;
}

static shape backref(parser *ps, unsigned no)
{
    shape s = {INF, INF, 0, 0, INF, INF};
    if (no == 0 || no > ps->ngroups || no > MAX_GROUPS || ps->gw[no] >= INF)
        ps->fail = 1; /* forward, open or unknown group */
    else
        s.w = s.reach = ps->gw[no];
    return s;
}

/* One atom at ps->p. */
static shape parse_atom(parser *ps)
{
    shape s = {0, 0, 0, 0, INF, INF};
    unsigned c = *ps->p;
    if (c == '(') {
        ps->p++;
        unsigned cap = 0;
        int look = 0;
        if (*ps->p == '*') {
            ps->fail = 1; /* verbs */
            return s;
        }
        if (*ps->p == '?') {
            ps->p++;
            unsigned k = *ps->p;
            if (k == ':' || k == '>') {
                ps->p++;
            } else if (k == '=' || k == '!') {
                ps->p++;
                look = k == '=' ? 1 : 2;
            } else if (k == '<' && (ps->p[1] == '=' || ps->p[1] == '!')) {
                ps->p += 2;
                look = 2; /* lookbehind text lies before the match */
            } else if (k == '<' || k == '\'' || (k == 'P' && ps->p[1] == '<')) {
                ps->p += k == 'P' ? 2 : 1;
                const unsigned char *name;
                size_t n;
                if (!read_name(ps, k == '\'' ? '\'' : '>', &name, &n) ||
                    ps->nnames == MAX_NAMES) {
                    ps->fail = 1;
                    return s;
                }
                cap = 1;
                memcpy(ps->names[ps->nnames], name, n);
                ps->names[ps->nnames][n] = 0;
                ps->name_no[ps->nnames++] = ps->ngroups + 1;
            } else if (k == 'P' && ps->p[1] == '=') {
                ps->p += 2;
                const unsigned char *name;
                size_t n;
                unsigned no;
                if (!read_name(ps, ')', &name, &n) || !lookup_name(ps, name, n, &no)) {
                    ps->fail = 1;
                    return s;
                }
                return backref(ps, no);
            } else if (k == '#') {
                while (*ps->p && *ps->p != ')')
                    ps->p++;
                if (*ps->p)
                    ps->p++;
                return s;
            } else {
                /* option settings: (?i) (?-i) (?i:...); anything else
                 * (recursion, conditionals, branch reset) is not read */
                int on = 1;
                while (*ps->p == 'i' || *ps->p == 'm' || *ps->p == 's' || *ps->p == 'n' ||
                       *ps->p == 'U' || *ps->p == '-') {
                    if (*ps->p == '-')
                        on = 0;
                    else if (*ps->p == 'i' && on)
                        ps->caseless = 1; /* never undone: widths only grow */
                    else if (*ps->p == 'n' && on) {
                        ps->fail = 1; /* no auto capture: group numbers change */
                        return s;
                    }
                    ps->p++;
                }
                if (*ps->p == ')') {
                    ps->p++;
                    return s;
                }
                if (*ps->p != ':') {
                    ps->fail = 1;
                    return s;
                }
                ps->p++;
            }
        } else {
            cap = 1;
        }
        unsigned no = 0;
        if (cap) {
            no = ++ps->ngroups;
            if (no <= MAX_GROUPS)
                ps->gw[no] = INF;
        }
        if (++ps->depth > MAX_DEPTH) {
            ps->fail = 1;
            return s;
        }
        shape in = parse_alt(ps);
        ps->depth--;
        if (ps->fail)
            return s;
        if (*ps->p != ')') {
            ps->fail = 1;
            return s;
        }
        ps->p++;
        if (cap && no <= MAX_GROUPS)
            ps->gw[no] = in.w;
        if (look == 1) /* (?=X): X's text lies ahead, within its reach */
            return (shape){0, in.reach, 0, in.tot, in.lead, INF};
        if (look)
            return (shape){0, 0, 0, 0, INF, INF};
        return in;
    }
    if (c == '[') {
        ps->p++;
        return parse_class(ps);
    }
    if (c == '.') {
        ps->p++;
        return (shape){4, 4, 0, 0, INF, INF};
    }
    if (c == '^' || c == '$') {
        ps->p++;
        return s;
    }
    if (c == '\\') {
        ps->p++;
        unsigned e = *ps->p++;
        switch (e) {
        case 0:
            ps->fail = 1;
            return s;
        case 'b':
        case 'B':
        case 'A':
        case 'z':
        case 'Z':
        case 'G':
            return s;
        case 'd': {
            int all = 1;
            for (unsigned k = '0'; k <= '9'; k++)
                all &= in_gate(ps, k);
            return (shape){1, 1, (unsigned)all, (unsigned)all, all ? 0 : INF, all ? 0 : INF};
        }
        case 'w':
        case 's':
            return (shape){char_width(ps, 'a'), char_width(ps, 'a'), 0, 0, INF, INF};
        case 'D':
        case 'W':
        case 'S':
        case 'N':
        case 'h':
        case 'v':
        case 'H':
        case 'V':
        case 'R':
            return (shape){4, 4, 0, 0, INF, INF};
        case 'Q': {
            /* literal text up to \E */
            while (*ps->p && !(ps->p[0] == '\\' && ps->p[1] == 'E')) {
                unsigned cp = read_char(ps);
                unsigned cw = char_width(ps, cp);
                if (cp < 0x80 && in_gate(ps, cp)) {
                    if (!s.cnt)
                        s.lead = s.w;
                    s.cnt = s.tot = s.cnt + 1;
                    s.trail = 0;
                } else {
                    s.trail = add(s.trail, cw);
                }
                s.w = add(s.w, cw);
            }
            if (*ps->p)
                ps->p += 2;
            s.reach = s.w;
            return s;
        }
        case 'E':
            return s;
        case 'k':
        case 'g': {
            unsigned char open = *ps->p, close = open == '<' ? '>' : open == '{' ? '}' : 0;
            if (!close && !(e == 'g' && *ps->p >= '1' && *ps->p <= '9')) {
                ps->fail = 1;
                return s;
            }
            if (!close) {
                unsigned no = (unsigned)(*ps->p++ - '0');
                return backref(ps, no);
            }
            ps->p++;
            const unsigned char *name;
            size_t n;
            if (!read_name(ps, close, &name, &n)) {
                ps->fail = 1;
                return s;
            }
            unsigned no = 0;
            int digits = 1;
            for (size_t i = 0; i < n; i++)
                if (name[i] < '0' || name[i] > '9')
                    digits = 0;
            if (digits && n <= 3) {
                for (size_t i = 0; i < n; i++)
                    no = no * 10 + (unsigned)(name[i] - '0');
            } else if (!lookup_name(ps, name, n, &no)) {
                ps->fail = 1;
                return s;
            }
            return backref(ps, no);
        }
        default:
            break;
        }
        if (e >= '1' && e <= '9') {
            if (*ps->p >= '0' && *ps->p <= '9') {
                ps->fail = 1; /* \10 and up: octal or backref, not read */
                return s;
            }
            return backref(ps, e - '0');
        }
        long cp = simple_escape(ps, e);
        if (cp < 0 || ps->fail) {
            ps->fail = 1; /* \p{..}, \X, \K, \C, octal... */
            return s;
        }
        unsigned w = char_width(ps, (unsigned)cp);
        unsigned g = cp < 0x80 && in_gate(ps, (unsigned)cp);
        return (shape){w, w, g, g, g ? 0 : INF, g ? 0 : INF};
    }
    unsigned cp = read_char(ps);
    unsigned w = char_width(ps, cp);
    unsigned g = cp < 0x80 && in_gate(ps, cp);
    return (shape){w, w, g, g, g ? 0 : INF, g ? 0 : INF};
}

/* A sequence of quantified atoms, up to '|', ')' or the end. */
static shape parse_seq(parser *ps)
{
    shape s = {0, 0, 0, 0, INF, INF};
    while (!ps->fail && *ps->p && *ps->p != '|' && *ps->p != ')') {
        if (*ps->p == '*' || *ps->p == '+' || *ps->p == '?') {
            ps->fail = 1; /* a quantifier with nothing to quantify */
            break;
        }
        shape a = parse_atom(ps);
        if (ps->fail)
            break;
        unsigned mn = 1, mx = 1;
        unsigned q = *ps->p;
        if (q == '*' || q == '+' || q == '?') {
            ps->p++;
            mn = q == '+' ? 1 : 0;
            mx = q == '?' ? 1 : INF;
        } else if (q == '{' && !read_braces(ps, &mn, &mx)) {
            mn = mx = 1; /* a literal brace, read as the next atom */
        }
        if (mn != 1 || mx != 1) {
            if (*ps->p == '?' || *ps->p == '+')
                ps->p++; /* lazy, possessive */
            if (mn > mx) {
                ps->fail = 1;
                break;
            }
            /* the last repetition reaches furthest */
            unsigned w = mx >= INF ? (a.w ? INF : 0) : mul(a.w, mx);
            a.reach = mx >= INF ? (a.w || a.reach ? INF : 0) : add(mul(a.w, mx - 1), a.reach);
            if (mx == 0)
                a.reach = 0;
            a.w = w;
            unsigned c = mul(a.cnt, mn);
            a.tot = mn == 0 ? 0 : c > a.tot ? c : a.tot;
            a.cnt = c;
            if (mn == 0)
                a.lead = a.trail = INF; /* the first repetition, when there is one, has it */
        }
        /* a gate byte of the atom comes at most s.w bytes after the start */
        unsigned l = add(s.w, a.lead);
        s.lead = s.lead < l ? s.lead : l;
        unsigned r = add(s.w, a.reach);
        s.reach = s.reach > r ? s.reach : r;
        /* the last atom that always consumes a gate byte, and the widths after it */
        s.trail = a.cnt ? a.trail : add(s.trail, a.w);
        s.w = add(s.w, a.w);
        /* consumed gate bytes are distinct; a lookahead's may be some of them */
        s.cnt = add(s.cnt, a.cnt);
        s.tot = s.tot > a.tot ? s.tot : a.tot;
        s.tot = s.tot > s.cnt ? s.tot : s.cnt;
    }
    return s;
}

static shape parse_alt(parser *ps)
{
    shape s = parse_seq(ps);
    while (!ps->fail && *ps->p == '|') {
        ps->p++;
        shape b = parse_seq(ps);
        s.w = s.w > b.w ? s.w : b.w;
        s.reach = s.reach > b.reach ? s.reach : b.reach;
        s.cnt = s.cnt < b.cnt ? s.cnt : b.cnt;
        s.tot = s.tot < b.tot ? s.tot : b.tot;
        s.lead = s.lead > b.lead ? s.lead : b.lead;
        s.trail = s.trail > b.trail ? s.trail : b.trail;
    }
    return s;
}

int ds_re_shape_of(const char *re, int caseless, const uint8_t gate[32], ds_re_shape *out)
{
    parser ps = {0};
    parser *p = &ps;
    p->p = (const unsigned char *)re;
    p->gate = gate;
    p->caseless = caseless;
    out->max_width = 0;
    out->reach = 0;
    out->gates = 0;
    out->lead = 0;
    out->trail = 0;
    /* extended mode changes what spaces mean: not read */
    if (strstr(re, "(?x") || strstr(re, "(*"))
        return 0;
    shape s = parse_alt(p);
    if (p->fail || *p->p != 0 || s.w >= INF || s.reach >= INF)
        return 0;
    out->max_width = s.w;
    out->reach = s.reach > s.w ? s.reach : s.w;
    out->gates = s.tot >= INF ? DS_RE_SHAPE_MAX : s.tot;
    /* no bound known (or none tighter): the whole reach */
    out->lead = !out->gates || s.lead >= out->reach ? out->reach : s.lead;
    /* no consumed gate byte known near the end: a match ends at most its
     * width after its first gate byte, its own or its lookaheads' */
    out->trail = !out->gates || s.trail >= out->max_width ? out->max_width : s.trail;
    return 1;
}
