/* report: the terminal summary (SPEC §6.3 `text`). */
#include <stdlib.h>
#include <string.h>

#include "report/human.h"
#include "report/report.h"

int ds_scan_exit_status(const ds_scan_result *r)
{
    if (r->incomplete || r->limit_hits)
        return 2;
    if (r->fail_on != DS_SEV_NONE && (r->failing > 0 || r->failing_checks > 0))
        return 1;
    return 0;
}

typedef struct colors {
    const char *bold, *red, *yellow, *green, *dim, *off;
} colors;

static const char *sev_color(const colors *c, ds_severity s)
{
    return s >= DS_SEV_HIGH ? c->red : s >= DS_SEV_MEDIUM ? c->yellow : c->dim;
}

/* Names come from the data: control characters (an escape sequence in a
 * file or column name would drive the terminal) are printed as \xHH. With
 * width > 0, at most width characters (UTF-8 aware), padded with spaces. */
static void put_name(FILE *out, const char *s, int width)
{
    int chars = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (; *p; p++) {
        if ((*p & 0xc0) != 0x80) {
            if (width > 0 && chars == width - 1 && p[1]) {
                /* one column left and more to come: an ellipsis */
                size_t rest = 0;
                for (const unsigned char *q = p; *q; q++)
                    rest += (*q & 0xc0) != 0x80;
                if (rest > 1) {
                    fputs("\xe2\x80\xa6", out);
                    chars++;
                    break;
                }
            }
            chars++;
        }
        if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    for (; width > 0 && chars < width; chars++)
        fputc(' ', out);
}

static int name_width(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80 ? (*p < 0x20 || *p == 0x7f ? 4 : 1) : 0;
    return n;
}

/* -q: one line per problem, nothing else (pre-commit and CI logs):
 *   FILE: FIELD: TYPE: N findings in R/T records (SEVERITY)
 *   FILE: incomplete: MESSAGE
 *   check ID: fail (SEVERITY): TITLE
 * A problem is a type at or above --fail-on, an input read in part, or a
 * failed check at or above --fail-on. */
static void report_quiet(const ds_scan_result *r, const colors *c, FILE *out)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                if (r->fail_on == DS_SEV_NONE || ta->severity < r->fail_on)
                    continue;
                put_name(out, f->name, 0);
                fputs(": ", out);
                put_name(out, fa->name, 0);
                fprintf(out, ": %s: %llu finding%s in %llu/%llu records (%s%s%s)\n", ta->type,
                        (unsigned long long)ta->findings, ta->findings == 1 ? "" : "s",
                        (unsigned long long)ta->records, (unsigned long long)fa->records,
                        sev_color(c, ta->severity), ds_severity_name(ta->severity), c->off);
            }
        }
    }
    for (size_t i = 0; i < r->nerrors; i++) {
        put_name(out, r->errors[i].where, 0);
        fprintf(out, ": %sincomplete%s: ", c->red, c->off);
        put_name(out, r->errors[i].msg, 0);
        fputc('\n', out);
    }
    if (r->limit_hits)
        fprintf(out, "rule %s: %sincomplete%s: PCRE2 match limit reached on %llu value%s\n",
                r->limit_rule ? r->limit_rule : "?", c->red, c->off,
                (unsigned long long)r->limit_hits, r->limit_hits == 1 ? "" : "s");
    if (r->checks && r->fail_on != DS_SEV_NONE)
        for (size_t i = 0; i < r->checks->n; i++) {
            const ds_check *k = &r->checks->v[i];
            if (k->status != DS_CHECK_FAIL || k->severity < r->fail_on)
                continue;
            fputs("check ", out);
            put_name(out, k->id, 0);
            fprintf(out, ": %sfail%s (%s): ", c->red, c->off, ds_severity_name(k->severity));
            put_name(out, k->title, 0);
            fputc('\n', out);
        }
}

void ds_report_text(const ds_scan_result *r, const ds_report_opts *o, FILE *out)
{
    colors c = {"", "", "", "", "", ""};
    if (o && o->color)
        c = (colors){"\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[2m", "\033[0m"};
    if (o && o->quiet) {
        report_quiet(r, &c, out);
        return;
    }
    ds_summary s;
    ds_summary_build(r, &s);
    char hb[32], hs[32];
    ds_human_bytes(s.bytes, hb, sizeof hb);
    ds_human_bytes(s.skipped_bytes, hs, sizeof hs);
    fprintf(out, "%sdsaudit%s: %zu file%s read, %llu records, %s", c.bold, c.off, s.nread,
            s.nread == 1 ? "" : "s", (unsigned long long)s.records, hb);
    if (s.nskipped)
        fprintf(out, "; %zu skipped (%s)", s.nskipped, hs);
    fputs("\n", out);
    ds_buf cav = {0};
    if (ds_sample_caveat(r, &cav))
        fprintf(out, "%s%s%s\n", c.yellow, cav.data, c.off);
    ds_buf_free(&cav);
    fputs("\n", out);

    /* column widths over all files, so the tables line up */
    int wf = 5, wt = 4;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            if (!fa->ntypes)
                continue;
            int l = name_width(fa->name);
            if (l > wf)
                wf = l > 32 ? 32 : l;
            for (size_t t = 0; t < fa->ntypes; t++) {
                l = name_width(fa->types[t].type);
                if (l > wt)
                    wt = l;
            }
        }
    }
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED)
            continue;
        fputs(c.bold, out);
        put_name(out, f->name, 0);
        fprintf(out, "%s (%s, %llu records)", c.off, ds_format_name(f->format),
                (unsigned long long)f->records);
        if (!ds_file_has_findings(f)) {
            fprintf(out, ": %snothing found%s\n", c.green, c.off);
            continue;
        }
        fputc('\n', out);
        size_t nf = ds_agg_nfields(f->agg);
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                double share = fa->records ? 100.0 * (double)ta->records / (double)fa->records : 0;
                fputs("  ", out);
                put_name(out, t == 0 ? fa->name : "", wf);
                fputs("  ", out);
                put_name(out, ta->type, wt);
                fprintf(out, " %6llu in %llu/%llu records (%.1f%%)  %s%s%s\n",
                        (unsigned long long)ta->findings, (unsigned long long)ta->records,
                        (unsigned long long)fa->records, share, sev_color(&c, ta->severity),
                        ds_severity_name(ta->severity), c.off);
            }
        }
    }
    if (s.nskipped) {
        fputc('\n', out);
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            if (f->status != DS_FILE_SKIPPED)
                continue;
            ds_human_bytes(f->bytes, hs, sizeof hs);
            fputs("skipped: ", out);
            put_name(out, f->name, 0);
            fputs(": ", out);
            put_name(out, f->skip_reason, 0);
            fprintf(out, " (%s)\n", hs);
        }
    }
    if (r->nerrors || r->limit_hits) {
        fputc('\n', out);
        for (size_t i = 0; i < r->nerrors; i++) {
            fprintf(out, "%sincomplete%s: ", c.red, c.off);
            put_name(out, r->errors[i].where, 0);
            fputs(": ", out);
            put_name(out, r->errors[i].msg, 0);
            fputc('\n', out);
        }
        if (r->limit_hits)
            fprintf(out,
                    "%sincomplete%s: rule %s: PCRE2 match limit reached on %llu value%s, not "
                    "fully scanned\n",
                    c.red, c.off, r->limit_rule ? r->limit_rule : "?",
                    (unsigned long long)r->limit_hits, r->limit_hits == 1 ? "" : "s");
    }
    if (r->checks && (s.nchecks_failed || s.nchecks_warned)) {
        fputc('\n', out);
        /* checks: which metadata, then each failed or warned check with its
         * evidence, legal basis and remedy (indented), then the DPIA score */
        fputs("checks: metadata ", out);
        put_name(out, r->checks->metadata_path ? r->checks->metadata_path : "(none found)", 0);
        if (r->checks->metadata_format)
            fprintf(out, " (%s)", r->checks->metadata_format);
        fputs(", scan date ", out);
        put_name(out, r->checks->scan_date ? r->checks->scan_date : "?", 0);
        fputc('\n', out);
        for (size_t i = 0; i < r->checks->n; i++) {
            const ds_check *k = &r->checks->v[i];
            if (k->status != DS_CHECK_FAIL && k->status != DS_CHECK_WARN)
                continue;
            fputs("check ", out);
            put_name(out, k->id, 0);
            fprintf(out, ": %s%s%s (%s%s): ", k->status == DS_CHECK_FAIL ? c.red : c.yellow,
                    ds_check_status_name(k->status), c.off, ds_severity_name(k->severity),
                    k->blocker ? ", blocker" : "");
            put_name(out, k->title, 0);
            fputc('\n', out);
            const char *lab[3] = {"why", "basis", "fix"};
            const char *val[3] = {k->evidence, k->basis, k->remedy};
            for (int j = 0; j < 3; j++) {
                if (!val[j])
                    continue;
                fprintf(out, "    %s: ", lab[j]);
                put_name(out, val[j], 0);
                fputc('\n', out);
            }
        }
        if (r->checks->ndpia) {
            fprintf(out, "dpia: %d of 9 WP248 criteria met", r->checks->dpia_score);
            int nmet = 0;
            for (size_t i = 0; i < r->checks->ndpia; i++)
                if (r->checks->dpia[i].met == 1)
                    fprintf(out, "%s%s", nmet++ ? ", " : " (", r->checks->dpia[i].id);
            if (nmet)
                fputc(')', out);
            fprintf(out, ": DPIA %s\n", r->checks->dpia_required ? "required" : "not indicated");
        }
    }
    if (s.ntypes) {
        fprintf(out, "\nfindings: %llu (", (unsigned long long)r->findings);
        for (size_t i = 0; i < s.ntypes; i++)
            fprintf(out, "%s%s %llu", i ? ", " : "", s.types[i].name,
                    (unsigned long long)s.types[i].findings);
        fputs(")\n", out);
    } else {
        fputs("\nfindings: 0\n", out);
    }
    if (r->has_baseline)
        fprintf(out, "baseline: %llu known finding%s not counted\n",
                (unsigned long long)r->baselined, r->baselined == 1 ? "" : "s");
    int st = s.status;
    ds_buf why = {0};
    ds_verdict_sentence(r, &why);
    fprintf(out, "verdict: %s%s%s: %s\n", st == 0 ? c.green : c.red, ds_verdict_word(st), c.off,
            why.data);
    ds_buf_free(&why);
    ds_summary_free(&s);
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
