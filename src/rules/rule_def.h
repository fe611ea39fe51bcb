/* rules: a rule as written in a YAML rule file, before compilation.
 *
 * Rule files (patterns/NAME.yml, format in patterns/README.md) are parsed with
 * libyaml's event API into ds_rule_def values. Parsing checks structure
 * (known keys, scalar vs list, required keys, validator names); compiling the
 * regexes is rules_compile.c's job, which uses the recorded locations to
 * point errors at file:line:col. */
#ifndef DS_RULES_RULE_DEF_H
#define DS_RULES_RULE_DEF_H

#include <stddef.h>

#include "common/status.h"

typedef struct ds_loc {
    unsigned line, col; /* 1-based; 0 when unknown */
} ds_loc;

/* A list of owned strings, each with the location of its scalar. */
typedef struct ds_strv {
    char **v;
    ds_loc *loc;
    size_t n;
} ds_strv;

typedef struct ds_rule_example {
    char *value;  /* the field value to scan */
    char *field;  /* field (column) name, or NULL */
    ds_loc loc;
} ds_rule_example;

/* Words for one language: `context: {en: [...], fr: [...]}` and the same
 * shape for `keywords`. */
typedef struct ds_rule_words {
    char *lang;
    ds_strv words;
} ds_rule_words;

/* `lexicon: {NAME: [file, ...]}`: the text captured by the regex group named
 * NAME (`(?<NAME>...)`; NAME `match` is the whole match) must be an entry of
 * one of the files. Files are relative to the rule file's directory
 * (built-in rules: patterns/). */
typedef struct ds_rule_lexicon {
    char *name;
    ds_strv files;
    ds_loc loc;  /* location of NAME */
} ds_rule_lexicon;

/* `person_signal:` what a person signal in the same sentence does. */
typedef enum ds_person_signal {
    DS_PSIG_NONE = 0, /* not looked for */
    DS_PSIG_BOOST,    /* raises confidence when present */
    DS_PSIG_REQUIRED  /* without one, confidence is capped below the default threshold */
} ds_person_signal;

/* `anchor:` where every match of the rule's regexes starts: a promise the
 * detector uses to run PCRE2 only at such places (patterns/README.md). */
typedef enum ds_anchor {
    DS_ANCHOR_NONE = 0,
    /* a word of letters and hyphens ending in a lower-case letter, then one
     * whitespace character, then an upper-case letter: "Jean Dupont" */
    DS_ANCHOR_WORD_SPACE_CAPITAL
} ds_anchor;

typedef struct ds_rule_def {
    char *id;          /* required; [a-z0-9_.-]+, stable forever */
    char *type;        /* required; canonical type, e.g. EMAIL */
    char *category;    /* required; personal | sensitive | criminal */
    char *severity;    /* required; info | low | medium | high */
    char *description; /* optional, one paragraph */
    double confidence; /* base confidence of a match, default 0.6 */
    int has_confidence;

    ds_strv regex;     /* PCRE2 patterns; a rule needs regex, keywords or column_only */
    char *prefilter;   /* optional Vectorscan pattern used to find candidates */
    ds_loc prefilter_loc;
    int caseless;      /* `caseless: true` */

    char *validator;   /* registry name (validators.def) or NULL */
    ds_loc validator_loc;

    ds_rule_words *context; /* context words per language */
    size_t ncontext;
    int context_required;   /* 1: a match needs a context word or column hint */
    unsigned context_window; /* bytes before/after the match searched; default 64 */

    ds_rule_words *keywords; /* literal words/phrases per language, whole words */
    size_t nkeywords;

    ds_strv columns;   /* normalised field names that raise confidence */
    int column_only;   /* 1: every non-empty value of a matching column is a finding */
    ds_strv column_pair; /* column_only: the record must also hold a non-empty field
                          * whose name matches one of these (lat with lon) */
    ds_strv exclude_columns; /* field names where the rule never reports (company, city) */
    ds_rule_lexicon *lexicons; /* named-group lexicon checks */
    size_t nlexicons;
    ds_person_signal person_signal;
    ds_anchor anchor;
    ds_strv exclude;   /* PCRE2: a match whose text this finds is dropped */
    ds_strv allow;     /* exact matched values never reported */

    ds_rule_example *positive; /* examples that must give a finding of this rule */
    size_t npositive;
    ds_rule_example *negative; /* examples that must not */
    size_t nnegative;

    char *file;        /* path of the rule file */
    ds_loc loc;        /* location of the rule's mapping */
    ds_loc regex_loc;  /* location of the `regex` key (for errors) */
} ds_rule_def;

/* Parse one rule file held in text[0..len). `path` is used in messages and
 * stored in each rule. On success *rules is a malloc'd array of *nrules
 * entries. On failure returns DS_ERULE with err->where = "path:line:col"
 * and err->msg naming the problem and, when useful, an excerpt with a caret;
 * *rules is left NULL. */
ds_status ds_rules_parse(const char *path, const char *text, size_t len, ds_rule_def **rules,
                         size_t *nrules, ds_error *err);

/* Free what one definition owns (not the struct itself). */
void ds_rule_def_clear(ds_rule_def *r);

/* Free an array returned by ds_rules_parse. */
void ds_rule_defs_free(ds_rule_def *rules, size_t n);

#endif
