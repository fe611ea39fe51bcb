/* report: the HTML report (`--format html`): one self-contained page, inline
 * CSS and inline SVG charts, no script and no external resource, readable on
 * screen and printed (@media print). Same content as the Markdown report.
 *
 * Everything that comes from the data or the rules goes through h_text(),
 * which escapes & < > " ' and turns control characters into U+FFFD, so a
 * file or field name cannot open a tag or an attribute. The page carries a
 * Content-Security-Policy that forbids scripts and every external load. */
#include <stdio.h>
#include <string.h>

#include "report/human.h"
#include "report/writers.h"

#define H_MAX_BARS 20
#define H_SAMPLE 20
#define H_LABEL_MAX 32 /* characters of a chart label before an ellipsis */

static void h_text(FILE *out, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fputs("\xef\xbf\xbd", out);
            else
                fputc(*p, out);
        }
    }
}

/* s cut to at most max characters (UTF-8 aware), with an ellipsis. */
static void h_text_cut(FILE *out, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max)
            break;
    if (!s[i]) {
        h_text(out, s);
        return;
    }
    char buf[256];
    size_t n = i < sizeof buf ? i : sizeof buf - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    memcpy(buf, s, n);
    buf[n] = 0;
    h_text(out, buf);
    fputs("\xe2\x80\xa6", out);
}

static const char *sev_class(ds_severity s)
{
    return s >= DS_SEV_HIGH ? "high" : s >= DS_SEV_MEDIUM ? "medium" : s >= DS_SEV_LOW ? "low"
                                                                                        : "info";
}

static const char css[] =
    ":root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--high:#b42318;"
    "--medium:#b54708;--low:#175cd3;--info:#667085;--pass:#067647}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);"
    "background:var(--bg);max-width:1100px;margin:0 auto;padding:24px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px "
    "solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px;"
    "word-break:break-all}\n"
    ".muted{color:var(--muted)}\n"
    ".verdict{border-radius:8px;padding:12px 16px;margin:16px 0;font-size:17px;border:2px solid}\n"
    ".verdict.PASS{border-color:var(--pass);color:var(--pass)}\n"
    ".verdict.FAIL{border-color:var(--high);color:var(--high)}\n"
    ".verdict.INCOMPLETE{border-color:var(--medium);color:var(--medium)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:150px}\n"
    ".card b{display:block;font-size:22px}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:14px}\n"
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;"
    "overflow-wrap:break-word}\n"
    "td.path{overflow-wrap:anywhere}table.law td:first-child{white-space:nowrap}\n"
    "th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".sev{font-weight:600}.sev.high{color:var(--high)}.sev.medium{color:var(--medium)}"
    ".sev.low{color:var(--low)}.sev.info{color:var(--info)}\n"
    ".fail{color:var(--high);font-weight:600}.warn{color:var(--medium);font-weight:600}"
    ".pass{color:var(--pass)}\n"
    "svg.chart{display:block;max-width:100%;height:auto;margin:8px 0 16px}\n"
    "svg.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}\n"
    "rect.bar.high{fill:var(--high)}rect.bar.medium{fill:var(--medium)}"
    "rect.bar.low{fill:var(--low)}rect.bar.info{fill:var(--info)}\n"
    ".charts{display:grid;grid-template-columns:1fr 1fr;gap:24px}\n"
    "@media (max-width:800px){.charts{grid-template-columns:1fr}}\n"
    "footer{margin-top:32px;font-size:13px}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    "h2{break-after:avoid}table,svg.chart,.card{break-inside:avoid}"
    "tr{break-inside:avoid}th{background:none}.charts{grid-template-columns:1fr 1fr}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* A horizontal bar chart of items (at most H_MAX_BARS; the rest summed). */
static void h_chart(FILE *out, const char *id, const char *title, const ds_sum_item *v, size_t n)
{
    size_t shown = n > H_MAX_BARS ? H_MAX_BARS : n;
    uint64_t rest = 0;
    for (size_t i = shown; i < n; i++)
        rest += v[i].findings;
    size_t rows = shown + (rest ? 1 : 0);
    const int row = 24, top = 28, label_w = 210, bar_w = 220, width = 500;
    int height = top + (int)rows * row + 8;
    uint64_t max = n ? v[0].findings : 0;
    fprintf(out,
            "<svg class=\"chart\" id=\"%s\" role=\"img\" aria-labelledby=\"%s-t\" "
            "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\">\n<title id=\"%s-t\">%s</title>\n"
            "<text x=\"0\" y=\"16\" style=\"font-weight:600;font-size:14px\">%s</text>\n",
            id, id, width, height, width, height, id, title, title);
    for (size_t i = 0; i < rows; i++) {
        int y = top + (int)i * row;
        uint64_t val = i < shown ? v[i].findings : rest;
        double w = max ? (double)bar_w * (double)val / (double)max : 0;
        if (w < 1 && val)
            w = 1;
        fputs("<g class=\"row\"><title>", out);
        if (i < shown)
            h_text(out, v[i].name);
        else
            fprintf(out, "%zu more", n - shown);
        fprintf(out, ": %llu</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                (unsigned long long)val, label_w - 8, y + 16);
        if (i < shown)
            h_text_cut(out, v[i].name, H_LABEL_MAX);
        else
            fprintf(out, "(%zu more)", n - shown);
        fprintf(out,
                "</text><rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                "rx=\"2\"/><text x=\"%.1f\" y=\"%d\">%llu</text></g>\n",
                i < shown ? sev_class(v[i].severity) : "info", label_w, y + 3, w, row - 6,
                label_w + w + 6, y + 16, (unsigned long long)val);
    }
    fputs("</svg>\n", out);
}

static void h_files(FILE *out, const ds_scan_result *r)
{
    fputs("<h2 id=\"files\">Files and fields</h2>\n", out);
    size_t nclean = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED)
            continue;
        if (!ds_file_has_findings(f)) {
            nclean++;
            continue;
        }
        char hb[32];
        ds_human_bytes(f->bytes, hb, sizeof hb);
        fputs("<h3>", out);
        h_text(out, f->name);
        fprintf(out, "</h3>\n<p class=\"muted\">%s, %llu records, %s%s</p>\n",
                ds_format_name(f->format), (unsigned long long)f->records, hb,
                f->status == DS_FILE_INCOMPLETE ? ", <span class=\"fail\">read in part</span>"
                                                : "");
        fputs("<table class=\"fields\"><thead><tr><th>field</th><th>type</th><th>severity</th>"
              "<th>findings</th><th>records hit</th><th>of records</th><th>share</th></tr>"
              "</thead><tbody>\n",
              out);
        size_t nf = ds_agg_nfields(f->agg);
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                fputs("<tr>", out);
                if (t == 0) {
                    fprintf(out, "<td rowspan=\"%zu\">", fa->ntypes);
                    h_text(out, fa->name);
                    fputs("</td>", out);
                }
                fputs("<td>", out);
                h_text(out, ta->type);
                fprintf(out,
                        "</td><td class=\"sev %s\">%s</td><td class=\"n\">%llu</td>"
                        "<td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                        "<td class=\"n\">%.1f%%</td></tr>\n",
                        sev_class(ta->severity), ds_severity_name(ta->severity),
                        (unsigned long long)ta->findings, (unsigned long long)ta->records,
                        (unsigned long long)fa->records,
                        fa->records ? 100.0 * (double)ta->records / (double)fa->records : 0.0);
            }
        }
        fputs("</tbody></table>\n", out);
    }
    if (nclean) {
        fputs("<p>Nothing found in:</p>\n<ul>\n", out);
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            if (f->status == DS_FILE_SKIPPED || ds_file_has_findings(f))
                continue;
            fputs("<li>", out);
            h_text(out, f->name);
            fprintf(out, " <span class=\"muted\">(%s, %llu records)</span></li>\n",
                    ds_format_name(f->format), (unsigned long long)f->records);
        }
        fputs("</ul>\n", out);
    }
}

static void h_legal(FILE *out, const ds_summary *s)
{
    if (!s->ntypes)
        return;
    fputs("<h2 id=\"law\">What the law says and what to do</h2>\n<table class=\"law\"><thead><tr>"
          "<th>category</th><th>types found</th><th>legal basis</th><th>what to do</th></tr>"
          "</thead><tbody>\n",
          out);
    const char *const *cats = ds_categories;
    for (size_t c = 0; c < 3; c++) {
        int present = 0;
        for (size_t i = 0; i < s->ntypes; i++) {
            if (ds_category_canon(s->types[i].category) != cats[c])
                continue;
            if (!present) {
                fprintf(out, "<tr><td>%s</td><td>", cats[c]);
                present = 1;
            } else {
                fputs(", ", out);
            }
            h_text(out, s->types[i].name);
        }
        if (present) {
            fputs("</td><td>", out);
            h_text(out, ds_category_basis(cats[c]));
            fputs("</td><td>", out);
            h_text(out, ds_category_remedy(cats[c]));
            fputs("</td></tr>\n", out);
        }
    }
    fputs("</tbody></table>\n", out);
}

static void h_checks(FILE *out, const ds_checks *c)
{
    if (!c)
        return;
    fputs("<h2 id=\"checks\">Compliance checks</h2>\n<p>", out);
    if (c->metadata_path) {
        fputs("Metadata: ", out);
        h_text(out, c->metadata_path);
        if (c->metadata_format) {
            fputs(" (", out);
            h_text(out, c->metadata_format);
            fputc(')', out);
        }
    } else {
        fputs("No dataset metadata was found.", out);
    }
    fputs("</p>\n", out);
    size_t nna = 0;
    for (size_t i = 0; i < c->n; i++)
        nna += c->v[i].status == DS_CHECK_NA;
    if (c->n > nna) {
        fputs("<table class=\"checks\"><thead><tr><th>check</th><th>status</th><th>severity</th>"
              "<th>what</th><th>evidence</th><th>legal basis</th><th>what to do</th></tr>"
              "</thead><tbody>\n",
              out);
        for (size_t i = 0; i < c->n; i++) {
            const ds_check *k = &c->v[i];
            if (k->status == DS_CHECK_NA)
                continue;
            const char *cls = k->status == DS_CHECK_FAIL   ? "fail"
                              : k->status == DS_CHECK_WARN ? "warn"
                              : k->status == DS_CHECK_PASS ? "pass"
                                                           : "muted";
            fputs("<tr><td>", out);
            h_text(out, k->id);
            fprintf(out, "</td><td class=\"%s\">%s</td><td class=\"sev %s\">%s</td><td>", cls,
                    ds_check_status_name(k->status), sev_class(k->severity),
                    ds_severity_name(k->severity));
            h_text(out, k->title);
            fputs("</td><td>", out);
            h_text(out, k->evidence);
            fputs("</td><td>", out);
            h_text(out, k->basis);
            fputs("</td><td>", out);
            h_text(out, k->remedy);
            fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    if (nna) {
        fprintf(out, "<p class=\"muted\">Not applicable here (%zu): ", nna);
        for (size_t i = 0, k = 0; i < c->n; i++)
            if (c->v[i].status == DS_CHECK_NA) {
                fputs(k++ ? ", " : "", out);
                h_text(out, c->v[i].id);
            }
        fputs(".</p>\n", out);
    }
    if (c->ndpia) {
        fprintf(out, "<p>DPIA criteria met: %d of %zu; a DPIA is <b>%s</b>.</p>\n",
                c->dpia_score, c->ndpia,
                c->dpia_required ? "required" : "not required by these criteria");
        fputs("<table class=\"dpia\"><thead><tr><th>criterion</th><th>met</th><th>evidence</th>"
              "</tr></thead><tbody>\n",
              out);
        for (size_t i = 0; i < c->ndpia; i++) {
            const ds_dpia_criterion *d = &c->dpia[i];
            fputs("<tr><td>", out);
            h_text(out, d->id);
            fputs(" ", out);
            h_text(out, d->title);
            fprintf(out, "</td><td>%s</td><td>",
                    d->met == 1 ? "yes" : d->met == 0 ? "no" : "unknown");
            h_text(out, d->evidence);
            fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
}

static void h_coverage(FILE *out, const ds_scan_result *r, const ds_summary *s)
{
    char hb[32], hs[32];
    ds_human_bytes(s->bytes, hb, sizeof hb);
    ds_human_bytes(s->skipped_bytes, hs, sizeof hs);
    fprintf(out,
            "<h2 id=\"coverage\">Coverage</h2>\n<table class=\"coverage\"><thead><tr><th></th>"
            "<th>files</th><th>bytes</th></tr></thead><tbody>\n"
            "<tr><td>scanned</td><td class=\"n\">%zu</td><td class=\"n\">%s (%llu)</td></tr>\n"
            "<tr><td>skipped</td><td class=\"n\">%zu</td><td class=\"n\">%s (%llu)</td></tr>\n"
            "</tbody></table>\n",
            s->nread, hb, (unsigned long long)s->bytes, s->nskipped, hs,
            (unsigned long long)s->skipped_bytes);
    if (s->nskipped) {
        fputs("<table class=\"skipped\"><thead><tr><th>skipped file</th><th>reason</th>"
              "<th>size</th></tr></thead><tbody>\n",
              out);
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            if (f->status != DS_FILE_SKIPPED)
                continue;
            ds_human_bytes(f->bytes, hs, sizeof hs);
            fputs("<tr><td class=\"path\">", out);
            h_text(out, f->name);
            fputs("</td><td>", out);
            h_text(out, f->skip_reason);
            fprintf(out, "</td><td class=\"n\">%s</td></tr>\n", hs);
        }
        fputs("</tbody></table>\n", out);
    }
    if (r->nerrors || r->limit_hits) {
        fputs("<p class=\"fail\">Read incompletely: the verdict cannot rely on these.</p>\n"
              "<table class=\"errors\"><thead><tr><th>where</th><th>what went wrong</th></tr>"
              "</thead><tbody>\n",
              out);
        for (size_t i = 0; i < r->nerrors; i++) {
            fputs("<tr><td class=\"path\">", out);
            h_text(out, r->errors[i].where);
            fputs("</td><td>", out);
            h_text(out, r->errors[i].msg);
            fputs("</td></tr>\n", out);
        }
        if (r->limit_hits) {
            fputs("<tr><td>rule ", out);
            h_text(out, r->limit_rule ? r->limit_rule : "?");
            fprintf(out,
                    "</td><td>PCRE2 match limit reached on %llu values, not fully scanned"
                    "</td></tr>\n",
                    (unsigned long long)r->limit_hits);
        }
        fputs("</tbody></table>\n", out);
    }
}

static void h_sample(FILE *out, const ds_scan_result *r, const ds_report_ctx *ctx)
{
    if (!ctx->findings || !r->findings)
        return;
    fprintf(out, "<h2 id=\"sample\">First findings</h2>\n<p>Values are %s.</p>\n",
            ctx->show_values ? "shown in full (--show-values)" : "masked");
    fputs("<table class=\"sample\"><thead><tr><th>file</th><th>record</th><th>line</th>"
          "<th>field</th><th>type</th><th>rule</th><th>confidence</th><th>value</th></tr>"
          "</thead><tbody>\n",
          out);
    ds_findings_rewind(ctx->findings);
    ds_finding_view v;
    uint64_t n = 0;
    while (n < H_SAMPLE && ds_findings_next(ctx->findings, &v)) {
        fputs("<tr><td class=\"path\">", out);
        h_text(out, v.file);
        fprintf(out, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td>",
                (unsigned long long)v.record, (unsigned long long)v.line);
        h_text(out, v.field);
        fputs("</td><td>", out);
        h_text(out, v.type);
        fputs("</td><td>", out);
        h_text(out, v.rule);
        fprintf(out, "</td><td class=\"n\">%.2f</td><td><code>", v.confidence);
        h_text(out, v.value);
        fputs("</code></td></tr>\n", out);
        n++;
    }
    fprintf(out,
            "</tbody></table>\n<p class=\"muted\">%llu of %llu findings shown; the JSON and "
            "SARIF reports list them.</p>\n",
            (unsigned long long)n, (unsigned long long)r->findings);
}

int ds_report_html(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out)
{
    ds_summary s;
    ds_summary_build(r, &s);
    char hb[32], hs[32];
    ds_human_bytes(s.bytes, hb, sizeof hb);
    ds_human_bytes(s.skipped_bytes, hs, sizeof hs);
    const char *word = ds_verdict_word(s.status);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>dsaudit report</title>\n<style>\n",
          out);
    fputs(css, out);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>dsaudit report</h1>\n", out);
    fprintf(out, "<p class=\"muted\">personal data audit of a training dataset, dsaudit %s",
            ctx->tool_version ? ctx->tool_version : "");
    if (ctx->rules_digest) {
        fputs(", rules ", out);
        h_text_cut(out, ctx->rules_digest, 16);
    }
    fputs("</p>\n</header>\n", out);
    ds_buf why = {0};
    ds_verdict_sentence(r, &why);
    fprintf(out, "<p class=\"verdict %s\" id=\"verdict\"><b>%s</b>: ", word, word);
    h_text(out, why.data);
    fputs("</p>\n", out);
    ds_buf_free(&why);
    ds_buf cav = {0};
    if (ds_sample_caveat(r, &cav)) {
        fputs("<p class=\"sample-caveat\" id=\"sample-caveat\"><b>Sample.</b> ", out);
        h_text(out, cav.data);
        fputs("</p>\n", out);
    }
    ds_buf_free(&cav);
    fprintf(out,
            "<section class=\"cards\" id=\"summary\">\n"
            "<div class=\"card\"><b>%llu</b>findings</div>\n"
            "<div class=\"card\"><b>%llu</b>at or above %s</div>\n"
            "<div class=\"card\"><b class=\"sev %s\">%s</b>highest severity</div>\n"
            "<div class=\"card\"><b>%zu</b>files read (%llu records, %s)</div>\n"
            "<div class=\"card\"><b>%zu</b>files skipped (%s)</div>\n",
            (unsigned long long)r->findings, (unsigned long long)r->failing,
            ds_severity_name(r->fail_on), r->findings ? sev_class(r->highest) : "info",
            r->findings ? ds_severity_name(r->highest) : "none", s.nread,
            (unsigned long long)s.records, hb, s.nskipped, hs);
    if (s.nincomplete || r->nerrors)
        fprintf(out, "<div class=\"card\"><b class=\"fail\">%zu</b>inputs read in part</div>\n",
                r->nerrors);
    if (r->checks)
        fprintf(out, "<div class=\"card\"><b>%zu / %zu</b>checks failed / warned</div>\n",
                s.nchecks_failed, s.nchecks_warned);
    fputs("</section>\n", out);

    fputs("<h2 id=\"charts\">Findings by type and by field</h2>\n", out);
    if (s.ntypes) {
        fputs("<div class=\"charts\">\n", out);
        h_chart(out, "chart-types", "Findings by type", s.types, s.ntypes);
        h_chart(out, "chart-fields", "Findings by field", s.fields, s.nfields);
        fputs("</div>\n<table class=\"types\"><thead><tr><th>type</th><th>category</th>"
              "<th>severity</th><th>findings</th><th>records hit</th></tr></thead><tbody>\n",
              out);
        for (size_t i = 0; i < s.ntypes; i++) {
            const ds_sum_item *t = &s.types[i];
            fputs("<tr><td>", out);
            h_text(out, t->name);
            fputs("</td><td>", out);
            h_text(out, t->category);
            fprintf(out,
                    "</td><td class=\"sev %s\">%s</td><td class=\"n\">%llu</td>"
                    "<td class=\"n\">%llu</td></tr>\n",
                    sev_class(t->severity), ds_severity_name(t->severity),
                    (unsigned long long)t->findings, (unsigned long long)t->records);
        }
        fputs("</tbody></table>\n", out);
    } else {
        fputs("<p class=\"pass\">No personal data found.</p>\n", out);
    }
    h_files(out, r);
    h_legal(out, &s);
    h_checks(out, r->checks);
    h_coverage(out, r, &s);
    h_sample(out, r, ctx);
    fputs("<footer class=\"muted\">Generated by dsaudit. Matched values never appear in this "
          "report unless --show-values was given. Keep it with the audit records of the "
          "dataset.</footer>\n</body>\n</html>\n",
          out);
    ds_summary_free(&s);
    return ferror(out) ? -1 : 0;
}
