/* cli: the reports of one run (see outputs.h). */
#include "cli/outputs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/mem.h"
#include "report/json_out.h"

typedef struct out {
    const ds_writer *w;
    char *path; /* NULL: stdout */
    char *tmp;  /* the temporary file while writing */
    FILE *f;
} out;

struct ds_outputs {
    out *v;
    size_t n;
    int stream;             /* some output is jsonl */
    ds_findings_spool *spool;
    uint64_t max_findings;
    int spool_full;
    int from_spool; /* merge: the streamed outputs are written from the spool */
};

static int open_tmp(out *d)
{
    size_t n = strlen(d->path);
    d->tmp = ds_xmalloc(n + 16);
    snprintf(d->tmp, n + 16, "%s.tmp-XXXXXX", d->path);
    int fd = mkstemp(d->tmp); /* O_CREAT|O_EXCL, 0600 */
    if (fd < 0 || !(d->f = fdopen(fd, "w"))) {
        fprintf(stderr, "dsaudit: %s: cannot create the report: %s\n", d->path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(d->tmp);
        }
        free(d->tmp);
        d->tmp = NULL;
        return 0;
    }
    return 1;
}

static int add(ds_outputs *o, const char *fmt, size_t fmtlen, const char *path)
{
    char name[32];
    if (fmtlen >= sizeof name)
        fmtlen = sizeof name - 1;
    memcpy(name, fmt, fmtlen);
    name[fmtlen] = 0;
    const ds_writer *w = ds_writer_find(name);
    if (!w) {
        fprintf(stderr, "dsaudit: unknown report format '%s' (known: %s)\n", name,
                ds_writer_names());
        return 0;
    }
    o->v = ds_xrealloc(o->v, (o->n + 1) * sizeof *o->v);
    out *d = &o->v[o->n++];
    memset(d, 0, sizeof *d);
    d->w = w;
    if (path && strcmp(path, "-") != 0) {
        d->path = ds_xstrdup(path);
        if (w->flags & DS_WRITER_STREAM && !open_tmp(d))
            return 0;
    }
    if (w->flags & DS_WRITER_STREAM)
        o->stream = 1;
    else if (w->flags & DS_WRITER_FINDINGS && !o->spool) {
        o->spool = ds_findings_spool_new();
        if (!o->spool) {
            fprintf(stderr, "dsaudit: cannot create a temporary file: %s\n", strerror(errno));
            return 0;
        }
    }
    return 1;
}

ds_outputs *ds_outputs_open(const char *stdout_fmt, const ds_strlist *specs,
                            uint64_t max_findings)
{
    ds_outputs *o = ds_xcalloc(1, sizeof *o);
    o->max_findings = max_findings;
    int ok = 1;
    if (stdout_fmt)
        ok = add(o, stdout_fmt, strlen(stdout_fmt), NULL);
    for (size_t i = 0; ok && specs && i < specs->n; i++) {
        const char *c = strchr(specs->v[i], ':');
        ok = c && add(o, specs->v[i], (size_t)(c - specs->v[i]), c + 1);
    }
    if (!ok) {
        ds_outputs_free(o);
        return NULL;
    }
    o->spool_full = o->spool && max_findings == 0;
    return o;
}

int ds_outputs_want_lines(const ds_outputs *o)
{
    return o->stream || o->spool;
}

int ds_outputs_lines_done(const ds_outputs *o)
{
    return !o->stream && (!o->spool || __atomic_load_n(&o->spool_full, __ATOMIC_RELAXED));
}

uint64_t ds_outputs_unit_line_cap(const ds_outputs *o)
{
    return o->stream || !o->spool ? UINT64_MAX : o->max_findings;
}

ds_findings_spool *ds_outputs_spool(ds_outputs *o)
{
    return o->spool;
}

void ds_outputs_set_spool(ds_outputs *o, ds_findings_spool *s)
{
    ds_findings_spool_free(o->spool);
    o->spool = s;
    o->from_spool = 1;
}

void ds_outputs_lines(ds_outputs *o, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl + 1 : end;
        if ((size_t)(e - p) > DS_SPOOL_PREFIX) {
            for (size_t i = 0; i < o->n; i++)
                if (o->v[i].w->flags & DS_WRITER_STREAM)
                    fwrite(p + DS_SPOOL_PREFIX, 1, (size_t)(e - p) - DS_SPOOL_PREFIX,
                           o->v[i].f ? o->v[i].f : stdout);
            if (o->spool && !o->spool_full) {
                ds_findings_spool_add_raw(o->spool, p, (size_t)(e - p));
                if (ds_findings_spool_count(o->spool) >= o->max_findings)
                    __atomic_store_n(&o->spool_full, 1, __ATOMIC_RELAXED);
            }
        }
        p = e;
    }
}

int ds_outputs_finish(ds_outputs *o, const ds_scan_result *r, ds_report_ctx *ctx)
{
    int rc = 0;
    ctx->findings = o->spool;
    ctx->findings_listed = ds_findings_spool_count(o->spool);
    int color = ctx->color;
    for (size_t i = 0; i < o->n; i++) {
        out *d = &o->v[i];
        if (d->path && !d->f && !open_tmp(d)) {
            rc = -1;
            continue;
        }
        FILE *f = d->f ? d->f : stdout;
        ctx->color = d->f ? 0 : color;
        if (d->w->write && d->w->write(r, ctx, f) != 0)
            rc = -1;
        if (!d->w->write && o->from_spool && o->spool) {
            /* merge: jsonl is the merged findings list (capped) */
            ds_finding_view v;
            ds_findings_rewind(o->spool);
            while (ds_findings_next(o->spool, &v)) {
                fwrite(v.json, 1, v.json_len, f);
                fputc('\n', f);
            }
        }
        if (!d->f) {
            fflush(stdout);
            continue;
        }
        int bad = ferror(d->f);
        if (fclose(d->f) != 0)
            bad = 1;
        d->f = NULL;
        if (bad || rename(d->tmp, d->path) != 0) {
            fprintf(stderr, "dsaudit: %s: cannot write the report: %s\n", d->path,
                    strerror(errno));
            unlink(d->tmp);
            rc = -1;
        }
        free(d->tmp);
        d->tmp = NULL;
    }
    ctx->color = color;
    return rc;
}

void ds_outputs_free(ds_outputs *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        if (o->v[i].f)
            fclose(o->v[i].f);
        if (o->v[i].tmp) {
            unlink(o->v[i].tmp);
            free(o->v[i].tmp);
        }
        free(o->v[i].path);
    }
    free(o->v);
    ds_findings_spool_free(o->spool);
    free(o);
}

void ds_iso_time(char *buf)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void list_json(ds_buf *b, const ds_strlist *l)
{
    ds_buf_putc(b, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ds_buf_puts(b, ", ");
        ds_json_cstr(b, l->v[i]);
    }
    ds_buf_putc(b, ']');
}

void ds_scan_settings_json(const ds_scan_opts *o, ds_buf *b)
{
    ds_buf_printf(b, "{\"fail_on\": \"%s\", \"min_confidence\": \"%g\", \"show_values\": %s, ",
                  ds_severity_name(o->fail_on), o->min_confidence,
                  o->show_values ? "true" : "false");
    ds_buf_printf(b, "\"max_findings\": %llu, \"max_depth\": %u, \"max_ratio\": \"%g\", ",
                  (unsigned long long)o->max_findings, o->max_depth, o->max_ratio);
    ds_buf_printf(b, "\"max_bytes\": %llu, \"max_entries\": %llu, \"max_field\": %llu, ",
                  (unsigned long long)o->max_bytes, (unsigned long long)o->max_entries,
                  (unsigned long long)o->max_field);
    ds_buf_printf(b, "\"strict\": %s, \"follow_symlinks\": %s, ", o->strict ? "true" : "false",
                  o->follow_symlinks ? "true" : "false");
    ds_buf_printf(b, "\"sample\": \"%g\", \"seed\": %llu, \"max_records\": %llu, ",
                  o->sample_rate, (unsigned long long)o->seed,
                  (unsigned long long)o->max_records);
    ds_buf_puts(b, "\"rules\": ");
    ds_json_cstr(b, o->rules_dir);
    ds_buf_puts(b, ", \"enable\": ");
    list_json(b, &o->enable);
    ds_buf_puts(b, ", \"disable\": ");
    list_json(b, &o->disable);
    ds_buf_puts(b, ", \"lang\": ");
    list_json(b, &o->langs);
    ds_buf_puts(b, ", \"exclude\": ");
    list_json(b, &o->exclude);
    ds_buf_putc(b, '}');
}
