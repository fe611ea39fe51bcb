/* checks: Hugging Face dataset cards: README.md YAML front matter (libyaml)
 * and the Markdown sections of the current template, with the legacy
 * (pre-2023) headings as aliases. "[More Information Needed]" and empty
 * sections count as absent. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/meta_model.h"
#include "checks/meta_text.h"
#include "common/buf.h"
#include "common/mem.h"

static void yaml_list(ds_slist *l, const ds_mnode *n)
{
    if (!n)
        return;
    if (n->kind == DS_MN_SCALAR)
        ds_slist_add(l, n->s);
    else if (n->kind == DS_MN_SEQ)
        for (size_t i = 0; i < n->n; i++)
            ds_slist_add(l, ds_mnode_str(n->v[i]));
}

static void front_matter(const ds_mnode *y, ds_meta *m)
{
    yaml_list(&m->licenses, ds_mnode_get(y, "license"));
    ds_meta_set(&m->license_name, ds_mnode_str(ds_mnode_get(y, "license_name")));
    ds_meta_set(&m->license_link, ds_mnode_str(ds_mnode_get(y, "license_link")));
    ds_meta_set(&m->name, ds_mnode_str(ds_mnode_get(y, "pretty_name")));
    ds_slist sz = {0};
    yaml_list(&sz, ds_mnode_get(y, "size_categories"));
    if (sz.n)
        ds_meta_set(&m->size_category, sz.v[sz.n - 1]);
    ds_slist_free(&sz);
    ds_slist srcs = {0};
    yaml_list(&srcs, ds_mnode_get(y, "source_datasets"));
    for (size_t i = 0; i < srcs.n; i++) {
        const char *s = srcs.v[i];
        if (strcasecmp(s, "original") == 0)
            continue;
        if (strncasecmp(s, "extended|", 9) == 0)
            s += 9;
        char url[512];
        snprintf(url, sizeof url, "%s%s", strchr(s, ':') ? "" : "hf:", s);
        ds_meta_add_origin(m, s, url, "public-dataset");
        ds_slist_add(&m->derived_from, s);
    }
    ds_slist_free(&srcs);
    yaml_list(&m->tasks, ds_mnode_get(y, "task_categories"));
    yaml_list(&m->tasks, ds_mnode_get(y, "task_ids"));
    ds_slist ann = {0};
    yaml_list(&ann, ds_mnode_get(y, "annotations_creators"));
    for (size_t i = 0; i < ann.n; i++)
        if (strcasecmp(ann.v[i], "no-annotation") != 0)
            m->labels = 1;
    ds_slist lc = {0};
    yaml_list(&lc, ds_mnode_get(y, "language_creators"));
    if (ds_slist_has(&lc, "found"))
        ds_slist_add(&m->methods, "found");
    ds_slist_free(&lc);
    ds_slist_free(&ann);
    if (ds_mnode_get(y, "extra_gated_fields") || ds_mnode_get(y, "extra_gated_prompt"))
        ds_meta_set(&m->access, "gated");
    yaml_list(&m->texts, ds_mnode_get(y, "tags"));
}

static void norm_heading(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++)
        out[o++] = (char)tolower((unsigned char)s[i]);
    out[o] = 0;
    char *opt = strstr(out, "[optional]");
    if (opt)
        *opt = 0;
    o = strlen(out);
    while (o && (isspace((unsigned char)out[o - 1]) || out[o - 1] == ':'))
        out[--o] = 0;
}

/* "- **Label:** value" bullets of a section. */
static void bullets(const char *sec, void (*fn)(ds_meta *, const char *, const char *), ds_meta *m)
{
    const char *p = sec;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = ds_xstrndup(p, n);
        char *l = line;
        while (*l == ' ')
            l++;
        if ((*l == '-' || *l == '*') && l[1] == ' ') {
            l += 2;
            char *b1 = strstr(l, "**");
            char *b2 = b1 ? strstr(b1 + 2, "**") : NULL;
            if (b1 && b2) {
                *b2 = 0;
                char *label = b1 + 2;
                size_t ll = strlen(label);
                while (ll && (label[ll - 1] == ':' || label[ll - 1] == ' '))
                    label[--ll] = 0;
                char *v = b2 + 2;
                while (*v == ':' || *v == ' ')
                    v++;
                char *val = NULL;
                ds_meta_set(&val, v);
                if (val)
                    fn(m, label, val);
                free(val);
            }
        }
        free(line);
        p = e ? e + 1 : p + n;
    }
}

static void description_bullet(ds_meta *m, const char *label, const char *v)
{
    if (strcasecmp(label, "Curated by") == 0 || strcasecmp(label, "Shared by") == 0) {
        if (!m->ctrl_name) {
            const char *c = strchr(v, ',');
            char *nm = ds_xstrndup(v, c && strchr(c, '@') ? (size_t)(c - v) : strlen(v));
            ds_meta_set(&m->ctrl_name, nm);
            free(nm);
        }
        const char *at = strchr(v, '@');
        if (at && !m->ctrl_contact) {
            const char *b = at;
            while (b > v && !isspace((unsigned char)b[-1]) && b[-1] != ',')
                b--;
            const char *e = at;
            while (*e && !isspace((unsigned char)*e) && *e != ',')
                e++;
            char *mail = ds_xstrndup(b, (size_t)(e - b));
            ds_meta_set(&m->ctrl_contact, mail);
            free(mail);
        }
        if (!m->ctrl_role && ds_text_has_word(v, "controller"))
            ds_meta_set(&m->ctrl_role, "controller");
    } else if (strcasecmp(label, "License") == 0) {
        if (!m->licenses.n)
            ds_slist_add(&m->licenses, v);
    }
}

static void sources_bullet(ds_meta *m, const char *label, const char *v)
{
    if (ds_text_is_identifier(v)) {
        ds_meta_add_origin(m, label, v, NULL);
    } else {
        char t[512];
        snprintf(t, sizeof t, "%s: %s", label, v);
        ds_meta_add_origin(m, t, NULL, NULL);
    }
}

static void backtick_names(ds_meta *m, const char *s)
{
    const char *p = s;
    while ((p = strchr(p, '`')) != NULL) {
        const char *e = strchr(p + 1, '`');
        if (!e)
            break;
        size_t n = (size_t)(e - p - 1);
        int ok = n > 0 && n < 128;
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)p[1 + i]) || strchr("_-./[]", p[1 + i]);
        if (ok) {
            char *nm = ds_xstrndup(p + 1, n);
            int have = 0;
            for (size_t k = 0; k < m->ndecls && !have; k++)
                have = strcmp(m->decls[k].name, nm) == 0;
            if (!have)
                ds_meta_add_decl(m, nm, NULL, 0);
            free(nm);
        }
        p = e + 1;
    }
}

static int is(const char *h, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(h, *names) == 0)
            return 1;
    return 0;
}

static void section(ds_meta *m, const char *h, const char *body)
{
    static const char *const purpose[] = {"direct use", "curation rationale",
                                          "supported tasks and leaderboards", NULL};
    static const char *const coll[] = {"data collection and processing",
                                       "initial data collection and normalization", NULL};
    static const char *const producers[] = {"who are the source data producers?",
                                            "who are the source language producers?", NULL};
    static const char *const pii[] = {"personal and sensitive information",
                                      "privacy considerations", NULL};
    static const char *const structure[] = {"dataset structure", "data fields", NULL};
    static const char *const other[] = {"bias, risks, and limitations", "social impact of dataset",
                                        "discussion of biases", "other known limitations",
                                        "dataset summary", NULL};
    char *t = NULL;
    ds_meta_set(&t, body);
    if (!t)
        return;
    if (strcmp(h, "dataset description") == 0 || strcmp(h, "dataset details") == 0) {
        bullets(t, description_bullet, m);
    } else if (strcmp(h, "dataset sources") == 0) {
        bullets(t, sources_bullet, m);
    } else if (is(h, purpose)) {
        ds_meta_append(&m->purpose, t, " ");
    } else if (strcmp(h, "out-of-scope use") == 0) {
        ds_slist_add(&m->out_of_scope, t);
    } else if (is(h, coll)) {
        ds_meta_append(&m->coll_text, t, " ");
        int scrape = ds_text_contains(t, "scrap") || ds_text_contains(t, "crawl");
        if (scrape && !ds_slist_has(&m->methods, "web-scraping"))
            ds_slist_add(&m->methods, "web-scraping");
        ds_meta_add_origin(m, t, NULL, scrape ? "web-scrape" : NULL);
    } else if (is(h, producers)) {
        ds_slist_add(&m->texts, t);
    } else if (is(h, pii)) {
        ds_meta_append(&m->pd_text, t, " ");
    } else if (strcmp(h, "annotation process") == 0) {
        ds_meta_append(&m->ann_protocol, t, " ");
    } else if (strcmp(h, "who are the annotators?") == 0) {
        ds_meta_append(&m->ann_annotators, t, " ");
    } else if (strcmp(h, "dataset card contact") == 0) {
        ds_meta_set(&m->rights_contact, t);
        if (!m->ctrl_contact)
            ds_meta_set(&m->ctrl_contact, t);
    } else if (is(h, structure)) {
        backtick_names(m, t);
    } else if (strcmp(h, "licensing information") == 0) {
        if (!m->licenses.n)
            ds_slist_add(&m->licenses, t);
    } else if (is(h, other)) {
        ds_slist_add(&m->texts, t);
    }
    free(t);
}

ds_status ds_meta_read_hfcard(const char *data, size_t len, const char *path, ds_meta *m,
                              ds_error *err)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    const char *body = p;
    ds_mnode *fm = NULL;
    if (end - p >= 4 && strncmp(p, "---", 3) == 0 && (p[3] == '\n' || p[3] == '\r')) {
        /* the data is not NUL-terminated: the line end within it ("---\r"
         * alone ends the opening line too) */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *y = nl ? nl + 1 : p + 4;
        const char *q = y;
        size_t line = 2;
        const char *close = NULL;
        while (q < end) {
            const char *e = memchr(q, '\n', (size_t)(end - q));
            size_t n = e ? (size_t)(e - q) : (size_t)(end - q);
            if (n && q[n - 1] == '\r')
                n--;
            if ((n == 3 && (strncmp(q, "---", 3) == 0 || strncmp(q, "...", 3) == 0))) {
                close = q;
                body = e ? e + 1 : end;
                break;
            }
            q = e ? e + 1 : end;
            line++;
        }
        if (!close)
            return ds_error_set(err, DS_EFORMAT, path,
                                "YAML front matter opened on line 1 is never closed with '---'");
        ds_status rc = ds_mtree_yaml(y, (size_t)(close - y), path, 2, &fm, err);
        if (rc != DS_OK)
            return rc;
        if (fm->kind == DS_MN_MAP) {
            front_matter(fm, m);
        } else if (fm->kind != DS_MN_NULL) {
            ds_mnode_free(fm);
            return ds_error_set(err, DS_EFORMAT, path, "the YAML front matter is not a mapping");
        }
    }
    /* Markdown: strip HTML comments, then walk headings outside code fences */
    ds_buf b = {0};
    for (const char *q = body; q < end;) {
        const char *c = NULL;
        for (const char *r = q; r + 4 <= end; r++)
            if (memcmp(r, "<!--", 4) == 0) {
                c = r;
                break;
            }
        if (!c) {
            ds_buf_append(&b, q, (size_t)(end - q));
            break;
        }
        ds_buf_append(&b, q, (size_t)(c - q));
        const char *ce = NULL;
        for (const char *r = c + 4; r + 3 <= end; r++)
            if (memcmp(r, "-->", 3) == 0) {
                ce = r + 3;
                break;
            }
        q = ce ? ce : end;
    }
    char heading[256] = "";
    ds_buf sec = {0};
    int fence = 0;
    const char *s = b.data ? b.data : "";
    for (;;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        int is_h = 0;
        if (!fence && n && s[0] == '#') {
            size_t k = 0;
            while (k < n && s[k] == '#')
                k++;
            if (k <= 6 && k < n && s[k] == ' ') {
                is_h = 1;
                section(m, heading, sec.data ? sec.data : "");
                ds_buf_reset(&sec);
                const char *h = s + k + 1;
                size_t hl = n - k - 1;
                if (hl && h[hl - 1] == '\r')
                    hl--;
                norm_heading(h, hl, heading, sizeof heading);
                if (k == 1 && !m->name && strncmp(heading, "dataset card for ", 17) == 0 &&
                    strcmp(heading + 17, "dataset name") != 0) {
                    char *nm = ds_xstrndup(h + 17, hl > 17 ? hl - 17 : 0);
                    ds_meta_set(&m->name, nm);
                    free(nm);
                }
            }
        }
        if (n >= 3 && (strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0))
            fence = !fence;
        if (!is_h) {
            ds_buf_append(&sec, s, n);
            ds_buf_putc(&sec, '\n');
        }
        if (!e)
            break;
        s = e + 1;
    }
    section(m, heading, sec.data ? sec.data : "");
    ds_buf_free(&sec);
    ds_buf_free(&b);
    ds_meta_derive_from_text(m);
    if (fm) {
        const ds_mnode *ds = ds_mnode_get(fm, "dsaudit");
        if (ds && ds->kind == DS_MN_MAP)
            ds_meta_apply_embedded(m, ds, path);
        ds_mnode_free(fm);
    }
    return DS_OK;
}
