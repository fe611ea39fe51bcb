/* common: allocation helpers.
 *
 * dsaudit treats running out of memory as fatal, as most command-line tools
 * do: ds_xmalloc and friends print "dsaudit: out of memory" and abort rather
 * than return NULL, which keeps every caller free of unreachable error paths.
 * Memory use is bounded by configuration (field and line limits), never by
 * input size, so this only fires on a machine that is genuinely out of memory. */
#ifndef DS_COMMON_MEM_H
#define DS_COMMON_MEM_H

#include <stddef.h>

void *ds_xmalloc(size_t n);
void *ds_xcalloc(size_t nmemb, size_t size);
void *ds_xrealloc(void *p, size_t n);
/* Grow an array of `*cap` elements of `size` bytes to hold at least `need`. */
void *ds_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *ds_xstrdup(const char *s);
char *ds_xstrndup(const char *s, size_t n);

#endif
