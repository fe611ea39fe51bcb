/* redact: CSV rewriting over libcsv.
 *
 * The dialect is kept: the delimiter and header decision are the CSV
 * reader's (ds_source sniffing), the line ending and quoting style are read
 * from the first line (CRLF or LF; every field quoted, or only where
 * needed). Cells are taken as libcsv decodes them, with no blank trimming,
 * so an unchanged cell is written back with the same bytes; a changed cell
 * in a Windows-1252 file is written in Windows-1252. A column whose field
 * action is drop is removed from the header and every row; a type whose
 * action is drop empties the cell (a row keeps its width). */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "common/utf8.h"
#include "input/source.h"
#include "redact/redact_impl.h"

#define SNIFF_BYTES (64u << 10)

typedef struct ccell {
    size_t off, len;
} ccell;

typedef struct csv_rw {
    ds_redactor *r;
    rout *o;
    ds_redact_file_stats *fs;
    ds_error *err;
    ds_status rc;
    unsigned char delim;
    const char *eol;
    int quote_all;
    int header_pending;
    /* column names and actions */
    char **names;
    size_t *name_len;
    ds_raction *col_act;
    size_t ncols_known, cols_cap;
    /* row in progress */
    ds_buf row;
    ccell *cells;
    size_t ncells, cells_cap;
    uint64_t rows;
    int too_big;
    /* scratch */
    ds_field *fields;
    size_t *field_col;
    size_t fields_cap;
    ds_buf fixed;   /* repaired values, concatenated */
    size_t *fixoff; /* per cell: offset in fixed, or SIZE_MAX when valid */
    size_t fixcap;
    ds_buf val, line;
} csv_rw;

/* libcsv grows its field buffer without limit; this realloc refuses to go
 * past the limit of the redact run (same for every thread). */
static size_t lcsv_limit = (size_t)1 << 30;

static void *limited_realloc(void *p, size_t n)
{
    if (n > __atomic_load_n(&lcsv_limit, __ATOMIC_RELAXED))
        return NULL;
    return realloc(p, n);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void name_col(csv_rw *c, size_t col, const char *s, size_t n)
{
    if (col >= c->cols_cap) {
        size_t cap = c->cols_cap;
        c->names = ds_xgrow(c->names, &cap, col + 1, sizeof *c->names);
        size_t cap2 = c->cols_cap;
        c->name_len = ds_xgrow(c->name_len, &cap2, col + 1, sizeof *c->name_len);
        size_t cap3 = c->cols_cap;
        c->col_act = ds_xgrow(c->col_act, &cap3, col + 1, sizeof *c->col_act);
        memset(c->names + c->cols_cap, 0, (cap - c->cols_cap) * sizeof *c->names);
        c->cols_cap = cap;
    }
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    free(c->names[col]);
    if (n) {
        ds_buf b = {0};
        ds_utf8_repair(s, n, &b);
        c->names[col] = b.data;
        c->name_len[col] = b.len;
    } else {
        char tmp[32];
        int l = snprintf(tmp, sizeof tmp, "#%zu", col + 1);
        c->names[col] = ds_xstrdup(tmp);
        c->name_len[col] = (size_t)l;
    }
    c->col_act[col] = ds_rpolicy_for_field(c->r->pol, c->names[col], c->name_len[col]);
    if (col + 1 > c->ncols_known)
        c->ncols_known = col + 1;
}

static void on_cell(void *s, size_t n, void *ctx)
{
    csv_rw *c = ctx;
    if (n > c->r->max_field)
        c->too_big = 1;
    c->cells = ds_xgrow(c->cells, &c->cells_cap, c->ncells + 1, sizeof *c->cells);
    c->cells[c->ncells].off = c->row.len;
    c->cells[c->ncells].len = n;
    c->ncells++;
    ds_buf_append(&c->row, s ? s : "", n);
}

static void put_cell(csv_rw *c, const char *s, size_t n, int first)
{
    if (!first)
        ds_buf_putc(&c->line, c->delim);
    int q = c->quote_all;
    for (size_t i = 0; i < n && !q; i++)
        if (s[i] == (char)c->delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            q = 1;
    if (!q) {
        ds_buf_append(&c->line, s, n);
        return;
    }
    ds_buf_putc(&c->line, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            ds_buf_putc(&c->line, '"');
        ds_buf_putc(&c->line, s[i]);
    }
    ds_buf_putc(&c->line, '"');
}

static ds_raction col_action(csv_rw *c, size_t col)
{
    if (col >= c->ncols_known)
        name_col(c, col, "", 0);
    return c->col_act[col];
}

static void end_row(int ch, void *ctx)
{
    csv_rw *c = ctx;
    if (c->rc != DS_OK) {
        c->ncells = 0;
        c->row.len = 0;
        return;
    }
    if (c->too_big) {
        c->rc = ds_error_set(c->err, DS_ELIMIT, NULL,
                             "row %llu: a value is longer than --max-field (%zu bytes; raise "
                             "--max-field)",
                             (unsigned long long)c->rows + 1, c->r->max_field);
        return;
    }
    ds_redactor *r = c->r;
    c->line.len = 0;
    const char *row = c->row.data ? c->row.data : "";
    if (c->header_pending) {
        c->header_pending = 0;
        for (size_t i = 0; i < c->ncells; i++)
            name_col(c, i, row + c->cells[i].off, c->cells[i].len);
        int first = 1;
        for (size_t i = 0; i < c->ncells; i++) {
            if (c->col_act[i] == DS_RA_DROP)
                continue;
            put_cell(c, row + c->cells[i].off, c->cells[i].len, first);
            first = 0;
        }
    } else {
        /* the record: every kept column, values repaired to UTF-8 */
        if (c->ncells > c->fixcap) {
            size_t cap = c->fixcap;
            c->fixoff = ds_xgrow(c->fixoff, &cap, c->ncells, sizeof *c->fixoff);
            c->fixcap = cap;
        }
        if (c->ncells > c->fields_cap) {
            size_t cap = c->fields_cap;
            c->fields = ds_xgrow(c->fields, &cap, c->ncells, sizeof *c->fields);
            size_t cap2 = c->fields_cap;
            c->field_col = ds_xgrow(c->field_col, &cap2, c->ncells, sizeof *c->field_col);
            c->fields_cap = cap;
        }
        c->fixed.len = 0;
        for (size_t i = 0; i < c->ncells; i++) {
            const char *v = row + c->cells[i].off;
            size_t n = c->cells[i].len;
            c->fixoff[i] = SIZE_MAX;
            if (!ds_utf8_is_valid(v, n)) {
                c->fixoff[i] = c->fixed.len;
                ds_utf8_repair(v, n, &c->fixed);
                c->fs->invalid_utf8++;
            }
        }
        size_t nf = 0;
        for (size_t i = 0; i < c->ncells; i++) {
            if (col_action(c, i) == DS_RA_DROP) {
                if (r->sum && c->cells[i].len) { /* a value of a dropped column */
                    ds_rsummary_add(r->sum, c->names[i], c->name_len[i], "*", DS_RA_DROP, 1);
                    r->sum->values_dropped++;
                }
                continue;
            }
            ds_field *f = &c->fields[nf];
            f->name = c->names[i];
            f->name_len = c->name_len[i];
            if (c->fixoff[i] != SIZE_MAX) {
                size_t end = i + 1 < c->ncells ? SIZE_MAX : c->fixed.len;
                for (size_t j = i + 1; j < c->ncells && end == SIZE_MAX; j++)
                    if (c->fixoff[j] != SIZE_MAX)
                        end = c->fixoff[j];
                if (end == SIZE_MAX)
                    end = c->fixed.len;
                f->value = c->fixed.data + c->fixoff[i];
                f->value_len = end - c->fixoff[i];
            } else {
                f->value = row + c->cells[i].off;
                f->value_len = c->cells[i].len;
            }
            f->value_off = 0;
            f->own_len = f->value_len;
            c->field_col[nf] = i;
            nf++;
        }
        ds_record rec = {c->rows + 1, 0, c->fields, nf, 0};
        ds_status rc = rd_detect(r, &rec, c->err);
        if (rc != DS_OK && rc != DS_DONE) {
            c->rc = rc;
            return;
        }
        int first = 1;
        size_t fi = 0;
        for (size_t i = 0; i < c->ncells; i++) {
            if (c->col_act[i] == DS_RA_DROP)
                continue;
            const ds_field *f = &c->fields[fi];
            int res = rd_rewrite(r, fi, f->name, f->name_len, c->col_act[i], f->value, f->value_len,
                                 0, &c->val);
            fi++;
            if (res == RW_SAME) {
                put_cell(c, row + c->cells[i].off, c->cells[i].len, first);
            } else if (res == RW_DROP) {
                put_cell(c, "", 0, first);
            } else if (c->fixoff[i] != SIZE_MAX) {
                r->tmp2.len = 0;
                rd_to_cp1252(c->val.data, c->val.len, &r->tmp2);
                put_cell(c, r->tmp2.data ? r->tmp2.data : "", r->tmp2.len, first);
            } else {
                put_cell(c, c->val.data ? c->val.data : "", c->val.len, first);
            }
            first = 0;
        }
        c->rows++;
        c->fs->records++;
    }
    if (ch != -1)
        ds_buf_puts(&c->line, c->eol);
    c->rc = rout_put(c->o, c->line.data ? c->line.data : "", c->line.len, c->err);
    c->ncells = 0;
    c->row.len = 0;
}

/* Line ending and quoting style from the first line of the sample. */
static void sniff_style(csv_rw *c, const unsigned char *s, size_t n)
{
    c->eol = "\n";
    int inq = 0, field_start = 1, fields = 0, quoted = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if (field_start) {
            fields++;
            if (ch == '"')
                quoted++;
            field_start = 0;
        }
        if (ch == '"') {
            inq = !inq;
        } else if (!inq && ch == c->delim) {
            field_start = 1;
        } else if (!inq && (ch == '\n' || ch == '\r')) {
            if (ch == '\r')
                c->eol = (i + 1 < n && s[i + 1] == '\n') ? "\r\n" : "\r";
            break;
        }
    }
    c->quote_all = fields > 0 && quoted == fields;
}

static void csv_rw_free(csv_rw *c)
{
    for (size_t i = 0; i < c->cols_cap; i++)
        free(c->names[i]);
    free(c->names);
    free(c->name_len);
    free(c->col_act);
    free(c->cells);
    free(c->fields);
    free(c->field_col);
    free(c->fixoff);
    ds_buf_free(&c->row);
    ds_buf_free(&c->fixed);
    ds_buf_free(&c->val);
    ds_buf_free(&c->line);
}

ds_status rd_csv(ds_redactor *r, ds_stream *st, rout *o, ds_redact_file_stats *fs, ds_error *err)
{
    const char *name = ds_stream_name(st);
    /* the reader's own sniffing decides the delimiter and the header */
    ds_source_opts so;
    ds_source_opts_default(&so);
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, DS_FORMAT_CSV, &so, &src, err);
    if (rc != DS_OK)
        return rc;
    const ds_source_stats *ss = ds_source_stats_get(src);
    csv_rw c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.o = o;
    c.fs = fs;
    c.err = err;
    c.delim = (unsigned char)ss->csv_delim;
    c.header_pending = ss->csv_header;
    fs->csv_delim = ss->csv_delim;
    fs->csv_header = ss->csv_header;
    ds_source_close(src);

    const unsigned char *d;
    size_t n;
    rc = ds_stream_peek(st, SNIFF_BYTES, &d, &n, err);
    if (rc != DS_OK && rc != DS_DONE) {
        csv_rw_free(&c);
        return rc;
    }
    sniff_style(&c, d, n);

    size_t limit = r->max_field * 2 + (64u << 10);
    __atomic_store_n(&lcsv_limit, limit, __ATOMIC_RELAXED);
    struct csv_parser p;
    csv_init(&p, 0);
    csv_set_delim(&p, c.delim);
    csv_set_space_func(&p, no_space);
    csv_set_realloc_func(&p, limited_realloc);
    for (;;) {
        rc = ds_stream_next(st, &d, &n, err);
        if (rc == DS_DONE) {
            rc = DS_OK;
            break;
        }
        if (rc != DS_OK)
            break;
        if (csv_parse(&p, d, n, on_cell, end_row, &c) != n) {
            rc = csv_error(&p) == CSV_ENOMEM
                     ? ds_error_set(
                           err, DS_ELIMIT, NULL,
                           "a value is longer than --max-field (%zu bytes; raise --max-field)",
                           r->max_field)
                     : ds_error_set(err, DS_EFORMAT, NULL, "%s", csv_strerror(csv_error(&p)));
            break;
        }
        if (c.rc != DS_OK) {
            rc = c.rc;
            break;
        }
    }
    if (rc == DS_OK) {
        csv_fini(&p, on_cell, end_row, &c);
        rc = c.rc;
    }
    csv_free(&p);
    csv_rw_free(&c);
    if (rc != DS_OK && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", name);
    return rc;
}
