/* report: the Markdown report (`--format markdown`), for a dataset card or a
 * DPIA annex: GitHub-flavoured Markdown, the same content as the HTML report.
 *
 * Every name that comes from the data (file and field names, rule texts,
 * check evidence) is written through md_text(), which backslash-escapes the
 * Markdown punctuation (so a name cannot open a link, a table cell, an HTML
 * tag or an emphasis) and turns control characters into spaces. */
#include <stdio.h>
#include <string.h>

#include "report/human.h"
#include "report/writers.h"

#define MD_BAR_WIDTH 20
#define MD_MAX_FIELDS_CHART 20
#define MD_SAMPLE 20

static void md_text(FILE *out, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fputc(' ', out);
        else if (strchr("\\`*_[]<>#|~&$", *p))
            fprintf(out, "\\%c", *p);
        else
            fputc(*p, out);
    }
}

/* A code span holding s (a value): a fence longer than any backtick run in
 * s, '|' escaped for the table, control characters as spaces. */
static void md_code(FILE *out, const char *s)
{
    size_t run = 0, max = 0;
    for (const char *p = s ? s : ""; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > max)
            max = run;
    }
    for (size_t i = 0; i <= max; i++)
        fputc('`', out);
    if (max)
        fputc(' ', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fputc(' ', out);
        else if (*p == '|')
            fputs("\\|", out);
        else
            fputc(*p, out);
    }
    if (max)
        fputc(' ', out);
    for (size_t i = 0; i <= max; i++)
        fputc('`', out);
}

static void md_bar(FILE *out, uint64_t n, uint64_t max)
{
    int w = max ? (int)((n * MD_BAR_WIDTH + max - 1) / max) : 0;
    for (int i = 0; i < w; i++)
        fputs("\xe2\x96\x88", out); /* U+2588 FULL BLOCK */
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void md_findings_tables(FILE *out, const ds_summary *s)
{
    fputs("## Findings by type\n\n", out);
    if (!s->ntypes) {
        fputs("No personal data found.\n\n", out);
        return;
    }
    fputs("| type | category | severity | findings | records hit | |\n"
          "|---|---|---|---:|---:|---|\n",
          out);
    uint64_t max = s->types[0].findings;
    for (size_t i = 0; i < s->ntypes; i++) {
        const ds_sum_item *t = &s->types[i];
        fputs("| ", out);
        md_text(out, t->name);
        fputs(" | ", out);
        md_text(out, t->category);
        fprintf(out, " | %s | %llu | %llu | ", ds_severity_name(t->severity),
                (unsigned long long)t->findings, (unsigned long long)t->records);
        md_bar(out, t->findings, max);
        fputs(" |\n", out);
    }
    fputs("\n## Findings by field\n\n"
          "| field | highest severity | findings | |\n|---|---|---:|---|\n",
          out);
    max = s->fields[0].findings;
    uint64_t rest = 0;
    size_t nrest = 0;
    for (size_t i = 0; i < s->nfields; i++) {
        const ds_sum_item *f = &s->fields[i];
        if (i >= MD_MAX_FIELDS_CHART) {
            rest += f->findings;
            nrest++;
            continue;
        }
        fputs("| ", out);
        md_text(out, f->name);
        fprintf(out, " | %s | %llu | ", ds_severity_name(f->severity),
                (unsigned long long)f->findings);
        md_bar(out, f->findings, max);
        fputs(" |\n", out);
    }
    if (nrest)
        fprintf(out, "| (%zu more fields) | | %llu | |\n", nrest, (unsigned long long)rest);
    fputc('\n', out);
}

static void md_files(FILE *out, const ds_scan_result *r)
{
    fputs("## Files and fields\n\n", out);
    int clean_header = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED)
            continue;
        if (!ds_file_has_findings(f))
            continue;
        size_t nf = ds_agg_nfields(f->agg);
        char hb[32];
        ds_human_bytes(f->bytes, hb, sizeof hb);
        fputs("### ", out);
        md_text(out, f->name);
        fprintf(out, "\n\n%s, %llu records, %s%s\n\n", ds_format_name(f->format),
                (unsigned long long)f->records, hb,
                f->status == DS_FILE_INCOMPLETE ? ", **read in part**" : "");
        fputs("| field | type | severity | findings | records hit | of records | share |\n"
              "|---|---|---|---:|---:|---:|---:|\n",
              out);
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                fputs("| ", out);
                md_text(out, fa->name);
                fputs(" | ", out);
                md_text(out, ta->type);
                fprintf(out, " | %s | %llu | %llu | %llu | %.1f%% |\n",
                        ds_severity_name(ta->severity), (unsigned long long)ta->findings,
                        (unsigned long long)ta->records, (unsigned long long)fa->records,
                        share(ta->records, fa->records));
            }
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED)
            continue;
        if (ds_file_has_findings(f))
            continue;
        if (!clean_header) {
            fputs("Nothing found in:\n\n", out);
            clean_header = 1;
        }
        fputs("- ", out);
        md_text(out, f->name);
        fprintf(out, " (%s, %llu records)\n", ds_format_name(f->format),
                (unsigned long long)f->records);
    }
    if (clean_header)
        fputc('\n', out);
}

static void md_legal(FILE *out, const ds_summary *s)
{
    if (!s->ntypes)
        return;
    fputs("## What the law says and what to do\n\n", out);
    const char *const *cats = ds_categories;
    for (size_t c = 0; c < 3; c++) {
        int present = 0;
        for (size_t i = 0; i < s->ntypes; i++) {
            if (ds_category_canon(s->types[i].category) != cats[c])
                continue;
            if (!present) {
                fprintf(out, "- **%s** (", cats[c]);
                present = 1;
            } else {
                fputs(", ", out);
            }
            md_text(out, s->types[i].name);
        }
        if (present) {
            fputs("): ", out);
            md_text(out, ds_category_basis(cats[c]));
            fputs(". ", out);
            md_text(out, ds_category_remedy(cats[c]));
            fputc('\n', out);
        }
    }
    fputc('\n', out);
}

static void md_checks(FILE *out, const ds_checks *c)
{
    if (!c)
        return;
    fputs("## Compliance checks\n\n", out);
    if (c->metadata_path) {
        fputs("Metadata: ", out);
        md_text(out, c->metadata_path);
        if (c->metadata_format) {
            fputs(" (", out);
            md_text(out, c->metadata_format);
            fputc(')', out);
        }
        fputs("\n\n", out);
    } else {
        fputs("No dataset metadata was found.\n\n", out);
    }
    size_t nna = 0;
    for (size_t i = 0; i < c->n; i++)
        nna += c->v[i].status == DS_CHECK_NA;
    if (c->n > nna) {
        fputs("| check | status | severity | what | evidence | legal basis | what to do |\n"
              "|---|---|---|---|---|---|---|\n",
              out);
        for (size_t i = 0; i < c->n; i++) {
            const ds_check *k = &c->v[i];
            if (k->status == DS_CHECK_NA)
                continue;
            fputs("| ", out);
            md_text(out, k->id);
            fprintf(out, " | %s%s%s | %s | ", k->status == DS_CHECK_FAIL ? "**" : "",
                    ds_check_status_name(k->status), k->status == DS_CHECK_FAIL ? "**" : "",
                    ds_severity_name(k->severity));
            md_text(out, k->title);
            fputs(" | ", out);
            md_text(out, k->evidence);
            fputs(" | ", out);
            md_text(out, k->basis);
            fputs(" | ", out);
            md_text(out, k->remedy);
            fputs(" |\n", out);
        }
        fputc('\n', out);
    }
    if (nna) {
        fprintf(out, "Not applicable here (%zu): ", nna);
        for (size_t i = 0, k = 0; i < c->n; i++)
            if (c->v[i].status == DS_CHECK_NA) {
                fputs(k++ ? ", " : "", out);
                md_text(out, c->v[i].id);
            }
        fputs(".\n\n", out);
    }
    if (c->ndpia) {
        fprintf(out, "DPIA criteria met: %d of %zu; a DPIA is %s.\n\n", c->dpia_score, c->ndpia,
                c->dpia_required ? "**required**" : "not required by these criteria");
        fputs("| criterion | met | evidence |\n|---|---|---|\n", out);
        for (size_t i = 0; i < c->ndpia; i++) {
            const ds_dpia_criterion *d = &c->dpia[i];
            fputs("| ", out);
            md_text(out, d->id);
            fputs(" ", out);
            md_text(out, d->title);
            fprintf(out, " | %s | ", d->met == 1 ? "yes" : d->met == 0 ? "no" : "unknown");
            md_text(out, d->evidence);
            fputs(" |\n", out);
        }
        fputc('\n', out);
    }
}

static void md_coverage(FILE *out, const ds_scan_result *r, const ds_summary *s)
{
    char hb[32], hs[32];
    ds_human_bytes(s->bytes, hb, sizeof hb);
    ds_human_bytes(s->skipped_bytes, hs, sizeof hs);
    fprintf(out,
            "## Coverage\n\n| | files | bytes |\n|---|---:|---:|\n"
            "| scanned | %zu | %s (%llu) |\n| skipped | %zu | %s (%llu) |\n\n",
            s->nread, hb, (unsigned long long)s->bytes, s->nskipped, hs,
            (unsigned long long)s->skipped_bytes);
    if (s->nskipped) {
        fputs("| skipped file | reason | size |\n|---|---|---:|\n", out);
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            if (f->status != DS_FILE_SKIPPED)
                continue;
            ds_human_bytes(f->bytes, hs, sizeof hs);
            fputs("| ", out);
            md_text(out, f->name);
            fputs(" | ", out);
            md_text(out, f->skip_reason);
            fprintf(out, " | %s |\n", hs);
        }
        fputc('\n', out);
    }
    if (r->nerrors || r->limit_hits) {
        fputs("Read incompletely (the verdict cannot rely on these):\n\n"
              "| where | what went wrong |\n|---|---|\n",
              out);
        for (size_t i = 0; i < r->nerrors; i++) {
            fputs("| ", out);
            md_text(out, r->errors[i].where);
            fputs(" | ", out);
            md_text(out, r->errors[i].msg);
            fputs(" |\n", out);
        }
        if (r->limit_hits) {
            fputs("| rule ", out);
            md_text(out, r->limit_rule ? r->limit_rule : "?");
            fprintf(out, " | PCRE2 match limit reached on %llu values, not fully scanned |\n",
                    (unsigned long long)r->limit_hits);
        }
        fputc('\n', out);
    }
}

static void md_sample(FILE *out, const ds_scan_result *r, const ds_report_ctx *ctx)
{
    if (!ctx->findings || !r->findings)
        return;
    fprintf(out, "## First findings\n\nValues are %s.\n\n",
            ctx->show_values ? "shown in full (--show-values)" : "masked");
    fputs("| file | record | line | field | type | rule | confidence | value |\n"
          "|---|---:|---:|---|---|---|---:|---|\n",
          out);
    ds_findings_rewind(ctx->findings);
    ds_finding_view v;
    uint64_t n = 0;
    while (n < MD_SAMPLE && ds_findings_next(ctx->findings, &v)) {
        fputs("| ", out);
        md_text(out, v.file);
        fprintf(out, " | %llu | %llu | ", (unsigned long long)v.record,
                (unsigned long long)v.line);
        md_text(out, v.field);
        fputs(" | ", out);
        md_text(out, v.type);
        fputs(" | ", out);
        md_text(out, v.rule);
        fprintf(out, " | %.2f | ", v.confidence);
        md_code(out, v.value);
        fputs(" |\n", out);
        n++;
    }
    fprintf(out, "\n%llu of %llu findings shown; the JSON and SARIF reports list them.\n\n",
            (unsigned long long)n, (unsigned long long)r->findings);
}

int ds_report_markdown(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out)
{
    ds_summary s;
    ds_summary_build(r, &s);
    char hb[32];
    ds_human_bytes(s.bytes, hb, sizeof hb);
    ds_buf why = {0};
    ds_verdict_sentence(r, &why);
    fprintf(out, "# dsaudit report\n\n**Verdict: %s**: ", ds_verdict_word(s.status));
    md_text(out, why.data);
    ds_buf_free(&why);
    ds_buf cav = {0};
    if (ds_sample_caveat(r, &cav)) {
        fputs(".\n\n> **Sample.** ", out);
        md_text(out, cav.data);
        fputs("\n\nVerdict above is for the sample", out);
    }
    ds_buf_free(&cav);
    fprintf(out,
            ".\n\n| | |\n|---|---|\n| files read | %zu (%llu records, %s) |\n"
            "| files skipped | %zu |\n| files read in part | %zu |\n"
            "| findings | %llu |\n| at or above --fail-on (%s) | %llu |\n"
            "| highest severity | %s |\n",
            s.nread, (unsigned long long)s.records, hb, s.nskipped, s.nincomplete,
            (unsigned long long)r->findings, ds_severity_name(r->fail_on),
            (unsigned long long)r->failing, r->findings ? ds_severity_name(r->highest) : "none");
    if (r->checks)
        fprintf(out, "| checks failed / warned | %zu / %zu |\n", s.nchecks_failed,
                s.nchecks_warned);
    fprintf(out, "| tool | dsaudit %s |\n", ctx->tool_version ? ctx->tool_version : "");
    if (ctx->rules_digest)
        fprintf(out, "| rules digest | %.16s |\n", ctx->rules_digest);
    fputc('\n', out);
    md_findings_tables(out, &s);
    md_files(out, r);
    md_legal(out, &s);
    md_checks(out, r->checks);
    md_coverage(out, r, &s);
    md_sample(out, r, ctx);
    ds_summary_free(&s);
    return ferror(out) ? -1 : 0;
}
