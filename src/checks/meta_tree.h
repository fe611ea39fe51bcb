/* checks: a small document tree shared by the metadata readers. JSON (yajl)
 * and YAML (libyaml, safe subset: no aliases, tags or multiple documents)
 * are both read into it, so the readers for Croissant, datapackage.json, the
 * HF card front matter and the sidecar walk one structure. Metadata files are
 * small; the input is capped at DS_META_MAX_BYTES and the nesting depth at
 * DS_MTREE_MAX_DEPTH. */
#ifndef DS_CHECKS_META_TREE_H
#define DS_CHECKS_META_TREE_H

#include <stddef.h>

#include "common/status.h"

#define DS_META_MAX_BYTES (16u << 20)
#define DS_MTREE_MAX_DEPTH 64

typedef enum ds_mkind { DS_MN_NULL, DS_MN_SCALAR, DS_MN_MAP, DS_MN_SEQ } ds_mkind;

typedef struct ds_mnode ds_mnode;
struct ds_mnode {
    ds_mkind kind;
    char *s;          /* DS_MN_SCALAR: the text (numbers and booleans as written) */
    int quoted;       /* scalar was a JSON string or a quoted YAML scalar */
    size_t line;      /* 1-based line where the node starts (0 unknown) */
    char **keys;      /* DS_MN_MAP: keys[i] -> v[i] */
    ds_mnode **v;     /* DS_MN_MAP values or DS_MN_SEQ items */
    size_t n, cap;
};

/* Parse; on failure fill err with "WHERE:LINE" and a message and return
 * DS_EFORMAT (*out stays NULL). `where` names the input in messages. */
ds_status ds_mtree_json(const char *data, size_t len, const char *where, ds_mnode **out,
                        ds_error *err);
ds_status ds_mtree_yaml(const char *data, size_t len, const char *where, size_t first_line,
                        ds_mnode **out, ds_error *err);

void ds_mnode_free(ds_mnode *n); /* NULL is a no-op */

/* Map lookup (exact key); NULL when absent or n is not a map. */
const ds_mnode *ds_mnode_get(const ds_mnode *n, const char *key);

/* The scalar text of n, or NULL (also for null, maps and sequences). */
const char *ds_mnode_str(const ds_mnode *n);

/* n as a boolean: 1 true, 0 false, -1 absent or not a boolean. */
int ds_mnode_bool(const ds_mnode *n);

/* A new empty map / scalar (for readers that synthesise nodes). */
ds_mnode *ds_mnode_new(ds_mkind kind, const char *s);
void ds_mnode_add(ds_mnode *parent, const char *key, ds_mnode *child);

#endif
