/* rules: files embedded in the binary at build time (tools/embed.sh). */
#ifndef DS_RULES_BUILTIN_H
#define DS_RULES_BUILTIN_H

#include <stddef.h>

typedef struct ds_builtin_file {
    const char *path; /* e.g. "patterns/contact.yml" */
    const char *data; /* NUL-terminated */
    const char *end;  /* data + size: the NUL */
} ds_builtin_file;

extern const ds_builtin_file ds_builtin_files[];
extern const size_t ds_builtin_nfiles;

/* The embedded file named `path`, or NULL. */
const ds_builtin_file *ds_builtin_find(const char *path);

#endif
