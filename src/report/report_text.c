/* report: the terminal summary (SPEC §6.3 `text`). */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int ds_scan_exit_status(const ds_scan_result *r)
{
    if (r->incomplete || r->limit_hits)
        return 2;
    if (r->fail_on != DS_SEV_NONE && (r->failing > 0 || r->failing_checks > 0))
        return 1;
    return 0;
}

static void human_bytes(uint64_t b, char *out, size_t cap)
{
    static const char *unit[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1000.0 && u < 4) {
        v /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(out, cap, "%llu B", (unsigned long long)b);
    else
        snprintf(out, cap, "%.1f %s", v, unit[u]);
}

typedef struct colors {
    const char *bold, *red, *yellow, *green, *dim, *off;
} colors;

static const char *sev_color(const colors *c, ds_severity s)
{
    return s >= DS_SEV_HIGH ? c->red : s >= DS_SEV_MEDIUM ? c->yellow : c->dim;
}

typedef struct type_total {
    const char *type;
    uint64_t n;
} type_total;

static void add_total(type_total **t, size_t *n, const char *type, uint64_t k)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*t)[i].type, type) == 0) {
            (*t)[i].n += k;
            return;
        }
    *t = realloc(*t, (*n + 1) * sizeof **t);
    if (!*t)
        abort();
    (*t)[*n].type = type;
    (*t)[*n].n = k;
    (*n)++;
}

static int cmp_total(const void *a, const void *b)
{
    const type_total *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->type, y->type);
}

void ds_report_text(const ds_scan_result *r, const ds_report_opts *o, FILE *out)
{
    colors c = {"", "", "", "", "", ""};
    if (o && o->color)
        c = (colors){"\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[2m", "\033[0m"};
    int quiet = o && o->quiet;
    uint64_t records = 0, bytes = 0, skipped_bytes = 0;
    size_t nread = 0, nskipped = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED) {
            nskipped++;
            skipped_bytes += f->bytes;
            continue;
        }
        nread++;
        records += f->records;
        bytes += f->bytes;
    }
    char hb[32], hs[32];
    human_bytes(bytes, hb, sizeof hb);
    human_bytes(skipped_bytes, hs, sizeof hs);
    if (!quiet) {
        fprintf(out, "%sdsaudit%s: %zu file%s read, %llu records, %s", c.bold, c.off, nread,
                nread == 1 ? "" : "s", (unsigned long long)records, hb);
        if (nskipped)
            fprintf(out, "; %zu skipped (%s)", nskipped, hs);
        fputs("\n\n", out);
    }

    type_total *tot = NULL;
    size_t ntot = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED)
            continue;
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        int any = 0;
        size_t w = 5;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            if (fa->ntypes) {
                any = 1;
                size_t l = strlen(fa->name);
                if (l > w)
                    w = l > 40 ? 40 : l;
            }
        }
        if (!any) {
            if (!quiet)
                fprintf(out, "%s%s%s (%s, %llu records): %snothing found%s\n", c.bold, f->name,
                        c.off, ds_format_name(f->format), (unsigned long long)f->records, c.green,
                        c.off);
            continue;
        }
        fprintf(out, "%s%s%s (%s, %llu records)\n", c.bold, f->name, c.off,
                ds_format_name(f->format), (unsigned long long)f->records);
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                double share = fa->records ? 100.0 * (double)ta->records / (double)fa->records : 0;
                fprintf(out, "  %-*.*s  %-20s %6llu in %llu/%llu records (%.1f%%)  %s%s%s\n",
                        (int)w, (int)w, t == 0 ? fa->name : "", ta->type,
                        (unsigned long long)ta->findings, (unsigned long long)ta->records,
                        (unsigned long long)fa->records, share, sev_color(&c, ta->severity),
                        ds_severity_name(ta->severity), c.off);
                add_total(&tot, &ntot, ta->type, ta->findings);
            }
        }
    }
    if (nskipped) {
        fputc('\n', out);
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            if (f->status != DS_FILE_SKIPPED)
                continue;
            human_bytes(f->bytes, hs, sizeof hs);
            fprintf(out, "skipped: %s: %s (%s)\n", f->name, f->skip_reason ? f->skip_reason : "",
                    hs);
        }
    }
    if (r->nerrors || r->limit_hits) {
        fputc('\n', out);
        for (size_t i = 0; i < r->nerrors; i++)
            fprintf(out, "%sincomplete%s: %s: %s\n", c.red, c.off, r->errors[i].where,
                    r->errors[i].msg);
        if (r->limit_hits)
            fprintf(out,
                    "%sincomplete%s: rule %s: PCRE2 match limit reached on %llu value%s, not "
                    "fully scanned\n",
                    c.red, c.off, r->limit_rule ? r->limit_rule : "?",
                    (unsigned long long)r->limit_hits, r->limit_hits == 1 ? "" : "s");
    }
    if (ntot) {
        qsort(tot, ntot, sizeof *tot, cmp_total);
        fprintf(out, "\nfindings: %llu (", (unsigned long long)r->findings);
        for (size_t i = 0; i < ntot; i++)
            fprintf(out, "%s%s %llu", i ? ", " : "", tot[i].type, (unsigned long long)tot[i].n);
        fputs(")\n", out);
    } else if (!quiet) {
        fputs("\nfindings: 0\n", out);
    }
    free(tot);
    int st = ds_scan_exit_status(r);
    if (st == 2)
        fprintf(out, "verdict: %sINCOMPLETE%s: some input could not be read completely (exit 2)\n",
                c.red, c.off);
    else if (st == 1)
        fprintf(out, "verdict: %sFAIL%s: %llu finding%s at or above %s (exit 1)\n", c.red, c.off,
                (unsigned long long)r->failing, r->failing == 1 ? "" : "s",
                ds_severity_name(r->fail_on));
    else if (!quiet)
        fprintf(out, "verdict: %sPASS%s: nothing at or above %s\n", c.green, c.off,
                r->fail_on == DS_SEV_NONE ? "the threshold (--fail-on none)"
                                          : ds_severity_name(r->fail_on));
}

void ds_scan_result_free(ds_scan_result *r)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        ds_file_result *f = &r->files[i];
        free(f->name);
        free(f->skip_reason);
        free(f->error);
        ds_agg_free(f->agg);
    }
    free(r->files);
    for (size_t i = 0; i < r->nerrors; i++) {
        free(r->errors[i].where);
        free(r->errors[i].msg);
    }
    free(r->errors);
    ds_checks_free(r->checks);
    memset(r, 0, sizeof *r);
}
