/* cli: ranges of one file read by several workers (see schedule.h). */
#include "cli/schedule.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate/agg.h"
#include "common/hll.h"
#include "common/mem.h"

struct ds_split_file {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs;
    char *path;
    ds_format fmt;
    size_t n;
    ds_range *r;
    /* counts[0]: the prefix [0, r[0].start); counts[k] (k >= 1): range k-1 */
    uint64_t *lines, *recs;
    unsigned char *have;
    ds_csv_dialect *csv; /* CSV: the file's dialect, for every range's reader */
    int failed;
    ds_error err;
};

/* CSV: the ranges and their counts from one quote-aware read of [0, to).
 * Counts are stored as for the other formats (the prefix, then per range)
 * and marked as had, so no reader counts. 0 when the file cannot be cut. */
static int csv_ranges(ds_split_file *sf, int fd, uint64_t from, uint64_t to, ds_error *err)
{
    size_t n = sf->n;
    uint64_t *lines = ds_xcalloc(n, sizeof *lines), *recs = ds_xcalloc(n, sizeof *recs);
    int ok = 0;
    if (ds_split_csv(fd, from, to, n, sf->csv->delim, sf->csv->header, sf->r, lines, recs, &ok,
                     err) == DS_OK &&
        ok)
        for (size_t k = 0; k < n; k++) {
            sf->lines[k] = lines[k] - (k ? lines[k - 1] : 0);
            sf->recs[k] = recs[k] - (k ? recs[k - 1] : 0);
            sf->have[k] = 1;
        }
    free(lines);
    free(recs);
    return ok;
}

ds_split_file *ds_split_file_new(const char *path, ds_format fmt, uint64_t from, uint64_t to,
                                 size_t n, ds_csv_dialect *csv, ds_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ds_error_set(err, DS_EIO, path, "cannot open: %s", strerror(errno));
        ds_csv_dialect_free(csv);
        return NULL;
    }
    ds_split_file *sf = ds_xcalloc(1, sizeof *sf);
    sf->r = ds_xcalloc(n, sizeof *sf->r);
    sf->n = n;
    sf->lines = ds_xcalloc(n, sizeof *sf->lines);
    sf->recs = ds_xcalloc(n, sizeof *sf->recs);
    sf->have = ds_xcalloc(n, 1);
    int ok = 1;
    if (fmt == DS_FORMAT_CSV) {
        if (csv) {
            sf->csv = ds_xmalloc(sizeof *sf->csv);
            *sf->csv = *csv;
            memset(csv, 0, sizeof *csv);
            ok = csv_ranges(sf, fd, from, to, err);
        } else {
            ok = 0;
        }
    } else {
        /* cut [from, to) as if it were a file of its own, then shift */
        uint64_t prev = from;
        for (size_t k = 0; k < n && ok; k++) {
            uint64_t next = to;
            if (k + 1 < n) {
                uint64_t span = to - from;
                uint64_t cut = from + span / n * (k + 1) + span % n * (k + 1) / n;
                ok = ds_split_align(fd, to, cut, &next, err) == DS_OK;
                if (next < prev)
                    next = prev;
            }
            sf->r[k].start = prev;
            sf->r[k].end = next;
            prev = next;
        }
    }
    close(fd);
    pthread_mutex_init(&sf->mu, NULL);
    pthread_cond_init(&sf->cv, NULL);
    sf->refs = 1;
    sf->path = ds_xstrdup(path);
    sf->fmt = fmt;
    if (!ok) {
        ds_split_file_unref(sf);
        return NULL;
    }
    return sf;
}

const ds_csv_dialect *ds_split_file_csv(const ds_split_file *sf)
{
    return sf->csv;
}

size_t ds_split_file_n(const ds_split_file *sf)
{
    return sf->n;
}

ds_range ds_split_file_range(const ds_split_file *sf, size_t k)
{
    return sf->r[k];
}

void ds_split_file_ref(ds_split_file *sf)
{
    pthread_mutex_lock(&sf->mu);
    sf->refs++;
    pthread_mutex_unlock(&sf->mu);
}

void ds_split_file_unref(ds_split_file *sf)
{
    if (!sf)
        return;
    pthread_mutex_lock(&sf->mu);
    int left = --sf->refs;
    pthread_mutex_unlock(&sf->mu);
    if (left)
        return;
    pthread_mutex_destroy(&sf->mu);
    pthread_cond_destroy(&sf->cv);
    free(sf->path);
    free(sf->r);
    free(sf->lines);
    free(sf->recs);
    free(sf->have);
    ds_csv_dialect_free(sf->csv);
    free(sf->csv);
    free(sf);
}

ds_status ds_split_file_bases(ds_split_file *sf, size_t k, uint64_t *line_base,
                              uint64_t *record_base, ds_error *err)
{
    /* my share: the prefix for range 0, range k-1 for the others */
    uint64_t from = k == 0 ? 0 : sf->r[k - 1].start;
    uint64_t to = k == 0 ? sf->r[0].start : sf->r[k - 1].end;
    uint64_t l = 0, rc_ = 0;
    ds_error e;
    ds_error_clear(&e);
    ds_status rc = DS_OK;
    if (sf->fmt == DS_FORMAT_CSV) {
        /* counted when the file was cut */
    } else if (from < to) {
        int fd = open(sf->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            rc = ds_error_set(&e, DS_EIO, sf->path, "cannot open: %s", strerror(errno));
        } else {
            rc = ds_split_count(fd, from, to, sf->fmt, &l, &rc_, &e);
            close(fd);
            if (rc != DS_OK)
                snprintf(e.where, sizeof e.where, "%s", sf->path);
        }
    }
    pthread_mutex_lock(&sf->mu);
    if (sf->fmt != DS_FORMAT_CSV) {
        sf->lines[k] = l;
        sf->recs[k] = rc_;
        sf->have[k] = 1;
    }
    if (rc != DS_OK && !sf->failed) {
        sf->failed = 1;
        sf->err = e;
    }
    pthread_cond_broadcast(&sf->cv);
    uint64_t lb = 0, rb = 0;
    for (size_t j = 0; j <= k; j++) {
        while (!sf->have[j])
            pthread_cond_wait(&sf->cv, &sf->mu);
        lb += sf->lines[j];
        rb += sf->recs[j];
    }
    int failed = sf->failed;
    if (failed && err)
        *err = sf->err;
    pthread_mutex_unlock(&sf->mu);
    if (failed)
        return err ? err->status : DS_EIO;
    *line_base = lb;
    *record_base = rb;
    return DS_OK;
}

/* ---- folding a range's results into its file's ------------------------------ */

static ds_field_agg *field_mut(ds_agg *a, size_t i)
{
    return ds_agg_field_mut(a, i);
}

static size_t sketches(const ds_agg *a)
{
    size_t n = 0;
    for (size_t i = 0; i < ds_agg_nfields(a); i++) {
        const ds_field_agg *f = ds_agg_field(a, i);
        for (size_t k = 0; k < f->ntypes; k++)
            n += f->types[k].hll != NULL;
    }
    return n;
}

/* Fields and types keep the order of first appearance: dst's first, then
 * those src saw first. Sketches are merged, or moved while under the cap. */
static void agg_merge(ds_agg *dst, ds_agg *src)
{
    size_t nsk = sketches(dst);
    for (size_t i = 0; i < ds_agg_nfields(src); i++) {
        ds_field_agg *sf = field_mut(src, i);
        ds_field_agg *df = NULL;
        for (size_t j = 0; j < ds_agg_nfields(dst) && !df; j++) {
            ds_field_agg *c = field_mut(dst, j);
            if (strcmp(c->name, sf->name) == 0)
                df = c;
        }
        if (!df && ds_agg_nfields(dst) >= DS_AGG_MAX_FIELDS) {
            for (size_t j = 0; j < ds_agg_nfields(dst) && !df; j++) {
                ds_field_agg *c = field_mut(dst, j);
                if (strcmp(c->name, DS_AGG_OTHER) == 0)
                    df = c;
            }
        }
        if (!df)
            df = ds_agg_put_field(dst, ds_agg_nfields(dst) >= DS_AGG_MAX_FIELDS ? DS_AGG_OTHER
                                                                                 : sf->name);
        df->records += sf->records;
        for (size_t k = 0; k < sf->ntypes; k++) {
            ds_type_agg *st = &sf->types[k];
            ds_type_agg *dt = NULL;
            for (size_t m = 0; m < df->ntypes && !dt; m++)
                if (strcmp(df->types[m].type, st->type) == 0)
                    dt = &df->types[m];
            if (!dt) {
                dt = ds_agg_put_type(df, st->type, st->category);
                if (st->hll && nsk < DS_AGG_MAX_SKETCHES) {
                    dt->hll = st->hll;
                    st->hll = NULL;
                    nsk++;
                }
            } else if (dt->hll && st->hll) {
                ds_hll_merge(dt->hll, st->hll);
            }
            if (st->severity > dt->severity)
                dt->severity = st->severity;
            dt->findings += st->findings;
            dt->records += st->records;
        }
    }
}

void ds_sched_merge_file(ds_file_result *dst, ds_file_result *src)
{
    dst->records += src->records;
    dst->bytes += src->bytes;
    dst->malformed += src->malformed;
    dst->ragged += src->ragged;
    dst->invalid_utf8 += src->invalid_utf8;
    dst->windowed += src->windowed;
    dst->records_scanned += src->records_scanned;
    dst->truncated |= src->truncated;
    dst->nerrors += src->nerrors;
    dst->limit_hits += src->limit_hits;
    if (src->limit_hits)
        dst->limit_rule = src->limit_rule;
    if (src->status > dst->status)
        dst->status = src->status;
    if (!dst->error) {
        dst->error = src->error;
        src->error = NULL;
    }
    if (src->agg) {
        if (!dst->agg) {
            dst->agg = src->agg;
            src->agg = NULL;
        } else {
            agg_merge(dst->agg, src->agg);
        }
    }
    free(src->name);
    free(src->skip_reason);
    free(src->error);
    ds_agg_free(src->agg);
    memset(src, 0, sizeof *src);
}

int ds_shard_owns(uint64_t i, unsigned k, unsigned n)
{
    return n == 0 || i % n == k;
}
