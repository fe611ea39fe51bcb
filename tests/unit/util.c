/* tests: helpers shared by the unit tests (see util.h). */
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "input/stream.h"

ds_source_opts source_opts_or_default(const ds_source_opts *o)
{
    ds_source_opts r;
    if (o)
        r = *o;
    else
        ds_source_opts_default(&r);
    return r;
}

const char *source_stats_differ(const ds_source_stats *a, const ds_source_stats *b)
{
    if (a->records != b->records)
        return "records";
    if (a->malformed != b->malformed)
        return "malformed";
    if (a->ragged != b->ragged)
        return "ragged";
    if (a->invalid_utf8 != b->invalid_utf8)
        return "invalid_utf8";
    if (a->windowed != b->windowed)
        return "windowed";
    if (a->lines != b->lines)
        return "lines";
    if (a->csv_delim != b->csv_delim)
        return "csv_delim";
    if (a->csv_header != b->csv_header)
        return "csv_header";
    return NULL;
}

static void put_escaped(ds_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\n': ds_buf_puts(b, "\\n"); break;
        case '\r': ds_buf_puts(b, "\\r"); break;
        case '\t': ds_buf_puts(b, "\\t"); break;
        case '\0': ds_buf_puts(b, "\\0"); break;
        case '\\': ds_buf_puts(b, "\\\\"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                ds_buf_printf(b, "\\x%02x", c);
            else
                ds_buf_putc(b, c);
        }
    }
}

char *dump_source_stats(const void *data, size_t len, ds_format fmt, size_t chunk,
                        const ds_source_opts *o, ds_source_stats *stats)
{
    ds_buf out = {0};
    ds_stream_opts so = {.chunk = chunk, .decode = 1};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    if (ds_stream_open_mem(data, len, "t", &so, &st, &err) != DS_OK) {
        ds_buf_printf(&out, "!open %s\n", err.msg);
        return out.data;
    }
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, fmt, o, &src, &err);
    if (rc != DS_OK) {
        ds_buf_printf(&out, "!%s %s: %s\n", ds_status_str(rc), err.where, err.msg);
        ds_stream_close(st);
        ds_buf_puts(&out, "");
        return out.data;
    }
    for (;;) {
        const ds_record *rec;
        ds_error_clear(&err);
        rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK) {
            ds_buf_printf(&out, "!%s %s: %s\n", ds_status_str(rc), err.where, err.msg);
            if (rc == DS_EFORMAT)
                continue;
            break;
        }
        ds_buf_printf(&out, "#%llu L%llu%s ", (unsigned long long)rec->index,
                      (unsigned long long)rec->line, rec->more ? "+" : "");
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            if (i)
                ds_buf_putc(&out, '|');
            put_escaped(&out, f->name, f->name_len);
            if (f->value_off || f->own_len != f->value_len)
                ds_buf_printf(&out, "@%llu/%zu", (unsigned long long)f->value_off, f->own_len);
            ds_buf_putc(&out, '=');
            put_escaped(&out, f->value, f->value_len);
        }
        ds_buf_putc(&out, '\n');
    }
    if (stats)
        *stats = *ds_source_stats_get(src);
    ds_source_close(src);
    ds_stream_close(st);
    ds_buf_puts(&out, "");
    return out.data;
}

char *dump_source(const void *data, size_t len, ds_format fmt, size_t chunk,
                  const ds_source_opts *o)
{
    return dump_source_stats(data, len, fmt, chunk, o, NULL);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        abort();
    }
    ds_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        ds_buf_append(&b, tmp, n);
    fclose(f);
    ds_buf_puts(&b, "");
    if (len)
        *len = b.len;
    return b.data;
}

void rm_flat_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            unlinkat(dirfd(dh), de->d_name, 0);
    closedir(dh);
    rmdir(dir);
}

typedef struct field_sink {
    ds_buf *out;
    int with_value;
} field_sink;

static ds_status on_field_findings(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    const field_sink *fs = ctx;
    for (size_t i = 0; i < n; i++) {
        const ds_field *fl = &rec->fields[f[i].field];
        ds_buf_printf(fs->out, "%.*s", (int)fl->name_len, fl->name);
        if (fs->with_value)
            ds_buf_printf(fs->out, "=%.*s", (int)fl->value_len, fl->value);
        ds_buf_printf(fs->out, ":%s:%llu-%llu:%.3f\n", f[i].rule->id,
                      (unsigned long long)f[i].start, (unsigned long long)f[i].end,
                      f[i].confidence);
    }
    return DS_OK;
}

ds_status scan_field_into(ds_detector *d, const char *name, const char *value, size_t len,
                          int with_value, ds_buf *out)
{
    ds_field f = {name, strlen(name), value, len, 0, len};
    ds_record rec = {1, 1, &f, 1, 0};
    field_sink fs = {out, with_value};
    ds_sink sink = {&fs, on_field_findings};
    return ds_detector_scan(d, &rec, &sink, NULL);
}

const char *first_line_diff(const char *a, const char *b)
{
    static char msg[512];
    const char *a0 = a;
    size_t line = 1;
    while (*a && *a == *b) {
        line += *a == '\n';
        a++;
        b++;
    }
    if (*a == *b)
        return NULL;
    /* back to the start of the line */
    while (a > a0 && a[-1] != '\n') {
        a--;
        b--;
    }
    int la = (int)strcspn(a, "\n"), lb = (int)strcspn(b, "\n");
    snprintf(msg, sizeof msg, "line %zu: '%.*s' / '%.*s'", line, la > 200 ? 200 : la, a,
             lb > 200 ? 200 : lb, b);
    return msg;
}
