/* redact: JSON and JSONL rewriting: yajl parse callbacks re-emitted through
 * yajl_gen. Every string and number is one record of one field for the
 * detector, named by its dotted path relative to the record (the JSONL line,
 * the top-level value, or an element of a top-level array), as the JSON
 * reader names fields. Keys, nesting and order are kept; a drop removes the
 * key (in an array the element becomes null, so indices do not shift).
 * Layout: JSONL is written one compact value per line; a JSON document is
 * indented (with the indent of the input) when the input spans several
 * lines, compact otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "common/mem.h"
#include "common/utf8.h"
#include "redact/redact_impl.h"

#define MAX_DEPTH 512

typedef struct frame {
    int is_array;
    size_t index;    /* next element index */
    size_t path_len; /* length of the path of this container */
} frame;

typedef struct json_rw {
    ds_redactor *r;
    rout *o;
    ds_redact_file_stats *fs;
    ds_error *err;
    ds_status rc;
    int jsonl;
    yajl_gen g;
    frame st[MAX_DEPTH];
    size_t depth;
    ds_buf path;
    ds_buf key;
    int has_key;
    size_t skip;   /* > 0: inside a dropped container */
    int top_array; /* JSON document whose top level is an array: records are elements */
    int pretty;
    ds_buf val, fixed;
} json_rw;

static void gen_print(void *ctx, const char *s, size_t n)
{
    json_rw *j = ctx;
    if (j->rc == DS_OK)
        j->rc = rout_put(j->o, s, n, j->err);
}

/* Path of the value about to start, written into j->path (the caller
 * restores the length). Returns 0 when the value is in an array of the
 * record level (no name). */
static void child_path(json_rw *j)
{
    if (j->depth == 0) {
        j->path.len = 0;
        if (j->path.data)
            j->path.data[0] = 0;
        return;
    }
    frame *f = &j->st[j->depth - 1];
    j->path.len = f->path_len;
    if (j->path.data)
        j->path.data[j->path.len] = 0;
    if (f->is_array) {
        if (!(j->top_array && j->depth == 1))
            ds_buf_printf(&j->path, "[%zu]", f->index);
        f->index++;
    } else {
        if (j->path.len)
            ds_buf_putc(&j->path, '.');
        ds_buf_append(&j->path, j->key.data ? j->key.data : "", j->key.len);
    }
}

static int in_array(const json_rw *j)
{
    return j->depth > 0 && j->st[j->depth - 1].is_array;
}

static void emit_key(json_rw *j)
{
    if (j->has_key) {
        yajl_gen_string(j->g, (const unsigned char *)(j->key.data ? j->key.data : ""), j->key.len);
        j->has_key = 0;
    }
}

/* A record ended when the value just finished brings us back to its level. */
static void value_done(json_rw *j)
{
    if (j->depth == 0) {
        if (!j->top_array)
            j->fs->records++;
        j->top_array = 0;
        if (!j->pretty && !j->jsonl)
            gen_print(j, "\n", 1); /* beautify ends a value with its own newline; a
                                      JSONL line gets its own line ending back */
        yajl_gen_reset(j->g, NULL);
    } else if (j->top_array && j->depth == 1) {
        j->fs->records++;
    }
}

static int is_json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n)
        return 0;
    if (s[i] == '0')
        i++;
    else if (s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

static int scalar(json_rw *j, const char *s, size_t n, int number)
{
    if (j->rc != DS_OK)
        return 0;
    if (j->skip) {
        return 1;
    }
    size_t keep = j->path.len;
    child_path(j);
    ds_redactor *r = j->r;
    const char *name = j->path.data ? j->path.data : "";
    size_t nlen = j->path.len;
    ds_raction fa = ds_rpolicy_for_field(r->pol, name, nlen);
    /* value as the detector sees it: valid UTF-8 */
    const char *v = s;
    size_t vn = n;
    int repaired = 0;
    if (!ds_utf8_is_valid(s, n)) {
        j->fixed.len = 0;
        ds_utf8_repair(s, n, &j->fixed);
        v = j->fixed.data;
        vn = j->fixed.len;
        repaired = 1;
        j->fs->invalid_utf8++;
    }
    int res = RW_SAME;
    if (fa != DS_RA_DROP || r->sum) {
        ds_field f = {name, nlen, v, vn, 0, vn};
        ds_record rec = {j->fs->records + 1, 0, &f, 1, 0};
        ds_status rc = rd_detect(r, &rec, j->err);
        if (rc != DS_OK && rc != DS_DONE) {
            j->rc = rc;
            return 0;
        }
    } else {
        r->nf = 0;
    }
    res = rd_rewrite(r, 0, name, nlen, fa, v, vn, 0, &j->val);
    j->path.len = keep;
    if (res == RW_DROP) {
        if (in_array(j))
            yajl_gen_null(j->g);
        j->has_key = 0;
    } else {
        emit_key(j);
        if (res == RW_SAME) {
            if (number)
                yajl_gen_number(j->g, s, n);
            else
                yajl_gen_string(j->g, (const unsigned char *)s, n);
        } else {
            const char *w = j->val.data ? j->val.data : "";
            size_t wn = j->val.len;
            if (repaired) {
                r->tmp2.len = 0;
                rd_to_cp1252(w, wn, &r->tmp2);
                w = r->tmp2.data ? r->tmp2.data : "";
                wn = r->tmp2.len;
            }
            if (number && is_json_number(w, wn))
                yajl_gen_number(j->g, w, wn);
            else
                yajl_gen_string(j->g, (const unsigned char *)w, wn);
        }
    }
    value_done(j);
    return j->rc == DS_OK;
}

static int cb_null(void *ctx)
{
    json_rw *j = ctx;
    if (j->skip)
        return 1;
    if (in_array(j))
        j->st[j->depth - 1].index++;
    emit_key(j);
    yajl_gen_null(j->g);
    value_done(j);
    return j->rc == DS_OK;
}

static int cb_bool(void *ctx, int b)
{
    json_rw *j = ctx;
    if (j->skip)
        return 1;
    if (in_array(j))
        j->st[j->depth - 1].index++;
    emit_key(j);
    yajl_gen_bool(j->g, b);
    value_done(j);
    return j->rc == DS_OK;
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    return scalar(ctx, s, n, 1);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    return scalar(ctx, (const char *)s, n, 0);
}

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
    json_rw *j = ctx;
    if (j->skip)
        return 1;
    j->key.len = 0;
    ds_buf_append(&j->key, s, n);
    j->has_key = 1;
    return 1;
}

static int open_container(json_rw *j, int is_array)
{
    if (j->rc != DS_OK)
        return 0;
    if (j->skip) {
        j->skip++;
        return 1;
    }
    if (j->depth >= MAX_DEPTH) {
        j->rc = ds_error_set(j->err, DS_ELIMIT, NULL, "JSON nesting deeper than %d", MAX_DEPTH);
        return 0;
    }
    if (j->depth == 0 && !j->jsonl && is_array)
        j->top_array = 1;
    child_path(j);
    ds_raction fa =
        j->depth > 0 || j->jsonl || !is_array
            ? ds_rpolicy_for_field(j->r->pol, j->path.data ? j->path.data : "", j->path.len)
            : DS_RA_UNSET;
    if (fa == DS_RA_DROP && j->depth > 0) {
        if (j->r->sum) {
            ds_rsummary_add(j->r->sum, j->path.data, j->path.len, "*", DS_RA_DROP, 1);
            j->r->sum->values_dropped++;
        }
        if (in_array(j))
            yajl_gen_null(j->g);
        j->has_key = 0;
        j->skip = 1;
        return 1;
    }
    emit_key(j);
    if (is_array)
        yajl_gen_array_open(j->g);
    else
        yajl_gen_map_open(j->g);
    frame *f = &j->st[j->depth++];
    f->is_array = is_array;
    f->index = 0;
    f->path_len = (j->top_array && j->depth == 1) ? 0 : j->path.len;
    return j->rc == DS_OK;
}

static int close_container(json_rw *j, int is_array)
{
    if (j->rc != DS_OK)
        return 0;
    if (j->skip) {
        j->skip--;
        if (!j->skip)
            value_done(j);
        return 1;
    }
    if (is_array)
        yajl_gen_array_close(j->g);
    else
        yajl_gen_map_close(j->g);
    j->depth--;
    if (j->depth > 0)
        j->path.len = j->st[j->depth - 1].path_len;
    value_done(j);
    return j->rc == DS_OK;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, 0);
}
static int cb_end_map(void *ctx)
{
    return close_container(ctx, 0);
}
static int cb_start_array(void *ctx)
{
    return open_container(ctx, 1);
}
static int cb_end_array(void *ctx)
{
    return close_container(ctx, 1);
}

static const yajl_callbacks callbacks = {
    cb_null,      cb_bool, NULL,       NULL,           cb_number,    cb_string,
    cb_start_map, cb_key,  cb_end_map, cb_start_array, cb_end_array,
};

/* Guard yajl's whole-string buffering: a string longer than max_field
 * stops the rewrite before yajl buffers it. */
typedef struct strguard {
    int in_str, esc;
    size_t len;
    uint64_t line;
} strguard;

static int guard(strguard *g, const unsigned char *s, size_t n, size_t max)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '\n')
            g->line++;
        if (!g->in_str) {
            if (c == '"') {
                g->in_str = 1;
                g->len = 0;
            }
            continue;
        }
        if (g->esc)
            g->esc = 0;
        else if (c == '\\')
            g->esc = 1;
        else if (c == '"') {
            g->in_str = 0;
            continue;
        }
        if (++g->len > max)
            return 0;
    }
    return 1;
}

/* Indentation of the input: the blanks that start its second line. */
static void sniff_layout(const unsigned char *s, size_t n, int *pretty, char indent[17])
{
    *pretty = 0;
    indent[0] = 0;
    const unsigned char *nl = memchr(s, '\n', n);
    if (!nl)
        return;
    size_t i = (size_t)(nl - s) + 1, k = 0;
    /* a newline before the end of the first value means a pretty layout */
    for (size_t j = i; j < n; j++)
        if (s[j] != ' ' && s[j] != '\t' && s[j] != '\r' && s[j] != '\n') {
            *pretty = 1;
            break;
        }
    while (i < n && (s[i] == ' ' || s[i] == '\t') && k < 16)
        indent[k++] = (char)s[i++];
    indent[k] = 0;
    if (!k)
        memcpy(indent, "  ", 3);
}

static ds_status json_error(yajl_handle h, const unsigned char *d, size_t n, const char *name,
                            uint64_t line, ds_error *err)
{
    /* the non-verbose message never quotes the input */
    unsigned char *msg = yajl_get_error(h, 0, d, n);
    char text[200];
    snprintf(text, sizeof text, "%s", msg ? (const char *)msg : "parse error");
    size_t l = strlen(text);
    while (l && (text[l - 1] == '\n' || text[l - 1] == ' '))
        text[--l] = 0;
    ds_status rc = rd_error(err, DS_EFORMAT, name, line, "malformed JSON (%s)", text);
    if (msg)
        yajl_free_error(h, msg);
    return rc;
}

static yajl_handle new_parser(json_rw *j)
{
    yajl_handle h = yajl_alloc(&callbacks, NULL, j);
    if (h) {
        yajl_config(h, yajl_allow_multiple_values, !j->jsonl);
        yajl_config(h, yajl_dont_validate_strings, 1);
    }
    return h;
}

/* JSONL: one parser per line, so that a broken line cannot swallow the
 * next; its line ending is written back as read; blank lines stay. */
static ds_status jsonl_lines(json_rw *j, ds_stream *st, const char *name)
{
    ds_buf line = {0};
    uint64_t lineno = 0;
    size_t max_line = j->r->max_field * 8;
    ds_status rc = DS_OK;
    int at_end = 0;
    const unsigned char *d = NULL;
    size_t n = 0;
    while (rc == DS_OK) {
        if (!n && !at_end) {
            rc = ds_stream_next(st, &d, &n, j->err);
            if (rc == DS_DONE) {
                rc = DS_OK;
                at_end = 1;
                n = 0;
            }
            if (rc != DS_OK)
                break;
        }
        const unsigned char *nl = n ? memchr(d, '\n', n) : NULL;
        size_t take = nl ? (size_t)(nl - d) : n;
        ds_buf_append(&line, d, take);
        d += take;
        n -= take;
        if (line.len > max_line) {
            rc = rd_error(j->err, DS_ELIMIT, name, lineno + 1,
                          "a line is longer than 8 x --max-field (raise --max-field)");
            break;
        }
        if (!nl && !at_end)
            continue;
        if (nl) {
            d++;
            n--;
        }
        if (!nl && !line.len)
            break; /* end of input */
        lineno++;
        size_t len = line.len;
        const char *eol = nl ? "\n" : "";
        if (nl && len && line.data[len - 1] == '\r') {
            len--;
            eol = "\r\n";
        }
        size_t k = 0;
        while (k < len && strchr(" \t\r", line.data[k]))
            k++;
        if (k == len) {
            rc = rout_put(j->o, line.data, len, j->err); /* blank line, as is */
            if (rc == DS_OK)
                rc = rout_put(j->o, eol, strlen(eol), j->err);
        } else {
            strguard sg = {0, 0, 0, lineno};
            if (!guard(&sg, (const unsigned char *)line.data, len, j->r->max_field)) {
                rc = rd_error(j->err, DS_ELIMIT, name, lineno,
                              "a value is longer than --max-field (%zu bytes; raise --max-field)",
                              j->r->max_field);
                break;
            }
            yajl_handle h = new_parser(j);
            if (!h) {
                rc = ds_error_set(j->err, DS_ENOMEM, name, "cannot allocate the JSON parser");
                break;
            }
            j->depth = 0;
            j->skip = 0;
            j->has_key = 0;
            j->path.len = 0;
            yajl_gen_reset(j->g, NULL);
            uint64_t before = j->fs->records;
            yajl_status ys = yajl_parse(h, (const unsigned char *)line.data, len);
            if (ys == yajl_status_ok && j->rc == DS_OK)
                ys = yajl_complete_parse(h);
            if (j->rc != DS_OK)
                rc = j->rc;
            else if (ys != yajl_status_ok)
                rc = json_error(h, (const unsigned char *)line.data, len, name, lineno, j->err);
            else if (j->fs->records != before + 1)
                rc = rd_error(j->err, DS_EFORMAT, name, lineno, "malformed JSON (not one value)");
            yajl_free(h);
            if (rc == DS_OK)
                rc = rout_put(j->o, eol, strlen(eol), j->err);
        }
        line.len = 0;
        if (!nl && at_end)
            break;
    }
    ds_buf_free(&line);
    return rc;
}

/* A JSON document, streamed through one parser. */
static ds_status json_doc(json_rw *j, ds_stream *st, const char *name)
{
    yajl_handle h = new_parser(j);
    if (!h)
        return ds_error_set(j->err, DS_ENOMEM, name, "cannot allocate the JSON parser");
    strguard sg = {0, 0, 0, 1};
    ds_status rc = DS_OK;
    for (;;) {
        const unsigned char *d;
        size_t n;
        rc = ds_stream_next(st, &d, &n, j->err);
        if (rc == DS_DONE) {
            rc = DS_OK;
            break;
        }
        if (rc != DS_OK)
            break;
        uint64_t line0 = sg.line;
        if (!guard(&sg, d, n, j->r->max_field)) {
            rc = rd_error(j->err, DS_ELIMIT, name, sg.line,
                          "a value is longer than --max-field (%zu bytes; raise --max-field)",
                          j->r->max_field);
            break;
        }
        yajl_status ys = yajl_parse(h, d, n);
        if (j->rc != DS_OK) {
            rc = j->rc;
            break;
        }
        if (ys != yajl_status_ok) {
            size_t at = yajl_get_bytes_consumed(h);
            uint64_t line = line0;
            for (size_t i = 0; i < at && i < n; i++)
                line += d[i] == '\n';
            rc = json_error(h, d, n, name, line, j->err);
            break;
        }
    }
    if (rc == DS_OK) {
        yajl_status ys = yajl_complete_parse(h);
        if (j->rc != DS_OK)
            rc = j->rc;
        else if (ys != yajl_status_ok)
            rc = rd_error(j->err, DS_EFORMAT, name, sg.line, "malformed JSON (truncated)");
    }
    yajl_free(h);
    return rc;
}

ds_status rd_json(ds_redactor *r, ds_stream *st, int jsonl, rout *o, ds_redact_file_stats *fs,
                  ds_error *err)
{
    const char *name = ds_stream_name(st);
    json_rw j;
    memset(&j, 0, sizeof j);
    j.r = r;
    j.o = o;
    j.fs = fs;
    j.err = err;
    j.jsonl = jsonl;
    j.g = yajl_gen_alloc(NULL);
    if (!j.g)
        return ds_error_set(err, DS_ENOMEM, name, "cannot allocate the JSON generator");
    yajl_gen_config(j.g, yajl_gen_print_callback, gen_print, &j);
    yajl_gen_config(j.g, yajl_gen_validate_utf8, 0);
    char indent[17];
    if (!jsonl) {
        const unsigned char *d;
        size_t n;
        ds_status prc = ds_stream_peek(st, 4096, &d, &n, err);
        if (prc == DS_OK || prc == DS_DONE)
            sniff_layout(d, n, &j.pretty, indent);
        if (j.pretty) {
            yajl_gen_config(j.g, yajl_gen_beautify, 1);
            yajl_gen_config(j.g, yajl_gen_indent_string, indent);
        }
    }
    ds_status rc = jsonl ? jsonl_lines(&j, st, name) : json_doc(&j, st, name);
    yajl_gen_free(j.g);
    ds_buf_free(&j.path);
    ds_buf_free(&j.key);
    ds_buf_free(&j.val);
    ds_buf_free(&j.fixed);
    if (rc != DS_OK && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", name);
    return rc;
}
