/* detect: the rule example runner (see examples.h). */
#include "detect/examples.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "detect/detect.h"
#include "rules/rules_impl.h"

typedef struct hit_ctx {
    const ds_rule *want;
    int hit;
} hit_ctx;

static ds_status on_findings(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    (void)rec;
    hit_ctx *h = ctx;
    for (size_t i = 0; i < n; i++)
        if (f[i].rule == h->want && f[i].field == 0)
            h->hit = 1;
    return DS_OK;
}

/* Scan one example value as a one-field record (two fields for a column_pair
 * rule: the first pair column, value "1", is added); 1 if rule r fired on the
 * example field. */
static int example_fires(ds_detector *d, const ds_rule *r, const ds_rule_example *ex)
{
    const char *name = ex->field ? ex->field : "value";
    ds_field f[2] = {{name, strlen(name), ex->value, strlen(ex->value), 0, strlen(ex->value)}};
    ds_record rec = {1, 1, f, 1, 0};
    /* a column_pair rule's example record also holds the first pair column */
    const ds_strv *pair = &r->def->column_pair;
    if (pair->n) {
        f[1] = (ds_field){pair->v[0], strlen(pair->v[0]), "1", 1, 0, 1};
        rec.nfields = 2;
    }
    hit_ctx h = {r, 0};
    ds_sink sink = {&h, on_findings};
    ds_detector_scan(d, &rec, &sink, NULL);
    return h.hit;
}

/* Every match of rule i's regexes over example ex keeps the rule's anchor
 * (a promise the detector relies on: a match that breaks it is never
 * found); the first that does not is reported. 1 when all do. */
static int example_keeps_anchor(const ds_ruleset *rs, size_t i, const ds_rule_example *ex,
                                pcre2_match_data *md, FILE *report)
{
    const ds_crule *cr = &rs->rules[i];
    size_t len = strlen(ex->value);
    for (size_t p = 0; p < rs->npats; p++) {
        const ds_cpattern *pat = &rs->pats[p];
        if (pat->rule != i || pat->keyword)
            continue;
        size_t start = 0;
        while (start <= len && pcre2_match(pat->re, (PCRE2_SPTR)ex->value, len, start, 0, md,
                                           NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (!ds_anchor_holds(cr->def.anchor, ex->value, len, ov[0])) {
                if (report)
                    fprintf(report,
                            "FAIL %s:%u:%u: rule %s: the match at byte %zu breaks anchor "
                            "word-space-capital: %s\n",
                            cr->pub.file, ex->loc.line, ex->loc.col, cr->pub.id, (size_t)ov[0],
                            ex->value);
                return 0;
            }
            start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
            while (start < len && ((unsigned char)ex->value[start] & 0xC0) == 0x80)
                start++;
        }
    }
    return 1;
}

int ds_rules_run_examples(const ds_ruleset *rs, FILE *report, unsigned *passed, unsigned *failed)
{
    ds_detector *d = NULL;
    ds_detect_opts o = {DS_DEFAULT_MIN_CONFIDENCE};
    if (ds_detector_new(rs, &o, &d, NULL) != DS_OK)
        return -1;
    pcre2_match_data *md = pcre2_match_data_create(rs->max_groups + 1, NULL);
    if (!md) {
        ds_detector_free(d);
        return -1;
    }
    *passed = *failed = 0;
    for (size_t i = 0; i < ds_ruleset_count(rs); i++) {
        const ds_rule *r = ds_ruleset_rule(rs, i);
        const ds_rule_def *def = r->def;
        if (def->npositive == 0 || def->nnegative == 0) {
            (*failed)++;
            if (report)
                fprintf(report, "FAIL %s (%s:%u): needs at least one positive and one negative example\n",
                        r->id, r->file, r->line);
        }
        for (size_t k = 0; k < def->npositive; k++) {
            const ds_rule_example *ex = &def->positive[k];
            if (example_fires(d, r, ex)) {
                (*passed)++;
            } else {
                (*failed)++;
                if (report)
                    fprintf(report, "FAIL %s:%u:%u: rule %s: positive example not found: %s\n",
                            r->file, ex->loc.line, ex->loc.col, r->id, ex->value);
            }
        }
        for (size_t k = 0; k < def->nnegative; k++) {
            const ds_rule_example *ex = &def->negative[k];
            if (!example_fires(d, r, ex)) {
                (*passed)++;
            } else {
                (*failed)++;
                if (report)
                    fprintf(report, "FAIL %s:%u:%u: rule %s: negative example matched: %s\n",
                            r->file, ex->loc.line, ex->loc.col, r->id, ex->value);
            }
        }
        /* an anchor is a promise about every match: the examples, positive
         * and negative, are where a rule file can show it holds */
        if (def->anchor == DS_ANCHOR_NONE)
            continue;
        for (size_t k = 0; k < def->npositive + def->nnegative; k++) {
            const ds_rule_example *ex =
                k < def->npositive ? &def->positive[k] : &def->negative[k - def->npositive];
            if (example_keeps_anchor(rs, i, ex, md, report))
                (*passed)++;
            else
                (*failed)++;
        }
    }
    pcre2_match_data_free(md);
    ds_detector_free(d);
    return 0;
}

