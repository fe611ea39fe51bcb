/* rules: compiled ruleset internals, shared with the detector (detect/). */
#ifndef DS_RULES_RULES_IMPL_H
#define DS_RULES_RULES_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#include <stdint.h>

#include "rules/rules.h"
#include "rules/validators.h"

/* PCRE2 limits: a pathological regex on a hostile value ends in bounded time. */
#define DS_PCRE2_MATCH_LIMIT 1000000u
#define DS_PCRE2_DEPTH_LIMIT 10000u

/* A lexicon file loaded as a set of 64-bit hashes of its folded entries. */
typedef struct ds_lexset {
    char *path;       /* resolved path, for sharing between rules */
    uint64_t *slots;  /* open addressing, 0 = empty */
    size_t mask;      /* slots - 1 (a power of two minus one) */
    size_t n;         /* entries */
    const void *map;  /* the cache file slots point into (munmap), or NULL */
    size_t map_len;
} ds_lexset;

/* Fold a lexicon entry or a candidate for lookup into out (cap bytes,
 * NUL-terminated): ASCII lower case, Latin-1 letters lower-cased and, with
 * accents != 0, stripped of their accents (é -> e, œ -> oe); other bytes kept.
 * Returns the length, or SIZE_MAX when the text does not fit. */
size_t ds_lex_fold(const char *s, size_t n, int accents, char *out, size_t cap);
uint64_t ds_lex_hash(const char *s, size_t n);
int ds_lexset_has(const ds_lexset *l, const char *folded, size_t n);

/* One `lexicon:` entry of a rule: the sets its files were loaded into. */
typedef struct ds_clexicon {
    const ds_lexset **sets;
    size_t nsets;
} ds_clexicon;

/* Person signals (rule key person_signal), from lexicons/person_signals.txt:
 * words (pronouns, kinship, titles) of the active languages, and name
 * lexicons whose entries count when written capitalised. */
typedef struct ds_signals {
    ds_lexset *words;          /* folded without accent stripping */
    ds_lexset *not_words;      /* [not]: capitalised non-names, "il y" phrases */
    const ds_lexset **names;   /* folded with accent stripping */
    size_t nnames;
} ds_signals;

typedef struct ds_cpattern {
    size_t rule;          /* index into ds_ruleset.rules */
    pcre2_code *re;       /* confirms candidates and gives the exact span */
    unsigned max_width;   /* longest possible match in bytes; 0 = unbounded */
    int in_db;            /* 1: Vectorscan finds its candidates; 0: PCRE2 on every value */
    int keyword;          /* 1: built from the rule's keywords */
    unsigned kw_width;    /* keyword patterns: longest match of a keyword written with
                           * single spaces (0: unknown) */
    int *lex_group;       /* per rule lexicon: capture group checked (0 = whole match), -1 = none */
    size_t alias_next;    /* next pattern with the same Vectorscan expression, reported
                           * under this one's id; SIZE_MAX: none */
    ds_anchor anchor;     /* the rule's anchor: where PCRE2 need look (rule_def.h) */
} ds_cpattern;

typedef struct ds_crule {
    ds_rule pub;
    ds_rule_def def;
    const ds_validator *validator;
    pcre2_code **exclude;
    size_t nexclude;
    char **ctx_words;     /* context words of the active languages, lower case */
    size_t *ctx_lens;
    size_t nctx;
    size_t ctx_maxlen;    /* the longest context word */
    size_t ctx_first[257]; /* ctx_words sorted by first byte: those starting with
                            * byte c are [ctx_first[c], ctx_first[c + 1]) */
    int ctx_nonword_first; /* a context word starts with a byte that is not a word
                            * byte (ASCII letter or digit, or non-ASCII) */
    char **columns;       /* normalised column names (fnmatch patterns) */
    size_t ncolumns;
    char **pair_cols;     /* normalised column_pair names (fnmatch patterns) */
    size_t npair_cols;
    char **not_cols;      /* normalised exclude_columns names (fnmatch patterns) */
    size_t nnot_cols;
    ds_clexicon *lex;     /* def.nlexicons entries */
} ds_crule;

#define DS_GATE_TIERS 4
#define DS_GATE_CLASSES 2

struct ds_ruleset {
    ds_crule *rules;
    size_t nrules;
    ds_cpattern *pats;
    size_t npats;
    hs_database_t *db;    /* NULL when no pattern could go to Vectorscan */
    /* Gated patterns: every match holds gate_min[t] bytes of the gate class
     * gate_class[t] or more within its reach (rules/re_shape.h), so gdb[t]
     * scans only the windows of +-gate_width[t] bytes around a value's runs
     * of those bytes that hold that many. Tiers keep one long pattern from
     * widening the windows of all the short ones, and a year ("2019") from
     * waking the 9-digit identifiers. A class is a contiguous byte range
     * [gate_lo, gate_hi]: digits and ':', and '@'. */
    hs_database_t *gdb[DS_GATE_TIERS]; /* NULL when no pattern is in the tier */
    /* The same tier with its expressions relaxed to see digits as one
     * (re_relax.h): their candidates in a window depend only on the window's
     * shape, its digits as '0', so the detector scans each shape once. The
     * expressions that do not relax are in rrest[t], as they are, scanned on
     * every window. NULL when none relaxes. */
    hs_database_t *rdb[DS_GATE_TIERS], *rrest[DS_GATE_TIERS];
    hs_database_t *rdb_main, *rrest_main; /* the same for db, on short values with digits */
    unsigned gate_width[DS_GATE_TIERS];
    unsigned gate_lead[DS_GATE_TIERS]; /* a match starts at most this many bytes before
                                        * a gate byte (re_shape.h lead) */
    unsigned gate_trail[DS_GATE_TIERS]; /* and ends at most this many bytes after
                                         * one (re_shape.h trail) */
    unsigned gate_min[DS_GATE_TIERS];
    unsigned gate_class[DS_GATE_TIERS];
    unsigned char gate_lo[DS_GATE_CLASSES], gate_hi[DS_GATE_CLASSES];
    int gate_used[DS_GATE_CLASSES]; /* a tier of the class has a database */
    int ngated;                     /* patterns in gated databases */
    size_t *always;       /* patterns run with PCRE2 on every value */
    size_t nalways;
    size_t *column_only;  /* the rules with column_only, in order (a list: walking
                           * every rule's large struct per value missed the cache) */
    size_t ncolumn_only;
    char digest[32];
    ds_lexset **lexsets;  /* every lexicon file loaded, shared by the rules */
    size_t nlexsets;
    ds_signals signals;   /* loaded when a rule has person_signal */
    uint32_t max_groups;  /* largest capture count of any pattern (match data size) */
};

/* The expression a gated tier gives Vectorscan for regex re (malloc'd): a
 * leading negative lookbehind on one class, (?<![C]), becomes (?:^|[^C]),
 * and a trailing negative lookahead (?![C]) or (?![C]|...) becomes
 * (?:[^C]|$). Prefilter mode would drop them, and a 9-digit pattern would
 * then fire at every offset of a 16-digit run. The result matches wherever
 * the regex does, one character wider on each side at most, or at the
 * window's edges: a gated window, not Vectorscan's offsets, bounds where
 * PCRE2 confirms, so that is safe there (and only there). */
char *ds_hs_gated_expr(const char *re);

/* 1 when the normalised field name matches one of the patterns. */
int ds_colpat_match(char *const *pats, size_t n, const char *norm_name);

/* 1 when the normalised field name matches one of the rule's columns. */
int ds_crule_column_match(const ds_crule *r, const char *norm_name);

#endif
