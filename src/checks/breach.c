/* checks: known-breach indicators (shared CHECKS.md §1e) for
 * REUSE-BREACH-ORIGIN and REUSE-LEGALITY-DOUBT. A hit is "possible breach
 * origin, verify", never a proof. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/checks_impl.h"
#include "checks/meta_text.h"
#include "common/mem.h"

static const char *const STRONG[] = {
    "combolist", "combolists", "combos", "antipublic", "ulp", "stealer", "stealerlog",
    "stealerlogs", "infostealer", "redline", "raccoon", "lumma", "vidar", "fullz", "dox",
    "doxx", "breachcompilation", "collection1", "pwned", "leakbase", "leakcheck", "databreach",
    "breached", "exfil", "ransomleak", "combo list", "combo-list", "anti public", "hacked db",
    "data breach", "collection 1", "stealer logs", NULL};
static const char *const MEDIUM[] = {
    "leak", "leaked", "leaks", "breach", "dump", "dumped", "sqldump", "userdb", "accounts",
    "credentials", "creds", "passwords", "hashes", "cracked", "paste", "db dump",
    "users export", NULL};
static const char *const STRONG_HOSTS[] = {"raidforums", "breachforums", "breached.vc",
                                           "breached.to", "nulled.", "cracked.to", "cracked.io",
                                           "xss.is", "exploit.in", "leakbase", "dread", NULL};
static const char *const PASTE_HOSTS[] = {"pastebin.com", "ghostbin", "paste.ee", "controlc.com",
                                          "rentry.co", "rentry.org", "hastebin", "justpaste.it",
                                          "privatebin", "dpaste", "pastie.org", "0bin",
                                          "throwbin", "defuse.ca", NULL};
static const char *const SHARE_HOSTS[] = {"mega.nz", "anonfiles", "gofile.io", "bayfiles", NULL};
static const char *const ALLOW[] = {"dumps.wikimedia.org", "archive.org/details/stackexchange",
                                    "stackexchange.com", "commoncrawl.org", "data.gharchive.org",
                                    "memory dump", "core dump", "memory dumps", "core dumps",
                                    NULL};

static int host_in(const char *host, const char *const *list, const char **hit)
{
    for (size_t i = 0; list[i]; i++)
        if (strstr(host, list[i])) {
            *hit = list[i];
            return 1;
        }
    return 0;
}

int ds_breach_doubtful_host(const char *host, const char **why)
{
    size_t n = strlen(host);
    if (n > 6 && strcmp(host + n - 6, ".onion") == 0) {
        *why = ".onion";
        return 1;
    }
    return host_in(host, STRONG_HOSTS, why) || host_in(host, PASTE_HOSTS, why);
}

/* Lower-case s with allowlisted phrases blanked and separators made spaces. */
static char *prep(const char *s)
{
    char *t = ds_xstrdup(s);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; ALLOW[i]; i++) {
        size_t n = strlen(ALLOW[i]);
        for (char *p = strstr(t, ALLOW[i]); p; p = strstr(p + n, ALLOW[i]))
            memset(p, ' ', n);
    }
    return t;
}

typedef struct score {
    ds_slist strong, medium;
    int share;
} score;

static void note(ds_slist *l, const char *what)
{
    if (!ds_slist_has(l, what))
        ds_slist_add(l, what);
}

static void score_text(score *sc, const char *text)
{
    if (!text || !*text)
        return;
    char *t = prep(text);
    /* hosts of every URL */
    for (const char *p = strstr(t, "://"); p; p = strstr(p + 3, "://")) {
        const char *b = p;
        while (b > t && isalnum((unsigned char)b[-1]))
            b--;
        char host[256];
        if (!ds_text_url_host(b, host, sizeof host))
            continue;
        const char *why;
        size_t n = strlen(host);
        if (n > 6 && strcmp(host + n - 6, ".onion") == 0)
            note(&sc->strong, ".onion host");
        else if (host_in(host, STRONG_HOSTS, &why))
            note(&sc->strong, why);
        else if (host_in(host, PASTE_HOSTS, &why))
            note(&sc->medium, why);
        else if (host_in(host, SHARE_HOSTS, &why))
            sc->share = 1;
    }
    char host[256];
    if (!strstr(t, "://") && ds_text_url_host(t, host, sizeof host)) {
        const char *why;
        if (host_in(host, PASTE_HOSTS, &why))
            note(&sc->medium, why);
        else if (host_in(host, STRONG_HOSTS, &why))
            note(&sc->strong, why);
    }
    /* tokens and two-token phrases: split on non-alphanumerics */
    char *w = ds_xstrdup(t);
    for (char *p = w; *p; p++)
        if (!isalnum((unsigned char)*p))
            *p = ' ';
    for (size_t i = 0; STRONG[i]; i++) {
        char ph[64];
        snprintf(ph, sizeof ph, "%s", STRONG[i]);
        for (char *p = ph; *p; p++)
            if (*p == '-')
                *p = ' ';
        if (ds_text_has_phrase(w, ph))
            note(&sc->strong, STRONG[i]);
    }
    for (size_t i = 0; MEDIUM[i]; i++)
        if (ds_text_has_phrase(w, MEDIUM[i]))
            note(&sc->medium, MEDIUM[i]);
    /* t.me channels carrying a strong token were handled by the token pass */
    free(w);
    free(t);
}

static void list_join(ds_buf *b, const ds_slist *l)
{
    for (size_t i = 0; i < l->n; i++)
        ds_buf_printf(b, "%s'%s'", i ? ", " : "", l->v[i]);
}

void ds_breach_evaluate(ds_ctx *c, ds_chk *k)
{
    const ds_meta *m = c->m;
    score sc;
    memset(&sc, 0, sizeof sc);
    ds_slist texts = {0};
    for (size_t i = 0; i < m->norigins; i++) {
        /* the title of an allowlisted source (a Wikipedia dump) is not scored */
        int allowed = 0;
        for (size_t a = 0; ALLOW[a] && m->origins[i].url; a++)
            allowed |= ds_text_contains(m->origins[i].url, ALLOW[a]);
        if (!allowed)
            ds_slist_add(&texts, m->origins[i].title);
        ds_slist_add(&texts, m->origins[i].url);
    }
    for (size_t i = 0; i < m->derived_from.n; i++)
        ds_slist_add(&texts, m->derived_from.v[i]);
    for (size_t i = 0; i < m->files.n; i++)
        ds_slist_add(&texts, m->files.v[i]);
    ds_slist_add(&texts, m->name);
    ds_slist_add(&texts, m->coll_text);
    for (size_t i = 0; i < c->sig.files.n; i++)
        ds_slist_add(&texts, c->sig.files.v[i]);
    for (size_t i = 0; i < texts.n; i++)
        score_text(&sc, texts.v[i]);
    /* credentials next to e-mail addresses, per file (or in the declared fields) */
    ds_buf cred = {0};
    for (size_t i = 0; i < c->sig.n; i++) {
        const ds_sig *e = &c->sig.v[i];
        if (strcmp(e->type, "EMAIL") != 0)
            continue;
        if (!e->inferred && e->total && e->records * 100 < e->total)
            continue; /* under 1 % of rows */
        for (size_t j = 0; j < c->sig.n; j++) {
            const ds_sig *p = &c->sig.v[j];
            if (p->kind != DS_SIG_CREDENTIAL)
                continue;
            int same = (!e->file && !p->file) || (e->file && p->file && !strcmp(e->file, p->file));
            if (!same)
                continue;
            if (!cred.len)
                ds_buf_printf(&cred, "%s%s'%s' next to '%s'", e->file ? e->file : "declared fields",
                              ": ", e->field, p->field);
            break;
        }
    }
    /* user-supplied breach names */
    ds_slist listed = {0};
    for (size_t i = 0; i < texts.n; i++) {
        for (size_t b = 0; b < c->breach_names.n; b++)
            if (ds_text_has_phrase(texts.v[i], c->breach_names.v[b]))
                note(&listed, c->breach_names.v[b]);
        for (size_t b = 0; b < c->breach_domains.n; b++)
            if (ds_text_contains(texts.v[i], c->breach_domains.v[b]))
                note(&listed, c->breach_domains.v[b]);
    }
    if (sc.share && (sc.strong.n || sc.medium.n))
        note(&sc.medium, "file-sharing host");
    int hit = sc.strong.n || sc.medium.n >= 2 || cred.len;
    k->sev = DS_SEV_HIGH;
    if (hit || listed.n) {
        k->st = DS_CHECK_FAIL;
        k->blocker = hit || (listed.n && cred.len);
        ds_buf_puts(&k->ev, "possible breach origin, verify:");
        if (sc.strong.n) {
            ds_buf_puts(&k->ev, " strong indicators ");
            list_join(&k->ev, &sc.strong);
            ds_buf_puts(&k->ev, ";");
        }
        if (sc.medium.n) {
            ds_buf_puts(&k->ev, " medium indicators ");
            list_join(&k->ev, &sc.medium);
            ds_buf_puts(&k->ev, ";");
        }
        if (cred.len)
            ds_buf_printf(&k->ev, " credentials with e-mail addresses (%s);", cred.data);
        if (listed.n) {
            ds_buf_puts(&k->ev, " breach list match ");
            list_join(&k->ev, &listed);
            ds_buf_puts(&k->ev, ";");
        }
        k->ev.data[--k->ev.len] = 0;
    } else {
        k->st = DS_CHECK_PASS;
        ds_buf_printf(&k->ev, "no breach indicator in %zu source names, URLs and file names%s",
                      texts.n, sc.medium.n ? " (one medium indicator alone does not count)" : "");
    }
    ds_buf_free(&cred);
    ds_slist_free(&listed);
    ds_slist_free(&texts);
    ds_slist_free(&sc.strong);
    ds_slist_free(&sc.medium);
}

/* A list: HIBP JSON (an array of objects with Name, Title, Domain) or one
 * name a line ('#' comments). Names shorter than 5 characters are ignored. */
int ds_breach_load_list(ds_ctx *c, const char *path, ds_buf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ds_buf_printf(err, "%s: cannot open breach list", path);
        return -1;
    }
    ds_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= DS_META_MAX_BYTES)
        ds_buf_append(&b, chunk, n);
    fclose(f);
    if (b.len > DS_META_MAX_BYTES) {
        ds_buf_printf(err, "%s: breach list larger than %u MiB", path, DS_META_MAX_BYTES >> 20);
        ds_buf_free(&b);
        return -1;
    }
    const char *s = b.data ? b.data : "";
    while (*s && isspace((unsigned char)*s))
        s++;
    int rc = 0;
    if (*s == '[') {
        ds_mnode *root = NULL;
        ds_error e;
        ds_error_clear(&e);
        if (ds_mtree_json(b.data, b.len, path, &root, &e) != DS_OK) {
            ds_buf_printf(err, "%s: %s", e.where, e.msg);
            rc = -1;
        } else {
            for (size_t i = 0; root->kind == DS_MN_SEQ && i < root->n; i++) {
                const char *nm = ds_mnode_str(ds_mnode_get(root->v[i], "Name"));
                const char *ti = ds_mnode_str(ds_mnode_get(root->v[i], "Title"));
                const char *dom = ds_mnode_str(ds_mnode_get(root->v[i], "Domain"));
                if (nm && strlen(nm) >= 5)
                    ds_slist_add(&c->breach_names, nm);
                if (ti && strlen(ti) >= 5 && (!nm || strcasecmp(nm, ti)))
                    ds_slist_add(&c->breach_names, ti);
                if (dom && strchr(dom, '.'))
                    ds_slist_add(&c->breach_domains, dom);
            }
            ds_mnode_free(root);
        }
    } else {
        for (const char *p = s; *p;) {
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            while (l && isspace((unsigned char)p[l - 1]))
                l--;
            if (l >= 5 && p[0] != '#') {
                char *nm = ds_xstrndup(p, l);
                ds_slist_add(strchr(nm, '.') && !strchr(nm, ' ') ? &c->breach_domains
                                                                   : &c->breach_names,
                             nm);
                free(nm);
            }
            p = e ? e + 1 : p + strlen(p);
        }
    }
    ds_buf_free(&b);
    return rc;
}
