/* report: SARIF 2.1.0 (`--format sarif`), for code-scanning upload.
 *
 * One run; tool.driver.rules holds one reportingDescriptor per rule id of
 * the ruleset (description, help with the legal basis and what to do,
 * default level from the severity); each listed finding is one result:
 *
 *   ruleId/ruleIndex, level (high: error, medium: warning, low/info: note),
 *   message naming the type, field and record, never the value;
 *   locations[0].physicalLocation: artifactLocation.uri is the file on disk,
 *     relative as given on the command line, percent-encoded (RFC 3986);
 *     region.startLine is the line where the record starts and startColumn
 *     is 1 (the record start: the byte span inside the decoded field value
 *     is in properties.start/end). The run states columnKind.
 *   Archive members: the uri is the OUTER archive (the file a code-scanning
 *     UI can link to); the member path ("dir/inner.zip!data.csv") is a
 *     logicalLocation, and there is no region, since member lines do not
 *     address the archive; properties.line keeps the line in the member.
 *     The outer file ends at the first '!' after an archive or compression
 *     suffix (member_sep). Standard input ("-") has only a logicalLocation.
 *   partialFingerprints["dsaudit/v1"]: 16 hex digits, ds_fingerprint() of
 *     rule, file, field and the value hash keyed with the baseline salt when
 *     the run has one (--baseline/--write-baseline: the same hex as the
 *     baseline entry); otherwise a hash of rule, file, field and the value as
 *     the report prints it (masked), which discloses nothing the report does
 *     not. Never the line, so fingerprints survive moved records.
 *   properties: file, record, line, field, type, category, confidence,
 *     start, end and value (masked unless --show-values).
 *
 * The findings listed are capped by --max-findings; run.properties says how
 * many there are and how many are listed. Inputs read in part and skipped
 * files are toolExecutionNotifications of the invocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/siphash.h"
#include "report/fingerprint.h"
#include "report/human.h"
#include "report/json_out.h"
#include "report/writers.h"

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *level_of(const char *sev)
{
    if (!sev)
        return "warning";
    if (strcmp(sev, "high") == 0)
        return "error";
    if (strcmp(sev, "medium") == 0)
        return "warning";
    return "note";
}

/* RFC 3986 percent-encoding of a path, keeping unreserved characters and
 * '/'. Absolute paths become file:// URIs. */
static void uri_path(ds_buf *b, const char *s, size_t n)
{
    static const char hx[] = "0123456789ABCDEF";
    if (n && s[0] == '/')
        ds_buf_puts(b, "file://");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            ds_buf_putc(b, (char)c);
        } else {
            ds_buf_putc(b, '%');
            ds_buf_putc(b, hx[c >> 4]);
            ds_buf_putc(b, hx[c & 15]);
        }
    }
}

typedef struct rule_ref {
    const char *id, *type, *category, *description;
    ds_severity severity;
} rule_ref;

typedef struct rule_tab {
    rule_ref *v;
    size_t n, cap;
} rule_tab;

static long rule_index(const rule_tab *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].id, id) == 0)
            return (long)i;
    return -1;
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const rule_ref *)a)->id, ((const rule_ref *)b)->id);
}

/* The rules: the ruleset's when known, else (merged reports) the rule ids of
 * the findings, whose strings then stay owned by `keep`. */
static void collect_rules(const ds_scan_result *r, const ds_report_ctx *ctx, rule_tab *t,
                          char ***keep, size_t *nkeep)
{
    if (r->rules) {
        size_t n = ds_ruleset_count(r->rules);
        t->v = calloc(n ? n : 1, sizeof *t->v);
        if (!t->v)
            abort();
        for (size_t i = 0; i < n; i++) {
            const ds_rule *ru = ds_ruleset_rule(r->rules, i);
            t->v[t->n++] = (rule_ref){ru->id, ru->type, ru->category, ru->description,
                                      ru->severity};
        }
    } else if (ctx->findings) {
        ds_findings_rewind(ctx->findings);
        ds_finding_view v;
        while (ds_findings_next(ctx->findings, &v)) {
            if (!v.rule || rule_index(t, v.rule) >= 0)
                continue;
            *keep = realloc(*keep, (*nkeep + 4) * sizeof **keep);
            t->v = realloc(t->v, (t->n + 1) * sizeof *t->v);
            if (!*keep || !t->v)
                abort();
            char *id = strdup(v.rule), *ty = strdup(v.type ? v.type : "");
            char *ca = strdup(v.category ? v.category : "personal");
            if (!id || !ty || !ca)
                abort();
            (*keep)[(*nkeep)++] = id;
            (*keep)[(*nkeep)++] = ty;
            (*keep)[(*nkeep)++] = ca;
            ds_severity sev = DS_SEV_MEDIUM;
            if (v.severity)
                ds_severity_parse(v.severity, &sev);
            t->v[t->n++] = (rule_ref){id, ty, ca, NULL, sev};
        }
    }
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, cmp_rule);
}

static void put_rule(ds_buf *b, const rule_ref *ru)
{
    ds_buf_puts(b, "{\"id\":");
    ds_json_cstr(b, ru->id);
    ds_buf_puts(b, ",\"name\":");
    ds_json_cstr(b, ru->type);
    ds_buf m = {0};
    ds_buf_printf(&m, "%s (%s data)", ru->type, ru->category);
    ds_buf_puts(b, ",\"shortDescription\":{\"text\":");
    ds_json_cstr(b, m.data);
    ds_buf_reset(&m);
    ds_buf_puts(b, "},\"fullDescription\":{\"text\":");
    if (ru->description && *ru->description)
        ds_buf_puts(&m, ru->description);
    else
        ds_buf_printf(&m, "Values of type %s found by rule %s.", ru->type, ru->id);
    ds_json_cstr(b, m.data);
    ds_buf_reset(&m);
    ds_buf_printf(&m, "%s. %s", ds_category_basis(ru->category), ds_category_remedy(ru->category));
    ds_buf_puts(b, "},\"help\":{\"text\":");
    ds_json_cstr(b, m.data);
    ds_buf_free(&m);
    ds_buf_printf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"}",
                  level_of(ds_severity_name(ru->severity)));
    ds_buf_puts(b, ",\"properties\":{\"type\":");
    ds_json_cstr(b, ru->type);
    ds_buf_puts(b, ",\"category\":");
    ds_json_cstr(b, ru->category);
    ds_buf_printf(b, ",\"severity\":\"%s\",\"tags\":[\"privacy\",", ds_severity_name(ru->severity));
    ds_json_cstr(b, ru->category);
    ds_buf_puts(b, "]}}");
}

static uint64_t result_fingerprint(const ds_report_ctx *ctx, const ds_finding_view *v)
{
    const char *field = v->field ? v->field : "";
    if (ctx->fingerprint_salt && v->has_hash)
        return ds_fingerprint(ctx->fingerprint_salt, v->rule, v->file, field, strlen(field),
                              v->value_hash);
    const char *shown = v->value ? v->value : "";
    return ds_fingerprint((const uint8_t *)DS_REPORT_KEY, v->rule, v->file, field, strlen(field),
                          ds_value_hash(shown, strlen(shown)));
}

/* The '!' that ends the outer file of an archive member name, or NULL: the
 * first one that follows an archive or compression suffix, so that a file
 * whose own name holds a '!' is not taken for a member. (An archive named
 * without such a suffix then gives a uri with %21, still a valid location.) */
static const char *member_sep(const char *file)
{
    static const char *ext[] = {".tar", ".tgz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2",
                                ".xz", ".zst", ".zstd", ".lz4", ".zip", ".jar", ".7z",
                                ".cpio", ".a", ".ar", ".deb", ".iso"};
    for (const char *p = strchr(file, '!'); p; p = strchr(p + 1, '!')) {
        size_t n = (size_t)(p - file);
        for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
            size_t k = strlen(ext[i]);
            if (n > k && strncasecmp(p - k, ext[i], k) == 0)
                return p;
        }
    }
    return NULL;
}

static void put_result(ds_buf *b, const ds_report_ctx *ctx, const ds_finding_view *v, long ri)
{
    const char *file = v->file ? v->file : "";
    int stdin_input = file[0] == '-' && (file[1] == 0 || file[1] == '!');
    const char *bang = stdin_input ? (file[1] ? file + 1 : NULL) : member_sep(file);
    size_t outer = bang ? (size_t)(bang - file) : strlen(file);
    ds_buf_puts(b, "{\"ruleId\":");
    ds_json_cstr(b, v->rule);
    if (ri >= 0)
        ds_buf_printf(b, ",\"ruleIndex\":%ld", ri);
    ds_buf_printf(b, ",\"level\":\"%s\",\"message\":{\"text\":", level_of(v->severity));
    ds_buf m = {0};
    ds_buf_printf(&m, "%s (%s data) in field \"%s\", record %llu", v->type ? v->type : "?",
                  v->category ? v->category : "personal", v->field ? v->field : "",
                  (unsigned long long)v->record);
    if (bang)
        ds_buf_printf(&m, " of archive member %s, line %llu", bang + 1,
                      (unsigned long long)v->line);
    ds_buf_printf(&m, " (rule %s, confidence %.2f)", v->rule, v->confidence);
    ds_json_cstr(b, m.data);
    ds_buf_free(&m);
    ds_buf_puts(b, "},\"locations\":[{");
    if (!stdin_input) {
        ds_buf_puts(b, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"");
        uri_path(b, file, outer);
        ds_buf_puts(b, "\"}");
        if (!bang && v->line)
            ds_buf_printf(b, ",\"region\":{\"startLine\":%llu,\"startColumn\":1}",
                          (unsigned long long)v->line);
        ds_buf_puts(b, "}");
    }
    if (bang || stdin_input) {
        ds_buf_printf(b, "%s\"logicalLocations\":[{\"name\":", stdin_input ? "" : ",");
        ds_json_cstr(b, bang ? bang + 1 : "standard input");
        ds_buf_puts(b, ",\"fullyQualifiedName\":");
        ds_json_cstr(b, file);
        ds_buf_puts(b, "}]");
    }
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)result_fingerprint(ctx, v));
    ds_buf_printf(b, "}],\"partialFingerprints\":{\"dsaudit/v1\":\"%s\"}", fp);
    ds_buf_puts(b, ",\"properties\":{\"file\":");
    ds_json_cstr(b, file);
    ds_buf_printf(b, ",\"record\":%llu,\"line\":%llu,\"field\":", (unsigned long long)v->record,
                  (unsigned long long)v->line);
    ds_json_cstr(b, v->field);
    ds_buf_puts(b, ",\"type\":");
    ds_json_cstr(b, v->type);
    ds_buf_puts(b, ",\"category\":");
    ds_json_cstr(b, v->category);
    ds_buf_printf(b, ",\"confidence\":%.2f,\"start\":%llu,\"end\":%llu,\"value\":", v->confidence,
                  (unsigned long long)v->start, (unsigned long long)v->end);
    ds_json_cstr(b, v->value);
    ds_buf_puts(b, "}}");
}

static void put_notification(ds_buf *b, int *first, const char *level, const char *where,
                             const char *msg)
{
    ds_buf_puts(b, *first ? "\n" : ",\n");
    *first = 0;
    ds_buf m = {0};
    ds_buf_printf(&m, "%s: %s", where ? where : "-", msg ? msg : "");
    ds_buf_printf(b, "{\"level\":\"%s\",\"message\":{\"text\":", level);
    ds_json_cstr(b, m.data);
    ds_buf_free(&m);
    ds_buf_puts(b, "}}");
}

static int flush(ds_buf *b, FILE *out)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return -1;
    ds_buf_reset(b);
    return 0;
}

int ds_report_sarif(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out)
{
    rule_tab rules = {0};
    char **keep = NULL;
    size_t nkeep = 0;
    collect_rules(r, ctx, &rules, &keep, &nkeep);
    ds_buf b = {0};
    ds_buf_puts(&b, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\n"
                    "\"tool\":{\"driver\":{\"name\":\"dsaudit\",\"version\":");
    ds_json_cstr(&b, ctx->tool_version ? ctx->tool_version : "0");
    ds_buf_puts(&b, ",\"rules\":[");
    for (size_t i = 0; i < rules.n; i++) {
        ds_buf_puts(&b, i ? ",\n" : "\n");
        put_rule(&b, &rules.v[i]);
    }
    ds_buf_puts(&b, "]}},\n\"columnKind\":\"unicodeCodePoints\",\n\"results\":[");
    int rc = 0;
    uint64_t listed = 0;
    if (ctx->findings) {
        ds_findings_rewind(ctx->findings);
        ds_finding_view v;
        while (ds_findings_next(ctx->findings, &v)) {
            ds_buf_puts(&b, listed ? ",\n" : "\n");
            put_result(&b, ctx, &v, rule_index(&rules, v.rule ? v.rule : ""));
            listed++;
            if (b.len >= (1u << 16) && flush(&b, out) != 0)
                rc = -1;
        }
    }
    int status = ds_scan_exit_status(r);
    ds_buf_printf(&b, "],\n\"invocations\":[{\"executionSuccessful\":%s,\"exitCode\":%d",
                  status == 2 ? "false" : "true", status);
    int first = 1;
    ds_buf_puts(&b, ",\"toolExecutionNotifications\":[");
    for (size_t i = 0; i < r->nerrors; i++)
        put_notification(&b, &first, "error", r->errors[i].where, r->errors[i].msg);
    if (r->limit_hits) {
        ds_buf m = {0};
        ds_buf_printf(&m, "PCRE2 match limit reached on %llu values, not fully scanned",
                      (unsigned long long)r->limit_hits);
        put_notification(&b, &first, "error", r->limit_rule ? r->limit_rule : "rules", m.data);
        ds_buf_free(&m);
    }
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].status == DS_FILE_SKIPPED) {
            ds_buf m = {0};
            ds_buf_printf(&m, "skipped: %s", r->files[i].skip_reason ? r->files[i].skip_reason
                                                                     : "");
            put_notification(&b, &first, "note", r->files[i].name, m.data);
            ds_buf_free(&m);
        }
    ds_buf_puts(&b, "]}],\n\"properties\":{");
    ds_buf_printf(&b,
                  "\"verdict\":\"%s\",\"failOn\":\"%s\",\"findings\":%llu,\"failing\":%llu,"
                  "\"findingsListed\":%llu,\"findingsTruncated\":%s,\"fingerprints\":\"%s\"",
                  ds_verdict_word(status), ds_severity_name(r->fail_on),
                  (unsigned long long)r->findings, (unsigned long long)r->failing,
                  (unsigned long long)listed, listed < r->findings ? "true" : "false",
                  ctx->fingerprint_salt ? "keyed with the baseline salt"
                                        : "from the value as printed (masked)");
    if (ctx->rules_digest) {
        ds_buf_puts(&b, ",\"rulesDigest\":");
        ds_json_cstr(&b, ctx->rules_digest);
    }
    ds_buf cav = {0};
    if (ds_sample_caveat(r, &cav)) {
        ds_buf_puts(&b, ",\"sample\":");
        ds_json_cstr(&b, cav.data);
    }
    ds_buf_free(&cav);
    ds_buf_puts(&b, "}}]}\n");
    if (flush(&b, out) != 0)
        rc = -1;
    ds_buf_free(&b);
    free(rules.v);
    for (size_t i = 0; i < nkeep; i++)
        free(keep[i]);
    free(keep);
    return rc || ferror(out) ? -1 : 0;
}
