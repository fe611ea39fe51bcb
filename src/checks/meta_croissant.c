/* checks: Croissant JSON-LD 1.0 / 1.1 with the Responsible-AI vocabulary
 * (shared CHECKS.md §1c). Property names are matched by IRI: prefixes and
 * terms are resolved from @context, full IRIs are accepted, and the RAI
 * spellings of the spec prose are accepted as aliases. RAI conformance is
 * never required. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/meta_model.h"
#include "checks/meta_text.h"
#include "common/buf.h"
#include "common/mem.h"

#define SC "https://schema.org/"
#define CR "http://mlcommons.org/croissant/"
#define RAI "http://mlcommons.org/croissant/RAI/"
#define PROV "http://www.w3.org/ns/prov#"
#define DPV "https://w3id.org/dpv#"
#define DSA "https://dsaudit.example/ns#"

typedef struct cctx {
    const ds_mnode *ctx; /* @context map, or NULL */
    const char *vocab;
} cctx;

static const char *ctx_value(const cctx *c, const char *term, size_t n)
{
    if (!c->ctx || c->ctx->kind != DS_MN_MAP)
        return NULL;
    for (size_t i = 0; i < c->ctx->n; i++) {
        if (strlen(c->ctx->keys[i]) != n || strncmp(c->ctx->keys[i], term, n) != 0)
            continue;
        const char *v = ds_mnode_str(c->ctx->v[i]);
        if (!v)
            v = ds_mnode_str(ds_mnode_get(c->ctx->v[i], "@id"));
        return v;
    }
    return NULL;
}

/* Expand a key or a compact IRI into buf. */
static void expand(const cctx *c, const char *key, char *buf, size_t cap, int depth)
{
    const char *colon = strchr(key, ':');
    if (strncmp(key, "http://", 7) == 0 || strncmp(key, "https://", 8) == 0) {
        snprintf(buf, cap, "%s", key);
    } else if (colon) {
        const char *pre = ctx_value(c, key, (size_t)(colon - key));
        if (pre && depth < 4) {
            char pb[512];
            expand(c, pre, pb, sizeof pb, depth + 1);
            snprintf(buf, cap, "%s%s", pb, colon + 1);
        } else {
            snprintf(buf, cap, "%s", key);
        }
    } else {
        const char *t = key[0] != '@' ? ctx_value(c, key, strlen(key)) : NULL;
        if (t && depth < 4 && strcmp(t, key) != 0)
            expand(c, t, buf, cap, depth + 1);
        else if (key[0] == '@')
            snprintf(buf, cap, "%s", key);
        else
            snprintf(buf, cap, "%s%s", c->vocab, key);
    }
    if (strncmp(buf, "http://schema.org/", 18) == 0) {
        char t[1024];
        snprintf(t, sizeof t, "https://schema.org/%s", buf + 18);
        snprintf(buf, cap, "%s", t);
    }
    if (strncmp(buf, "http://w3id.org/dpv#", 20) == 0 || strncmp(buf, "https://w3id.org/dpv/", 21) == 0) {
        char t[1024];
        snprintf(t, sizeof t, DPV "%s", buf + (buf[4] == ':' ? 20 : 21));
        snprintf(buf, cap, "%s", t);
    }
}

static const ds_mnode *get(const cctx *c, const ds_mnode *n, const char *iri)
{
    if (!n || n->kind != DS_MN_MAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        char buf[1024];
        expand(c, n->keys[i], buf, sizeof buf, 0);
        if (strcmp(buf, iri) == 0)
            return n->v[i];
    }
    return NULL;
}

static const ds_mnode *get_any(const cctx *c, const ds_mnode *n, const char *const *iris)
{
    for (; *iris; iris++) {
        const ds_mnode *v = get(c, n, *iris);
        if (v)
            return v;
    }
    return NULL;
}

/* Text of a value: strings, lists (joined), objects (@value, name, label). */
static void text_of(const cctx *c, const ds_mnode *n, ds_buf *b, int depth)
{
    if (!n || depth > 6)
        return;
    if (n->kind == DS_MN_SCALAR) {
        if (b->len)
            ds_buf_puts(b, "\n");
        ds_buf_puts(b, n->s);
    } else if (n->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            text_of(c, n->v[i], b, depth + 1);
    } else if (n->kind == DS_MN_MAP) {
        const ds_mnode *v = ds_mnode_get(n, "@value");
        if (!v)
            v = get(c, n, SC "name");
        if (!v)
            v = get(c, n, PROV "label");
        if (!v)
            v = get(c, n, SC "description");
        if (!v)
            v = ds_mnode_get(n, "@id");
        text_of(c, v, b, depth + 1);
    }
}

static char *text(const cctx *c, const ds_mnode *n)
{
    ds_buf b = {0};
    text_of(c, n, &b, 0);
    return b.data;
}

static void set_text(const cctx *c, const ds_mnode *n, char **dst)
{
    char *t = text(c, n);
    ds_meta_set(dst, t);
    free(t);
}

/* Each item of a value (a list or one value) as text, into a list. */
static void add_items(const cctx *c, const ds_mnode *n, ds_slist *l)
{
    if (!n)
        return;
    if (n->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            add_items(c, n->v[i], l);
        return;
    }
    char *t = text(c, n);
    ds_slist_add(l, t);
    free(t);
}

static void norm_method(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++)
        out[o++] = isspace((unsigned char)*s) ? '-' : (char)tolower((unsigned char)*s);
    out[o] = 0;
}

static void add_entity_origin(const cctx *c, ds_meta *m, const ds_mnode *e, int derived)
{
    if (!e)
        return;
    if (e->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < e->n; i++)
            add_entity_origin(c, m, e->v[i], derived);
        return;
    }
    char *title = NULL, *url = NULL;
    if (e->kind == DS_MN_SCALAR) {
        if (ds_text_is_identifier(e->s))
            url = ds_xstrdup(e->s);
        else
            title = ds_xstrdup(e->s);
    } else if (e->kind == DS_MN_MAP) {
        set_text(c, get(c, e, PROV "label"), &title);
        if (!title)
            set_text(c, get(c, e, SC "name"), &title);
        set_text(c, get(c, e, PROV "atLocation"), &url);
        if (!url)
            set_text(c, get(c, e, SC "url"), &url);
        if (!url) {
            const char *id = ds_mnode_str(ds_mnode_get(e, "@id"));
            if (id)
                url = ds_xstrdup(id);
        }
    }
    ds_meta_add_origin(m, title, url, NULL);
    if (derived)
        ds_slist_add(&m->derived_from, url ? url : title);
    free(title);
    free(url);
}

static void person(const cctx *c, const ds_mnode *p, char **name, char **email)
{
    if (!p)
        return;
    if (p->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < p->n; i++)
            person(c, p->v[i], name, email);
        return;
    }
    if (p->kind == DS_MN_SCALAR) {
        if (!*name)
            ds_meta_set(name, p->s);
        return;
    }
    if (!*name)
        set_text(c, get(c, p, SC "name"), name);
    if (!*email)
        set_text(c, get(c, p, SC "email"), email);
}

static int is_label_type(const cctx *c, const ds_mnode *t)
{
    if (!t)
        return 0;
    if (t->kind == DS_MN_SEQ) {
        for (size_t i = 0; i < t->n; i++)
            if (is_label_type(c, t->v[i]))
                return 1;
        return 0;
    }
    const char *s = ds_mnode_str(t);
    if (!s)
        s = ds_mnode_str(ds_mnode_get(t, "@id"));
    if (!s)
        return 0;
    char buf[1024];
    expand(c, s, buf, sizeof buf, 0);
    return strcmp(buf, CR "Label") == 0;
}

static void fields(const cctx *c, ds_meta *m, const ds_mnode *fl, int depth)
{
    if (!fl || depth > 4)
        return;
    if (fl->kind == DS_MN_MAP) {
        const char *nm = ds_mnode_str(get(c, fl, SC "name"));
        const char *id = ds_mnode_str(ds_mnode_get(fl, "@id"));
        if (!nm && id) {
            const char *sl = strrchr(id, '/');
            nm = sl ? sl + 1 : id;
        }
        char *desc = NULL;
        set_text(c, get(c, fl, SC "description"), &desc);
        int label = is_label_type(c, get(c, fl, CR "dataType"));
        if (label)
            m->labels = 1;
        ds_meta_add_decl(m, nm, desc, label);
        free(desc);
        fields(c, m, get(c, fl, CR "subField"), depth + 1);
        return;
    }
    if (fl->kind == DS_MN_SEQ)
        for (size_t i = 0; i < fl->n; i++)
            fields(c, m, fl->v[i], depth + 1);
}

static void legal_basis(const cctx *c, ds_meta *m, const ds_mnode *lb)
{
    const char *s = ds_mnode_str(lb);
    if (!s)
        s = ds_mnode_str(ds_mnode_get(lb, "@id"));
    if (!s && lb && lb->kind == DS_MN_SEQ && lb->n) {
        legal_basis(c, m, lb->v[0]);
        return;
    }
    if (!s)
        return;
    char buf[1024];
    expand(c, s, buf, sizeof buf, 0);
    const char *v = strncmp(buf, DPV, strlen(DPV)) == 0 ? buf + strlen(DPV) : s;
    static const char *const map[][2] = {
        {"Consent", "consent"},           {"Contract", "contract"},
        {"LegalObligation", "legal-obligation"}, {"VitalInterest", "vital-interests"},
        {"PublicTask", "public-task"},    {"OfficialAuthority", "public-task"},
        {"LegitimateInterest", "legitimate-interests"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncasecmp(v, map[i][0], strlen(map[i][0])) == 0) {
            ds_meta_set(&m->art6, map[i][1]);
            m->art6_native = 1;
            return;
        }
    ds_meta_set(&m->art6, v);
    m->art6_native = 1;
}

static void camel_to_snake(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 2 < cap; s++) {
        if (isupper((unsigned char)*s)) {
            if (o)
                out[o++] = '_';
            out[o++] = (char)tolower((unsigned char)*s);
        } else {
            out[o++] = *s;
        }
    }
    out[o] = 0;
}

ds_status ds_meta_read_croissant(const ds_mnode *r, ds_meta *m, ds_error *err)
{
    (void)err;
    cctx c = {ds_mnode_get(r, "@context"), SC};
    const char *vocab = ds_mnode_str(ds_mnode_get(c.ctx, "@vocab"));
    if (vocab)
        c.vocab = strncmp(vocab, "http://schema.org/", 18) == 0 ? SC : vocab;
    set_text(&c, get(&c, r, SC "name"), &m->name);
    set_text(&c, get(&c, r, SC "version"), &m->version);
    set_text(&c, get(&c, r, SC "dateModified"), &m->date_modified);
    set_text(&c, get(&c, r, SC "description"), &m->description);
    ds_slist_add(&m->texts, m->description);
    add_items(&c, get(&c, r, SC "license"), &m->licenses);
    /* sources */
    static const char *const raw[] = {RAI "dataCollectionRawData", RAI "dataCollectionRaw", NULL};
    const ds_mnode *rw = get_any(&c, r, raw);
    if (rw) {
        ds_slist items = {0};
        add_items(&c, rw, &items);
        for (size_t i = 0; i < items.n; i++)
            ds_meta_add_origin(m, items.v[i],
                               ds_text_is_identifier(items.v[i]) ? items.v[i] : NULL, NULL);
        ds_slist_free(&items);
    }
    add_entity_origin(&c, m, get(&c, r, PROV "wasDerivedFrom"), 1);
    add_entity_origin(&c, m, get(&c, r, SC "isBasedOn"), 1);
    /* purpose */
    static const char *const uses[] = {RAI "dataUseCases", RAI "useCases", NULL};
    set_text(&c, get_any(&c, r, uses), &m->purpose);
    if (!m->purpose)
        set_text(&c, get(&c, r, DPV "hasPurpose"), &m->purpose);
    add_items(&c, get(&c, r, RAI "dataLimitations"), &m->out_of_scope);
    /* personal data */
    set_text(&c, get(&c, r, RAI "personalSensitiveInformation"), &m->pd_text);
    if (get(&c, r, DPV "hasPersonalData") && m->pd_present < 0)
        m->pd_present = 1;
    static const char *const pre[] = {RAI "dataPreprocessingProtocol",
                                      RAI "dataManipulationProtocol", NULL};
    for (const char *const *p = pre; *p; p++) {
        char *t = text(&c, get(&c, r, *p));
        if (t && (ds_text_contains(t, "pseudonym") || ds_text_contains(t, "placeholder") ||
                  ds_text_contains(t, "hash") || ds_text_contains(t, "anonymi") ||
                  ds_text_contains(t, "mask") || ds_text_contains(t, "redact")))
            ds_meta_append(&m->pseudonymisation, t, " ");
        free(t);
    }
    /* collection */
    const ds_mnode *ct = get(&c, r, RAI "dataCollectionType");
    if (ct) {
        ds_slist items = {0};
        add_items(&c, ct, &items);
        for (size_t i = 0; i < items.n; i++) {
            char b[256];
            norm_method(items.v[i], b, sizeof b);
            ds_slist_add(&m->methods, b);
        }
        ds_slist_free(&items);
    }
    set_text(&c, get(&c, r, RAI "dataCollection"), &m->coll_text);
    ds_slist_add(&m->texts, m->coll_text);
    static const char *const tf[] = {RAI "dataCollectionTimeframe", RAI "dataCollectionTimeFrame",
                                     NULL};
    const ds_mnode *t = get_any(&c, r, tf);
    if (t) {
        ds_slist items = {0};
        add_items(&c, t, &items);
        if (items.n) {
            ds_meta_set(&m->coll_start, items.v[0]);
            ds_meta_set(&m->coll_end, items.v[items.n - 1]);
        }
        ds_slist_free(&items);
    }
    set_text(&c, get(&c, r, RAI "dataCollectionTimeFrameStart"), &m->coll_start);
    set_text(&c, get(&c, r, RAI "dataCollectionTimeFrameEnd"), &m->coll_end);
    const ds_mnode *gen = get(&c, r, PROV "wasGeneratedBy");
    for (size_t i = 0; gen && i < (gen->kind == DS_MN_SEQ ? gen->n : 1); i++) {
        const ds_mnode *a = gen->kind == DS_MN_SEQ ? gen->v[i] : gen;
        if (!m->coll_start)
            set_text(&c, get(&c, a, PROV "startedAtTime"), &m->coll_start);
        if (!m->coll_end)
            set_text(&c, get(&c, a, PROV "endedAtTime"), &m->coll_end);
    }
    /* controller */
    person(&c, get(&c, r, SC "publisher"), &m->ctrl_name, &m->ctrl_contact);
    person(&c, get(&c, r, SC "creator"), &m->ctrl_name, &m->ctrl_contact);
    person(&c, get(&c, r, SC "maintainer"), &m->ctrl_name, &m->ctrl_contact);
    if (m->ctrl_name && !m->ctrl_role) {
        if (ds_text_has_word(m->ctrl_name, "controller"))
            ds_meta_set(&m->ctrl_role, "controller");
        else if (ds_text_has_word(m->ctrl_name, "processor"))
            ds_meta_set(&m->ctrl_role, "processor");
    }
    /* annotation */
    static const char *const ap[] = {RAI "dataAnnotationProtocol", RAI "annotationProtocol", NULL};
    static const char *const apl[] = {RAI "dataAnnotationPlatform", RAI "annotationPlatform", NULL};
    set_text(&c, get_any(&c, r, ap), &m->ann_protocol);
    set_text(&c, get_any(&c, r, apl), &m->ann_platform);
    set_text(&c, get(&c, r, RAI "annotatorDemographics"), &m->ann_annotators);
    if (get(&c, r, SC "usageInfo"))
        ds_meta_set(&m->access, "restricted (usageInfo)");
    legal_basis(&c, m, get(&c, r, DPV "hasLegalBasis"));
    /* distribution and record sets */
    const ds_mnode *dist = get(&c, r, SC "distribution");
    for (size_t i = 0; dist && i < (dist->kind == DS_MN_SEQ ? dist->n : 1); i++) {
        const ds_mnode *d = dist->kind == DS_MN_SEQ ? dist->v[i] : dist;
        const char *u = ds_mnode_str(get(&c, d, SC "contentUrl"));
        if (!u)
            u = ds_mnode_str(get(&c, d, SC "name"));
        ds_slist_add(&m->files, u);
    }
    const ds_mnode *rs = get(&c, r, CR "recordSet");
    for (size_t i = 0; rs && i < (rs->kind == DS_MN_SEQ ? rs->n : 1); i++) {
        const ds_mnode *s = rs->kind == DS_MN_SEQ ? rs->v[i] : rs;
        fields(&c, m, get(&c, s, CR "field"), 0);
    }
    ds_meta_derive_from_text(m);
    /* dsaudit: extension properties */
    ds_mnode shell;
    memset(&shell, 0, sizeof shell);
    shell.kind = DS_MN_MAP;
    for (size_t i = 0; i < r->n; i++) {
        char buf[1024];
        expand(&c, r->keys[i], buf, sizeof buf, 0);
        if (strncmp(buf, DSA, strlen(DSA)) != 0)
            continue;
        char key[256];
        camel_to_snake(buf + strlen(DSA), key, sizeof key);
        shell.v = ds_xgrow(shell.v, &shell.cap, shell.n + 1, sizeof *shell.v);
        shell.keys = ds_xrealloc(shell.keys, shell.cap * sizeof *shell.keys);
        shell.keys[shell.n] = ds_xstrdup(key);
        shell.v[shell.n++] = r->v[i]; /* borrowed */
    }
    if (shell.n)
        ds_meta_apply_embedded(m, &shell, m->path);
    for (size_t i = 0; i < shell.n; i++)
        free(shell.keys[i]);
    free(shell.keys);
    free(shell.v);
    return DS_OK;
}
