/* detect: the per-thread scanner over an immutable ruleset (see detect.h). */
#include "detect/detect.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/mem.h"
#include "common/names.h"
#include "rules/rules_impl.h"

#define UNSET UINT64_MAX

/* Shape cache: windows up to SC_KEY bytes whose relaxed scan reported at
 * most SC_PATS patterns. */
#define SCACHE 4096
#define SC_KEY 64

#define MHINT 64 /* field indexes whose last memo slot is remembered */

struct ds_detector {
    const ds_ruleset *rs;
    ds_detect_opts o;
    hs_scratch_t *scratch;
    pcre2_match_data *md;
    pcre2_match_context *mctx;  /* the rule's regexes: bounds where matches start */
    pcre2_match_context *xctx;  /* exclude regexes: no such bound */
    pcre2_jit_stack *jit;
    uint64_t *first_end; /* per pattern: end of its first Vectorscan hit, or UNSET */
    size_t *hits;        /* patterns hit in the current value */
    size_t nhits;
    size_t gwin_s, gwin_e; /* the window being scanned by a gated database */
    size_t gwin_g;         /* its last gate byte: no match of it starts after that */
    struct ghit *gh;     /* gated patterns hit in the current value, with their window */
    size_t ngh, ghcap;
    struct grun *gr[DS_GATE_CLASSES]; /* runs of gate bytes in the current value */
    size_t ngr[DS_GATE_CLASSES], grcap[DS_GATE_CLASSES];
    ds_finding *f;
    size_t nf, fcap;
    unsigned char *drop; /* drop_nested's marks, one per finding */
    size_t dcap;
    ds_detect_stats st;
    /* current record and field */
    const ds_record *rec;
    const ds_field *field;
    size_t field_idx;
    int norm_done;
    char norm[256];
    /* Column-name answers per field name: a CSV column or JSON path recurs on
     * every record, and matching its normalised name against every rule's
     * column globs (fnmatch) cost ~11% of a dense CSV scan. */
    struct colmemo *memo; /* COLMEMO slots, each with one byte per rule */
    struct colmemo *cur;  /* the current field's slot, or NULL (name too long) */
    size_t memo_next;     /* round-robin replacement within a set */
    uint32_t memo_gen;    /* fills of memo slots so far: names a slot's contents */
    struct colmemo *mhint[MHINT]; /* per field index: the slot it had last record */
    /* Findings of short whole values per field name: a column's values
     * repeat (a city, a category, a test card number), and the answer for
     * a value depends only on its bytes and its field name. */
    struct vcent *vc;     /* VCACHE entries, direct-mapped */
    uint32_t *vtag;       /* per entry: a tag of its key, read before the entry so
                           * that a value never seen (most of a dense column) does
                           * not pull a cold entry into the CPU cache */
    /* Candidates of a digit-gated tier per window shape (its digits as '0'),
     * and of the whole-value database per shape of a short value with
     * digits, found with their relaxed databases (rules_impl.h: rdb). */
    struct scent *sc;     /* SCACHE entries, direct-mapped */
    struct scent *sc_fill; /* the entry the relaxed scan is filling, or NULL */
    /* the last window's shape: its key, hash and whether it holds a digit,
     * valid while sk_serial is the current value's number */
    uint32_t sk_serial;
    const unsigned char *sk_text;
    size_t sk_len;
    int sk_digits;
    uint64_t sk_hash;
    char sk_key[SC_KEY];
    /* per rule: has the current value a context word of it (value_has_context) */
    uint32_t value_serial; /* values scanned, the current one's number */
    uint32_t *ctx_seen;    /* per rule: value_serial when ctx_any was set */
    unsigned char *ctx_any;
};

/* A gated pattern reported in the window [ws, we) of a value: its matches
 * lie there (rules_impl.h), so PCRE2 looks for them there only, starting
 * at most at g, the window's last gate byte (a match starts before the gate
 * bytes it holds or reads ahead). */
typedef struct ghit {
    size_t pat;
    size_t ws, we, g;
} ghit;

/* A run [s, e) of gate bytes in a value. */
typedef struct grun {
    size_t s, e;
} grun;

/* Value cache: values up to VC_VAL bytes with at most VC_F findings. */
#define VCACHE 4096
#define VC_VAL 96
#define VC_F 4

typedef struct vcent {
    uint32_t gen;   /* the field name's memo slot generation; 0: empty */
    uint8_t len, nf;
    char val[VC_VAL];
    struct {
        uint32_t rule; /* index into rs->rules */
        uint8_t s, e;
        double conf;
    } f[VC_F];
} vcent;

#define SC_PATS 6
#define SC_MAIN DS_GATE_TIERS /* the key space of the whole-value database */

typedef struct scent {
    uint8_t used, tier, len, npat; /* npat > SC_PATS: not kept */
    uint16_t pat[SC_PATS];         /* ids as Vectorscan reports them */
    uint8_t end[SC_PATS];          /* SC_MAIN: where each first ended */
    char key[SC_KEY];
} scent;

#define COLMEMO 64
#define COLMEMO_WAYS 4
#define COLMEMO_NAME 128
/* per rule: */
#define CM_COL_KNOWN 1u
#define CM_COL 2u
#define CM_NOT_KNOWN 4u
#define CM_NOT 8u
#define CM_PAIR_KNOWN 16u
#define CM_PAIR 32u

typedef struct colmemo {
    size_t len; /* SIZE_MAX: empty slot */
    uint32_t gen; /* d->memo_gen when filled: a value cache key */
    char name[COLMEMO_NAME];
    char norm[256];
    unsigned char *m;
    /* column-only rules (rules_impl.h: column_only): 0 not asked yet, 1 none
     * names this field, 2 some do */
    unsigned char co;
} colmemo;

ds_status ds_detector_new(const ds_ruleset *rs, const ds_detect_opts *opts, ds_detector **out,
                          ds_error *err)
{
    ds_detector *d = ds_xcalloc(1, sizeof *d);
    d->rs = rs;
    d->o.min_confidence = opts ? opts->min_confidence : DS_DEFAULT_MIN_CONFIDENCE;
    int bad = rs->db && hs_alloc_scratch(rs->db, &d->scratch) != HS_SUCCESS;
    for (int t = 0; t < DS_GATE_TIERS; t++) {
        bad |= rs->gdb[t] && hs_alloc_scratch(rs->gdb[t], &d->scratch) != HS_SUCCESS;
        bad |= rs->rdb[t] && hs_alloc_scratch(rs->rdb[t], &d->scratch) != HS_SUCCESS;
        bad |= rs->rrest[t] && hs_alloc_scratch(rs->rrest[t], &d->scratch) != HS_SUCCESS;
    }
    bad |= rs->rdb_main && hs_alloc_scratch(rs->rdb_main, &d->scratch) != HS_SUCCESS;
    bad |= rs->rrest_main && hs_alloc_scratch(rs->rrest_main, &d->scratch) != HS_SUCCESS;
    if (bad) {
        if (d->scratch)
            hs_free_scratch(d->scratch);
        free(d);
        return ds_error_set(err, DS_ENOMEM, NULL, "cannot allocate Vectorscan scratch");
    }
    d->md = pcre2_match_data_create(rs->max_groups + 1, NULL);
    d->mctx = pcre2_match_context_create(NULL);
    d->xctx = pcre2_match_context_create(NULL);
    d->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!d->md || !d->mctx || !d->xctx || !d->jit) {
        ds_detector_free(d);
        return ds_error_set(err, DS_ENOMEM, NULL, "cannot allocate PCRE2 match state");
    }
    pcre2_match_context *ctxs[] = {d->mctx, d->xctx};
    for (size_t i = 0; i < 2; i++) {
        pcre2_set_match_limit(ctxs[i], DS_PCRE2_MATCH_LIMIT);
        pcre2_set_depth_limit(ctxs[i], DS_PCRE2_DEPTH_LIMIT);
        pcre2_jit_stack_assign(ctxs[i], NULL, d->jit);
    }
    d->first_end = ds_xmalloc((rs->npats ? rs->npats : 1) * sizeof *d->first_end);
    for (size_t i = 0; i < rs->npats; i++)
        d->first_end[i] = UNSET;
    d->hits = ds_xmalloc((rs->npats ? rs->npats : 1) * sizeof *d->hits);
    d->ctx_seen = ds_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *d->ctx_seen);
    d->ctx_any = ds_xcalloc(rs->nrules ? rs->nrules : 1, 1);
    *out = d;
    return DS_OK;
}

void ds_detector_free(ds_detector *d)
{
    if (!d)
        return;
    if (d->scratch)
        hs_free_scratch(d->scratch);
    pcre2_match_data_free(d->md);
    pcre2_match_context_free(d->mctx);
    pcre2_match_context_free(d->xctx);
    pcre2_jit_stack_free(d->jit);
    free(d->first_end);
    free(d->hits);
    free(d->gh);
    for (int c = 0; c < DS_GATE_CLASSES; c++)
        free(d->gr[c]);
    free(d->f);
    free(d->drop);
    free(d->vc);
    free(d->vtag);
    free(d->sc);
    free(d->ctx_seen);
    free(d->ctx_any);
    if (d->memo) {
        for (size_t i = 0; i < COLMEMO; i++)
            free(d->memo[i].m);
        free(d->memo);
    }
    free(d);
}

const ds_detect_stats *ds_detector_stats(const ds_detector *d)
{
    return &d->st;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                 void *ctx)
{
    (void)from;
    (void)flags;
    ds_detector *d = ctx;
    /* patterns sharing one expression are reported under the first one */
    for (size_t p = id; p != SIZE_MAX; p = d->rs->pats[p].alias_next)
        if (d->first_end[p] == UNSET) {
            d->first_end[p] = to;
            d->hits[d->nhits++] = p;
        }
    return 0;
}

/* A gated pattern reported in the current window (with its aliases). */
static void gated_hit(ds_detector *d, size_t id)
{
    for (size_t p = id; p != SIZE_MAX; p = d->rs->pats[p].alias_next) {
        d->gh = ds_xgrow(d->gh, &d->ghcap, d->ngh + 1, sizeof *d->gh);
        d->gh[d->ngh++] = (ghit){.pat = p, .ws = d->gwin_s, .we = d->gwin_e, .g = d->gwin_g};
    }
}

static int on_hs_gated(unsigned id, unsigned long long from, unsigned long long to,
                       unsigned flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    ds_detector *d = ctx;
    gated_hit(d, id);
    scent *e = d->sc_fill;
    if (e) {
        if (e->npat < SC_PATS && id <= UINT16_MAX)
            e->pat[e->npat++] = (uint16_t)id;
        else
            e->npat = SC_PATS + 1;
    }
    return 0;
}

/* The memo slot of a field name (raw bytes), filled on a miss. Four-way
 * set-associative: the slots of a set are probed in turn and a miss
 * replaces them round-robin, so that two names of a record whose hashes
 * collide ("url" and "text" do) do not evict each other on every record. */
static colmemo *memo_slot(ds_detector *d, const char *name, size_t len)
{
    if (len >= COLMEMO_NAME)
        return NULL;
    if (!d->memo) {
        d->memo = ds_xcalloc(COLMEMO, sizeof *d->memo);
        for (size_t i = 0; i < COLMEMO; i++) {
            d->memo[i].len = SIZE_MAX;
            d->memo[i].m = ds_xcalloc(d->rs->nrules ? d->rs->nrules : 1, 1);
        }
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 0x100000001b3ULL;
    size_t set = (size_t)(h % (COLMEMO / COLMEMO_WAYS)) * COLMEMO_WAYS;
    for (size_t w = 0; w < COLMEMO_WAYS; w++) {
        colmemo *c = &d->memo[set + w];
        if (c->len == len && memcmp(c->name, name, len) == 0)
            return c;
    }
    colmemo *c = &d->memo[set + d->memo_next++ % COLMEMO_WAYS];
    c->len = len;
    if (++d->memo_gen == 0) { /* wrapped: no cached value may name a refilled slot */
        if (d->vc) {
            memset(d->vc, 0, VCACHE * sizeof *d->vc);
            memset(d->vtag, 0, VCACHE * sizeof *d->vtag);
        }
        d->memo_gen = 1;
    }
    c->gen = d->memo_gen;
    memcpy(c->name, name, len);
    ds_name_normalise(name, len, c->norm, sizeof c->norm);
    memset(c->m, 0, d->rs->nrules ? d->rs->nrules : 1);
    c->co = 0;
    return c;
}

static const char *field_norm(ds_detector *d)
{
    if (d->cur)
        return d->cur->norm;
    if (!d->norm_done) {
        ds_name_normalise(d->field->name, d->field->name_len, d->norm, sizeof d->norm);
        d->norm_done = 1;
    }
    return d->norm;
}

/* Does the current field's name match rule r's columns (not_cols when neg)? */
static int col_match(ds_detector *d, const ds_crule *r, int neg)
{
    if (!d->cur)
        return neg ? ds_colpat_match(r->not_cols, r->nnot_cols, field_norm(d))
                   : ds_crule_column_match(r, field_norm(d));
    unsigned char *m = &d->cur->m[r - d->rs->rules];
    unsigned known = neg ? CM_NOT_KNOWN : CM_COL_KNOWN, yes = neg ? CM_NOT : CM_COL;
    if (!(*m & known)) {
        int v = neg ? ds_colpat_match(r->not_cols, r->nnot_cols, d->cur->norm)
                    : ds_crule_column_match(r, d->cur->norm);
        *m = (unsigned char)(*m | known | (v ? yes : 0));
    }
    return (*m & yes) != 0;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* 1 when a context word of r starts at i of v as a whole word (it ends at a
 * word edge; the byte before i, the caller checked) within [.., hi) and is
 * not inside [s, e): the match is not its own context. */
static inline __attribute__((always_inline)) int
ctx_word_at(const ds_crule *r, const char *v, size_t len, size_t i, size_t hi, size_t s, size_t e)
{
    unsigned c = lower((unsigned char)v[i]);
    for (size_t k = r->ctx_first[c]; k < r->ctx_first[c + 1]; k++) {
        const char *word = r->ctx_words[k];
        size_t wl = r->ctx_lens[k];
        if (wl == 0 || wl > hi - i)
            continue;
        size_t j = 1;
        while (j < wl && lower((unsigned char)v[i + j]) == (unsigned char)word[j])
            j++;
        if (j < wl)
            continue;
        if (i + wl < len && is_word_byte((unsigned char)v[i + wl]))
            continue;
        if (i >= s && i + wl <= e)
            continue;
        return 1;
    }
    return 0;
}

#ifdef __SSE2__
/* Bit k set when p[k] is a word byte (is_word_byte), for 16 bytes. */
static unsigned word_mask16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    __m128i dg = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i lt = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(dg, _mm_set1_epi8(9)), dg);
    __m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(lt, _mm_set1_epi8(25)), lt);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(x, _mm_or_si128(isd, isl)));
}
#endif

/* 1 when a context word of r, as a whole word, starts in [lo, hi) of v and
 * is not inside [s, e) (the match is not its own context): at each word
 * start, the context words beginning with its byte. Word starts are found
 * 16 bytes at a time where SSE2 is there (a window is mostly inside
 * words); a rule with a context word that starts with a non-word byte
 * looks after every non-word byte instead. */
static int ctx_word_in(const ds_crule *r, const char *v, size_t len, size_t lo, size_t hi,
                       size_t s, size_t e)
{
    size_t i = lo;
#ifdef __SSE2__
    if (hi - lo >= 16) {
        unsigned prev = lo > 0 && is_word_byte((unsigned char)v[lo - 1]);
        for (; i + 16 <= hi; i += 16) {
            unsigned w = word_mask16((const unsigned char *)v + i);
            unsigned after_word = ((w << 1) | prev) & 0xFFFFu;
            unsigned cand = ~after_word & (r->ctx_nonword_first ? 0xFFFFu : w);
            prev = w >> 15;
            while (cand) {
                size_t k = i + (size_t)__builtin_ctz(cand);
                cand &= cand - 1;
                if (k >= s && k + r->ctx_maxlen <= e)
                    continue; /* every word starting here ends inside the match */
                if (ctx_word_at(r, v, len, k, hi, s, e))
                    return 1;
            }
        }
    }
#endif
    for (; i < hi; i++) {
        if (i >= s && i + r->ctx_maxlen <= e) {
            /* every word starting here ends inside the match: on to the
             * last start that may reach past it (a CSV cell is mostly its
             * match) */
            i = e - r->ctx_maxlen;
            continue;
        }
        if (i > 0 && is_word_byte((unsigned char)v[i - 1]))
            continue;
        if (ctx_word_at(r, v, len, i, hi, s, e))
            return 1;
    }
    return 0;
}

static int has_context(const ds_crule *r, const char *v, size_t len, size_t s, size_t e)
{
    if (r->nctx == 0)
        return 0;
    size_t w = r->def.context_window ? r->def.context_window : 64;
    size_t lo = s > w ? s - w : 0;
    size_t hi = e + w < len ? e + w : len;
    if (lo >= s && hi <= e)
        return 0; /* the match is the whole window (a CSV cell): it is not its own context */
    return ctx_word_in(r, v, len, lo, hi, s, e);
}

/* 1 when a context word of r is anywhere in the current value (asked once
 * per rule and value): without one, no match of a context_required rule
 * outside its columns can be confirmed, so PCRE2 need not look. Asked of
 * short values only (a CSV cell): in a long text, reading the whole value
 * for each rule costs more than the windows around its candidates. */
#define CTX_PRECHECK_MAX 256
static int value_has_context(ds_detector *d, const ds_crule *r, const char *v, size_t len)
{
    size_t i = (size_t)(r - d->rs->rules);
    if (d->ctx_seen[i] != d->value_serial) {
        d->ctx_seen[i] = d->value_serial;
        d->ctx_any[i] = (unsigned char)(r->nctx && ctx_word_in(r, v, len, 0, len, len + 1, 0));
    }
    return d->ctx_any[i];
}

static void push(ds_detector *d, const ds_crule *r, const char *v, size_t s, size_t e,
                 uint64_t base_off, double conf)
{
    /* the same span from another regex of the same rule */
    for (size_t i = d->nf; i-- > 0;) {
        const ds_finding *p = &d->f[i];
        if (p->field != d->field_idx)
            break;
        if (p->rule == &r->pub && p->start == base_off + s && p->end == base_off + e)
            return;
    }
    d->f = ds_xgrow(d->f, &d->fcap, d->nf + 1, sizeof *d->f);
    d->f[d->nf++] = (ds_finding){.rule = &r->pub,
                                 .field = d->field_idx,
                                 .start = base_off + s,
                                 .end = base_off + e,
                                 .match = v + s,
                                 .match_len = e - s,
                                 .confidence = conf};
}

/* 1 when every lexicon group of pattern pat that took part in the match
 * (ovector of d->md) is an entry of its lexicon. */
static int lexicons_ok(ds_detector *d, const ds_crule *r, const ds_cpattern *pat, const char *v)
{
    if (!pat->lex_group)
        return 1;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
    uint32_t nov = pcre2_get_ovector_count(d->md);
    for (size_t l = 0; l < r->def.nlexicons; l++) {
        int g = pat->lex_group[l];
        if (g < 0 || (uint32_t)g >= nov || ov[2 * g] == PCRE2_UNSET)
            continue;
        char f[256];
        size_t fl = ds_lex_fold(v + ov[2 * g], ov[2 * g + 1] - ov[2 * g], 1, f, sizeof f);
        if (fl == SIZE_MAX)
            return 0;
        int found = 0;
        for (size_t k = 0; k < r->lex[l].nsets && !found; k++)
            found = ds_lexset_has(r->lex[l].sets[k], f, fl);
        if (!found)
            return 0;
    }
    return 1;
}

/* ---- person signals (rule key person_signal) ------------------------------ */

#define SENTENCE_MAX 400 /* bytes searched on each side of a match */

static int is_upper_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Byte length of a word character at v[i] (0: not one). Typographic
 * apostrophes and quotes end words. */
static size_t word_char(const char *v, size_t len, size_t i)
{
    unsigned char c = (unsigned char)v[i];
    if (c < 0x80)
        return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
    if (c == 0xE2 && i + 1 < len && (unsigned char)v[i + 1] == 0x80)
        return 0; /* U+2000..U+203F: punctuation, apostrophes */
    if (c == 0xC2)
        return 0; /* U+0080..U+00BF: NBSP, guillemets... */
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return i + n <= len ? n : len - i;
}

/* A sentence end at v[i]: a newline, or . ! ? followed by a space, except
 * after one- or two-letter capitalised abbreviations (M., Dr., St.). */
static int sentence_end(const char *v, size_t len, size_t i)
{
    char c = v[i];
    if (c == '\n')
        return 1;
    if (c != '.' && c != '!' && c != '?')
        return 0;
    if (i + 1 < len && v[i + 1] != ' ' && v[i + 1] != '\n' && v[i + 1] != '\t')
        return 0;
    if (c == '.') {
        size_t k = i;
        while (k > 0 && word_char(v, len, k - 1) == 1)
            k--;
        if (i - k >= 1 && i - k <= 2 && is_upper_ascii((unsigned char)v[k]))
            return 0;
    }
    return 1;
}

/* The lead bytes of an upper-case letter: ASCII, or Latin-1 (U+00C0 to
 * U+00DE but U+00D7); its length in bytes, or 0. */
static size_t upper_at(const char *v, size_t len, size_t i)
{
    unsigned char c = (unsigned char)v[i];
    if (is_upper_ascii(c))
        return 1;
    if (c == 0xC3 && i + 1 < len) {
        unsigned char c2 = (unsigned char)v[i + 1];
        return c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97 ? 2 : 0;
    }
    return 0;
}

/* Capitalised word: an upper-case first letter (ASCII or Latin-1), then
 * lower case. */
static int capitalised(const char *w, size_t n)
{
    size_t i = n ? upper_at(w, n, 0) : 0;
    if (!i || i >= n)
        return 0;
    for (; i < n; i++)
        if (is_upper_ascii((unsigned char)w[i]))
            return 0;
    return 1;
}

/* End of the word starting at or after i (skipping spaces), or i when none. */
static size_t next_word_end(const char *v, size_t len, size_t hi, size_t i)
{
    while (i < hi && (v[i] == ' ' || v[i] == '\'' || v[i] == '-'))
        i++;
    size_t n;
    while (i < hi && (n = word_char(v, len, i)) != 0)
        i += n;
    return i;
}

/* 1 when the text from a to the end of the next one or two words is a [not]
 * phrase ("il y", "il faut"): the signal word at a does not count there. */
static int not_phrase(const ds_signals *sg, const char *v, size_t len, size_t hi, size_t a,
                      size_t e)
{
    if (!sg->not_words || !sg->not_words->n)
        return 0;
    size_t z = e;
    for (int k = 0; k < 3; k++) {
        size_t nz = next_word_end(v, len, hi, z);
        if (nz == z || nz - a > 60)
            return 0;
        z = nz;
        char f[200];
        size_t fl = ds_lex_fold(v + a, z - a, 0, f, sizeof f);
        if (fl != SIZE_MAX && ds_lexset_has(sg->not_words, f, fl))
            return 1;
    }
    return 0;
}

/* 1 when the sentence around [s,e) holds a person signal outside [s,e). */
static int has_person_signal(const ds_detector *d, const char *v, size_t len, size_t s, size_t e)
{
    const ds_signals *sg = &d->rs->signals;
    if (!sg->words)
        return 0;
    size_t lo = s, hi = e;
    while (lo > 0 && s - lo < SENTENCE_MAX && !sentence_end(v, len, lo - 1))
        lo--;
    while (hi < len && hi - e < SENTENCE_MAX && !sentence_end(v, len, hi))
        hi++;
    int first = 1;
    for (size_t i = lo; i < hi;) {
        size_t n = word_char(v, len, i);
        if (!n) {
            i++;
            continue;
        }
        size_t a = i;
        while (i < hi && (n = word_char(v, len, i)) != 0)
            i += n;
        size_t wl = i - a;
        int was_first = first;
        first = 0;
        if (a < e && i > s)
            continue; /* the match itself */
        if (wl > 40)
            continue;
        char f[176];
        /* all-caps words (US, IT) are acronyms, not pronouns; "I" is fine */
        int caps = wl >= 2 && is_upper_ascii((unsigned char)v[a]) &&
                   is_upper_ascii((unsigned char)v[a + 1]);
        if (!caps) {
            size_t fl = ds_lex_fold(v + a, wl, 0, f, sizeof f - 2);
            if (fl != SIZE_MAX) {
                if (ds_lexset_has(sg->words, f, fl) && !not_phrase(sg, v, len, hi, a, i))
                    return 1;
                /* elided forms (j', m') and abbreviations (m., dr.) */
                int apos = i < len && (v[i] == '\'' ||
                                       (i + 2 < len && (unsigned char)v[i] == 0xE2 &&
                                        (unsigned char)v[i + 1] == 0x80 &&
                                        (unsigned char)v[i + 2] == 0x99));
                if (apos || (i < len && v[i] == '.')) {
                    f[fl] = apos ? '\'' : '.';
                    f[fl + 1] = '\0';
                    if (ds_lexset_has(sg->words, f, fl + 1))
                        return 1;
                }
            }
        }
        if (sg->nnames && capitalised(v + a, wl)) {
            /* a capitalised first word is a name only when another
             * capitalised word follows it (Marie Dupont, not "Hope for") */
            if (was_first) {
                size_t k = i;
                while (k < hi && v[k] == ' ')
                    k++;
                size_t m = k;
                while (m < hi && (n = word_char(v, len, m)) != 0)
                    m += n;
                if (m == k || !capitalised(v + k, m - k) || (k < e && m > s))
                    continue;
            }
            size_t fl = ds_lex_fold(v + a, wl, 0, f, sizeof f);
            if (fl == SIZE_MAX || ds_lexset_has(sg->not_words, f, fl))
                continue;
            fl = ds_lex_fold(v + a, wl, 1, f, sizeof f);
            if (fl != SIZE_MAX)
                for (size_t k = 0; k < sg->nnames; k++)
                    if (ds_lexset_has(sg->names[k], f, fl))
                        return 1;
        }
    }
    return 0;
}

/* pcre2_match through JIT's fast path, which skips pcre2_match's checks
 * (~20% of a confirmation on dense CSV): values are valid UTF-8 and starts
 * in range here, as PCRE2_NO_UTF_CHECK already promises. A pattern without
 * JIT code (JIT unavailable on this system) goes to the interpreter. */
static int re_match(ds_detector *d, pcre2_match_context *ctx, const pcre2_code *re,
                    const char *s, size_t len, size_t start)
{
    int rc = pcre2_jit_match(re, (PCRE2_SPTR)s, len, start, 0, d->md, ctx);
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, PCRE2_NO_UTF_CHECK, d->md, ctx);
    return rc;
}

/* Decide on one regex match [s,e) of rule r in v. */
static void confirm(ds_detector *d, const ds_crule *r, const char *v, size_t len, size_t s,
                    size_t e, uint64_t base_off)
{
    const char *m = v + s;
    size_t ml = e - s;
    if (r->validator && !r->validator->fn(m, ml))
        return;
    for (size_t i = 0; i < r->def.allow.n; i++) {
        const char *a = r->def.allow.v[i];
        if (strlen(a) == ml && memcmp(a, m, ml) == 0)
            return;
    }
    /* over the match's own text, without the bound on where the rule's
     * matches start (an absolute offset, meaningless here) */
    for (size_t i = 0; i < r->nexclude; i++) {
        int rc = re_match(d, d->xctx, r->exclude[i], m, ml, 0);
        if (rc >= 0)
            return;
    }
    if (r->nnot_cols && col_match(d, r, 1))
        return;
    int ctx = has_context(r, v, len, s, e);
    int col = r->ncolumns && col_match(d, r, 0);
    if (r->def.context_required && !ctx && !col)
        return;
    double conf = r->pub.confidence + (ctx ? DS_CONF_CONTEXT : 0) + (col ? DS_CONF_COLUMN : 0);
    if (r->def.person_signal != DS_PSIG_NONE) {
        /* a column of the rule (diagnosis, religion) is about the record's person */
        int sig = col || has_person_signal(d, v, len, s, e);
        if (sig && r->def.person_signal == DS_PSIG_BOOST)
            conf += DS_CONF_PERSON;
        else if (!sig && r->def.person_signal == DS_PSIG_REQUIRED && conf > DS_CONF_TOPIC_ONLY)
            conf = DS_CONF_TOPIC_ONLY;
    }
    if (conf > 1.0)
        conf = 1.0;
    if (conf + 1e-9 < d->o.min_confidence)
        return;
    push(d, r, v, s, e, base_off, conf);
}

/* One PCRE2 search of pat from start: >= 0 with the match in d->md, or
 * PCRE2's negative code. A PCRE2 limit reached is counted against r. */
static int search(ds_detector *d, const ds_cpattern *pat, const ds_crule *r, const char *v,
                  size_t len, size_t start)
{
    d->st.candidates++;
    int rc = re_match(d, d->mctx, pat->re, v, len, start);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
        d->st.limit_hits++;
        d->st.limit_rule = &r->pub;
    }
    return rc;
}

/* A keyword match [s,e) written with a capital and followed, on the same
 * line, by a capitalised word or an initial is part of a proper noun
 * (Christian Hofstaedtler, Christian T. Dum, Catholic Church, Muslim
 * Brotherhood): it says nothing about a person. */
static int in_proper_noun(const char *v, size_t len, size_t s, size_t e)
{
    if (!upper_at(v, len, s) || e >= len || (v[e] != ' ' && v[e] != '\t'))
        return 0;
    size_t i = e;
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
        i++;
    size_t n = i < len ? upper_at(v, len, i) : 0;
    if (!n || i + n >= len)
        return 0;
    unsigned char c = (unsigned char)v[i + n];
    return c == '.' || (c >= 'a' && c <= 'z') || c >= 0xC3;
}

/* The match search() found, confirmed; where the next search starts, or
 * SIZE_MAX when the match starts at or after own (the next window's). */
static size_t take_match(ds_detector *d, const ds_cpattern *pat, const ds_crule *r,
                         const char *v, size_t len, size_t own, uint64_t base_off)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
    size_t s = ov[0], e = ov[1];
    if (s >= own)
        return SIZE_MAX;
    if (e > s && !(pat->keyword && in_proper_noun(v, len, s, e)) && lexicons_ok(d, r, pat, v))
        confirm(d, r, v, len, s, e, base_off);
    size_t next = e > s ? e : e + 1;
    while (next < len && ((unsigned char)v[next] & 0xC0) == 0x80)
        next++;
    return next;
}

/* ---- anchor: word-space-capital (rule_def.h) ----------------------------- */

static int junction_ws(unsigned char c)
{
    return c == ' ' || (unsigned)(c - '\t') <= '\r' - '\t';
}

/* The last byte of a lower-case letter: ASCII, or a UTF-8 continuation or
 * lead byte (a superset: the regex decides). */
static int junction_lower(unsigned char c)
{
    return (unsigned)(c - 'a') < 26 || c >= 0x80;
}

/* The first byte of an upper-case letter: ASCII, or the lead byte of a
 * character from U+00C0 on (no upper-case letter lies below it). */
static int junction_upper(unsigned char c)
{
    return (unsigned)(c - 'A') < 26 || c >= 0xC3;
}

/* A byte of a word the anchor allows before the junction: letters (ASCII
 * or any non-ASCII byte) and hyphens. */
static int junction_word(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26 || c == '-' || c >= 0x80;
}

int ds_anchor_holds(ds_anchor anchor, const char *v, size_t len, size_t s)
{
    if (anchor != DS_ANCHOR_WORD_SPACE_CAPITAL)
        return 1;
    const unsigned char *u = (const unsigned char *)v;
    size_t q = s;
    while (q < len && junction_word(u[q]))
        q++;
    return q > s && q + 1 < len && junction_ws(u[q]) && junction_lower(u[q - 1]) &&
           junction_upper(u[q + 1]);
}

/* The first junction q >= from of v: v[q] whitespace between a byte that
 * may end a lower-case letter and one that may start an upper-case letter;
 * len when there is none. 16 positions at a time where SSE2 is there. */
static size_t next_junction(const unsigned char *v, size_t len, size_t from)
{
    size_t q = from ? from : 1;
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
    const __m128i la = _mm_set1_epi8('a'), ua = _mm_set1_epi8('A'), n25 = _mm_set1_epi8(25);
    const __m128i c3 = _mm_set1_epi8((char)0xC3);
    for (; q + 17 <= len; q += 16) {
        __m128i w = _mm_loadu_si128((const __m128i *)(v + q));
        __m128i t = _mm_sub_epi8(w, tab);
        unsigned ws = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(w, sp), _mm_cmpeq_epi8(_mm_min_epu8(t, four), t)));
        if (!ws)
            continue;
        __m128i b = _mm_loadu_si128((const __m128i *)(v + q - 1));
        __m128i bl = _mm_sub_epi8(b, la);
        unsigned lo = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(b, _mm_cmpeq_epi8(_mm_min_epu8(bl, n25), bl)));
        __m128i a = _mm_loadu_si128((const __m128i *)(v + q + 1));
        __m128i au = _mm_sub_epi8(a, ua);
        unsigned up = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(_mm_max_epu8(a, c3), a), _mm_cmpeq_epi8(_mm_min_epu8(au, n25), au)));
        unsigned m = ws & lo & up;
        if (m)
            return q + (size_t)__builtin_ctz(m);
    }
#endif
    for (; q + 1 < len; q++)
        if (junction_ws(v[q]) && junction_lower(v[q - 1]) && junction_upper(v[q + 1]))
            return q;
    return len;
}

/* Pattern p, whose matches all start with a word before a junction (the
 * rule's anchor), over v from `start` for matches starting at or before
 * `limit` and before own: the same matches, in the same order, as the
 * plain loop of run_pattern, without PCRE2 trying every capital letter of
 * a long text. At each junction q in turn, PCRE2 is asked for the leftmost
 * match starting in [max(start, b), q], b the start of the run of word
 * bytes ending at q: a match starting before b has an earlier junction,
 * already asked about, and one at q starts at b or after it. When there is
 * none, none starts up to q either, and the search goes on after q. */
static void run_anchored(ds_detector *d, const ds_cpattern *pat, const ds_crule *r,
                         const char *v, size_t len, size_t own, size_t start, size_t limit,
                         uint64_t base_off)
{
    const unsigned char *u = (const unsigned char *)v;
    size_t end = limit == PCRE2_UNSET ? len : limit;
    while (start <= end) {
        size_t q = next_junction(u, len, start + 1);
        if (q >= len)
            return;
        size_t b = q;
        while (b > start && junction_word(u[b - 1]))
            b--;
        if (b > end || b >= own)
            return;
        pcre2_set_offset_limit(d->mctx, q < end ? q : end);
        int rc = search(d, pat, r, v, len, b);
        if (rc < 0) {
            if (rc != PCRE2_ERROR_NOMATCH)
                return;
            start = q + 1; /* no match starts up to q; v[q] is ASCII */
            continue;
        }
        if ((start = take_match(d, pat, r, v, len, own, base_off)) == SIZE_MAX)
            return;
    }
}

/* Run pattern p over v from `from`, for matches starting at or before
 * `limit` (PCRE2_UNSET: to the end); matches starting at or after own are
 * left to the next window of a long value. */
static void run_pattern(ds_detector *d, size_t p, const char *v, size_t len, size_t own,
                        size_t from, size_t limit, uint64_t base_off)
{
    const ds_cpattern *pat = &d->rs->pats[p];
    const ds_crule *r = &d->rs->rules[pat->rule];
    /* a rule that needs context reports only in its columns or where a
     * context word is in the value: elsewhere confirm() would drop every
     * match */
    if (r->def.context_required && !(r->ncolumns && col_match(d, r, 0)) &&
        (r->nctx == 0 || (len <= CTX_PRECHECK_MAX && !value_has_context(d, r, v, len))))
        return;
    size_t start = from;
    /* never start inside a UTF-8 sequence */
    while (start > 0 && start < len && ((unsigned char)v[start] & 0xC0) == 0x80)
        start--;
    if (pat->anchor == DS_ANCHOR_WORD_SPACE_CAPITAL) {
        run_anchored(d, pat, r, v, len, own, start, limit, base_off);
        return;
    }
    pcre2_set_offset_limit(d->mctx, limit);
    while (start <= len && (limit == PCRE2_UNSET || start <= limit)) {
        if (search(d, pat, r, v, len, start) < 0)
            return;
        if ((start = take_match(d, pat, r, v, len, own, base_off)) == SIZE_MAX)
            return;
    }
}

/* qsort, by insertion for the few elements a value or a record usually
 * has (glibc's qsort allocates and merges: ~2% of a dense CSV scan),
 * written per element type so that the compares and moves are inlined
 * (through a function pointer and memcpy of a run-time size they were
 * another ~2%). */
/* T is a type: it cannot be parenthesised */
// NOLINTBEGIN(bugprone-macro-parentheses)
#define DEFINE_SORT_FEW(name, T, cmp)                                  \
    static void name(T *a, size_t n)                                   \
    {                                                                  \
        if (n > 16) {                                                  \
            qsort(a, n, sizeof *a, cmp);                               \
            return;                                                    \
        }                                                              \
        for (size_t i = 1; i < n; i++) {                               \
            if (cmp(&a[i - 1], &a[i]) <= 0)                            \
                continue;                                              \
            T tmp = a[i];                                              \
            size_t j = i;                                              \
            for (; j > 0 && cmp(&a[j - 1], &tmp) > 0; j--)             \
                a[j] = a[j - 1];                                       \
            a[j] = tmp;                                                \
        }                                                              \
    }

// NOLINTEND(bugprone-macro-parentheses)

static int cmp_ghit(const void *a, const void *b)
{
    const ghit *x = a, *y = b;
    if (x->pat != y->pat)
        return x->pat < y->pat ? -1 : 1;
    return x->ws < y->ws ? -1 : x->ws > y->ws;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

DEFINE_SORT_FEW(sort_ghits, ghit, cmp_ghit)
DEFINE_SORT_FEW(sort_sizes, size_t, cmp_size)

/* 1 when another field of the record, non-empty, matches r's column_pair
 * (answers memoised per field name, as col_match's). */
static int has_pair_field(ds_detector *d, const ds_crule *r)
{
    int found = 0;
    for (size_t i = 0; i < d->rec->nfields && !found; i++) {
        const ds_field *o = &d->rec->fields[i];
        if (i == d->field_idx || o->value_len == 0)
            continue;
        colmemo *c = memo_slot(d, o->name, o->name_len);
        if (!c) {
            char norm[256];
            ds_name_normalise(o->name, o->name_len, norm, sizeof norm);
            found = ds_colpat_match(r->pair_cols, r->npair_cols, norm);
            continue;
        }
        unsigned char *m = &c->m[r - d->rs->rules];
        if (!(*m & CM_PAIR_KNOWN))
            *m = (unsigned char)(*m | CM_PAIR_KNOWN |
                                 (ds_colpat_match(r->pair_cols, r->npair_cols, c->norm) ? CM_PAIR
                                                                                          : 0));
        found = (*m & CM_PAIR) != 0;
    }
    /* memo_slot may have refilled the current field's slot: look it up again */
    d->cur = memo_slot(d, d->field->name, d->field->name_len);
    return found;
}

/* Start of the UTF-8 character holding v[i]. */
static size_t char_start(const char *v, size_t i)
{
    while (i > 0 && ((unsigned char)v[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Add the run [s, e) of class c's gate bytes, joining the last run when
 * it ends at s. */
static void add_gate_run(ds_detector *d, int c, size_t s, size_t e)
{
    if (d->ngr[c] && d->gr[c][d->ngr[c] - 1].e == s) {
        d->gr[c][d->ngr[c] - 1].e = e;
        return;
    }
    d->gr[c] = ds_xgrow(d->gr[c], &d->grcap[c], d->ngr[c] + 1, sizeof *d->gr[c]);
    d->gr[c][d->ngr[c]++] = (grun){s, e};
}

/* The runs of set bits of the 16-bit mask m, bit k standing for byte at + k. */
static void add_gate_mask(ds_detector *d, int c, size_t at, unsigned m)
{
    while (m) {
        unsigned s = (unsigned)__builtin_ctz(m);
        unsigned n = (unsigned)__builtin_ctz(~(m >> s)); /* m < 2^16: ~ has a zero */
        add_gate_run(d, c, at + s, at + s + n);
        m &= ~(((1u << n) - 1) << s);
    }
}

#ifdef __SSE2__
/* The two gate classes as SSE2 operands (find_gate_runs). */
typedef struct gate_classes {
    __m128i lo0, sp0, lo1, sp1;
    unsigned keep0, keep1; /* 0 for a class not in use */
} gate_classes;

/* Bit k of *m0 (*m1) set when p[k] is in class 0 (1), for 16 bytes: x - lo
 * <= span, unsigned, is min(x - lo, span) == x - lo. */
static inline void gate_masks(const unsigned char *p, const gate_classes *g, unsigned *m0,
                              unsigned *m1)
{
    __m128i b = _mm_loadu_si128((const __m128i *)p);
    __m128i x0 = _mm_sub_epi8(b, g->lo0), x1 = _mm_sub_epi8(b, g->lo1);
    *m0 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x0, g->sp0), x0)) & g->keep0;
    *m1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x1, g->sp1), x1)) & g->keep1;
}
#endif

/* The runs of the gate bytes of every class in use in v into d->gr[c]. A
 * class is a contiguous byte range [gate_lo, gate_hi] (rules_impl.h); the
 * classes are tested together, 16 bytes at a time where SSE2 is there (the
 * last, short block through a copy): a value is mostly text without any,
 * read once, and a run of gate bytes is added whole. */
static void find_gate_runs(ds_detector *d, const unsigned char *u, size_t len)
{
    const ds_ruleset *rs = d->rs;
    unsigned lo[DS_GATE_CLASSES], span[DS_GATE_CLASSES];
    for (int c = 0; c < DS_GATE_CLASSES; c++) {
        d->ngr[c] = 0;
        lo[c] = rs->gate_lo[c];
        /* a class not in use matches nothing: lo above every byte */
        span[c] = rs->gate_used[c] ? (unsigned)(rs->gate_hi[c] - rs->gate_lo[c]) : 0;
        if (!rs->gate_used[c])
            lo[c] = 256;
    }
    size_t i = 0;
#ifdef __SSE2__
    _Static_assert(DS_GATE_CLASSES == 2, "find_gate_runs tests two classes per block");
    /* an unused class: its lanes never match */
    const gate_classes gc = {_mm_set1_epi8((char)lo[0]), _mm_set1_epi8((char)span[0]),
                             _mm_set1_epi8((char)lo[1]), _mm_set1_epi8((char)span[1]),
                             lo[0] < 256 ? 0xFFFFu : 0, lo[1] < 256 ? 0xFFFFu : 0};
    for (; i + 16 <= len; i += 16) {
        unsigned m0, m1;
        gate_masks(u + i, &gc, &m0, &m1);
        if (!(m0 | m1))
            continue;
        add_gate_mask(d, 0, i, m0);
        add_gate_mask(d, 1, i, m1);
    }
    if (i < len) {
        /* the last bytes: the value's last 16 (the bits of those already
         * read shifted out), or a zero-padded copy of a shorter value */
        size_t n = len - i;
        unsigned shift = 0;
        const unsigned char *p;
        unsigned char last[16];
        if (len < 16) {
            memset(last, 0, sizeof last);
            memcpy(last, u, len);
            p = last;
        } else {
            p = u + len - 16;
            shift = (unsigned)(16 - n);
        }
        unsigned m0, m1;
        gate_masks(p, &gc, &m0, &m1);
        unsigned keep = (1u << n) - 1;
        add_gate_mask(d, 0, i, (m0 >> shift) & keep);
        add_gate_mask(d, 1, i, (m1 >> shift) & keep);
        i = len;
    }
#endif
    for (; i < len; i++)
        for (int c = 0; c < DS_GATE_CLASSES; c++)
            if ((unsigned)u[i] - lo[c] <= span[c])
                add_gate_run(d, c, i, i + 1);
}

/* A hash of n bytes for the caches, 8 at a time (a key is compared whole
 * on a hit: the hash only picks the slot). The tail is read with loads
 * that overlap, not copied byte by byte: that stalled the load after it. */
static uint64_t cache_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *u = p, *end = u + n;
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL), w;
    for (; end - u >= 8; u += 8) {
        memcpy(&w, u, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    size_t r = (size_t)(end - u);
    if (r) {
        if (n >= 8) {
            memcpy(&w, end - 8, 8);
        } else if (r >= 4) {
            uint32_t a, b;
            memcpy(&a, u, 4);
            memcpy(&b, end - 4, 4);
            w = a | (uint64_t)b << 32;
        } else {
            w = u[0] | (uint64_t)u[r / 2] << 8 | (uint64_t)end[-1] << 16;
        }
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    }
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 32);
}

/* The shape cache entry for the n bytes at u in key space t (a digit tier,
 * or SC_MAIN for the whole-value database): *hit set when it holds their
 * shape's answer, else reset for the relaxed scan to fill. NULL when the
 * text is longer than a key, or holds no digit and need_digit is set (its
 * shape is itself: the value cache answers repeats). */
static scent *shape_slot(ds_detector *d, unsigned t, const unsigned char *u, size_t n,
                         int need_digit, int *hit)
{
    if (n > SC_KEY)
        return NULL;
    /* a short cell is the same window for the whole-value database and
     * every tier: its shape is read once */
    if (!(d->sk_serial == d->value_serial && d->sk_text == u && d->sk_len == n)) {
        unsigned digits = 0;
        size_t i = 0;
        char *key = d->sk_key;
#ifdef __SSE2__
        const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
        for (; i + 16 <= n; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(u + i));
            __m128i dx = _mm_sub_epi8(x, zero); /* a digit: 0..9 unsigned */
            __m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(dx, nine), dx);
            digits |= (unsigned)_mm_movemask_epi8(isd);
            _mm_storeu_si128((__m128i *)(key + i),
                             _mm_or_si128(_mm_and_si128(isd, zero), _mm_andnot_si128(isd, x)));
        }
#endif
        for (; i < n; i++) {
            unsigned isd = (unsigned)(u[i] - '0') <= 9;
            digits |= isd;
            key[i] = (char)(isd ? '0' : u[i]);
        }
        d->sk_serial = d->value_serial;
        d->sk_text = u;
        d->sk_len = n;
        d->sk_digits = digits != 0;
        d->sk_hash = cache_hash(key, n, 0);
    }
    if (need_digit && !d->sk_digits)
        return NULL;
    uint64_t h = (d->sk_hash ^ ((uint64_t)(t + 1) * 0x9E3779B97F4A7C15ULL)) *
                 0xD6E8FEB86659FD93ULL;
    if (!d->sc)
        d->sc = ds_xcalloc(SCACHE, sizeof *d->sc);
    scent *e = &d->sc[(h >> 32) & (SCACHE - 1)];
    *hit = e->used && e->tier == t && e->len == n && e->npat <= SC_PATS &&
           memcmp(e->key, d->sk_key, n) == 0;
    if (!*hit) {
        e->used = 1;
        e->tier = (uint8_t)t;
        e->len = (uint8_t)n;
        e->npat = 0;
        memcpy(e->key, d->sk_key, n);
    }
    return e;
}

/* Scan the window [ws, we) with tier t's relaxed database through the shape
 * cache: a window of a shape seen before gets its candidates without a
 * scan. Returns 0 when the window is too long to be kept. */
static int scan_shape(ds_detector *d, int t, const char *v, size_t ws, size_t we)
{
    int hit;
    scent *e = shape_slot(d, (unsigned)t, (const unsigned char *)v + ws, we - ws, 0, &hit);
    if (!e)
        return 0;
    if (hit) {
        d->st.window_hits++;
        for (size_t k = 0; k < e->npat; k++)
            gated_hit(d, e->pat[k]);
    } else {
        d->sc_fill = e;
        hs_scan(d->rs->rdb[t], v + ws, (unsigned)(we - ws), 0, d->scratch, on_hs_gated, d);
        d->sc_fill = NULL;
    }
    /* the tier's expressions that did not relax: every window */
    if (d->rs->rrest[t])
        hs_scan(d->rs->rrest[t], v + ws, (unsigned)(we - ws), 0, d->scratch, on_hs_gated, d);
    return 1;
}

static int on_hs_main_fill(unsigned id, unsigned long long from, unsigned long long to,
                           unsigned flags, void *ctx)
{
    ds_detector *d = ctx;
    scent *e = d->sc_fill;
    if (e->npat < SC_PATS && id <= UINT16_MAX && to <= UINT8_MAX) {
        e->pat[e->npat] = (uint16_t)id;
        e->end[e->npat++] = (uint8_t)to;
    } else {
        e->npat = SC_PATS + 1;
    }
    return on_hs(id, from, to, flags, ctx);
}

/* The whole-value database over a short value with digits, through the
 * shape cache: the patterns its relaxed twin reports and where each first
 * ends (at or before the original's first end, so PCRE2 starting
 * max_width before it still finds every match). Returns 0 when the value
 * does not go through the cache. */
static int scan_main_shape(ds_detector *d, const char *v, size_t len)
{
    int hit;
    scent *e = shape_slot(d, SC_MAIN, (const unsigned char *)v, len, 1, &hit);
    if (!e)
        return 0;
    if (hit) {
        for (size_t k = 0; k < e->npat; k++)
            on_hs(e->pat[k], 0, e->end[k], 0, d);
    } else {
        d->sc_fill = e;
        hs_scan(d->rs->rdb_main, v, (unsigned)len, 0, d->scratch, on_hs_main_fill, d);
        d->sc_fill = NULL;
    }
    if (d->rs->rrest_main)
        hs_scan(d->rs->rrest_main, v, (unsigned)len, 0, d->scratch, on_hs, d);
    return 1;
}

/* The gated database over the windows around the gate runs of the value
 * that hold at least `need` gate bytes. Every match of a gated pattern
 * holds that many within w bytes (its reach) of its start, the first of
 * them at most lead bytes after it, and ends at most trail bytes after a
 * gate byte (re_shape.h): runs closer than w + lead are merged into one
 * window, which runs from lead bytes before its first gate byte to trail
 * (+1) bytes after its last, so every match lies inside one window. The
 * trail keeps a window to the identifier and the few bytes around it, not
 * w bytes of text after it: a shape the cache has seen (a phone number
 * after any words) then needs no scan. Windows start and end on character
 * boundaries, as Vectorscan's UTF-8 mode requires. */
static void scan_gated(ds_detector *d, int t, const char *v, size_t len)
{
    const ds_ruleset *rs = d->rs;
    int c = (int)rs->gate_class[t];
    const hs_database_t *db = rs->gdb[t];
    size_t lead = rs->gate_lead[t], w = rs->gate_width[t], need = rs->gate_min[t];
    /* a match ends at most trail bytes after a gate byte; one more byte
     * lets Vectorscan see what follows it (\b, a boundary class) */
    size_t tail = rs->gate_trail[t] + 1 < w ? rs->gate_trail[t] + 1 : w;
    const grun *gr = d->gr[c];
    size_t ngr = d->ngr[c];
    for (size_t r = 0; r < ngr;) {
        size_t ws = gr[r].s > lead ? gr[r].s - lead : 0, we = gr[r].e + w, n = gr[r].e - gr[r].s;
        for (r++; r < ngr && gr[r].s < we + lead; r++) {
            we = gr[r].e + w;
            n += gr[r].e - gr[r].s;
        }
        if (n < need)
            continue; /* no match of the tier fits: too few gate bytes */
        we = gr[r - 1].e + tail;
        if (we > len)
            we = len;
        ws = char_start(v, ws);
        if (we < len)
            we = char_start(v, we);
        d->gwin_s = ws;
        d->gwin_e = we;
        d->gwin_g = gr[r - 1].e - 1;
        d->st.windows++;
        if (rs->rdb[t] && scan_shape(d, t, v, ws, we))
            continue;
        hs_scan(db, v + ws, (unsigned)(we - ws > UINT32_MAX ? UINT32_MAX : we - ws), 0,
                d->scratch, on_hs_gated, d);
    }
}

/* The value cache slot of v (allocated on first use) and its tag. */
static size_t vc_slot(ds_detector *d, const char *v, size_t len, uint32_t *tag)
{
    if (!d->vc) {
        d->vc = ds_xcalloc(VCACHE, sizeof *d->vc);
        d->vtag = ds_xcalloc(VCACHE, sizeof *d->vtag);
    }
    uint64_t h = cache_hash(v, len, d->cur->gen);
    *tag = (uint32_t)(h >> 32) | 1u;
    return (size_t)h & (VCACHE - 1);
}

static void scan_value(ds_detector *d, const ds_field *f)
{
    const char *v = f->value;
    size_t len = f->value_len, own = f->own_len;
    uint64_t base = f->value_off;
    if (own > len)
        own = len;
    /* a window may cut UTF-8 sequences at its edges: trim them */
    if (base > 0) {
        size_t lead = 0;
        while (lead < len && lead < 3 && ((unsigned char)v[lead] & 0xC0) == 0x80)
            lead++;
        v += lead;
        len -= lead;
        own = own > lead ? own - lead : 0;
        base += lead;
    }
    if (f->own_len < f->value_len) {
        size_t cut = len;
        size_t back = 0;
        while (back < 3 && cut > back && ((unsigned char)v[cut - 1 - back] & 0xC0) == 0x80)
            back++;
        if (cut > back && (unsigned char)v[cut - 1 - back] >= 0xC0)
            len = cut - 1 - back;
        if (own > len)
            own = len;
    }
    d->st.values++;
    if (++d->value_serial == 0) { /* wrapped: forget every answer */
        d->sk_serial = 0;
        memset(d->ctx_seen, 0, d->rs->nrules * sizeof *d->ctx_seen);
        d->value_serial = 1;
    }
    d->st.bytes += len;
    const ds_ruleset *rs = d->rs;

    if (rs->ncolumn_only && f->value_off == 0 && len > 0 && !(d->cur && d->cur->co == 1)) {
        int named = 0;
        for (size_t k = 0; k < rs->ncolumn_only; k++) {
            const ds_crule *r = &rs->rules[rs->column_only[k]];
            if (!col_match(d, r, 0))
                continue;
            named = 1;
            if (!r->npair_cols || has_pair_field(d, r)) {
                size_t e = f->own_len < f->value_len ? own : len;
                push(d, r, v, 0, e, base, r->pub.confidence);
            }
        }
        if (d->cur)
            d->cur->co = named ? 2 : 1;
    }
    /* the value cache: a whole short value seen before in this column */
    int cacheable = 0;
    size_t slot = 0;
    uint32_t tag = 0;
    size_t nf0 = d->nf;
    uint64_t lim0 = d->st.limit_hits;
    if (d->cur && f->value_off == 0 && own == len && len <= VC_VAL) {
        cacheable = 1;
        slot = vc_slot(d, v, len, &tag);
        const vcent *ce = &d->vc[slot];
        if (d->vtag[slot] == tag && ce->gen == d->cur->gen && ce->len == len &&
            memcmp(ce->val, v, len) == 0) {
            for (size_t i = 0; i < ce->nf; i++)
                push(d, &rs->rules[ce->f[i].rule], v, ce->f[i].s, ce->f[i].e, base,
                     ce->f[i].conf);
            return;
        }
    }
    d->nhits = 0;
    d->ngh = 0;
    if (rs->db && len > 0 && !(rs->rdb_main && scan_main_shape(d, v, len)))
        hs_scan(rs->db, v, (unsigned)(len > UINT32_MAX ? UINT32_MAX : len), 0, d->scratch,
                on_hs, d);
    find_gate_runs(d, (const unsigned char *)v, len);
    for (int t = 0; t < DS_GATE_TIERS; t++) {
        int c = (int)rs->gate_class[t];
        if (rs->gdb[t] && d->ngr[c])
            scan_gated(d, t, v, len);
    }
    /* pattern order, whatever order Vectorscan reported in */
    for (size_t i = 0; i < rs->nalways; i++)
        d->hits[d->nhits++] = rs->always[i];
    if (d->nhits > 1)
        sort_sizes(d->hits, d->nhits);
    if (d->ngh > 1)
        sort_ghits(d->gh, d->ngh);
    size_t i = 0, g = 0;
    while (i < d->nhits || g < d->ngh) {
        if (g >= d->ngh || (i < d->nhits && d->hits[i] < d->gh[g].pat)) {
            size_t p = d->hits[i++];
            size_t from = 0;
            if (d->first_end[p] != UNSET) {
                unsigned w = rs->pats[p].max_width;
                from = w && d->first_end[p] > w ? (size_t)d->first_end[p] - w : 0;
                d->first_end[p] = UNSET;
            }
            run_pattern(d, p, v, len, own, from, PCRE2_UNSET, base);
        } else if (rs->pats[d->gh[g].pat].max_width) {
            /* every match lies in one of the windows that reported it */
            const ghit *h = &d->gh[g++];
            run_pattern(d, h->pat, v, len, own, h->ws, h->g < h->we - 1 ? h->g : h->we - 1, base);
        } else {
            /* a declared prefilter's match lies in the window, not
             * necessarily the regex's: the whole value, once */
            size_t p = d->gh[g].pat;
            while (g < d->ngh && d->gh[g].pat == p)
                g++;
            run_pattern(d, p, v, len, own, 0, PCRE2_UNSET, base);
        }
    }
    /* a value that hit a PCRE2 limit is scanned again next time, and
     * reported again */
    if (cacheable && d->st.limit_hits == lim0 && d->nf - nf0 <= VC_F) {
        vcent *ce = &d->vc[slot];
        d->vtag[slot] = tag;
        ce->gen = d->cur->gen;
        ce->len = (uint8_t)len;
        memcpy(ce->val, v, len);
        ce->nf = (uint8_t)(d->nf - nf0);
        for (size_t k = 0; k < ce->nf; k++) {
            const ds_finding *x = &d->f[nf0 + k];
            ce->f[k].rule = (uint32_t)((const ds_crule *)(const void *)x->rule - rs->rules);
            ce->f[k].s = (uint8_t)(x->start - base);
            ce->f[k].e = (uint8_t)(x->end - base);
            ce->f[k].conf = x->confidence;
        }
    }
}

static int cmp_finding(const void *a, const void *b)
{
    const ds_finding *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1; /* rules live in one array, in rule order */
    return 0;
}

DEFINE_SORT_FEW(sort_findings, ds_finding, cmp_finding)

/* 1 when finding x gives way to finding y of the same type in the same
 * field: y is longer and holds x, or y has the same span and a higher
 * confidence (or the same, and comes first in rule order). */
static int nested_in(const ds_finding *x, const ds_finding *y)
{
    if (x == y || x->field != y->field || y->start > x->start || x->end > y->end)
        return 0;
    if (x->rule != y->rule && strcmp(x->rule->type, y->rule->type) != 0)
        return 0;
    if (y->end - y->start > x->end - x->start)
        return 1;
    return y->confidence > x->confidence + 1e-9 ||
           (y->confidence + 1e-9 >= x->confidence && y < x);
}

/* Drop a finding nested in a longer finding of the same type ("Sylvie LAVAL"
 * inside "Mme Sylvie LAVAL"), or repeating its span: one name, one finding.
 * d->f is sorted. */
static void drop_nested(ds_detector *d)
{
    d->drop = ds_xgrow(d->drop, &d->dcap, d->nf, 1);
    for (size_t i = 0; i < d->nf; i++) {
        const ds_finding *x = &d->f[i];
        int drop = 0;
        for (size_t j = i; j-- > 0 && !drop && i - j <= 64;) {
            if (d->f[j].field != x->field)
                break;
            drop = nested_in(x, &d->f[j]);
        }
        for (size_t j = i + 1; j < d->nf && !drop; j++) {
            if (d->f[j].field != x->field || d->f[j].start > x->start)
                break;
            drop = nested_in(x, &d->f[j]);
        }
        d->drop[i] = (unsigned char)drop;
    }
    size_t o = 0;
    for (size_t i = 0; i < d->nf; i++)
        if (!d->drop[i])
            d->f[o++] = d->f[i];
    d->nf = o;
}

ds_status ds_detector_scan(ds_detector *d, const ds_record *rec, const ds_sink *sink,
                           ds_error *err)
{
    (void)err;
    d->nf = 0;
    d->rec = rec;
    for (size_t i = 0; i < rec->nfields; i++) {
        const ds_field *f = &rec->fields[i];
        d->field = f;
        d->field_idx = i;
        d->norm_done = 0;
        /* the i-th field of a record is most often the i-th of the last
         * one (a CSV column, a JSONL key): try its slot before hashing */
        colmemo *h = i < MHINT ? d->mhint[i] : NULL;
        if (h && h->len == f->name_len && memcmp(h->name, f->name, f->name_len) == 0) {
            d->cur = h;
        } else {
            d->cur = memo_slot(d, f->name, f->name_len);
            if (i < MHINT)
                d->mhint[i] = d->cur;
        }
        scan_value(d, f);
    }
    if (d->nf > 1) {
        sort_findings(d->f, d->nf);
        drop_nested(d);
    }
    if (sink && sink->on_findings)
        return sink->on_findings(sink->ctx, rec, d->f, d->nf);
    return DS_OK;
}
