/* detect: records x ruleset -> findings, pushed to a sink.
 *
 * A detector holds the mutable per-scan state (Vectorscan scratch, PCRE2
 * match data and JIT stack, finding buffers) for one thread over a shared,
 * immutable ds_ruleset. For each value it runs the whole-value Vectorscan
 * database (keywords, names, what is not gated) and the gated tiers in
 * windows around the value's digits or '@' (rules_impl.h); a digit tier's
 * window of up to 64 bytes is scanned with the tier's relaxed database once
 * per shape (its digits as '0', re_relax.h) and its candidates reused for
 * every later window of that shape; PCRE2 confirms
 * each candidate inside a bounded window and gives the exact span;
 * validators, excludes, allow lists, context words and column names then
 * decide and set the confidence. The findings of a whole value of at most
 * 96 bytes are cached per field name: they depend on nothing else.
 *
 * Confidence (documented in README and patterns/README.md):
 *   rule base confidence (patterns set it; a validator-backed rule is high)
 *   + 0.15 when a context word of the rule is within context_window bytes
 *   + 0.15 when the field name matches one of the rule's columns
 *   + 0.15 (person_signal: boost) when the sentence holds a person signal
 *   capped at 1.0; context_required rules need one of the two.
 * person_signal: required caps a match without a person signal in its
 * sentence (pronoun, first person, kinship word, title, capitalised first
 * name: lexicons/person_signals.txt) at 0.3, below the default threshold.
 * lexicon: a match whose lexicon group is not in its lexicon is dropped.
 * Findings below opts.min_confidence are dropped. */
#ifndef DS_DETECT_DETECT_H
#define DS_DETECT_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "input/source.h"
#include "rules/rules.h"

#define DS_CONF_CONTEXT 0.15
#define DS_CONF_COLUMN 0.15
#define DS_CONF_PERSON 0.15     /* person_signal: boost, with a signal in the sentence */
#define DS_CONF_TOPIC_ONLY 0.3  /* person_signal: required, without one (below 0.5) */
#define DS_DEFAULT_MIN_CONFIDENCE 0.5

typedef struct ds_finding {
    const ds_rule *rule;  /* borrowed from the ruleset */
    size_t field;         /* index into rec->fields */
    uint64_t start, end;  /* byte span in the whole decoded value */
    const char *match;    /* the matched bytes inside rec->fields[field].value */
    size_t match_len;
    double confidence;
} ds_finding;

typedef struct ds_sink {
    void *ctx;
    /* Findings of one record part, sorted by field, start, end, rule order.
     * Return DS_DONE to stop the scan cleanly. */
    ds_status (*on_findings)(void *ctx, const ds_record *rec, const ds_finding *f, size_t n);
} ds_sink;

typedef struct ds_detect_opts {
    double min_confidence; /* default DS_DEFAULT_MIN_CONFIDENCE */
} ds_detect_opts;

typedef struct ds_detect_stats {
    uint64_t values;       /* values scanned */
    uint64_t bytes;        /* value bytes scanned */
    uint64_t candidates;   /* PCRE2 confirmations run */
    uint64_t windows;      /* windows of gated tiers looked at (rules_impl.h gdb) */
    uint64_t window_hits;  /* of which answered by the shape cache, without a scan */
    uint64_t limit_hits;   /* PCRE2 match/depth limit reached: value not fully scanned */
    const ds_rule *limit_rule; /* last rule that hit the limit */
} ds_detect_stats;

typedef struct ds_detector ds_detector;

ds_status ds_detector_new(const ds_ruleset *rs, const ds_detect_opts *opts, ds_detector **out,
                          ds_error *err);

/* Scan every field of rec and push its findings (possibly none) to sink. */
ds_status ds_detector_scan(ds_detector *d, const ds_record *rec, const ds_sink *sink,
                           ds_error *err);

const ds_detect_stats *ds_detector_stats(const ds_detector *d);

/* 1 when a match starting at s of v[0..len) keeps the promise of anchor
 * (rule_def.h ds_anchor): for word-space-capital, a run of word bytes
 * (letters, hyphens) from s to whitespace, after a lower-case letter and
 * before an upper-case one. Always 1 for DS_ANCHOR_NONE. */
int ds_anchor_holds(ds_anchor anchor, const char *v, size_t len, size_t s);

void ds_detector_free(ds_detector *d); /* NULL is a no-op */

#endif
