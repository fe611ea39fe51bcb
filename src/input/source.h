/* input: ds_source, the one record interface later stages see.
 *
 * A source turns a byte stream of a known format into records made of
 * fields (SPEC §4). Later stages never learn which format they read.
 *
 *   CSV    one record per data row, numbered from 1 after the header; field
 *          names are the header cells, or "#3" (1-based) without a header.
 *   JSON   JSONL: one record per line; JSON: the top-level value, or each
 *          element of a top-level array. Nested keys become dotted paths
 *          ("author.contact.email", arrays "posts[1].body"); numbers and
 *          booleans are values too (their text); null is skipped.
 *   text   one record per line, one field named "text".
 *
 * Values are decoded (CSV unquoted, JSON unescaped) and valid UTF-8: invalid
 * bytes are re-decoded as Windows-1252 and counted in the stats.
 *
 * Bounded memory: a value longer than opts.max_field is never held whole.
 * It is delivered in overlapping windows of at most max_field bytes: each
 * window is a field with the same name, value_off its offset in the whole
 * value, and own_len saying which starts it owns (see ds_field). Windows of
 * one record may span several ds_source_next calls (ds_record.more). */
#ifndef DS_INPUT_SOURCE_H
#define DS_INPUT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "input/stream.h"

typedef enum ds_format {
    DS_FORMAT_UNKNOWN = 0,
    DS_FORMAT_CSV,
    DS_FORMAT_JSONL,
    DS_FORMAT_JSON,
    DS_FORMAT_TEXT
} ds_format;

/* "csv", "jsonl", "json", "text", "unknown". */
const char *ds_format_name(ds_format fmt);

typedef struct ds_field {
    const char *name; /* not NUL-terminated in general */
    size_t name_len;
    const char *value; /* valid UTF-8 */
    size_t value_len;
    uint64_t value_off; /* offset of value[0] in the whole value (0 unless windowed) */
    size_t own_len;     /* a match starting at or after own_len belongs to the next
                           window of the same value (it overlaps). == value_len
                           for a value delivered whole and for the last window. */
} ds_field;

typedef struct ds_record {
    uint64_t index; /* 1-based (CSV: first data row after the header is 1) */
    uint64_t line;  /* 1-based physical line where the record starts */
    const ds_field *fields;
    size_t nfields;
    int more; /* 1: the same record continues in the next ds_source_next */
} ds_record;

typedef struct ds_source_opts {
    size_t max_field;      /* longest value held whole; default 1 MiB */
    size_t window_overlap; /* bytes shared by consecutive windows; default 1 KiB,
                              always < max_field / 2 */
    unsigned max_json_depth; /* JSON nesting limit; default 512 */
    size_t max_columns;      /* CSV columns per row; default 100000 */
    int csv_delim;           /* 0: sniff among , ; TAB | */
    int csv_header;          /* -1: detect, 0: no header row, 1: header row */
    /* Reading a byte range of a file (input/split.h): lines and records that
     * come before it, added to the line and record numbers (stats stay counts
     * of this read). Default 0. */
    uint64_t line_base, record_base;
    /* CSV, a byte range of a file: the dialect of the whole file
     * (ds_csv_dialect_read), used instead of sniffing the range. The range
     * that starts the file (line_base 0) reads the header row; the others
     * take the names from here. NULL: sniff. */
    const struct ds_csv_dialect *csv_preset;
    /* Testing: every CSV line through libcsv, none split by the reader's own
     * plain-row path (source_csv.c), for differential tests. Default 0. */
    int csv_no_fast;
    /* Testing: every JSONL line through yajl, none read by the reader's own
     * plain-line path (source_json.c). Default 0. */
    int json_no_fast;
} ds_source_opts;

/* The CSV reader sniffs the dialect and the header from this many first
 * bytes (all of them when the input is shorter). */
#define DS_CSV_SNIFF_BYTES (64u * 1024u)

/* A column name (not NUL-terminated in general); s NULL: not named. */
typedef struct ds_csv_name {
    char *s;
    size_t n;
} ds_csv_name;

/* What a CSV reader settled on after the first row of a file: the dialect,
 * the header's cells and the width ragged rows are measured against. */
typedef struct ds_csv_dialect {
    int delim;
    int header;          /* 1: the first row is a header */
    size_t width;        /* cells of the header, or of the first row */
    int width_known;
    ds_csv_name *names;  /* column names, nnames entries */
    size_t nnames;
} ds_csv_dialect;

void ds_source_opts_default(ds_source_opts *o);

typedef struct ds_source_stats {
    uint64_t records;      /* records delivered */
    uint64_t malformed;    /* records skipped as malformed (DS_EFORMAT) */
    uint64_t ragged;       /* CSV rows whose field count differs from the header */
    uint64_t invalid_utf8; /* values re-decoded as Windows-1252 */
    uint64_t windowed;     /* values longer than max_field, scanned in windows */
    uint64_t lines;        /* physical lines read */
    int csv_delim;         /* dialect found (CSV only) */
    int csv_header;        /* 1 when a header row was used */
} ds_source_stats;

typedef struct ds_source ds_source;

/* Open a reader of format fmt (not UNKNOWN) over st. The source borrows st:
 * close the source before the stream. opts may be NULL for defaults. */
ds_status ds_source_open(ds_stream *st, ds_format fmt, const ds_source_opts *opts,
                         ds_source **out, ds_error *err);

/* Next record.
 *   DS_OK       *rec is valid until the next call or ds_source_close.
 *   DS_DONE     end of input.
 *   DS_EFORMAT  one malformed record was skipped; err says where
 *               ("file:LINE: ..."). Call again to go on.
 *   other       the source cannot go on (I/O, corrupt container, limit); err
 *               says why. Records already delivered stand. */
ds_status ds_source_next(ds_source *src, const ds_record **rec, ds_error *err);

const ds_source_stats *ds_source_stats_get(const ds_source *src);

/* Close; NULL is a no-op. Does not close the stream. */
void ds_source_close(ds_source *src);

/* The dialect of the CSV in st as a reader of the whole stream settles on it
 * (opts as for ds_source_open; its csv_preset is ignored): reads the first
 * row, and the header row before it. *out is filled (ds_csv_dialect_free);
 * on an error, nothing is allocated. */
ds_status ds_csv_dialect_read(ds_stream *st, const ds_source_opts *opts, ds_csv_dialect *out,
                              ds_error *err);
/* dst = a copy of src (ds_csv_dialect_free). */
void ds_csv_dialect_copy(ds_csv_dialect *dst, const ds_csv_dialect *src);
void ds_csv_dialect_free(ds_csv_dialect *d);

#endif
