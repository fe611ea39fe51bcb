/* report: baseline files (see baseline.h). Entries live in an open-addressing
 * hash table keyed by fingerprint. */
#include "report/baseline.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/mem.h"

typedef struct entry {
    uint64_t fp;
    char *rule, *file, *field; /* NULL for entries read from a file */
    int used;
} entry;

struct ds_baseline {
    uint8_t salt[DS_SALT_LEN];
    entry *tab;
    size_t cap, n; /* cap is a power of two */
    pthread_mutex_t mu;
};

ds_baseline *ds_baseline_new(const uint8_t *salt)
{
    ds_baseline *b = ds_xcalloc(1, sizeof *b);
    if (salt) {
        memcpy(b->salt, salt, DS_SALT_LEN);
    } else if (!ds_salt_random(b->salt)) {
        free(b);
        return NULL;
    }
    b->cap = 64;
    b->tab = ds_xcalloc(b->cap, sizeof *b->tab);
    pthread_mutex_init(&b->mu, NULL);
    return b;
}

const uint8_t *ds_baseline_salt(const ds_baseline *b)
{
    return b->salt;
}

size_t ds_baseline_count(const ds_baseline *b)
{
    return b->n;
}

static size_t slot(const entry *tab, size_t cap, uint64_t fp)
{
    size_t i = (size_t)(fp ^ (fp >> 29)) & (cap - 1);
    while (tab[i].used && tab[i].fp != fp)
        i = (i + 1) & (cap - 1);
    return i;
}

int ds_baseline_has(const ds_baseline *b, uint64_t fp)
{
    return b->tab[slot(b->tab, b->cap, fp)].used;
}

/* Insert; returns the entry, new (used just set) or existing. */
static entry *insert(ds_baseline *b, uint64_t fp, int *fresh)
{
    if ((b->n + 1) * 4 > b->cap * 3) {
        size_t ncap = b->cap * 2;
        entry *nt = ds_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < b->cap; i++)
            if (b->tab[i].used)
                nt[slot(nt, ncap, b->tab[i].fp)] = b->tab[i];
        free(b->tab);
        b->tab = nt;
        b->cap = ncap;
    }
    entry *e = &b->tab[slot(b->tab, b->cap, fp)];
    *fresh = !e->used;
    if (!e->used) {
        e->used = 1;
        e->fp = fp;
        b->n++;
    }
    return e;
}

void ds_baseline_add(ds_baseline *b, uint64_t fp, const char *rule, const char *file,
                     const char *field, size_t field_len)
{
    pthread_mutex_lock(&b->mu);
    int fresh;
    entry *e = insert(b, fp, &fresh);
    if (fresh || !e->rule) {
        e->rule = ds_xstrdup(rule);
        e->file = ds_xstrdup(file);
        e->field = ds_xstrndup(field, field_len);
    }
    pthread_mutex_unlock(&b->mu);
}

static int parse_fp(const char *s, uint64_t *fp)
{
    uint8_t raw[8];
    char hex[17];
    memcpy(hex, s, 16);
    hex[16] = 0;
    if (!ds_hex_decode(hex, raw, 8))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | raw[i];
    *fp = v;
    return 1;
}

ds_status ds_baseline_load(const char *path, ds_baseline **out, ds_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return ds_error_set(err, DS_EIO, path, "cannot read baseline: %s", strerror(errno));
    ds_status rc = ds_baseline_read(f, path, out, err);
    fclose(f);
    return rc;
}

/* One line of f into line[DS_BASELINE_MAX_LINE + 1], without its '\n' and
 * NUL-terminated: its length, -1 at end of input, -2 when it is too long
 * (the rest of the line is not read). NUL bytes are kept as bytes; the
 * parsers below then see a shorter string and reject the line. */
static ssize_t read_line(FILE *f, char *line)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n == DS_BASELINE_MAX_LINE)
            return -2;
        line[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return -1;
    line[n] = 0;
    return (ssize_t)n;
}

ds_status ds_baseline_read(FILE *f, const char *path, ds_baseline **out, ds_error *err)
{
    *out = NULL;
    char *line = ds_xmalloc(DS_BASELINE_MAX_LINE + 1);
    ssize_t len;
    unsigned lineno = 0;
    int state = 0; /* 0 header expected, 1 salt expected, 2 entries */
    ds_baseline *b = NULL;
    ds_status rc = DS_OK;
    char where[600];
    while ((len = read_line(f, line)) != -1) {
        lineno++;
        snprintf(where, sizeof where, "%s:%u", path, lineno);
        if (len < 0) {
            rc = ds_error_set(err, DS_EFORMAT, where, "line longer than %u bytes",
                              (unsigned)DS_BASELINE_MAX_LINE);
            break;
        }
        len = (ssize_t)strlen(line);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len == 0 || line[0] == '#')
            continue;
        if (state == 0) {
            if (strcmp(line, "dsaudit-baseline 1") != 0) {
                rc = ds_error_set(err, DS_EFORMAT, where,
                                  "not a dsaudit baseline (expected 'dsaudit-baseline 1')");
                break;
            }
            state = 1;
        } else if (state == 1) {
            uint8_t salt[DS_SALT_LEN];
            if (strncmp(line, "salt ", 5) != 0 || !ds_hex_decode(line + 5, salt, DS_SALT_LEN)) {
                rc = ds_error_set(err, DS_EFORMAT, where,
                                  "expected 'salt' and 32 hexadecimal digits");
                break;
            }
            b = ds_baseline_new(salt);
            state = 2;
        } else {
            uint64_t fp;
            if (len < 16 || (len > 16 && line[16] != '\t') || !parse_fp(line, &fp)) {
                rc = ds_error_set(err, DS_EFORMAT, where,
                                  "expected a 16-hex-digit fingerprint at the start of the line");
                break;
            }
            int fresh;
            insert(b, fp, &fresh);
        }
    }
    free(line);
    if (rc == DS_OK && ferror(f))
        rc = ds_error_set(err, DS_EIO, path, "read error: %s", strerror(errno));
    if (rc == DS_OK && state < 2)
        rc = ds_error_set(err, DS_EFORMAT, path, "not a dsaudit baseline (no salt line)");
    if (rc != DS_OK) {
        ds_baseline_free(b);
        return rc;
    }
    *out = b;
    return DS_OK;
}

static void put_escaped(ds_buf *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\\')
            ds_buf_puts(o, "\\\\");
        else if (*p < 0x20 || *p == 0x7f)
            ds_buf_printf(o, "\\x%02x", *p);
        else
            ds_buf_putc(o, *p);
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (!c)
        c = strcmp(x->field ? x->field : "", y->field ? y->field : "");
    if (!c)
        c = strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "");
    if (!c)
        c = x->fp < y->fp ? -1 : x->fp > y->fp;
    return c;
}

ds_status ds_baseline_write(const ds_baseline *b, const char *path, ds_error *err)
{
    entry **v = ds_xcalloc(b->n ? b->n : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < b->cap; i++)
        if (b->tab[i].used)
            v[n++] = &b->tab[i];
    qsort(v, n, sizeof *v, cmp_entry);
    ds_buf o = {0};
    char salt[2 * DS_SALT_LEN + 1];
    ds_hex_encode(b->salt, DS_SALT_LEN, salt);
    ds_buf_printf(&o,
                  "# dsaudit baseline: findings accepted as known, by keyed fingerprint of\n"
                  "# rule, file, field and value. No value and no line number is stored, but\n"
                  "# whoever holds this file (and its salt) can test guesses of low-entropy\n"
                  "# values: keep it like the data itself. Regenerate with --write-baseline.\n"
                  "dsaudit-baseline 1\nsalt %s\n",
                  salt);
    for (size_t i = 0; i < n; i++) {
        ds_buf_printf(&o, "%016llx\t", (unsigned long long)v[i]->fp);
        put_escaped(&o, v[i]->rule);
        ds_buf_putc(&o, '\t');
        put_escaped(&o, v[i]->file);
        ds_buf_putc(&o, '\t');
        put_escaped(&o, v[i]->field);
        ds_buf_putc(&o, '\n');
    }
    free(v);
    ds_buf tmp = {0};
    ds_buf_printf(&tmp, "%s.tmpXXXXXX", path);
    ds_status rc = DS_OK;
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        rc = ds_error_set(err, DS_EIO, path, "cannot write baseline: %s", strerror(errno));
    } else {
        fchmod(fd, 0600);
        size_t off = 0;
        while (off < o.len) {
            ssize_t w = write(fd, o.data + off, o.len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        int bad = off < o.len;
        if (close(fd) != 0)
            bad = 1;
        if (bad || rename(tmp.data, path) != 0) {
            rc = ds_error_set(err, DS_EIO, path, "cannot write baseline: %s", strerror(errno));
            unlink(tmp.data);
        }
    }
    ds_buf_free(&tmp);
    ds_buf_free(&o);
    return rc;
}

size_t ds_baseline_filter(const ds_baseline *known, ds_baseline *record, const char *file,
                          const ds_record *rec, const ds_finding *f, size_t n, ds_finding *out)
{
    size_t k = 0;
    const ds_baseline *salt_of = known ? known : record;
    for (size_t i = 0; i < n; i++) {
        if (!salt_of) {
            out[k++] = f[i];
            continue;
        }
        const ds_field *fld = &rec->fields[f[i].field];
        uint64_t fp = ds_fingerprint(salt_of->salt, f[i].rule->id, file, fld->name,
                                     fld->name_len, ds_value_hash(f[i].match, f[i].match_len));
        if (record)
            ds_baseline_add(record, fp, f[i].rule->id, file, fld->name, fld->name_len);
        if (!known || !ds_baseline_has(known, fp))
            out[k++] = f[i];
    }
    return k;
}

void ds_baseline_free(ds_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->cap; i++) {
        free(b->tab[i].rule);
        free(b->tab[i].file);
        free(b->tab[i].field);
    }
    free(b->tab);
    pthread_mutex_destroy(&b->mu);
    free(b);
}
