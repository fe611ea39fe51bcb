/* detect: the rule example runner (see examples.h). */
#include "detect/examples.h"

#include <string.h>

#include "detect/detect.h"

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

int ds_rules_run_examples(const ds_ruleset *rs, FILE *report, unsigned *passed, unsigned *failed)
{
    ds_detector *d = NULL;
    ds_detect_opts o = {DS_DEFAULT_MIN_CONFIDENCE};
    if (ds_detector_new(rs, &o, &d, NULL) != DS_OK)
        return -1;
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
    }
    ds_detector_free(d);
    return 0;
}

