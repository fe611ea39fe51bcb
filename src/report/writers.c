/* report: the writer registry (see writers.h, writers.def). */
#include "report/writers.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "common/mem.h"

static const ds_writer writers[] = {
#define DS_WRITER(name, fn, flags, desc) {#name, fn, flags, desc},
#include "report/writers.def"
#undef DS_WRITER
    {"jsonl", NULL, DS_WRITER_FINDINGS | DS_WRITER_STREAM,
     "one finding a line (SPEC 6.1), streamed"},
};
#define NWRITERS (sizeof writers / sizeof writers[0])

const ds_writer *ds_writer_find(const char *name)
{
    for (size_t i = 0; i < NWRITERS; i++)
        if (strcmp(writers[i].name, name) == 0)
            return &writers[i];
    return NULL;
}

const ds_writer *ds_writer_list(size_t *n)
{
    *n = NWRITERS;
    return writers;
}

const char *ds_writer_names(void)
{
    static char names[256];
    if (!names[0]) {
        size_t len = 0;
        for (size_t i = 0; i < NWRITERS; i++) {
            int k = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                             writers[i].name);
            if (k < 0 || (size_t)k >= sizeof names - len)
                break;
            len += (size_t)k;
        }
    }
    return names;
}

/* text as a registered writer */
int ds_report_text_writer(const ds_scan_result *r, const ds_report_ctx *ctx, FILE *out)
{
    ds_report_opts o = {ctx->quiet, ctx->color};
    ds_report_text(r, &o, out);
    return ferror(out) ? -1 : 0;
}

/* ---- the findings spool -------------------------------------------------------- */

struct ds_findings_spool {
    FILE *f;
    uint64_t n;
    int reading;
    char *line;
    size_t cap;
    yajl_val tree;
};

ds_findings_spool *ds_findings_spool_new(void)
{
    FILE *f = tmpfile();
    if (!f)
        return NULL;
    ds_findings_spool *s = ds_xcalloc(1, sizeof *s);
    s->f = f;
    return s;
}

static void to_write_end(ds_findings_spool *s)
{
    if (s->reading) {
        fseek(s->f, 0, SEEK_END);
        s->reading = 0;
    }
}

int ds_findings_spool_add(ds_findings_spool *s, const uint64_t *value_hash, const char *json,
                          size_t n)
{
    to_write_end(s);
    if (value_hash)
        fprintf(s->f, "%016llx\t", (unsigned long long)*value_hash);
    else
        fputs("----------------\t", s->f);
    fwrite(json, 1, n, s->f);
    fputc('\n', s->f);
    s->n++;
    return !ferror(s->f);
}

int ds_findings_spool_add_raw(ds_findings_spool *s, const char *lines, size_t n)
{
    to_write_end(s);
    for (size_t i = 0; i < n; i++)
        s->n += lines[i] == '\n';
    fwrite(lines, 1, n, s->f);
    return !ferror(s->f);
}

uint64_t ds_findings_spool_count(const ds_findings_spool *s)
{
    return s ? s->n : 0;
}

void ds_findings_spool_free(ds_findings_spool *s)
{
    if (!s)
        return;
    fclose(s->f);
    free(s->line);
    yajl_tree_free(s->tree);
    free(s);
}

void ds_findings_rewind(ds_findings_spool *s)
{
    fflush(s->f);
    rewind(s->f);
    s->reading = 1;
}

static const char *tstr(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_string);
    return v ? YAJL_GET_STRING(v) : NULL;
}

static uint64_t tu64(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_number);
    return v && YAJL_IS_INTEGER(v) && YAJL_GET_INTEGER(v) >= 0 ? (uint64_t)YAJL_GET_INTEGER(v)
                                                                : 0;
}

int ds_findings_next(ds_findings_spool *s, ds_finding_view *v)
{
    if (!s->reading)
        ds_findings_rewind(s);
    for (;;) {
        ssize_t len = getline(&s->line, &s->cap, s->f);
        if (len <= 0)
            return 0;
        if (s->line[len - 1] == '\n')
            s->line[--len] = 0;
        if ((size_t)len <= DS_SPOOL_PREFIX)
            continue;
        yajl_tree_free(s->tree);
        s->tree = yajl_tree_parse(s->line + DS_SPOOL_PREFIX, NULL, 0);
        if (!s->tree || !YAJL_IS_OBJECT(s->tree))
            continue;
        memset(v, 0, sizeof *v);
        v->json = s->line + DS_SPOOL_PREFIX;
        v->json_len = (size_t)len - DS_SPOOL_PREFIX;
        v->file = tstr(s->tree, "file");
        v->field = tstr(s->tree, "field");
        v->type = tstr(s->tree, "type");
        v->category = tstr(s->tree, "category");
        v->rule = tstr(s->tree, "rule");
        v->severity = tstr(s->tree, "severity");
        v->value = tstr(s->tree, "value");
        v->record = tu64(s->tree, "record");
        v->start = tu64(s->tree, "start");
        v->end = tu64(s->tree, "end");
        v->line = tu64(s->tree, "line");
        const char *cp[] = {"confidence", NULL};
        yajl_val c = yajl_tree_get(s->tree, cp, yajl_t_number);
        v->confidence = c ? YAJL_GET_DOUBLE(c) : 0;
        if (s->line[0] != '-') {
            char hex[17];
            memcpy(hex, s->line, 16);
            hex[16] = 0;
            v->value_hash = strtoull(hex, NULL, 16);
            v->has_hash = 1;
        }
        return 1;
    }
}
