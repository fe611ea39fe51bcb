/* checks: the canonical metadata model: lists, merging, text cues, and
 * dispatch of a metadata file to its reader. */
#include "checks/meta_model.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/meta_text.h"
#include "common/buf.h"
#include "common/mem.h"

/* A value still holding a `dsaudit init` placeholder counts as not stated. */
static int placeholder(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return strncmp(s, "TODO", 4) == 0;
}

void ds_slist_add(ds_slist *l, const char *s)
{
    if (!s || !*s || placeholder(s))
        return;
    l->v = ds_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = ds_xstrdup(s);
}

int ds_slist_has(const ds_slist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

void ds_slist_free(ds_slist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void ds_meta_init(ds_meta *m)
{
    memset(m, 0, sizeof *m);
#define DS_X(f, p) m->f = -1;
    DS_META_INTS(DS_X)
#undef DS_X
    m->scale_records = m->scale_subjects = -1;
}

void ds_meta_clear(ds_meta *m)
{
    free(m->path);
#define DS_X(f, p) free(m->f);
    DS_META_STRS(DS_X)
#undef DS_X
#define DS_X(f, p) ds_slist_free(&m->f);
    DS_META_LISTS(DS_X)
#undef DS_X
    for (size_t i = 0; i < m->norigins; i++) {
        free(m->origins[i].title);
        free(m->origins[i].url);
        free(m->origins[i].kind);
    }
    free(m->origins);
    for (size_t i = 0; i < m->npfields; i++) {
        free(m->pfields[i].name);
        free(m->pfields[i].category);
        free(m->pfields[i].justification);
        free(m->pfields[i].treatment);
    }
    free(m->pfields);
    for (size_t i = 0; i < m->ndecls; i++) {
        free(m->decls[i].name);
        free(m->decls[i].description);
    }
    free(m->decls);
    ds_slist_free(&m->warnings);
    ds_meta_init(m);
}

static char *dup0(const char *s) { return s ? ds_xstrdup(s) : NULL; }

void ds_meta_merge(ds_meta *d, const ds_meta *s)
{
#define DS_X(f, p)                                                                             \
    if (!d->f && s->f)                                                                         \
        d->f = ds_xstrdup(s->f);
    DS_META_STRS(DS_X)
#undef DS_X
#define DS_X(f, p)                                                                             \
    if (!d->f.n)                                                                               \
        for (size_t i = 0; i < s->f.n; i++)                                                    \
            ds_slist_add(&d->f, s->f.v[i]);
    DS_META_LISTS(DS_X)
#undef DS_X
#define DS_X(f, p)                                                                             \
    if (d->f < 0)                                                                              \
        d->f = s->f;
    DS_META_INTS(DS_X)
#undef DS_X
    if (d->scale_records < 0)
        d->scale_records = s->scale_records;
    if (d->scale_subjects < 0)
        d->scale_subjects = s->scale_subjects;
    if (!d->norigins)
        for (size_t i = 0; i < s->norigins; i++)
            ds_meta_add_origin(d, s->origins[i].title, s->origins[i].url, s->origins[i].kind);
    if (!d->npfields && s->npfields) {
        d->pfields = ds_xcalloc(s->npfields, sizeof *d->pfields);
        for (size_t i = 0; i < s->npfields; i++) {
            d->pfields[i].name = dup0(s->pfields[i].name);
            d->pfields[i].category = dup0(s->pfields[i].category);
            d->pfields[i].justification = dup0(s->pfields[i].justification);
            d->pfields[i].treatment = dup0(s->pfields[i].treatment);
        }
        d->npfields = s->npfields;
    }
    /* declared fields: the union (by name) */
    for (size_t i = 0; i < s->ndecls; i++) {
        int have = 0;
        for (size_t k = 0; k < d->ndecls && !have; k++)
            have = strcmp(d->decls[k].name, s->decls[i].name) == 0;
        if (!have)
            ds_meta_add_decl(d, s->decls[i].name, s->decls[i].description, s->decls[i].label);
    }
}

void ds_meta_add_origin(ds_meta *m, const char *title, const char *url, const char *kind)
{
    if (title && placeholder(title))
        title = NULL;
    if (url && placeholder(url))
        url = NULL;
    if (kind && placeholder(kind))
        kind = NULL;
    if ((!title || !*title) && (!url || !*url))
        return;
    m->origins = ds_xrealloc(m->origins, (m->norigins + 1) * sizeof *m->origins);
    ds_meta_origin *o = &m->origins[m->norigins++];
    o->title = title && *title ? ds_xstrdup(title) : NULL;
    o->url = url && *url ? ds_xstrdup(url) : NULL;
    o->kind = kind && *kind ? ds_xstrdup(kind) : NULL;
}

void ds_meta_add_decl(ds_meta *m, const char *name, const char *description, int label)
{
    if (!name || !*name)
        return;
    m->decls = ds_xrealloc(m->decls, (m->ndecls + 1) * sizeof *m->decls);
    ds_meta_decl *d = &m->decls[m->ndecls++];
    d->name = ds_xstrdup(name);
    d->description = description && *description ? ds_xstrdup(description) : NULL;
    d->label = label;
}

#define PLACEHOLDER "[More Information Needed]"

void ds_meta_set(char **dst, const char *s)
{
    if (!s)
        return;
    /* drop the HF template placeholder and surrounding blanks */
    ds_buf b = {0};
    const char *p = s;
    for (;;) {
        const char *q = strstr(p, PLACEHOLDER);
        if (!q) {
            ds_buf_puts(&b, p);
            break;
        }
        ds_buf_append(&b, p, (size_t)(q - p));
        p = q + strlen(PLACEHOLDER);
    }
    char *t = b.data ? b.data : NULL;
    if (!t)
        return;
    char *a = t;
    while (*a && isspace((unsigned char)*a))
        a++;
    size_t n = strlen(a);
    while (n && isspace((unsigned char)a[n - 1]))
        n--;
    if (n && !placeholder(a)) {
        free(*dst);
        *dst = ds_xstrndup(a, n);
    }
    free(t);
}

void ds_meta_append(char **dst, const char *s, const char *sep)
{
    char *t = NULL;
    ds_meta_set(&t, s);
    if (!t)
        return;
    if (!*dst) {
        *dst = t;
        return;
    }
    ds_buf b = {0};
    ds_buf_printf(&b, "%s%s%s", *dst, sep, t);
    free(*dst);
    free(t);
    *dst = b.data;
}

/* ---- cues from the "personal and sensitive information" text --------------------- */

static const char *const NEGATIONS[] = {"no",      "not",      "none",     "never",   "without",
                                        "removed", "dropped",  "excluded", "deleted", "nor",
                                        "free",    "filtered", NULL};
static const char *const PERSONAL_CUES[] = {
    "personal",  "identifier", "identifiers", "name",    "names",   "username", "usernames",
    "e-mail",    "email",      "emails",      "address", "phone",   "pseudonym", "pseudonymous",
    "pseudonymised", "pseudonymized", "age", "birth", "location", "ip", "handle", "handles",
    "pii",       "users'",      NULL};

typedef struct special_cue {
    const char *word;
    const char *cat;
} special_cue;

static const special_cue SPECIAL_CUES[] = {
    {"health", "health"},        {"medical", "health"},       {"medication", "health"},
    {"diagnosis", "health"},     {"illness", "health"},       {"disease", "health"},
    {"hiv", "health"},           {"mental", "health"},        {"clinical", "health"},
    {"orientation", "sex-life-orientation"}, {"sexual", "sex-life-orientation"},
    {"religion", "religion"},    {"religious", "religion"},   {"ethnic", "ethnic-origin"},
    {"ethnicity", "ethnic-origin"}, {"racial", "ethnic-origin"}, {"race", "ethnic-origin"},
    {"political", "political"},  {"union", "union"},          {"genetic", "genetic"},
    {"biometric", "biometric"},  {"fingerprint", "biometric"}, {NULL, NULL}};

static const char *const CRIMINAL_CUES[] = {"criminal", "offence", "offences", "offense",
                                            "conviction", "convictions", "crime", NULL};

void ds_meta_derive_from_text(ds_meta *m)
{
    if (!m->pd_text)
        return;
    int pos = 0, neg = 0, children = 0;
    ds_slist spec = {0};
    int crim = 0;
    const char *p = m->pd_text;
    while (*p) {
        /* one sentence: up to ".", "!", "?" or a newline before a blank (or the end) */
        const char *e = p;
        while (*e && !((*e == '.' || *e == '!' || *e == '?' || *e == '\n') &&
                       (e[1] == 0 || isspace((unsigned char)e[1]) || strchr("*\"')_", e[1]))))
            e++;
        size_t n = (size_t)(e - p);
        char *sent = ds_xstrndup(p, n);
        if (*e == '?') { /* a question (datasheet Q&A): not a statement */
            free(sent);
            p = e + 1;
            continue;
        }
        int is_neg = ds_text_has_any_word(sent, NEGATIONS);
        if (is_neg) {
            if (ds_text_has_any_word(sent, PERSONAL_CUES) || ds_text_has_word(sent, "none"))
                neg = 1;
        } else {
            if (ds_text_has_any_word(sent, PERSONAL_CUES))
                pos = 1;
            for (const special_cue *c = SPECIAL_CUES; c->word; c++)
                if (ds_text_has_word(sent, c->word) && !ds_slist_has(&spec, c->cat))
                    ds_slist_add(&spec, c->cat);
            if (ds_text_has_any_word(sent, CRIMINAL_CUES))
                crim = 1;
            if (ds_text_has_phrase(sent, "under 18") || ds_text_has_word(sent, "minors") ||
                ds_text_has_word(sent, "children") || ds_text_has_word(sent, "child") ||
                ds_text_has_word(sent, "pupils"))
                children = 1;
        }
        free(sent);
        p = *e ? e + 1 : e;
    }
    if (spec.n || crim)
        pos = 1;
    if (m->pd_present < 0)
        m->pd_present = pos ? 1 : neg ? 0 : -1;
    if (!m->special.n)
        for (size_t i = 0; i < spec.n; i++)
            ds_slist_add(&m->special, spec.v[i]);
    if (m->criminal < 0 && crim)
        m->criminal = 1;
    if (children && !ds_slist_has(&m->subjects, "children"))
        ds_slist_add(&m->subjects, "children");
    ds_slist_free(&spec);
}

/* ---- files ------------------------------------------------------------------------ */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

int ds_meta_is_croissant(const ds_mnode *root)
{
    const ds_mnode *ctx = ds_mnode_get(root, "@context");
    if (ctx && ctx->kind == DS_MN_MAP)
        for (size_t i = 0; i < ctx->n; i++) {
            const char *v = ds_mnode_str(ctx->v[i]);
            if (!v)
                v = ds_mnode_str(ds_mnode_get(ctx->v[i], "@id"));
            if (v && strncmp(v, "http://mlcommons.org/croissant/", 31) == 0)
                return 1;
        }
    const char *keys[] = {"conformsTo", "dct:conformsTo", "http://purl.org/dc/terms/conformsTo"};
    for (size_t k = 0; k < 3; k++) {
        const ds_mnode *c = ds_mnode_get(root, keys[k]);
        if (!c)
            continue;
        if (c->kind == DS_MN_SEQ) {
            for (size_t i = 0; i < c->n; i++) {
                const char *v = ds_mnode_str(c->v[i]);
                if (v && strncmp(v, "http://mlcommons.org/croissant/", 31) == 0)
                    return 1;
            }
        } else {
            const char *v = ds_mnode_str(c);
            if (v && strncmp(v, "http://mlcommons.org/croissant/", 31) == 0)
                return 1;
        }
    }
    return 0;
}

ds_status ds_meta_read_buffer(const char *data, size_t len, const char *path, ds_meta *m,
                              ds_error *err)
{
    const char *bn = base_name(path);
    free(m->path);
    m->path = ds_xstrdup(path);
    if (memchr(data, 0, len))
        return ds_error_set(err, DS_EFORMAT, path, "binary data (NUL byte) in a metadata file");
    if (ends_with(bn, ".md")) {
        m->format = "hf-card";
        return ds_meta_read_hfcard(data, len, path, m, err);
    }
    ds_mnode *root = NULL;
    ds_status rc;
    int yaml = ends_with(bn, ".yml") || ends_with(bn, ".yaml");
    if (yaml)
        rc = ds_mtree_yaml(data, len, path, 1, &root, err);
    else
        rc = ds_mtree_json(data, len, path, &root, err);
    if (rc != DS_OK)
        return rc;
    if (root->kind != DS_MN_MAP) {
        ds_mnode_free(root);
        return ds_error_set(err, DS_EFORMAT, path, "the top level is not a %s",
                            yaml ? "mapping" : "JSON object");
    }
    if (strncasecmp(bn, "datapackage.", 12) == 0 || (!yaml && ds_mnode_get(root, "resources") &&
                                                     !ds_meta_is_croissant(root))) {
        m->format = "datapackage";
        rc = ds_meta_read_datapackage(root, m, err);
    } else if (yaml || ds_mnode_get(root, "dsaudit_version")) {
        m->format = "sidecar";
        rc = ds_meta_read_sidecar(root, path, m);
    } else if (ds_meta_is_croissant(root)) {
        m->format = "croissant";
        rc = ds_meta_read_croissant(root, m, err);
    } else {
        rc = ds_error_set(err, DS_EFORMAT, path,
                          "not a recognised metadata format (Croissant JSON-LD, "
                          "datapackage.json, dataset card, .dsaudit.yml)");
    }
    ds_mnode_free(root);
    return rc;
}

ds_status ds_meta_read_file(const char *path, ds_meta *m, ds_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ds_error_set(err, DS_EIO, path, "cannot open: %s", strerror(errno));
    ds_buf b = {0};
    char chunk[65536];
    size_t n;
    int big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > DS_META_MAX_BYTES) {
            big = 1;
            break;
        }
        ds_buf_append(&b, chunk, n);
    }
    int ioerr = ferror(f);
    fclose(f);
    ds_status rc;
    if (ioerr)
        rc = ds_error_set(err, DS_EIO, path, "read error");
    else if (big)
        rc = ds_error_set(err, DS_ELIMIT, path, "metadata file larger than %u MiB, not read",
                          DS_META_MAX_BYTES >> 20);
    else
        rc = ds_meta_read_buffer(b.data ? b.data : "", b.len, path, m, err);
    ds_buf_free(&b);
    return rc;
}
