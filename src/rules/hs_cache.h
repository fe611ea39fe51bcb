/* rules: a cache of compiled Vectorscan databases.
 *
 * Compiling the whole built-in rule set (hundreds of expressions and keyword
 * alternations) takes Vectorscan seconds of CPU, and every dsaudit process
 * would pay it. The compiled database is a pure function of the expressions,
 * their flags and ids, the Vectorscan version and the CPU features it targets,
 * so it is serialised once under a key hashed from all of those and loaded
 * (milliseconds) by the next process with the same rules and options.
 *
 * Where: $DSAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/dsaudit, else
 * $HOME/.cache/dsaudit. DSAUDIT_CACHE_DIR=off (or empty) disables it. Files
 * are created 0600 in a 0700 directory, written to a temporary name and
 * renamed, so concurrent processes never see half a file; a file that does
 * not deserialise is ignored and replaced. The cache stays within
 * $DSAUDIT_CACHE_MAX_MB (default 64): after a new database is stored, those
 * used least recently (a load touches its file) are removed. */
#ifndef DS_RULES_HS_CACHE_H
#define DS_RULES_HS_CACHE_H

#include <hs.h>
#include <stdint.h>

/* As hs_compile_multi(..., HS_MODE_BLOCK, NULL, db, ce), through the cache. */
hs_error_t ds_hs_compile_cached(const char *const *exprs, const unsigned *flags,
                                const unsigned *ids, unsigned n, hs_database_t **db,
                                hs_compile_error_t **ce);

/* What Vectorscan says of one expression (hs_expression_info). */
typedef struct ds_hs_info {
    int ok;             /* 1: it takes the expression, with `flags` */
    unsigned flags;     /* the flags given, or those | HS_FLAG_PREFILTER */
    unsigned max_width; /* longest match in bytes, 0 = unbounded */
} ds_hs_info;

/* For each of n expressions: whether Vectorscan takes it with flags[i] or,
 * when prefilter_fallback and it does not, with flags[i] | HS_FLAG_PREFILTER.
 * Asking costs about a third of a start-up for the built-in rules (the
 * expression is parsed and analysed each time), so the answers of a batch are
 * kept in the same cache as the databases (one file per batch, hs-KEY-info.db,
 * keyed by the expressions, their flags and the library version). */
void ds_hs_info_cached(const char *const *exprs, const unsigned *flags, unsigned n,
                       int prefilter_fallback, ds_hs_info *out);

/* Other derived data in the same cache: a blob keyed by (tag, source bytes),
 * e.g. a lexicon's hash table keyed by the lexicon's text. ds_cache_map maps
 * the blob read-only and gives its size (release with munmap), or returns
 * NULL when there is none (or the cache is off); ds_cache_put stores one.
 * The tag names the format: change it when the blob's layout or the code
 * that derives it changes. */
const void *ds_cache_map(const char *tag, const void *src, size_t src_len, size_t *blob_len);
void ds_cache_put(const char *tag, const void *src, size_t src_len, const void *blob,
                  size_t blob_len);

/* The cache key of a compilation, as 32 hex digits + NUL (exposed for tests). */
void ds_hs_cache_key(const char *const *exprs, const unsigned *flags, const unsigned *ids,
                     unsigned n, char out[33]);

#endif
