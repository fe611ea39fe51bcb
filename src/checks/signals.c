/* checks: content signals: the scan's per-field aggregates, plus field names
 * that stand in for findings (metadata-only mode, shared
 * metadata-fixtures/README.md): `email`, `date_of_birth`, `offence`... */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/checks_impl.h"
#include "checks/meta_text.h"
#include "common/mem.h"

typedef struct name_rule {
    const char *tok;   /* a token of the field name, or "a+b" two consecutive tokens */
    const char *type;
    ds_sig_kind kind;
    const char *art9;
    int direct;
} name_rule;

static const name_rule RULES[] = {
    {"email", "EMAIL", DS_SIG_PERSONAL, NULL, 1},
    {"e+mail", "EMAIL", DS_SIG_PERSONAL, NULL, 1},
    {"courriel", "EMAIL", DS_SIG_PERSONAL, NULL, 1},
    {"password", "CREDENTIAL", DS_SIG_CREDENTIAL, NULL, 0},
    {"passwd", "CREDENTIAL", DS_SIG_CREDENTIAL, NULL, 0},
    {"pwd", "CREDENTIAL", DS_SIG_CREDENTIAL, NULL, 0},
    {"salt", "CREDENTIAL", DS_SIG_CREDENTIAL, NULL, 0},
    {"full+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"first+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"last+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"given+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"family+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"surname", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"firstname", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"lastname", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"fullname", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"nom", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"prenom", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"defendant+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"tenant+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"customer+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"patient+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"author+name", "PERSON_NAME", DS_SIG_PERSONAL, NULL, 1},
    {"user+name", "USERNAME", DS_SIG_PERSONAL, NULL, 0},
    {"username", "USERNAME", DS_SIG_PERSONAL, NULL, 0},
    {"handle", "USERNAME", DS_SIG_PERSONAL, NULL, 0},
    {"login", "USERNAME", DS_SIG_PERSONAL, NULL, 0},
    {"phone", "PHONE", DS_SIG_PERSONAL, NULL, 1},
    {"telephone", "PHONE", DS_SIG_PERSONAL, NULL, 1},
    {"mobile", "PHONE", DS_SIG_PERSONAL, NULL, 1},
    {"ip", "IP_ADDRESS", DS_SIG_PERSONAL, NULL, 0},
    {"address", "POSTAL_ADDRESS", DS_SIG_PERSONAL, NULL, 0},
    {"adresse", "POSTAL_ADDRESS", DS_SIG_PERSONAL, NULL, 0},
    {"date+of+birth", "DATE_OF_BIRTH", DS_SIG_PERSONAL, NULL, 0},
    {"dob", "DATE_OF_BIRTH", DS_SIG_PERSONAL, NULL, 0},
    {"birthdate", "DATE_OF_BIRTH", DS_SIG_PERSONAL, NULL, 0},
    {"birth+date", "DATE_OF_BIRTH", DS_SIG_PERSONAL, NULL, 0},
    {"birthday", "DATE_OF_BIRTH", DS_SIG_PERSONAL, NULL, 0},
    {"age", "AGE", DS_SIG_PERSONAL, NULL, 0},
    {"gender", "GENDER", DS_SIG_PERSONAL, NULL, 0},
    {"sex", "GENDER", DS_SIG_PERSONAL, NULL, 0},
    {"civility", "CIVILITY", DS_SIG_PERSONAL, NULL, 0},
    {"civilite", "CIVILITY", DS_SIG_PERSONAL, NULL, 0},
    {"marital+status", "MARITAL_STATUS", DS_SIG_PERSONAL, NULL, 0},
    {"personal+status", "MARITAL_STATUS", DS_SIG_PERSONAL, NULL, 0},
    {"nationality", "NATIONALITY", DS_SIG_PERSONAL, NULL, 0},
    {"foreign+worker", "NATIONALITY", DS_SIG_PERSONAL, NULL, 0},
    {"ssn", "NATIONAL_ID", DS_SIG_PERSONAL, NULL, 1},
    {"nir", "NATIONAL_ID", DS_SIG_PERSONAL, NULL, 1},
    {"passport", "PASSPORT", DS_SIG_PERSONAL, NULL, 1},
    {"national+id", "NATIONAL_ID", DS_SIG_PERSONAL, NULL, 1},
    {"iban", "IBAN", DS_SIG_PERSONAL, NULL, 1},
    {"credit+card", "CREDIT_CARD", DS_SIG_PERSONAL, NULL, 1},
    {"latitude", "GEO_COORDINATES", DS_SIG_PERSONAL, NULL, 0},
    {"longitude", "GEO_COORDINATES", DS_SIG_PERSONAL, NULL, 0},
    {"gps", "GEO_COORDINATES", DS_SIG_PERSONAL, NULL, 0},
    {"diagnosis", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"disease", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"illness", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"medication", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"icd10", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"disability", "HEALTH", DS_SIG_SENSITIVE, "health", 0},
    {"ethnicity", "RACIAL_ETHNIC_ORIGIN", DS_SIG_SENSITIVE, "ethnic-origin", 0},
    {"race", "RACIAL_ETHNIC_ORIGIN", DS_SIG_SENSITIVE, "ethnic-origin", 0},
    {"religion", "RELIGIOUS_BELIEF", DS_SIG_SENSITIVE, "religion", 0},
    {"sexual+orientation", "SEX_LIFE_ORIENTATION", DS_SIG_SENSITIVE, "sex-life-orientation", 0},
    {"political", "POLITICAL_OPINION", DS_SIG_SENSITIVE, "political", 0},
    {"trade+union", "TRADE_UNION", DS_SIG_SENSITIVE, "union", 0},
    {"genetic", "GENETIC", DS_SIG_SENSITIVE, "genetic", 0},
    {"genotype", "GENETIC", DS_SIG_SENSITIVE, "genetic", 0},
    {"fingerprint", "BIOMETRIC", DS_SIG_SENSITIVE, "biometric", 0},
    {"offence", "CRIMINAL_RECORD", DS_SIG_CRIMINAL, NULL, 0},
    {"offense", "CRIMINAL_RECORD", DS_SIG_CRIMINAL, NULL, 0},
    {"conviction", "CRIMINAL_RECORD", DS_SIG_CRIMINAL, NULL, 0},
    {"criminal", "CRIMINAL_RECORD", DS_SIG_CRIMINAL, NULL, 0},
    {"crime", "CRIMINAL_RECORD", DS_SIG_CRIMINAL, NULL, 0},
};

int ds_sig_from_name(const char *name, const char **type, ds_sig_kind *kind, const char **art9,
                     int *direct)
{
    char buf[512];
    size_t nt = ds_text_tokens(name, buf, sizeof buf);
    const char *tok[32];
    const char *p = buf;
    if (nt > 32)
        nt = 32;
    for (size_t i = 0; i < nt; i++) {
        tok[i] = p;
        p += strlen(p) + 1;
    }
    /* "hash" / "hashed" alone is a credential only next to "password"-like
     * words, handled by the rules; "password_hash" matches "password". */
    for (size_t r = 0; r < sizeof RULES / sizeof RULES[0]; r++) {
        const char *t = RULES[r].tok;
        char parts[3][32];
        size_t np = 0;
        const char *q = t;
        while (*q && np < 3) {
            const char *e = strchr(q, '+');
            size_t n = e ? (size_t)(e - q) : strlen(q);
            if (n >= sizeof parts[0])
                n = sizeof parts[0] - 1;
            memcpy(parts[np], q, n);
            parts[np++][n] = 0;
            q = e ? e + 1 : q + n;
        }
        for (size_t i = 0; i + np <= nt; i++) {
            size_t k = 0;
            while (k < np && strcmp(tok[i + k], parts[k]) == 0)
                k++;
            if (k == np) {
                *type = RULES[r].type;
                *kind = RULES[r].kind;
                *art9 = RULES[r].art9;
                *direct = RULES[r].direct;
                return 1;
            }
        }
    }
    /* a bare "name" (not file_name, product_name...) */
    if (nt == 1 && strcmp(tok[0], "name") == 0) {
        *type = "PERSON_NAME";
        *kind = DS_SIG_PERSONAL;
        *art9 = NULL;
        *direct = 1;
        return 1;
    }
    return 0;
}

static const char *art9_of_type(const char *t)
{
    static const char *const map[][2] = {
        {"HEALTH", "health"},           {"RACIAL_ETHNIC_ORIGIN", "ethnic-origin"},
        {"POLITICAL_OPINION", "political"}, {"RELIGIOUS_BELIEF", "religion"},
        {"TRADE_UNION", "union"},       {"GENETIC", "genetic"},
        {"BIOMETRIC", "biometric"},     {"SEX_LIFE_ORIENTATION", "sex-life-orientation"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(t, map[i][0]) == 0)
            return map[i][1];
    return "sensitive";
}

static int direct_type(const char *t)
{
    static const char *const d[] = {"EMAIL", "PHONE", "PERSON_NAME", "IBAN", "CREDIT_CARD",
                                    "PASSPORT", "FR_NIR", "US_SSN", "UK_NINO", "UK_NHS",
                                    "ES_NIF", "IT_FISCAL_CODE", "DE_TAX_ID", "NL_BSN",
                                    "BE_NATIONAL_NUMBER", "PL_PESEL", "SE_PERSONNUMMER",
                                    "FI_HETU", "DK_CPR", "PT_NIF", "CH_AHV", "AT_SVNR", NULL};
    for (size_t i = 0; d[i]; i++)
        if (strcmp(t, d[i]) == 0)
            return 1;
    return 0;
}

static ds_sig *push(ds_signals *s)
{
    s->v = ds_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    ds_sig *g = &s->v[s->n++];
    memset(g, 0, sizeof *g);
    return g;
}

static void add_inferred(ds_signals *s, const char *file, const char *field)
{
    const char *type, *art9;
    ds_sig_kind kind;
    int direct;
    if (!ds_sig_from_name(field, &type, &kind, &art9, &direct))
        return;
    for (size_t i = 0; i < s->n; i++) /* one per (file, field) */
        if (strcmp(s->v[i].field, field) == 0 &&
            ((!file && !s->v[i].file) || (file && s->v[i].file && !strcmp(file, s->v[i].file))))
            return;
    ds_sig *g = push(s);
    g->file = file ? ds_xstrdup(file) : NULL;
    g->field = ds_xstrdup(field);
    g->type = ds_xstrdup(type);
    g->kind = kind;
    g->art9 = art9;
    g->direct = direct;
    g->inferred = 1;
}

/* Same path, ignoring "./" and repeated slashes. */
static int same_path(const char *a, const char *b)
{
    for (;;) {
        while (a[0] == '.' && a[1] == '/')
            a += 2;
        while (b[0] == '.' && b[1] == '/')
            b += 2;
        if (!*a || !*b)
            return !*a && !*b;
        if (*a != *b)
            return 0;
        if (*a == '/') {
            while (*a == '/')
                a++;
            while (*b == '/')
                b++;
            continue;
        }
        a++;
        b++;
    }
}

void ds_signals_build(ds_signals *s, const ds_scan_result *r, const ds_meta *m,
                      const ds_slist *skip)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; r && i < r->nfiles; i++) {
        const ds_file_result *f = &r->files[i];
        int meta = 0;
        for (size_t k = 0; skip && k < skip->n && !meta; k++)
            meta = same_path(f->name, skip->v[k]);
        if (meta)
            continue;
        ds_slist_add(&s->files, f->name);
        if (!f->agg)
            continue;
        uint64_t maxrec = 0;
        for (size_t k = 0; k < ds_agg_nfields(f->agg); k++) {
            const ds_field_agg *fa = ds_agg_field(f->agg, k);
            if (!ds_slist_has(&s->names, fa->name))
                ds_slist_add(&s->names, fa->name);
            for (size_t t = 0; t < fa->ntypes; t++) {
                const ds_type_agg *ta = &fa->types[t];
                ds_sig *g = push(s);
                g->file = ds_xstrdup(f->name);
                g->field = ds_xstrdup(fa->name);
                g->type = ds_xstrdup(ta->type);
                const char *cat = ta->category ? ta->category : "personal";
                if (strcmp(cat, "sensitive") == 0) {
                    g->kind = DS_SIG_SENSITIVE;
                    g->art9 = art9_of_type(ta->type);
                } else if (strcmp(cat, "criminal") == 0) {
                    g->kind = DS_SIG_CRIMINAL;
                } else if (strcmp(ta->type, "CREDENTIAL") == 0 || strcmp(cat, "credential") == 0 ||
                           strcmp(cat, "secret") == 0) {
                    g->kind = DS_SIG_CREDENTIAL;
                } else {
                    g->kind = DS_SIG_PERSONAL;
                }
                g->direct = direct_type(ta->type);
                g->hits = ta->findings;
                g->records = ta->records;
                g->total = fa->records;
                if (g->kind != DS_SIG_CREDENTIAL && ta->records > maxrec)
                    maxrec = ta->records;
            }
            add_inferred(s, f->name, fa->name);
        }
        s->personal_records += maxrec;
    }
    for (size_t i = 0; m && i < m->ndecls; i++) {
        if (!ds_slist_has(&s->names, m->decls[i].name))
            ds_slist_add(&s->names, m->decls[i].name);
        add_inferred(s, NULL, m->decls[i].name);
    }
}

void ds_signals_free(ds_signals *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].file);
        free(s->v[i].field);
        free(s->v[i].type);
    }
    free(s->v);
    ds_slist_free(&s->files);
    ds_slist_free(&s->names);
    memset(s, 0, sizeof *s);
}
