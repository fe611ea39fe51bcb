/* cli: `dsaudit scan`: walk inputs, read records, detect, aggregate, report.
 *
 * The command line is expanded into top-level inputs ("units": files,
 * stdin), in walk order. Each unit is scanned by one worker: ds_walk opens it
 * (following archives), a record source reads each leaf, the worker's
 * detector scans every record, findings are aggregated per field and, for
 * --format jsonl, serialised. With -j 1 everything happens in the main
 * thread and goes straight out. With -j N, N workers take units from a
 * bounded window and the main thread writes their results strictly in unit
 * order, so the output is byte-identical whatever N is. */
#include "cli/scan.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aggregate/agg.h"
#include "cli/schedule.h"
#include "cli/ignore.h"
#include "cli/init.h"
#include "cli/outputs.h"
#include "cli/version.h"
#include "common/buf.h"
#include "common/mem.h"
#include "common/siphash.h"
#include "detect/detect.h"
#include "input/source.h"
#include "input/split.h"
#include "input/walk.h"
#include "report/baseline.h"
#include "report/findings.h"
#include "report/report.h"
#include "report/writers.h"

#define MAX_ERRORS_PER_FILE 10
#define SPOOL_MEM_MAX (4u << 20) /* per unit, then a temporary file */

/* What one unit produced, kept until it is written out in order. */
typedef struct unit {
    char *path;            /* NULL for an expansion message (skip/error) */
    ds_scan_result res;    /* files, errors and counts of this unit only */
    ds_buf out;            /* jsonl bytes */
    FILE *spill;           /* jsonl bytes beyond SPOOL_MEM_MAX */
    uint64_t nlines;       /* findings serialised into out (and spill) */
    ds_buf err;            /* stderr lines */
    int done;
    /* one record-aligned range of a file read in ranges (cli/schedule.h) */
    ds_split_file *split;
    size_t range;
    ds_source_opts src_opts; /* with the range's line and record bases */
    int part;                /* a range or a block: one part of a file, read with
                              * src_opts; its error lines go to ferr */
    ds_buf ferr;             /* its first error lines, capped per file at emission */
    long file_err;           /* index in res.errors of the file's first error, or -1 */
} unit;

typedef struct scan_ctx scan_ctx;

/* Per-thread state. */
typedef struct worker {
    scan_ctx *sc;
    ds_detector *det;
    unit *u;
    ds_file_result *cur;
    int direct; /* -j 1: write jsonl and messages immediately */
    pthread_t th;
    ds_finding *bl_keep; /* --baseline: the findings of a record not in it */
    size_t bl_cap;
} worker;

struct scan_ctx {
    const ds_scan_opts *o;
    const ds_ruleset *rs;
    ds_source_opts src_opts;
    ds_walk_opts walk_opts;
    ds_scan_result total;
    ds_outputs *outs;    /* the reports of this run (cli/outputs.h) */
    ds_baseline *baseline, *wbase; /* --baseline, --write-baseline (report/baseline.h) */
    int lines;           /* findings are serialised for outs */
    uint64_t line_cap;   /* by each unit, at most (ds_outputs_unit_line_cap) */
    size_t sketches;     /* distinct-value sketches kept (ds_sketch_budget) */
    int progress;
    double t0, last_tick;
    uint64_t bytes_done; /* atomically updated */
    /* -j N */
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    unit **ring;
    size_t cap;
    uint64_t emitted, taken, added;
    int closing;
    worker *workers;
    unsigned nworkers;
    worker main_worker;
    /* sampling, --shard, ranges */
    uint64_t sample_thr;   /* ds_sample_threshold(--sample) */
    uint64_t shard_seq;    /* items of the expansion seen (--shard by file) */
    int shard_single;      /* --shard of one plain file: by byte ranges */
    uint64_t range_errs;   /* errors of the split file being emitted so far */
    /* blocks of streams read by several workers, waiting for one */
    struct block **bq;
    size_t bq_cap, bq_head, bq_n;
    size_t binflight; /* blocks of all producers not yet folded: at most
                       * 2 per worker, or 1 per producer */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_tick(scan_ctx *sc, int final)
{
    if (!sc->progress)
        return;
    double t = now();
    if (!final && t - sc->last_tick < 0.25)
        return;
    sc->last_tick = t;
    double el = t - sc->t0;
    double mb = (double)__atomic_load_n(&sc->bytes_done, __ATOMIC_RELAXED) / 1e6;
    if (final) {
        fputs("\r\033[K", stderr);
    } else {
        fprintf(stderr, "\r\033[K%.1f MB, %.1f MB/s, %zu files, %llu findings", mb,
                el > 0 ? mb / el : 0.0, sc->total.nfiles,
                (unsigned long long)sc->total.findings);
    }
    fflush(stderr);
}

/* ---- unit results ----------------------------------------------------------- */

static ds_file_result *res_new_file(ds_scan_result *r, const char *name)
{
    r->files = ds_xgrow(r->files, &r->fcap, r->nfiles + 1, sizeof *r->files);
    ds_file_result *f = &r->files[r->nfiles++];
    memset(f, 0, sizeof *f);
    f->name = ds_xstrdup(name);
    return f;
}

static void res_add_error(ds_scan_result *r, const char *where, const char *msg)
{
    r->errors = ds_xgrow(r->errors, &r->ecap, r->nerrors + 1, sizeof *r->errors);
    r->errors[r->nerrors].where = ds_xstrdup(where && *where ? where : "-");
    r->errors[r->nerrors].msg = ds_xstrdup(msg);
    r->nerrors++;
    r->incomplete = 1;
}

static void unit_message(worker *w, const char *where, const char *msg)
{
    if (w->direct) {
        fprintf(stderr, "dsaudit: %s: %s\n", where, msg);
    } else {
        ds_buf_printf(&w->u->err, "dsaudit: %s: %s\n", where, msg);
    }
}

static void unit_flush_out(worker *w, int force)
{
    unit *u = w->u;
    if (!u->out.len)
        return;
    if (w->direct) {
        if (force || u->out.len >= (1u << 16)) {
            ds_outputs_lines(w->sc->outs, u->out.data, u->out.len);
            ds_buf_reset(&u->out);
        }
        return;
    }
    if (u->out.len >= SPOOL_MEM_MAX || (force && u->spill)) {
        if (!u->spill)
            u->spill = tmpfile();
        if (u->spill) {
            fwrite(u->out.data, 1, u->out.len, u->spill);
            ds_buf_reset(&u->out);
        }
    }
}

/* A part of a file (a range, a block) whose file already has its first
 * error from an earlier part: the part's own "first" error is not one. */
static void drop_part_first_error(unit *u)
{
    if (u->file_err < 0 || (size_t)u->file_err >= u->res.nerrors)
        return;
    ds_message *m = &u->res.errors[u->file_err];
    free(m->where);
    free(m->msg);
    memmove(m, m + 1, (u->res.nerrors - (size_t)u->file_err - 1) * sizeof *m);
    u->res.nerrors--;
}

/* What a unit holds (a block's results are a unit too). */
static void unit_clear(unit *u)
{
    free(u->path);
    ds_scan_result_free(&u->res);
    ds_buf_free(&u->out);
    ds_buf_free(&u->err);
    ds_buf_free(&u->ferr);
    ds_split_file_unref(u->split);
    if (u->spill)
        fclose(u->spill);
}

static void unit_free(unit *u)
{
    if (!u)
        return;
    unit_clear(u);
    free(u);
}

/* Move src's errors into dst and add its counts (findings, failing,
 * baselined, highest severity, incomplete); its files stay. */
static void res_absorb(ds_scan_result *dst, ds_scan_result *src)
{
    for (size_t i = 0; i < src->nerrors; i++) {
        dst->errors = ds_xgrow(dst->errors, &dst->ecap, dst->nerrors + 1, sizeof *dst->errors);
        dst->errors[dst->nerrors++] = src->errors[i];
    }
    src->nerrors = 0;
    dst->findings += src->findings;
    dst->failing += src->failing;
    dst->baselined += src->baselined;
    if (src->highest > dst->highest)
        dst->highest = src->highest;
    if (src->incomplete)
        dst->incomplete = 1;
}

/* Append to dst the lines of a part's error lines (ferr) while fewer than
 * MAX_ERRORS_PER_FILE of its file are shown (`shown` so far). */
static void capped_lines(ds_buf *dst, const ds_buf *ferr, uint64_t shown)
{
    const char *p = ferr->data, *end = p ? p + ferr->len : NULL;
    while (p && p < end && shown < MAX_ERRORS_PER_FILE) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        ds_buf_append(dst, p, n);
        p += n;
        shown++;
    }
}

/* "N more errors not shown", for a file of nerrors errors. */
static void more_errors(char *msg, size_t cap, uint64_t nerrors)
{
    snprintf(msg, cap, "%llu more errors not shown",
             (unsigned long long)(nerrors - MAX_ERRORS_PER_FILE));
}

/* ---- reading one unit -------------------------------------------------------- */

static ds_status on_findings(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    worker *w = ctx;
    ds_scan_result *r = &w->u->res;
    ds_file_result *file = w->cur;
    const ds_scan_opts *o = w->sc->o;
    if (n && (w->sc->baseline || w->sc->wbase)) {
        /* --baseline: known findings are counted apart and nowhere else */
        w->bl_keep = ds_xgrow(w->bl_keep, &w->bl_cap, n, sizeof *w->bl_keep);
        size_t k = ds_baseline_filter(w->sc->baseline, w->sc->wbase, file->name, rec, f, n,
                                      w->bl_keep);
        r->baselined += n - k;
        f = w->bl_keep;
        n = k;
    }
    ds_agg_add(file->agg, rec, f, n);
    for (size_t i = 0; i < n; i++) {
        ds_severity sev = f[i].rule->severity;
        r->findings++;
        if (sev > r->highest)
            r->highest = sev;
        if (o->fail_on != DS_SEV_NONE && sev >= o->fail_on)
            r->failing++;
        if (w->sc->lines && w->u->nlines < w->sc->line_cap &&
            !ds_outputs_lines_done(w->sc->outs)) {
            w->u->nlines++;
            /* a spool line: keyed hash of the value, TAB, the JSONL object */
            uint64_t h = ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, f[i].match,
                                        f[i].match_len);
            ds_buf_printf(&w->u->out, "%016llx\t", (unsigned long long)h);
            ds_finding_jsonl(&w->u->out, file->name, rec, &f[i], o->show_values);
        }
    }
    if (n)
        unit_flush_out(w, 0);
    return DS_OK;
}

/* Record an error of the file being read; print the first few. */
static void file_error(worker *w, const ds_error *err)
{
    ds_file_result *f = w->cur;
    f->status = DS_FILE_INCOMPLETE;
    f->nerrors++;
    w->u->res.incomplete = 1;
    const char *where = err->where[0] ? err->where : f->name;
    if (!f->error) {
        ds_buf b = {0};
        ds_buf_printf(&b, "%s: %s", where, err->msg);
        f->error = b.data;
        if (w->u->part)
            w->u->file_err = (long)w->u->res.nerrors;
        res_add_error(&w->u->res, where, err->msg);
    }
    if (f->nerrors > MAX_ERRORS_PER_FILE)
        return;
    if (w->u->part && !w->direct) /* capped over the whole file when put together */
        ds_buf_printf(&w->u->ferr, "dsaudit: %s: %s\n", where, err->msg);
    else
        unit_message(w, where, err->msg);
}

static int producing(const worker *w, ds_format fmt, const ds_stream *st);
static void produce(worker *w, const char *name, ds_format fmt, ds_stream *st);

static void limit_message(const ds_file_result *f, ds_error *err)
{
    ds_error_set(err, DS_ELIMIT, f->name,
                 "PCRE2 match limit reached on %llu value%s (rule %s): not fully scanned",
                 (unsigned long long)f->limit_hits, f->limit_hits == 1 ? "" : "s",
                 f->limit_rule);
}

/* The PCRE2 limit hits of file f (w->cur), as one error of the file. */
static void limit_error(worker *w, ds_file_result *f)
{
    ds_error err;
    ds_error_clear(&err);
    limit_message(f, &err);
    file_error(w, &err);
}

static ds_status on_input(void *ctx, const char *name, ds_format fmt, ds_stream *st)
{
    worker *w = ctx;
    scan_ctx *sc = w->sc;
    if (producing(w, fmt, st)) {
        produce(w, name, fmt, st);
        return DS_OK;
    }
    ds_file_result *f = res_new_file(&w->u->res, name);
    w->cur = f;
    f->format = fmt;
    f->agg = ds_agg_new();
    ds_sink sink = {w, on_findings};
    ds_error err;
    ds_error_clear(&err);
    ds_source *src = NULL;
    const ds_scan_opts *o = sc->o;
    ds_status rc =
        ds_source_open(st, fmt, w->u->part ? &w->u->src_opts : &sc->src_opts, &src, &err);
    if (rc != DS_OK) {
        file_error(w, &err);
        w->cur = NULL;
        return DS_OK;
    }
    uint64_t last = 0;
    uint64_t name_hash = sc->sample_thr != UINT64_MAX ? ds_sample_name_hash(name) : 0;
    uint64_t scanned = 0, over = 0;
    /* --max-time-per-file, and PCRE2 limit hits of this file */
    double deadline = o->max_time_per_file > 0 ? now() + o->max_time_per_file : 0;
    uint64_t limit_hits0 = ds_detector_stats(w->det)->limit_hits;
    for (;;) {
        const ds_record *rec;
        ds_error_clear(&err);
        rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc == DS_EFORMAT) {
            file_error(w, &err);
            continue;
        }
        if (rc != DS_OK) {
            file_error(w, &err);
            break;
        }
        if (o->max_records && rec->index > o->max_records) {
            /* --max-records: records 1..N only; this one was read, not scanned */
            f->truncated = 1;
            over = !rec->more;
            break;
        }
        if (!ds_sample_keep(o->seed, name_hash, rec->index, sc->sample_thr))
            continue;
        scanned += !rec->more;
        ds_detector_scan(w->det, rec, &sink, &err);
        if (deadline && now() > deadline) {
            ds_error_set(&err, DS_ELIMIT, name,
                         "scanning took longer than %g s; not scanned past record %llu "
                         "(use --max-time-per-file)",
                         o->max_time_per_file, (unsigned long long)rec->index);
            file_error(w, &err);
            break;
        }
        if (sc->progress) {
            uint64_t off = ds_stream_offset(st);
            __atomic_add_fetch(&sc->bytes_done, off - last, __ATOMIC_RELAXED);
            last = off;
            if (w->direct)
                progress_tick(sc, 0);
        }
    }
    const ds_detect_stats *ds = ds_detector_stats(w->det);
    if (ds->limit_hits > limit_hits0) {
        f->limit_hits = ds->limit_hits - limit_hits0;
        f->limit_rule = ds->limit_rule->id;
        if (!w->u->part) /* a part's are told for the whole file (limit_error) */
            limit_error(w, f);
    }
    const ds_source_stats *ss = ds_source_stats_get(src);
    f->records = ss->records - over;
    f->records_scanned = scanned;
    f->malformed = ss->malformed;
    f->ragged = ss->ragged;
    f->invalid_utf8 = ss->invalid_utf8;
    f->windowed = ss->windowed;
    f->bytes = ds_stream_offset(st);
    f->encoding = ds_stream_encoding(st);
    ds_source_close(src);
    ds_agg_set_hints(f->agg, sc->rs); /* SPEC §5.3 column-name hints */
    if (f->nerrors > MAX_ERRORS_PER_FILE && !(w->u->part && !w->direct)) {
        char msg[96];
        more_errors(msg, sizeof msg, f->nerrors);
        unit_message(w, f->name, msg);
    }
    w->cur = NULL;
    return DS_OK;
}

static void on_skip_res(ds_scan_result *r, const ds_scan_opts *o, const char *name,
                        const char *reason, uint64_t bytes)
{
    ds_file_result *f = res_new_file(r, name);
    f->status = DS_FILE_SKIPPED;
    f->skip_reason = ds_xstrdup(reason);
    f->bytes = bytes;
    if (o->strict)
        res_add_error(r, name, reason);
}

static void on_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    worker *w = ctx;
    on_skip_res(&w->u->res, w->sc->o, name, reason, bytes);
    if (w->sc->o->strict)
        unit_message(w, name, reason);
}

static void on_error(void *ctx, const ds_error *err)
{
    worker *w = ctx;
    const char *where = err->where[0] ? err->where : "-";
    res_add_error(&w->u->res, where, err->msg);
    unit_message(w, where, err->msg);
}

/* ---- one stream read by several workers, in blocks ---------------------------
 *
 * A JSONL, text or CSV stream that is not a plain file (decompressed data,
 * an archive member, stdin) cannot be cut in byte ranges beforehand. Its
 * worker, the producer, reads it and cuts it in blocks of about BLOCK_SIZE
 * bytes ending on a record end (CSV: a newline outside quotes, by
 * ds_split_csv_buf, the dialect read first from the first
 * DS_CSV_SNIFF_BYTES), counting their lines and records so that each block
 * is numbered as in one read, and queues them: idle workers take blocks
 * before units, and the producer scans those nobody took. It folds the
 * blocks' results into its file in order, as emit() folds ranges, with
 * 2 blocks per worker in flight at most over all producers, and 1 at least
 * per producer (memory: a few MB per worker). A line longer than BLOCK_MAX,
 * or CSV that only lenient parsing reads, ends the cutting: the producer
 * reads the rest itself. Not with --max-records or --max-time-per-file,
 * which stop a read part-way. */

#define BLOCK_SIZE block_size()
#define BLOCK_MAX (16 * block_size())

/* 1 MiB; DSAUDIT_TEST_BLOCK=BYTES makes blocks tiny for the tests, so that
 * small inputs cross many block ends and a long line the fallback, and
 * produce() then says how many blocks it cut (tests check it was used). */
static size_t block_size(void)
{
    static size_t size;
    if (!size) {
        const char *e = getenv("DSAUDIT_TEST_BLOCK");
        long v = e ? strtol(e, NULL, 10) : 0;
        size = v >= 1 && v <= (1L << 30) ? (size_t)v : (size_t)1 << 20;
    }
    return size;
}

enum { B_QUEUED, B_TAKEN, B_DONE };

typedef struct block {
    unsigned char *data;
    size_t len, cap;
    const char *name;
    ds_format fmt;
    ds_stream *st; /* the producer's inline read of the rest, or NULL: data */
    unit sub;      /* its results */
    int state;     /* under sc->mu */
} block;

static int producing(const worker *w, ds_format fmt, const ds_stream *st)
{
    const scan_ctx *sc = w->sc;
    return sc->nworkers >= 2 && !w->u->part &&
           (fmt == DS_FORMAT_JSONL || fmt == DS_FORMAT_TEXT || fmt == DS_FORMAT_CSV) &&
           !ds_stream_is_file(st) &&
           !sc->o->max_records && !(sc->o->max_time_per_file > 0);
}

/* Scan block b into b->sub (any worker, the producer included). */
static void scan_block(worker *w, block *b)
{
    unit *saved = w->u;
    ds_file_result *saved_cur = w->cur;
    w->u = &b->sub;
    if (b->st) {
        on_input(w, b->name, b->fmt, b->st);
    } else {
        ds_stream_opts so = w->sc->walk_opts.stream;
        so.decode = 0; /* the producer's stream decoded it */
        ds_stream *st = NULL;
        ds_error err;
        ds_error_clear(&err);
        ds_stream_open_mem(b->data, b->len, b->name, &so, &st, &err);
        on_input(w, b->name, b->fmt, st);
        ds_stream_close(st);
    }
    w->u = saved;
    w->cur = saved_cur;
}

/* The producer's spare block buffers: reused, so that a block costs neither
 * page faults nor a copy while it grows. */
typedef struct bufpool {
    ds_buf spare[8];
    size_t n;
} bufpool;

static ds_buf pool_get(bufpool *p)
{
    ds_buf b = {0};
    if (p->n)
        b = p->spare[--p->n];
    b.len = 0;
    ds_buf_reserve(&b, BLOCK_SIZE + (BLOCK_SIZE >> 2));
    return b;
}

static void pool_put(bufpool *p, block *b)
{
    ds_buf buf = {(char *)b->data, 0, b->cap};
    b->data = NULL;
    if (buf.cap <= 2 * BLOCK_SIZE && p->n < sizeof p->spare / sizeof *p->spare)
        p->spare[p->n++] = buf;
    else
        ds_buf_free(&buf);
}

/* Scan block b, taken out of the queue; called and returns with sc->mu
 * held, which it releases meanwhile. */
static void run_block(worker *w, block *b)
{
    scan_ctx *sc = w->sc;
    b->state = B_TAKEN;
    pthread_mutex_unlock(&sc->mu);
    scan_block(w, b);
    pthread_mutex_lock(&sc->mu);
    b->state = B_DONE;
    pthread_cond_broadcast(&sc->cv_done);
}

static void block_free(block *b)
{
    free(b->data);
    unit_clear(&b->sub);
    free(b);
}

/* Fold block b's results into the producer's unit and file f, in order;
 * *errs: errors of the file so far (the first MAX_ERRORS_PER_FILE are
 * shown). */
static void fold_block(worker *w, ds_file_result *f, block *b, uint64_t *errs)
{
    unit *u = w->u, *s = &b->sub;
    if (s->spill) {
        rewind(s->spill);
        char tmp[65536];
        size_t n;
        while ((n = fread(tmp, 1, sizeof tmp, s->spill)) > 0) {
            ds_buf_append(&u->out, tmp, n);
            unit_flush_out(w, 0);
        }
    }
    ds_buf_append(&u->out, s->out.data, s->out.len);
    unit_flush_out(w, 0);
    capped_lines(&u->err, &s->ferr, *errs);
    ds_file_result *sf = s->res.nfiles ? &s->res.files[0] : NULL;
    if (sf) {
        *errs += sf->nerrors;
        if (f->error)
            drop_part_first_error(s);
        ds_sched_merge_file(f, sf);
    }
    res_absorb(&u->res, &s->res);
}

/* Take b out of the queue (other producers' blocks stay); lock held. */
static void unqueue(scan_ctx *sc, block *b)
{
    for (size_t i = 0; i < sc->bq_n; i++) {
        if (sc->bq[(sc->bq_head + i) % sc->bq_cap] != b)
            continue;
        for (size_t k = i; k + 1 < sc->bq_n; k++)
            sc->bq[(sc->bq_head + k) % sc->bq_cap] = sc->bq[(sc->bq_head + k + 1) % sc->bq_cap];
        sc->bq_n--;
        return;
    }
}

/* The blocks in flight, oldest first: fl[(head + i) % cap], i < n. */
typedef struct inflight {
    block **fl;
    size_t cap, head, n;
} inflight;

/* Retire the oldest block in flight: while a helper scans it, scan the
 * next ones nobody took; then fold it and free it. */
static void retire_block(worker *w, ds_file_result *f, inflight *q, uint64_t *errs,
                         bufpool *pool)
{
    scan_ctx *sc = w->sc;
    block *b = q->fl[q->head];
    pthread_mutex_lock(&sc->mu);
    while (b->state != B_DONE) {
        block *mine = b->state == B_QUEUED ? b : NULL;
        for (size_t i = 1; i < q->n && !mine; i++) {
            size_t at = q->head + i;
            block *o = q->fl[at < q->cap ? at : at - q->cap];
            if (o->state == B_QUEUED)
                mine = o;
        }
        if (!mine) {
            pthread_cond_wait(&sc->cv_done, &sc->mu);
            continue;
        }
        unqueue(sc, mine);
        run_block(w, mine);
    }
    sc->binflight--;
    pthread_mutex_unlock(&sc->mu);
    q->head = q->head + 1 < q->cap ? q->head + 1 : 0;
    q->n--;
    w->cur = f;
    fold_block(w, f, b, errs);
    pool_put(pool, b);
    block_free(b);
}

typedef struct rest_src {
    ds_buf *pend;
    int given;
    ds_stream *st;
    const ds_error *failed; /* the stream's read error, if it had one */
} rest_src;

/* The inline read: the bytes already read, then the rest of the stream (or
 * the error it ended on). */
static ds_status rest_read(void *ctx, const unsigned char **data, size_t *len, ds_error *err)
{
    rest_src *r = ctx;
    if (!r->given) {
        r->given = 1;
        if (r->pend->len) {
            *data = (const unsigned char *)r->pend->data;
            *len = r->pend->len;
            return DS_OK;
        }
    }
    if (r->failed) {
        *err = *r->failed;
        return err->status;
    }
    return ds_stream_next(r->st, data, len, err);
}

/* The producer's reading of one stream. */
typedef struct producer {
    worker *w;
    const char *name;
    ds_format fmt;
    ds_file_result *f;
    inflight q;
    bufpool pool;
    uint64_t lines, recs, errs, nblocks;
    ds_csv_dialect csv; /* CSV: read from the first bytes */
    int have_csv;
} producer;

/* A new block of the producer's stream: [0, len) of buf, which it takes,
 * holding `lines` lines and `recs` records; queued for any worker. */
static block *new_block(producer *pr, ds_buf *buf, uint64_t lines, uint64_t recs)
{
    scan_ctx *sc = pr->w->sc;
    block *b = ds_xcalloc(1, sizeof *b);
    b->name = pr->name;
    b->fmt = pr->fmt;
    b->data = (unsigned char *)buf->data;
    b->len = buf->len;
    b->cap = buf->cap;
    *buf = (ds_buf){0};
    b->sub.part = 1;
    b->sub.file_err = -1;
    b->sub.src_opts = sc->src_opts;
    b->sub.src_opts.line_base = pr->lines;
    b->sub.src_opts.record_base = pr->recs;
    b->sub.src_opts.csv_preset = pr->have_csv ? &pr->csv : NULL;
    pr->lines += lines;
    pr->recs += recs;
    pr->nblocks++;
    return b;
}

static void queue_block(producer *pr, block *b)
{
    scan_ctx *sc = pr->w->sc;
    /* memory: 2 blocks per worker in flight over all producers (several
     * workers may each read a stream), and always 1 of each producer */
    for (;;) {
        pthread_mutex_lock(&sc->mu);
        int full = pr->q.n == pr->q.cap ||
                   (pr->q.n > 0 && sc->binflight >= 2 * (size_t)sc->nworkers);
        pthread_mutex_unlock(&sc->mu);
        if (!full)
            break;
        retire_block(pr->w, pr->f, &pr->q, &pr->errs, &pr->pool);
    }
    size_t at = pr->q.head + pr->q.n++;
    pr->q.fl[at < pr->q.cap ? at : at - pr->q.cap] = b;
    pthread_mutex_lock(&sc->mu);
    sc->binflight++;
    if (sc->bq_n == sc->bq_cap) {
        size_t cap = sc->bq_cap ? 2 * sc->bq_cap : 16;
        block **nq = ds_xcalloc(cap, sizeof *nq);
        for (size_t i = 0; i < sc->bq_n; i++)
            nq[i] = sc->bq[(sc->bq_head + i) % sc->bq_cap];
        free(sc->bq);
        sc->bq = nq;
        sc->bq_cap = cap;
        sc->bq_head = 0;
    }
    sc->bq[(sc->bq_head + sc->bq_n++) % sc->bq_cap] = b;
    pthread_cond_signal(&sc->cv_work);
    pthread_mutex_unlock(&sc->mu);
}

/* CSV: the dialect of the stream, from its first bytes in pend (at least
 * the sniffing sample, or all of it). 0 when the first row does not end in
 * them: the stream is then read in one piece. */
static int csv_dialect_pend(producer *pr, const ds_buf *pend, int eof)
{
    ds_stream_opts so = pr->w->sc->walk_opts.stream;
    so.decode = 0;
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_stream_open_mem(pend->data, pend->len, pr->name, &so, &st, &err);
    int ok = ds_csv_dialect_read(st, &pr->w->sc->src_opts, &pr->csv, &err) == DS_OK;
    ds_stream_close(st);
    if (ok && !pr->csv.width_known && !eof) {
        ds_csv_dialect_free(&pr->csv);
        ok = 0;
    }
    pr->have_csv = ok;
    return ok;
}

/* Where the next block of pend ends: 1 with *cut and the block's lines and
 * records, 0 when more bytes are needed, -1 when the rest must be read in
 * one piece. */
static int next_cut(producer *pr, const ds_buf *pend, int eof, int failed, size_t *cut,
                    uint64_t *lines, uint64_t *recs)
{
    const unsigned char *p = (const unsigned char *)pend->data;
    size_t n = pend->len;
    if (eof && !failed && n <= BLOCK_SIZE) {
        *cut = n; /* the last block: no count needed after it */
        *lines = *recs = 0;
        return 1;
    }
    if (pr->fmt == DS_FORMAT_CSV) {
        uint64_t rows = 0;
        int r = ds_split_csv_buf(p, n, pr->csv.delim, BLOCK_SIZE, cut, lines, &rows);
        if (r == 1 && pr->nblocks == 0 && pr->csv.header) {
            if (!rows)
                return -1; /* blank lines only: the header row is further */
            rows--;        /* the header row is no record */
        }
        *recs = rows;
        if (r == 0 && eof && !failed) {
            *cut = n;
            return 1;
        }
        if (r == -1 && eof && !failed) {
            *cut = n; /* the rest is one block anyway */
            return 1;
        }
        if (r == 0 && (failed || n < BLOCK_MAX))
            return 0;
        return r == 0 ? -1 : r;
    }
    /* whole lines, at most BLOCK_SIZE bytes of them, or one longer line (a
     * read error loses the line it cut) */
    size_t lim = n < BLOCK_SIZE ? n : BLOCK_SIZE;
    const char *nl = memrchr(p, '\n', lim);
    if (!nl && lim < n)
        nl = memchr(p + lim, '\n', n - lim);
    if (!nl) {
        if (eof && !failed) {
            *cut = n;
            *lines = *recs = 0;
            return 1;
        }
        return !eof && n >= BLOCK_MAX ? -1 : 0;
    }
    *cut = (size_t)((const unsigned char *)nl - p) + 1;
    ds_split_count_mem(p, *cut, pr->fmt, lines, recs);
    return 1;
}

static void produce(worker *w, const char *name, ds_format fmt, ds_stream *st)
{
    scan_ctx *sc = w->sc;
    producer pr = {.w = w, .name = name, .fmt = fmt};
    pr.f = res_new_file(&w->u->res, name);
    pr.f->format = fmt;
    pr.f->agg = ds_agg_new();
    pr.q.cap = 2 * (size_t)(sc->nworkers ? sc->nworkers : 1);
    pr.q.fl = ds_xcalloc(pr.q.cap, sizeof *pr.q.fl);
    ds_buf pend = pool_get(&pr.pool);
    ds_error err;
    ds_error_clear(&err);
    int eof = 0, failed = 0, inline_rest = 0;
    while (!eof && !inline_rest) {
        const unsigned char *d;
        size_t n;
        ds_status rc = ds_stream_next(st, &d, &n, &err);
        if (rc == DS_OK) {
            ds_buf_append(&pend, d, n);
        } else {
            eof = 1;
            failed = rc != DS_DONE;
        }
        if (fmt == DS_FORMAT_CSV && !pr.have_csv) {
            if (pend.len <= DS_CSV_SNIFF_BYTES && !eof)
                continue;
            if (!csv_dialect_pend(&pr, &pend, eof)) {
                inline_rest = 1;
                break;
            }
        }
        while (pend.len >= BLOCK_SIZE || (eof && pend.len)) {
            size_t cut = 0;
            uint64_t l = 0, r = 0;
            int c = next_cut(&pr, &pend, eof, failed, &cut, &l, &r);
            if (c < 0)
                inline_rest = 1;
            if (c <= 0)
                break;
            ds_buf tail = pool_get(&pr.pool);
            ds_buf_append(&tail, pend.data + cut, pend.len - cut);
            pend.len = cut;
            queue_block(&pr, new_block(&pr, &pend, l, r));
            pend = tail;
        }
    }
    while (pr.q.n)
        retire_block(w, pr.f, &pr.q, &pr.errs, &pr.pool);
    free(pr.q.fl);
    if (inline_rest) {
        /* the rest in one read, here (a line longer than BLOCK_MAX, CSV
         * that only lenient parsing reads) */
        rest_src rs = {&pend, 0, st, failed ? &err : NULL};
        block *b = new_block(&pr, &(ds_buf){0}, 0, 0);
        ds_stream_opts so = sc->walk_opts.stream;
        so.decode = 0;
        ds_stream_open_fn(rest_read, NULL, &rs, name, &so, &b->st, &err);
        scan_block(w, b);
        ds_stream_close(b->st);
        w->cur = pr.f;
        fold_block(w, pr.f, b, &pr.errs);
        block_free(b);
        failed = 0; /* the read reported it */
    }
    ds_buf_free(&pend);
    while (pr.pool.n)
        ds_buf_free(&pr.pool.spare[--pr.pool.n]);
    ds_csv_dialect_free(&pr.csv);
    ds_file_result *f = pr.f;
    w->cur = f;
    if (failed)
        file_error(w, &err);
    if (f->limit_hits)
        limit_error(w, f);
    f->bytes = ds_stream_offset(st);
    f->encoding = ds_stream_encoding(st);
    ds_agg_set_hints(f->agg, sc->rs);
    if (f->nerrors > MAX_ERRORS_PER_FILE) {
        char msg[96];
        more_errors(msg, sizeof msg, f->nerrors);
        unit_message(w, f->name, msg);
    }
    if (getenv("DSAUDIT_TEST_BLOCK")) {
        char msg[96];
        snprintf(msg, sizeof msg, "test: read in %llu blocks%s",
                 (unsigned long long)pr.nblocks - (unsigned long long)inline_rest,
                 inline_rest ? " and the rest in one piece" : "");
        unit_message(w, f->name, msg);
    }
    w->cur = NULL;
}

static void scan_unit(worker *w, unit *u)
{
    w->u = u;
    ds_walk_visitor v = {w, on_input, on_skip, on_error};
    ds_error err;
    ds_error_clear(&err);
    const char *paths[1] = {u->path};
    const ds_walk_opts *wo = &w->sc->walk_opts;
    ds_walk_opts ranged;
    if (u->split) {
        /* one range of the file, numbered as in a whole-file read */
        ds_range r = ds_split_file_range(u->split, u->range);
        u->src_opts = w->sc->src_opts;
        u->src_opts.csv_preset = ds_split_file_csv(u->split);
        if (ds_split_file_bases(u->split, u->range, &u->src_opts.line_base,
                                &u->src_opts.record_base, &err) != DS_OK) {
            res_add_error(&u->res, err.where[0] ? err.where : u->path, err.msg);
            unit_message(w, err.where[0] ? err.where : u->path, err.msg);
            w->u = NULL;
            return;
        }
        ranged = *wo;
        ranged.ranged = 1;
        ranged.range_start = r.start;
        ranged.range_end = r.end;
        wo = &ranged;
    }
    ds_status rc = ds_walk(paths, 1, wo, &v, &err);
    if (rc != DS_OK && rc != DS_DONE) {
        res_add_error(&u->res, err.where[0] ? err.where : u->path, err.msg);
        unit_message(w, err.where[0] ? err.where : u->path, err.msg);
    }
    unit_flush_out(w, 1);
    w->u = NULL;
}

/* ---- putting results together, in order -------------------------------------- */

/* A range's error lines, so that a file read in ranges shows the same first
 * MAX_ERRORS_PER_FILE errors, and the same count of the others, as one read. */
static void emit_range_errors(scan_ctx *sc, unit *u)
{
    if (u->range == 0)
        sc->range_errs = 0;
    ds_buf lines = {0};
    capped_lines(&lines, &u->ferr, sc->range_errs);
    if (lines.len) {
        fflush(stdout);
        fwrite(lines.data, 1, lines.len, stderr);
    }
    ds_buf_free(&lines);
    const ds_file_result *f = u->res.nfiles ? &u->res.files[0] : NULL;
    if (f)
        sc->range_errs += f->nerrors;
}

/* After the last range of a file is folded into it (lf): its PCRE2 limit
 * hits as one error, as one read tells them, then the count of the errors
 * not shown. */
static void emit_file_end(scan_ctx *sc, unit *u, ds_file_result *lf)
{
    if (lf && lf->limit_hits) {
        ds_error err;
        ds_error_clear(&err);
        limit_message(lf, &err);
        lf->status = DS_FILE_INCOMPLETE;
        lf->nerrors++;
        sc->total.incomplete = 1;
        if (!lf->error) {
            ds_buf b = {0};
            ds_buf_printf(&b, "%s: %s", err.where, err.msg);
            lf->error = b.data;
            res_add_error(&sc->total, err.where, err.msg);
        }
        if (++sc->range_errs <= MAX_ERRORS_PER_FILE) {
            fflush(stdout);
            fprintf(stderr, "dsaudit: %s: %s\n", err.where, err.msg);
        }
    }
    if (sc->range_errs > MAX_ERRORS_PER_FILE) {
        char msg[96];
        more_errors(msg, sizeof msg, sc->range_errs);
        fflush(stdout);
        fprintf(stderr, "dsaudit: %s: %s\n", lf ? lf->name : u->path, msg);
    }
}

static void emit(scan_ctx *sc, unit *u)
{
    ds_scan_result *t = &sc->total;
    if (u->spill) {
        rewind(u->spill);
        char *line = NULL;
        size_t lcap = 0;
        ssize_t n;
        while ((n = getline(&line, &lcap, u->spill)) > 0)
            ds_outputs_lines(sc->outs, line, (size_t)n);
        free(line);
    }
    if (u->out.len)
        ds_outputs_lines(sc->outs, u->out.data, u->out.len);
    if (u->split)
        emit_range_errors(sc, u);
    if (u->err.len) {
        fflush(stdout);
        fwrite(u->err.data, 1, u->err.len, stderr);
    }
    /* move the unit's files and errors into the total; a later range of a
     * file is folded into the file's entry */
    for (size_t i = 0; i < u->res.nfiles; i++) {
        ds_file_result *uf = &u->res.files[i];
        ds_file_result *last = t->nfiles ? &t->files[t->nfiles - 1] : NULL;
        if (u->split && u->range > 0 && last && uf->status != DS_FILE_SKIPPED &&
            last->status != DS_FILE_SKIPPED && strcmp(last->name, uf->name) == 0) {
            if (last->error)
                drop_part_first_error(u);
            ds_sched_merge_file(last, uf);
            continue;
        }
        t->files = ds_xgrow(t->files, &t->fcap, t->nfiles + 1, sizeof *t->files);
        t->files[t->nfiles++] = *uf;
        if (!u->split)
            ds_sketch_budget(&t->files[t->nfiles - 1], &sc->sketches);
    }
    ds_file_result *lf = t->nfiles ? &t->files[t->nfiles - 1] : NULL;
    int file_end = u->split && u->range + 1 == ds_split_file_n(u->split);
    if (file_end && lf)
        ds_sketch_budget(lf, &sc->sketches);
    u->res.nfiles = 0;
    res_absorb(t, &u->res);
    if (file_end)
        emit_file_end(sc, u, lf && lf->status != DS_FILE_SKIPPED && strcmp(lf->name, u->path) == 0
                                 ? lf
                                 : NULL);
    unit_free(u);
    progress_tick(sc, 0);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    scan_ctx *sc = w->sc;
    pthread_mutex_lock(&sc->mu);
    for (;;) {
        while (sc->taken == sc->added && !sc->bq_n && !sc->closing)
            pthread_cond_wait(&sc->cv_work, &sc->mu);
        if (sc->bq_n) {
            /* a block of a stream another worker reads: before new units */
            block *b = sc->bq[sc->bq_head];
            sc->bq_head = (sc->bq_head + 1) % sc->bq_cap;
            sc->bq_n--;
            run_block(w, b);
            continue;
        }
        if (sc->taken == sc->added)
            break;
        unit *u = sc->ring[sc->taken % sc->cap];
        sc->taken++;
        pthread_mutex_unlock(&sc->mu);
        if (u->path)
            scan_unit(w, u);
        pthread_mutex_lock(&sc->mu);
        u->done = 1;
        pthread_cond_broadcast(&sc->cv_done);
    }
    pthread_mutex_unlock(&sc->mu);
    return NULL;
}

/* Write out the oldest unit once it is done (called with the lock held). */
static void emit_oldest(scan_ctx *sc)
{
    unit *u = sc->ring[sc->emitted % sc->cap];
    while (!u->done)
        pthread_cond_wait(&sc->cv_done, &sc->mu);
    sc->ring[sc->emitted % sc->cap] = NULL;
    sc->emitted++;
    pthread_mutex_unlock(&sc->mu);
    emit(sc, u);
    pthread_mutex_lock(&sc->mu);
}

static void submit(scan_ctx *sc, unit *u)
{
    if (sc->nworkers == 0) {
        /* -j 1: scan and write now */
        if (u->path) {
            sc->main_worker.direct = 1;
            scan_unit(&sc->main_worker, u);
        }
        emit(sc, u);
        return;
    }
    pthread_mutex_lock(&sc->mu);
    while (sc->added - sc->emitted == sc->cap)
        emit_oldest(sc);
    /* even a message-only unit goes through a worker, which marks it done:
     * marking it here would let the emitter free it while a worker is
     * about to take it from the ring */
    sc->ring[sc->added % sc->cap] = u;
    sc->added++;
    pthread_cond_signal(&sc->cv_work);
    pthread_mutex_unlock(&sc->mu);
}

/* Expansion callbacks (main thread): units and the messages between them. */
/* --shard by file: does this run take the next item of the expansion? */
static int shard_take(scan_ctx *sc)
{
    const ds_scan_opts *o = sc->o;
    if (!o->shard_n || sc->shard_single)
        return 1;
    return ds_shard_owns(sc->shard_seq++, o->shard_k, o->shard_n);
}

/* The dialect of the CSV file path as a whole-file reader settles on it. */
static int csv_dialect_of(scan_ctx *sc, const char *path, ds_csv_dialect *out)
{
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ds_stream_open_fd(fd, 1, path, &sc->walk_opts.stream, &st, &err) != DS_OK) {
        if (fd >= 0 && !st)
            close(fd);
        return 0;
    }
    int ok = ds_csv_dialect_read(st, &sc->src_opts, out, &err) == DS_OK;
    ds_stream_close(st);
    return ok;
}

/* A plain JSONL/text/CSV file read in record-aligned ranges: by every worker
 * when it is at least --split-min bytes, and by byte ranges across shards
 * when --shard names one such file. 0 when path is read as one unit. */
static int submit_ranges(scan_ctx *sc, const char *path)
{
    const ds_scan_opts *o = sc->o;
    if ((sc->nworkers < 2 && !sc->shard_single) || strcmp(path, "-") == 0)
        return 0;
    uint64_t size = 0;
    ds_format fmt = ds_walk_probe_leaf(path, &sc->walk_opts, &size);
    if (!ds_split_format_ok(fmt))
        return 0;
    uint64_t from = 0, to = size;
    ds_error err;
    ds_error_clear(&err);
    if (!sc->shard_single && size < o->split_min)
        return 0;
    ds_csv_dialect csv = {0};
    if (fmt == DS_FORMAT_CSV && !csv_dialect_of(sc, path, &csv))
        return 0;
    if (sc->shard_single) {
        ds_csv_dialect dup = {0};
        if (fmt == DS_FORMAT_CSV)
            ds_csv_dialect_copy(&dup, &csv);
        ds_split_file *all =
            ds_split_file_new(path, fmt, 0, size, o->shard_n, fmt == DS_FORMAT_CSV ? &dup : NULL, &err);
        if (!all) {
            ds_csv_dialect_free(&csv);
            return 0;
        }
        ds_range r = ds_split_file_range(all, o->shard_k);
        ds_split_file_unref(all);
        from = r.start;
        to = r.end;
    }
    size_t n = sc->nworkers >= 2 && to - from >= o->split_min ? sc->nworkers : 1;
    ds_split_file *sf =
        ds_split_file_new(path, fmt, from, to, n, fmt == DS_FORMAT_CSV ? &csv : NULL, &err);
    if (!sf)
        return 0;
    /* every unit's reference first: submit() may emit (and free) range 0
     * before the last range is submitted */
    for (size_t k = 1; k < n; k++)
        ds_split_file_ref(sf);
    for (size_t k = 0; k < n; k++) {
        unit *u = ds_xcalloc(1, sizeof *u);
        u->path = ds_xstrdup(path);
        u->split = sf;
        u->range = k;
        u->part = 1;
        u->file_err = -1;
        submit(sc, u);
    }
    return 1;
}

static ds_status on_unit(void *ctx, const char *path)
{
    scan_ctx *sc = ctx;
    if (!shard_take(sc))
        return DS_OK;
    if (submit_ranges(sc, path))
        return DS_OK;
    if (sc->shard_single && sc->o->shard_k != 0)
        return DS_OK; /* could not be cut after all: shard 1 reads it whole */
    unit *u = ds_xcalloc(1, sizeof *u);
    u->path = ds_xstrdup(path);
    submit(sc, u);
    return DS_OK;
}

static void on_expand_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    scan_ctx *sc = ctx;
    if (!shard_take(sc))
        return;
    unit *u = ds_xcalloc(1, sizeof *u);
    on_skip_res(&u->res, sc->o, name, reason, bytes);
    if (sc->o->strict)
        ds_buf_printf(&u->err, "dsaudit: %s: %s\n", name, reason);
    submit(sc, u);
}

static void on_expand_error(void *ctx, const ds_error *err)
{
    scan_ctx *sc = ctx;
    if (!shard_take(sc))
        return;
    unit *u = ds_xcalloc(1, sizeof *u);
    const char *where = err->where[0] ? err->where : "-";
    res_add_error(&u->res, where, err->msg);
    ds_buf_printf(&u->err, "dsaudit: %s: %s\n", where, err->msg);
    submit(sc, u);
}

ds_ruleset *ds_cli_load_rules(const char *dir, const ds_strlist *enable, const ds_strlist *disable,
                              const ds_strlist *langs)
{
    ds_ruleset_opts ro = {.enable = (const char *const *)enable->v,
                          .nenable = enable->n,
                          .disable = (const char *const *)disable->v,
                          .ndisable = disable->n,
                          .langs = (const char *const *)langs->v,
                          .nlangs = langs->n};
    if (!dir) {
        const char *env = getenv("DSAUDIT_RULES");
        if (env && *env)
            dir = env;
    }
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_status rc = dir ? ds_ruleset_load_dir(dir, &ro, &rs, &err)
                       : ds_ruleset_load_builtin(&ro, &rs, &err);
    if (rc != DS_OK) {
        fprintf(stderr, "dsaudit: %s: %s\n", err.where[0] ? err.where : "rules", err.msg);
        return NULL;
    }
    return rs;
}

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static int new_detector(scan_ctx *sc, worker *w)
{
    ds_detect_opts dopts = {sc->o->min_confidence};
    ds_error err;
    ds_error_clear(&err);
    w->sc = sc;
    if (ds_detector_new(sc->rs, &dopts, &w->det, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s\n", err.msg);
        return 0;
    }
    return 1;
}

/* Sum the PCRE2 limit hits of every detector into the total. */
static void collect_limits(scan_ctx *sc, worker *w)
{
    const ds_detect_stats *ds = ds_detector_stats(w->det);
    if (ds->limit_hits) {
        sc->total.limit_hits += ds->limit_hits;
        sc->total.limit_rule = ds->limit_rule->id;
    }
}

/* --baseline and --write-baseline. A new baseline keeps the salt of the one
 * read, or of the file it replaces, so that fingerprints stay comparable and
 * a regenerated baseline differs only by what changed. 0 on error (printed). */
static int scan_baselines(scan_ctx *sc, const ds_scan_opts *o)
{
    ds_error err;
    ds_error_clear(&err);
    if (o->baseline && ds_baseline_load(o->baseline, &sc->baseline, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s: %s\n", err.where, err.msg);
        return 0;
    }
    sc->total.has_baseline = o->baseline != NULL;
    if (!o->write_baseline)
        return 1;
    ds_baseline *old = NULL;
    if (!sc->baseline && access(o->write_baseline, F_OK) == 0 &&
        ds_baseline_load(o->write_baseline, &old, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s: %s (not overwritten)\n", err.where, err.msg);
        return 0;
    }
    const ds_baseline *salt_of = sc->baseline ? sc->baseline : old;
    sc->wbase = ds_baseline_new(salt_of ? ds_baseline_salt(salt_of) : NULL);
    ds_baseline_free(old);
    if (!sc->wbase) {
        fprintf(stderr, "dsaudit: %s: no random bytes for the baseline salt\n",
                o->write_baseline);
        return 0;
    }
    return 1;
}

int ds_cmd_scan(int argc, char **argv)
{
    ds_scan_opts o;
    int prc = ds_scan_opts_parse(argc, argv, &o);
    if (prc != 0) {
        ds_scan_opts_free(&o);
        return prc == 1 ? 0 : 2;
    }
    ds_ruleset *rs = ds_cli_load_rules(o.rules_dir, &o.enable, &o.disable, &o.langs);
    if (!rs) {
        ds_scan_opts_free(&o);
        return 2;
    }
    scan_ctx sc;
    memset(&sc, 0, sizeof sc);
    sc.outs = ds_outputs_open(o.format_name, &o.outputs, o.max_findings);
    if (!sc.outs) {
        ds_ruleset_free(rs);
        ds_scan_opts_free(&o);
        return 2;
    }
    sc.lines = ds_outputs_want_lines(sc.outs);
    sc.line_cap = ds_outputs_unit_line_cap(sc.outs);
    char started[32] = "";
    if (o.timestamps)
        ds_iso_time(started);
    sc.o = &o;
    sc.rs = rs;
    sc.total.rules = rs;
    sc.total.fail_on = o.fail_on;
    ds_source_opts_default(&sc.src_opts);
    sc.src_opts.max_field = o.max_field;
    sc.src_opts.max_json_depth = o.max_json_depth;
    sc.src_opts.max_columns = (size_t)o.max_columns;
    ds_walk_opts_default(&sc.walk_opts);
    sc.walk_opts.max_depth = o.max_depth;
    sc.walk_opts.max_ratio = o.max_ratio;
    sc.walk_opts.max_bytes = o.max_bytes;
    sc.walk_opts.max_entries = o.max_entries;
    sc.walk_opts.follow_symlinks = o.follow_symlinks;
    sc.walk_opts.stream.chunk = o.read_size;
    sc.walk_opts.stream.decode = 1;
    sc.walk_opts.exclude = (const char *const *)o.exclude.v;
    sc.walk_opts.nexclude = o.exclude.n;
    sc.progress = o.progress == 1 || (o.progress == -1 && isatty(2));
    sc.t0 = now();
    /* sampling and sharding (input/split.h, cli/schedule.h) */
    sc.sample_thr = ds_sample_threshold(o.sample_rate);
    sc.total.sample_rate = o.sample_rate;
    sc.total.sample_seed = o.seed;
    sc.total.max_records = o.max_records;
    sc.total.shard_k = o.shard_k;
    sc.total.shard_n = o.shard_n;
    if (o.shard_n && o.npaths == 1 && strcmp(o.paths[0], "-") != 0) {
        uint64_t size;
        sc.shard_single = ds_split_format_ok(ds_walk_probe_leaf(o.paths[0], &sc.walk_opts, &size));
    }

    int status = 2;
    if (ds_ignore_load_for_scan(o.paths, o.npaths, &o.exclude) != 0)
        goto out;
    sc.walk_opts.exclude = (const char *const *)o.exclude.v;
    sc.walk_opts.nexclude = o.exclude.n;
    if (!scan_baselines(&sc, &o))
        goto out;
    unsigned jobs = o.jobs ? o.jobs : default_jobs();
    if (!new_detector(&sc, &sc.main_worker))
        goto out;
    if (jobs > 1) {
        pthread_mutex_init(&sc.mu, NULL);
        pthread_cond_init(&sc.cv_work, NULL);
        pthread_cond_init(&sc.cv_done, NULL);
        sc.cap = (size_t)jobs * 4;
        sc.ring = ds_xcalloc(sc.cap, sizeof *sc.ring);
        sc.workers = ds_xcalloc(jobs, sizeof *sc.workers);
        (void)block_size(); /* read once, before the workers */
        for (unsigned i = 0; i < jobs; i++) {
            if (!new_detector(&sc, &sc.workers[i]))
                break;
            if (pthread_create(&sc.workers[i].th, NULL, worker_main, &sc.workers[i]) != 0) {
                ds_detector_free(sc.workers[i].det);
                break;
            }
            sc.nworkers++;
        }
    }

    ds_walk_visitor ev = {&sc, NULL, on_expand_skip, on_expand_error};
    ds_error err;
    ds_error_clear(&err);
    ds_status rc = ds_walk_expand((const char *const *)o.paths, o.npaths, &sc.walk_opts, &ev,
                                  on_unit, &err);
    if (sc.nworkers) {
        pthread_mutex_lock(&sc.mu);
        while (sc.emitted < sc.added)
            emit_oldest(&sc);
        sc.closing = 1;
        pthread_cond_broadcast(&sc.cv_work);
        pthread_mutex_unlock(&sc.mu);
        for (unsigned i = 0; i < sc.nworkers; i++) {
            pthread_join(sc.workers[i].th, NULL);
            collect_limits(&sc, &sc.workers[i]);
            ds_detector_free(sc.workers[i].det);
            free(sc.workers[i].bl_keep);
        }
        free(sc.workers);
        free(sc.ring);
        free(sc.bq);
        pthread_mutex_destroy(&sc.mu);
        pthread_cond_destroy(&sc.cv_work);
        pthread_cond_destroy(&sc.cv_done);
    }
    collect_limits(&sc, &sc.main_worker);
    if (rc != DS_OK && rc != DS_DONE) {
        fprintf(stderr, "dsaudit: %s: %s\n", err.where[0] ? err.where : "scan", err.msg);
        sc.total.incomplete = 1;
    }
    progress_tick(&sc, 1);
    if (sc.total.limit_hits)
        fprintf(stderr,
                "dsaudit: rule %s: PCRE2 match limit reached on %llu value%s (not fully "
                "scanned)\n",
                sc.total.limit_rule, (unsigned long long)sc.total.limit_hits,
                sc.total.limit_hits == 1 ? "" : "s");
    if (ds_cli_run_checks(&sc.total, &o) != 0) /* metadata and compliance checks (init.c) */
        sc.total.incomplete = 1;
    fflush(stdout);
    {
        char finished[32] = "";
        if (o.timestamps)
            ds_iso_time(finished);
        ds_buf settings = {0};
        ds_scan_settings_json(&o, &settings);
        ds_report_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.tool_version = DS_VERSION;
        ctx.rules_digest = ds_ruleset_digest(rs);
        ctx.argv = (const char *const *)argv;
        ctx.argc = (size_t)argc;
        ctx.started = o.timestamps ? started : NULL;
        ctx.finished = o.timestamps ? finished : NULL;
        ctx.min_confidence = o.min_confidence;
        ctx.show_values = o.show_values;
        ctx.quiet = o.quiet;
        ctx.color = isatty(1) && !getenv("NO_COLOR");
        ctx.max_findings = o.max_findings;
        ctx.settings_json = settings.data;
        if (sc.baseline || sc.wbase)
            ctx.fingerprint_salt = ds_baseline_salt(sc.baseline ? sc.baseline : sc.wbase);
        int wrc = ds_outputs_finish(sc.outs, &sc.total, &ctx);
        if (sc.wbase) {
            ds_error_clear(&err);
            if (ds_baseline_write(sc.wbase, o.write_baseline, &err) != DS_OK) {
                fprintf(stderr, "dsaudit: %s: %s\n", err.where, err.msg);
                wrc = -1;
            }
        }
        ds_buf_free(&settings);
        fflush(stdout);
        status = ds_scan_exit_status(&sc.total);
        if (wrc != 0)
            status = 2;
    }
out:
    ds_baseline_free(sc.baseline);
    ds_baseline_free(sc.wbase);
    free(sc.main_worker.bl_keep);
    ds_outputs_free(sc.outs);
    ds_scan_result_free(&sc.total);
    ds_detector_free(sc.main_worker.det);
    ds_ruleset_free(rs);
    ds_scan_opts_free(&o);
    return status;
}
