/* checks: DPIA triggers (shared CHECKS.md §1b): the nine WP248 criteria and
 * the CNIL list of processing types (deliberation 2018-327), each reported
 * with its evidence, the score, and the DPIA checks of section G. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/checks_impl.h"
#include "checks/meta_text.h"
#include "common/mem.h"

typedef struct crit {
    int met;
    ds_buf ev;
} crit;

static void cev(crit *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cev(crit *c, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (c->ev.len)
        ds_buf_puts(&c->ev, "; ");
    ds_buf_puts(&c->ev, tmp);
}

/* First word of `words` found in any of the texts, or NULL. */
static const char *find_word(const char *const *texts, size_t n, const char *const *words)
{
    for (size_t i = 0; i < n; i++)
        for (size_t w = 0; texts[i] && words[w]; w++)
            if (ds_text_has_word(texts[i], words[w]) || ds_text_has_token(texts[i], words[w]))
                return words[w];
    return NULL;
}

static const char *find_name(const ds_slist *names, const char *const *toks)
{
    for (size_t i = 0; i < names->n; i++)
        for (size_t t = 0; toks[t]; t++)
            if (ds_text_has_token(names->v[i], toks[t]))
                return names->v[i];
    return NULL;
}

static void add_criterion(ds_checks *o, const char *id, const char *title, int met, const char *ev)
{
    o->dpia = ds_xrealloc(o->dpia, (o->ndpia + 1) * sizeof *o->dpia);
    ds_dpia_criterion *d = &o->dpia[o->ndpia++];
    d->id = ds_xstrdup(id);
    d->title = ds_xstrdup(title);
    d->met = met;
    d->evidence = ev && *ev ? ds_xstrdup(ev) : NULL;
}

static int size_cat_large(const char *s)
{
    static const char *const big[] = {"1M<n<10M", "10M<n<100M", "100M<n<1B", "1B<n<10B",
                                      "10B<n<100B", "100B<n<1T", "n>1T", NULL};
    for (size_t i = 0; s && big[i]; i++)
        if (!strcmp(s, big[i]))
            return 1;
    return 0;
}

void ds_dpia_evaluate(ds_ctx *c)
{
    const ds_meta *m = c->m;
    crit C[10];
    memset(C, 0, sizeof C);
    const char *purpose_texts[] = {m->purpose, m->description, m->name, NULL, NULL};
    ds_buf tasks = {0};
    for (size_t i = 0; i < m->tasks.n; i++)
        ds_buf_printf(&tasks, "%s ", m->tasks.v[i]);
    purpose_texts[3] = tasks.data;
    const size_t npt = 4;
    const char *w;
    const char *nm;

    /* C1 evaluation or scoring */
    static const char *const c1w[] = {"score", "scoring", "credit", "risk", "creditworthiness",
                                      "recruit", "recruitment", "hiring", "churn", "fraud",
                                      "profiling", NULL};
    if ((w = find_word(purpose_texts, npt, c1w)) != NULL) {
        C[1].met = 1;
        cev(&C[1], "purpose or description mentions '%s'", w);
    }
    static const char *const c1n[] = {"score", "credit", "risk", "rating", "churn", "fraud", NULL};
    if ((nm = find_name(&c->sig.names, c1n)) != NULL && c->personal) {
        C[1].met = 1;
        cev(&C[1], "field '%s' next to personal data", nm);
    }
    /* C2 automated decision */
    static const char *const c2w[] = {"eligibility", "loan", "loans", "insurance", "admission",
                                      "admissions", "hiring", NULL};
    if (m->dpia_automated == 1) {
        C[2].met = 1;
        cev(&C[2], "dpia.automated_decision: true");
    } else if ((w = find_word(purpose_texts, npt, c2w)) != NULL) {
        C[2].met = 1;
        cev(&C[2], "purpose mentions '%s'", w);
    }
    /* C3 systematic monitoring */
    static const char *const c3n[] = {"keystroke", "keystrokes", "badge", "cctv", "surveillance",
                                      "screenshot", NULL};
    if ((nm = find_name(&c->sig.names, c3n)) != NULL) {
        C[3].met = 1;
        cev(&C[3], "field '%s'", nm);
    }
    /* C4 sensitive or highly personal */
    if (c->art9) {
        C[4].met = 1;
        ds_buf b = {0};
        for (size_t i = 0; i < c->art9_cats.n; i++)
            ds_buf_printf(&b, "%s%s", i ? ", " : "", c->art9_cats.v[i]);
        cev(&C[4], "Art. 9 data: %s", b.data);
        ds_buf_free(&b);
    }
    if (c->art10) {
        C[4].met = 1;
        cev(&C[4], "Art. 10 criminal-offence data");
    }
    for (size_t i = 0; i < c->sig.n; i++) {
        const char *t = c->sig.v[i].type;
        if (!strcmp(t, "IBAN") || !strcmp(t, "CREDIT_CARD") || !strcmp(t, "GEO_COORDINATES") ||
            !strcmp(t, "PASSPORT") || !strcmp(t, "NATIONAL_ID") || strstr(t, "_NIR") ||
            strstr(t, "_SSN")) {
            C[4].met = 1;
            cev(&C[4], "highly personal: %s in '%s'", t, c->sig.v[i].field);
            break;
        }
    }
    static const char *const hp[] = {"financial", "location", "communications", NULL};
    for (size_t i = 0; hp[i]; i++)
        if (ds_slist_has(&m->categories, hp[i])) {
            C[4].met = 1;
            cev(&C[4], "declared category '%s'", hp[i]);
            break;
        }
    /* C5 large scale */
    if (m->scale_subjects >= 0 && (uint64_t)m->scale_subjects >= c->large_subjects) {
        C[5].met = 1;
        cev(&C[5], "scale.subjects %lld", (long long)m->scale_subjects);
    }
    if (c->personal && m->scale_records >= 0 && (uint64_t)m->scale_records >= c->large_records) {
        C[5].met = 1;
        cev(&C[5], "scale.records %lld", (long long)m->scale_records);
    }
    if (c->sig.personal_records >= c->large_records) {
        C[5].met = 1;
        cev(&C[5], "%llu records with personal findings",
            (unsigned long long)c->sig.personal_records);
    }
    if (c->personal && size_cat_large(m->size_category)) {
        C[5].met = 1;
        cev(&C[5], "size_categories %s", m->size_category);
    }
    if (c->personal) {
        static const char *const ws[] = {"web-scrape", NULL};
        int scr = 0;
        for (size_t i = 0; i < m->norigins; i++)
            scr |= m->origins[i].kind && !strcasecmp(m->origins[i].kind, ws[0]);
        for (size_t i = 0; i < m->methods.n; i++)
            scr |= ds_text_contains(m->methods.v[i], "scrap");
        if (scr) {
            C[5].met = 1;
            cev(&C[5], "web-scraped personal data");
        }
    }
    {
        char th[160];
        snprintf(th, sizeof th, "thresholds: %llu subjects, %llu records",
                 (unsigned long long)c->large_subjects, (unsigned long long)c->large_records);
        cev(&C[5], "%s", th);
    }
    c->c5 = C[5].met;
    /* C6 matching or combining */
    {
        ds_slist hosts = {0};
        for (size_t i = 0; i < m->norigins; i++) {
            char h[256];
            const char *u = m->origins[i].url;
            if (!u || !ds_text_is_identifier(u))
                continue;
            if (!ds_text_url_host(u, h, sizeof h))
                snprintf(h, sizeof h, "%s", u);
            if (!ds_slist_has(&hosts, h))
                ds_slist_add(&hosts, h);
        }
        if (hosts.n >= 2) {
            C[6].met = 1;
            cev(&C[6], "%zu sources from different origins", hosts.n);
        }
        ds_slist_free(&hosts);
        for (size_t i = 0; i < m->fk_fields.n; i++) {
            const char *type, *a9;
            ds_sig_kind kind;
            int direct;
            if (ds_sig_from_name(m->fk_fields.v[i], &type, &kind, &a9, &direct)) {
                C[6].met = 1;
                cev(&C[6], "foreign key on personal field '%s'", m->fk_fields.v[i]);
                break;
            }
        }
        for (size_t i = 0; i < c->sig.n && !C[6].met; i++) {
            const ds_sig *a = &c->sig.v[i];
            if (!a->direct || a->inferred || !a->file)
                continue;
            for (size_t j = i + 1; j < c->sig.n; j++) {
                const ds_sig *b = &c->sig.v[j];
                if (b->direct && !b->inferred && b->file && !strcmp(a->type, b->type) &&
                    strcmp(a->file, b->file) != 0) {
                    C[6].met = 1;
                    cev(&C[6], "%s in %s and %s", a->type, a->file, b->file);
                    break;
                }
            }
        }
    }
    /* C7 vulnerable subjects */
    static const char *const vuln[] = {"children", "minors", "pupils", "students", "employees",
                                       "patients", "elderly", "asylum-seekers", NULL};
    int employees = 0, patients = 0, children = 0;
    for (size_t i = 0; vuln[i]; i++)
        if (ds_slist_has(&m->subjects, vuln[i])) {
            C[7].met = 1;
            cev(&C[7], "data_subjects: %s", vuln[i]);
            employees |= !strcmp(vuln[i], "employees");
            patients |= !strcmp(vuln[i], "patients");
            children |= !strcmp(vuln[i], "children") || !strcmp(vuln[i], "minors") ||
                        !strcmp(vuln[i], "pupils");
        }
    static const char *const vn[] = {"pupil", "school", "child", "employee", "salary", "manager",
                                     "diagnosis", "icd10", "mrn", "patient", NULL};
    if ((nm = find_name(&c->sig.names, vn)) != NULL) {
        C[7].met = 1;
        cev(&C[7], "field '%s'", nm);
        employees |= ds_text_has_token(nm, "employee") || ds_text_has_token(nm, "salary");
        patients |= ds_text_has_token(nm, "patient") || ds_text_has_token(nm, "diagnosis");
    }
    for (size_t i = 0; i < m->texts.n && !children; i++)
        if (ds_text_has_phrase(m->texts.v[i], "under 18") ||
            ds_text_has_word(m->texts.v[i], "minors") || ds_text_has_word(m->texts.v[i], "children")) {
            C[7].met = 1;
            children = 1;
            cev(&C[7], "the card mentions minors");
        }
    /* C8 innovative use */
    if (m->dpia_innovative == 1) {
        C[8].met = 1;
        cev(&C[8], "dpia.innovative_use: true");
    }
    /* C9 access to a right, service or contract */
    static const char *const c9w[] = {"housing", "tenant", "tenants", "landlord", "landlords",
                                      "credit", "loan", "loans", "insurance", "eligibility",
                                      "rental", "benefits", NULL};
    if ((w = find_word(purpose_texts, npt, c9w)) != NULL) {
        C[9].met = 1;
        cev(&C[9], "purpose or description mentions '%s'", w);
    }
    static const char *const titles[] = {
        "",
        "evaluation or scoring",
        "automated decision with legal or similar effect",
        "systematic monitoring",
        "sensitive or highly personal data",
        "large-scale processing",
        "matching or combining datasets",
        "vulnerable data subjects",
        "innovative use",
        "prevents exercising a right or using a service"};
    int score = 0;
    ds_buf met = {0};
    for (int i = 1; i <= 9; i++) {
        char id[32];
        snprintf(id, sizeof id, "WP248-C%d", i);
        add_criterion(c->out, id, titles[i], C[i].met, C[i].ev.data);
        if (C[i].met) {
            score++;
            ds_buf_printf(&met, "%sC%d", met.len ? ", " : "", i);
        }
    }
    /* CNIL list (deliberation 2018-327), the types dsaudit can signal */
    const char *all_texts[] = {m->purpose, m->description, m->name, tasks.data, m->ctrl_name,
                               NULL, NULL, NULL};
    size_t nat = 5;
    for (size_t i = 0; i < m->norigins && nat < 7; i++)
        all_texts[nat++] = m->origins[i].title;
    int health = ds_slist_has(&c->art9_cats, "health");
    static const char *const care[] = {"hospital", "clinic", "clinical", "ehr", "care", NULL};
    static const char *const reg[] = {"registry", "warehouse", "cohort", NULL};
    static const char *const contract[] = {"contract", "credit", "insurance", "tenant", "tenants",
                                           "loan", "loans", "landlords", "rental", NULL};
    static const char *const excl[] = {"default", "unpaid", "blacklist", "fraud", NULL};
    static const char *const housing[] = {"housing", "tenant", "tenants", "landlord", "landlords",
                                          "hlm", NULL};
    static const char *const social[] = {"disability", "caseworker", "welfare", NULL};
    static const char *const ext[] = {"third-party", "data-broker", "web-scrape", NULL};
    int ext_src = 0;
    for (size_t i = 0; i < m->norigins; i++)
        for (size_t k = 0; ext[k]; k++)
            ext_src |= m->origins[i].kind && !strcasecmp(m->origins[i].kind, ext[k]);
    int geo = 0;
    for (size_t i = 0; i < c->sig.n; i++)
        geo |= !strcmp(c->sig.v[i].type, "GEO_COORDINATES");
    struct {
        int met;
        const char *title;
    } L[15] = {{0, ""},
               {health && patients && find_word(all_texts, nat, care),
                "health data processed for patient care"},
               {ds_slist_has(&c->art9_cats, "genetic") && C[7].met, "genetic data of vulnerable persons"},
               {employees && C[1].met, "HR profiling"},
               {employees && C[3].met, "constant monitoring of employees"},
               {0, "alerts in social and health matters"},
               {0, "professional whistleblowing"},
               {health && C[5].met && find_word(all_texts, nat, reg) != NULL,
                "health data warehouse or registry"},
               {C[1].met && find_word(all_texts, nat, contract) != NULL,
                "profiling that may exclude from a contract"},
               {(find_word(all_texts, nat, excl) != NULL || find_name(&c->sig.names, excl) != NULL) &&
                    C[6].met,
                "pooled records of contract breaches"},
               {C[1].met && ext_src, "profiling with data from external sources"},
               {ds_slist_has(&c->art9_cats, "biometric") && C[7].met,
                "biometric identification of vulnerable persons"},
               {find_word(all_texts, nat, housing) != NULL || find_name(&c->sig.names, housing) != NULL,
                "social housing applications and management"},
               {find_name(&c->sig.names, social) != NULL, "social or medico-social support"},
               {geo && C[5].met, "large-scale location data"}};
    (void)children;
    ds_buf cnil = {0};
    for (int i = 1; i <= 14; i++) {
        char id[32];
        snprintf(id, sizeof id, "CNIL-%d", i);
        int met_i = L[i].met ? 1 : 0;
        add_criterion(c->out, id, L[i].title, met_i, met_i ? "signals matched (see the WP248 criteria)" : NULL);
        if (met_i)
            ds_buf_printf(&cnil, "%s%d", cnil.len ? ", " : "", i);
    }
    c->out->dpia_score = score;
    const char *st = m->dpia_status;
    int done = st && !strcasecmp(st, "done");
    int sens = (c->art9 || c->art10) && C[5].met;
    c->out->dpia_required = score >= 2 || cnil.len || sens;

    ds_chk k = {0};
    k.sev = DS_SEV_HIGH;
    if (!sens) {
        k.st = DS_CHECK_NA;
        ds_buf_printf(&k.ev, "%s", (c->art9 || c->art10) ? "special-category or offence data, not at large scale"
                                                        : "no special-category or offence data");
    } else if (done) {
        k.st = DS_CHECK_PASS;
        ds_buf_printf(&k.ev, "DPIA done%s%s", m->dpia_ref ? ": " : "", m->dpia_ref ? m->dpia_ref : "");
    } else {
        k.st = DS_CHECK_FAIL;
        ds_buf_printf(&k.ev, "Art. 9/10 data at large scale (%s); dpia.status %s", C[5].ev.data,
                      st ? st : "not stated");
    }
    ds_chk_add(c, "DPIA-SENSITIVE-DATA", &k);

    k.sev = DS_SEV_HIGH;
    if (score < 2 && !cnil.len) {
        k.st = DS_CHECK_PASS;
        ds_buf_printf(&k.ev, "score %d%s%s", score, met.len ? " (" : "", met.len ? met.data : "");
        if (met.len)
            ds_buf_puts(&k.ev, ")");
    } else {
        k.st = done ? DS_CHECK_PASS : DS_CHECK_FAIL;
        ds_buf_printf(&k.ev, "score %d (%s)", score, met.len ? met.data : "none");
        if (cnil.len)
            ds_buf_printf(&k.ev, "; CNIL list types %s", cnil.data);
        ds_buf_printf(&k.ev, "; dpia.status %s", st ? st : "not stated");
    }
    ds_chk_add(c, "DPIA-REQUIRED-NOT-DECLARED", &k);

    k.sev = DS_SEV_LOW;
    if (score == 1 && !cnil.len && !st) {
        k.st = DS_CHECK_FAIL;
        ds_buf_printf(&k.ev, "one criterion met (%s) and no dpia.status", met.data);
    } else {
        k.st = score == 1 ? DS_CHECK_PASS : DS_CHECK_NA;
        ds_buf_printf(&k.ev, "score %d%s%s", score, st ? ", dpia.status " : "", st ? st : "");
    }
    ds_chk_add(c, "DPIA-CONSIDER", &k);

    long dd, md;
    k.sev = DS_SEV_LOW;
    if (m->dpia_date && m->date_modified && ds_date_parse(m->dpia_date, &dd) == 0 &&
        ds_date_parse(m->date_modified, &md) == 0) {
        k.st = dd < md ? DS_CHECK_FAIL : DS_CHECK_PASS;
        ds_buf_printf(&k.ev, "DPIA %s, dataset modified %.10s", m->dpia_date, m->date_modified);
    } else {
        k.st = DS_CHECK_NA;
        ds_buf_printf(&k.ev, "no DPIA date or modification date to compare");
    }
    ds_chk_add(c, "DPIA-STALE", &k);

    for (int i = 0; i < 10; i++)
        ds_buf_free(&C[i].ev);
    ds_buf_free(&met);
    ds_buf_free(&cnil);
    ds_buf_free(&tasks);
}
