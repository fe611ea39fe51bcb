/* checks: Frictionless Data Package v1 and v2 (datapackage.json; shared
 * CHECKS.md §1c). Personal-data, purpose, legal-basis and retention facts
 * have no native property: they come from an embedded "dsaudit" object. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/meta_model.h"
#include "checks/meta_text.h"
#include "common/mem.h"

static const char *s_of(const ds_mnode *n, const char *k) { return ds_mnode_str(ds_mnode_get(n, k)); }

static void sources(ds_meta *m, const ds_mnode *src)
{
    if (!src || src->kind != DS_MN_SEQ)
        return;
    for (size_t i = 0; i < src->n; i++) {
        const ds_mnode *s = src->v[i];
        const char *path = s_of(s, "path");
        if (!path)
            path = s_of(s, "url"); /* v1 */
        ds_meta_add_origin(m, s_of(s, "title"), path, NULL);
        ds_slist_add(&m->derived_from, path);
    }
}

static int has_role(const ds_mnode *c, const char *role)
{
    const ds_mnode *r = ds_mnode_get(c, "roles");
    if (r && r->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < r->n; i++) {
            const char *s = ds_mnode_str(r->v[i]);
            if (s && strcasecmp(s, role) == 0)
                return 1;
        }
    }
    const char *v1 = s_of(c, "role");
    return v1 && strcasecmp(v1, role) == 0;
}

static void add_list_or_str(ds_slist *l, const ds_mnode *n)
{
    if (!n)
        return;
    if (n->kind == DS_MN_SCALAR)
        ds_slist_add(l, n->s);
    else if (n->kind == DS_MN_SEQ)
        for (size_t i = 0; i < n->n; i++)
            ds_slist_add(l, ds_mnode_str(n->v[i]));
}

ds_status ds_meta_read_datapackage(const ds_mnode *r, ds_meta *m, ds_error *err)
{
    (void)err;
    ds_meta_set(&m->name, s_of(r, "title"));
    ds_meta_set(&m->name, s_of(r, "name"));
    ds_meta_set(&m->version, s_of(r, "version"));
    ds_meta_set(&m->description, s_of(r, "description"));
    ds_meta_set(&m->purpose, m->description); /* weak */
    ds_slist_add(&m->texts, m->description);
    ds_slist_add(&m->texts, s_of(r, "title"));
    ds_meta_set(&m->coll_start, s_of(r, "created")); /* weak */
    const ds_mnode *lic = ds_mnode_get(r, "licenses");
    if (lic && lic->kind == DS_MN_SEQ)
        for (size_t i = 0; i < lic->n; i++) {
            const char *l = s_of(lic->v[i], "name");
            if (!l)
                l = s_of(lic->v[i], "path");
            ds_slist_add(&m->licenses, l);
        }
    else if (ds_mnode_str(ds_mnode_get(r, "license"))) /* v1 single licence */
        ds_slist_add(&m->licenses, s_of(r, "license"));
    sources(m, ds_mnode_get(r, "sources"));
    const ds_mnode *con = ds_mnode_get(r, "contributors");
    for (size_t i = 0; con && con->kind == DS_MN_SEQ && i < con->n; i++) {
        const ds_mnode *c = con->v[i];
        if (!has_role(c, "contact") && !has_role(c, "rightsHolder") && !has_role(c, "publisher"))
            continue;
        const char *nm = s_of(c, "organization");
        if (!nm)
            nm = s_of(c, "title");
        if (!m->ctrl_name)
            ds_meta_set(&m->ctrl_name, nm);
        if (!m->ctrl_contact) {
            ds_meta_set(&m->ctrl_contact, s_of(c, "email"));
            if (!m->ctrl_contact)
                ds_meta_set(&m->ctrl_contact, s_of(c, "path"));
        }
    }
    const ds_mnode *res = ds_mnode_get(r, "resources");
    for (size_t i = 0; res && res->kind == DS_MN_SEQ && i < res->n; i++) {
        const ds_mnode *rs = res->v[i];
        add_list_or_str(&m->files, ds_mnode_get(rs, "path"));
        sources(m, ds_mnode_get(rs, "sources"));
        const ds_mnode *sch = ds_mnode_get(rs, "schema");
        const ds_mnode *f = ds_mnode_get(sch, "fields");
        for (size_t k = 0; f && f->kind == DS_MN_SEQ && k < f->n; k++)
            ds_meta_add_decl(m, s_of(f->v[k], "name"), s_of(f->v[k], "description"), 0);
        const ds_mnode *fk = ds_mnode_get(sch, "foreignKeys");
        for (size_t k = 0; fk && fk->kind == DS_MN_SEQ && k < fk->n; k++)
            add_list_or_str(&m->fk_fields, ds_mnode_get(fk->v[k], "fields"));
    }
    const ds_mnode *ds = ds_mnode_get(r, "dsaudit");
    if (ds && ds->kind == DS_MN_MAP)
        ds_meta_apply_embedded(m, ds, m->path);
    return DS_OK;
}
