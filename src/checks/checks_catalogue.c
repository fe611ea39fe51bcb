/* checks: the check catalogue of shared CHECKS.md §1a (sections A-F; the
 * DPIA section G is in dpia.c), evaluated over the merged metadata and the
 * content signals. Each check gets a stable id, a status, a severity, the
 * evidence and its basis. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/checks_impl.h"
#include "checks/meta_text.h"
#include "common/mem.h"

typedef struct cat_entry {
    const char *id, *title, *basis, *remedy;
} cat_entry;

static const cat_entry CATALOGUE[] = {
#define X(id, title, basis, remedy) {id, title, basis, remedy},
#include "checks/catalogue.def"
#undef X
};
#define NCAT (sizeof CATALOGUE / sizeof CATALOGUE[0])

/* Checks evaluated from the content alone when there is no metadata. */
static const char *const CONTENT_ONLY[] = {
    "META-NO-METADATA", "REUSE-BREACH-ORIGIN", "REUSE-CRIMINAL-DATA", "MIN-METADATA-PERSONAL",
    "ART9-CONDITION-MISSING", "ACCESS-OPEN-SENSITIVE", "DPIA-SENSITIVE-DATA",
    "DPIA-REQUIRED-NOT-DECLARED", "DPIA-CONSIDER", NULL};

static void kset(ds_chk *k, ds_check_status st, ds_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void kset(ds_chk *k, ds_check_status st, ds_severity sev, const char *fmt, ...)
{
    k->st = st;
    k->sev = sev;
    ds_buf_reset(&k->ev);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        char tmp[4096];
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        ds_buf_puts(&k->ev, tmp);
    }
}

void ds_chk_add(ds_ctx *c, const char *id, ds_chk *k)
{
    const cat_entry *e = NULL;
    for (size_t i = 0; i < NCAT && !e; i++)
        if (strcmp(CATALOGUE[i].id, id) == 0)
            e = &CATALOGUE[i];
    if (!e)
        abort(); /* every id is in catalogue.def */
    if (!c->have_meta) {
        int content = 0;
        for (size_t i = 0; CONTENT_ONLY[i] && !content; i++)
            content = strcmp(CONTENT_ONLY[i], id) == 0;
        if (!content)
            kset(k, DS_CHECK_NA, k->sev, "%s",
                 c->meta_error ? "the metadata could not be read" : "no metadata to check");
        else if (k->st == DS_CHECK_FAIL && !k->blocker &&
                 !(c->meta_error && !strcmp(id, "META-NO-METADATA")))
            k->st = DS_CHECK_WARN; /* advisory without metadata; findings gate the scan */
    }
    ds_checks *o = c->out;
    o->v = ds_xrealloc(o->v, (o->n + 1) * sizeof *o->v);
    ds_check *d = &o->v[o->n++];
    memset(d, 0, sizeof *d);
    d->id = ds_xstrdup(e->id);
    d->title = ds_xstrdup(e->title);
    d->status = k->st;
    d->blocker = k->blocker && k->st == DS_CHECK_FAIL;
    d->severity = d->blocker ? DS_SEV_HIGH : k->sev;
    d->evidence = k->ev.len ? ds_xstrdup(k->ev.data) : NULL;
    d->basis = ds_xstrdup(e->basis);
    d->remedy = k->st == DS_CHECK_FAIL || k->st == DS_CHECK_WARN ? ds_xstrdup(e->remedy) : NULL;
    ds_buf_free(&k->ev);
    memset(k, 0, sizeof *k);
}

/* ---- helpers ------------------------------------------------------------------------ */

static int empty(const char *s) { return !s || !*s; }

static int is_none(const char *s)
{
    return empty(s) || !strcasecmp(s, "none") || !strcasecmp(s, "n/a") || !strcasecmp(s, "no") ||
           !strcasecmp(s, "unknown") || !strcasecmp(s, "null");
}

static int any_kind(const ds_meta *m, const char *const *kinds, const char **hit)
{
    for (size_t i = 0; i < m->norigins; i++)
        for (size_t k = 0; kinds[k]; k++)
            if (m->origins[i].kind && !strcasecmp(m->origins[i].kind, kinds[k])) {
                if (hit)
                    *hit = m->origins[i].kind;
                return 1;
            }
    return 0;
}

static int scraping(const ds_meta *m)
{
    static const char *const k[] = {"web-scrape", NULL};
    for (size_t i = 0; i < m->methods.n; i++)
        if (ds_text_contains(m->methods.v[i], "scrap") || ds_text_contains(m->methods.v[i], "crawl"))
            return 1;
    return any_kind(m, k, NULL);
}

static void join(ds_buf *b, const ds_slist *l, const char *sep)
{
    for (size_t i = 0; i < l->n; i++)
        ds_buf_printf(b, "%s%s", i ? sep : "", l->v[i]);
}

static const char *sev_word(int personal) { return personal ? "personal data present" : "no personal data known"; }

/* ---- licences ----------------------------------------------------------------------- */

static void license_norm(const char *s, char *out, size_t cap)
{
    const char *p;
    if ((p = strstr(s, "spdx.org/licenses/")) != NULL) {
        snprintf(out, cap, "%s", p + 18);
        char *h = strstr(out, ".html");
        if (h)
            *h = 0;
    } else if ((p = strstr(s, "creativecommons.org/licenses/")) != NULL) {
        char kind[64] = "", ver[16] = "";
        sscanf(p + 29, "%63[^/]/%15[^/]", kind, ver);
        snprintf(out, cap, "cc-%s-%s", kind, ver);
    } else if (strstr(s, "creativecommons.org/publicdomain/zero/")) {
        snprintf(out, cap, "cc0-1.0");
    } else {
        snprintf(out, cap, "%s", s);
    }
    for (char *q = out; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    size_t n = strlen(out);
    while (n && out[n - 1] == '/')
        out[--n] = 0;
}

static int license_known(const ds_meta *m, const char *l)
{
    static const char *const hosts[] = {"spdx.org/licenses/", "creativecommons.org/",
                                        "opensource.org/licenses", "opendatacommons.org/licenses",
                                        "apache.org/licenses", "gnu.org/licenses",
                                        "etalab.gouv.fr", NULL};
    for (size_t i = 0; hosts[i]; i++)
        if (strstr(l, hosts[i]))
            return 1;
    if (!strcasecmp(l, "other"))
        return !empty(m->license_name) && !empty(m->license_link);
    if (strncasecmp(l, "LicenseRef-", 11) == 0)
        return 1;
    static const char *const fam[] = {
        "cc-by", "cc0", "cc-by-sa", "cc-by-nc", "cc-by-nd", "apache-", "mit", "bsd-", "0bsd",
        "gpl-", "lgpl-", "agpl-", "mpl-", "afl-", "odc-by", "odbl", "pddl", "cdla-", "openrail",
        "artistic-", "epl-", "isc", "unlicense", "wtfpl", "bigscience-", "llama", "c-uda", "ecl-",
        "eupl-", "osl-", "ofl-", "zlib", "lppl-", "bigcode-", "creativeml-", "etalab-", "lo-",
        "deepfloyd-", "gfdl", "bsl-", "cc-by-nc-sa", "cc-by-nc-nd", "pddl-", "odc-", "gemma",
        "intel-research", "apple-", "ms-pl", "ncsa", "postgresql", "python-", "unicode-",
        NULL};
    size_t n = strlen(l);
    if (n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)l[i]) && l[i] != '-' && l[i] != '.' && l[i] != '+')
            return 0;
    for (size_t i = 0; fam[i]; i++)
        if (strncasecmp(l, fam[i], strlen(fam[i])) == 0)
            return 1;
    return 0;
}

/* ---- per-section evaluation ---------------------------------------------------------- */

static int is_generic_source(const char *t)
{
    static const char *const vague[] = {"internet", "web", "various", "several", "online",
                                        "unknown", "n/a", "multiple", "many", "misc",
                                        "miscellaneous", "public sources", NULL};
    if (!t)
        return 1;
    if (ds_text_word_count(t) <= 2 && !ds_text_is_identifier(t))
        return 1;
    for (size_t i = 0; vague[i]; i++)
        if (ds_text_has_phrase(t, vague[i]))
            return 1;
    return 0;
}

static void section_a(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    /* META-NO-METADATA */
    if (c->meta_error) {
        kset(&k, DS_CHECK_FAIL, c->personal ? DS_SEV_HIGH : DS_SEV_MEDIUM,
             "metadata could not be read: %s", c->meta_error);
    } else if (!c->have_meta) {
        ds_buf where = {0};
        for (size_t i = 0; i < c->o->nroots; i++)
            ds_buf_printf(&where, "%s%s", i ? ", " : "", c->o->roots[i]);
        kset(&k, DS_CHECK_FAIL, c->personal ? DS_SEV_HIGH : DS_SEV_MEDIUM,
             "no Croissant file, dataset card, datapackage.json or .dsaudit.yml%s%s (%s)",
             where.len ? " in " : " (no directory scanned)", where.len ? where.data : "",
             sev_word(c->personal));
        ds_buf_free(&where);
    } else {
        ds_buf b = {0};
        for (size_t i = 0; i < c->nmetas; i++)
            ds_buf_printf(&b, "%s%s (%s%s)", i ? ", " : "", c->metas[i].path, c->metas[i].format,
                          c->metas[i].embedded ? " + dsaudit block" : "");
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "%s", b.data);
        ds_buf_free(&b);
    }
    ds_chk_add(c, "META-NO-METADATA", &k);

    /* META-SOURCE-MISSING */
    if (!m->norigins && !m->derived_from.n)
        kset(&k, DS_CHECK_FAIL, c->personal ? DS_SEV_HIGH : DS_SEV_MEDIUM,
             "no source.origin or source.derived_from (%s)", sev_word(c->personal));
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "%zu source%s stated", m->norigins + m->derived_from.n,
             m->norigins + m->derived_from.n == 1 ? "" : "s");
    ds_chk_add(c, "META-SOURCE-MISSING", &k);

    /* META-SOURCE-VAGUE */
    if (!m->norigins) {
        kset(&k, m->derived_from.n ? DS_CHECK_PASS : DS_CHECK_NA, DS_SEV_MEDIUM, "%s",
             m->derived_from.n ? "sources given as dataset identifiers" : "no source stated");
    } else {
        int vague = 1;
        for (size_t i = 0; i < m->norigins && vague; i++) {
            const ds_meta_origin *o = &m->origins[i];
            if ((o->url && ds_text_is_identifier(o->url)) || ds_text_is_identifier(o->title) ||
                !is_generic_source(o->title))
                vague = 0;
        }
        if (vague) {
            const char *t = m->origins[0].title ? m->origins[0].title : "";
            kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "no URL or identifier, only generic words: \"%.120s%s\"",
                 t, strlen(t) > 120 ? "..." : "");
        } else {
            kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "at least one source is named or has a URL");
        }
    }
    ds_chk_add(c, "META-SOURCE-VAGUE", &k);

    /* REUSE-BREACH-ORIGIN */
    ds_breach_evaluate(c, &k);
    ds_chk_add(c, "REUSE-BREACH-ORIGIN", &k);

    /* REUSE-CRIMINAL-DATA */
    if (c->art10) {
        ds_buf ev = {0};
        for (size_t i = 0; i < c->sig.n; i++)
            if (c->sig.v[i].kind == DS_SIG_CRIMINAL)
                ds_buf_printf(&ev, "%s'%s'%s", ev.len ? ", " : "field ", c->sig.v[i].field,
                              c->sig.v[i].inferred ? " (by name)" : "");
        if (m->criminal == 1)
            ds_buf_printf(&ev, "%spersonal_data.criminal_offence_data: true", ev.len ? "; " : "");
        static const char *const third[] = {"third-party", "data-broker", "public-dataset",
                                            "web-scrape", NULL};
        const char *kind = NULL;
        if (is_none(m->art10)) {
            k.blocker = 1;
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "%s; no legal_basis.art10_authority", ev.data);
        } else if (any_kind(m, third, &kind)) {
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "%s; authority '%s' declared but a source is %s",
                 ev.data, m->art10, kind);
        } else {
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "%s; authority: %s", ev.data, m->art10);
        }
        ds_buf_free(&ev);
    } else {
        kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "no criminal-offence data found or declared");
    }
    ds_chk_add(c, "REUSE-CRIMINAL-DATA", &k);

    /* REUSE-SENSITIVE-DATA */
    static const char *const reused[] = {"public-dataset", "third-party", "data-broker",
                                         "web-scrape", NULL};
    const char *rk = NULL;
    if (!c->art9) {
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no special-category data found or declared");
    } else if (any_kind(m, reused, &rk)) {
        ds_buf b = {0};
        join(&b, &c->art9_cats, ", ");
        kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "special categories (%s) in data from a %s source",
             b.data, rk);
        ds_buf_free(&b);
    } else {
        kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "special categories present; no re-used source kind");
    }
    ds_chk_add(c, "REUSE-SENSITIVE-DATA", &k);

    /* REUSE-LEGALITY-DOUBT */
    {
        ds_buf ev = {0};
        for (size_t i = 0; i < m->norigins; i++) {
            char host[256];
            const char *why;
            const char *u = m->origins[i].url ? m->origins[i].url : m->origins[i].title;
            if (u && ds_text_url_host(u, host, sizeof host) && ds_breach_doubtful_host(host, &why))
                ds_buf_printf(&ev, "%ssource host %s (%s)", ev.len ? "; " : "", host, why);
        }
        if (m->legality_checked == 0)
            ds_buf_printf(&ev, "%sreuse.legality_checked: false", ev.len ? "; " : "");
        if (ev.len)
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "%s", ev.data);
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "no dark-web, leak-forum or paste host among the sources");
        ds_buf_free(&ev);
    }
    ds_chk_add(c, "REUSE-LEGALITY-DOUBT", &k);

    /* REUSE-SANCTIONED-SOURCE: built-in "withdrawn" seeds */
    {
        static const char *const withdrawn[] = {"ms-celeb-1m", "msceleb", "ms celeb", "dukemtmc",
                                                "80 million tiny images", "tiny images", NULL};
        const char *hit = NULL;
        for (size_t i = 0; i < m->norigins && !hit; i++)
            for (size_t w = 0; withdrawn[w] && !hit; w++)
                if (ds_text_contains(m->origins[i].title, withdrawn[w]) ||
                    ds_text_contains(m->origins[i].url, withdrawn[w]))
                    hit = withdrawn[w];
        for (size_t i = 0; i < m->derived_from.n && !hit; i++)
            for (size_t w = 0; withdrawn[w] && !hit; w++)
                if (ds_text_contains(m->derived_from.v[i], withdrawn[w]))
                    hit = withdrawn[w];
        if (hit)
            kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "source matches the withdrawn dataset '%s'", hit);
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "no source on the built-in withdrawn list");
    }
    ds_chk_add(c, "REUSE-SANCTIONED-SOURCE", &k);

    /* REUSE-THIRD-PARTY-NO-AGREEMENT */
    static const char *const third2[] = {"third-party", "data-broker", NULL};
    if (!any_kind(m, third2, &rk))
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no third-party or data-broker source");
    else if (is_none(m->agreement))
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "a source of kind %s and no reuse.agreement", rk);
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "agreement: %s", m->agreement);
    ds_chk_add(c, "REUSE-THIRD-PARTY-NO-AGREEMENT", &k);

    /* REUSE-FURTHER-PROCESSING-NO-COMPAT */
    static const char *const own[] = {"first-party-reuse", NULL};
    if (!any_kind(m, own, NULL))
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no source of kind first-party-reuse");
    else if (m->art6 && (!strcasecmp(m->art6, "consent") || !strcasecmp(m->art6, "legal-obligation")))
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "legal basis %s", m->art6);
    else if (empty(m->compat_ref))
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM,
             "own data re-used for a new purpose and no legal_basis.compatibility_assessment");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "compatibility assessment: %s", m->compat_ref);
    ds_chk_add(c, "REUSE-FURTHER-PROCESSING-NO-COMPAT", &k);

    /* LICENSE-MISSING / LICENSE-UNRECOGNISED */
    if (!m->licenses.n)
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "no licence stated");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "licence: %s", m->licenses.v[0]);
    ds_chk_add(c, "LICENSE-MISSING", &k);
    if (!m->licenses.n) {
        kset(&k, DS_CHECK_NA, DS_SEV_LOW, "no licence stated");
    } else {
        const char *bad = NULL;
        for (size_t i = 0; i < m->licenses.n && !bad; i++)
            if (!license_known(m, m->licenses.v[i]))
                bad = m->licenses.v[i];
        if (bad && !strcasecmp(bad, "other"))
            kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "licence 'other' without license_name and license_link");
        else if (bad)
            kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "licence '%.80s' is not an SPDX id or licence URL", bad);
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "licence recognised");
    }
    ds_chk_add(c, "LICENSE-UNRECOGNISED", &k);

    /* META-CONFLICT */
    {
        ds_buf ev = {0};
        for (size_t i = 0; i < c->nmetas; i++)
            for (size_t j = i + 1; j < c->nmetas; j++) {
                const ds_meta *a = &c->metas[i], *b = &c->metas[j];
                if (a->licenses.n && b->licenses.n) {
                    char la[256], lb[256];
                    license_norm(a->licenses.v[0], la, sizeof la);
                    license_norm(b->licenses.v[0], lb, sizeof lb);
                    if (strcmp(la, lb) != 0)
                        ds_buf_printf(&ev, "%slicence %s (%s) vs %s (%s)", ev.len ? "; " : "",
                                      la, a->format, lb, b->format);
                }
                if ((a->pd_present == 0 && (b->pd_present == 1 || b->npfields)) ||
                    (b->pd_present == 0 && (a->pd_present == 1 || a->npfields)))
                    ds_buf_printf(&ev, "%s%s and %s disagree on personal data", ev.len ? "; " : "",
                                  a->format, b->format);
            }
        if (ev.len)
            kset(&k, DS_CHECK_WARN, DS_SEV_INFO, "%s", ev.data);
        else
            kset(&k, c->nmetas > 1 ? DS_CHECK_PASS : DS_CHECK_NA, DS_SEV_INFO, "%s",
                 c->nmetas > 1 ? "the metadata files agree" : "one metadata source");
        ds_buf_free(&ev);
    }
    ds_chk_add(c, "META-CONFLICT", &k);
}

static int purpose_generic(const char *s)
{
    static const char *const gen[] = {"ai", "machine", "learning", "ml", "research", "training",
                                      "llm", "llms", "model", "models", "data", "for", "the",
                                      "a", "an", "of", "to", "and", "dataset", "deep", "train",
                                      "purposes", "general", "use", "in", "artificial",
                                      "intelligence", "development", NULL};
    char buf[4096];
    size_t n = ds_text_tokens(s, buf, sizeof buf);
    const char *p = buf;
    for (size_t i = 0; i < n; i++) {
        int g = 0;
        for (size_t k = 0; gen[k] && !g; k++)
            g = strcmp(p, gen[k]) == 0;
        if (!g)
            return 0;
        p += strlen(p) + 1;
    }
    return 1;
}

static int art6_valid(const char *s)
{
    static const char *const ok[] = {"consent", "contract", "legal-obligation", "vital-interests",
                                     "public-task", "legitimate-interests", NULL};
    for (size_t i = 0; ok[i]; i++)
        if (!strcasecmp(s, ok[i]))
            return 1;
    if (strncasecmp(s, "eu-gdpr:A6-1-", 13) == 0 && s[13] >= 'a' && s[13] <= 'f')
        return 1;
    return 0;
}

static void section_b(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    if (empty(m->purpose) && !m->intended_uses.n)
        kset(&k, DS_CHECK_FAIL, c->personal ? DS_SEV_HIGH : DS_SEV_LOW,
             "no purpose.statement or intended uses (%s)", sev_word(c->personal));
    else
        kset(&k, DS_CHECK_PASS, c->personal ? DS_SEV_HIGH : DS_SEV_LOW, "purpose stated");
    ds_chk_add(c, "PURPOSE-MISSING", &k);

    if (empty(m->purpose)) {
        kset(&k, DS_CHECK_NA, DS_SEV_LOW, "no purpose statement");
    } else {
        size_t w = ds_text_word_count(m->purpose);
        if (w < 8 || purpose_generic(m->purpose))
            kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "\"%.100s%s\" (%zu word%s%s)", m->purpose,
                 strlen(m->purpose) > 100 ? "..." : "", w, w == 1 ? "" : "s",
                 purpose_generic(m->purpose) ? ", generic terms only" : ", fewer than 8");
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "%zu words", w);
    }
    ds_chk_add(c, "PURPOSE-VAGUE", &k);

    if (!c->personal)
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no personal data found or declared");
    else if (empty(m->art6))
        kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "personal data present and no legal_basis.art6");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "legal basis: %s", m->art6);
    ds_chk_add(c, "LEGAL-BASIS-MISSING", &k);

    if (empty(m->art6))
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no legal basis stated");
    else if (!art6_valid(m->art6))
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "'%.80s' is not an Art. 6(1) basis", m->art6);
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "%s", m->art6);
    ds_chk_add(c, "LEGAL-BASIS-INVALID", &k);

    if (empty(m->art6) || strcasecmp(m->art6, "legitimate-interests") != 0)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "legal basis is not legitimate interests");
    else if (!is_none(m->assessment_ref))
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "assessment: %s", m->assessment_ref);
    else if (m->art6_native == 1)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM,
             "legal basis from dpv:hasLegalBasis, which has no place for an assessment reference; "
             "add dsaudit:legalBasis with assessment_ref");
    else
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "legitimate interests without legal_basis.assessment_ref");
    ds_chk_add(c, "LEGAL-BASIS-LI-NO-ASSESSMENT", &k);

    ds_buf cats = {0};
    join(&cats, &c->art9_cats, ", ");
    if (!c->art9) {
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no special-category data found or declared");
    } else {
        const char *a = m->art9;
        int ok = a && strlen(a) == 1 && tolower((unsigned char)a[0]) >= 'a' &&
                 tolower((unsigned char)a[0]) <= 'j';
        if (!ok && a && (strncasecmp(a, "9(2)(", 5) == 0 || strncasecmp(a, "art9-2-", 7) == 0))
            ok = 1;
        if (ok)
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "%s; Art. 9(2)(%s)", cats.data, a);
        else
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "special categories (%s) and art9_condition %s",
                 cats.data, empty(a) ? "not stated" : a);
    }
    ds_chk_add(c, "ART9-CONDITION-MISSING", &k);
    ds_buf_free(&cats);

    /* ART9-UNDECLARED: content findings only */
    {
        ds_buf ev = {0};
        int content = 0;
        for (size_t i = 0; i < c->sig.n; i++) {
            const ds_sig *g = &c->sig.v[i];
            if (g->kind != DS_SIG_SENSITIVE || g->inferred)
                continue;
            content = 1;
            if (!ds_slist_has(&m->special, g->art9))
                ds_buf_printf(&ev, "%s%s in %s '%s'", ev.len ? ", " : "", g->type, g->file, g->field);
        }
        if (ev.len)
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "%s not in personal_data.special_categories", ev.data);
        else
            kset(&k, content ? DS_CHECK_PASS : DS_CHECK_NA, DS_SEV_HIGH, "%s",
                 content ? "special categories found are declared"
                         : "no special-category findings in the content");
        ds_buf_free(&ev);
    }
    ds_chk_add(c, "ART9-UNDECLARED", &k);
}

static void section_c(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    if (!c->personal)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no personal data found or declared");
    else if (!m->methods.n)
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "personal data present and no collection.method");
    else {
        ds_buf b = {0};
        join(&b, &m->methods, ", ");
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "%s", b.data);
        ds_buf_free(&b);
    }
    ds_chk_add(c, "COLLECT-METHOD-MISSING", &k);

    if (empty(m->coll_start) && empty(m->coll_end))
        kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "no collection.start or collection.end");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "%s to %s", m->coll_start ? m->coll_start : "?",
             m->coll_end ? m->coll_end : "?");
    ds_chk_add(c, "COLLECT-DATES-MISSING", &k);

    int scr = scraping(m);
    if (!scr) {
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no web scraping declared");
    } else if (!c->personal) {
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "web scraping, no personal data found or declared");
    } else {
        static const char *const cues[] = {"robots", "opt-out", "optout", "objected", "object",
                                           "criteria", "excluded", "filtered", "removed",
                                           "deleted", "allowlist", "blocklist", NULL};
        int safe = !empty(m->scr_criteria) || m->scr_excluded.n || m->scr_robots == 1 ||
                   !empty(m->scr_optout) || m->scr_deleted == 1 ||
                   (m->coll_text && ds_text_has_any_word(m->coll_text, cues));
        if (safe)
            kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "scraping safeguards documented");
        else
            kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM,
                 "web scraping of personal data and no criteria, excluded sources, robots.txt/opt-out "
                 "or deletion of irrelevant data documented");
    }
    ds_chk_add(c, "SCRAPE-NO-SAFEGUARDS", &k);

    if (!scr) {
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no web scraping declared");
    } else {
        static const char *const sens[] = {"health", "medical", "patient", "patients", "clinic",
                                           "hospital", "dating", "religion", "religious", "church",
                                           "mosque", "political", "lgbt", "lgbtq", "gay", "sexual",
                                           "porn", "children", "kids", "school", "hiv", "mental",
                                           NULL};
        const char *hit = NULL;
        const char *where = NULL;
        static const char *const sites[] = {"forum", "forums", "site", "sites", "website",
                                            "websites", "board", "boards", "subreddit",
                                            "subreddits", "app", "apps", "community",
                                            "communities", NULL};
        for (size_t i = 0; i < m->norigins && !hit; i++)
            for (size_t s = 0; sens[s] && !hit; s++) {
                /* in a URL, the word alone; in a description, "<word> forums" etc. */
                int in_title = 0;
                for (size_t w = 0; sites[w] && !in_title; w++) {
                    char ph[64];
                    snprintf(ph, sizeof ph, "%s %s", sens[s], sites[w]);
                    in_title = ds_text_has_phrase(m->origins[i].title, ph);
                }
                if (in_title || ds_text_has_word(m->origins[i].url, sens[s])) {
                    hit = sens[s];
                    where = m->origins[i].url ? m->origins[i].url : m->origins[i].title;
                }
            }
        if (hit)
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "scraped source about '%s': \"%.100s%s\"", hit,
                 where, strlen(where) > 100 ? "..." : "");
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "no sensitive-site keyword in the scraped sources");
    }
    ds_chk_add(c, "SCRAPE-SENSITIVE-SITES", &k);
}

static int pfield_declared(const ds_meta *m, const char *field, int need_justification)
{
    const char *last = strrchr(field, '.');
    const char *slash = strrchr(field, '/');
    if (slash && (!last || slash > last))
        last = slash;
    for (size_t i = 0; i < m->npfields; i++) {
        const char *n = m->pfields[i].name;
        if (!strcasecmp(n, field) || (last && !strcasecmp(n, last + 1)))
            return !need_justification || !empty(m->pfields[i].justification);
    }
    return 0;
}

static void section_d(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    /* MIN-UNDECLARED-PERSONAL-FIELD */
    {
        ds_slist names = {0};
        int high = 0;
        for (size_t i = 0; i < c->sig.n; i++) {
            const ds_sig *g = &c->sig.v[i];
            if (!g->inferred && g->hits < 10 && g->total && g->records * 100 < g->total)
                continue; /* under the threshold: < 10 hits and < 1 % of rows */
            if (pfield_declared(m, g->field, 0))
                continue;
            if (m->pd_text && ds_text_has_phrase(m->pd_text, g->field))
                continue;
            if (!ds_slist_has(&names, g->field)) {
                ds_slist_add(&names, g->field);
                if (g->kind == DS_SIG_SENSITIVE || g->kind == DS_SIG_CRIMINAL)
                    high = 1;
            }
        }
        if (names.n) {
            ds_buf b = {0};
            join(&b, &names, ", ");
            kset(&k, DS_CHECK_FAIL, high ? DS_SEV_HIGH : DS_SEV_MEDIUM,
                 "fields with personal data not in personal_data.fields: %s", b.data);
            ds_buf_free(&b);
        } else {
            kset(&k, c->sig.n ? DS_CHECK_PASS : DS_CHECK_NA, DS_SEV_MEDIUM, "%s",
                 c->sig.n ? "every field with personal data is declared" : "no field with personal data");
        }
        ds_slist_free(&names);
    }
    ds_chk_add(c, "MIN-UNDECLARED-PERSONAL-FIELD", &k);

    /* MIN-PERSONAL-DATA-DENIED */
    if (m->pd_present != 0) {
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "the metadata does not say there is no personal data");
    } else {
        ds_buf ev = {0};
        for (size_t i = 0; i < c->sig.n && ev.len < 300; i++)
            ds_buf_printf(&ev, "%s%s '%s'%s", ev.len ? ", " : "", c->sig.v[i].type,
                          c->sig.v[i].field, c->sig.v[i].inferred ? " (by name)" : "");
        if (ev.len)
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "declared: no personal data; found: %s", ev.data);
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "declared: no personal data; none found");
        ds_buf_free(&ev);
    }
    ds_chk_add(c, "MIN-PERSONAL-DATA-DENIED", &k);

    /* MIN-DIRECT-IDENTIFIER: content findings only */
    {
        ds_buf ev = {0};
        size_t shown = 0, more = 0;
        for (size_t i = 0; i < c->sig.n; i++) {
            const ds_sig *g = &c->sig.v[i];
            if (!g->direct || g->inferred || !g->hits)
                continue;
            int dup = 0; /* one entry per (file, field): its first direct type */
            for (size_t j = 0; j < i && !dup; j++) {
                const ds_sig *h = &c->sig.v[j];
                dup = h->direct && !h->inferred && h->hits && h->file && g->file &&
                      !strcmp(h->file, g->file) && !strcmp(h->field, g->field);
            }
            if (dup)
                continue;
            if (shown == 6) {
                more++;
                continue;
            }
            ds_buf_printf(&ev, "%s%s in %s '%s'", ev.len ? ", " : "", g->type, g->file, g->field);
            shown++;
        }
        if (more)
            ds_buf_printf(&ev, " and %zu more field%s", more, more == 1 ? "" : "s");
        int needs = !is_none(m->pseudonymisation) || m->requires_identity != 1;
        if (!ev.len)
            kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no direct identifier found in the content");
        else if (needs)
            kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "direct identifiers in clear: %s (%s)", ev.data,
                 !is_none(m->pseudonymisation) ? "pseudonymisation is declared"
                                               : "purpose.requires_identity is not true");
        else
            kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "the purpose requires identity: %s", ev.data);
        ds_buf_free(&ev);
    }
    ds_chk_add(c, "MIN-DIRECT-IDENTIFIER", &k);

    /* MIN-UNNEEDED-ATTRIBUTE */
    {
        static const char *const attrs[] = {"GENDER", "CIVILITY", "MARITAL_STATUS", "NATIONALITY",
                                            NULL};
        ds_slist hits = {0};
        for (size_t i = 0; i < c->sig.n; i++)
            for (size_t a = 0; attrs[a]; a++)
                if (!strcmp(c->sig.v[i].type, attrs[a]) && !pfield_declared(m, c->sig.v[i].field, 1) &&
                    !ds_slist_has(&hits, c->sig.v[i].field))
                    ds_slist_add(&hits, c->sig.v[i].field);
        if (hits.n) {
            ds_buf b = {0};
            join(&b, &hits, ", ");
            kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "attribute without a justification: %s", b.data);
            ds_buf_free(&b);
        } else {
            kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "no unjustified gender, civility, marital-status or nationality field");
        }
        ds_slist_free(&hits);
    }
    ds_chk_add(c, "MIN-UNNEEDED-ATTRIBUTE", &k);

    /* MIN-METADATA-PERSONAL: e-mail addresses in file and member names */
    {
        const char *hit = NULL;
        for (size_t i = 0; i < c->sig.files.n && !hit; i++) {
            const char *f = c->sig.files.v[i];
            const char *at = strchr(f, '@');
            if (at && at > f && isalnum((unsigned char)at[-1]) && strchr(at, '.'))
                hit = f;
        }
        if (hit)
            kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "a file or member name holds an e-mail address (%zu chars)",
                 strlen(hit));
        else
            kset(&k, c->sig.files.n ? DS_CHECK_PASS : DS_CHECK_NA, DS_SEV_MEDIUM, "%s",
                 c->sig.files.n ? "no e-mail address in file or member names (EXIF/XMP not read)"
                                : "no files scanned");
    }
    ds_chk_add(c, "MIN-METADATA-PERSONAL", &k);

    /* MIN-ANNOTATION-SENSITIVE */
    {
        static const char *const toks[] = {"ethnicity", "race", "religion", "orientation",
                                           "diagnosis", "disability", "political", NULL};
        const char *hit = NULL;
        for (size_t i = 0; i < c->sig.names.n && !hit; i++)
            for (size_t t = 0; toks[t] && !hit; t++)
                if (ds_text_has_token(c->sig.names.v[i], toks[t]))
                    hit = c->sig.names.v[i];
        int cond = m->art9 && !is_none(m->art9);
        if (!hit && m->sensitive_labels != 1)
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "no sensitive label field");
        else if (cond)
            kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "sensitive labels under Art. 9(2)(%s)", m->art9);
        else if (hit)
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "label field '%s' and no legal_basis.art9_condition", hit);
        else
            kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH,
                 "annotation.sensitive_labels: true and no legal_basis.art9_condition");
    }
    ds_chk_add(c, "MIN-ANNOTATION-SENSITIVE", &k);

    if (m->labels != 1)
        kset(&k, DS_CHECK_NA, DS_SEV_LOW, "no label field declared");
    else if (empty(m->ann_protocol))
        kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "labels present and no annotation protocol");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "annotation protocol documented");
    ds_chk_add(c, "ANNOT-UNDOCUMENTED", &k);
}

static int unbounded(const char *s)
{
    static const char *const w[] = {"indefinite", "indefinitely", "forever", "permanent",
                                    "permanently", "unlimited", NULL};
    if (!s)
        return 0;
    if (ds_text_has_any_word(s, w))
        return 1;
    if ((s[0] == 'P' || s[0] == 'p') && isdigit((unsigned char)s[1])) {
        char *e;
        long y = strtol(s + 1, &e, 10);
        if ((*e == 'Y' || *e == 'y') && y >= 100)
            return 1;
    }
    return 0;
}

static void section_e(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    int any = !empty(m->ret_dev) || !empty(m->ret_maint) || !empty(m->ret_end);
    if (!c->personal)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no personal data found or declared");
    else if (!any)
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "personal data present and no retention period or end date");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "retention stated");
    ds_chk_add(c, "RETENTION-MISSING", &k);

    if (!any)
        kset(&k, DS_CHECK_NA, DS_SEV_LOW, "no retention stated");
    else if (empty(m->ret_dev) || empty(m->ret_maint))
        kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "no separate development and maintenance periods");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "development %s, maintenance %s", m->ret_dev, m->ret_maint);
    ds_chk_add(c, "RETENTION-NOT-PER-PHASE", &k);

    const char *ub = unbounded(m->ret_dev) ? m->ret_dev : unbounded(m->ret_maint) ? m->ret_maint
                                                      : unbounded(m->ret_end) ? m->ret_end : NULL;
    if (!any)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no retention stated");
    else if (ub)
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "unbounded retention '%s'", ub);
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "bounded");
    ds_chk_add(c, "RETENTION-UNBOUNDED", &k);

    long today, end, cend;
    int have_today = ds_date_parse(c->o->scan_date, &today) == 0;
    ds_buf ev = {0};
    if (have_today && m->ret_end && ds_date_parse(m->ret_end, &end) == 0 && end < today)
        ds_buf_printf(&ev, "retention.end_date %s is before the scan date %s", m->ret_end,
                      c->o->scan_date);
    if (have_today && m->coll_end && m->ret_dev && ds_date_parse(m->coll_end, &cend) == 0 &&
        ds_date_add_duration(cend, m->ret_dev, &end) == 0 && end < today)
        ds_buf_printf(&ev, "%scollection.end %.10s + development %s is before %s", ev.len ? "; " : "",
                      m->coll_end, m->ret_dev, c->o->scan_date);
    if (!any)
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no retention stated");
    else if (ev.len)
        kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "%s", ev.data);
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "not expired on %s", c->o->scan_date);
    ds_buf_free(&ev);
    ds_chk_add(c, "RETENTION-EXPIRED", &k);
}

static void section_f(ds_ctx *c)
{
    const ds_meta *m = c->m;
    ds_chk k = {0};
    if (empty(m->ctrl_name) && empty(m->ctrl_contact))
        kset(&k, DS_CHECK_FAIL, c->personal ? DS_SEV_MEDIUM : DS_SEV_LOW,
             "no controller.name or controller.contact (%s)", sev_word(c->personal));
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "%s%s%s", m->ctrl_name ? m->ctrl_name : "",
             m->ctrl_name && m->ctrl_contact ? ", " : "", m->ctrl_contact ? m->ctrl_contact : "");
    ds_chk_add(c, "CONTROLLER-MISSING", &k);

    if (empty(m->ctrl_role))
        kset(&k, DS_CHECK_FAIL, DS_SEV_LOW, "no controller.role");
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_LOW, "%s", m->ctrl_role);
    ds_chk_add(c, "ROLE-UNDECLARED", &k);

    if (!c->personal)
        kset(&k, DS_CHECK_NA, DS_SEV_MEDIUM, "no personal data found or declared");
    else if (!empty(m->rights_contact) || !empty(m->rights_notice) || !empty(m->rights_optout))
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "rights channel published");
    else if (!empty(m->ctrl_dpo) || !empty(m->ctrl_contact))
        kset(&k, DS_CHECK_PASS, DS_SEV_MEDIUM, "controller contact serves as rights channel: %s",
             m->ctrl_dpo ? m->ctrl_dpo : m->ctrl_contact);
    else
        kset(&k, DS_CHECK_FAIL, DS_SEV_MEDIUM, "personal data present and no rights contact, notice or opt-out");
    ds_chk_add(c, "RIGHTS-CHANNEL-MISSING", &k);

    if (!c->art9 && !c->art10)
        kset(&k, DS_CHECK_NA, DS_SEV_HIGH, "no special-category or offence data");
    else if (empty(m->access) || !strcasecmp(m->access, "public") || !strcasecmp(m->access, "open"))
        kset(&k, DS_CHECK_FAIL, DS_SEV_HIGH, "special-category or offence data and access %s",
             empty(m->access) ? "not restricted (no gating declared)" : m->access);
    else
        kset(&k, DS_CHECK_PASS, DS_SEV_HIGH, "access: %s", m->access);
    ds_chk_add(c, "ACCESS-OPEN-SENSITIVE", &k);
}

/* ---- running ------------------------------------------------------------------------- */

void ds_meta_discover(const char *root, ds_slist *out)
{
    static const char *const names[] = {".dsaudit.yml",    "dsaudit.yml",     "croissant.json",
                                        "croissant.jsonld", "metadata.json",   "metadata.jsonld",
                                        "datapackage.json", "datapackage.yaml", "datapackage.yml",
                                        "README.md",        NULL};
    for (size_t i = 0; names[i]; i++) {
        ds_buf p = {0};
        size_t rl = strlen(root);
        ds_buf_printf(&p, "%s%s%s", root, rl && root[rl - 1] == '/' ? "" : "/", names[i]);
        FILE *f = fopen(p.data, "rb");
        if (f) {
            char head[4096];
            size_t n = fread(head, 1, sizeof head - 1, f);
            head[n] = 0;
            fclose(f);
            int ok = 1;
            if (!strcmp(names[i], "README.md")) /* a card has YAML front matter */
                ok = !strncmp(head, "---", 3) || !strncmp(head, "\xEF\xBB\xBF---", 6);
            else if (!strncmp(names[i], "metadata.", 9) || !strncmp(names[i], "croissant.", 10))
                ok = strstr(head, "mlcommons.org/croissant") != NULL;
            if (ok)
                ds_slist_add(out, p.data);
        }
        ds_buf_free(&p);
    }
}

static int fmt_rank(const char *f)
{
    static const char *const order[] = {"sidecar", "croissant", "datapackage", "hf-card", NULL};
    for (int i = 0; order[i]; i++)
        if (!strcmp(f, order[i]))
            return i;
    return 9;
}

const ds_check *ds_checks_find(const ds_checks *c, const char *id)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (!strcmp(c->v[i].id, id))
            return &c->v[i];
    return NULL;
}

uint64_t ds_checks_failing(const ds_checks *c, ds_severity fail_on)
{
    uint64_t n = 0;
    if (!c || fail_on == DS_SEV_NONE)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].status == DS_CHECK_FAIL && c->v[i].severity >= fail_on)
            n++;
    return n;
}

ds_checks *ds_checks_run(const ds_scan_result *r, const ds_checks_opts *o, ds_slist *msgs)
{
    ds_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.large_subjects = o->large_subjects ? o->large_subjects : DS_LARGE_SUBJECTS_DEFAULT;
    c.large_records = o->large_records ? o->large_records : DS_LARGE_RECORDS_DEFAULT;
    if (o->breach_list) {
        ds_buf e = {0};
        if (ds_breach_load_list(&c, o->breach_list, &e) != 0) {
            ds_slist_add(msgs, e.data);
            ds_buf_free(&e);
            ds_slist_free(&c.breach_names);
            ds_slist_free(&c.breach_domains);
            return NULL;
        }
    }
    /* read the metadata */
    ds_slist files = {0};
    if (o->metadata)
        ds_slist_add(&files, o->metadata);
    else
        for (size_t i = 0; i < o->nroots; i++)
            ds_meta_discover(o->roots[i], &files);
    ds_meta *metas = ds_xcalloc(files.n ? files.n : 1, sizeof *metas);
    size_t nm = 0;
    char *first_err = NULL;
    for (size_t i = 0; i < files.n; i++) {
        ds_meta *m = &metas[nm];
        ds_meta_init(m);
        ds_error err;
        ds_error_clear(&err);
        ds_status rc = ds_meta_read_file(files.v[i], m, &err);
        for (size_t w = 0; w < m->warnings.n; w++)
            ds_slist_add(msgs, m->warnings.v[w]);
        if (rc != DS_OK) {
            ds_buf b = {0};
            ds_buf_printf(&b, "%s: %s", err.where[0] ? err.where : files.v[i], err.msg);
            ds_slist_add(msgs, b.data);
            if (!first_err)
                first_err = b.data;
            else
                ds_buf_free(&b);
            ds_meta_clear(m);
            continue;
        }
        nm++;
    }
    /* stable precedence order, then merge */
    for (size_t i = 1; i < nm; i++)
        for (size_t j = i; j > 0 && fmt_rank(metas[j].format) < fmt_rank(metas[j - 1].format); j--) {
            ds_meta t = metas[j];
            metas[j] = metas[j - 1];
            metas[j - 1] = t;
        }
    ds_meta merged;
    ds_meta_init(&merged);
    for (size_t i = 0; i < nm; i++)
        ds_meta_merge(&merged, &metas[i]);
    if (merged.npfields == 0 && merged.pd_present < 0 && merged.special.n == 0)
        ds_meta_derive_from_text(&merged);
    /* a list of kinds implies the method (direct vs indirect collection) */
    for (size_t i = 0; !merged.methods.n && i < merged.norigins; i++) {
        const char *k = merged.origins[i].kind;
        static const char *const map[][2] = {
            {"web-scrape", "web-scraping"}, {"web-api", "web-api"},
            {"first-party", "first-party"}, {"first-party-reuse", "first-party"},
            {"third-party", "third-party-transfer"}, {"data-broker", "third-party-transfer"},
            {"public-dataset", "public-dataset"}, {"open-data", "public-dataset"},
            {"synthetic", "synthetic"}};
        for (size_t j = 0; k && j < sizeof map / sizeof map[0]; j++)
            if (!strcasecmp(k, map[j][0]))
                for (size_t q = 0; q < merged.norigins; q++) {
                    const char *kq = merged.origins[q].kind;
                    for (size_t z = 0; kq && z < sizeof map / sizeof map[0]; z++)
                        if (!strcasecmp(kq, map[z][0]) && !ds_slist_has(&merged.methods, map[z][1]))
                            ds_slist_add(&merged.methods, map[z][1]);
                }
    }
    c.m = &merged;
    c.metas = metas;
    c.nmetas = nm;
    c.have_meta = nm > 0;
    c.meta_error = first_err;
    ds_signals_build(&c.sig, r, &merged, &files);
    /* derived facts */
    for (size_t i = 0; i < c.sig.n; i++) {
        const ds_sig *g = &c.sig.v[i];
        c.personal = 1;
        if (g->kind == DS_SIG_SENSITIVE) {
            c.art9 = 1;
            if (!ds_slist_has(&c.art9_cats, g->art9))
                ds_slist_add(&c.art9_cats, g->art9);
        }
        if (g->kind == DS_SIG_CRIMINAL)
            c.art10 = 1;
    }
    for (size_t i = 0; i < merged.special.n; i++)
        if (!is_none(merged.special.v[i])) {
            c.art9 = 1;
            if (!ds_slist_has(&c.art9_cats, merged.special.v[i]))
                ds_slist_add(&c.art9_cats, merged.special.v[i]);
        }
    if (merged.criminal == 1)
        c.art10 = 1;
    if (merged.pd_present == 1 || merged.categories.n || merged.npfields || c.art9 || c.art10)
        c.personal = 1;

    ds_checks *out = ds_xcalloc(1, sizeof *out);
    c.out = out;
    if (nm) {
        out->metadata_path = ds_xstrdup(metas[0].path);
        out->metadata_format = ds_xstrdup(metas[0].format);
    }
    out->scan_date = ds_xstrdup(o->scan_date ? o->scan_date : "");
    section_a(&c);
    section_b(&c);
    section_c(&c);
    section_d(&c);
    section_e(&c);
    section_f(&c);
    ds_dpia_evaluate(&c);

    ds_signals_free(&c.sig);
    ds_slist_free(&c.art9_cats);
    ds_slist_free(&c.breach_names);
    ds_slist_free(&c.breach_domains);
    ds_meta_clear(&merged);
    for (size_t i = 0; i < nm; i++)
        ds_meta_clear(&metas[i]);
    free(metas);
    free(first_err);
    ds_slist_free(&files);
    return out;
}
