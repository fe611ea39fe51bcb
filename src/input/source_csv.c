/* input: CSV reader (SPEC §3, §4).
 *
 * libcsv does the tokenising. This file adds what libcsv leaves out: dialect
 * and header sniffing, physical line numbers, UTF-8 repair, the column limit,
 * and bounded memory for fields longer than max_field.
 *
 * Line numbers. Bytes go to libcsv in pieces that end at the first CR or LF,
 * so at most one row ends per piece, and a row that starts in a piece starts
 * on that piece's line.
 *
 * Oversized fields. libcsv gathers a whole field before handing it over.
 * Between pieces the reader looks at libcsv's parser state (struct csv_parser
 * is public in csv.h, and the reader only reads it). Once the field in
 * progress passes a third of max_field less one piece (so that a value left to
 * libcsv stays within max_field even if every byte is re-decoded as a 3-byte
 * Windows-1252 character), the reader takes that field over: a small state
 * machine that behaves like libcsv's reads the rest of the field and cuts it
 * into overlapping windows, and libcsv is not fed meanwhile. When the field
 * ends, libcsv gets a closing quote if it was inside quotes and then the real
 * terminator, so the row stays in step. The stale value libcsv then reports
 * for that field is replaced by the last window.
 *
 * Plain rows. libcsv reads a byte at a time through its state machine and
 * copies every field into its buffer (~40 instructions a byte: a third of a
 * dense CSV scan). A piece that is one whole line, read while libcsv is
 * between rows, is split here instead when it is plain: every field either
 * unquoted with no quote and no blank at either end, or quoted with only
 * doubled quotes inside and the closing quote right before a delimiter or
 * the line end. The reader then makes exactly the calls libcsv would make
 * (on_field per field, on_row), unquoted fields straight from the input.
 * Any other line (blanks to trim, a quote inside a field, a quoted field
 * going on to the next line, an empty line) goes to libcsv as before.
 * ds_source_opts.csv_no_fast sends every line to libcsv; the CSV fuzz target
 * and the unit tests read each input both ways and compare. */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/utf8.h"
#include "input/source_impl.h"

/* libcsv's parser states (csv_parser.pstate, libcsv 3.0.x); checked at open. */
enum {
    LCSV_ROW_NOT_BEGUN = 0,
    LCSV_FIELD_NOT_BEGUN = 1,
    LCSV_FIELD_BEGUN = 2,
    LCSV_FIELD_MIGHT_HAVE_ENDED = 3
};

#define SNIFF_BYTES DS_CSV_SNIFF_BYTES /* sample for dialect and header sniffing */
#define SNIFF_ROWS 200            /* rows of the sample used for the delimiter */
#define HEADER_ROWS 21            /* first row + 20 data rows for the header vote */
#define HEADER_COLS 64            /* columns looked at by the header vote */
#define PIECE_MAX (64u * 1024u)   /* longest piece handed to libcsv at once */
#define LCSV_BLOCK 4096u          /* libcsv's first buffer growth step */

#include "input/vwin.h"

/* ---- reader state ---------------------------------------------------------- */

typedef ds_csv_name col_name; /* s NULL until named (header cell or "#N") */

typedef struct cell {
    size_t col;      /* 0-based column */
    size_t off, len; /* value bytes in csv_impl.vals */
    uint64_t value_off;
    size_t own_len;
} cell;

enum mirror_state { M_UNQUOTED, M_QUOTED, M_QUOTE_SEEN };
enum mirror_result { MIR_MORE, MIR_FULL, MIR_END };

typedef struct csv_impl {
    struct csv_parser p;
    ds_source *src;
    unsigned char delim;
    size_t piece_max;  /* longest piece fed to libcsv */
    size_t takeover;   /* a field in progress longer than this is taken over */
    size_t row_budget; /* value bytes of a row held before a part is handed out */
    int fed;           /* a piece went to libcsv since the last look at its state */

    /* input */
    const unsigned char *cur;
    size_t cur_len;
    int at_end;    /* the stream said DS_DONE */
    int finished;  /* libcsv was finalised */
    uint64_t line; /* physical line of the next byte */
    int mid_line;  /* bytes read since the last LF */

    /* names */
    col_name *names;
    size_t nnames;
    int header_pending; /* the next row is the header */
    size_t width;       /* cells in the header, or in the first row */
    int width_known;

    /* row in progress */
    uint64_t row_line;
    uint64_t rows; /* data rows finished */
    size_t ncols;  /* cells seen in the row so far, empty ones included */
    cell *cells;
    size_t ncells, cells_cap;
    ds_buf vals;
    size_t part_cells; /* cells[0..part_cells) go out as a part (row over budget) */
    int row_done;
    uint64_t quote_line; /* line where the quoted field in progress opened; 0: none */

    /* a field taken over from libcsv */
    int diverting;
    int lcsv_quoted;       /* libcsv is inside quotes: give it a closing quote at the end */
    int mstate;            /* enum mirror_state */
    size_t trailing;       /* trailing blanks (and the quote, in M_QUOTE_SEEN) not yet known
                              to be content */
    size_t tk_pos, tk_len; /* libcsv buffer bytes still to move into the window */
    int discard;           /* header cell or column past max_columns: no windows out */
    int overflowed;        /* a window was dropped (discard): the value is lost */
    int subst;             /* the next libcsv field is the one taken over */
    ds_vwin win;

    /* errors owed to the caller once the record before them is out */
    int owe_columns;
    uint64_t owe_columns_line;
    int owe_unterminated;
    uint64_t owe_unterminated_line;
    int eof_unterminated; /* a taken-over field was still inside quotes at the end */

    /* plain rows split here (fast_row): the fields of the line, and the
     * quoted ones with doubled quotes, unescaped */
    struct fspan {
        const unsigned char *p; /* NULL: at off in fq */
        size_t off, n;
    } *fs;
    size_t fs_cap;
    ds_buf fq;

    /* output */
    size_t handed; /* cells handed out: dropped at the next call */
    ds_field *out;
    size_t out_cap;
    ds_record rec;
} csv_impl;

/* ---- names ----------------------------------------------------------------- */

static void ensure_names(csv_impl *c, size_t n)
{
    if (n <= c->nnames)
        return;
    size_t cap = c->nnames;
    c->names = ds_xgrow(c->names, &cap, n, sizeof *c->names);
    memset(c->names + c->nnames, 0, (cap - c->nnames) * sizeof *c->names);
    c->nnames = cap;
}

/* A copy of names[0..n) (at least one entry allocated). */
static col_name *names_dup(const col_name *names, size_t n)
{
    col_name *out = ds_xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (names[i].s)
            out[i] = (col_name){ds_xstrndup(names[i].s, names[i].n), names[i].n};
    return out;
}

static const col_name *col_name_get(csv_impl *c, size_t col)
{
    if (col >= c->nnames)
        ensure_names(c, col + 1);
    col_name *nm = &c->names[col];
    if (!nm->s) {
        char tmp[32];
        int n = snprintf(tmp, sizeof tmp, "#%zu", col + 1);
        nm->s = ds_xstrndup(tmp, (size_t)n);
        nm->n = (size_t)n;
    }
    return nm;
}

static int is_blank(unsigned char ch)
{
    return ch == ' ' || ch == '\t';
}

/* A header cell, trimmed of surrounding blanks; an empty one stays "#N". */
static void set_header_name(csv_impl *c, size_t col, const char *s, size_t n)
{
    while (n && is_blank((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && is_blank((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return;
    ensure_names(c, col + 1);
    ds_buf b = {0};
    if (ds_utf8_is_valid(s, n))
        ds_buf_append(&b, s, n);
    else
        ds_utf8_repair(s, n, &b);
    c->names[col].s = b.data;
    c->names[col].n = b.len;
}

/* ---- libcsv callbacks ------------------------------------------------------ */

/* Cut a part right after the cell that takes the row past its budget, so
 * parts do not depend on how the input was chunked. */
static void check_budget(csv_impl *c)
{
    if (!c->part_cells && c->vals.len > c->row_budget)
        c->part_cells = c->ncells;
}

static void add_cell(csv_impl *c, size_t col, const char *s, size_t n, uint64_t value_off,
                     size_t own_len)
{
    if (c->ncells == c->cells_cap)
        c->cells = ds_xgrow(c->cells, &c->cells_cap, c->ncells + 1, sizeof *c->cells);
    cell *ce = &c->cells[c->ncells++];
    ce->col = col;
    ce->off = c->vals.len;
    ce->value_off = value_off;
    ds_buf_append(&c->vals, s, n);
    ce->len = n;
    ce->own_len = own_len;
    check_budget(c);
}

static void on_field(void *data, size_t n, void *ctx)
{
    csv_impl *c = ctx;
    ds_source_stats *st = &c->src->stats;
    size_t col = c->ncols++;
    c->quote_line = 0;
    if (c->subst) {
        /* libcsv's copy is stale: the value is the last window */
        ds_vwin *w = &c->win;
        c->subst = 0;
        if (c->header_pending && !c->overflowed && col < c->src->opts.max_columns)
            set_header_name(c, col, w->buf, w->len); /* the window is valid UTF-8 */
        if (!c->discard && w->len) {
            add_cell(c, col, w->buf, w->len, w->off, w->len);
            if (w->windowed)
                st->windowed++;
            if (w->repaired)
                st->invalid_utf8++;
        }
        ds_vwin_reset(w);
        return;
    }
    if (c->header_pending) {
        if (col < c->src->opts.max_columns)
            set_header_name(c, col, data, n);
        return;
    }
    /* Empty cells carry nothing to scan: they count as columns but are not
     * delivered as fields. */
    if (n == 0 || col >= c->src->opts.max_columns)
        return;
    const char *s = data;
    if (ds_utf8_is_valid(s, n)) {
        add_cell(c, col, s, n, 0, n);
        return;
    }
    if (c->ncells == c->cells_cap)
        c->cells = ds_xgrow(c->cells, &c->cells_cap, c->ncells + 1, sizeof *c->cells);
    cell *ce = &c->cells[c->ncells++];
    ce->col = col;
    ce->off = c->vals.len;
    ds_utf8_repair(s, n, &c->vals);
    ce->len = c->vals.len - ce->off;
    ce->value_off = 0;
    ce->own_len = ce->len;
    st->invalid_utf8++;
    check_budget(c);
}

static void on_row(int ch, void *ctx)
{
    (void)ch;
    csv_impl *c = ctx;
    c->row_done = 1;
}

/* ---- output ---------------------------------------------------------------- */

/* Hand out cells[0..ncells), plus `extra` (a window) when not NULL. */
static const ds_record *make_record(csv_impl *c, size_t ncells, const ds_field *extra,
                                    size_t extra_col, int more)
{
    size_t n = ncells + (extra ? 1 : 0);
    if (n > c->out_cap)
        c->out = ds_xgrow(c->out, &c->out_cap, n, sizeof *c->out);
    for (size_t i = 0; i < ncells; i++) {
        const cell *ce = &c->cells[i];
        const col_name *nm = col_name_get(c, ce->col);
        ds_field *f = &c->out[i];
        f->name = nm->s;
        f->name_len = nm->n;
        f->value = c->vals.data + ce->off;
        f->value_len = ce->len;
        f->value_off = ce->value_off;
        f->own_len = ce->own_len;
    }
    if (extra) {
        const col_name *nm = col_name_get(c, extra_col);
        ds_field *f = &c->out[ncells];
        *f = *extra;
        f->name = nm->s;
        f->name_len = nm->n;
    }
    c->rec.index = c->rows + 1;
    c->rec.line = c->row_line;
    c->rec.fields = c->out;
    c->rec.nfields = n;
    c->rec.more = more;
    c->handed = ncells;
    if (!more)
        c->rows++;
    return &c->rec;
}

/* A row ended in libcsv. Returns the record to hand out, or NULL (header). */
static const ds_record *end_row(csv_impl *c)
{
    ds_source_stats *st = &c->src->stats;
    size_t width = c->ncols;
    c->row_done = 0;
    c->ncols = 0;
    if (c->header_pending) {
        c->header_pending = 0;
        c->width = width;
        c->width_known = 1;
        c->ncells = 0;
        ds_buf_reset(&c->vals);
        /* a header wider than max_columns is not an error of its own: every
         * data row as wide reports it */
        return NULL;
    }
    if (!c->width_known) {
        c->width = width;
        c->width_known = 1;
    } else if (width != c->width) {
        st->ragged++;
    }
    if (width > c->src->opts.max_columns) {
        c->owe_columns = 1;
        c->owe_columns_line = c->row_line;
    }
    return make_record(c, c->ncells, NULL, 0, 0);
}

/* ---- taking over an oversized field ---------------------------------------- */

static void start_divert(csv_impl *c)
{
    const struct csv_parser *p = &c->p;
    c->diverting = 1;
    c->discard = c->header_pending || c->ncols >= c->src->opts.max_columns;
    c->lcsv_quoted = p->pstate == LCSV_FIELD_BEGUN && p->quoted;
    if (p->pstate == LCSV_FIELD_MIGHT_HAVE_ENDED) {
        c->mstate = M_QUOTE_SEEN;
        c->trailing = p->spaces + 1;
    } else if (p->quoted) {
        c->mstate = M_QUOTED;
        c->trailing = 0;
    } else {
        c->mstate = M_UNQUOTED;
        c->trailing = p->spaces;
    }
    c->overflowed = 0;
    c->tk_pos = 0;
    c->tk_len = p->entry_pos;
    ds_vwin_reset(&c->win);
}

/* One byte the mirror appends; 0 when the window is full. */
static int mirror_put(ds_vwin *w, unsigned char ch)
{
    if (ch < 0x80 && !w->npend && w->len < w->max) {
        w->buf[w->len++] = (char)ch;
        return 1;
    }
    return ds_vwin_put(w, &ch, 1) == 1;
}

/* Read the taken-over field from the current chunk, as libcsv would: stops at
 * the byte that ends the field (not consumed) or when the window is full. */
static int mirror(csv_impl *c)
{
    ds_source_stats *st = &c->src->stats;
    ds_vwin *w = &c->win;
    const unsigned char *s = c->cur;
    size_t n = c->cur_len, i = 0;
    int r = MIR_MORE;
    while (i < n) {
        unsigned char ch = s[i];
        if (c->mstate == M_QUOTED) {
            if (!mirror_put(w, ch)) {
                r = MIR_FULL;
                break;
            }
            if (ch == '"') {
                c->mstate = M_QUOTE_SEEN;
                c->trailing = 1;
            } else if (ch == '\n') {
                c->line++;
                st->lines++;
            }
            i++;
            continue;
        }
        if (ch == c->delim || ch == '\r' || ch == '\n') {
            r = MIR_END;
            break;
        }
        if (c->mstate == M_QUOTE_SEEN && ch == '"' && c->trailing == 1) {
            /* a doubled quote: the one already appended was literal */
            c->mstate = M_QUOTED;
            c->trailing = 0;
            i++;
            continue;
        }
        if (!mirror_put(w, ch)) {
            r = MIR_FULL;
            break;
        }
        if (is_blank(ch)) {
            c->trailing++;
        } else if (c->mstate == M_QUOTE_SEEN && ch == '"') {
            c->trailing = 1; /* quote, blanks, quote: this quote may close the field */
        } else {
            c->trailing = 0;
            if (c->mstate == M_QUOTE_SEEN)
                c->mstate = M_QUOTED;
        }
        i++;
    }
    if (i) {
        c->mid_line = s[i - 1] != '\n';
        c->cur += i;
        c->cur_len -= i;
    }
    return r;
}

/* The taken-over field ended: trim what libcsv would trim, finish the last
 * window, and let libcsv close its own copy. 0 when a window must go out first. */
static int end_divert(csv_impl *c)
{
    ds_vwin *w = &c->win;
    if (c->mstate != M_QUOTED && c->trailing) {
        w->len -= c->trailing < w->len ? c->trailing : w->len;
        c->trailing = 0;
    }
    if (!ds_vwin_flush(w))
        return 0;
    if (c->lcsv_quoted)
        csv_parse(&c->p, "\"", 1, on_field, on_row, c);
    c->diverting = 0;
    c->subst = 1;
    return 1;
}

/* The window is full: hand it out as a record part, or drop it. */
static const ds_record *window_full(csv_impl *c)
{
    if (c->discard) {
        c->win.len = 0;
        c->overflowed = 1;
        return NULL;
    }
    ds_field f;
    ds_vwin_cut(&c->win, &f);
    return make_record(c, c->ncells, &f, c->ncols, 1);
}

/* ---- next ------------------------------------------------------------------ */

static ds_status owed_error(ds_source *src, csv_impl *c, ds_error *err)
{
    char where[600];
    if (c->owe_columns) {
        c->owe_columns = 0;
        snprintf(where, sizeof where, "%s:%llu", ds_stream_name(src->st),
                 (unsigned long long)c->owe_columns_line);
        return ds_error_set(err, DS_EFORMAT, where,
                            "row has more than %zu columns; the rest of the row was not scanned",
                            src->opts.max_columns);
    }
    c->owe_unterminated = 0;
    snprintf(where, sizeof where, "%s:%llu", ds_stream_name(src->st),
             (unsigned long long)c->owe_unterminated_line);
    return ds_error_set(err, DS_EFORMAT, where, "unterminated quoted field");
}

/* Drop the cells handed out by the last call; later ones move to the front. */
static void release_handed(csv_impl *c)
{
    size_t k = c->handed;
    c->handed = 0;
    if (c->part_cells && k == c->part_cells)
        c->part_cells = 0;
    if (k >= c->ncells) {
        c->ncells = 0;
        ds_buf_reset(&c->vals);
        return;
    }
    if (k == 0)
        return;
    size_t cut = c->cells[k].off;
    ds_buf_consume(&c->vals, cut);
    memmove(c->cells, c->cells + k, (c->ncells - k) * sizeof *c->cells);
    c->ncells -= k;
    for (size_t i = 0; i < c->ncells; i++)
        c->cells[i].off -= cut;
    check_budget(c);
}

/* libcsv is inside a field (its buffer holds that field so far). */
static int lcsv_in_field(const struct csv_parser *p)
{
    return p->pstate == LCSV_FIELD_BEGUN || p->pstate == LCSV_FIELD_MIGHT_HAVE_ENDED;
}

/* Split the line s[0..len), its last byte its only CR or LF, as libcsv
 * would, and make libcsv's calls; 0 (and no call made) when the line is not
 * plain (see the top of the file). libcsv is between rows. */
static int fast_row(csv_impl *c, const unsigned char *s, size_t len)
{
    const size_t end = len - 1; /* the terminator */
    const unsigned char d = c->delim, q = '"';
    if (end == 0)
        return 0; /* an empty line: libcsv skips it */
    size_t nf = 0, i = 0;
    ds_buf_reset(&c->fq);
    for (;;) {
        if (nf == c->fs_cap)
            c->fs = ds_xgrow(c->fs, &c->fs_cap, nf + 1, sizeof *c->fs);
        struct fspan *f = &c->fs[nf++];
        if (i < end && s[i] == q) {
            size_t j = i + 1, from = c->fq.len;
            int doubled = 0;
            for (;;) {
                const unsigned char *qq = memchr(s + j, q, end - j);
                if (!qq)
                    return 0; /* the field goes on past the line */
                size_t k = (size_t)(qq - s);
                if (k + 1 < end && s[k + 1] == q) {
                    ds_buf_append(&c->fq, s + j, k + 1 - j); /* one quote kept */
                    doubled = 1;
                    j = k + 2;
                    continue;
                }
                if (doubled) {
                    ds_buf_append(&c->fq, s + j, k - j);
                    *f = (struct fspan){NULL, from, c->fq.len - from};
                } else {
                    *f = (struct fspan){s + i + 1, 0, k - i - 1};
                }
                i = k + 1;
                break;
            }
            if (i < end && s[i] != d)
                return 0; /* something after the closing quote */
        } else {
            const unsigned char *dd = memchr(s + i, d, end - i);
            size_t k = dd ? (size_t)(dd - s) : end, n = k - i;
            if (n && (is_blank(s[i]) || is_blank(s[k - 1]) || memchr(s + i, q, n)))
                return 0;
            *f = (struct fspan){s + i, 0, n};
            i = k;
        }
        if (i == end)
            break;
        i++; /* the delimiter: a field follows, empty if the line ends here */
    }
    for (size_t k = 0; k < nf; k++) {
        const struct fspan *f = &c->fs[k];
        const unsigned char *v = f->p ? f->p : (const unsigned char *)c->fq.data + f->off;
        on_field((void *)(uintptr_t)v, f->n, c);
    }
    on_row(s[end], c);
    return 1;
}

/* Feed libcsv one piece of the current chunk. */
static void feed_piece(csv_impl *c)
{
    const unsigned char *s = c->cur;
    size_t lim = c->cur_len < c->piece_max ? c->cur_len : c->piece_max;
    const unsigned char *nl = memchr(s, '\n', lim);
    size_t len = nl ? (size_t)(nl - s) + 1 : lim;
    const unsigned char *cr = memchr(s, '\r', len);
    if (cr)
        len = (size_t)(cr - s) + 1;
    uint64_t line = c->line;
    int done = 0;
    if (c->p.pstate == LCSV_ROW_NOT_BEGUN) {
        c->row_line = line;
        if (!c->src->opts.csv_no_fast && (s[len - 1] == '\n' || s[len - 1] == '\r'))
            done = fast_row(c, s, len);
    }
    if (!done)
        csv_parse(&c->p, s, len, on_field, on_row, c);
    c->cur += len;
    c->cur_len -= len;
    if (s[len - 1] == '\n') {
        c->line++;
        c->src->stats.lines++;
        c->mid_line = 0;
    } else {
        c->mid_line = 1;
    }
    if (lcsv_in_field(&c->p) && c->p.quoted && !c->quote_line)
        c->quote_line = line;
}

static ds_status csv_next(ds_source *src, const ds_record **rec, ds_error *err)
{
    csv_impl *c = src->impl;
    release_handed(c);
    ds_vwin_settle(&c->win);
    for (;;) {
        /* what is due goes out first: a part, the row, then errors about it */
        if (c->part_cells) {
            *rec = make_record(c, c->part_cells, NULL, 0, 1);
            return DS_OK;
        }
        if (c->row_done) {
            if ((*rec = end_row(c)) != NULL)
                return DS_OK;
            continue;
        }
        if (c->owe_columns || c->owe_unterminated)
            return owed_error(src, c, err);
        if (c->fed) {
            c->fed = 0;
            if (lcsv_in_field(&c->p) && c->p.entry_pos > c->takeover) {
                start_divert(c);
                continue;
            }
            /* keep libcsv's buffer growth geometric on long fields */
            size_t have = csv_get_buffer_size(&c->p);
            if (have > c->p.blk_size)
                csv_set_blk_size(&c->p, have);
        }
        if (c->diverting && c->tk_pos < c->tk_len) {
            c->tk_pos += ds_vwin_put(&c->win, c->p.entry_buf + c->tk_pos, c->tk_len - c->tk_pos);
            if (c->tk_pos < c->tk_len && (*rec = window_full(c)) != NULL)
                return DS_OK;
            continue;
        }
        if (!c->cur_len && !c->at_end) {
            ds_status rc = ds_stream_next(src->st, &c->cur, &c->cur_len, err);
            if (rc == DS_DONE)
                c->at_end = 1;
            else if (rc != DS_OK)
                return rc;
            continue;
        }
        if (c->diverting) {
            int r = c->cur_len ? mirror(c) : MIR_END;
            if (r == MIR_FULL) {
                if ((*rec = window_full(c)) != NULL)
                    return DS_OK;
                continue;
            }
            if (r == MIR_MORE)
                continue;
            if (!c->cur_len && c->mstate == M_QUOTED)
                c->eof_unterminated = 1; /* reported with the end of input below */
            if (!end_divert(c) && (*rec = window_full(c)) != NULL)
                return DS_OK;
            continue;
        }
        if (c->cur_len) {
            feed_piece(c);
            c->fed = 1;
            continue;
        }
        /* end of input */
        if (c->finished)
            return DS_DONE;
        c->finished = 1;
        if (c->mid_line) {
            src->stats.lines++;
            c->mid_line = 0;
        }
        int unterminated = c->eof_unterminated || (c->p.pstate == LCSV_FIELD_BEGUN && c->p.quoted);
        uint64_t qline = c->quote_line;
        csv_fini(&c->p, on_field, on_row, c);
        if (unterminated) {
            c->owe_unterminated = 1;
            c->owe_unterminated_line = qline;
        }
    }
}

/* ---- dialect sniffing ------------------------------------------------------ */

static int delim_from_name(const char *name)
{
    static const char *const comp[] = {".gz", ".bz2", ".xz", ".zst", ".lz4"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof comp / sizeof comp[0]; i++) {
        size_t k = strlen(comp[i]);
        if (n > k && strcasecmp(name + n - k, comp[i]) == 0) {
            n -= k;
            break;
        }
    }
    if (n >= 4 && strncasecmp(name + n - 4, ".tsv", 4) == 0)
        return '\t';
    if (n >= 4 && strncasecmp(name + n - 4, ".psv", 4) == 0)
        return '|';
    return 0;
}

static void lcsv_setup(struct csv_parser *p, unsigned char delim)
{
    csv_init(p, 0);
    csv_set_delim(p, delim);
    csv_set_blk_size(p, LCSV_BLOCK);
    csv_set_realloc_func(p, ds_xrealloc);
}

typedef struct delim_count {
    size_t fields; /* in the row in progress */
    size_t counts[SNIFF_ROWS];
    size_t nrows;
} delim_count;

static void dc_field(void *s, size_t n, void *ctx)
{
    (void)s;
    (void)n;
    ((delim_count *)ctx)->fields++;
}

static void dc_row(int ch, void *ctx)
{
    (void)ch;
    delim_count *dc = ctx;
    if (dc->nrows < SNIFF_ROWS)
        dc->counts[dc->nrows++] = dc->fields - 1;
    dc->fields = 0;
}

/* The delimiter among , ; TAB | whose count per row (outside quotes, as
 * libcsv reads it) is most consistent: the most rows sharing one non-zero
 * count; then the larger count; then that order. ',' when none occurs. The
 * last row of a cut sample is not counted. */
static unsigned char sniff_delim(const unsigned char *s, size_t n, int whole)
{
    static const unsigned char cand[] = {',', ';', '\t', '|'};
    unsigned char best = ',';
    size_t best_rows = 0, best_count = 0;
    delim_count *dc = ds_xmalloc(sizeof *dc);
    for (size_t k = 0; k < sizeof cand; k++) {
        struct csv_parser p;
        lcsv_setup(&p, cand[k]);
        dc->fields = dc->nrows = 0;
        csv_parse(&p, s, n, dc_field, dc_row, dc);
        if (whole)
            csv_fini(&p, dc_field, dc_row, dc);
        csv_free(&p);
        size_t rows = 0, count = 0;
        for (size_t i = 0; i < dc->nrows; i++) {
            size_t v = dc->counts[i], same = 0;
            if (v == 0)
                continue;
            for (size_t j = 0; j < dc->nrows; j++)
                same += dc->counts[j] == v;
            if (same > rows || (same == rows && v > count)) {
                rows = same;
                count = v;
            }
        }
        if (rows > best_rows || (rows == best_rows && rows && count > best_count)) {
            best = cand[k];
            best_rows = rows;
            best_count = count;
        }
    }
    free(dc);
    return best;
}

/* ---- header sniffing ------------------------------------------------------- */

typedef struct sample_rows {
    ds_buf text;
    size_t off[HEADER_ROWS][HEADER_COLS];
    size_t len[HEADER_ROWS][HEADER_COLS];
    size_t ncells[HEADER_ROWS]; /* cells kept (at most HEADER_COLS) */
    size_t nrows;
    size_t col; /* in the row in progress */
} sample_rows;

static void sr_field(void *s, size_t n, void *ctx)
{
    sample_rows *sr = ctx;
    if (sr->nrows < HEADER_ROWS && sr->col < HEADER_COLS) {
        sr->off[sr->nrows][sr->col] = sr->text.len;
        sr->len[sr->nrows][sr->col] = n;
        ds_buf_append(&sr->text, s, n);
        sr->ncells[sr->nrows] = sr->col + 1;
    }
    sr->col++;
}

static void sr_row(int ch, void *ctx)
{
    (void)ch;
    sample_rows *sr = ctx;
    if (sr->nrows < HEADER_ROWS)
        sr->nrows++;
    sr->col = 0;
}

enum kind { K_EMPTY, K_NUMBER, K_DATE, K_EMAIL, K_TEXT };

static int is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_alpha(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* strchr, minus its match on the terminating NUL */
static int in_set(const char *set, unsigned char ch)
{
    return ch && strchr(set, ch);
}

/* 1.5, -3, 1 234,56, 12%, 6.02e23, +33 6 12 34 56 78 (a phone reads as one) */
static int looks_number(const unsigned char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < n; i++) {
        if (is_digit(s[i]))
            digits++;
        else if (s[i] != '.' && s[i] != ',' && s[i] != ' ')
            break;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E') && digits) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        for (; i < n && is_digit(s[i]); i++)
            e++;
        if (!e)
            return 0;
    }
    if (i < n && s[i] == '%')
        i++;
    return digits && i == n;
}

/* 2024-01-31, 31/01/2024, 31.01.24, optionally followed by a time. */
static int looks_date(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 3; part++) {
        size_t d = 0;
        while (i < n && is_digit(s[i])) {
            i++;
            d++;
        }
        if (d == 0 || d > 4)
            return 0;
        if (part < 2) {
            if (i >= n || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
                return 0;
            i++;
        }
    }
    if (i == n)
        return 1;
    if (s[i] != 'T' && s[i] != ' ')
        return 0;
    for (i++; i < n; i++)
        if (!is_digit(s[i]) && !in_set(":.+-Z ", s[i]))
            return 0;
    return 1;
}

static int looks_email(const unsigned char *s, size_t n)
{
    const unsigned char *at = memchr(s, '@', n);
    if (!at || at == s || memchr(s, ' ', n))
        return 0;
    size_t rest = n - (size_t)(at - s) - 1;
    const unsigned char *dot = memchr(at + 1, '.', rest);
    return dot && dot > at + 1 && dot < s + n - 1;
}

static void trim(const unsigned char **s, size_t *n)
{
    while (*n && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_blank((*s)[*n - 1]))
        (*n)--;
}

static int classify(const unsigned char *s, size_t n)
{
    trim(&s, &n);
    if (!n)
        return K_EMPTY;
    if (looks_date(s, n))
        return K_DATE;
    if (looks_number(s, n))
        return K_NUMBER;
    if (looks_email(s, n))
        return K_EMAIL;
    return K_TEXT;
}

/* Characters, not bytes, so accented names compare fairly. */
static size_t text_len(const unsigned char *s, size_t n)
{
    trim(&s, &n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (s[i] & 0xC0) != 0x80;
    return k;
}

/* A column name: short, starts with a letter or '_', then letters, digits,
 * blanks and _ - . ( ) / # ' (any non-ASCII byte counts as a letter). */
static int word_like(const unsigned char *s, size_t n)
{
    trim(&s, &n);
    if (n == 0 || n > 64)
        return 0;
    unsigned char c0 = s[0];
    if (!(c0 >= 0x80 || c0 == '_' || is_alpha(c0)))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char ch = s[i];
        if (ch >= 0x80 || is_digit(ch) || is_alpha(ch) || in_set(" _-.()/#'", ch))
            continue;
        return 0;
    }
    return 1;
}

/* Decide whether the first row is a header, csv.Sniffer-style.
 *
 * Vetoes: a first-row cell that looks like a value (number, date, e-mail) or is
 * longer than 128 bytes; two equal cells; an empty cell anywhere but the first
 * column (pandas writes an empty name for its index column); no non-empty cell.
 *
 * Votes, one per column with data: the data cells all of one kind (number,
 * date, e-mail) while the first row is text: +1; the data cells all text of one
 * length: +1 when the first-row cell has another length, -1 when it has the
 * same. Mixed columns do not vote.
 *
 * More votes for than against: header. More against: no header. A tie (also a
 * file with one row): header when every first-row cell is word-like. */
static int sniff_header(const unsigned char *s, size_t n, int whole, unsigned char delim)
{
    sample_rows *sr = ds_xcalloc(1, sizeof *sr);
    struct csv_parser p;
    lcsv_setup(&p, delim);
    csv_parse(&p, s, n, sr_field, sr_row, sr);
    if (whole)
        csv_fini(&p, sr_field, sr_row, sr);
    csv_free(&p);

    int header = 0;
    if (sr->nrows == 0)
        goto out;
    const unsigned char *t = (const unsigned char *)sr->text.data;
    size_t ncols = sr->ncells[0], nonempty = 0;
    for (size_t j = 0; j < ncols; j++) {
        const unsigned char *h = t + sr->off[0][j];
        size_t hl = sr->len[0][j];
        int k = classify(h, hl);
        if (k == K_EMPTY) {
            if (j > 0)
                goto out;
            continue;
        }
        if (k != K_TEXT || hl > 128)
            goto out;
        nonempty++;
        for (size_t i = 0; i < j; i++) {
            if (sr->len[0][i] == hl && memcmp(t + sr->off[0][i], h, hl) == 0)
                goto out;
        }
    }
    if (!nonempty)
        goto out;

    int votes = 0;
    for (size_t j = 0; j < ncols; j++) {
        const unsigned char *h = t + sr->off[0][j];
        size_t hl = sr->len[0][j];
        if (classify(h, hl) == K_EMPTY)
            continue;
        int kind = K_EMPTY, mixed = 0;
        size_t len = 0;
        int same_len = 1;
        for (size_t r = 1; r < sr->nrows; r++) {
            if (j >= sr->ncells[r])
                continue;
            const unsigned char *v = t + sr->off[r][j];
            size_t vl = sr->len[r][j];
            int k = classify(v, vl);
            if (k == K_EMPTY)
                continue;
            size_t tl = text_len(v, vl);
            if (kind == K_EMPTY) {
                kind = k;
                len = tl;
            } else if (k != kind) {
                mixed = 1;
            } else if (tl != len) {
                same_len = 0;
            }
        }
        if (kind == K_EMPTY || mixed)
            continue;
        if (kind != K_TEXT)
            votes++;
        else if (same_len)
            votes += text_len(h, hl) != len ? 1 : -1;
    }
    if (votes != 0) {
        header = votes > 0;
        goto out;
    }
    header = 1;
    for (size_t j = 0; j < ncols; j++) {
        const unsigned char *h = t + sr->off[0][j];
        size_t hl = sr->len[0][j];
        if (classify(h, hl) != K_EMPTY && !word_like(h, hl))
            header = 0;
    }
out:
    ds_buf_free(&sr->text);
    free(sr);
    return header;
}

/* ---- open / close ---------------------------------------------------------- */

/* The reader reads csv_parser.pstate, quoted and entry_pos; make sure this
 * libcsv means by them what libcsv 3.0.x does. */
static int lcsv_layout_ok(void)
{
    struct csv_parser p;
    lcsv_setup(&p, ',');
    int ok = p.pstate == LCSV_ROW_NOT_BEGUN;
    csv_parse(&p, "a,\"bc", 5, NULL, NULL, NULL);
    ok = ok && p.pstate == LCSV_FIELD_BEGUN && p.quoted && p.entry_pos == 2;
    csv_parse(&p, "\"", 1, NULL, NULL, NULL);
    ok = ok && p.pstate == LCSV_FIELD_MIGHT_HAVE_ENDED && p.entry_pos == 3;
    csv_parse(&p, ",", 1, NULL, NULL, NULL);
    ok = ok && p.pstate == LCSV_FIELD_NOT_BEGUN && p.entry_pos == 0;
    csv_free(&p);
    return ok;
}

static void csv_close(ds_source *src)
{
    csv_impl *c = src->impl;
    if (!c)
        return;
    csv_free(&c->p);
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i].s);
    free(c->names);
    free(c->cells);
    free(c->out);
    ds_buf_free(&c->vals);
    free(c->fs);
    ds_buf_free(&c->fq);
    ds_vwin_free(&c->win);
    free(c);
    src->impl = NULL;
}

static ds_status csv_open(ds_source *src, ds_error *err)
{
    const char *name = ds_stream_name(src->st);
    if (!lcsv_layout_ok())
        return ds_error_set(err, DS_EUNSUPPORTED, name,
                            "this libcsv version is not supported (libcsv 3.0 expected)");
    const unsigned char *sample = NULL;
    size_t slen = 0;
    const ds_csv_dialect *pre = src->opts.csv_preset;
    int delim = pre ? pre->delim : src->opts.csv_delim;
    int header = pre ? pre->header : src->opts.csv_header;
    if (delim < 0 || delim > 255 || delim == '"' || delim == '\r' || delim == '\n')
        return ds_error_set(err, DS_EINVAL, name, "invalid CSV delimiter 0x%02x", (unsigned)delim);
    if (!delim)
        delim = delim_from_name(name);
    if (!delim || header < 0) {
        ds_status rc = ds_stream_peek(src->st, SNIFF_BYTES, &sample, &slen, err);
        if (rc != DS_OK)
            return rc;
        int whole = slen < SNIFF_BYTES;
        if (!delim)
            delim = sniff_delim(sample, slen, whole);
        if (header < 0)
            header = sniff_header(sample, slen, whole, (unsigned char)delim);
    }

    csv_impl *c = ds_xcalloc(1, sizeof *c);
    src->impl = c;
    c->src = src;
    c->delim = (unsigned char)delim;
    lcsv_setup(&c->p, c->delim);
    size_t max = src->opts.max_field;
    c->piece_max = max / 8 < PIECE_MAX ? max / 8 : PIECE_MAX;
    c->takeover = max / 3 - c->piece_max;
    c->row_budget = 4 * max;
    c->line = 1 + src->opts.line_base;
    c->rows = src->opts.record_base;
    /* a range of the file but its first: the header row is behind */
    c->header_pending = header != 0 && !(pre && src->opts.line_base > 0);
    if (pre && !c->header_pending) {
        c->names = names_dup(pre->names, pre->nnames);
        c->nnames = pre->nnames;
        c->width = pre->width;
        c->width_known = pre->width_known;
    }
    ds_vwin_init(&c->win, max, src->opts.window_overlap);
    src->stats.csv_delim = delim;
    src->stats.csv_header = header != 0;
    return DS_OK;
}

const ds_source_ops ds_source_csv_ops = {"csv", csv_open, csv_next, csv_close};

ds_status ds_csv_dialect_read(ds_stream *st, const ds_source_opts *opts, ds_csv_dialect *out,
                              ds_error *err)
{
    ds_source_opts o;
    if (opts)
        o = *opts;
    else
        ds_source_opts_default(&o);
    o.csv_preset = NULL;
    o.line_base = o.record_base = 0;
    memset(out, 0, sizeof *out);
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, DS_FORMAT_CSV, &o, &src, err);
    if (rc != DS_OK)
        return rc;
    csv_impl *c = src->impl;
    /* past the header, to the end of the first row (or of the input) */
    const ds_record *rec = NULL;
    while (!c->width_known) {
        rc = ds_source_next(src, &rec, err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK && rc != DS_EFORMAT) {
            ds_source_close(src);
            return rc;
        }
    }
    out->delim = c->delim;
    out->header = src->stats.csv_header;
    out->width = c->width;
    out->width_known = c->width_known;
    out->nnames = c->nnames;
    out->names = names_dup(c->names, c->nnames);
    ds_source_close(src);
    return DS_OK;
}

void ds_csv_dialect_copy(ds_csv_dialect *dst, const ds_csv_dialect *src)
{
    *dst = *src;
    dst->names = names_dup(src->names, src->nnames);
}

void ds_csv_dialect_free(ds_csv_dialect *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->names && i < d->nnames; i++)
        free(d->names[i].s);
    free(d->names);
    memset(d, 0, sizeof *d);
}
