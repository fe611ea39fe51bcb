/* rules: the YAML rule-file parser (format: patterns/README.md).
 *
 * Two passes over libyaml's event stream. The first pulls every event into an
 * array and rejects what the format leaves out of YAML (aliases, anchors,
 * tags, a second document), so syntax errors always win over schema errors.
 * The second walks that flat array with a cursor, one function per shape,
 * and builds ds_rule_def values. No document tree is ever built.
 *
 * Every error is DS_ERULE with where = "path:line:col" (1-based, columns in
 * characters as libyaml counts them) and a message followed by the source line
 * and a caret, as jq's locfile prints them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/mem.h"
#include "rules/rule_def.h"
#include "rules/validators.h"

#define EXCERPT_MAX 200  /* bytes of the source line shown under a message */
#define CLIP_MAX 48      /* bytes of a user string quoted inside a message */
#define WINDOW_MAX 4096u /* context_window upper bound */

typedef struct parse_ctx {
    const char *path;
    const char *text; /* the file, after any UTF-8 byte order mark */
    size_t len;
    ds_error *err;
    ds_status st;

    yaml_event_t *ev; /* node events only: scalars, sequence and mapping starts/ends */
    size_t nev, cap;
    size_t i; /* cursor into ev */

    ds_rule_def *rules;
    size_t nrules, rcap;
} parse_ctx;

/* ---- messages ------------------------------------------------------------ */

typedef struct clipbuf {
    char s[CLIP_MAX + 8];
} clipbuf;

/* A user string made safe to quote in a one-line message: at most CLIP_MAX
 * bytes (cut on a character boundary, then "..."), control characters as '?'. */
static const char *clip(clipbuf *b, const char *s)
{
    size_t n = 0;
    for (; *s && n < CLIP_MAX; s++) {
        unsigned char c = (unsigned char)*s;
        b->s[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (*s) {
        while (n > 0 && ((unsigned char)b->s[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0 && (unsigned char)b->s[n - 1] >= 0xC0)
            n--;
        memcpy(b->s + n, "...", 3);
        n += 3;
    }
    b->s[n] = '\0';
    return b->s;
}

/* libyaml's line breaks (YAML 1.1): LF, CR, CRLF, NEL, LS, PS. Returns the
 * length of the break at t[0..n), 0 when there is none. */
static size_t break_len(const char *t, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    if (n == 0)
        return 0;
    if (u[0] == '\n')
        return 1;
    if (u[0] == '\r')
        return (n > 1 && u[1] == '\n') ? 2 : 1;
    if (n > 1 && u[0] == 0xC2 && u[1] == 0x85)
        return 2;
    if (n > 2 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

static int is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Byte range [*b, *e) of 0-based line `line`; empty past the end. */
static void line_span(const parse_ctx *p, unsigned line, size_t *b, size_t *e)
{
    size_t pos = 0;
    for (unsigned l = 0; l < line && pos < p->len;) {
        size_t bl = break_len(p->text + pos, p->len - pos);
        if (bl) {
            pos += bl;
            l++;
        } else {
            pos++;
        }
    }
    if (pos > p->len)
        pos = p->len;
    size_t end = pos;
    while (end < p->len && !break_len(p->text + end, p->len - end))
        end++;
    *b = pos;
    *e = end;
}

/* Append the source line of loc and a caret line under its column. At most
 * `budget` bytes are added; the line is cut to a window around the column. */
static void append_excerpt(const parse_ctx *p, ds_loc loc, ds_buf *out, size_t budget)
{
    size_t lb, le;
    line_span(p, loc.line ? loc.line - 1 : 0, &lb, &le);

    /* caret position: (col - 1) characters into the line */
    size_t cpos = lb;
    for (unsigned c = 1; c < loc.col && cpos < le; c++) {
        cpos++;
        while (cpos < le && is_cont(p->text[cpos]))
            cpos++;
    }

    /* window of at most w bytes holding the caret; "..." marks a cut */
    size_t w = budget > 16 ? (budget - 16) / 2 : 0;
    if (w > EXCERPT_MAX)
        w = EXCERPT_MAX;
    if (w < 8)
        return;
    size_t wb = lb, we = le;
    if (we - wb > w) {
        if (cpos > lb + w / 2)
            wb = cpos - w / 2;
        while (wb < le && is_cont(p->text[wb]))
            wb++;
        we = wb + w < le ? wb + w : le;
        if (we - wb < w && we == le && le - lb >= w)
            wb = le - w; /* caret near the end: fill the window backwards */
        while (wb < le && is_cont(p->text[wb]))
            wb++;
        while (we > wb && we < le && is_cont(p->text[we]))
            we--;
    }

    ds_buf_putc(out, '\n');
    if (wb > lb)
        ds_buf_puts(out, "...");
    for (size_t k = wb; k < we; k++) {
        unsigned char c = (unsigned char)p->text[k];
        ds_buf_putc(out, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
    }
    if (we < le)
        ds_buf_puts(out, "...");
    ds_buf_putc(out, '\n');
    if (wb > lb)
        ds_buf_puts(out, "   ");
    for (size_t k = wb; k < cpos && k < we; k++) {
        if (is_cont(p->text[k]))
            continue;
        ds_buf_putc(out, p->text[k] == '\t' ? '\t' : ' ');
    }
    ds_buf_putc(out, '^');
}

/* Record a DS_ERULE at loc; returns -1 so callers can `return fail(...)`. */
__attribute__((format(printf, 3, 4))) static int fail(parse_ctx *p, ds_loc loc, const char *fmt,
                                                      ...)
{
    if (p->st != DS_OK)
        return -1; /* keep the first error */
    p->st = DS_ERULE;
    if (!p->err)
        return -1;

    ds_buf msg = {0};
    char line[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ds_buf_puts(&msg, line);
    size_t room = sizeof p->err->msg - 1;
    append_excerpt(p, loc, &msg, room > msg.len ? room - msg.len : 0);

    char where[sizeof p->err->where];
    snprintf(where, sizeof where, "%s:%u:%u", p->path ? p->path : "<rules>", loc.line, loc.col);
    ds_error_set(p->err, DS_ERULE, where, "%s", msg.data);
    ds_buf_free(&msg);
    return -1;
}

static ds_loc mark_loc(yaml_mark_t m)
{
    ds_loc l = {(unsigned)m.line + 1, (unsigned)m.column + 1};
    return l;
}

/* Line and column (1-based, in characters) of byte offset off. */
static ds_loc offset_loc(const parse_ctx *p, size_t off)
{
    ds_loc l = {1, 1};
    if (off > p->len)
        off = p->len;
    for (size_t k = 0; k < off;) {
        size_t bl = break_len(p->text + k, p->len - k);
        if (bl) {
            l.line++;
            l.col = 1;
            k += bl;
            continue;
        }
        if (!is_cont(p->text[k]))
            l.col++;
        k++;
    }
    if (off < p->len && is_cont(p->text[off]))
        l.col--; /* inside a character: point at its first byte */
    return l;
}

/* Levenshtein distance, capped: 3 means "3 or more". For did-you-mean hints. */
static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > 2)
        return 3;
    unsigned row[33];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 3 ? 3 : row[lb];
}

/* ---- pass 1: events ------------------------------------------------------ */

/* "!!str" for libyaml's resolved "tag:yaml.org,2002:str", otherwise as is. */
static void tag_text(char *dst, size_t n, const unsigned char *tag)
{
    static const char core[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    if (strncmp(t, core, sizeof core - 1) == 0)
        snprintf(dst, n, "!!%s", t + sizeof core - 1);
    else
        snprintf(dst, n, "%s", t);
}

static int yaml_fail(parse_ctx *p, const yaml_parser_t *yp)
{
    switch (yp->error) {
    case YAML_MEMORY_ERROR:
        p->st = DS_ENOMEM;
        ds_error_set(p->err, DS_ENOMEM, p->path, "out of memory while reading YAML");
        return -1;
    case YAML_READER_ERROR: {
        ds_loc l = offset_loc(p, yp->problem_offset);
        if (yp->problem_value >= 0 && yp->problem_value <= 0xFF && yp->problem_offset < p->len)
            return fail(p, l, "invalid text: %s (byte 0x%02X); rule files are UTF-8", yp->problem,
                        (unsigned)yp->problem_value);
        return fail(p, l, "invalid text: %s", yp->problem);
    }
    default: {
        const char *problem = yp->problem ? yp->problem : "invalid YAML";
        ds_loc l = mark_loc(yp->problem_mark);
        size_t lb, le;
        line_span(p, l.line - 1, &lb, &le);
        if (yp->context && lb == p->len) {
            /* cut off by the end of the file: show where the construct began */
            return fail(p, mark_loc(yp->context_mark), "syntax error: %s (%s)", problem,
                        yp->context);
        }
        /* libyaml's message for a tab in the indentation can be cryptic */
        const char *hint = "";
        while (lb < le && p->text[lb] == ' ')
            lb++;
        if (lb < le && p->text[lb] == '\t' && !strstr(problem, "tab"))
            hint = " (tabs cannot indent YAML; use spaces)";
        if (yp->context)
            return fail(p, l, "syntax error: %s (%s at line %u, column %u)%s", problem, yp->context,
                        (unsigned)yp->context_mark.line + 1, (unsigned)yp->context_mark.column + 1,
                        hint);
        return fail(p, l, "syntax error: %s%s", problem, hint);
    }
    }
}

/* Reject YAML features outside the rule-file subset; 0 when e is fine. */
static int check_subset(parse_ctx *p, const yaml_event_t *e)
{
    const unsigned char *anchor = NULL, *tag = NULL;
    char t[64];
    ds_loc l = mark_loc(e->start_mark);
    clipbuf cb;
    switch (e->type) {
    case YAML_ALIAS_EVENT:
        return fail(p, l, "aliases are not supported in rule files (found '*%s')",
                    clip(&cb, (const char *)e->data.alias.anchor));
    case YAML_SCALAR_EVENT:
        anchor = e->data.scalar.anchor;
        tag = e->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = e->data.sequence_start.anchor;
        tag = e->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = e->data.mapping_start.anchor;
        tag = e->data.mapping_start.tag;
        break;
    default: return 0;
    }
    if (anchor)
        return fail(p, l, "anchors are not supported in rule files (found '&%s')",
                    clip(&cb, (const char *)anchor));
    if (tag) {
        tag_text(t, sizeof t, tag);
        return fail(p, l, "tags are not supported in rule files (found '%s')", clip(&cb, t));
    }
    return 0;
}

static int collect_events(parse_ctx *p)
{
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp)) {
        p->st = DS_ENOMEM;
        ds_error_set(p->err, DS_ENOMEM, p->path, "out of memory while reading YAML");
        return -1;
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)p->text, p->len);
    yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);

    int rc = 0, ndocs = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&yp, &e)) {
            rc = yaml_fail(p, &yp);
            break;
        }
        yaml_event_type_t type = e.type;
        if (type == YAML_DOCUMENT_START_EVENT && ++ndocs > 1) {
            rc = fail(p, mark_loc(e.start_mark),
                      "a rule file holds one YAML document; found a second one");
            yaml_event_delete(&e);
            break;
        }
        if (check_subset(p, &e) != 0) {
            rc = -1;
            yaml_event_delete(&e);
            break;
        }
        if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
            type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_START_EVENT ||
            type == YAML_MAPPING_END_EVENT) {
            p->ev = ds_xgrow(p->ev, &p->cap, p->nev + 1, sizeof *p->ev);
            p->ev[p->nev++] = e;
        } else {
            yaml_event_delete(&e);
        }
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&yp);
    return rc;
}

/* ---- pass 2: helpers over the event array -------------------------------- */

static const yaml_event_t *cur(const parse_ctx *p)
{
    return &p->ev[p->i];
}

static ds_loc cur_loc(const parse_ctx *p)
{
    return mark_loc(cur(p)->start_mark);
}

static const char *sval(const yaml_event_t *e)
{
    return (const char *)e->data.scalar.value;
}

/* A plain scalar YAML reads as null: empty, ~, null. */
static int is_null(const yaml_event_t *e)
{
    if (e->type != YAML_SCALAR_EVENT || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = sval(e);
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}

static int parse_bool_text(const char *s, int *out)
{
    if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
        *out = 0;
        return 0;
    }
    return -1;
}

/* Strict decimal: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?, locale-free. */
static int parse_number_text(const char *s, double *out)
{
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    double mant = 0;
    int digits = 0, frac = 0, sig = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (sig < 17) {
            mant = mant * 10 + (*s - '0');
            if (mant > 0)
                sig++;
        } else {
            frac--; /* dropped integer digit */
        }
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
            if (sig < 17) {
                mant = mant * 10 + (*s - '0');
                frac++;
                if (mant > 0)
                    sig++;
            }
        }
    }
    if (!digits)
        return -1;
    int ex = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        int eneg = 0;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!(*s >= '0' && *s <= '9'))
            return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            if (ex < 10000)
                ex = ex * 10 + (*s - '0');
        if (eneg)
            ex = -ex;
    }
    if (*s)
        return -1;
    int p10 = ex - frac;
    double v = mant;
    /* exact powers of ten divide exactly-representable mantissas correctly */
    for (; p10 < 0; p10++)
        v /= 10;
    for (; p10 > 0 && v < 1e300; p10--)
        v *= 10;
    *out = neg ? -v : v;
    return 0;
}

/* What a node is, for "expected X, found Y" messages. */
static const char *describe(const yaml_event_t *e)
{
    double d;
    int b;
    switch (e->type) {
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_SCALAR_EVENT:
        if (is_null(e))
            return "nothing";
        if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            if (parse_bool_text(sval(e), &b) == 0)
                return "a boolean";
            if (parse_number_text(sval(e), &d) == 0)
                return "a number";
        }
        return "a string";
    default: return "something else";
    }
}

/* Move the cursor past the node that starts at it. */
static void skip_node(parse_ctx *p)
{
    size_t depth = 0;
    do {
        yaml_event_type_t t = cur(p)->type;
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
            depth++;
        else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
            depth--;
        p->i++;
    } while (depth > 0);
}

/* The scalar value of key `key` in the mapping starting at event m, or NULL. */
static const char *peek_key(parse_ctx *p, size_t m, const char *key)
{
    size_t save = p->i;
    const char *found = NULL;
    p->i = m + 1;
    while (cur(p)->type != YAML_MAPPING_END_EVENT) {
        const yaml_event_t *k = cur(p);
        skip_node(p);
        if (k->type == YAML_SCALAR_EVENT && strcmp(sval(k), key) == 0 &&
            cur(p)->type == YAML_SCALAR_EVENT && !is_null(cur(p))) {
            found = sval(cur(p));
            break;
        }
        skip_node(p);
    }
    p->i = save;
    return found;
}

/* Location of the first key `key` in the mapping starting at event m. */
static ds_loc first_key_loc(parse_ctx *p, size_t m, const char *key)
{
    size_t save = p->i;
    ds_loc l = {0, 0};
    p->i = m + 1;
    while (cur(p)->type != YAML_MAPPING_END_EVENT) {
        const yaml_event_t *k = cur(p);
        if (k->type == YAML_SCALAR_EVENT && strcmp(sval(k), key) == 0) {
            l = cur_loc(p);
            break;
        }
        skip_node(p);
        skip_node(p);
    }
    p->i = save;
    return l;
}

typedef struct keyset {
    const char *const *names;
    size_t n;
    ds_loc *seen;     /* n entries, line 0 = not seen yet */
    const char *what; /* "at the top level", "in rule 'email'", ... */
    int list_known;   /* append the known keys to an unknown-key message */
} keyset;

/* Read the key at the cursor and move to its value. Returns the key's index
 * in ks, or -1 after an error (not a string, unknown, duplicate). */
static int take_key(parse_ctx *p, const keyset *ks, ds_loc *kloc)
{
    const yaml_event_t *k = cur(p);
    *kloc = cur_loc(p);
    clipbuf cb;
    if (k->type != YAML_SCALAR_EVENT)
        return fail(p, *kloc, "expected a key name %s, found %s", ks->what, describe(k));
    const char *name = sval(k);
    for (size_t j = 0; j < ks->n; j++) {
        if (strcmp(name, ks->names[j]) != 0)
            continue;
        if (ks->seen[j].line)
            return fail(p, *kloc, "duplicate key '%s' (first at line %u)", ks->names[j],
                        ks->seen[j].line);
        ks->seen[j] = *kloc;
        p->i++;
        return (int)j;
    }

    ds_buf hint = {0};
    if (ks->list_known) {
        ds_buf_puts(&hint, "; known keys: ");
        for (size_t j = 0; j < ks->n; j++)
            ds_buf_printf(&hint, "%s%s", j ? ", " : "", ks->names[j]);
    } else {
        for (size_t j = 0; j < ks->n; j++) {
            if (strlen(name) > 2 && edit_distance(name, ks->names[j]) <= 2) {
                ds_buf_printf(&hint, "; did you mean '%s'?", ks->names[j]);
                break;
            }
        }
    }
    fail(p, *kloc, "unknown key '%s' %s%s", clip(&cb, name), ks->what, hint.data ? hint.data : "");
    ds_buf_free(&hint);
    return -1;
}

/* A scalar holding text (not null, no NUL byte) at the cursor. `expected`
 * names what the key wants, for the message. */
static int want_scalar(parse_ctx *p, const char *key, const char *expected)
{
    const yaml_event_t *e = cur(p);
    if (e->type != YAML_SCALAR_EVENT || is_null(e))
        return fail(p, cur_loc(p), "expected %s for '%s', found %s", expected, key, describe(e));
    if (memchr(e->data.scalar.value, 0, e->data.scalar.length))
        return fail(p, cur_loc(p), "'%s' contains a NUL character", key);
    return 0;
}

static int want_string(parse_ctx *p, const char *key)
{
    return want_scalar(p, key, "a string");
}

static int get_string(parse_ctx *p, const char *key, char **dst, ds_loc *loc)
{
    if (want_string(p, key))
        return -1;
    if (loc)
        *loc = cur_loc(p);
    *dst = ds_xstrdup(sval(cur(p)));
    p->i++;
    return 0;
}

static int get_bool(parse_ctx *p, const char *key, int *dst)
{
    clipbuf cb;
    if (want_scalar(p, key, "true or false"))
        return -1;
    if (parse_bool_text(sval(cur(p)), dst) != 0)
        return fail(p, cur_loc(p), "invalid %s '%s'; expected true, false, yes or no", key,
                    clip(&cb, sval(cur(p))));
    p->i++;
    return 0;
}

static void strv_push(ds_strv *s, size_t *cap, const char *str, ds_loc loc)
{
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        s->v = ds_xrealloc(s->v, *cap * sizeof *s->v);
        s->loc = ds_xrealloc(s->loc, *cap * sizeof *s->loc);
    }
    s->v[s->n] = ds_xstrdup(str);
    s->loc[s->n++] = loc;
}

/* A list of strings (or, with allow_scalar, one string). nonempty: no ""
 * items (patterns). */
static int get_strv(parse_ctx *p, const char *key, ds_strv *dst, int allow_scalar, int nonempty)
{
    size_t cap = dst->n;
    const yaml_event_t *e = cur(p);
    if (allow_scalar && e->type == YAML_SCALAR_EVENT && !is_null(e)) {
        if (want_string(p, key))
            return -1;
        if (nonempty && !*sval(e))
            return fail(p, cur_loc(p), "empty pattern in '%s'", key);
        strv_push(dst, &cap, sval(e), cur_loc(p));
        p->i++;
        return 0;
    }
    if (e->type != YAML_SEQUENCE_START_EVENT)
        return fail(p, cur_loc(p), "expected %s for '%s', found %s",
                    allow_scalar ? "a string or a list of strings" : "a list of strings", key,
                    describe(e));
    ds_loc lloc = cur_loc(p);
    for (p->i++; cur(p)->type != YAML_SEQUENCE_END_EVENT;) {
        e = cur(p);
        if (e->type != YAML_SCALAR_EVENT || is_null(e))
            return fail(p, cur_loc(p), "expected a string in the list '%s', found %s", key,
                        describe(e));
        if (want_string(p, key))
            return -1;
        if (nonempty && !*sval(e))
            return fail(p, cur_loc(p), "empty pattern in '%s'", key);
        strv_push(dst, &cap, sval(e), cur_loc(p));
        p->i++;
    }
    p->i++;
    if (nonempty && dst->n == 0)
        return fail(p, lloc, "'%s' is an empty list", key);
    return 0;
}

static void strv_free(ds_strv *s)
{
    for (size_t k = 0; k < s->n; k++)
        free(s->v[k]);
    free(s->v);
    free(s->loc);
    s->v = NULL;
    s->loc = NULL;
    s->n = 0;
}

/* en, fr, pt-br ... or "any" (words used whatever --lang says). */
static int valid_lang(const char *s)
{
    size_t n = 0;
    while (s[n] >= 'a' && s[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return strcmp(s, "any") == 0;
    if (!s[n])
        return 1;
    if (s[n] != '-')
        return 0;
    size_t m = 0;
    for (s += n + 1; (s[m] >= 'a' && s[m] <= 'z') || (s[m] >= '0' && s[m] <= '9'); m++)
        ;
    return m >= 2 && m <= 8 && !s[m];
}

/* `key: {lang: [word, ...], ...}` */
static int get_words(parse_ctx *p, const char *key, ds_rule_words **dst, size_t *n)
{
    clipbuf cb;
    if (cur(p)->type != YAML_MAPPING_START_EVENT)
        return fail(p, cur_loc(p), "expected a mapping of language to words for '%s', found %s",
                    key, describe(cur(p)));
    size_t cap = *n, mstart = p->i;
    for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
        const yaml_event_t *k = cur(p);
        ds_loc kloc = cur_loc(p);
        if (k->type != YAML_SCALAR_EVENT || is_null(k))
            return fail(p, kloc, "expected a language code as a key in '%s', found %s", key,
                        describe(k));
        const char *lang = sval(k);
        if (!valid_lang(lang))
            return fail(p, kloc, "invalid language '%s' in '%s'; expected a code like en or fr",
                        clip(&cb, lang), key);
        for (size_t j = 0; j < *n; j++)
            if (strcmp((*dst)[j].lang, lang) == 0)
                return fail(p, kloc, "duplicate key '%s' (first at line %u)", lang,
                            first_key_loc(p, mstart, lang).line);
        *dst = ds_xgrow(*dst, &cap, *n + 1, sizeof **dst);
        ds_rule_words *w = &(*dst)[(*n)++];
        memset(w, 0, sizeof *w);
        w->lang = ds_xstrdup(lang);
        p->i++;
        char what[64];
        snprintf(what, sizeof what, "%s: %s", key, lang);
        if (get_strv(p, what, &w->words, 0, 0))
            return -1;
    }
    p->i++;
    return 0;
}

static void words_free(ds_rule_words *w, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(w[k].lang);
        strv_free(&w[k].words);
    }
    free(w);
}

/* ---- rules ----------------------------------------------------------------- */

/* The keys of a rule, in the order patterns/README.md documents them. */
#define RULE_KEYS(X)                                                                               \
    X(ID, "id")                                                                                    \
    X(TYPE, "type")                                                                                \
    X(CATEGORY, "category")                                                                        \
    X(SEVERITY, "severity")                                                                        \
    X(DESCRIPTION, "description")                                                                  \
    X(CONFIDENCE, "confidence")                                                                    \
    X(REGEX, "regex")                                                                              \
    X(PREFILTER, "prefilter")                                                                      \
    X(CASELESS, "caseless")                                                                        \
    X(VALIDATOR, "validator")                                                                      \
    X(CONTEXT, "context")                                                                          \
    X(CONTEXT_REQUIRED, "context_required")                                                        \
    X(CONTEXT_WINDOW, "context_window")                                                            \
    X(KEYWORDS, "keywords")                                                                        \
    X(PERSON_SIGNAL, "person_signal")                                                              \
    X(ANCHOR, "anchor")                                                                            \
    X(LEXICON, "lexicon")                                                                          \
    X(COLUMNS, "columns")                                                                          \
    X(COLUMN_ONLY, "column_only")                                                                  \
    X(COLUMN_PAIR, "column_pair")                                                                  \
    X(EXCLUDE_COLUMNS, "exclude_columns")                                                          \
    X(EXCLUDE, "exclude")                                                                          \
    X(ALLOW, "allow")                                                                              \
    X(EXAMPLES, "examples")

#define KEY_ENUM(e, s) K_##e,
#define KEY_NAME(e, s) s,
enum { RULE_KEYS(KEY_ENUM) K_NKEYS };
static const char *const rule_keys[K_NKEYS] = {RULE_KEYS(KEY_NAME)};
#undef KEY_ENUM
#undef KEY_NAME

static int match_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr("_.-", *s)))
            return 0;
    return 1;
}

static int match_type(const char *s)
{
    if (!(*s >= 'A' && *s <= 'Z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static const char *const categories[] = {"personal", "sensitive", "criminal", NULL};
static const char *const severities[] = {"info", "low", "medium", "high", NULL};

static int check_validator(parse_ctx *p, const char *name, ds_loc loc)
{
    if (ds_validator_find(name))
        return 0;
    size_t n;
    const ds_validator *v = ds_validator_list(&n);
    ds_buf known = {0};
    for (size_t k = 0; k < n; k++) {
        if (known.len > 160) {
            ds_buf_puts(&known, ", ...");
            break;
        }
        ds_buf_printf(&known, "%s%s", k ? ", " : "", v[k].name);
    }
    clipbuf cb;
    fail(p, loc, "unknown validator '%s'; known: %s", clip(&cb, name),
         known.data ? known.data : "(none)");
    ds_buf_free(&known);
    return -1;
}

static int get_confidence(parse_ctx *p, ds_rule_def *r)
{
    clipbuf cb;
    double d;
    if (want_scalar(p, "confidence", "a number"))
        return -1;
    if (parse_number_text(sval(cur(p)), &d) != 0 || !(d >= 0 && d <= 1))
        return fail(p, cur_loc(p), "invalid confidence '%s'; expected a number from 0 to 1",
                    clip(&cb, sval(cur(p))));
    r->confidence = d;
    r->has_confidence = 1;
    p->i++;
    return 0;
}

static int get_window(parse_ctx *p, unsigned *dst)
{
    clipbuf cb;
    if (want_scalar(p, "context_window", "an integer"))
        return -1;
    const char *s = sval(cur(p));
    unsigned long v = 0;
    size_t k = 0;
    for (; s[k] >= '0' && s[k] <= '9'; k++)
        if (v <= WINDOW_MAX)
            v = v * 10 + (unsigned)(s[k] - '0');
    if (k == 0 || s[k] || v < 1 || v > WINDOW_MAX)
        return fail(p, cur_loc(p), "invalid context_window '%s'; expected an integer from 1 to %u",
                    clip(&cb, s), WINDOW_MAX);
    *dst = (unsigned)v;
    p->i++;
    return 0;
}

/* A lexicon file name: relative, '/'-separated, no '..' component. */
static int valid_lexicon_path(const char *s)
{
    if (!*s || *s == '/' || strchr(s, '\\'))
        return 0;
    for (const char *c = s; *c;) {
        const char *e = strchr(c, '/');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == 0 || (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n + (e ? 1 : 0);
        if (e && !*c)
            return 0; /* trailing '/' */
    }
    return 1;
}

/* A regex group name: [A-Za-z_][A-Za-z0-9_]{0,31}. */
static int valid_group_name(const char *s)
{
    size_t n = 0;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n <= 32;
}

/* `lexicon: {NAME: [file, ...], ...}` (a single file may be a scalar). */
static int get_lexicons(parse_ctx *p, ds_rule_def *r)
{
    clipbuf cb;
    if (cur(p)->type != YAML_MAPPING_START_EVENT)
        return fail(p, cur_loc(p),
                    "expected a mapping of group name to lexicon files for 'lexicon', found %s",
                    describe(cur(p)));
    size_t cap = 0, mstart = p->i;
    ds_loc mloc = cur_loc(p);
    for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
        const yaml_event_t *k = cur(p);
        ds_loc kloc = cur_loc(p);
        if (k->type != YAML_SCALAR_EVENT || is_null(k))
            return fail(p, kloc, "expected a group name as a key in 'lexicon', found %s",
                        describe(k));
        const char *name = sval(k);
        if (!valid_group_name(name))
            return fail(p, kloc,
                        "invalid lexicon name '%s'; expected a regex group name like first or "
                        "match",
                        clip(&cb, name));
        for (size_t j = 0; j < r->nlexicons; j++)
            if (strcmp(r->lexicons[j].name, name) == 0)
                return fail(p, kloc, "duplicate key '%s' (first at line %u)", name,
                            first_key_loc(p, mstart, name).line);
        r->lexicons = ds_xgrow(r->lexicons, &cap, r->nlexicons + 1, sizeof *r->lexicons);
        ds_rule_lexicon *l = &r->lexicons[r->nlexicons++];
        memset(l, 0, sizeof *l);
        l->name = ds_xstrdup(name);
        l->loc = kloc;
        p->i++;
        char what[64];
        snprintf(what, sizeof what, "lexicon: %s", l->name);
        if (get_strv(p, what, &l->files, 1, 1))
            return -1;
        for (size_t j = 0; j < l->files.n; j++)
            if (!valid_lexicon_path(l->files.v[j]))
                return fail(p, l->files.loc[j],
                            "invalid lexicon file '%s'; expected a relative path without '..', "
                            "like lexicons/names.txt",
                            clip(&cb, l->files.v[j]));
    }
    p->i++;
    if (r->nlexicons == 0)
        return fail(p, mloc, "'lexicon' is an empty mapping");
    return 0;
}

/* One of a fixed set of words for key: *out = values[i] for the word
 * names[i]. `expected` lists them for the messages ("a, b or c"). */
static int get_choice(parse_ctx *p, const char *key, const char *expected,
                      const char *const *names, const int *values, size_t n, int *out)
{
    clipbuf cb;
    if (want_scalar(p, key, expected))
        return -1;
    const char *s = sval(cur(p));
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = values[i];
            p->i++;
            return 0;
        }
    return fail(p, cur_loc(p), "invalid %s '%s'; expected %s", key, clip(&cb, s), expected);
}

static int get_person_signal(parse_ctx *p, ds_rule_def *r)
{
    static const char *const names[] = {"required", "boost", "none"};
    static const int values[] = {DS_PSIG_REQUIRED, DS_PSIG_BOOST, DS_PSIG_NONE};
    int v = 0; /* set unless get_choice fails */
    if (get_choice(p, "person_signal", "required, boost or none", names, values, 3, &v))
        return -1;
    r->person_signal = (ds_person_signal)v;
    return 0;
}

static int get_anchor(parse_ctx *p, ds_rule_def *r)
{
    static const char *const names[] = {"word-space-capital"};
    static const int values[] = {DS_ANCHOR_WORD_SPACE_CAPITAL};
    int v = 0; /* set unless get_choice fails */
    if (get_choice(p, "anchor", "word-space-capital", names, values, 1, &v))
        return -1;
    r->anchor = (ds_anchor)v;
    return 0;
}

static int get_example_list(parse_ctx *p, const char *key, ds_rule_example **dst, size_t *n)
{
    static const char *const ex_keys[] = {"value", "field"};
    if (cur(p)->type != YAML_SEQUENCE_START_EVENT)
        return fail(p, cur_loc(p), "expected a list of examples for '%s', found %s", key,
                    describe(cur(p)));
    size_t cap = 0;
    for (p->i++; cur(p)->type != YAML_SEQUENCE_END_EVENT;) {
        const yaml_event_t *e = cur(p);
        ds_loc loc = cur_loc(p);
        if (e->type == YAML_SEQUENCE_START_EVENT || is_null(e))
            return fail(p, loc,
                        "expected a string or a {value:, field:} mapping as an example, "
                        "found %s",
                        describe(e));
        *dst = ds_xgrow(*dst, &cap, *n + 1, sizeof **dst);
        ds_rule_example *x = &(*dst)[(*n)++];
        memset(x, 0, sizeof *x);
        x->loc = loc;
        if (e->type == YAML_SCALAR_EVENT) {
            if (get_string(p, key, &x->value, NULL))
                return -1;
            continue;
        }
        ds_loc seen[2] = {{0, 0}, {0, 0}};
        keyset ks = {ex_keys, 2, seen, "in an example", 1};
        for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
            ds_loc kloc;
            int k = take_key(p, &ks, &kloc);
            if (k < 0)
                return -1;
            if (get_string(p, ex_keys[k], k == 0 ? &x->value : &x->field, NULL))
                return -1;
        }
        p->i++;
        if (!x->value)
            return fail(p, loc, "example is missing required key 'value'");
    }
    p->i++;
    return 0;
}

static int get_examples(parse_ctx *p, ds_rule_def *r)
{
    static const char *const keys[] = {"positive", "negative"};
    if (cur(p)->type != YAML_MAPPING_START_EVENT)
        return fail(p, cur_loc(p),
                    "expected a mapping with 'positive' and 'negative' lists for "
                    "'examples', found %s",
                    describe(cur(p)));
    ds_loc seen[2] = {{0, 0}, {0, 0}};
    keyset ks = {keys, 2, seen, "in 'examples'", 1};
    for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
        ds_loc kloc;
        int k = take_key(p, &ks, &kloc);
        if (k < 0)
            return -1;
        int rc = k == 0 ? get_example_list(p, keys[0], &r->positive, &r->npositive)
                        : get_example_list(p, keys[1], &r->negative, &r->nnegative);
        if (rc)
            return -1;
    }
    p->i++;
    return 0;
}

/* The value of key k of rule r; cursor at the value. */
static int rule_value(parse_ctx *p, ds_rule_def *r, int k)
{
    clipbuf cb;
    ds_loc vloc = cur_loc(p);
    const char *name = rule_keys[k];
    switch (k) {
    case K_ID:
        if (get_string(p, name, &r->id, NULL))
            return -1;
        if (!match_id(r->id))
            return fail(p, vloc, "invalid id '%s'; ids match [a-z0-9][a-z0-9_.-]*",
                        clip(&cb, r->id));
        for (size_t j = 0; j + 1 < p->nrules; j++)
            if (p->rules[j].id && strcmp(p->rules[j].id, r->id) == 0)
                return fail(p, r->loc, "duplicate rule id '%s' (first defined at line %u)",
                            clip(&cb, r->id), p->rules[j].loc.line);
        return 0;
    case K_TYPE:
        if (get_string(p, name, &r->type, NULL))
            return -1;
        if (!match_type(r->type))
            return fail(p, vloc, "invalid type '%s'; types match [A-Z][A-Z0-9_]*",
                        clip(&cb, r->type));
        return 0;
    case K_CATEGORY:
        if (get_string(p, name, &r->category, NULL))
            return -1;
        if (!one_of(r->category, categories))
            return fail(p, vloc, "invalid category '%s'; expected personal, sensitive or criminal",
                        clip(&cb, r->category));
        return 0;
    case K_SEVERITY:
        if (get_string(p, name, &r->severity, NULL))
            return -1;
        if (!one_of(r->severity, severities))
            return fail(p, vloc, "invalid severity '%s'; expected info, low, medium or high",
                        clip(&cb, r->severity));
        return 0;
    case K_DESCRIPTION: return get_string(p, name, &r->description, NULL);
    case K_CONFIDENCE: return get_confidence(p, r);
    case K_REGEX: return get_strv(p, name, &r->regex, 1, 1);
    case K_PREFILTER:
        if (get_string(p, name, &r->prefilter, &r->prefilter_loc))
            return -1;
        if (!*r->prefilter)
            return fail(p, vloc, "empty pattern in 'prefilter'");
        return 0;
    case K_CASELESS: return get_bool(p, name, &r->caseless);
    case K_VALIDATOR:
        if (get_string(p, name, &r->validator, &r->validator_loc))
            return -1;
        return check_validator(p, r->validator, vloc);
    case K_CONTEXT: return get_words(p, name, &r->context, &r->ncontext);
    case K_CONTEXT_REQUIRED: return get_bool(p, name, &r->context_required);
    case K_CONTEXT_WINDOW: return get_window(p, &r->context_window);
    case K_KEYWORDS: return get_words(p, name, &r->keywords, &r->nkeywords);
    case K_COLUMNS: return get_strv(p, name, &r->columns, 0, 0);
    case K_COLUMN_ONLY: return get_bool(p, name, &r->column_only);
    case K_COLUMN_PAIR: return get_strv(p, name, &r->column_pair, 0, 1);
    case K_EXCLUDE_COLUMNS: return get_strv(p, name, &r->exclude_columns, 0, 1);
    case K_LEXICON: return get_lexicons(p, r);
    case K_PERSON_SIGNAL: return get_person_signal(p, r);
    case K_ANCHOR: return get_anchor(p, r);
    case K_EXCLUDE: return get_strv(p, name, &r->exclude, 0, 1);
    case K_ALLOW: return get_strv(p, name, &r->allow, 0, 0);
    case K_EXAMPLES: return get_examples(p, r);
    default: return -1;
    }
}

static int parse_rule(parse_ctx *p, size_t num)
{
    const yaml_event_t *m = cur(p);
    if (m->type != YAML_MAPPING_START_EVENT)
        return fail(p, cur_loc(p), "expected a mapping for rule %zu, found %s", num, describe(m));

    /* name the rule in messages by its id, wherever the id is written */
    char label[CLIP_MAX + 32], what[CLIP_MAX + 40];
    clipbuf cb;
    const char *id = peek_key(p, p->i, "id");
    if (id && match_id(id))
        snprintf(label, sizeof label, "rule '%s'", clip(&cb, id));
    else
        snprintf(label, sizeof label, "rule %zu", num);
    snprintf(what, sizeof what, "in %s", label);

    p->rules = ds_xgrow(p->rules, &p->rcap, p->nrules + 1, sizeof *p->rules);
    ds_rule_def *r = &p->rules[p->nrules++];
    memset(r, 0, sizeof *r);
    r->confidence = 0.6;
    r->context_window = 64;
    r->file = p->path ? ds_xstrdup(p->path) : NULL;
    r->loc = cur_loc(p);

    ds_loc seen[K_NKEYS];
    memset(seen, 0, sizeof seen);
    keyset ks = {rule_keys, K_NKEYS, seen, what, 0};
    for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
        ds_loc kloc;
        int k = take_key(p, &ks, &kloc);
        if (k < 0)
            return -1;
        if (k == K_REGEX)
            r->regex_loc = kloc;
        if (rule_value(p, r, k))
            return -1;
    }
    p->i++;

    static const int required[] = {K_ID, K_TYPE, K_CATEGORY, K_SEVERITY};
    for (size_t j = 0; j < sizeof required / sizeof *required; j++)
        if (!seen[required[j]].line)
            return fail(p, r->loc, "%s is missing required key '%s'", label,
                        rule_keys[required[j]]);
    if (r->column_only && r->columns.n == 0)
        return fail(p, seen[K_COLUMN_ONLY], "'column_only: true' needs a non-empty 'columns' list");
    if (r->column_pair.n && !r->column_only)
        return fail(p, seen[K_COLUMN_PAIR], "'column_pair' needs 'column_only: true'");
    if (r->nlexicons && r->regex.n == 0)
        return fail(p, seen[K_LEXICON], "'lexicon' needs 'regex' (it checks regex groups)");
    if (r->anchor && r->regex.n == 0)
        return fail(p, seen[K_ANCHOR], "'anchor' needs 'regex' (it says where its matches start)");
    if (r->regex.n == 0 && r->nkeywords == 0 && !r->column_only)
        return fail(p, r->loc, "%s needs 'regex', 'keywords' or 'column_only: true'", label);
    if (r->context_required && r->ncontext == 0 && r->columns.n == 0)
        return fail(p, seen[K_CONTEXT_REQUIRED],
                    "'context_required: true' needs 'context' words or 'columns'");
    return 0;
}

static int parse_rules_list(parse_ctx *p)
{
    if (cur(p)->type != YAML_SEQUENCE_START_EVENT)
        return fail(p, cur_loc(p), "expected a list of rules for 'rules', found %s",
                    describe(cur(p)));
    ds_loc lloc = cur_loc(p);
    size_t num = 0;
    for (p->i++; cur(p)->type != YAML_SEQUENCE_END_EVENT;)
        if (parse_rule(p, ++num))
            return -1;
    p->i++;
    if (num == 0)
        return fail(p, lloc, "no rules: 'rules' is an empty list");
    return 0;
}

static int parse_root(parse_ctx *p)
{
    static const char *const keys[] = {"description", "rules"};
    if (p->nev == 0 || is_null(&p->ev[0])) {
        ds_loc l = {1, 1};
        if (p->nev)
            l = mark_loc(p->ev[0].start_mark);
        return fail(p, l, "empty rule file; expected a mapping with a 'rules' list");
    }
    p->i = 0;
    if (cur(p)->type != YAML_MAPPING_START_EVENT)
        return fail(p, cur_loc(p), "the top level must be a mapping with a 'rules' list, found %s",
                    describe(cur(p)));
    ds_loc root = cur_loc(p);
    ds_loc seen[2] = {{0, 0}, {0, 0}};
    keyset ks = {keys, 2, seen, "at the top level", 1};
    for (p->i++; cur(p)->type != YAML_MAPPING_END_EVENT;) {
        ds_loc kloc;
        int k = take_key(p, &ks, &kloc);
        if (k < 0)
            return -1;
        if (k == 0) {
            /* the file description is documentation only: check, don't keep */
            if (want_string(p, keys[0]))
                return -1;
            p->i++;
        } else if (parse_rules_list(p)) {
            return -1;
        }
    }
    if (!seen[1].line)
        return fail(p, root, "missing required key 'rules' at the top level");
    return 0;
}

/* ---- public API ------------------------------------------------------------ */

ds_status ds_rules_parse(const char *path, const char *text, size_t len, ds_rule_def **rules,
                         size_t *nrules, ds_error *err)
{
    *rules = NULL;
    *nrules = 0;
    parse_ctx p;
    memset(&p, 0, sizeof p);
    p.path = path;
    p.text = text ? text : "";
    p.len = text ? len : 0;
    p.err = err;
    p.st = DS_OK;
    if (p.len >= 3 && memcmp(p.text, "\xEF\xBB\xBF", 3) == 0) {
        p.text += 3; /* libyaml would count a BOM as a column when told the encoding */
        p.len -= 3;
    }

    if (collect_events(&p) == 0)
        parse_root(&p);

    for (size_t k = 0; k < p.nev; k++)
        yaml_event_delete(&p.ev[k]);
    free(p.ev);

    if (p.st != DS_OK) {
        ds_rule_defs_free(p.rules, p.nrules);
        return p.st;
    }
    *rules = p.rules;
    *nrules = p.nrules;
    return DS_OK;
}

static void examples_free(ds_rule_example *x, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(x[k].value);
        free(x[k].field);
    }
    free(x);
}

void ds_rule_def_clear(ds_rule_def *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->type);
    free(r->category);
    free(r->severity);
    free(r->description);
    strv_free(&r->regex);
    free(r->prefilter);
    free(r->validator);
    words_free(r->context, r->ncontext);
    words_free(r->keywords, r->nkeywords);
    strv_free(&r->columns);
    strv_free(&r->column_pair);
    strv_free(&r->exclude_columns);
    for (size_t k = 0; k < r->nlexicons; k++) {
        free(r->lexicons[k].name);
        strv_free(&r->lexicons[k].files);
    }
    free(r->lexicons);
    strv_free(&r->exclude);
    strv_free(&r->allow);
    examples_free(r->positive, r->npositive);
    examples_free(r->negative, r->nnegative);
    free(r->file);
    memset(r, 0, sizeof *r);
}

void ds_rule_defs_free(ds_rule_def *rules, size_t n)
{
    if (!rules)
        return;
    for (size_t k = 0; k < n; k++)
        ds_rule_def_clear(&rules[k]);
    free(rules);
}
