/* redact: the output tree of one top-level input (see tree.c). */
#ifndef DS_REDACT_TREE_H
#define DS_REDACT_TREE_H

#include "redact/redact.h"

typedef struct ds_rtree ds_rtree;

/* Output of the input `input_path` at out_dir/rel. input_path (may be NULL)
 * is stat'ed so that it is never overwritten. */
ds_rtree *ds_rtree_new(const char *out_dir, const char *rel, const char *input_path);

/* Start the leaf comps[ncomps-1] inside the archives comps[0..ncomps-1)
 * (comps[0] is rel itself when ncomps > 1; for ncomps == 1 the leaf is the
 * file rel). Closes the archive levels the walk has left, opens the new
 * ones, and sets *w to write the leaf's bytes (compressed by its name). */
ds_status ds_rtree_begin_leaf(ds_rtree *t, char *const *comps, size_t ncomps, ds_rwriter *w,
                              ds_error *err);
/* ok = 0: the leaf is discarded (left out of its archive, or not created). */
ds_status ds_rtree_end_leaf(ds_rtree *t, int ok, ds_error *err);
/* Close every open level (written when ok). */
ds_status ds_rtree_close(ds_rtree *t, int ok, ds_error *err);
void ds_rtree_free(ds_rtree *t); /* discards anything still open */

#endif
