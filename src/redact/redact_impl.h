/* redact: internals shared by the per-format rewriters (src/redact only). */
#ifndef DS_REDACT_IMPL_H
#define DS_REDACT_IMPL_H

#include "redact/redact.h"

typedef struct rfind {
    size_t field;
    uint64_t start, end;
    const ds_rule *rule;
} rfind;

/* Buffered output in the input's encoding. */
typedef struct rout {
    const ds_rwriter *w;
    int enc; /* 0 utf-8, 1 utf-8 with BOM, 2 utf-16le, 3 utf-16be */
    int started;
    ds_buf buf;
    ds_buf conv;
    uint64_t bytes;
} rout;

typedef struct pspan {
    size_t start, end; /* a pseudonym in the value being rewritten */
    const char *type;
} pspan;

struct ds_redactor {
    ds_detector *det;
    const ds_rpolicy *pol;
    const ds_rkey *key;
    size_t max_field;
    rfind *f;
    size_t nf, fcap;
    ds_buf tmp, tmp2;
    ds_rsummary *sum; /* of the stream being rewritten (may be NULL) */
    pspan *ps;        /* pseudonyms written by the value rewrite in progress */
    size_t nps, pscap;
    unsigned salt_base; /* retry round of that rewrite */
    ds_raction *acts;
    size_t acap;
};

/* Rewrite results */
enum { RW_SAME = 0, RW_CHANGED = 1, RW_DROP = 2 };

/* Scan rec and keep its findings in r->f (sorted by field, start). */
ds_status rd_detect(ds_redactor *r, const ds_record *rec, ds_error *err);

/* Rewrite the value of field `fi` of the record last scanned by rd_detect.
 * field_act: the whole-field action (UNSET: per finding). span_drop: a drop
 * action removes only the span (text) instead of the whole value. Returns
 * RW_SAME, RW_CHANGED (new value in *out) or RW_DROP. Counts into r->sum. */
int rd_rewrite(ds_redactor *r, size_t fi, const char *name, size_t nlen, ds_raction field_act,
               const char *v, size_t n, int span_drop, ds_buf *out);

/* Fill err with where = "name:line" (line 0: name alone). */
ds_status rd_error(ds_error *err, ds_status st, const char *name, uint64_t line, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

/* Output */
void rout_init(rout *o, const ds_rwriter *w, const char *encoding);
ds_status rout_put(rout *o, const void *p, size_t n, ds_error *err);
ds_status rout_flush(rout *o, ds_error *err);
void rout_free(rout *o);

/* A value that was read as Windows-1252: write new_utf8 back in that
 * encoding (characters it lacks become '?'). */
void rd_to_cp1252(const char *s, size_t n, ds_buf *out);

ds_status rd_csv(ds_redactor *r, ds_stream *st, rout *o, ds_redact_file_stats *fs, ds_error *err);
ds_status rd_json(ds_redactor *r, ds_stream *st, int jsonl, rout *o, ds_redact_file_stats *fs,
                  ds_error *err);
ds_status rd_text(ds_redactor *r, ds_stream *st, rout *o, ds_redact_file_stats *fs, ds_error *err);

#endif
