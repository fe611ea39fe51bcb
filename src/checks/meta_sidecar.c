/* checks: the .dsaudit.yml sidecar (shared CHECKS.md §1d), also used for the
 * `dsaudit` block embedded in an HF card, a datapackage.json or (as
 * dsaudit:-prefixed properties) a Croissant file. */
#include "checks/meta_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"

typedef struct sctx {
    const char *path;
    ds_meta *m;
} sctx;

static void warn(sctx *c, const ds_mnode *n, const char *key, const char *want)
{
    char line[600];
    if (n && n->line)
        snprintf(line, sizeof line, "%s:%zu: %s should be %s", c->path, n->line, key, want);
    else
        snprintf(line, sizeof line, "%s: %s should be %s", c->path, key, want);
    ds_slist_add(&c->m->warnings, line);
}

static const ds_mnode *at(const ds_mnode *n, const char *a, const char *b)
{
    const ds_mnode *x = ds_mnode_get(n, a);
    return b ? ds_mnode_get(x, b) : x;
}

static void str(sctx *c, const ds_mnode *root, const char *a, const char *b, char **dst)
{
    const ds_mnode *n = at(root, a, b);
    if (!n || n->kind == DS_MN_NULL)
        return;
    if (n->kind != DS_MN_SCALAR) {
        char key[128];
        snprintf(key, sizeof key, "%s%s%s", a, b ? "." : "", b ? b : "");
        warn(c, n, key, "a single value");
        return;
    }
    ds_meta_set(dst, n->s);
}

static void list(sctx *c, const ds_mnode *root, const char *a, const char *b, ds_slist *dst)
{
    const ds_mnode *n = at(root, a, b);
    if (!n || n->kind == DS_MN_NULL)
        return;
    if (n->kind == DS_MN_SCALAR) {
        ds_slist_add(dst, n->s);
        return;
    }
    if (n->kind != DS_MN_SEQ) {
        char key[128];
        snprintf(key, sizeof key, "%s%s%s", a, b ? "." : "", b ? b : "");
        warn(c, n, key, "a list");
        return;
    }
    for (size_t i = 0; i < n->n; i++)
        if (ds_mnode_str(n->v[i]))
            ds_slist_add(dst, n->v[i]->s);
}

static void tri(sctx *c, const ds_mnode *root, const char *a, const char *b, int *dst)
{
    const ds_mnode *n = at(root, a, b);
    if (!n || n->kind == DS_MN_NULL)
        return;
    int v = ds_mnode_bool(n);
    if (v < 0) {
        char key[128];
        snprintf(key, sizeof key, "%s%s%s", a, b ? "." : "", b ? b : "");
        warn(c, n, key, "true or false");
        return;
    }
    *dst = v;
}

static void num(sctx *c, const ds_mnode *root, const char *a, const char *b, int64_t *dst)
{
    const char *s = ds_mnode_str(at(root, a, b));
    if (!s)
        return;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < 0) {
        char key[128];
        snprintf(key, sizeof key, "%s.%s", a, b);
        warn(c, at(root, a, b), key, "a non-negative integer");
        return;
    }
    *dst = v;
}

ds_status ds_meta_read_sidecar(const ds_mnode *r, const char *path, ds_meta *m)
{
    sctx c = {path, m};
    if (!r || r->kind != DS_MN_MAP)
        return DS_OK;
    str(&c, r, "dataset", "name", &m->name);
    str(&c, r, "dataset", "version", &m->version);
    const ds_mnode *src = ds_mnode_get(r, "source");
    const ds_mnode *orig = ds_mnode_get(src, "origin");
    if (orig && orig->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < orig->n; i++) {
            const ds_mnode *o = orig->v[i];
            if (o->kind == DS_MN_SCALAR) {
                ds_meta_add_origin(m, o->s, NULL, NULL);
                continue;
            }
            ds_meta_add_origin(m, ds_mnode_str(ds_mnode_get(o, "title")),
                               ds_mnode_str(ds_mnode_get(o, "url")),
                               ds_mnode_str(ds_mnode_get(o, "kind")));
        }
    } else if (orig && orig->kind != DS_MN_NULL) {
        warn(&c, orig, "source.origin", "a list");
    }
    list(&c, r, "source", "derived_from", &m->derived_from);
    list(&c, r, "license", NULL, &m->licenses);
    str(&c, r, "purpose", "statement", &m->purpose);
    list(&c, r, "purpose", "intended_uses", &m->intended_uses);
    list(&c, r, "purpose", "out_of_scope", &m->out_of_scope);
    tri(&c, r, "purpose", "requires_identity", &m->requires_identity);
    str(&c, r, "legal_basis", "art6", &m->art6);
    str(&c, r, "legal_basis", "assessment_ref", &m->assessment_ref);
    str(&c, r, "legal_basis", "compatibility_assessment", &m->compat_ref);
    str(&c, r, "legal_basis", "art9_condition", &m->art9);
    str(&c, r, "legal_basis", "art10_authority", &m->art10);
    const ds_mnode *pd = ds_mnode_get(r, "personal_data");
    const char *pres = ds_mnode_str(ds_mnode_get(pd, "present"));
    if (pres && strcmp(pres, "unknown") != 0)
        tri(&c, r, "personal_data", "present", &m->pd_present);
    list(&c, r, "personal_data", "categories", &m->categories);
    list(&c, r, "personal_data", "special_categories", &m->special);
    tri(&c, r, "personal_data", "criminal_offence_data", &m->criminal);
    list(&c, r, "personal_data", "data_subjects", &m->subjects);
    str(&c, r, "personal_data", "pseudonymisation", &m->pseudonymisation);
    const ds_mnode *pf = ds_mnode_get(pd, "fields");
    if (pf && pf->kind == DS_MN_SEQ) {
        m->pfields = ds_xcalloc(pf->n ? pf->n : 1, sizeof *m->pfields);
        for (size_t i = 0; i < pf->n; i++) {
            const ds_mnode *f = pf->v[i];
            const char *nm = f->kind == DS_MN_SCALAR ? f->s : ds_mnode_str(ds_mnode_get(f, "name"));
            if (!nm)
                continue;
            ds_meta_pfield *d = &m->pfields[m->npfields++];
            d->name = ds_xstrdup(nm);
            ds_meta_set(&d->category, ds_mnode_str(ds_mnode_get(f, "category")));
            ds_meta_set(&d->justification, ds_mnode_str(ds_mnode_get(f, "justification")));
            ds_meta_set(&d->treatment, ds_mnode_str(ds_mnode_get(f, "treatment")));
        }
    } else if (pf && pf->kind != DS_MN_NULL) {
        warn(&c, pf, "personal_data.fields", "a list");
    }
    list(&c, r, "collection", "method", &m->methods);
    str(&c, r, "collection", "start", &m->coll_start);
    str(&c, r, "collection", "end", &m->coll_end);
    const ds_mnode *scr = ds_mnode_get(ds_mnode_get(r, "collection"), "scraping");
    if (scr) {
        str(&c, scr, "criteria", NULL, &m->scr_criteria);
        list(&c, scr, "excluded_sources", NULL, &m->scr_excluded);
        tri(&c, scr, "respects_robots_txt", NULL, &m->scr_robots);
        str(&c, scr, "opt_out_mechanism", NULL, &m->scr_optout);
        tri(&c, scr, "irrelevant_data_deleted", NULL, &m->scr_deleted);
    }
    str(&c, r, "retention", "development", &m->ret_dev);
    str(&c, r, "retention", "maintenance", &m->ret_maint);
    str(&c, r, "retention", "end_date", &m->ret_end);
    str(&c, r, "retention", "deletion_method", &m->ret_deletion);
    str(&c, r, "controller", "name", &m->ctrl_name);
    str(&c, r, "controller", "contact", &m->ctrl_contact);
    str(&c, r, "controller", "dpo_contact", &m->ctrl_dpo);
    str(&c, r, "controller", "role", &m->ctrl_role);
    str(&c, r, "annotation", "protocol", &m->ann_protocol);
    str(&c, r, "annotation", "annotators", &m->ann_annotators);
    str(&c, r, "annotation", "platform", &m->ann_platform);
    tri(&c, r, "annotation", "sensitive_labels", &m->sensitive_labels);
    str(&c, r, "access", "restrictions", &m->access);
    str(&c, r, "dpia", "status", &m->dpia_status);
    str(&c, r, "dpia", "ref", &m->dpia_ref);
    str(&c, r, "dpia", "date", &m->dpia_date);
    tri(&c, r, "dpia", "innovative_use", &m->dpia_innovative);
    tri(&c, r, "dpia", "automated_decision", &m->dpia_automated);
    str(&c, r, "rights", "contact", &m->rights_contact);
    str(&c, r, "rights", "notice_url", &m->rights_notice);
    str(&c, r, "rights", "opt_out_url", &m->rights_optout);
    tri(&c, r, "reuse", "legality_checked", &m->legality_checked);
    str(&c, r, "reuse", "agreement", &m->agreement);
    num(&c, r, "scale", "records", &m->scale_records);
    num(&c, r, "scale", "subjects", &m->scale_subjects);
    return DS_OK;
}

void ds_meta_apply_embedded(ds_meta *host, const ds_mnode *block, const char *path)
{
    ds_meta e, out;
    ds_meta_init(&e);
    ds_meta_init(&out);
    ds_meta_read_sidecar(block, path, &e);
    ds_meta_merge(&out, &e);
    ds_meta_merge(&out, host);
    out.path = host->path;
    host->path = NULL;
    out.format = host->format;
    out.embedded = 1;
    for (size_t i = 0; i < host->warnings.n; i++)
        ds_slist_add(&out.warnings, host->warnings.v[i]);
    for (size_t i = 0; i < e.warnings.n; i++)
        ds_slist_add(&out.warnings, e.warnings.v[i]);
    ds_meta_clear(&e);
    ds_meta_clear(host);
    *host = out;
}
