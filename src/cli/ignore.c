/* cli: .dsauditignore files (see ignore.h). */
#include "cli/ignore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/mem.h"

#define IGNORE_FILE ".dsauditignore"

static void add(ds_strlist *l, const char *s)
{
    l->v = ds_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = ds_xstrdup(s);
}

/* One line of an ignore file in directory dir (no trailing '/'). */
static void add_line(const char *dir, char *line, ds_strlist *l)
{
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = 0;
    while (len > 1 && line[len - 1] == '/')
        line[--len] = 0;
    if (!len)
        return;
    /* "**" behaves as "*" (which already crosses '/') */
    char *p;
    while ((p = strstr(line, "**")))
        memmove(p, p + 1, strlen(p + 1) + 1);
    int anchored = line[0] == '/' || strchr(line + 1, '/') != NULL;
    const char *pat = line[0] == '/' ? line + 1 : line;
    if (!*pat)
        return;
    ds_buf b = {0};
    if (!anchored) {
        /* the name itself (walk matches basenames), and what lies below a
         * directory of that name when files inside it are named directly */
        add(l, pat);
        ds_buf_printf(&b, "%s/*", pat);
        add(l, b.data);
        ds_buf_reset(&b);
        ds_buf_printf(&b, "*/%s/*", pat);
        add(l, b.data);
        ds_buf_free(&b);
        return;
    }
    for (int below = 0; below < 2; below++) {
        const char *suffix = below ? "/*" : "";
        if (strcmp(dir, ".") == 0) {
            ds_buf_printf(&b, "%s%s", pat, suffix); /* paths given as "sub/x.csv" */
            add(l, b.data);
            ds_buf_reset(&b);
            ds_buf_printf(&b, "./%s%s", pat, suffix);
        } else {
            ds_buf_printf(&b, "%s/%s%s", dir, pat, suffix);
        }
        add(l, b.data);
        ds_buf_reset(&b);
    }
    ds_buf_free(&b);
}

int ds_ignore_load(const char *dir, ds_strlist *exclude)
{
    ds_buf path = {0};
    ds_buf_printf(&path, "%s/%s", dir, IGNORE_FILE);
    FILE *f = fopen(path.data, "r");
    if (!f) {
        int e = errno;
        int rc = 0;
        if (e != ENOENT && e != ENOTDIR) {
            fprintf(stderr, "dsaudit: %s: cannot read: %s\n", path.data, strerror(e));
            rc = -1;
        }
        ds_buf_free(&path);
        return rc;
    }
    /* the ignore file itself is configuration, not data */
    ds_buf self = {0};
    ds_buf_printf(&self, "%s/" IGNORE_FILE, strcmp(dir, ".") == 0 ? "*" : dir);
    add(exclude, strcmp(dir, ".") == 0 ? IGNORE_FILE : self.data);
    ds_buf_free(&self);
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (line[0] == '#')
            continue;
        if (line[0] == '!') {
            fprintf(stderr,
                    "dsaudit: %s:%u: '!' (re-include) patterns are not supported; line "
                    "ignored\n",
                    path.data, lineno);
            continue;
        }
        if (line[0] == '\\' && (line[1] == '#' || line[1] == '!'))
            memmove(line, line + 1, strlen(line));
        add_line(dir, line, exclude);
    }
    int rc = ferror(f) ? -1 : 0;
    if (rc)
        fprintf(stderr, "dsaudit: %s: read error\n", path.data);
    free(line);
    fclose(f);
    ds_buf_free(&path);
    return rc;
}

int ds_ignore_load_for_scan(char *const *paths, size_t n, ds_strlist *exclude)
{
    int rc = ds_ignore_load(".", exclude);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        char *dir = ds_xstrdup(paths[i]);
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            dir[--len] = 0;
        if (strcmp(dir, ".") != 0 && strcmp(dir, "./") != 0 && ds_ignore_load(dir, exclude) != 0)
            rc = -1;
        free(dir);
    }
    return rc;
}
