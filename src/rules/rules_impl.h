/* rules: compiled ruleset internals, shared with the detector (detect/). */
#ifndef DS_RULES_RULES_IMPL_H
#define DS_RULES_RULES_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#include "rules/rules.h"
#include "rules/validators.h"

/* PCRE2 limits: a pathological regex on a hostile value ends in bounded time. */
#define DS_PCRE2_MATCH_LIMIT 1000000u
#define DS_PCRE2_DEPTH_LIMIT 10000u

typedef struct ds_cpattern {
    size_t rule;          /* index into ds_ruleset.rules */
    pcre2_code *re;       /* confirms candidates and gives the exact span */
    unsigned max_width;   /* longest possible match in bytes; 0 = unbounded */
    int in_db;            /* 1: Vectorscan finds its candidates; 0: PCRE2 on every value */
    int keyword;          /* 1: built from the rule's keywords */
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
    char **columns;       /* normalised column names (fnmatch patterns) */
    size_t ncolumns;
} ds_crule;

struct ds_ruleset {
    ds_crule *rules;
    size_t nrules;
    ds_cpattern *pats;
    size_t npats;
    hs_database_t *db;    /* NULL when no pattern could go to Vectorscan */
    size_t *always;       /* patterns run with PCRE2 on every value */
    size_t nalways;
    int has_column_only;
    char digest[32];
};

/* 1 when the normalised field name matches one of the rule's columns. */
int ds_crule_column_match(const ds_crule *r, const char *norm_name);

#endif
