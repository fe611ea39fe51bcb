/* checks: JSON and YAML into one small tree (see meta_tree.h). */
#include "checks/meta_tree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_parse.h>
#include <yaml.h>

#include "common/mem.h"

ds_mnode *ds_mnode_new(ds_mkind kind, const char *s)
{
    ds_mnode *n = ds_xcalloc(1, sizeof *n);
    n->kind = kind;
    if (s)
        n->s = ds_xstrdup(s);
    return n;
}

void ds_mnode_add(ds_mnode *p, const char *key, ds_mnode *child)
{
    p->v = ds_xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
    if (p->kind == DS_MN_MAP) {
        size_t kc = p->cap;
        p->keys = ds_xrealloc(p->keys, kc * sizeof *p->keys);
        p->keys[p->n] = ds_xstrdup(key ? key : "");
    }
    p->v[p->n++] = child;
}

void ds_mnode_free(ds_mnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            free(n->keys[i]);
        ds_mnode_free(n->v[i]);
    }
    free(n->keys);
    free(n->v);
    free(n->s);
    free(n);
}

const ds_mnode *ds_mnode_get(const ds_mnode *n, const char *key)
{
    if (!n || n->kind != DS_MN_MAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->keys[i], key) == 0)
            return n->v[i];
    return NULL;
}

const char *ds_mnode_str(const ds_mnode *n)
{
    return n && n->kind == DS_MN_SCALAR ? n->s : NULL;
}

int ds_mnode_bool(const ds_mnode *n)
{
    const char *s = ds_mnode_str(n);
    if (!s)
        return -1;
    if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on"))
        return 1;
    if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off"))
        return 0;
    return -1;
}

/* ---- JSON (yajl event callbacks) --------------------------------------------- */

typedef struct jctx {
    ds_mnode *root;
    ds_mnode *stack[DS_MTREE_MAX_DEPTH + 1];
    size_t depth;
    char *key; /* pending map key */
    int too_deep;
} jctx;

static int j_attach(jctx *c, ds_mnode *n)
{
    if (c->depth == 0) {
        if (c->root) {
            ds_mnode_free(n);
            return 0;
        }
        c->root = n;
        return 1;
    }
    ds_mnode *p = c->stack[c->depth - 1];
    ds_mnode_add(p, c->key, n);
    free(c->key);
    c->key = NULL;
    return 1;
}

static int j_scalar(jctx *c, const char *s, size_t len, int quoted, ds_mkind kind)
{
    ds_mnode *n = ds_xcalloc(1, sizeof *n);
    n->kind = kind;
    if (kind == DS_MN_SCALAR)
        n->s = ds_xstrndup(s, len);
    n->quoted = quoted;
    return j_attach(c, n);
}

static int j_null(void *ctx) { return j_scalar(ctx, NULL, 0, 0, DS_MN_NULL); }
static int j_bool(void *ctx, int b)
{
    return j_scalar(ctx, b ? "true" : "false", b ? 4 : 5, 0, DS_MN_SCALAR);
}
static int j_number(void *ctx, const char *s, size_t l) { return j_scalar(ctx, s, l, 0, DS_MN_SCALAR); }
static int j_string(void *ctx, const unsigned char *s, size_t l)
{
    return j_scalar(ctx, (const char *)s, l, 1, DS_MN_SCALAR);
}

static int j_open(jctx *c, ds_mkind kind)
{
    if (c->depth >= DS_MTREE_MAX_DEPTH) {
        c->too_deep = 1;
        return 0;
    }
    ds_mnode *n = ds_xcalloc(1, sizeof *n);
    n->kind = kind;
    if (!j_attach(c, n))
        return 0;
    c->stack[c->depth++] = n;
    return 1;
}

static int j_start_map(void *ctx) { return j_open(ctx, DS_MN_MAP); }
static int j_start_array(void *ctx) { return j_open(ctx, DS_MN_SEQ); }
static int j_end(void *ctx)
{
    jctx *c = ctx;
    if (c->depth)
        c->depth--;
    return 1;
}
static int j_key(void *ctx, const unsigned char *s, size_t l)
{
    jctx *c = ctx;
    free(c->key);
    c->key = ds_xstrndup((const char *)s, l);
    return 1;
}

static const yajl_callbacks jcb = {j_null,      j_bool, NULL,  NULL,          j_number, j_string,
                                   j_start_map, j_key,  j_end, j_start_array, j_end};

static size_t line_at(const char *data, size_t len, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off && i < len; i++)
        if (data[i] == '\n')
            line++;
    return line;
}

ds_status ds_mtree_json(const char *data, size_t len, const char *where, ds_mnode **out,
                        ds_error *err)
{
    *out = NULL;
    jctx c;
    memset(&c, 0, sizeof c);
    yajl_handle h = yajl_alloc(&jcb, NULL, &c);
    if (!h)
        return ds_error_set(err, DS_ENOMEM, where, "out of memory");
    yajl_config(h, yajl_allow_comments, 0);
    yajl_status st = yajl_parse(h, (const unsigned char *)data, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st != yajl_status_ok || !c.root) {
        size_t off = yajl_get_bytes_consumed(h);
        char wh[600];
        snprintf(wh, sizeof wh, "%s:%zu", where, line_at(data, len, off));
        if (c.too_deep) {
            ds_error_set(err, DS_EFORMAT, wh, "JSON nested deeper than %d levels",
                         DS_MTREE_MAX_DEPTH);
        } else if (st == yajl_status_ok) {
            ds_error_set(err, DS_EFORMAT, where, "empty JSON document");
        } else {
            unsigned char *m = yajl_get_error(h, 0, NULL, 0);
            char msg[200];
            snprintf(msg, sizeof msg, "%s", m ? (const char *)m : "parse error");
            for (char *p = msg; *p; p++)
                if (*p == '\n')
                    *p = ' ';
            size_t ml = strlen(msg);
            while (ml && msg[ml - 1] == ' ')
                msg[--ml] = 0;
            ds_error_set(err, DS_EFORMAT, wh, "invalid JSON: %s", msg);
            if (m)
                yajl_free_error(h, m);
        }
        yajl_free(h);
        free(c.key);
        ds_mnode_free(c.root);
        return DS_EFORMAT;
    }
    yajl_free(h);
    free(c.key);
    *out = c.root;
    return DS_OK;
}

/* ---- YAML (libyaml events) ------------------------------------------------------ */

ds_status ds_mtree_yaml(const char *data, size_t len, const char *where, size_t first_line,
                        ds_mnode **out, ds_error *err)
{
    *out = NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return ds_error_set(err, DS_ENOMEM, where, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    ds_mnode *root = NULL;
    ds_mnode *stack[DS_MTREE_MAX_DEPTH + 1];
    char *keys[DS_MTREE_MAX_DEPTH + 1]; /* pending key per open map */
    int want_key[DS_MTREE_MAX_DEPTH + 1];
    size_t depth = 0;
    int docs = 0;
    ds_status rc = DS_OK;
    char wh[600];
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            snprintf(wh, sizeof wh, "%s:%zu", where, p.problem_mark.line + first_line);
            rc = ds_error_set(err, DS_EFORMAT, wh, "invalid YAML: %s",
                              p.problem ? p.problem : "parse error");
            break;
        }
        size_t line = ev.start_mark.line + first_line;
        snprintf(wh, sizeof wh, "%s:%zu", where, line);
        yaml_event_type_t t = ev.type;
        ds_mnode *n = NULL;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            rc = ds_error_set(err, DS_EFORMAT, wh, "more than one YAML document");
        } else if (t == YAML_ALIAS_EVENT) {
            rc = ds_error_set(err, DS_EFORMAT, wh, "YAML aliases are not supported");
        } else if (t == YAML_SCALAR_EVENT) {
            const char *v = (const char *)ev.data.scalar.value;
            size_t vl = ev.data.scalar.length;
            int quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            if (depth && stack[depth - 1]->kind == DS_MN_MAP && want_key[depth - 1]) {
                keys[depth - 1] = ds_xstrndup(v, vl);
                want_key[depth - 1] = 0;
            } else {
                n = ds_xcalloc(1, sizeof *n);
                n->quoted = quoted;
                n->line = line;
                if (!quoted && (vl == 0 || (vl == 1 && v[0] == '~') ||
                                (vl == 4 && strncmp(v, "null", 4) == 0))) {
                    n->kind = DS_MN_NULL;
                } else {
                    n->kind = DS_MN_SCALAR;
                    n->s = ds_xstrndup(v, vl);
                }
            }
        } else if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            if (depth >= DS_MTREE_MAX_DEPTH) {
                rc = ds_error_set(err, DS_EFORMAT, wh, "YAML nested deeper than %d levels",
                                  DS_MTREE_MAX_DEPTH);
            } else {
                n = ds_xcalloc(1, sizeof *n);
                n->kind = t == YAML_MAPPING_START_EVENT ? DS_MN_MAP : DS_MN_SEQ;
                n->line = line;
            }
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            if (depth) {
                depth--;
                free(keys[depth]);
                keys[depth] = NULL;
            }
        }
        if (n) {
            /* attach */
            if (depth == 0) {
                if (root) {
                    ds_mnode_free(n);
                    n = NULL;
                } else {
                    root = n;
                }
            } else {
                ds_mnode *par = stack[depth - 1];
                if (par->kind == DS_MN_MAP) {
                    ds_mnode_add(par, keys[depth - 1], n);
                    free(keys[depth - 1]);
                    keys[depth - 1] = NULL;
                    want_key[depth - 1] = 1;
                } else {
                    ds_mnode_add(par, NULL, n);
                }
            }
            if (n && n->kind != DS_MN_SCALAR && n->kind != DS_MN_NULL) {
                stack[depth] = n;
                keys[depth] = NULL;
                want_key[depth] = 1;
                depth++;
            }
        }
        yaml_event_delete(&ev);
        if (rc != DS_OK)
            break;
    }
    while (depth) {
        depth--;
        free(keys[depth]);
    }
    yaml_parser_delete(&p);
    if (rc != DS_OK) {
        ds_mnode_free(root);
        return rc;
    }
    if (!root)
        root = ds_mnode_new(DS_MN_NULL, NULL);
    *out = root;
    return DS_OK;
}
