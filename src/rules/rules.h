/* rules: the compiled, immutable ruleset.
 *
 * Rule files are parsed (rule_def.h), then compiled once into a ds_ruleset:
 * one Vectorscan database holding every rule's prefilter pattern and every
 * keyword, and one PCRE2 JIT program per regex. The ruleset never changes
 * after ds_ruleset_build and can be shared by any number of detectors
 * (threads); per-scan mutable state lives in ds_detector (detect/detect.h). */
#ifndef DS_RULES_RULES_H
#define DS_RULES_RULES_H

#include <stddef.h>

#include "common/status.h"
#include "rules/rule_def.h"

typedef enum ds_severity {
    DS_SEV_NONE = 0, /* only as a threshold: --fail-on none */
    DS_SEV_INFO,
    DS_SEV_LOW,
    DS_SEV_MEDIUM,
    DS_SEV_HIGH
} ds_severity;

const char *ds_severity_name(ds_severity s);
/* Parse "none|info|low|medium|high"; returns 0 on unknown text. */
int ds_severity_parse(const char *s, ds_severity *out);

/* Read-only view of a compiled rule. */
typedef struct ds_rule {
    const char *id;
    const char *type;
    const char *category;
    const char *description;
    ds_severity severity;
    double confidence;
    const char *validator; /* NULL when none */
    const char *file;
    unsigned line;
    const ds_rule_def *def; /* the definition it was built from */
} ds_rule;

typedef struct ds_ruleset ds_ruleset;

typedef struct ds_ruleset_opts {
    const char *const *enable;  /* ids, types or categories; empty = all */
    size_t nenable;
    const char *const *disable; /* ids, types or categories */
    size_t ndisable;
    const char *const *langs;   /* languages for context words and keywords; empty = all */
    size_t nlangs;
    int no_gate; /* 1: every Vectorscan pattern scans whole values (tests compare) */
    int no_shape; /* 1: no relaxed tier databases, no shape cache (tests compare) */
    int no_anchor; /* 1: rules' anchors ignored, PCRE2 tries every start (tests compare) */
} ds_ruleset_opts;

/* Compile rule definitions (ownership of defs[] passes to the ruleset, which
 * frees them). Errors (bad regex, duplicate id, unknown validator) return
 * DS_ERULE with err->where = "file:line:col". */
ds_status ds_ruleset_build(ds_rule_def *defs, size_t ndefs, const ds_ruleset_opts *opts,
                           ds_ruleset **out, ds_error *err);

/* Parse every .yml / .yaml file of dir (sorted by name) and build. */
ds_status ds_ruleset_load_dir(const char *dir, const ds_ruleset_opts *opts, ds_ruleset **out,
                              ds_error *err);

/* Build the rules embedded in the binary at build time (patterns/). */
ds_status ds_ruleset_load_builtin(const ds_ruleset_opts *opts, ds_ruleset **out, ds_error *err);

/* Parse and build rule files held in memory (tests). names[i] labels texts[i]. */
ds_status ds_ruleset_load_mem(const char *const *names, const char *const *texts, size_t n,
                              const ds_ruleset_opts *opts, ds_ruleset **out, ds_error *err);

size_t ds_ruleset_count(const ds_ruleset *rs);
const ds_rule *ds_ruleset_rule(const ds_ruleset *rs, size_t i);
const ds_rule *ds_ruleset_find(const ds_ruleset *rs, const char *id);

/* Hex SHA-256-like digest of the compiled rule texts (for reports). */
const char *ds_ruleset_digest(const ds_ruleset *rs);

void ds_ruleset_free(ds_ruleset *rs); /* NULL is a no-op */

#endif
