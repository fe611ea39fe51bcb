/* input: JSON and JSONL reader over yajl's push parser.
 *
 * Records (SPEC §4):
 *   JSONL  one record per non-blank line; index counts every non-blank line,
 *          malformed ones included, so indices match line positions when a
 *          file has no blank lines. A malformed line is reported (DS_EFORMAT,
 *          "NAME:LINE: message") and reading goes on with the next line.
 *   JSON   a top-level array is streamed: each element is a record (index =
 *          1-based position, line = where the element starts). Any other
 *          top-level value is one record (index 1). A syntax error cannot be
 *          resynchronised reliably, so it is reported once as DS_EFORMAT at
 *          the line where yajl found it and the file ends there (DS_DONE):
 *          the file is incomplete either way (stats.lines then counts the
 *          lines up to that point). An element that breaks a limit (depth,
 *          name or token length) is skipped and the array goes on.
 *
 * Fields: nested keys become dotted paths ("author.contact.email"), array
 * elements "posts[0].body" and "m[1][0]" (0-based, as jq). Keys are used
 * as they are, even when they contain '.' or '['. A top-level scalar is a
 * field named "value". Strings are unescaped, numbers and booleans keep their
 * source text, null gives no field (but takes its array index). An empty
 * object or array is a record with no fields. Names and values are valid
 * UTF-8: invalid bytes are read as Windows-1252 and counted once per value.
 * (yajl turns a lone \uDC00-\uDFFF escape into an encoded surrogate, which
 * is then repaired and counted like any invalid byte.)
 *
 * Bounded memory. A byte filter runs in front of yajl and tracks strings
 * (quote and backslash state), so that:
 *   - a string longer than opts.max_field is never handed to yajl: its raw
 *     bytes are unescaped here (leniently: an oversized string is not
 *     checked for stray control characters or bad escapes) into
 *     overlapping windows, delivered as record parts (ds_record.more);
 *   - a key longer than max_field, a field name longer than max_field, a
 *     number longer than JSON_MAX_TOKEN bytes, and nesting deeper than
 *     opts.max_json_depth make the record malformed;
 *   - a record whose names and values pass 4 * max_field bytes or
 *     JSON_MAX_FIELDS fields is delivered in parts.
 * A JSONL line that fits in one stream chunk and in max_field bytes is fed
 * to yajl directly, without the filter (no string can be oversized in it).
 *
 * Plain lines. yajl's lexer costs ~8 instructions a byte, a quarter of a
 * sparse JSONL scan. A direct line that is valid UTF-8 and one flat object
 * (string keys; values that are strings, numbers, true, false or null; only
 * JSON whitespace around them) is read here instead (plain_line), and the
 * reader's own yajl callbacks are called as yajl would call them: the same
 * key, string (unescaped as yajl does) and number text, in the same order.
 * The line is checked whole before the first call, and anything else goes to
 * yajl: a nested value, a control byte or a bad escape in a string, \u0000
 * or a surrogate escape, a number JSON does not allow, a token longer than
 * JSON_MAX_TOKEN, as many fields as a record part may hold, a second value.
 * ds_source_opts.json_no_fast sends every line to yajl; the JSON fuzz
 * target and the unit tests read inputs both ways and compare.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/buf.h"
#include "common/mem.h"
#include "common/utf8.h"
#include "input/source_impl.h"

#define JSON_MAX_TOKEN 4096   /* longest number (or other bare token) */
#define JSON_MAX_FIELDS 65536 /* fields per record part */
#define JSON_PART_FACTOR 4    /* part budget: names + values, in max_field units */

enum phase {
    P_LINE_START, /* JSONL: between records, skipping blank lines */
    P_LINE,       /* JSONL: inside a record line */
    P_SKIP_LINE,  /* JSONL: dropping the rest of a malformed line */
    P_DOC_START,  /* JSON: before the top-level value */
    P_ELEM_START, /* JSON: inside the top-level array, before an element or ']' */
    P_VALUE,      /* JSON: inside a record */
    P_SKIP_ELEM,  /* JSON: dropping the rest of a malformed array element */
    P_DOC_END,    /* JSON: after the top-level value: only whitespace may follow */
    P_DONE
};

/* What to do once the pending span has been fed to yajl. */
enum after {
    A_NONE,
    A_LINE_END, /* JSONL: the line is complete */
    A_BOUNDARY, /* JSON: a record (element or top-level value) may be complete */
    A_EOF,      /* JSON: end of input inside a record */
    A_DIVERT    /* an oversized string starts: unescape it here from now on */
};

typedef enum scan_res {
    SCAN_END,      /* reached the end of the chunk */
    SCAN_SPAN,     /* a string copied across chunks closed: feed what we have */
    SCAN_NEWLINE,  /* JSONL: end of line (consumed) */
    SCAN_BOUNDARY, /* JSON: end of an array element or of the top-level value */
    SCAN_DIVERT,   /* a string passed max_field bytes */
    SCAN_TOKEN     /* a bare token passed JSON_MAX_TOKEN bytes */
} scan_res;

typedef struct json_level {
    size_t path_len; /* length of the container's own name in the path */
    uint64_t next;   /* arrays: index of the next element */
    int arr;
} json_level;

typedef struct json_field { /* offsets into store: it may move while a record grows */
    const char *direct;     /* or the value itself, in the current chunk */
    size_t name_off, name_len;
    size_t value_off, value_len;
    uint64_t woff;
    size_t own;
} json_field;

typedef struct json_reader {
    ds_source *src;
    int jsonl;
    enum phase phase;
    yajl_handle h;
    int muted;     /* replaying a synthetic prefix: callbacks do nothing */
    ds_buf replay; /* prefix that puts a fresh handle where the old one stopped */

    /* input */
    const unsigned char *buf; /* current chunk (borrowed from the stream) */
    size_t len, pos;
    int eof;
    unsigned char last_byte;
    int any_bytes;
    uint64_t line;      /* line of buf[pos] */
    uint64_t stop_line; /* JSON: the file stopped early at this line */

    /* the span yajl must eat next: strcopy first when sp_copy, then sp_p */
    int sp_active;
    int sp_copy;
    const unsigned char *sp_p;
    size_t sp_n;
    uint64_t sp_line;
    enum after sp_after;
    int sp_direct;                        /* JSONL fast path: a whole line, inside the chunk */
    int sp_valid;                         /* ... and it is valid UTF-8 */
    const unsigned char *raw_lo, *raw_hi; /* yajl is parsing this direct span */

    /* byte filter */
    int tracked;   /* JSONL: this line goes through the filter */
    int line_open; /* JSONL: the current line's newline is not consumed yet */
    int in_str, esc;
    size_t str_raw;  /* raw content bytes of the current string so far */
    int str_high;    /* ... some of them >= 0x80: repair may triple them, so the
                        string is diverted past max_field / 3 raw bytes */
    size_t str_from; /* where the current string's uncopied content starts in buf */
    uint64_t str_line;
    size_t tok_run; /* length of the current bare token */
    long fdepth;    /* JSON: bracket depth as the filter sees it */
    int need_space; /* JSON: a top-level bare token needs a terminator */
    ds_buf strcopy; /* content of a string open across chunks (<= max_field) */
    uint64_t copy_line;

    /* oversized string being unescaped here */
    int dv_active, dv_closing, dv_invalid;
    size_t dv_copy_off;       /* decoded part of strcopy */
    unsigned char dv_esc[12]; /* escape sequence in progress */
    size_t dv_elen;
    ds_buf wbuf; /* decoded, valid UTF-8 up to wvalid (the rest: a cut sequence) */
    size_t wvalid;
    uint64_t woff;   /* offset of wbuf[0] in the whole value */
    uint64_t wcount; /* windows delivered */
    size_t wconsume; /* after a window part: bytes to drop from wbuf */
    ds_buf wname;
    size_t wlen; /* length of the window being delivered */

    /* path and record */
    json_level *lv;
    size_t lvcap;
    unsigned depth, rec_base;
    int doc_array;
    int want_key;
    ds_buf path; /* name of the current value */
    uint64_t index, rec_line;
    int rec_complete;
    int flush;      /* a callback asked for a record part */
    int fail;       /* a callback rejected the record */
    int fail_limit; /* ... because of a limit (JSON arrays can skip the element) */
    char fail_msg[128];

    /* plain lines read without yajl (plain_line): their tokens, and the
     * strings with escapes, unescaped */
    struct pl_tok *pl;
    size_t pl_cap;
    ds_buf plain;

    ds_buf store;
    json_field *fields;
    size_t nfields, fcap;
    ds_field *out;
    size_t ocap;
    ds_record rec;
    int reset_store, rec_done;
} json_reader;

enum { K_OTHER = 0, K_WS, K_NL, K_QUOTE, K_OPEN, K_CLOSE, K_COMMA, K_COLON };

static const unsigned char kind[256] = {
    [' '] = K_WS,    ['\t'] = K_WS,   ['\r'] = K_WS,   ['\n'] = K_NL,
    ['"'] = K_QUOTE, ['['] = K_OPEN,  ['{'] = K_OPEN,  [']'] = K_CLOSE,
    ['}'] = K_CLOSE, [','] = K_COMMA, [':'] = K_COLON,
};

static const unsigned char str_stop[256] = {['"'] = 1, ['\\'] = 1, ['\n'] = 1};
/* str_stop, plus the bytes >= 0x80 (until a string has one) */
#define HI16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char str_stop_hi[256] = {
    ['"'] = 1, ['\\'] = 1, ['\n'] = 1,
    [0x80] = HI16, [0x90] = HI16, [0xa0] = HI16, [0xb0] = HI16, [0xc0] = HI16, [0xd0] = HI16,
    [0xe0] = HI16, [0xf0] = HI16};
#undef HI16

/* ---- yajl allocation: out of memory aborts, as everywhere in dsaudit ---- */

static void *ya_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return ds_xmalloc(n);
}

static void *ya_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return ds_xrealloc(p, n);
}

static void ya_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static yajl_alloc_funcs ya_funcs = {ya_malloc, ya_realloc, ya_free, NULL};

/* ---- record building (called from the yajl callbacks) ------------------- */

static int fail(json_reader *r, int limit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(json_reader *r, int limit, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->fail_msg, sizeof r->fail_msg, fmt, ap);
    va_end(ap);
    r->fail = 1;
    r->fail_limit = limit;
    return 0;
}

/* ds_buf_reserve, with the common case inline (a call per field shows). */
static inline void reserve(ds_buf *b, size_t extra)
{
    if (b->cap - b->len <= extra)
        ds_buf_reserve(b, extra);
}

static void append_index(ds_buf *b, uint64_t i)
{
    char tmp[24];
    size_t n = sizeof tmp;
    tmp[--n] = ']';
    do {
        tmp[--n] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    tmp[--n] = '[';
    reserve(b, sizeof tmp - n);
    memcpy(b->data + b->len, tmp + n, sizeof tmp - n);
    b->len += sizeof tmp - n;
}

static int name_too_long(json_reader *r)
{
    return fail(r, 1, "field name longer than %zu bytes", r->src->opts.max_field);
}

/* Valid UTF-8? Most text is ASCII: skip it a word at a time and leave the
 * rest (from the first non-ASCII word) to the full validator. */
static int valid_utf8(const void *p, size_t n)
{
    const unsigned char *s = p;
    const uint64_t hi = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t a, b, c, d;
        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        memcpy(&c, s + i + 16, 8);
        memcpy(&d, s + i + 24, 8);
        if ((a | b | c | d) & hi)
            return ds_utf8_is_valid((const char *)s + i, n - i);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t a;
        memcpy(&a, s + i, 8);
        if (a & hi)
            return ds_utf8_is_valid((const char *)s + i, n - i);
    }
    for (; i < n; i++)
        if (s[i] & 0x80)
            return ds_utf8_is_valid((const char *)s + i, n - i);
    return 1;
}

/* Set r->path to the name of the value that starts now. */
static int begin_value(json_reader *r, int container)
{
    if (r->depth == r->rec_base) {
        if (r->rec_complete)
            return fail(r, 0, "parse error: trailing garbage");
        r->path.len = 0;
        if (!container)
            ds_buf_append(&r->path, "value", 5);
        return 1;
    }
    const json_level *top = &r->lv[r->depth - 1];
    if (top->arr) {
        r->path.len = top->path_len;
        append_index(&r->path, top->next);
        if (r->path.len > r->src->opts.max_field)
            return name_too_long(r);
    }
    return 1;
}

static void end_value(json_reader *r)
{
    if (r->depth == r->rec_base) {
        r->rec_complete = 1;
        r->want_key = 0;
        return;
    }
    json_level *top = &r->lv[r->depth - 1];
    if (top->arr)
        top->next++;
    r->want_key = !top->arr;
}

/* 1 when yajl handed back bytes of the direct span itself (no escapes). */
static int in_direct(const json_reader *r, const void *p, size_t n)
{
    uintptr_t a = (uintptr_t)p;
    return a >= (uintptr_t)r->raw_lo && a + n <= (uintptr_t)r->raw_hi;
}

static void add_field(json_reader *r, const void *v, size_t n, int check_utf8, uint64_t woff)
{
    if (r->nfields == r->fcap)
        r->fields = ds_xgrow(r->fields, &r->fcap, r->nfields + 1, sizeof *r->fields);
    json_field *f = &r->fields[r->nfields++];
    int direct = r->raw_lo && in_direct(r, v, n);
    reserve(&r->store, r->path.len);
    f->name_off = r->store.len;
    f->name_len = r->path.len;
    memcpy(r->store.data + r->store.len, r->path.data, r->path.len);
    r->store.len += r->path.len;
    f->value_off = r->store.len;
    f->direct = NULL;
    if (direct && (!check_utf8 || r->sp_valid || valid_utf8(v, n))) {
        /* the chunk outlives the record: this span is a whole line in it */
        f->direct = v;
    } else if (!check_utf8 || valid_utf8(v, n)) {
        reserve(&r->store, n);
        memcpy(r->store.data + r->store.len, v, n);
        r->store.len += n;
    } else {
        ds_utf8_repair(v, n, &r->store);
        r->src->stats.invalid_utf8++;
    }
    f->value_len = f->direct ? n : r->store.len - f->value_off;
    f->woff = woff;
    f->own = f->value_len;
    if (r->store.len > JSON_PART_FACTOR * r->src->opts.max_field || r->nfields >= JSON_MAX_FIELDS)
        r->flush = 1;
}

/* After a scalar: go on, or stop yajl so that a part can go out. */
static int scalar_done(json_reader *r)
{
    end_value(r);
    if (r->flush && !r->rec_complete)
        return 0;
    r->flush = 0;
    return 1;
}

static int cb_null(void *ctx)
{
    json_reader *r = ctx;
    if (r->muted)
        return 1;
    if (!begin_value(r, 0))
        return 0;
    end_value(r);
    return 1;
}

static int cb_boolean(void *ctx, int v)
{
    json_reader *r = ctx;
    if (r->muted)
        return 1;
    if (!begin_value(r, 0))
        return 0;
    add_field(r, v ? "true" : "false", v ? 4 : 5, 0, 0);
    return scalar_done(r);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    json_reader *r = ctx;
    if (r->muted)
        return 1;
    if (n > JSON_MAX_TOKEN)
        return fail(r, 1, "token longer than %d bytes", JSON_MAX_TOKEN);
    if (!begin_value(r, 0))
        return 0;
    add_field(r, s, n, 0, 0);
    return scalar_done(r);
}

static void win_finish(json_reader *r);

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    json_reader *r = ctx;
    if (r->muted)
        return 1;
    if (!begin_value(r, 0))
        return 0;
    if (!r->dv_active) {
        add_field(r, s, n, 1, 0);
        return scalar_done(r);
    }
    /* the end of an oversized string: yajl saw only its quotes */
    win_finish(r);
    add_field(r, r->wbuf.data, r->wbuf.len, 0, r->woff);
    if (r->dv_invalid)
        r->src->stats.invalid_utf8++;
    r->dv_active = 0;
    r->wbuf.len = 0;
    r->wvalid = 0;
    return scalar_done(r);
}

static int cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
    json_reader *r = ctx;
    if (r->muted)
        return 1;
    const json_level *top = &r->lv[r->depth - 1];
    size_t max = r->src->opts.max_field;
    size_t at = top->path_len;
    if (at + (at > 0) + n > max)
        return name_too_long(r);
    r->path.len = at;
    reserve(&r->path, 1 + n);
    if (at)
        r->path.data[r->path.len++] = '.';
    if ((r->sp_valid && in_direct(r, s, n)) || valid_utf8(s, n)) {
        memcpy(r->path.data + r->path.len, s, n);
        r->path.len += n;
    } else {
        ds_utf8_repair((const char *)s, n, &r->path);
        r->src->stats.invalid_utf8++;
        if (r->path.len > max)
            return name_too_long(r);
    }
    r->want_key = 0;
    return 1;
}

static int open_container(json_reader *r, int arr)
{
    if (r->muted)
        return 1;
    if (r->depth < r->rec_base) {
        /* the top-level array of a JSON file: its elements are the records */
        r->lv = ds_xgrow(r->lv, &r->lvcap, 1, sizeof *r->lv);
        r->lv[0] = (json_level){0, 0, 1};
        r->depth = 1;
        return 1;
    }
    if (!begin_value(r, 1))
        return 0;
    if (r->depth >= r->src->opts.max_json_depth)
        return fail(r, 1, "nesting deeper than %u", r->src->opts.max_json_depth);
    r->lv = ds_xgrow(r->lv, &r->lvcap, r->depth + 1, sizeof *r->lv);
    r->lv[r->depth] = (json_level){r->path.len, 0, arr};
    r->depth++;
    r->want_key = !arr;
    return 1;
}

static int close_container(json_reader *r)
{
    if (r->muted)
        return 1;
    r->depth--;
    if (r->depth >= r->rec_base)
        end_value(r);
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, 0);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, 1);
}

static int cb_end(void *ctx)
{
    return close_container(ctx);
}

/* yajl_number gets every number as its source text (integer and double stay NULL). */
static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_boolean,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

/* ---- yajl handle -------------------------------------------------------- */

static void drop_handle(json_reader *r)
{
    if (r->h)
        yajl_free(r->h);
    r->h = NULL;
}

static void new_handle(json_reader *r)
{
    r->h = yajl_alloc(&callbacks, &ya_funcs, r);
    if (!r->h) {
        fputs("dsaudit: out of memory\n", stderr);
        abort();
    }
    yajl_config(r->h, yajl_dont_validate_strings, 1);
    if (r->jsonl)
        yajl_config(r->h, yajl_allow_multiple_values, 1);
    if (r->replay.len) {
        r->muted = 1;
        yajl_parse(r->h, (const unsigned char *)r->replay.data, r->replay.len);
        r->muted = 0;
        r->replay.len = 0;
    }
}

/* A prefix that leaves a fresh handle inside the open containers, just after
 * a value of the innermost one (where a part was cut). */
static void build_replay(json_reader *r)
{
    r->replay.len = 0;
    for (unsigned i = 0; i < r->depth; i++) {
        if (i > 0 && !r->lv[i - 1].arr)
            ds_buf_append(&r->replay, "\"\":", 3);
        ds_buf_putc(&r->replay, r->lv[i].arr ? '[' : '{');
    }
    if (r->depth > 0 && !r->lv[r->depth - 1].arr)
        ds_buf_append(&r->replay, "\"\":", 3);
    if (r->depth > 0)
        ds_buf_append(&r->replay, "\"\"", 2);
}

/* yajl's own message, one line, no excerpt. */
static void yajl_message(json_reader *r, char *out, size_t cap)
{
    unsigned char *m = r->h ? yajl_get_error(r->h, 0, NULL, 0) : NULL;
    if (!m) {
        snprintf(out, cap, "parse error");
        return;
    }
    size_t n = strcspn((const char *)m, "\n");
    snprintf(out, cap, "%.*s", (int)n, (const char *)m);
    yajl_free_error(r->h, m);
}

/* ---- oversized strings: unescaping and windows --------------------------- */

/* Append decoded bytes to the window buffer, keeping it valid UTF-8 except a
 * sequence cut at its end. */
static void win_append(json_reader *r, const void *p, size_t n)
{
    ds_buf_append(&r->wbuf, p, n);
    const char *seg = r->wbuf.data + r->wvalid;
    size_t segn = r->wbuf.len - r->wvalid;
    size_t ok = ds_utf8_valid_prefix(seg, segn);
    size_t tail = ds_utf8_incomplete_tail(seg, segn);
    if (ok == segn) {
        r->wvalid = r->wbuf.len - tail;
        return;
    }
    /* repair [wvalid, len - tail) and keep the cut tail for later */
    size_t fixn = segn - tail;
    char keep[4];
    memcpy(keep, seg + fixn, tail);
    char *tmp = ds_xmalloc(fixn);
    memcpy(tmp, seg, fixn);
    r->wbuf.len = r->wvalid;
    ds_utf8_repair(tmp, fixn, &r->wbuf);
    free(tmp);
    r->dv_invalid = 1;
    r->wvalid = r->wbuf.len;
    ds_buf_append(&r->wbuf, keep, tail);
}

/* The string ended: a sequence still cut is invalid. */
static void win_finish(json_reader *r)
{
    size_t tail = r->wbuf.len - r->wvalid;
    if (!tail)
        return;
    char keep[4];
    memcpy(keep, r->wbuf.data + r->wvalid, tail);
    r->wbuf.len = r->wvalid;
    ds_utf8_repair(keep, tail, &r->wbuf);
    r->wvalid = r->wbuf.len;
    r->dv_invalid = 1;
}

static void win_cp(json_reader *r, unsigned long cp)
{
    char enc[4];
    win_append(r, enc, ds_utf8_encode(cp, enc));
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static unsigned long hex4(const unsigned char *h)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 4 | (unsigned long)hexval(h[i]);
    return v;
}

/* One byte of an escape sequence in progress. Returns 0 when c is not part
 * of it and must be read again as an ordinary byte. Lone or broken
 * surrogates and bad \u digits become U+FFFD; an unknown escape \x gives x. */
static int esc_byte(json_reader *r, unsigned char c)
{
    unsigned char *e = r->dv_esc;
    size_t k = r->dv_elen;
    if (k == 1) {
        static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
        const char *m = c ? strchr(from, c) : NULL;
        if (c == 'u') {
            e[1] = 'u';
            r->dv_elen = 2;
            return 1;
        }
        char out = m ? to[m - from] : (char)c;
        r->dv_elen = 0;
        win_append(r, &out, 1);
        return 1;
    }
    if (k < 6 || (k >= 8 && k < 12)) {
        if (hexval(c) < 0) {
            win_cp(r, 0xFFFD);
            if (k >= 8)
                win_cp(r, 0xFFFD);
            r->dv_elen = 0;
            return 0;
        }
        e[k] = c;
        r->dv_elen = ++k;
        if (k == 6) {
            unsigned long cp = hex4(e + 2);
            if (cp < 0xD800 || cp > 0xDBFF) {
                win_cp(r, cp); /* a lone low surrogate becomes U+FFFD */
                r->dv_elen = 0;
            }
        } else if (k == 12) {
            unsigned long hi = hex4(e + 2), lo = hex4(e + 8);
            r->dv_elen = 0;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                win_cp(r, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            } else if (lo >= 0xD800 && lo <= 0xDBFF) {
                win_cp(r, 0xFFFD);
                memmove(e + 2, e + 8, 4); /* a new high surrogate waits for its pair */
                r->dv_elen = 6;
            } else {
                win_cp(r, 0xFFFD);
                win_cp(r, lo);
            }
        }
        return 1;
    }
    if (k == 6) { /* a high surrogate: a second \u must follow */
        if (c == '\\') {
            e[6] = '\\';
            r->dv_elen = 7;
            return 1;
        }
        win_cp(r, 0xFFFD);
        r->dv_elen = 0;
        return 0;
    }
    /* k == 7: after "\uD8xx\" */
    if (c == 'u') {
        e[7] = 'u';
        r->dv_elen = 8;
        return 1;
    }
    win_cp(r, 0xFFFD);
    r->dv_elen = 1; /* the backslash starts an ordinary escape */
    return esc_byte(r, c);
}

enum { DV_MORE = 0, DV_QUOTE, DV_NEWLINE };

/* What a raw newline inside an oversized string means to dv_decode. */
enum { NL_STOP, NL_COUNT, NL_KEEP };

/* Unescape string content from s[0..n) into the window buffer until the
 * closing quote (not consumed), a JSONL line end (not consumed), a full
 * window, or n. Returns the bytes consumed. */
static size_t dv_decode(json_reader *r, const unsigned char *s, size_t n, int nl_mode, int *stop)
{
    size_t maxf = r->src->opts.max_field;
    size_t i = 0;
    *stop = DV_MORE;
    while (i < n && r->wbuf.len <= maxf) {
        if (r->dv_elen) {
            if (esc_byte(r, s[i]))
                i++;
            continue;
        }
        size_t room = maxf + 1 - r->wbuf.len;
        size_t lim = n - i > room ? i + room : n;
        size_t j = i;
        while (j < lim && !str_stop[s[j]])
            j++;
        if (j > i) {
            win_append(r, s + i, j - i);
            i = j;
            continue;
        }
        unsigned char c = s[i];
        if (c == '"') {
            *stop = DV_QUOTE;
            return i;
        }
        if (c == '\\') {
            r->dv_esc[0] = '\\';
            r->dv_elen = 1;
        } else { /* a raw newline */
            if (nl_mode == NL_STOP) {
                *stop = DV_NEWLINE;
                return i;
            }
            if (nl_mode == NL_COUNT)
                r->line++;
            win_append(r, "\n", 1);
        }
        i++;
    }
    return i;
}

/* ---- delivery ------------------------------------------------------------- */

static ds_status deliver(json_reader *r, const ds_record **rec, int more, int window)
{
    size_t n = r->nfields + (window ? 1 : 0);
    if (n > r->ocap)
        r->out = ds_xgrow(r->out, &r->ocap, n, sizeof *r->out);
    const char *base = r->store.data;
    for (size_t i = 0; i < r->nfields; i++) {
        const json_field *f = &r->fields[i];
        r->out[i] =
            (ds_field){base + f->name_off, f->name_len, f->direct ? f->direct : base + f->value_off,
                       f->value_len,       f->woff,     f->own};
    }
    if (window) {
        r->out[r->nfields] =
            (ds_field){r->wname.data, r->wname.len, r->wbuf.data, r->wlen, r->woff, r->wconsume};
    }
    r->rec = (ds_record){r->index, r->rec_line, r->out, n, more};
    r->reset_store = 1;
    r->rec_done = !more;
    r->src->stats.lines = r->line - 1 - r->src->opts.line_base;
    *rec = &r->rec;
    return DS_OK;
}

/* Cut the next window (at most max_field bytes, on a character boundary) and
 * deliver it with the fields gathered so far. */
static ds_status emit_window(json_reader *r, const ds_record **rec)
{
    const ds_source_opts *o = &r->src->opts;
    const unsigned char *w = (const unsigned char *)r->wbuf.data;
    size_t end = o->max_field < r->wvalid ? o->max_field : r->wvalid;
    while (end > 0 && (w[end] & 0xC0) == 0x80)
        end--;
    size_t next = end > o->window_overlap ? end - o->window_overlap : 0;
    while (next > 0 && (w[next] & 0xC0) == 0x80)
        next--;
    if (next == 0) /* cannot happen with overlap < max_field / 2; never stall */
        next = end;
    if (r->wcount == 0)
        r->src->stats.windowed++;
    r->wcount++;
    r->wlen = end;
    r->wconsume = next;
    return deliver(r, rec, 1, 1);
}

/* Called at the start of each next(): the previous record is gone. */
static void after_delivery(json_reader *r)
{
    if (r->wconsume) {
        ds_buf_consume(&r->wbuf, r->wconsume);
        r->wvalid -= r->wconsume;
        r->woff += r->wconsume;
        r->wconsume = 0;
    }
    if (r->reset_store) {
        r->store.len = 0;
        r->nfields = 0;
        r->reset_store = 0;
    }
    if (r->rec_done) {
        r->rec_complete = 0;
        r->rec_done = 0;
    }
}

/* ---- errors ------------------------------------------------------------- */

static void reset_record(json_reader *r)
{
    r->store.len = 0;
    r->nfields = 0;
    r->depth = r->rec_base;
    r->rec_complete = 0;
    r->path.len = 0;
    r->want_key = 0;
    r->flush = 0;
    r->fail = 0;
    r->dv_active = 0;
    r->dv_closing = 0;
    r->dv_invalid = 0;
    r->dv_elen = 0;
    r->dv_copy_off = 0;
    r->wbuf.len = 0;
    r->wvalid = 0;
    r->woff = 0;
    r->wcount = 0;
    r->strcopy.len = 0;
    r->sp_active = 0;
    r->sp_copy = 0;
    r->sp_n = 0;
    r->need_space = 0;
}

static void reset_filter(json_reader *r)
{
    r->in_str = 0;
    r->esc = 0;
    r->str_raw = 0;
    r->str_high = 0;
    r->tok_run = 0;
}

static uint64_t eof_line(const json_reader *r)
{
    uint64_t l = r->line;
    if (r->any_bytes && r->last_byte == '\n' && l > 1)
        l--;
    return l;
}

static void set_where(json_reader *r, ds_error *err, ds_status st, uint64_t line, const char *msg)
{
    char where[sizeof err->where];
    snprintf(where, sizeof where, "%s:%llu", ds_stream_name(r->src->st), (unsigned long long)line);
    ds_error_set(err, st, where, "%s", msg);
}

/* The current record is malformed: report it and decide where reading goes
 * on. `limit` errors leave the filter in step with the input, so a JSON
 * array can skip the element; syntax errors end a JSON file. */
static ds_status record_failed(json_reader *r, ds_error *err, uint64_t line, const char *msg,
                               int limit)
{
    enum after after = r->sp_active ? r->sp_after : A_NONE;
    set_where(r, err, DS_EFORMAT, line, msg);
    drop_handle(r);
    reset_record(r);
    if (r->jsonl) {
        reset_filter(r);
        r->phase = r->line_open ? P_SKIP_LINE : P_LINE_START;
        return DS_EFORMAT;
    }
    if (!limit || !r->doc_array) {
        r->phase = P_DONE;
        r->stop_line = line;
        return DS_EFORMAT;
    }
    if (after == A_BOUNDARY) { /* the element's end was already seen */
        if (r->fdepth <= 0) {
            r->phase = P_DOC_END;
        } else {
            ds_buf_append(&r->replay, "[\"\",", 4);
            r->phase = P_ELEM_START;
        }
        return DS_EFORMAT;
    }
    r->tok_run = 0; /* the filter is in step with the input: skip the element */
    r->phase = P_SKIP_ELEM;
    return DS_EFORMAT;
}

/* A callback or a yajl error stopped the parse. */
static ds_status parse_failed(json_reader *r, ds_error *err, uint64_t line, yajl_status st)
{
    char msg[sizeof r->fail_msg];
    int limit = 0;
    if (st == yajl_status_client_canceled && r->fail) {
        snprintf(msg, sizeof msg, "%s", r->fail_msg);
        limit = r->fail_limit;
    } else {
        yajl_message(r, msg, sizeof msg);
    }
    if (r->jsonl || limit)
        line = r->rec_line;
    return record_failed(r, err, line, msg, limit);
}

/* ---- feeding yajl ------------------------------------------------------- */

static uint64_t count_nl(const unsigned char *p, size_t n)
{
    uint64_t c = 0;
    const unsigned char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        c++;
        p++;
    }
    return c;
}

/* ---- plain lines (see the top of the file) ------------------------------ */

typedef struct pl_tok {
    unsigned char kind; /* 'k' key, 's' string, 'n' number, 't' true, 'f' false, 'z' null */
    const unsigned char *p; /* NULL: at off in plain */
    size_t off, n;
} pl_tok;

static const unsigned char *pl_ws(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* The first quote, backslash or control byte in [p, end), or end: 16 bytes
 * at a time (a byte loop here cost more than yajl's lexer). */
static const unsigned char *pl_special(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1F);
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
                                 _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl)); /* x <= 0x1F */
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return p + __builtin_ctz(bits);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
        p++;
    return p;
}

/* A JSON string from p (just past its opening quote): its end (past the
 * closing quote), or NULL when yajl should read it. Content with escapes is
 * unescaped into r->plain as yajl does; without, t points into the line. */
static const unsigned char *pl_string(json_reader *r, const unsigned char *p,
                                      const unsigned char *end, pl_tok *t)
{
    const unsigned char *from = p;
    size_t off = r->plain.len;
    int esc = 0;
    for (;;) {
        p = pl_special(p, end);
        if (p == end || *p < 0x20)
            return NULL;
        if (*p == '"')
            break;
        /* an escape: what came before it goes to the unescaped copy */
        ds_buf_append(&r->plain, from, (size_t)(p - from));
        esc = 1;
        if (end - p < 2)
            return NULL;
        unsigned char c = p[1];
        static const char from_c[] = "\"\\/bfnrt", to_c[] = "\"\\/\b\f\n\r\t";
        const char *m = c ? strchr(from_c, c) : NULL;
        if (m) {
            ds_buf_putc(&r->plain, to_c[m - from_c]);
            p += 2;
        } else if (c == 'u') {
            if (end - p < 6)
                return NULL;
            unsigned long cp = 0;
            for (int i = 2; i < 6; i++) {
                int h = hexval(p[i]);
                if (h < 0)
                    return NULL;
                cp = cp << 4 | (unsigned long)h;
            }
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                return NULL; /* yajl drops \u0000 and pairs or mangles surrogates */
            char enc[4];
            ds_buf_append(&r->plain, enc, ds_utf8_encode(cp, enc));
            p += 6;
        } else {
            return NULL;
        }
        from = p;
    }
    if (esc) {
        ds_buf_append(&r->plain, from, (size_t)(p - from));
        *t = (pl_tok){t->kind, NULL, off, r->plain.len - off};
    } else {
        *t = (pl_tok){t->kind, from, 0, (size_t)(p - from)};
    }
    return p + 1;
}

/* A JSON number at p, as yajl's lexer reads one: its end, or NULL. */
static const unsigned char *pl_number(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    if (q < end && *q == '-')
        q++;
    if (q < end && *q == '0') {
        q++;
    } else if (q < end && *q >= '1' && *q <= '9') {
        while (q < end && *q >= '0' && *q <= '9')
            q++;
    } else {
        return NULL;
    }
    if (q < end && *q == '.') {
        const unsigned char *d = ++q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (q == d)
            return NULL;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        const unsigned char *d = q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (q == d)
            return NULL;
    }
    /* what follows must end the token ("1x", "01" are yajl's errors) */
    if (q < end && !(*q == ',' || *q == '}' || *q == ' ' || *q == '\t' || *q == '\r' ||
                     *q == '\n'))
        return NULL;
    return (size_t)(q - p) > JSON_MAX_TOKEN ? NULL : q;
}

/* Read the direct line [p, p + n) if it is plain, making the callbacks yajl
 * would make; 0 (no call made) when yajl must read it. */
static int plain_line(json_reader *r, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    if (!r->sp_valid || r->src->opts.max_json_depth < 2 || r->depth != r->rec_base ||
        r->rec_complete)
        return 0;
    r->plain.len = 0;
    size_t nt = 0;
    p = pl_ws(p, end);
    if (p == end || *p != '{')
        return 0;
    p = pl_ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            if (nt + 2 > r->pl_cap)
                r->pl = ds_xgrow(r->pl, &r->pl_cap, nt + 2, sizeof *r->pl);
            pl_tok *k = &r->pl[nt++], *v = &r->pl[nt++];
            if (p == end || *p != '"')
                return 0;
            k->kind = 'k';
            if (!(p = pl_string(r, p + 1, end, k)))
                return 0;
            p = pl_ws(p, end);
            if (p == end || *p != ':')
                return 0;
            p = pl_ws(p + 1, end);
            if (p == end)
                return 0;
            if (*p == '"') {
                v->kind = 's';
                if (!(p = pl_string(r, p + 1, end, v)))
                    return 0;
            } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
                const unsigned char *q = pl_number(p, end);
                if (!q)
                    return 0;
                *v = (pl_tok){'n', p, 0, (size_t)(q - p)};
                p = q;
            } else if ((size_t)(end - p) >= 4 && memcmp(p, "true", 4) == 0) {
                *v = (pl_tok){'t', NULL, 0, 0};
                p += 4;
            } else if ((size_t)(end - p) >= 5 && memcmp(p, "false", 5) == 0) {
                *v = (pl_tok){'f', NULL, 0, 0};
                p += 5;
            } else if ((size_t)(end - p) >= 4 && memcmp(p, "null", 4) == 0) {
                *v = (pl_tok){'z', NULL, 0, 0};
                p += 4;
            } else {
                return 0; /* a nested value, or not JSON */
            }
            if (v->kind == 't' || v->kind == 'f' || v->kind == 'z') {
                /* a literal must end there too ("truex" is yajl's error) */
                if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                (*p >= '0' && *p <= '9')))
                    return 0;
            }
            p = pl_ws(p, end);
            if (p < end && *p == ',') {
                p = pl_ws(p + 1, end);
                continue;
            }
            if (p < end && *p == '}') {
                p++;
                break;
            }
            return 0;
        }
    }
    if (pl_ws(p, end) != end)
        return 0; /* a second value on the line */
    /* every field fits in the record part (add_field would ask for a cut) */
    if (r->nfields + nt / 2 >= JSON_MAX_FIELDS)
        return 0;
    if (!cb_start_map(r))
        return 0; /* cannot fail at a record's start: checked above */
    for (size_t i = 0; i < nt; i++) {
        const pl_tok *t = &r->pl[i];
        /* literals carry no text: p NULL and nothing in plain */
        const unsigned char *s = t->p               ? t->p
                                 : r->plain.data ? (const unsigned char *)r->plain.data + t->off
                                                 : NULL;
        int ok = 1;
        switch (t->kind) {
        case 'k': ok = cb_map_key(r, s, t->n); break;
        case 's': ok = cb_string(r, s, t->n); break;
        case 'n': ok = cb_number(r, (const char *)s, t->n); break;
        case 't': ok = cb_boolean(r, 1); break;
        case 'f': ok = cb_boolean(r, 0); break;
        default: ok = cb_null(r); break;
        }
        if (!ok)
            return -1;
    }
    return cb_end(r) ? 1 : -1;
}

enum { FEED_DONE, FEED_PART, FEED_ERROR };

static void set_span(json_reader *r, const unsigned char *p, size_t n, uint64_t line, int copy,
                     enum after after)
{
    r->sp_active = 1;
    r->sp_p = p;
    r->sp_n = n;
    r->sp_line = line;
    r->sp_copy = copy;
    r->sp_after = after;
    r->sp_direct = 0;
}

static int feed(json_reader *r, ds_error *err, ds_status *out)
{
    if (!r->h)
        new_handle(r);
    if (r->sp_copy) {
        /* string content held across chunks: no token ends inside it */
        yajl_status st = yajl_parse(r->h, (const unsigned char *)r->strcopy.data, r->strcopy.len);
        r->sp_copy = 0;
        if (st != yajl_status_ok) {
            size_t used = yajl_get_bytes_consumed(r->h);
            if (used > r->strcopy.len)
                used = r->strcopy.len;
            uint64_t line = r->copy_line + count_nl((const unsigned char *)r->strcopy.data, used);
            *out = parse_failed(r, err, line, st);
            return FEED_ERROR;
        }
        r->strcopy.len = 0;
    }
    if (r->sp_n) {
        if (r->sp_direct) {
            r->raw_lo = r->sp_p;
            r->raw_hi = r->sp_p + r->sp_n;
            if (!r->src->opts.json_no_fast) {
                int pl = plain_line(r, r->sp_p, r->sp_n);
                if (pl < 0) {
                    /* a callback refused the record: what yajl's cancel gives */
                    r->raw_lo = r->raw_hi = NULL;
                    *out = parse_failed(r, err, r->rec_line, yajl_status_client_canceled);
                    return FEED_ERROR;
                }
                if (pl) {
                    r->raw_lo = r->raw_hi = NULL;
                    r->sp_n = 0;
                    r->sp_active = 0;
                    return FEED_DONE;
                }
            }
        }
        yajl_status st = yajl_parse(r->h, r->sp_p, r->sp_n);
        r->raw_lo = r->raw_hi = NULL;
        if (st != yajl_status_ok) {
            size_t used = yajl_get_bytes_consumed(r->h);
            if (used > r->sp_n)
                used = r->sp_n;
            if (st == yajl_status_client_canceled && r->flush && !r->fail) {
                /* cut a part here; a fresh handle resumes after the token */
                if (!r->jsonl)
                    r->sp_line += count_nl(r->sp_p, used);
                r->sp_p += used;
                r->sp_n -= used;
                r->flush = 0;
                drop_handle(r);
                build_replay(r);
                return FEED_PART;
            }
            uint64_t line = r->jsonl ? r->rec_line : r->sp_line + count_nl(r->sp_p, used);
            *out = parse_failed(r, err, line, st);
            return FEED_ERROR;
        }
        r->sp_n = 0;
    }
    r->sp_active = 0;
    return FEED_DONE;
}

/* The input ended or the line is over without a complete value. */
static ds_status incomplete(json_reader *r, ds_error *err, uint64_t line)
{
    char msg[sizeof r->fail_msg];
    if (!r->h)
        new_handle(r);
    if (yajl_complete_parse(r->h) != yajl_status_ok)
        yajl_message(r, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "parse error: premature EOF");
    return record_failed(r, err, line, msg, 0);
}

/* ---- the byte filter -------------------------------------------------------- */

/* Scan buf[pos..len) and say where to stop; *feed_end is the end of the bytes
 * yajl may take now (string content held back in strcopy is not included). */
static scan_res scan(json_reader *r, size_t *feed_end)
{
    const unsigned char *b = r->buf;
    size_t p = r->pos, end = r->len;
    const size_t maxf = r->src->opts.max_field;
    scan_res res = SCAN_END;

    for (;;) {
        if (r->in_str) {
            for (;;) {
                if (p == end)
                    goto out;
                /* decoded, an invalid byte may take 3: see str_high */
                size_t cap = r->str_high ? maxf / 3 : maxf;
                if (r->esc) {
                    if (r->str_raw >= cap) {
                        res = SCAN_DIVERT;
                        goto out;
                    }
                    if (b[p] == '\n') {
                        if (r->jsonl) {
                            res = SCAN_NEWLINE;
                            goto out;
                        }
                        r->line++;
                    }
                    r->esc = 0;
                    r->str_raw++;
                    p++;
                    continue;
                }
                size_t room = cap > r->str_raw ? cap - r->str_raw : 0;
                size_t lim = end - p > room ? p + room : end;
                size_t q = p;
                const unsigned char *stop = r->str_high ? str_stop : str_stop_hi;
                while (q < lim && !stop[b[q]])
                    q++;
                r->str_raw += q - p;
                p = q;
                if (p == end)
                    goto out;
                unsigned char c = b[p];
                if (c >= 0x80 && !r->str_high) {
                    r->str_high = 1;
                    continue;
                }
                if (c == '"') {
                    p++;
                    r->in_str = 0;
                    break;
                }
                if (c == '\n' && r->jsonl) {
                    res = SCAN_NEWLINE;
                    goto out;
                }
                if (r->str_raw >= cap) {
                    res = SCAN_DIVERT;
                    goto out;
                }
                if (c == '\\')
                    r->esc = 1;
                else
                    r->line++;
                r->str_raw++;
                p++;
            }
            if (!r->jsonl && r->fdepth == 0) {
                res = SCAN_BOUNDARY;
                goto out;
            }
            if (r->strcopy.len) {
                res = SCAN_SPAN;
                goto out;
            }
        }
        for (;;) {
            if (p == end)
                goto out;
            unsigned char c = b[p];
            unsigned k = kind[c];
            if (k == K_OTHER) {
                if (++r->tok_run > JSON_MAX_TOKEN) {
                    res = SCAN_TOKEN;
                    goto out;
                }
                p++;
                continue;
            }
            if (r->tok_run) {
                r->tok_run = 0;
                if (!r->jsonl && r->fdepth == 0) {
                    r->need_space = 1;
                    res = SCAN_BOUNDARY;
                    goto out;
                }
            }
            if (k == K_QUOTE) {
                r->in_str = 1;
                r->esc = 0;
                r->str_raw = 0;
                r->str_high = 0;
                r->str_from = ++p;
                r->str_line = r->line;
                break;
            }
            p++;
            switch (k) {
            case K_NL:
                if (r->jsonl) {
                    p--;
                    res = SCAN_NEWLINE;
                    goto out;
                }
                r->line++;
                break;
            case K_OPEN: r->fdepth++; break;
            case K_CLOSE:
                if (--r->fdepth <= 0 && !r->jsonl) {
                    r->fdepth = 0;
                    res = SCAN_BOUNDARY;
                    goto out;
                }
                break;
            case K_COMMA:
                if (!r->jsonl && r->doc_array && r->fdepth == 1) {
                    res = SCAN_BOUNDARY;
                    goto out;
                }
                break;
            default: break;
            }
        }
    }
out:
    switch (res) {
    case SCAN_END:
    case SCAN_DIVERT:
        if (r->in_str) {
            if (r->strcopy.len == 0)
                r->copy_line = r->str_line;
            ds_buf_append(&r->strcopy, b + r->str_from, p - r->str_from);
            *feed_end = r->str_from;
            r->str_from = p;
        } else {
            *feed_end = p;
        }
        break;
    case SCAN_NEWLINE:
        p++; /* the newline goes to yajl: it ends a number, or breaks a string */
        *feed_end = p;
        break;
    default: *feed_end = p; break;
    }
    r->pos = p;
    return res;
}

/* JSON: drop the rest of a malformed array element, up to the ',' or ']'
 * that ends it. Returns 1 when found. */
static int skip_elem(json_reader *r)
{
    const unsigned char *b = r->buf;
    size_t p = r->pos, end = r->len;
    int found = 0;
    while (p < end && !found) {
        unsigned char c = b[p];
        if (r->in_str) {
            if (r->esc)
                r->esc = 0;
            else if (c == '"')
                r->in_str = 0;
            else if (c == '\\')
                r->esc = 1;
            if (c == '\n')
                r->line++;
            p++;
            continue;
        }
        switch (kind[c]) {
        case K_NL: r->line++; break;
        case K_QUOTE: r->in_str = 1; break;
        case K_OPEN: r->fdepth++; break;
        case K_CLOSE:
            if (r->fdepth <= 1) {
                r->fdepth = 0;
                found = 1;
            } else {
                r->fdepth--;
            }
            break;
        case K_COMMA:
            if (r->fdepth == 1)
                found = 1;
            break;
        default: break;
        }
        p++;
    }
    r->pos = p;
    return found;
}

/* Skip JSON whitespace; returns 1 when a non-blank byte is at pos. */
static int skip_ws(json_reader *r)
{
    while (r->pos < r->len) {
        unsigned char c = r->buf[r->pos];
        if (c == '\n')
            r->line++;
        else if (kind[c] != K_WS)
            return 1;
        r->pos++;
    }
    return 0;
}

static void start_record(json_reader *r)
{
    r->index++;
    r->rec_line = r->line;
    r->tracked = 0;
    r->line_open = 1;
    reset_filter(r);
    reset_record(r);
    if (r->jsonl)
        r->fdepth = 0;
}

/* Turn a scan result into a span for yajl. Returns 1 with *out set when a
 * status must be returned. */
static int after_scan(json_reader *r, scan_res res, size_t from, size_t feed_end, uint64_t l0,
                      ds_error *err, ds_status *out)
{
    const unsigned char *p = r->buf + from;
    size_t n = feed_end - from;
    switch (res) {
    case SCAN_END: set_span(r, p, n, l0, 0, A_NONE); break;
    case SCAN_SPAN: set_span(r, p, n, l0, 1, A_NONE); break;
    case SCAN_NEWLINE:
        r->line++;
        r->line_open = 0;
        set_span(r, p, n, l0, r->strcopy.len > 0, A_LINE_END);
        break;
    case SCAN_BOUNDARY: set_span(r, p, n, l0, r->strcopy.len > 0, A_BOUNDARY); break;
    case SCAN_DIVERT: set_span(r, p, n, l0, 0, A_DIVERT); break;
    case SCAN_TOKEN: {
        char msg[64];
        snprintf(msg, sizeof msg, "token longer than %d bytes", JSON_MAX_TOKEN);
        *out = record_failed(r, err, r->rec_line, msg, 1);
        return 1;
    }
    }
    return 0;
}

/* An oversized string starts: everything before it has been parsed. */
static int start_divert(json_reader *r, ds_error *err, ds_status *out)
{
    if (r->depth > r->rec_base && !r->lv[r->depth - 1].arr && r->want_key) {
        name_too_long(r);
    } else if (begin_value(r, 0)) {
        r->wname.len = 0;
        ds_buf_append(&r->wname, r->path.data, r->path.len);
        r->dv_active = 1;
        r->dv_copy_off = 0;
        r->dv_elen = 0;
        r->dv_invalid = 0;
        r->wbuf.len = 0;
        r->wvalid = 0;
        r->woff = 0;
        r->wcount = 0;
        return 0;
    }
    r->sp_active = 0;
    *out = record_failed(r, err, r->rec_line, r->fail_msg, r->fail_limit);
    return 1;
}

/* Unescape more of an oversized string. Returns 1 with *out when a status
 * must be returned; 0 to loop (possibly with new input needed). */
static void divert_step(json_reader *r)
{
    int stop;
    if (r->dv_copy_off < r->strcopy.len) {
        r->dv_copy_off += dv_decode(r, (const unsigned char *)r->strcopy.data + r->dv_copy_off,
                                    r->strcopy.len - r->dv_copy_off, NL_KEEP, &stop);
        if (r->dv_copy_off == r->strcopy.len) {
            r->strcopy.len = 0;
            r->dv_copy_off = 0;
        }
        return;
    }
    if (r->pos == r->len) {
        if (!r->eof)
            return;
        if (r->jsonl) { /* yajl is inside the string: " " leaves it incomplete */
            r->line_open = 0;
            set_span(r, (const unsigned char *)" ", 1, r->line, 0, A_LINE_END);
        } else {
            set_span(r, (const unsigned char *)" ", 1, r->line, 0, A_EOF);
        }
        return;
    }
    size_t used =
        dv_decode(r, r->buf + r->pos, r->len - r->pos, r->jsonl ? NL_STOP : NL_COUNT, &stop);
    r->pos += used;
    if (stop == DV_QUOTE) {
        /* repair a sequence cut at the end now: the repair can take the
         * buffer past max_field, and a window must then go out before yajl
         * gets the closing quote and the last of the string as its value */
        win_finish(r);
        r->dv_closing = 1;
    } else if (stop == DV_NEWLINE) {
        /* yajl sees the raw newline inside the string and rejects the line */
        set_span(r, r->buf + r->pos, 1, r->line, 0, A_LINE_END);
        r->pos++;
        r->line++;
        r->line_open = 0;
    }
}

/* Work out the next span from the input. Returns 1 with *out when a status
 * must be returned, 0 to loop. */
static int step(json_reader *r, ds_error *err, ds_status *out)
{
    const size_t maxf = r->src->opts.max_field;
    switch (r->phase) {
    case P_LINE_START:
        while (r->pos < r->len) {
            unsigned char c = r->buf[r->pos];
            if (c == '\n')
                r->line++;
            else if (c != ' ' && c != '\t' && c != '\r')
                break;
            r->pos++;
        }
        if (r->pos == r->len) {
            if (r->eof) {
                r->phase = P_DONE;
            }
            return 0;
        }
        start_record(r);
        r->phase = P_LINE;
        /* fall through */
    case P_LINE: {
        if (r->dv_active) {
            divert_step(r);
            return 0;
        }
        if (!r->tracked) {
            const unsigned char *s = r->buf + r->pos;
            const unsigned char *nl = memchr(s, '\n', r->len - r->pos);
            int valid = 0;
            /* an invalid byte may take 3 once repaired: such a line goes
             * through the filter unless it is short */
            if (nl && (size_t)(nl - s) <= maxf &&
                ((valid = valid_utf8(s, (size_t)(nl - s) + 1)) || (size_t)(nl - s) < maxf / 3)) {
                size_t n = (size_t)(nl - s) + 1;
                r->pos += n;
                r->line++;
                r->line_open = 0;
                set_span(r, s, n, r->rec_line, 0, A_LINE_END);
                r->sp_direct = 1;
                r->sp_valid = valid;
                return 0;
            }
            r->tracked = 1;
        }
        if (r->pos == r->len) {
            if (r->eof) {
                r->line_open = 0;
                set_span(r, (const unsigned char *)" ", 1, r->line, r->strcopy.len > 0, A_LINE_END);
            }
            return 0;
        }
        size_t from = r->pos, fe;
        uint64_t l0 = r->line;
        scan_res res = scan(r, &fe);
        return after_scan(r, res, from, fe, l0, err, out);
    }
    case P_SKIP_LINE: {
        const unsigned char *s = r->buf + r->pos;
        const unsigned char *nl = memchr(s, '\n', r->len - r->pos);
        if (!nl) {
            r->pos = r->len;
            if (r->eof)
                r->phase = P_DONE;
            return 0;
        }
        r->pos += (size_t)(nl - s) + 1;
        r->line++;
        r->line_open = 0;
        r->phase = P_LINE_START;
        return 0;
    }
    case P_DOC_START:
        if (!skip_ws(r)) {
            if (r->eof)
                r->phase = P_DONE;
            return 0;
        }
        if (r->buf[r->pos] == '[') {
            r->doc_array = 1;
            r->rec_base = 1;
            r->fdepth = 1;
            set_span(r, r->buf + r->pos, 1, r->line, 0, A_NONE);
            r->pos++;
            r->phase = P_ELEM_START;
            return 0;
        }
        r->rec_base = 0;
        start_record(r);
        r->phase = P_VALUE;
        return 0;
    case P_ELEM_START:
        if (!skip_ws(r)) {
            if (r->eof) {
                *out = incomplete(r, err, eof_line(r));
                return 1;
            }
            return 0;
        }
        if (r->buf[r->pos] == ']') {
            r->fdepth = 0;
            set_span(r, r->buf + r->pos, 1, r->line, 0, A_NONE);
            r->pos++;
            r->phase = P_DOC_END;
            return 0;
        }
        start_record(r);
        r->phase = P_VALUE;
        return 0;
    case P_VALUE: {
        if (r->dv_active) {
            divert_step(r);
            return 0;
        }
        if (r->pos == r->len) {
            if (r->eof)
                set_span(r, (const unsigned char *)" ", 1, r->line, r->strcopy.len > 0, A_EOF);
            return 0;
        }
        size_t from = r->pos, fe;
        uint64_t l0 = r->line;
        scan_res res = scan(r, &fe);
        return after_scan(r, res, from, fe, l0, err, out);
    }
    case P_SKIP_ELEM:
        if (!skip_elem(r)) {
            if (r->eof) {
                *out = record_failed(r, err, eof_line(r), "parse error: premature EOF", 0);
                return 1;
            }
            return 0;
        }
        if (r->fdepth == 0) {
            r->phase = P_DOC_END;
        } else {
            ds_buf_append(&r->replay, "[\"\",", 4);
            r->phase = P_ELEM_START;
        }
        reset_filter(r);
        return 0;
    case P_DOC_END:
        if (!skip_ws(r)) {
            if (r->eof)
                r->phase = P_DONE;
            return 0;
        }
        r->phase = P_DONE;
        r->stop_line = r->line;
        set_where(r, err, DS_EFORMAT, r->line, "parse error: trailing garbage");
        *out = DS_EFORMAT;
        return 1;
    case P_DONE: break;
    }
    return 0;
}

/* The span is fed: act on what it completed. */
static int run_after(json_reader *r, enum after a, const ds_record **rec, ds_error *err,
                     ds_status *out)
{
    switch (a) {
    case A_NONE: return 0;
    case A_LINE_END:
        if (r->rec_complete) {
            r->phase = P_LINE_START;
            *out = deliver(r, rec, 0, 0);
            return 1;
        }
        *out = incomplete(r, err, r->rec_line);
        return 1;
    case A_BOUNDARY:
        if (r->need_space) {
            r->need_space = 0;
            set_span(r, (const unsigned char *)" ", 1, r->line, 0, A_BOUNDARY);
            return 0;
        }
        /* fall through */
    case A_EOF:
        if (r->rec_complete) {
            r->phase = r->fdepth > 0 ? P_ELEM_START : P_DOC_END;
            reset_filter(r);
            *out = deliver(r, rec, 0, 0);
            return 1;
        }
        *out = incomplete(r, err, a == A_EOF ? eof_line(r) : r->line);
        return 1;
    case A_DIVERT: return start_divert(r, err, out);
    }
    return 0;
}

/* ---- ds_source_ops ------------------------------------------------------ */

static ds_status json_next(ds_source *src, const ds_record **rec, ds_error *err)
{
    json_reader *r = src->impl;
    after_delivery(r);
    for (;;) {
        ds_status out;
        if (r->dv_active && r->wbuf.len > src->opts.max_field)
            return emit_window(r, rec);
        if (r->dv_closing) {
            /* give yajl the closing quote: its string callback takes the value */
            r->dv_closing = 0;
            r->in_str = 0;
            r->esc = 0;
            set_span(r, r->buf + r->pos, 1, r->line, 0,
                     !r->jsonl && r->fdepth == 0 ? A_BOUNDARY : A_NONE);
            r->pos++;
        }
        if (r->sp_active) {
            enum after a = r->sp_after;
            int fr = feed(r, err, &out);
            if (fr == FEED_PART)
                return deliver(r, rec, 1, 0);
            if (fr == FEED_ERROR)
                return out;
            if (run_after(r, a, rec, err, &out))
                return out;
            continue;
        }
        if (r->phase == P_DONE) {
            src->stats.lines = r->line - 1 + (r->any_bytes && r->last_byte != '\n');
            if (r->stop_line) /* not read to the end: lines up to where it stopped */
                src->stats.lines = r->stop_line;
            src->stats.lines -= src->opts.line_base;
            drop_handle(r);
            return DS_DONE;
        }
        if (r->pos == r->len && !r->eof && !(r->dv_active && r->dv_copy_off < r->strcopy.len)) {
            const unsigned char *data;
            size_t n;
            ds_status st = ds_stream_next(src->st, &data, &n, err);
            if (st == DS_DONE) {
                r->eof = 1;
            } else if (st != DS_OK) {
                r->phase = P_DONE;
                return st;
            } else {
                r->buf = data;
                r->len = n;
                r->pos = 0;
                r->str_from = 0;
                r->any_bytes = 1;
                r->last_byte = data[n - 1];
            }
            continue;
        }
        if (step(r, err, &out))
            return out;
    }
}

static ds_status json_open(ds_source *src, ds_error *err)
{
    (void)err;
    json_reader *r = ds_xcalloc(1, sizeof *r);
    r->src = src;
    r->jsonl = src->fmt == DS_FORMAT_JSONL;
    r->phase = r->jsonl ? P_LINE_START : P_DOC_START;
    r->line = 1 + src->opts.line_base;
    r->index = src->opts.record_base;
    ds_buf_reserve(&r->store, 4096);
    src->impl = r;
    return DS_OK;
}

static void json_close(ds_source *src)
{
    json_reader *r = src->impl;
    if (!r)
        return;
    drop_handle(r);
    ds_buf_free(&r->replay);
    ds_buf_free(&r->strcopy);
    ds_buf_free(&r->wbuf);
    ds_buf_free(&r->wname);
    ds_buf_free(&r->store);
    free(r->pl);
    ds_buf_free(&r->plain);
    ds_buf_free(&r->path);
    free(r->lv);
    free(r->fields);
    free(r->out);
    free(r);
    src->impl = NULL;
}

const ds_source_ops ds_source_json_ops = {"json", json_open, json_next, json_close};
