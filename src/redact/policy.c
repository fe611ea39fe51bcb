/* redact: the action policy (CLI --action, --policy file, sidecar treatment). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "checks/meta_model.h"
#include "common/mem.h"
#include "common/names.h"
#include "redact/redact.h"

#define POLICY_MAX_BYTES (4u << 20)

typedef struct pentry {
    ds_rkey_kind kind;
    char *key;
    char *norm; /* DS_RK_FIELD: normalised name; generic (no indices) form in gen */
    char *gen;
    ds_raction action;
    int source;
} pentry;

struct ds_rpolicy {
    pentry *e;
    size_t n, cap;
};

static const char *const action_names[DS_RA_COUNT] = {"-",          "keep", "mask", "pseudonymise",
                                                      "generalise", "drop"};

const char *ds_raction_name(ds_raction a)
{
    return (unsigned)a < DS_RA_COUNT ? action_names[a] : "-";
}

int ds_raction_parse(const char *s, ds_raction *out)
{
    static const struct {
        const char *w;
        ds_raction a;
    } words[] = {
        {"keep", DS_RA_KEEP},
        {"kept", DS_RA_KEEP},
        {"mask", DS_RA_MASK},
        {"masked", DS_RA_MASK},
        {"pseudonymise", DS_RA_PSEUDO},
        {"pseudonymize", DS_RA_PSEUDO},
        {"pseudonymised", DS_RA_PSEUDO},
        {"pseudonymized", DS_RA_PSEUDO},
        {"generalise", DS_RA_GENERALISE},
        {"generalize", DS_RA_GENERALISE},
        {"generalised", DS_RA_GENERALISE},
        {"generalized", DS_RA_GENERALISE},
        {"drop", DS_RA_DROP},
        {"removed", DS_RA_DROP},
        {"remove", DS_RA_DROP},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcasecmp(s, words[i].w) == 0) {
            *out = words[i].a;
            return 1;
        }
    return 0;
}

ds_rpolicy *ds_rpolicy_new(void)
{
    return ds_xcalloc(1, sizeof(ds_rpolicy));
}

void ds_rpolicy_free(ds_rpolicy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].key);
        free(p->e[i].norm);
        free(p->e[i].gen);
    }
    free(p->e);
    free(p);
}

/* name without array indices and with "[]" / "[*]" removed: "posts[1].body",
 * "posts[].body" and "posts.body" all give "posts.body". */
static char *strip_indices(const char *s, size_t n)
{
    char *o = ds_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '[') {
            size_t j = i + 1;
            while (j < n && s[j] != ']')
                j++;
            if (j < n) {
                i = j;
                continue;
            }
        }
        o[k++] = s[i];
    }
    o[k] = 0;
    return o;
}

static char *normalise(const char *s, size_t n)
{
    char buf[512];
    ds_name_normalise(s, n, buf, sizeof buf);
    return ds_xstrdup(buf);
}

ds_status ds_rpolicy_set(ds_rpolicy *p, ds_rkey_kind kind, const char *key, ds_raction a,
                         int source, ds_error *err)
{
    if (!key || !*key)
        return ds_error_set(err, DS_EINVAL, NULL, "empty key in an action");
    if (a == DS_RA_UNSET || a >= DS_RA_COUNT)
        return ds_error_set(err, DS_EINVAL, NULL, "invalid action for '%s'", key);
    for (size_t i = 0; i < p->n; i++) {
        pentry *e = &p->e[i];
        if (e->kind == kind && strcmp(e->key, key) == 0) {
            if (source >= e->source) {
                e->action = a;
                e->source = source;
            }
            return DS_OK;
        }
    }
    p->e = ds_xgrow(p->e, &p->cap, p->n + 1, sizeof *p->e);
    pentry *e = &p->e[p->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->key = ds_xstrdup(key);
    if (kind == DS_RK_FIELD) {
        e->norm = normalise(key, strlen(key));
        e->gen = strip_indices(key, strlen(key));
    }
    e->action = a;
    e->source = source;
    return DS_OK;
}

static ds_status set_lhs(ds_rpolicy *p, const char *lhs, ds_raction a, int source,
                         const char *where, ds_error *err)
{
    static const struct {
        const char *prefix;
        ds_rkey_kind kind;
    } kinds[] = {{"rule:", DS_RK_RULE},
                 {"type:", DS_RK_TYPE},
                 {"category:", DS_RK_CATEGORY},
                 {"field:", DS_RK_FIELD}};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t pl = strlen(kinds[i].prefix);
        if (strncmp(lhs, kinds[i].prefix, pl) == 0) {
            if (!lhs[pl])
                return ds_error_set(err, DS_EINVAL, where, "'%s' names nothing", lhs);
            return ds_rpolicy_set(p, kinds[i].kind, lhs + pl, a, source, err);
        }
    }
    /* a bare word is a type (upper case by convention) */
    if (strchr(lhs, ':'))
        return ds_error_set(err, DS_EINVAL, where,
                            "unknown key '%s' (expected TYPE, rule:ID, category:CAT or "
                            "field:NAME)",
                            lhs);
    return ds_rpolicy_set(p, DS_RK_TYPE, lhs, a, source, err);
}

ds_status ds_rpolicy_add_spec(ds_rpolicy *p, const char *spec, int source, ds_error *err)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return ds_error_set(err, DS_EINVAL, NULL,
                            "--action '%s': expected KEY=ACTION (e.g. EMAIL=mask)", spec);
    ds_raction a;
    if (!ds_raction_parse(eq + 1, &a))
        return ds_error_set(err, DS_EINVAL, NULL,
                            "--action '%s': unknown action '%s' (keep, mask, pseudonymise, "
                            "generalise, drop)",
                            spec, eq + 1);
    char *lhs = ds_xstrndup(spec, (size_t)(eq - spec));
    ds_status rc = set_lhs(p, lhs, a, source, NULL, err);
    free(lhs);
    return rc;
}

/* ---- YAML ------------------------------------------------------------------- */

/* A tiny libyaml event walker: the policy file is a flat mapping. */
typedef struct yreader {
    yaml_parser_t p;
    yaml_event_t ev;
    int have;
    const char *where;
} yreader;

static ds_status ynext(yreader *y, ds_error *err)
{
    if (y->have)
        yaml_event_delete(&y->ev);
    y->have = 0;
    if (!yaml_parser_parse(&y->p, &y->ev))
        return ds_error_set(err, DS_EFORMAT, NULL, "%s:%zu:%zu: %s", y->where,
                            y->p.problem_mark.line + 1, y->p.problem_mark.column + 1,
                            y->p.problem ? y->p.problem : "YAML syntax error");
    y->have = 1;
    if (y->ev.type == YAML_ALIAS_EVENT)
        return ds_error_set(err, DS_EFORMAT, NULL, "%s:%zu: YAML aliases are not accepted",
                            y->where, y->ev.start_mark.line + 1);
    return DS_OK;
}

static const char *yscalar(const yreader *y)
{
    return y->ev.type == YAML_SCALAR_EVENT ? (const char *)y->ev.data.scalar.value : NULL;
}

static ds_status yopen(yreader *y, const char *text, size_t n, const char *where, ds_error *err)
{
    memset(y, 0, sizeof *y);
    y->where = where;
    if (!yaml_parser_initialize(&y->p))
        return ds_error_set(err, DS_ENOMEM, where, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&y->p, (const unsigned char *)text, n);
    /* stream start, document start (or stream end for an empty file) */
    ds_status rc = ynext(y, err);
    if (rc == DS_OK)
        rc = ynext(y, err);
    if (rc == DS_OK && y->ev.type == YAML_DOCUMENT_START_EVENT)
        rc = ynext(y, err);
    return rc;
}

static void yclose(yreader *y)
{
    if (y->have)
        yaml_event_delete(&y->ev);
    yaml_parser_delete(&y->p);
}

ds_status ds_rpolicy_load_policy_mem(ds_rpolicy *p, const char *text, size_t n, const char *where,
                                     ds_error *err)
{
    yreader y;
    ds_status rc = yopen(&y, text, n, where, err);
    if (rc != DS_OK)
        goto out;
    if (y.ev.type == YAML_STREAM_END_EVENT ||
        (y.ev.type == YAML_SCALAR_EVENT && y.ev.data.scalar.length == 0))
        goto out; /* empty file: no actions */
    if (y.ev.type != YAML_MAPPING_START_EVENT) {
        rc = ds_error_set(err, DS_EFORMAT, NULL, "%s:%zu: a policy is a mapping of KEY: ACTION",
                          where, y.ev.start_mark.line + 1);
        goto out;
    }
    for (;;) {
        if ((rc = ynext(&y, err)) != DS_OK)
            goto out;
        if (y.ev.type == YAML_MAPPING_END_EVENT)
            break;
        size_t line = y.ev.start_mark.line + 1;
        const char *k = yscalar(&y);
        if (!k) {
            rc = ds_error_set(err, DS_EFORMAT, NULL, "%s:%zu: expected a KEY", where, line);
            goto out;
        }
        char *key = ds_xstrdup(k);
        rc = ynext(&y, err);
        const char *v = rc == DS_OK ? yscalar(&y) : NULL;
        ds_raction a = DS_RA_UNSET;
        if (rc == DS_OK && (!v || !ds_raction_parse(v, &a)))
            rc = ds_error_set(err, DS_EFORMAT, NULL,
                              "%s:%zu: '%s': expected keep, mask, pseudonymise, generalise or "
                              "drop",
                              where, line, key);
        if (rc == DS_OK) {
            char loc[600];
            snprintf(loc, sizeof loc, "%s:%zu", where, line);
            rc = set_lhs(p, key, a, DS_RSRC_POLICY, loc, err);
        }
        free(key);
        if (rc != DS_OK)
            goto out;
    }
out:
    yclose(&y);
    return rc;
}

static ds_status slurp(const char *path, char **out, size_t *n, ds_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ds_error_set(err, DS_EIO, path, "%s", strerror(errno));
    ds_buf b = {0};
    char tmp[8192];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) {
        ds_buf_append(&b, tmp, k);
        if (b.len > POLICY_MAX_BYTES) {
            fclose(f);
            ds_buf_free(&b);
            return ds_error_set(err, DS_ELIMIT, path, "larger than 4 MiB");
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        ds_buf_free(&b);
        return ds_error_set(err, DS_EIO, path, "read error");
    }
    ds_buf_putc(&b, 0);
    *n = b.len - 1;
    *out = b.data;
    return DS_OK;
}

ds_status ds_rpolicy_load_file(ds_rpolicy *p, const char *path, ds_error *err)
{
    char *text = NULL;
    size_t n = 0;
    ds_status rc = slurp(path, &text, &n, err);
    if (rc != DS_OK)
        return rc;
    rc = ds_rpolicy_load_policy_mem(p, text, n, path, err);
    free(text);
    return rc;
}

/* The sidecar is read by the metadata reader of src/checks (any format it
 * knows: .dsaudit.yml, or a dsaudit block in a card, datapackage.json,
 * Croissant); only personal_data.fields[] matters here. */
static ds_status sidecar_apply(ds_rpolicy *p, ds_meta *m, const char *where, ds_error *err)
{
    ds_status rc = DS_OK;
    for (size_t i = 0; i < m->npfields && rc == DS_OK; i++) {
        const ds_meta_pfield *f = &m->pfields[i];
        if (!f->name || !*f->name || !f->treatment || !*f->treatment)
            continue;
        ds_raction a;
        if (!ds_raction_parse(f->treatment, &a))
            rc = ds_error_set(err, DS_EFORMAT, where,
                              "treatment '%s' of field '%s': expected keep, pseudonymised, "
                              "generalised or removed",
                              f->treatment, f->name);
        else
            rc = ds_rpolicy_set(p, DS_RK_FIELD, f->name, a, DS_RSRC_SIDECAR, err);
    }
    ds_meta_clear(m);
    return rc;
}

ds_status ds_rpolicy_load_sidecar(ds_rpolicy *p, const char *path, ds_error *err)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_status rc = ds_meta_read_file(path, &m, err);
    if (rc != DS_OK) {
        ds_meta_clear(&m);
        return rc;
    }
    return sidecar_apply(p, &m, path, err);
}

ds_status ds_rpolicy_load_sidecar_mem(ds_rpolicy *p, const char *text, size_t n, const char *where,
                                      ds_error *err)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_status rc = ds_meta_read_buffer(text, n, where, &m, err);
    if (rc != DS_OK) {
        ds_meta_clear(&m);
        return rc;
    }
    return sidecar_apply(p, &m, where, err);
}

/* ---- resolution ------------------------------------------------------------- */

ds_raction ds_rpolicy_default_action(const char *type, const char *category)
{
    static const char *const quasi[] = {"DATE_OF_BIRTH", "IP_ADDRESS", "GEO_COORDINATES",
                                        "POSTAL_ADDRESS", "POSTCODE"};
    if (category && (strcmp(category, "sensitive") == 0 || strcmp(category, "criminal") == 0))
        return DS_RA_MASK;
    for (size_t i = 0; type && i < sizeof quasi / sizeof *quasi; i++)
        if (strcmp(type, quasi[i]) == 0)
            return DS_RA_GENERALISE;
    return DS_RA_PSEUDO;
}

static ds_raction lookup(const ds_rpolicy *p, ds_rkey_kind kind, const char *key)
{
    if (!p || !key)
        return DS_RA_UNSET;
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].kind == kind && strcmp(p->e[i].key, key) == 0)
            return p->e[i].action;
    return DS_RA_UNSET;
}

ds_raction ds_rpolicy_for_rule(const ds_rpolicy *p, const ds_rule *r)
{
    ds_raction a = lookup(p, DS_RK_RULE, r->id);
    if (a == DS_RA_UNSET)
        a = lookup(p, DS_RK_TYPE, r->type);
    if (a == DS_RA_UNSET)
        a = lookup(p, DS_RK_CATEGORY, r->category);
    if (a == DS_RA_UNSET)
        a = ds_rpolicy_default_action(r->type, r->category);
    return a;
}

ds_raction ds_rpolicy_for_field(const ds_rpolicy *p, const char *name, size_t n)
{
    if (!p)
        return DS_RA_UNSET;
    int any = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].kind == DS_RK_FIELD)
            any = 1;
    if (!any)
        return DS_RA_UNSET;
    /* exact, then without indices, then normalised; the best source wins
     * within a level */
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].kind == DS_RK_FIELD && strlen(p->e[i].key) == n &&
            memcmp(p->e[i].key, name, n) == 0)
            return p->e[i].action;
    char *gen = strip_indices(name, n);
    ds_raction a = DS_RA_UNSET;
    for (size_t i = 0; i < p->n && a == DS_RA_UNSET; i++)
        if (p->e[i].kind == DS_RK_FIELD && strcmp(p->e[i].gen, gen) == 0)
            a = p->e[i].action;
    if (a == DS_RA_UNSET) {
        char *norm = normalise(gen, strlen(gen));
        for (size_t i = 0; i < p->n && a == DS_RA_UNSET; i++)
            if (p->e[i].kind == DS_RK_FIELD && *p->e[i].norm && strcmp(p->e[i].norm, norm) == 0)
                a = p->e[i].action;
        free(norm);
    }
    free(gen);
    return a;
}

int ds_rpolicy_needs_key(const ds_rpolicy *p, const ds_ruleset *rs)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (p->e[i].kind == DS_RK_FIELD && p->e[i].action == DS_RA_PSEUDO)
            return 1;
    size_t n = rs ? ds_ruleset_count(rs) : 0;
    for (size_t i = 0; i < n; i++)
        if (ds_rpolicy_for_rule(p, ds_ruleset_rule(rs, i)) == DS_RA_PSEUDO)
            return 1;
    return 0;
}
