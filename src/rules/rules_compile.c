/* rules: compile parsed rule definitions into an immutable ds_ruleset.
 *
 * Every regex becomes a PCRE2 JIT program (exact spans, validators, context)
 * and, when Vectorscan accepts it (as is, or in prefilter mode), an entry of
 * one Vectorscan database that scans each value once for all rules. A rule's
 * keywords become one whole-word, case-insensitive alternation per rule,
 * handled the same way. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/names.h"
#include "rules/builtin.h"
#include "rules/hs_cache.h"
#include "rules/rules_impl.h"
#include "rules/re_relax.h"
#include "rules/re_shape.h"

const char *ds_severity_name(ds_severity s)
{
    switch (s) {
    case DS_SEV_NONE: return "none";
    case DS_SEV_INFO: return "info";
    case DS_SEV_LOW: return "low";
    case DS_SEV_MEDIUM: return "medium";
    case DS_SEV_HIGH: return "high";
    }
    return "none";
}

int ds_severity_parse(const char *s, ds_severity *out)
{
    static const ds_severity all[] = {DS_SEV_NONE, DS_SEV_INFO, DS_SEV_LOW, DS_SEV_MEDIUM,
                                      DS_SEV_HIGH};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, ds_severity_name(all[i])) == 0) {
            *out = all[i];
            return 1;
        }
    return 0;
}

int ds_colpat_match(char *const *pats, size_t n, const char *norm_name)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(pats[i], norm_name, 0) == 0)
            return 1;
    return 0;
}

int ds_crule_column_match(const ds_crule *r, const char *norm_name)
{
    return ds_colpat_match(r->columns, r->ncolumns, norm_name);
}

#define DS_RULE_FILE_MAX (16u << 20)
#define DS_LEXICON_FILE_MAX (64u << 20)
#define DS_PERSON_SIGNALS "lexicons/person_signals.txt"

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int selected(const ds_rule_def *d, const char *const *list, size_t n)
{
    return in_list(list, n, d->id) || in_list(list, n, d->type) || in_list(list, n, d->category);
}

static int lang_active(const ds_ruleset_opts *o, const char *lang)
{
    return !o || o->nlangs == 0 || in_list(o->langs, o->nlangs, lang) || strcmp(lang, "any") == 0;
}

static ds_status loc_error(ds_error *err, const ds_rule_def *d, ds_loc loc, unsigned extra_col,
                           const char *fmt, const char *a, const char *b)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%u:%u", d->file ? d->file : "<rules>", loc.line,
             loc.col + extra_col);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a, b);
    return ds_error_set(err, DS_ERULE, where, "%s", msg);
}

/* ---- lexicons ---------------------------------------------------------------- */

/* Latin-1 supplement letters after C3: lower-case form (second byte) and the
 * unaccented ASCII letter (0: none). */
static char c3_ascii(unsigned char b)
{
    static const char map[64] = "aaaaaaaceeeeiiiidnooooo\0ouuuuy\0saaaaaaaceeeeiiiidnooooo\0ouuuuy\0y";
    return b >= 0x80 && b <= 0xBF ? map[b - 0x80] : 0;
}

size_t ds_lex_fold(const char *s, size_t n, int accents, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 3 > cap)
            return SIZE_MAX;
        if (c >= 'A' && c <= 'Z') {
            out[o++] = (char)(c + 32);
        } else if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0xBF) {
            unsigned char b = (unsigned char)s[++i];
            char a = accents ? c3_ascii(b) : 0;
            if (a) {
                out[o++] = a;
                if (b == 0x9F) /* sharp s */
                    out[o++] = 's';
            } else {
                out[o++] = (char)c;
                out[o++] = (char)(b >= 0x80 && b <= 0x9E && b != 0x97 ? b + 0x20 : b);
            }
        } else if (c == 0xC5 && i + 1 < n &&
                   ((unsigned char)s[i + 1] == 0x92 || (unsigned char)s[i + 1] == 0x93)) {
            i++;
            if (accents) {
                out[o++] = 'o';
                out[o++] = 'e';
            } else {
                out[o++] = (char)0xC5;
                out[o++] = (char)0x93;
            }
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
            i += 2; /* typographic apostrophe */
            out[o++] = '\'';
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

uint64_t ds_lex_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 29;
    return h ? h : 1;
}

int ds_lexset_has(const ds_lexset *l, const char *folded, size_t n)
{
    if (!l || !l->n)
        return 0;
    uint64_t h = ds_lex_hash(folded, n);
    for (size_t i = (size_t)h & l->mask;; i = (i + 1) & l->mask) {
        if (l->slots[i] == h)
            return 1;
        if (!l->slots[i])
            return 0;
    }
}

static void lexset_add(ds_lexset *l, const char *s, size_t n, int accents)
{
    char f[256];
    size_t fl = ds_lex_fold(s, n, accents, f, sizeof f);
    if (fl == 0 || fl == SIZE_MAX)
        return;
    if ((l->n + 1) * 2 > l->mask + 1) {
        size_t ncap = l->mask ? (l->mask + 1) * 2 : 1024;
        uint64_t *ns = ds_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; l->slots && i <= l->mask; i++) {
            if (!l->slots[i])
                continue;
            size_t j = (size_t)l->slots[i] & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = l->slots[i];
        }
        free(l->slots);
        l->slots = ns;
        l->mask = ncap - 1;
    }
    uint64_t h = ds_lex_hash(f, fl);
    size_t i = (size_t)h & l->mask;
    while (l->slots[i]) {
        if (l->slots[i] == h)
            return;
        i = (i + 1) & l->mask;
    }
    l->slots[i] = h;
    l->n++;
}

static void lexset_free(ds_lexset *l)
{
    if (!l)
        return;
    free(l->path);
    if (l->map)
        munmap((void *)(uintptr_t)l->map, l->map_len);
    else
        free(l->slots);
    free(l);
}

/* A rule lexicon's hash table, kept in the rule cache (rules/hs_cache.h)
 * under its text: building it folds and hashes ~100,000 entries, a quarter
 * of a start-up. Layout: 4 uint64 (magic, entries, mask, 0), then the
 * slots. Change LEX_TAG whenever ds_lex_fold or ds_lex_hash changes. */
#define LEX_TAG "lex1"
#define LEX_MAGIC 0x314c5845534c5344ULL /* "DSLSEXL1" */

static int lexset_from_cache(ds_lexset *l, const char *text, size_t len)
{
    size_t n = 0;
    const uint64_t *m = ds_cache_map(LEX_TAG, text, len, &n);
    if (!m)
        return 0;
    if (n >= 32 && n % 8 == 0 && m[0] == LEX_MAGIC && m[2] >= 1 && (m[2] & (m[2] + 1)) == 0 &&
        m[2] < SIZE_MAX / 8 && n == 32 + (m[2] + 1) * 8 && m[1] <= m[2]) {
        l->map = m;
        l->map_len = n;
        l->slots = (uint64_t *)(uintptr_t)(m + 4);
        l->mask = (size_t)m[2];
        l->n = (size_t)m[1];
        return 1;
    }
    munmap((void *)(uintptr_t)m, n);
    return 0;
}

static void lexset_to_cache(const ds_lexset *l, const char *text, size_t len)
{
    if (!l->slots)
        return;
    size_t n = 32 + (l->mask + 1) * 8;
    uint64_t *b = ds_xmalloc(n);
    b[0] = LEX_MAGIC;
    b[1] = l->n;
    b[2] = l->mask;
    b[3] = 0;
    memcpy(b + 4, l->slots, (l->mask + 1) * 8);
    ds_cache_put(LEX_TAG, text, len, b, n);
    free(b);
}

/* The text of lexicon file `rel` named by a rule of file `rule_file`: next to
 * the rule file (embedded or on disk), else the built-in patterns/ copy.
 * *owned is set when the text was read from disk (free it). */
static int lexicon_text(const char *rule_file, const char *rel, char *resolved, size_t rcap,
                        const char **data, size_t *len, char **owned)
{
    *owned = NULL;
    const char *slash = rule_file ? strrchr(rule_file, '/') : NULL;
    if (slash)
        snprintf(resolved, rcap, "%.*s/%s", (int)(slash - rule_file), rule_file, rel);
    else
        snprintf(resolved, rcap, "%s", rel);
    const ds_builtin_file *b = ds_builtin_find(resolved);
    if (!b) {
        FILE *f = fopen(resolved, "rb");
        if (f) {
            ds_buf t = {0};
            char tmp[65536];
            size_t r;
            while ((r = fread(tmp, 1, sizeof tmp, f)) > 0 && t.len <= DS_LEXICON_FILE_MAX)
                ds_buf_append(&t, tmp, r);
            int bad = ferror(f) || t.len > DS_LEXICON_FILE_MAX;
            fclose(f);
            if (bad) {
                ds_buf_free(&t);
                return -1;
            }
            *owned = t.data ? t.data : ds_xstrdup("");
            *data = *owned;
            *len = t.len;
            return 0;
        }
        snprintf(resolved, rcap, "patterns/%s", rel);
        b = ds_builtin_find(resolved);
    }
    if (!b)
        return -1;
    *data = b->data;
    *len = (size_t)(b->end - b->data);
    return 0;
}

/* Call fn on each entry line of text (blank lines and '#' comments skipped). */
static void each_line(const char *t, size_t len, void (*fn)(void *, const char *, size_t),
                      void *ctx)
{
    size_t i = 0;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        size_t e = i;
        while (e < len && t[e] != '\n')
            e++;
        size_t a = i, z = e;
        while (a < z && (t[a] == ' ' || t[a] == '\t'))
            a++;
        while (z > a && (t[z - 1] == ' ' || t[z - 1] == '\t' || t[z - 1] == '\r'))
            z--;
        if (z > a && t[a] != '#')
            fn(ctx, t + a, z - a);
        i = e + 1;
    }
}

static void add_entry(void *ctx, const char *s, size_t n)
{
    lexset_add(ctx, s, n, 1);
}

/* The set for lexicon file rel (loaded once per ruleset), or NULL after an
 * error set at loc. */
static const ds_lexset *lexset_get(ds_ruleset *rs, const ds_rule_def *d, const char *rel,
                                   ds_loc loc, ds_error *err)
{
    char path[1024];
    const char *data;
    size_t len;
    char *owned;
    if (lexicon_text(d->file, rel, path, sizeof path, &data, &len, &owned) != 0) {
        loc_error(err, d, loc, 0, "rule '%s': cannot read lexicon file '%s'", d->id, rel);
        return NULL;
    }
    for (size_t i = 0; i < rs->nlexsets; i++)
        if (strcmp(rs->lexsets[i]->path, path) == 0) {
            free(owned);
            return rs->lexsets[i];
        }
    ds_lexset *l = ds_xcalloc(1, sizeof *l);
    l->path = ds_xstrdup(path);
    if (!lexset_from_cache(l, data, len)) {
        each_line(data, len, add_entry, l);
        lexset_to_cache(l, data, len);
    }
    free(owned);
    rs->lexsets = ds_xrealloc(rs->lexsets, (rs->nlexsets + 1) * sizeof *rs->lexsets);
    rs->lexsets[rs->nlexsets++] = l;
    return l;
}

typedef struct sig_ctx {
    ds_ruleset *rs;
    const ds_rule_def *d;
    const ds_ruleset_opts *o;
    ds_error *err;
    int active;  /* current [section] is an active language */
    int names;   /* current section is [names] */
    int nots;    /* current section is [not] */
    int failed;
} sig_ctx;

static void add_signal(void *ctx, const char *s, size_t n)
{
    sig_ctx *c = ctx;
    if (c->failed)
        return;
    if (s[0] == '[' && s[n - 1] == ']') {
        char lang[32];
        snprintf(lang, sizeof lang, "%.*s", (int)(n - 2), s + 1);
        c->names = strcmp(lang, "names") == 0;
        c->nots = strcmp(lang, "not") == 0;
        c->active = !c->names && !c->nots && lang_active(c->o, lang);
        return;
    }
    if (c->names) {
        char rel[512];
        snprintf(rel, sizeof rel, "%.*s", (int)n, s);
        const ds_lexset *l = lexset_get(c->rs, c->d, rel, c->d->loc, c->err);
        if (!l) {
            c->failed = 1;
            return;
        }
        ds_signals *sg = &c->rs->signals;
        sg->names = ds_xrealloc(sg->names, (sg->nnames + 1) * sizeof *sg->names);
        sg->names[sg->nnames++] = l;
    } else if (c->nots) {
        lexset_add(c->rs->signals.not_words, s, n, 0);
    } else if (c->active) {
        lexset_add(c->rs->signals.words, s, n, 0);
    }
}

/* Load lexicons/person_signals.txt (next to the rule file, or built in). */
static ds_status load_signals(ds_ruleset *rs, const ds_rule_def *d, const ds_ruleset_opts *o,
                              ds_error *err)
{
    char path[1024];
    const char *data;
    size_t len;
    char *owned;
    if (lexicon_text(d->file, DS_PERSON_SIGNALS, path, sizeof path, &data, &len, &owned) != 0)
        return loc_error(err, d, d->loc, 0, "rule '%s': person_signal needs the file '%s'",
                         d->id, DS_PERSON_SIGNALS);
    rs->signals.words = ds_xcalloc(1, sizeof *rs->signals.words);
    rs->signals.words->path = ds_xstrdup(path);
    rs->signals.not_words = ds_xcalloc(1, sizeof *rs->signals.not_words);
    rs->signals.not_words->path = ds_xstrdup(path);
    sig_ctx c = {rs, d, o, err, 0, 0, 0, 0};
    each_line(data, len, add_signal, &c);
    free(owned);
    return c.failed ? DS_ERULE : DS_OK;
}

static pcre2_code *compile_pcre(const char *pat, int caseless, int ucp, const ds_rule_def *d,
                                ds_loc loc, ds_error *err)
{
    int ec;
    PCRE2_SIZE off;
    /* USE_OFFSET_LIMIT: the detector bounds where matches of gated patterns
     * may start (the windows around gate bytes) */
    uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_USE_OFFSET_LIMIT;
    if (caseless)
        opts |= PCRE2_CASELESS;
    if (ucp)
        opts |= PCRE2_UCP;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(ec, buf, sizeof buf);
        /* +1: the pattern text starts after the opening quote of the scalar */
        loc_error(err, d, loc, (unsigned)off + 1, "rule '%s': invalid regex: %s", d->id,
                  (const char *)buf);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter if JIT is off */
    return re;
}

/* One keyword as PCRE2 text: spaces as \s+, metacharacters escaped. */
static void keyword_pcre(ds_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ') {
            ds_buf_puts(b, "\\s+");
            while (s[1] == ' ')
                s++;
        } else if (strchr("\\^$.|?*+()[]{}/-'", *s)) {
            ds_buf_putc(b, '\\');
            ds_buf_putc(b, *s);
        } else {
            ds_buf_putc(b, *s);
        }
    }
}

/* The group a keyword goes to in keyword_regex: its first byte, ASCII
 * letters folded (the regex is caseless); every keyword that starts with
 * another byte goes to group 0, kept as a plain alternation (a caseless
 * non-ASCII letter can match more than one first byte). */
static unsigned char keyword_group(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : 0;
}

/* The PCRE2 regex of a rule's keywords (active languages): whole words,
 * \b(?:...)\b. Keywords are grouped by first letter, a(?:lpha|nt)|b(?:eta),
 * so that PCRE2 tries at a position only those that start with its letter,
 * not every keyword of the rule in turn (a text dense in Art. 9 words
 * scanned 21% faster in all). Keywords of different groups cannot match at
 * the same position,
 * and within a group they keep their order, so the first alternative that
 * matches, and so the span, is the same as in one flat alternation. */
static char *keyword_regex(const ds_rule_words *w, size_t nw, const ds_ruleset_opts *o)
{
    ds_buf b = {0};
    int any = 0;
    unsigned char done[256] = {0};
    ds_buf_puts(&b, "\\b(?:");
    for (size_t i = 0; i < nw; i++) {
        if (!lang_active(o, w[i].lang))
            continue;
        for (size_t k = 0; k < w[i].words.n; k++) {
            const char *s = w[i].words.v[k];
            unsigned char g = *s ? keyword_group(s) : 0;
            if (!*s || done[g])
                continue;
            done[g] = 1;
            /* every keyword of group g, in order, from here on */
            if (any)
                ds_buf_putc(&b, '|');
            any = 1;
            if (g)
                ds_buf_printf(&b, "%c(?:", g);
            int first = 1;
            for (size_t i2 = i; i2 < nw; i2++) {
                if (!lang_active(o, w[i2].lang))
                    continue;
                for (size_t k2 = i2 == i ? k : 0; k2 < w[i2].words.n; k2++) {
                    const char *t = w[i2].words.v[k2];
                    if (!*t || keyword_group(t) != g)
                        continue;
                    if (!first)
                        ds_buf_putc(&b, '|');
                    first = 0;
                    keyword_pcre(&b, g ? t + 1 : t);
                }
            }
            if (g)
                ds_buf_putc(&b, ')');
        }
    }
    ds_buf_puts(&b, ")\\b");
    if (!any) {
        ds_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static void crule_free(ds_crule *r)
{
    for (size_t i = 0; i < r->nexclude; i++)
        pcre2_code_free(r->exclude[i]);
    free(r->exclude);
    for (size_t i = 0; i < r->nctx; i++)
        free(r->ctx_words[i]);
    free(r->ctx_words);
    free(r->ctx_lens);
    for (size_t i = 0; i < r->ncolumns; i++)
        free(r->columns[i]);
    free(r->columns);
    for (size_t i = 0; i < r->npair_cols; i++)
        free(r->pair_cols[i]);
    free(r->pair_cols);
    for (size_t i = 0; i < r->nnot_cols; i++)
        free(r->not_cols[i]);
    free(r->not_cols);
    if (r->lex)
        for (size_t i = 0; i < r->def.nlexicons; i++)
            free(r->lex[i].sets);
    free(r->lex);
    ds_rule_def_clear(&r->def);
}

void ds_ruleset_free(ds_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->npats; i++) {
        pcre2_code_free(rs->pats[i].re);
        free(rs->pats[i].lex_group);
    }
    free(rs->pats);
    for (size_t i = 0; i < rs->nlexsets; i++)
        lexset_free(rs->lexsets[i]);
    free(rs->lexsets);
    lexset_free(rs->signals.words);
    lexset_free(rs->signals.not_words);
    free(rs->signals.names);
    for (size_t i = 0; i < rs->nrules; i++)
        crule_free(&rs->rules[i]);
    free(rs->rules);
    free(rs->always);
    free(rs->column_only);
    if (rs->db)
        hs_free_database(rs->db);
    for (int t = 0; t < DS_GATE_TIERS; t++) {
        if (rs->gdb[t])
            hs_free_database(rs->gdb[t]);
        if (rs->rdb[t])
            hs_free_database(rs->rdb[t]);
        if (rs->rrest[t])
            hs_free_database(rs->rrest[t]);
    }
    if (rs->rdb_main)
        hs_free_database(rs->rdb_main);
    if (rs->rrest_main)
        hs_free_database(rs->rrest_main);
    free(rs);
}

/* FNV-1a 64 over a canonical serialisation of what the rules do. */
static void digest_add(uint64_t *h, const char *s)
{
    for (; s && *s; s++) {
        *h ^= (unsigned char)*s;
        *h *= 0x100000001b3ULL;
    }
    *h ^= 0xff;
    *h *= 0x100000001b3ULL;
}

static void digest_strv(uint64_t *h, const ds_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        digest_add(h, v->v[i]);
    digest_add(h, "|");
}

static void digest_words(uint64_t *h, const ds_rule_words *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        digest_add(h, w[i].lang);
        digest_strv(h, &w[i].words);
    }
    digest_add(h, "|");
}

static void digest_rule(uint64_t *h, const ds_rule_def *d)
{
    char num[64];
    digest_add(h, d->id);
    digest_add(h, d->type);
    digest_add(h, d->category);
    digest_add(h, d->severity);
    snprintf(num, sizeof num, "%.4f/%d/%d/%d/%u", d->confidence, d->caseless,
             d->context_required, d->column_only, d->context_window);
    digest_add(h, num);
    digest_strv(h, &d->regex);
    digest_add(h, d->prefilter);
    digest_add(h, d->validator);
    digest_words(h, d->context, d->ncontext);
    digest_words(h, d->keywords, d->nkeywords);
    digest_strv(h, &d->columns);
    digest_strv(h, &d->column_pair);
    digest_strv(h, &d->exclude_columns);
    for (size_t i = 0; i < d->nlexicons; i++) {
        digest_add(h, d->lexicons[i].name);
        digest_strv(h, &d->lexicons[i].files);
    }
    snprintf(num, sizeof num, "psig%d", (int)d->person_signal);
    digest_add(h, num);
    if (d->anchor) { /* digests of rules without one stay as they were */
        snprintf(num, sizeof num, "anchor%d", (int)d->anchor);
        digest_add(h, num);
    }
    digest_strv(h, &d->exclude);
    digest_strv(h, &d->allow);
}

typedef struct pat_src {
    char *expr;     /* Vectorscan expression (the regex, or the declared prefilter) */
    unsigned flags; /* base Vectorscan flags */
    int caseless;
    size_t pat;     /* the pattern it finds candidates for */
} pat_src;

/* Vectorscan expression finding one keyword: the literal, ASCII case ignored
 * by the flag and Latin-1 letters as [éÉ] classes, runs of spaces as one
 * space. Exact whole-word matching (Unicode \b, any whitespace) is PCRE2's
 * job; Vectorscan only finds candidates. Short keywords get an ASCII \b at
 * their ASCII edges ("rom" must not fire inside "from", which would run PCRE2
 * on most values); longer ones stay plain literals, which compile several
 * times faster (measured: 0.5 s instead of 1.4 s for sensitive + criminal).
 * No \b at a non-ASCII edge, where an ASCII \b would miss matches: the
 * candidates stay a superset of the matches. */
#define KEYWORD_BOUNDED 6

static int ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char *keyword_hs(const char *s)
{
    ds_buf b = {0};
    size_t n = strlen(s);
    /* an ASCII word boundary where the keyword's edge is an ASCII letter or
     * digit ("rom" must not fire inside "from"); none at a non-ASCII edge,
     * where ASCII \b would miss matches (the candidate set stays a superset) */
    int lead = n <= KEYWORD_BOUNDED && ascii_alnum(s[0]),
        trail = n <= KEYWORD_BOUNDED && ascii_alnum(s[n - 1]);
    if (lead)
        ds_buf_puts(&b, "\\b");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ') {
            ds_buf_putc(&b, ' '); /* \s+ here: +30% scan time, measured */
            while (s[1] == ' ')
                s++;
        } else if (c == 0xC3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0xBE &&
                   (unsigned char)s[1] != 0x97 && (unsigned char)s[1] != 0xB7 &&
                   (unsigned char)s[1] != 0x9F) {
            unsigned char lo = (unsigned char)s[1] | 0x20, up = lo & (unsigned char)~0x20;
            ds_buf_printf(&b, "[\xC3%c\xC3%c]", lo, up);
            s++;
        } else if (c == 0xC5 && ((unsigned char)s[1] == 0x92 || (unsigned char)s[1] == 0x93)) {
            ds_buf_puts(&b, "[\xC5\x92\xC5\x93]");
            s++;
        } else if (c < 0x80 && strchr("\\^$.|?*+()[]{}/-'#", (int)c)) {
            ds_buf_putc(&b, '\\');
            ds_buf_putc(&b, (char)c);
        } else {
            ds_buf_putc(&b, (char)c);
        }
    }
    if (trail)
        ds_buf_puts(&b, "\\b");
    return b.data ? b.data : ds_xstrdup("");
}

/* Length of the class body at p (just after its '['), up to its closing
 * ']': plain bytes and backslash escapes only, not negated, no POSIX class
 * or nested '['; 0 when it is anything else. */
static size_t plain_class_body(const char *p)
{
    size_t i = 0;
    if (p[0] == '^' || p[0] == ']')
        return 0;
    while (p[i] && p[i] != ']') {
        if (p[i] == '[')
            return 0;
        if (p[i] == '\\') {
            if (!p[i + 1])
                return 0;
            i++;
        }
        i++;
    }
    return p[i] == ']' && i > 0 ? i : 0;
}

char *ds_hs_gated_expr(const char *re)
{
    ds_buf b = {0};
    const char *p = re, *end = re + strlen(re);
    /* (?<![C]) at the start: (?:^|[^C]) */
    size_t n;
    if (strncmp(p, "(?<![", 5) == 0 && (n = plain_class_body(p + 5)) && p[5 + n + 1] == ')') {
        ds_buf_puts(&b, "(?:^|[^");
        ds_buf_append(&b, p + 5, n);
        ds_buf_puts(&b, "])");
        p += 5 + n + 2;
    }
    /* (?![C]) or (?![C]|...) at the end, with no group after its class:
     * (?:[^C]|$), which drops the other branches (a wider prefilter) */
    const char *tail = NULL;
    for (const char *q = p; (q = strstr(q, "(?![")) != NULL; q++) {
        size_t m = plain_class_body(q + 4);
        if (!m)
            continue;
        const char *r = q + 4 + m + 1;
        if (*r != ')' && *r != '|')
            continue;
        const char *z = r;
        while (*z && *z != '(' && *z != ')')
            z += *z == '\\' && z[1] ? 2 : 1;
        if (*z == ')' && z + 1 == end)
            tail = q;
    }
    if (tail) {
        size_t m = plain_class_body(tail + 4);
        ds_buf_append(&b, p, (size_t)(tail - p));
        ds_buf_puts(&b, "(?:[^");
        ds_buf_append(&b, tail + 4, m);
        ds_buf_puts(&b, "]|$)");
    } else {
        ds_buf_puts(&b, p);
    }
    return b.data ? b.data : ds_xstrdup("");
}

/* Field-name patterns normalised as field names are (NULL when v is empty). */
static char **norm_names(const ds_strv *v, size_t *n)
{
    *n = 0;
    if (!v->n)
        return NULL;
    char **out = ds_xcalloc(v->n, sizeof *out);
    for (size_t k = 0; k < v->n; k++) {
        char norm[256];
        ds_name_normalise(v->v[k], strlen(v->v[k]), norm, sizeof norm);
        out[(*n)++] = ds_xstrdup(norm);
    }
    return out;
}

/* Gate classes: byte ranges a detector finds 16 bytes at a time. Digits
 * and ':' (identifiers, phones, dates, IPv6); '@' (e-mail addresses). */
static const unsigned char gate_lo[DS_GATE_CLASSES] = {'0', '@'};
static const unsigned char gate_hi[DS_GATE_CLASSES] = {':', '@'};
/* Tiers, the first that fits a pattern: its class, the gate bytes it needs
 * within its reach at least, the longest reach, and whether Vectorscan gets
 * the lookaround boundaries as consumed classes (ds_hs_gated_expr: on the
 * identifier tiers it removes most candidates inside long digit runs, 94%
 * in a dense CSV; on the others it only made Vectorscan slower on text). */
static const struct {
    unsigned cls, min, max, bounds;
} gate_tiers[DS_GATE_TIERS] = {{0, 6, 64, 1}, {0, 1, 64, 1}, {0, 1, 512, 0}, {1, 1, 1024, 0}};

/* Compile n expressions into *db (left NULL when n is 0), dropping one that
 * Vectorscan refuses and trying again: refused[pattern] is set for it, and
 * the pattern then runs through PCRE2 on every value. The arrays keep the
 * expressions compiled, in order; returns their number. */
static size_t compile_db(const char **exprs, unsigned *flags, unsigned *ids, size_t n,
                         char *refused, hs_database_t **db)
{
    while (n) {
        hs_compile_error_t *ce = NULL;
        if (ds_hs_compile_cached(exprs, flags, ids, (unsigned)n, db, &ce) == HS_SUCCESS)
            return n;
        int bad = ce->expression;
        hs_free_compile_error(ce);
        if (bad < 0 || (size_t)bad >= n) {
            for (size_t i = 0; i < n; i++)
                refused[ids[i]] = 1;
            return 0;
        }
        refused[ids[bad]] = 1;
        memmove(exprs + bad, exprs + bad + 1, (n - (size_t)bad - 1) * sizeof *exprs);
        memmove(flags + bad, flags + bad + 1, (n - (size_t)bad - 1) * sizeof *flags);
        memmove(ids + bad, ids + bad + 1, (n - (size_t)bad - 1) * sizeof *ids);
        n--;
    }
    return 0;
}

/* The relaxed twin of a database (rules_impl.h: rdb) over the expressions
 * that relax, and *rest over the originals of those that do not (refused by
 * the relaxer, or by Vectorscan once relaxed): the detector scans *rest on
 * every window it answers from the cache, so that together they report a
 * superset of the database's candidates. Both are left NULL when nothing
 * relaxes or a compilation fails. */
static void compile_relaxed(const char *const *exprs, const unsigned *flags,
                            const unsigned *ids, size_t n, hs_database_t **db,
                            hs_database_t **rest)
{
    size_t cap = n ? n : 1;
    char **rx = ds_xcalloc(cap, sizeof *rx);
    unsigned *rf = ds_xcalloc(cap, sizeof *rf), *ri = ds_xcalloc(cap, sizeof *ri);
    size_t *src = ds_xcalloc(cap, sizeof *src); /* rx[j] relaxes exprs[src[j]] */
    const char **ox = ds_xcalloc(cap, sizeof *ox);
    unsigned *of = ds_xcalloc(cap, sizeof *of), *oi = ds_xcalloc(cap, sizeof *oi);
    size_t m = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        char *r = ds_re_digit_relax(exprs[i]);
        if (r) {
            src[m] = i;
            rx[m] = r;
            rf[m] = flags[i];
            ri[m++] = ids[i];
        } else {
            ox[k] = exprs[i];
            of[k] = flags[i];
            oi[k++] = ids[i];
        }
    }
    ds_hs_info *info = ds_xcalloc(m ? m : 1, sizeof *info);
    if (m) {
        /* a relaxed expression may need the prefilter mode its original did
         * not; one Vectorscan will not take goes to the rest as it was */
        ds_hs_info_cached((const char *const *)rx, rf, (unsigned)m, 1, info);
        size_t w = 0;
        for (size_t j = 0; j < m; j++) {
            if (!info[j].ok) {
                ox[k] = exprs[src[j]];
                of[k] = flags[src[j]];
                oi[k++] = ids[src[j]];
                free(rx[j]);
                continue;
            }
            rx[w] = rx[j];
            rf[w] = info[j].flags;
            ri[w++] = ri[j];
        }
        m = w;
    }
    hs_compile_error_t *ce = NULL;
    *db = *rest = NULL;
    if (m && ds_hs_compile_cached((const char *const *)rx, rf, ri, (unsigned)m, db, &ce) !=
                 HS_SUCCESS) {
        hs_free_compile_error(ce);
        *db = NULL;
    }
    if (*db && k && ds_hs_compile_cached(ox, of, oi, (unsigned)k, rest, &ce) != HS_SUCCESS) {
        hs_free_compile_error(ce);
        hs_free_database(*db);
        *db = *rest = NULL;
    }
    for (size_t i = 0; i < m; i++)
        free(rx[i]);
    free(rx);
    free(rf);
    free(ri);
    free(src);
    free(ox);
    free(of);
    free(oi);
    free(info);
}

ds_status ds_ruleset_build(ds_rule_def *defs, size_t ndefs, const ds_ruleset_opts *o,
                           ds_ruleset **out, ds_error *err)
{
    ds_ruleset *rs = ds_xcalloc(1, sizeof *rs);
    rs->rules = ds_xcalloc(ndefs ? ndefs : 1, sizeof *rs->rules);
    size_t pcap = 0;
    pat_src *srcs = NULL;
    size_t nsrc = 0, scap = 0;
    uint64_t h = 0xcbf29ce484222325ULL;
    ds_status rc = DS_OK;

    for (size_t i = 0; i < ndefs; i++) {
        ds_rule_def *d = &defs[i];
        for (size_t j = 0; j < i; j++)
            if (defs[j].id && strcmp(defs[j].id, d->id) == 0) {
                rc = loc_error(err, d, d->loc, 0, "duplicate rule id '%s' (first defined in %s)",
                               d->id, defs[j].file ? defs[j].file : "?");
                goto fail;
            }
        int keep = 1;
        if (o && o->nenable && !selected(d, o->enable, o->nenable))
            keep = 0;
        if (o && o->ndisable && selected(d, o->disable, o->ndisable))
            keep = 0;
        if (!keep) {
            /* keep the id for the duplicate check, drop the rest */
            char *id = d->id;
            d->id = NULL;
            ds_rule_def_clear(d);
            d->id = id;
            continue;
        }
        ds_crule *r = &rs->rules[rs->nrules];
        r->def = *d;
        memset(d, 0, sizeof *d);
        d->id = ds_xstrdup(r->def.id); /* still needed for the duplicate check */
        d->file = r->def.file ? ds_xstrdup(r->def.file) : NULL;
        const ds_rule_def *rd = &r->def;
        digest_rule(&h, rd);

        r->pub.id = rd->id;
        r->pub.type = rd->type;
        r->pub.category = rd->category;
        r->pub.description = rd->description;
        r->pub.confidence = rd->has_confidence ? rd->confidence : 0.6;
        r->pub.validator = rd->validator;
        r->pub.file = rd->file;
        r->pub.line = rd->loc.line;
        r->pub.def = rd;
        if (!ds_severity_parse(rd->severity, &r->pub.severity) || r->pub.severity == DS_SEV_NONE) {
            rc = loc_error(err, rd, rd->loc, 0, "rule '%s': unknown severity '%s'", rd->id,
                           rd->severity);
            goto fail_rule;
        }
        if (rd->validator) {
            r->validator = ds_validator_find(rd->validator);
            if (!r->validator) {
                rc = loc_error(err, rd, rd->validator_loc, 0, "rule '%s': unknown validator '%s'",
                               rd->id, rd->validator);
                goto fail_rule;
            }
        }
        /* regexes */
        for (size_t k = 0; k < rd->regex.n; k++) {
            pcre2_code *re = compile_pcre(rd->regex.v[k], rd->caseless, 0, rd, rd->regex.loc[k],
                                          err);
            if (!re) {
                rc = DS_ERULE;
                goto fail_rule;
            }
            uint32_t ncap = 0;
            pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
            if (ncap > rs->max_groups)
                rs->max_groups = ncap;
            int *lg = NULL;
            if (rd->nlexicons) {
                lg = ds_xcalloc(rd->nlexicons, sizeof *lg);
                for (size_t l = 0; l < rd->nlexicons; l++) {
                    const char *nm = rd->lexicons[l].name;
                    int g = strcmp(nm, "match") == 0
                                ? 0
                                : pcre2_substring_number_from_name(re, (PCRE2_SPTR)nm);
                    lg[l] = g >= 0 ? g : -1;
                }
            }
            rs->pats = ds_xgrow(rs->pats, &pcap, rs->npats + 1, sizeof *rs->pats);
            srcs = ds_xgrow(srcs, &scap, nsrc + 1, sizeof *srcs);
            rs->pats[rs->npats] = (ds_cpattern){.rule = rs->nrules,
                                                .re = re,
                                                .lex_group = lg,
                                                .alias_next = SIZE_MAX,
                                                .anchor = o && o->no_anchor ? DS_ANCHOR_NONE
                                                                            : rd->anchor};
            srcs[nsrc] = (pat_src){
                ds_xstrdup(rd->prefilter ? rd->prefilter : rd->regex.v[k]),
                HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH | (rd->caseless ? HS_FLAG_CASELESS : 0u),
                rd->caseless, rs->npats};
            rs->npats++;
            nsrc++;
        }
        /* keywords */
        char *kw = keyword_regex(rd->keywords, rd->nkeywords, o);
        if (kw) {
            pcre2_code *re = compile_pcre(kw, 1, 1, rd, rd->loc, err);
            if (!re) {
                free(kw);
                rc = DS_ERULE;
                goto fail_rule;
            }
            free(kw);
            rs->pats = ds_xgrow(rs->pats, &pcap, rs->npats + 1, sizeof *rs->pats);
            rs->pats[rs->npats] = (ds_cpattern){
                .rule = rs->nrules, .re = re, .keyword = 1, .alias_next = SIZE_MAX};
            /* one alternation per rule: Vectorscan compiles it faster than as
             * many expressions */
            ds_buf alt = {0};
            size_t longest = 0;
            for (size_t w = 0; w < rd->nkeywords; w++) {
                if (!lang_active(o, rd->keywords[w].lang))
                    continue;
                for (size_t k = 0; k < rd->keywords[w].words.n; k++) {
                    if (!*rd->keywords[w].words.v[k])
                        continue;
                    if (strlen(rd->keywords[w].words.v[k]) > longest)
                        longest = strlen(rd->keywords[w].words.v[k]);
                    char *e = keyword_hs(rd->keywords[w].words.v[k]);
                    ds_buf_puts(&alt, alt.len ? "|" : "(?:");
                    ds_buf_puts(&alt, e);
                    free(e);
                }
            }
            ds_buf_puts(&alt, ")");
            /* the longest match of a keyword written the usual way: each
             * character, case-folded, and each single space is at most 4 bytes */
            rs->pats[rs->npats].kw_width = longest > 4096 ? 0 : (unsigned)(4 * longest);
            srcs = ds_xgrow(srcs, &scap, nsrc + 1, sizeof *srcs);
            srcs[nsrc++] = (pat_src){alt.data, HS_FLAG_UTF8 | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                                     1, rs->npats};
            rs->npats++;
        }
        /* excludes */
        if (rd->exclude.n) {
            r->exclude = ds_xcalloc(rd->exclude.n, sizeof *r->exclude);
            for (size_t k = 0; k < rd->exclude.n; k++) {
                r->exclude[k] = compile_pcre(rd->exclude.v[k], rd->caseless, 0, rd,
                                             rd->exclude.loc[k], err);
                if (!r->exclude[k]) {
                    rc = DS_ERULE;
                    goto fail_rule;
                }
                r->nexclude++;
            }
        }
        /* context words of the active languages */
        for (size_t k = 0; k < rd->ncontext; k++) {
            if (!lang_active(o, rd->context[k].lang))
                continue;
            for (size_t w = 0; w < rd->context[k].words.n; w++) {
                size_t cap = r->nctx;
                r->ctx_words = ds_xrealloc(r->ctx_words, (cap + 1) * sizeof *r->ctx_words);
                r->ctx_lens = ds_xrealloc(r->ctx_lens, (cap + 1) * sizeof *r->ctx_lens);
                char *word = ds_xstrdup(rd->context[k].words.v[w]);
                lower_ascii(word);
                r->ctx_words[cap] = word;
                r->ctx_lens[cap] = strlen(word);
                unsigned char w0 = (unsigned char)word[0];
                if (!((w0 >= 'a' && w0 <= 'z') || (w0 >= '0' && w0 <= '9') || w0 >= 0x80))
                    r->ctx_nonword_first = 1; /* lower case already; "" too */
                if (r->ctx_lens[cap] > r->ctx_maxlen)
                    r->ctx_maxlen = r->ctx_lens[cap];
                r->nctx++;
            }
        }
        /* by first byte, so that the detector looks up the words starting
         * with each word start of a window instead of every word everywhere */
        for (size_t a = 1; a < r->nctx; a++)
            for (size_t b = a; b > 0 && (unsigned char)r->ctx_words[b - 1][0] >
                                            (unsigned char)r->ctx_words[b][0];
                 b--) {
                char *tw = r->ctx_words[b];
                size_t tl = r->ctx_lens[b];
                r->ctx_words[b] = r->ctx_words[b - 1];
                r->ctx_lens[b] = r->ctx_lens[b - 1];
                r->ctx_words[b - 1] = tw;
                r->ctx_lens[b - 1] = tl;
            }
        for (unsigned c = 0, k = 0; c < 257; c++) {
            while (k < r->nctx && (unsigned char)r->ctx_words[k][0] < c)
                k++;
            r->ctx_first[c] = k;
        }
        /* columns */
        r->columns = norm_names(&rd->columns, &r->ncolumns);
        r->pair_cols = norm_names(&rd->column_pair, &r->npair_cols);
        r->not_cols = norm_names(&rd->exclude_columns, &r->nnot_cols);
        /* lexicons: each must name a group of some regex of the rule */
        if (rd->nlexicons) {
            r->lex = ds_xcalloc(rd->nlexicons, sizeof *r->lex);
            for (size_t l = 0; l < rd->nlexicons; l++) {
                const ds_rule_lexicon *lx = &rd->lexicons[l];
                int used = 0;
                for (size_t p = 0; p < rs->npats; p++)
                    if (rs->pats[p].rule == rs->nrules && rs->pats[p].lex_group &&
                        rs->pats[p].lex_group[l] >= 0)
                        used = 1;
                if (!used) {
                    rc = loc_error(err, rd, lx->loc, 0,
                                   "rule '%s': no regex has a group named '%s' for its lexicon",
                                   rd->id, lx->name);
                    goto fail_rule;
                }
                r->lex[l].sets = ds_xcalloc(lx->files.n, sizeof *r->lex[l].sets);
                for (size_t k = 0; k < lx->files.n; k++) {
                    const ds_lexset *set = lexset_get(rs, rd, lx->files.v[k], lx->files.loc[k], err);
                    if (!set) {
                        rc = DS_ERULE;
                        goto fail_rule;
                    }
                    r->lex[l].sets[r->lex[l].nsets++] = set;
                }
            }
        }
        if (rd->person_signal != DS_PSIG_NONE && !rs->signals.words) {
            rc = load_signals(rs, rd, o, err);
            if (rc != DS_OK)
                goto fail_rule;
        }
        if (rd->column_only) {
            rs->column_only = ds_xrealloc(rs->column_only,
                                          (rs->ncolumn_only + 1) * sizeof *rs->column_only);
            rs->column_only[rs->ncolumn_only++] = rs->nrules;
        }
        rs->nrules++;
        continue;
    fail_rule:
        rs->nrules++; /* so the partially built rule is freed */
        goto fail;
    }

    /* Vectorscan database */
    {
        const char **exprs = ds_xcalloc(nsrc ? nsrc : 1, sizeof *exprs);
        unsigned *flags = ds_xcalloc(nsrc ? nsrc : 1, sizeof *flags);
        unsigned *ids = ds_xcalloc(nsrc ? nsrc : 1, sizeof *ids);
        size_t nin = 0;
        /* a pattern whose expressions Vectorscan does not all take runs on every value */
        char *refused = ds_xcalloc(rs->npats ? rs->npats : 1, 1);
        /* how Vectorscan takes each expression: as is, as a prefilter, or
         * not at all (the pattern then runs through PCRE2 on every value);
         * keyword expressions are plain literals: no need to ask */
        ds_hs_info *info = ds_xcalloc(nsrc ? nsrc : 1, sizeof *info);
        {
            const char **qe = ds_xcalloc(nsrc ? nsrc : 1, sizeof *qe);
            unsigned *qf = ds_xcalloc(nsrc ? nsrc : 1, sizeof *qf);
            size_t *qi = ds_xcalloc(nsrc ? nsrc : 1, sizeof *qi);
            ds_hs_info *qo = ds_xcalloc(nsrc ? nsrc : 1, sizeof *qo);
            unsigned nq = 0;
            for (size_t i = 0; i < nsrc; i++) {
                info[i] = (ds_hs_info){1, srcs[i].flags, 0};
                if (!rs->pats[srcs[i].pat].keyword) {
                    qe[nq] = srcs[i].expr;
                    qf[nq] = srcs[i].flags;
                    qi[nq++] = i;
                }
            }
            ds_hs_info_cached(qe, qf, nq, 1, qo);
            for (unsigned q = 0; q < nq; q++)
                info[qi[q]] = qo[q];
            free(qe);
            free(qf);
            free(qi);
            free(qo);
        }
        for (size_t i = 0; i < nsrc; i++) {
            size_t p = srcs[i].pat;
            unsigned f = info[i].flags, w = info[i].max_width;
            if (!info[i].ok) {
                refused[p] = 1;
                continue;
            }
            /* a declared prefilter says nothing about the regex's width; a
             * keyword alternation starts PCRE2 a longest keyword before the
             * first keyword Vectorscan found */
            const ds_rule_def *rd = &rs->rules[rs->pats[p].rule].def;
            rs->pats[p].max_width = rd->prefilter ? 0 : rs->pats[p].keyword ? rs->pats[p].kw_width : w;
            rs->pats[p].in_db = 1;
            /* the same expression (one prefilter for several regexes of a
             * rule): compiled once, its hits go to every pattern sharing it */
            size_t dup = nin;
            for (size_t k = 0; k < nin && dup == nin; k++)
                if (flags[k] == f && strcmp(exprs[k], srcs[i].expr) == 0)
                    dup = k;
            if (dup < nin) {
                size_t q = ids[dup];
                while (rs->pats[q].alias_next != SIZE_MAX)
                    q = rs->pats[q].alias_next;
                rs->pats[q].alias_next = p;
                if (rs->pats[p].max_width != rs->pats[ids[dup]].max_width)
                    rs->pats[p].max_width = rs->pats[ids[dup]].max_width = 0;
                continue;
            }
            exprs[nin] = srcs[i].expr;
            flags[nin] = f;
            ids[nin] = (unsigned)p;
            nin++;
        }
        /* gated patterns (re_shape.h) to their own database */
        uint8_t gate[DS_GATE_CLASSES][32] = {{0}};
        for (int c = 0; c < DS_GATE_CLASSES; c++) {
            for (unsigned g = gate_lo[c]; g <= gate_hi[c]; g++)
                gate[c][g / 8] |= (uint8_t)(1u << (g % 8));
            rs->gate_lo[c] = gate_lo[c];
            rs->gate_hi[c] = gate_hi[c];
        }
        for (int t = 0; t < DS_GATE_TIERS; t++)
            rs->gate_class[t] = gate_tiers[t].cls;
        const char **gexprs = ds_xcalloc(nin ? nin : 1, sizeof *gexprs);
        unsigned *gflags = ds_xcalloc(nin ? nin : 1, sizeof *gflags);
        unsigned *gids = ds_xcalloc(nin ? nin : 1, sizeof *gids);
        int *tier = ds_xcalloc(nin ? nin : 1, sizeof *tier);
        for (size_t i = 0; i < nin; i++) {
            ds_cpattern *cp = &rs->pats[ids[i]];
            const ds_rule_def *rd = &rs->rules[cp->rule].def;
            tier[i] = -1;
            /* a declared prefilter is what Vectorscan looks for: gating
             * holds when its own matches are gated; the regex then runs over
             * the whole value (max_width stays 0) */
            if ((o && o->no_gate) || cp->keyword)
                continue;
            ds_re_shape sh[DS_GATE_CLASSES];
            int ok[DS_GATE_CLASSES];
            for (int c = 0; c < DS_GATE_CLASSES; c++)
                ok[c] = ds_re_shape_of(exprs[i], (flags[i] & HS_FLAG_CASELESS) != 0, gate[c],
                                       &sh[c]) &&
                        sh[c].gates && sh[c].max_width;
            for (int t = 0; t < DS_GATE_TIERS && tier[i] < 0; t++) {
                const ds_re_shape *hp = &sh[gate_tiers[t].cls];
                if (!ok[gate_tiers[t].cls] || hp->reach > gate_tiers[t].max ||
                    hp->gates < gate_tiers[t].min)
                    continue;
                tier[i] = t;
                if (!rd->prefilter && (!cp->max_width || hp->max_width < cp->max_width))
                    cp->max_width = hp->max_width;
                if (hp->reach > rs->gate_width[t])
                    rs->gate_width[t] = hp->reach;
                if (hp->lead > rs->gate_lead[t])
                    rs->gate_lead[t] = hp->lead;
                            if (hp->trail > rs->gate_trail[t])
                    rs->gate_trail[t] = hp->trail;
                if (!rs->gate_min[t] || hp->gates < rs->gate_min[t])
                    rs->gate_min[t] = hp->gates;
            }
        }
        for (int t = 0; t < DS_GATE_TIERS; t++) {
            size_t ng = 0;
            char **owned = ds_xcalloc(nin ? nin : 1, sizeof *owned);
            const char **orig = ds_xcalloc(nin ? nin : 1, sizeof *orig);
            for (size_t i = 0; i < nin; i++)
                if (tier[i] == t) {
                    /* boundaries Vectorscan can hold, where its prefilter
                     * mode would drop the lookarounds: far fewer candidates
                     * inside long digit runs (ds_hs_gated_expr) */
                    char *ge = gate_tiers[t].bounds ? ds_hs_gated_expr(exprs[i]) : NULL;
                    if (ge && strcmp(ge, exprs[i]) != 0)
                        owned[ng] = ge;
                    else
                        free(ge);
                    orig[ng] = exprs[i];
                    gexprs[ng] = owned[ng] ? owned[ng] : exprs[i];
                    gflags[ng] = flags[i];
                    gids[ng++] = ids[i];
                }
            /* a rewritten expression Vectorscan would not take: the original */
            ds_hs_info *gi = ds_xcalloc(ng ? ng : 1, sizeof *gi);
            ds_hs_info_cached(gexprs, gflags, (unsigned)ng, 0, gi);
            for (size_t i = 0; i < ng; i++)
                if (owned[i] && !gi[i].ok) {
                    gexprs[i] = orig[i];
                    free(owned[i]);
                    owned[i] = NULL;
                }
            free(gi);
            size_t nc = compile_db(gexprs, gflags, gids, ng, refused, &rs->gdb[t]);
            if (rs->gdb[t] && !(o && o->no_shape) && gate_tiers[t].cls == 0)
                compile_relaxed(gexprs, gflags, gids, nc, &rs->rdb[t], &rs->rrest[t]);
            for (size_t i = 0; i < ng; i++)
                free(owned[i]);
            free(owned);
            free(orig);
            if (rs->gdb[t]) {
                rs->ngated += (int)ng;
                rs->gate_used[gate_tiers[t].cls] = 1;
            }
        }
        size_t nl = 0;
        for (size_t i = 0; i < nin; i++)
            if (tier[i] < 0) {
                exprs[nl] = exprs[i];
                flags[nl] = flags[i];
                ids[nl++] = ids[i];
            }
        size_t nm = compile_db(exprs, flags, ids, nl, refused, &rs->db);
        if (rs->db && !(o && o->no_shape))
            compile_relaxed(exprs, flags, ids, nm, &rs->rdb_main, &rs->rrest_main);
        free(tier);
        free(gexprs);
        free(gflags);
        free(gids);
        free(exprs);
        free(flags);
        free(ids);
        /* what Vectorscan refused, it refused for the aliases too */
        for (size_t p = 0; p < rs->npats; p++)
            if (refused[p] && rs->pats[p].in_db)
                for (size_t q = p; q != SIZE_MAX; q = rs->pats[q].alias_next) {
                    refused[q] = 1;
                    rs->pats[q].in_db = 0;
                }
        for (size_t p = 0; p < rs->npats; p++)
            if (refused[p]) {
                rs->pats[p].in_db = 0;
                rs->pats[p].alias_next = SIZE_MAX;
            }
        free(refused);
        free(info);
        for (size_t p = 0; p < rs->npats; p++)
            if (!rs->pats[p].in_db) {
                rs->always = ds_xrealloc(rs->always, (rs->nalways + 1) * sizeof *rs->always);
                rs->always[rs->nalways++] = p;
            }
    }
    for (size_t p = 0; p < nsrc; p++)
        free(srcs[p].expr);
    free(srcs);
    ds_rule_defs_free(defs, ndefs);
    snprintf(rs->digest, sizeof rs->digest, "fnv1a64:%016llx", (unsigned long long)h);
    *out = rs;
    return DS_OK;

fail:
    for (size_t p = 0; p < nsrc; p++)
        free(srcs[p].expr);
    free(srcs);
    ds_rule_defs_free(defs, ndefs);
    ds_ruleset_free(rs);
    *out = NULL;
    return rc;
}

size_t ds_ruleset_count(const ds_ruleset *rs)
{
    return rs->nrules;
}

const ds_rule *ds_ruleset_rule(const ds_ruleset *rs, size_t i)
{
    return i < rs->nrules ? &rs->rules[i].pub : NULL;
}

const ds_rule *ds_ruleset_find(const ds_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].pub.id, id) == 0)
            return &rs->rules[i].pub;
    return NULL;
}

const char *ds_ruleset_digest(const ds_ruleset *rs)
{
    return rs->digest;
}

/* Append the definitions of one rule file to *all. */
static ds_status parse_append(const char *name, const char *text, size_t len, ds_rule_def **all,
                              size_t *nall, ds_error *err)
{
    ds_rule_def *defs = NULL;
    size_t n = 0;
    ds_status rc = ds_rules_parse(name, text, len, &defs, &n, err);
    if (rc != DS_OK)
        return rc;
    *all = ds_xrealloc(*all, (*nall + n) * sizeof **all);
    memcpy(*all + *nall, defs, n * sizeof *defs);
    *nall += n;
    free(defs);
    return DS_OK;
}

ds_status ds_ruleset_load_mem(const char *const *names, const char *const *texts, size_t n,
                              const ds_ruleset_opts *opts, ds_ruleset **out, ds_error *err)
{
    ds_rule_def *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < n; i++) {
        ds_status rc = parse_append(names[i], texts[i], strlen(texts[i]), &all, &nall, err);
        if (rc != DS_OK) {
            ds_rule_defs_free(all, nall);
            return rc;
        }
    }
    return ds_ruleset_build(all, nall, opts, out, err);
}

ds_status ds_ruleset_load_builtin(const ds_ruleset_opts *opts, ds_ruleset **out, ds_error *err)
{
    ds_rule_def *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < ds_builtin_nfiles; i++) {
        const ds_builtin_file *f = &ds_builtin_files[i];
        size_t l = strlen(f->path);
        if (l < 4 || strcmp(f->path + l - 4, ".yml") != 0)
            continue;
        ds_status rc = parse_append(f->path, f->data, (size_t)(f->end - f->data), &all, &nall, err);
        if (rc != DS_OK) {
            ds_rule_defs_free(all, nall);
            return rc;
        }
    }
    return ds_ruleset_build(all, nall, opts, out, err);
}

const ds_builtin_file *ds_builtin_find(const char *path)
{
    for (size_t i = 0; i < ds_builtin_nfiles; i++)
        if (strcmp(ds_builtin_files[i].path, path) == 0)
            return &ds_builtin_files[i];
    return NULL;
}

static int yaml_name(const char *n)
{
    size_t l = strlen(n);
    return n[0] != '.' && ((l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
                           (l > 5 && strcmp(n + l - 5, ".yaml") == 0));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}


ds_status ds_ruleset_load_dir(const char *dir, const ds_ruleset_opts *opts, ds_ruleset **out,
                              ds_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ds_error_set(err, DS_ERULE, dir, "cannot open rules directory: %s",
                            strerror(errno));
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!yaml_name(e->d_name))
            continue;
        names = ds_xrealloc(names, (nn + 1) * sizeof *names);
        names[nn++] = ds_xstrdup(e->d_name);
    }
    closedir(d);
    if (nn) /* names is NULL for an empty directory */
        qsort(names, nn, sizeof *names, cmp_str);
    ds_rule_def *all = NULL;
    size_t nall = 0;
    ds_status rc = DS_OK;
    ds_buf path = {0}, text = {0};
    for (size_t i = 0; i < nn && rc == DS_OK; i++) {
        ds_buf_reset(&path);
        ds_buf_printf(&path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path.data, "rb");
        if (!f) {
            rc = ds_error_set(err, DS_ERULE, path.data, "cannot read rule file: %s",
                              strerror(errno));
            break;
        }
        ds_buf_reset(&text);
        char tmp[65536];
        size_t r;
        while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) {
            ds_buf_append(&text, tmp, r);
            if (text.len > DS_RULE_FILE_MAX) {
                rc = ds_error_set(err, DS_ERULE, path.data, "rule file larger than %u bytes",
                                  DS_RULE_FILE_MAX);
                break;
            }
        }
        fclose(f);
        if (rc == DS_OK)
            rc = parse_append(path.data, text.data ? text.data : "", text.len, &all, &nall, err);
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    ds_buf_free(&path);
    ds_buf_free(&text);
    if (rc != DS_OK) {
        ds_rule_defs_free(all, nall);
        return rc;
    }
    if (nall == 0) {
        return ds_error_set(err, DS_ERULE, dir, "no rule files (*.yml) in this directory");
    }
    return ds_ruleset_build(all, nall, opts, out, err);
}
