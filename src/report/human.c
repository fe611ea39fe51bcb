/* report: the summary shared by the human-readable writers (see human.h). */
#include "report/human.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

void ds_human_bytes(uint64_t b, char *out, size_t cap)
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

static void add_item(ds_sum_item **v, size_t *n, size_t *cap, const char *name,
                     const char *category, ds_severity sev, uint64_t findings, uint64_t records)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0) {
            (*v)[i].findings += findings;
            (*v)[i].records += records;
            if (sev > (*v)[i].severity)
                (*v)[i].severity = sev;
            return;
        }
    *v = ds_xgrow(*v, cap, *n + 1, sizeof **v);
    (*v)[*n] = (ds_sum_item){name, category, sev, findings, records};
    (*n)++;
}

static int cmp_item(const void *a, const void *b)
{
    const ds_sum_item *x = a, *y = b;
    if (x->findings != y->findings)
        return x->findings > y->findings ? -1 : 1;
    return strcmp(x->name, y->name);
}

void ds_summary_build(const ds_scan_result *r, ds_summary *s)
{
    memset(s, 0, sizeof *s);
    size_t tcap = 0, fcap = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        if (f->status == DS_FILE_SKIPPED) {
            s->nskipped++;
            s->skipped_bytes += f->bytes;
            continue;
        }
        if (f->status == DS_FILE_INCOMPLETE)
            s->nincomplete++;
        s->nread++;
        s->records += f->records;
        s->bytes += f->bytes;
        size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
        for (size_t k = 0; k < nf; k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                add_item(&s->types, &s->ntypes, &tcap, ta->type, ta->category, ta->severity,
                         ta->findings, ta->records);
                add_item(&s->fields, &s->nfields, &fcap, fa->name, NULL, ta->severity,
                         ta->findings, 0);
            }
        }
    }
    if (s->ntypes)
        qsort(s->types, s->ntypes, sizeof *s->types, cmp_item);
    if (s->nfields)
        qsort(s->fields, s->nfields, sizeof *s->fields, cmp_item);
    if (r->checks)
        for (size_t i = 0; i < r->checks->n; i++) {
            if (r->checks->v[i].status == DS_CHECK_FAIL)
                s->nchecks_failed++;
            else if (r->checks->v[i].status == DS_CHECK_WARN)
                s->nchecks_warned++;
        }
    s->status = ds_scan_exit_status(r);
}

int ds_file_has_findings(const ds_file_result *f)
{
    size_t nf = f->agg ? ds_agg_nfields(f->agg) : 0;
    for (size_t k = 0; k < nf; k++)
        if (ds_agg_field(f->agg, k)->ntypes)
            return 1;
    return 0;
}

int ds_sample_caveat(const ds_scan_result *r, ds_buf *out)
{
    if (r->sample_rate >= 1.0 && r->max_records == 0)
        return 0;
    uint64_t read = 0, scanned = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        read += r->files[i].records;
        scanned += r->files[i].records_scanned;
    }
    ds_buf_printf(out, "This is a sample, not a full audit: %llu of %llu records read were "
                       "scanned (",
                  (unsigned long long)scanned, (unsigned long long)read);
    if (r->sample_rate < 1.0)
        ds_buf_printf(out, "--sample %g --seed %llu", r->sample_rate,
                      (unsigned long long)r->sample_seed);
    if (r->max_records)
        ds_buf_printf(out, "%s--max-records %llu", r->sample_rate < 1.0 ? ", " : "",
                      (unsigned long long)r->max_records);
    ds_buf_puts(out, "). Counts are those of the scanned records");
    if (scanned && read > scanned)
        ds_buf_printf(out, "; multiply by about %.2f for an estimate over the records read",
                      (double)read / (double)scanned);
    if (r->max_records)
        ds_buf_puts(out, "; records past --max-records were not read");
    ds_buf_puts(out, ". A finding type absent from a sample may still be in the data.");
    return 1;
}

void ds_summary_free(ds_summary *s)
{
    free(s->types);
    free(s->fields);
    memset(s, 0, sizeof *s);
}

const char *ds_verdict_word(int status)
{
    return status == 2 ? "INCOMPLETE" : status == 1 ? "FAIL" : "PASS";
}

void ds_verdict_sentence(const ds_scan_result *r, ds_buf *out)
{
    int st = ds_scan_exit_status(r);
    if (st == 2) {
        ds_buf_puts(out, "some input could not be read completely (exit 2)");
        return;
    }
    if (st == 1) {
        ds_buf_printf(out, "%llu finding%s", (unsigned long long)r->failing,
                      r->failing == 1 ? "" : "s");
        if (r->failing_checks)
            ds_buf_printf(out, " and %llu failed check%s", (unsigned long long)r->failing_checks,
                          r->failing_checks == 1 ? "" : "s");
        ds_buf_printf(out, " at or above %s (exit 1)", ds_severity_name(r->fail_on));
        return;
    }
    ds_buf_printf(out, "nothing at or above %s",
                  r->fail_on == DS_SEV_NONE ? "the threshold (--fail-on none)"
                                            : ds_severity_name(r->fail_on));
}

const char *const ds_categories[3] = {"personal", "sensitive", "criminal"};

const char *ds_category_canon(const char *category)
{
    if (category && strcmp(category, "sensitive") == 0)
        return ds_categories[1];
    if (category && strcmp(category, "criminal") == 0)
        return ds_categories[2];
    return ds_categories[0];
}

const char *ds_category_basis(const char *category)
{
    if (category && strcmp(category, "sensitive") == 0)
        return "GDPR Art. 9: special categories of personal data (health, religion, "
               "political opinions, sexual orientation, biometrics...)";
    if (category && strcmp(category, "criminal") == 0)
        return "GDPR Art. 10: personal data relating to criminal convictions and offences";
    return "GDPR Art. 4(1): personal data (information relating to an identifiable person)";
}

const char *ds_category_remedy(const char *category)
{
    if (category && strcmp(category, "sensitive") == 0)
        return "Processing is prohibited unless an Art. 9(2) exception applies: remove or "
               "redact these values before training, or document the exception and carry out a "
               "DPIA (Art. 35).";
    if (category && strcmp(category, "criminal") == 0)
        return "Only under official authority or a legal provision (Art. 10): remove these "
               "values before training unless such a basis is documented.";
    return "Keep only what the purpose needs (Art. 5(1)(c), CNIL 2024 recommendations on AI): "
           "drop or pseudonymise the field, or document the legal basis (Art. 6) and inform "
           "the people concerned (Art. 13/14).";
}
