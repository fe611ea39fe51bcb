/* report: the JSON report (SPEC §6.2, schema dsaudit.report/1; described by
 * schemas/report.schema.json).
 *
 * Written streamed to the FILE through a small buffer, keys in a fixed order,
 * lists in the model's order (files in scan order, fields in order of first
 * appearance, findings in report order) or sorted by name (by_type,
 * by_category, skipped reasons): the same result gives the same bytes, at any
 * -j and after `dsaudit merge`. Layout: two-space indentation for the top
 * levels, one line per element of files, fields and findings (a findings
 * line is exactly the JSONL object of SPEC §6.1). */
#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "common/mem.h"
#include "common/siphash.h"
#include "report/json_out.h"
#include "report/writers.h"

#define DS_REPORT_KEY_NAME DS_REPORT_KEY

typedef struct jw {
    FILE *out;
    ds_buf b;
} jw;

static void jw_flush(jw *w, int force)
{
    if (w->b.len && (force || w->b.len >= (1u << 16))) {
        fwrite(w->b.data, 1, w->b.len, w->out);
        ds_buf_reset(&w->b);
    }
}

static void jstr(jw *w, const char *s)
{
    ds_json_cstr(&w->b, s);
}

static void ju64(jw *w, uint64_t v)
{
    ds_buf_printf(&w->b, "%llu", (unsigned long long)v);
}

static void jbool(jw *w, int v)
{
    ds_buf_puts(&w->b, v ? "true" : "false");
}

/* ---- the distinct-value sketch budget ---------------------------------------- */

void ds_sketch_budget(ds_file_result *f, size_t *used)
{
    size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
    for (size_t k = 0; k < nf; k++) {
        ds_field_agg *fa = ds_agg_field_mut(f->agg, k);
        for (size_t t = 0; t < fa->ntypes; t++) {
            if (!fa->types[t].hll)
                continue;
            if (*used < DS_MAX_SKETCHES) {
                (*used)++;
            } else {
                ds_hll_free(fa->types[t].hll);
                fa->types[t].hll = NULL;
            }
        }
    }
}

/* ---- summary helpers ---------------------------------------------------------- */

typedef struct kv {
    const char *key;
    uint64_t n, bytes;
} kv;

static void kv_add(kv **v, size_t *n, size_t *cap, const char *key, uint64_t k, uint64_t bytes)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].key, key) == 0) {
            (*v)[i].n += k;
            (*v)[i].bytes += bytes;
            return;
        }
    *v = ds_xgrow(*v, cap, *n + 1, sizeof **v);
    (*v)[*n] = (kv){key, k, bytes};
    (*n)++;
}

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

static const char *status_name(ds_file_status s)
{
    return s == DS_FILE_OK ? "ok" : s == DS_FILE_INCOMPLETE ? "incomplete" : "skipped";
}

const char *ds_verdict_name(int exit_status)
{
    return exit_status == 2 ? "incomplete" : exit_status == 1 ? "fail" : "pass";
}

static void write_summary(jw *w, const ds_scan_result *r)
{
    uint64_t records = 0, bytes = 0, skipped_bytes = 0;
    size_t nread = 0, nskipped = 0, nincomplete = 0;
    kv *reasons = NULL, *types = NULL, *cats = NULL;
    size_t nreasons = 0, creasons = 0, ntypes = 0, ctypes = 0, ncats = 0, ccats = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED) {
            nskipped++;
            skipped_bytes += f->bytes;
            kv_add(&reasons, &nreasons, &creasons, f->skip_reason ? f->skip_reason : "", 1,
                   f->bytes);
            continue;
        }
        nread++;
        nincomplete += f->status == DS_FILE_INCOMPLETE;
        records += f->records;
        bytes += f->bytes;
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                kv_add(&types, &ntypes, &ctypes, fa->types[t].type, fa->types[t].findings, 0);
                kv_add(&cats, &ncats, &ccats, fa->types[t].category ? fa->types[t].category : "",
                       fa->types[t].findings, 0);
            }
        }
    }
    if (nreasons)
        qsort(reasons, nreasons, sizeof *reasons, kv_cmp);
    if (ntypes)
        qsort(types, ntypes, sizeof *types, kv_cmp);
    if (ncats)
        qsort(cats, ncats, sizeof *cats, kv_cmp);
    int st = ds_scan_exit_status(r);
    ds_buf_printf(&w->b,
                  "  \"summary\": {\n    \"files\": %zu,\n    \"files_read\": %zu,\n"
                  "    \"files_incomplete\": %zu,\n    \"files_skipped\": %zu,\n"
                  "    \"records\": %llu,\n    \"bytes_scanned\": %llu,\n"
                  "    \"bytes_skipped\": %llu,\n    \"skipped\": [",
                  r->nfiles, nread, nincomplete, nskipped, (unsigned long long)records,
                  (unsigned long long)bytes, (unsigned long long)skipped_bytes);
    for (size_t i = 0; i < nreasons; i++) {
        ds_buf_puts(&w->b, i ? ", {\"reason\": " : "{\"reason\": ");
        jstr(w, reasons[i].key);
        ds_buf_printf(&w->b, ", \"files\": %llu, \"bytes\": %llu}", (unsigned long long)reasons[i].n,
                      (unsigned long long)reasons[i].bytes);
    }
    ds_buf_printf(&w->b,
                  "],\n    \"findings\": %llu,\n    \"findings_failing\": %llu,\n"
                  "    \"findings_baselined\": %llu,\n",
                  (unsigned long long)r->findings, (unsigned long long)r->failing,
                  (unsigned long long)r->baselined);
    ds_buf_puts(&w->b, "    \"by_type\": {");
    for (size_t i = 0; i < ntypes; i++) {
        if (i)
            ds_buf_puts(&w->b, ", ");
        jstr(w, types[i].key);
        ds_buf_printf(&w->b, ": %llu", (unsigned long long)types[i].n);
    }
    ds_buf_puts(&w->b, "},\n    \"by_category\": {");
    for (size_t i = 0; i < ncats; i++) {
        if (i)
            ds_buf_puts(&w->b, ", ");
        jstr(w, cats[i].key);
        ds_buf_printf(&w->b, ": %llu", (unsigned long long)cats[i].n);
    }
    ds_buf_puts(&w->b, "},\n    \"highest_severity\": ");
    jstr(w, r->findings ? ds_severity_name(r->highest) : NULL);
    ds_buf_puts(&w->b, ",\n    \"errors\": [");
    for (size_t i = 0; i < r->nerrors; i++) {
        ds_buf_puts(&w->b, i ? ", {\"where\": " : "{\"where\": ");
        jstr(w, r->errors[i].where);
        ds_buf_puts(&w->b, ", \"message\": ");
        jstr(w, r->errors[i].msg);
        ds_buf_putc(&w->b, '}');
    }
    ds_buf_printf(&w->b, "],\n    \"limit_hits\": %llu,\n    \"limit_rule\": ",
                  (unsigned long long)r->limit_hits);
    jstr(w, r->limit_hits ? r->limit_rule : NULL);
    ds_buf_puts(&w->b, ",\n    \"fail_on\": ");
    jstr(w, ds_severity_name(r->fail_on));
    ds_buf_printf(&w->b,
                  ",\n    \"checks_failing\": %llu,\n    \"incomplete\": %s,\n"
                  "    \"verdict\": \"%s\",\n    \"exit_status\": %d\n  },\n",
                  (unsigned long long)r->failing_checks, r->incomplete ? "true" : "false",
                  ds_verdict_name(st), st);
    free(reasons);
    free(types);
    free(cats);
}

static void write_files(jw *w, const ds_scan_result *r)
{
    ds_buf_puts(&w->b, "  \"files\": [");
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        ds_buf_puts(&w->b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        jstr(w, f->name);
        ds_buf_puts(&w->b, ", \"format\": ");
        jstr(w, ds_format_name(f->format));
        ds_buf_puts(&w->b, ", \"encoding\": ");
        jstr(w, f->encoding);
        ds_buf_printf(&w->b,
                      ", \"status\": \"%s\", \"records\": %llu, \"bytes\": %llu, \"malformed\": "
                      "%llu, \"ragged\": %llu, \"invalid_utf8\": %llu, \"windowed\": %llu, "
                      "\"errors\": %llu, \"records_scanned\": %llu, \"truncated\": %s, "
                      "\"error\": ",
                      status_name(f->status), (unsigned long long)f->records,
                      (unsigned long long)f->bytes, (unsigned long long)f->malformed,
                      (unsigned long long)f->ragged, (unsigned long long)f->invalid_utf8,
                      (unsigned long long)f->windowed, (unsigned long long)f->nerrors,
                      (unsigned long long)f->records_scanned, f->truncated ? "true" : "false");
        jstr(w, f->error);
        ds_buf_puts(&w->b, ", \"skip_reason\": ");
        jstr(w, f->status == DS_FILE_SKIPPED ? f->skip_reason : NULL);
        ds_buf_putc(&w->b, '}');
        jw_flush(w, 0);
    }
    ds_buf_puts(&w->b, r->nfiles ? "\n  ],\n" : "],\n");
}

static void write_fields(jw *w, const ds_scan_result *r)
{
    ds_buf_puts(&w->b, "  \"fields\": [");
    int any = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            ds_buf_puts(&w->b, any ? ",\n    {\"file\": " : "\n    {\"file\": ");
            any = 1;
            jstr(w, f->name);
            ds_buf_puts(&w->b, ", \"field\": ");
            jstr(w, fa->name);
            ds_buf_printf(&w->b, ", \"records\": %llu, \"hint\": ", (unsigned long long)fa->records);
            jstr(w, fa->name_hint);
            ds_buf_puts(&w->b, ", \"hint_rule\": ");
            jstr(w, fa->name_hint ? fa->name_hint_rule : NULL);
            ds_buf_puts(&w->b, ", \"types\": [");
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                ds_buf_puts(&w->b, t ? ", {\"type\": " : "{\"type\": ");
                jstr(w, ta->type);
                ds_buf_puts(&w->b, ", \"category\": ");
                jstr(w, ta->category);
                ds_buf_printf(&w->b,
                              ", \"severity\": \"%s\", \"findings\": %llu, \"records\": %llu, "
                              "\"share\": %.4f, \"distinct\": ",
                              ds_severity_name(ta->severity), (unsigned long long)ta->findings,
                              (unsigned long long)ta->records,
                              fa->records ? (double)ta->records / (double)fa->records : 0.0);
                if (ta->hll) {
                    uint64_t d = ds_hll_estimate(ta->hll);
                    ju64(w, d < ta->findings ? d : ta->findings);
                    ds_buf_puts(&w->b, ", \"sketch\": \"");
                    ds_hll_encode(ta->hll, &w->b);
                    ds_buf_puts(&w->b, "\"}");
                } else {
                    ds_buf_puts(&w->b, "null, \"sketch\": null}");
                }
            }
            ds_buf_puts(&w->b, "]}");
            jw_flush(w, 0);
        }
    }
    ds_buf_puts(&w->b, any ? "\n  ],\n" : "],\n");
}

static void write_checks(jw *w, const ds_checks *c)
{
    ds_buf_puts(&w->b, "  \"checks\": ");
    if (!c) {
        ds_buf_puts(&w->b, "null,\n");
        return;
    }
    ds_buf_puts(&w->b, "{\n    \"metadata_path\": ");
    jstr(w, c->metadata_path);
    ds_buf_puts(&w->b, ",\n    \"metadata_format\": ");
    jstr(w, c->metadata_format);
    ds_buf_puts(&w->b, ",\n    \"scan_date\": ");
    jstr(w, c->scan_date);
    ds_buf_puts(&w->b, ",\n    \"checks\": [");
    for (size_t i = 0; i < c->n; i++) {
        const ds_check *k = &c->v[i];
        ds_buf_puts(&w->b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
        jstr(w, k->id);
        ds_buf_puts(&w->b, ", \"title\": ");
        jstr(w, k->title);
        ds_buf_printf(&w->b, ", \"status\": \"%s\", \"severity\": \"%s\", \"evidence\": ",
                      ds_check_status_name(k->status), ds_severity_name(k->severity));
        jstr(w, k->evidence);
        ds_buf_puts(&w->b, ", \"basis\": ");
        jstr(w, k->basis);
        ds_buf_puts(&w->b, ", \"remedy\": ");
        jstr(w, k->remedy);
        ds_buf_putc(&w->b, '}');
    }
    ds_buf_puts(&w->b, c->n ? "\n    ],\n    \"dpia\": {\"criteria\": [" : "],\n    \"dpia\": {\"criteria\": [");
    for (size_t i = 0; i < c->ndpia; i++) {
        const ds_dpia_criterion *d = &c->dpia[i];
        ds_buf_puts(&w->b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
        jstr(w, d->id);
        ds_buf_puts(&w->b, ", \"title\": ");
        jstr(w, d->title);
        ds_buf_printf(&w->b, ", \"met\": %s, \"evidence\": ",
                      d->met > 0 ? "true" : d->met == 0 ? "false" : "null");
        jstr(w, d->evidence);
        ds_buf_putc(&w->b, '}');
    }
    ds_buf_printf(&w->b, "%s], \"score\": %d, \"required\": ", c->ndpia ? "\n    " : "",
                  c->dpia_score);
    jbool(w, c->dpia_required);
    ds_buf_puts(&w->b, "}\n  },\n");
}

int ds_report_json(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out)
{
    jw w = {out, {0}};
    ds_buf_puts(&w.b, "{\n  \"schema\": \"dsaudit.report/1\",\n  \"tool\": {\"name\": \"dsaudit\", "
                      "\"version\": ");
    jstr(&w, ctx->tool_version);
    ds_buf_puts(&w.b, ", \"rules_digest\": ");
    jstr(&w, ctx->rules_digest);
    ds_buf_printf(&w.b, ", \"sketch\": {\"kind\": \"hyperloglog\", \"precision\": %d, "
                        "\"hash\": \"siphash-2-4\", \"key\": \"%s\"}},\n",
                  DS_HLL_P, DS_REPORT_KEY_NAME);
    ds_buf_puts(&w.b, "  \"run\": {\"arguments\": [");
    for (size_t i = 0; i < ctx->argc; i++) {
        if (i)
            ds_buf_puts(&w.b, ", ");
        jstr(&w, ctx->argv[i]);
    }
    ds_buf_puts(&w.b, "],\n          \"settings\": ");
    ds_buf_puts(&w.b, ctx->settings_json ? ctx->settings_json : "{}");
    /* the shard this report covers; null for a whole run and after merge */
    if (r->shard_n)
        ds_buf_printf(&w.b, ",\n          \"shard\": {\"k\": %u, \"n\": %u}", r->shard_k + 1,
                      r->shard_n);
    else
        ds_buf_puts(&w.b, ",\n          \"shard\": null");
    if (ctx->started) {
        ds_buf_puts(&w.b, ",\n          \"started\": ");
        jstr(&w, ctx->started);
        ds_buf_puts(&w.b, ", \"finished\": ");
        jstr(&w, ctx->finished);
    }
    ds_buf_puts(&w.b, "},\n");
    write_summary(&w, r);
    jw_flush(&w, 1);
    write_files(&w, r);
    write_fields(&w, r);
    write_checks(&w, r->checks);

    uint64_t listed = 0;
    ds_buf_puts(&w.b, "  \"findings\": [");
    if (ctx->findings) {
        ds_finding_view v;
        ds_findings_rewind(ctx->findings);
        while (listed < ctx->max_findings && ds_findings_next(ctx->findings, &v)) {
            ds_buf_puts(&w.b, listed ? ",\n    " : "\n    ");
            ds_buf_append(&w.b, v.json, v.json_len);
            listed++;
            jw_flush(&w, 0);
        }
    }
    ds_buf_puts(&w.b, listed ? "\n  ],\n" : "],\n");
    ds_buf_puts(&w.b, "  \"findings_listed\": {\"max\": ");
    if (ctx->max_findings == UINT64_MAX)
        ds_buf_puts(&w.b, "null");
    else
        ju64(&w, ctx->max_findings);
    ds_buf_printf(&w.b, ", \"listed\": %llu, \"total\": %llu, \"truncated\": %s}\n}\n",
                  (unsigned long long)listed, (unsigned long long)r->findings,
                  listed < r->findings ? "true" : "false");
    jw_flush(&w, 1);
    ds_buf_free(&w.b);
    return ferror(out) ? -1 : 0;
}
