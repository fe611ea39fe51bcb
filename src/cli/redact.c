/* cli: `dsaudit redact`: write a minimised, pseudonymised copy of the inputs.
 *
 * The command line is expanded into top-level inputs ("units") as `scan`
 * does. Each unit is rewritten by one worker: ds_walk opens it (following
 * archives), ds_redact_stream rewrites every leaf into the unit's output tree
 * (src/redact/tree.c), which rebuilds compressed files and archives. Workers
 * buffer their messages; the main thread prints them in unit order, so the
 * output does not depend on -j. Values never reach the messages: errors name
 * the file, line or row and what went wrong, the summary counts. */
#include "cli/redact.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "cli/scan.h"
#include "common/buf.h"
#include "common/mem.h"
#include "input/walk.h"
#include "redact/redact.h"
#include "redact/tree.h"

#define MAX_ERRORS_PER_UNIT 10

typedef struct rd_opts {
    const char *out;
    const char *policy_file;
    const char *metadata;
    const char *key_file;
    const char *rules_dir;
    ds_strlist actions, enable, disable, langs, exclude;
    double min_confidence;
    unsigned max_depth;
    double max_ratio;
    uint64_t max_bytes, max_entries;
    size_t max_field;
    unsigned jobs;
    int json, dry_run, force, quiet, follow_symlinks, no_metadata;
    char **paths;
    size_t npaths;
} rd_opts;

typedef struct runit {
    char *path; /* NULL: a message only */
    char *rel;  /* output path under --out */
    ds_buf msg; /* stderr lines */
    ds_rsummary sum;
    uint64_t written, failed, skipped;
    int error;
    int done;
} runit;

typedef struct rctx rctx;

typedef struct rworker {
    rctx *c;
    ds_redactor *red;
    runit *u;
    ds_rtree *tree;
    const char *prefix; /* u->path */
    uint64_t nerr;
    pthread_t th;
} rworker;

struct rctx {
    rd_opts *o;
    const ds_ruleset *rs;
    ds_rpolicy *pol;
    ds_rkey key;
    int have_key;
    ds_walk_opts walk;
    char *out_real;
    /* units */
    runit **u;
    size_t nu, ucap;
    size_t cur_arg;
    /* workers */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;
};

/* ---- options ---------------------------------------------------------------- */

enum {
    O_OUT = 256,
    O_ACTION,
    O_POLICY,
    O_METADATA,
    O_NO_METADATA,
    O_KEYFILE,
    O_DRY,
    O_FORCE,
    O_RULES,
    O_ENABLE,
    O_DISABLE,
    O_LANG,
    O_MINCONF,
    O_MAXDEPTH,
    O_MAXRATIO,
    O_MAXBYTES,
    O_MAXENTRIES,
    O_MAXFIELD,
    O_EXCLUDE,
    O_FOLLOW
};

static const struct {
    struct option lo;
    const char *arg, *help;
} table[] = {
    {{"out", required_argument, NULL, O_OUT},
     "DIR",
     "write the redacted copy under DIR (required)"},
    {{"action", required_argument, NULL, O_ACTION},
     "KEY=ACTION",
     "TYPE, rule:ID, category:CAT or field:NAME = keep|mask|pseudonymise|generalise|drop "
     "(repeatable)"},
    {{"policy", required_argument, NULL, O_POLICY}, "FILE", "YAML policy: KEY: ACTION lines"},
    {{"metadata", required_argument, NULL, O_METADATA},
     "FILE",
     "sidecar whose personal_data.fields[].treatment applies (default: .dsaudit.yml or "
     "dsaudit.yml next to the inputs)"},
    {{"no-metadata", no_argument, NULL, O_NO_METADATA}, NULL, "do not look for a sidecar"},
    {{"key-file", required_argument, NULL, O_KEYFILE},
     "FILE",
     "pseudonymisation key (otherwise $DSAUDIT_KEY); at least 16 bytes"},
    {{"dry-run", no_argument, NULL, O_DRY}, NULL, "print the summary, write nothing"},
    {{"force", no_argument, NULL, O_FORCE}, NULL, "allow --out inside an input directory"},
    {{"format", required_argument, NULL, 'f'}, "FMT", "summary on stdout: text (default) or json"},
    {{"jobs", required_argument, NULL, 'j'}, "N", "worker threads (default: cores)"},
    {{"rules", required_argument, NULL, O_RULES}, "DIR", "rule directory (also $DSAUDIT_RULES)"},
    {{"enable", required_argument, NULL, O_ENABLE}, "LIST", "rule ids, types or categories"},
    {{"disable", required_argument, NULL, O_DISABLE}, "LIST", "rule ids, types or categories"},
    {{"lang", required_argument, NULL, O_LANG}, "LIST", "languages for context words"},
    {{"min-confidence", required_argument, NULL, O_MINCONF},
     "X",
     "act on findings at or above X (default 0.5)"},
    {{"max-depth", required_argument, NULL, O_MAXDEPTH}, "N", "archive nesting (default 4)"},
    {{"max-ratio", required_argument, NULL, O_MAXRATIO},
     "R",
     "decompression-ratio guard (default 1000)"},
    {{"max-bytes", required_argument, NULL, O_MAXBYTES}, "B", "decompressed bytes per input"},
    {{"max-entries", required_argument, NULL, O_MAXENTRIES},
     "N",
     "members per archive (default 100000)"},
    {{"max-field", required_argument, NULL, O_MAXFIELD},
     "B",
     "longest value or line rewritten (default 1M); a file with a longer one is refused"},
    {{"exclude", required_argument, NULL, O_EXCLUDE}, "GLOB", "skip matching paths (repeatable)"},
    {{"follow-symlinks", no_argument, NULL, O_FOLLOW}, NULL, "follow symlinks inside directories"},
    {{"quiet", no_argument, NULL, 'q'}, NULL, "only problems"},
    {{"help", no_argument, NULL, 'h'}, NULL, "this help"},
};

static void usage(FILE *f)
{
    fputs("usage: dsaudit redact [OPTIONS] --out DIR PATH...\n\n"
          "Write a minimised, pseudonymised copy of files, directories and archives under DIR,\n"
          "same relative paths, same formats. Default actions: pseudonymise direct identifiers,\n"
          "generalise quasi-identifiers (DATE_OF_BIRTH, IP_ADDRESS, GEO_COORDINATES, postal\n"
          "codes), mask sensitive and criminal spans.\n\n",
          f);
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        char left[64];
        const struct option *lo = &table[i].lo;
        if (lo->val < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", lo->val, lo->name, table[i].arg ? " " : "",
                     table[i].arg ? table[i].arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", lo->name, table[i].arg ? " " : "",
                     table[i].arg ? table[i].arg : "");
        fprintf(f, "  %-28s %s\n", left, table[i].help);
    }
    fputs("\nExit status: 0 every input was redacted; 2 usage error, or some input could not\n"
          "be redacted completely (it is then left out of the copy).\n",
          f);
}

static void list_add(ds_strlist *l, const char *s, int split)
{
    const char *p = s;
    while (*p) {
        const char *e = split ? strchr(p, ',') : NULL;
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            l->v = ds_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
            l->v[l->n++] = ds_xstrndup(p, n);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static void list_free(ds_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int parse_bytes(const char *s, uint64_t *out)
{
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || !isfinite(v))
        return 0;
    double m = 1;
    switch (*end) {
    case 'k':
    case 'K':
        m = 1024.0;
        end++;
        break;
    case 'm':
    case 'M':
        m = 1024.0 * 1024;
        end++;
        break;
    case 'g':
    case 'G':
        m = 1024.0 * 1024 * 1024;
        end++;
        break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end)
        return 0;
    *out = (uint64_t)(v * m);
    return 1;
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "dsaudit: redact: invalid %s '%s'\n", what, arg);
    return 2;
}

/* 0 ok, 1 help printed, 2 usage error */
static int parse(int argc, char **argv, rd_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_confidence = DS_DEFAULT_MIN_CONFIDENCE;
    o->max_depth = 4;
    o->max_ratio = 1000;
    o->max_entries = 100000;
    o->max_field = 1u << 20;
    enum { N = sizeof table / sizeof *table };
    struct option lo[N + 1];
    for (size_t i = 0; i < N; i++)
        lo[i] = table[i].lo;
    memset(&lo[N], 0, sizeof lo[N]);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:j:qh", lo, NULL)) != -1) {
        uint64_t u;
        char *end;
        switch (c) {
        case O_OUT: o->out = optarg; break;
        case O_ACTION: list_add(&o->actions, optarg, 0); break;
        case O_POLICY: o->policy_file = optarg; break;
        case O_METADATA: o->metadata = optarg; break;
        case O_NO_METADATA: o->no_metadata = 1; break;
        case O_KEYFILE: o->key_file = optarg; break;
        case O_DRY: o->dry_run = 1; break;
        case O_FORCE: o->force = 1; break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                o->json = 1;
            else if (strcmp(optarg, "text") == 0)
                o->json = 0;
            else
                return bad("--format (text or json)", optarg);
            break;
        case 'j':
            errno = 0;
            u = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg || u > 1024)
                return bad("--jobs", optarg);
            o->jobs = (unsigned)u;
            break;
        case O_RULES: o->rules_dir = optarg; break;
        case O_ENABLE: list_add(&o->enable, optarg, 1); break;
        case O_DISABLE: list_add(&o->disable, optarg, 1); break;
        case O_LANG: list_add(&o->langs, optarg, 1); break;
        case O_MINCONF:
            errno = 0;
            o->min_confidence = strtod(optarg, &end);
            if (errno || *end || !*optarg || o->min_confidence < 0 || o->min_confidence > 1)
                return bad("--min-confidence (0..1)", optarg);
            break;
        case O_MAXDEPTH:
            errno = 0;
            u = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg || u > 64)
                return bad("--max-depth", optarg);
            o->max_depth = (unsigned)u;
            break;
        case O_MAXRATIO:
            errno = 0;
            o->max_ratio = strtod(optarg, &end);
            if (errno || *end || !*optarg || !(o->max_ratio >= 1))
                return bad("--max-ratio", optarg);
            break;
        case O_MAXBYTES:
            if (!parse_bytes(optarg, &o->max_bytes))
                return bad("--max-bytes", optarg);
            break;
        case O_MAXENTRIES:
            errno = 0;
            u = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg)
                return bad("--max-entries", optarg);
            o->max_entries = u;
            break;
        case O_MAXFIELD:
            if (!parse_bytes(optarg, &u) || u < 64 || u > ((uint64_t)1 << 30))
                return bad("--max-field (64 to 1G)", optarg);
            o->max_field = (size_t)u;
            break;
        case O_EXCLUDE: list_add(&o->exclude, optarg, 0); break;
        case O_FOLLOW: o->follow_symlinks = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); return 1;
        case ':':
            fprintf(stderr, "dsaudit: redact: option '%s' needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "dsaudit: redact: unknown option '%s'\n", argv[optind - 1]);
            fputs("usage: dsaudit redact [OPTIONS] --out DIR PATH... (see dsaudit redact --help)\n",
                  stderr);
            return 2;
        }
    }
    o->paths = argv + optind;
    o->npaths = (size_t)(argc - optind);
    if (!o->npaths) {
        fputs("dsaudit: redact: no input given (usage: dsaudit redact --out DIR PATH...)\n",
              stderr);
        return 2;
    }
    if (!o->out && !o->dry_run) {
        fputs("dsaudit: redact: --out DIR is required (or --dry-run)\n", stderr);
        return 2;
    }
    for (size_t i = 0; i < o->npaths; i++)
        if (strcmp(o->paths[i], "-") == 0) {
            fputs("dsaudit: redact: '-' (standard input) cannot be redacted: name a file\n",
                  stderr);
            return 2;
        }
    return 0;
}

static void opts_free(rd_opts *o)
{
    list_free(&o->actions);
    list_free(&o->enable);
    list_free(&o->disable);
    list_free(&o->langs);
    list_free(&o->exclude);
}

/* ---- paths ------------------------------------------------------------------ */

/* realpath of p, or of its deepest existing parent with the rest appended. */
static char *real_or_parent(const char *p)
{
    char *r = realpath(p, NULL);
    if (r)
        return r;
    char *dup = ds_xstrdup(p);
    char *slash = strrchr(dup, '/');
    char *res = NULL;
    if (slash && slash != dup) {
        *slash = 0;
        char *parent = real_or_parent(dup);
        if (parent) {
            ds_buf b = {0};
            ds_buf_printf(&b, "%s/%s", parent, slash + 1);
            free(parent);
            res = b.data;
        }
    } else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd)) {
            ds_buf b = {0};
            if (slash)
                ds_buf_printf(&b, "%s", p);
            else
                ds_buf_printf(&b, "%s/%s", cwd, p);
            res = b.data;
        }
    }
    free(dup);
    return res;
}

static int under(const char *child, const char *parent)
{
    size_t n = strlen(parent);
    if (strcmp(parent, "/") == 0)
        return 1;
    return strncmp(child, parent, n) == 0 && (child[n] == 0 || child[n] == '/');
}

/* Escape fnmatch specials so that a path matches itself only. */
static char *glob_escape(const char *s, const char *suffix)
{
    ds_buf b = {0};
    for (; *s; s++) {
        if (strchr("*?[\\", *s))
            ds_buf_putc(&b, '\\');
        ds_buf_putc(&b, *s);
    }
    ds_buf_puts(&b, suffix);
    return b.data;
}

/* ---- units ------------------------------------------------------------------ */

static runit *unit_add(rctx *c)
{
    c->u = ds_xgrow(c->u, &c->ucap, c->nu + 1, sizeof *c->u);
    runit *u = ds_xcalloc(1, sizeof *u);
    c->u[c->nu++] = u;
    return u;
}

static ds_status on_unit(void *ctx, const char *path)
{
    rctx *c = ctx;
    const char *arg = c->o->paths[c->cur_arg];
    runit *u = unit_add(c);
    u->path = ds_xstrdup(path);
    struct stat st;
    const char *rel;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode) && strncmp(path, arg, strlen(arg)) == 0) {
        rel = path + strlen(arg);
        while (*rel == '/')
            rel++;
    } else {
        rel = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    }
    u->rel = ds_xstrdup(*rel ? rel : "input");
    return DS_OK;
}

static void on_expand_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    (void)bytes;
    rctx *c = ctx;
    runit *u = unit_add(c);
    u->skipped = 1;
    ds_buf_printf(&u->msg, "dsaudit: %s: skipped (%s); not copied\n", name, reason);
    u->done = 1;
}

static void on_expand_error(void *ctx, const ds_error *err)
{
    rctx *c = ctx;
    runit *u = unit_add(c);
    u->error = 1;
    ds_buf_printf(&u->msg, "dsaudit: %s: %s\n", err->where[0] ? err->where : "-", err->msg);
    u->done = 1;
}

/* ---- one unit ----------------------------------------------------------------- */

static void unit_msg(rworker *w, const char *where, const char *msg)
{
    if (++w->nerr <= MAX_ERRORS_PER_UNIT)
        ds_buf_printf(&w->u->msg, "dsaudit: %s: %s\n", where && *where ? where : "-", msg);
}

/* Components of a leaf name below the unit: [rel, member, member...]. */
static size_t split_name(rworker *w, const char *name, char ***out)
{
    const char *rest = name;
    size_t pl = strlen(w->prefix);
    if (strncmp(name, w->prefix, pl) == 0 && (name[pl] == 0 || name[pl] == '!'))
        rest = name + pl;
    else
        rest = strchr(name, '!') ? strchr(name, '!') : name + strlen(name);
    size_t n = 1, cap = 4;
    char **v = ds_xmalloc(cap * sizeof *v);
    v[0] = ds_xstrdup(w->u->rel);
    while (*rest == '!') {
        rest++;
        const char *e = strchr(rest, '!');
        size_t len = e ? (size_t)(e - rest) : strlen(rest);
        v = ds_xgrow(v, &cap, n + 1, sizeof *v);
        v[n++] = ds_xstrndup(rest, len);
        rest += len;
    }
    *out = v;
    return n;
}

static ds_status null_write(void *ctx, const void *p, size_t n, ds_error *err)
{
    (void)ctx;
    (void)p;
    (void)n;
    (void)err;
    return DS_OK;
}

static ds_status on_input(void *ctx, const char *name, ds_format fmt, ds_stream *st)
{
    rworker *w = ctx;
    rctx *c = w->c;
    ds_error err;
    ds_error_clear(&err);
    ds_rwriter wr = {NULL, null_write};
    char **comps = NULL;
    size_t nc = split_name(w, name, &comps);
    ds_status rc = DS_OK;
    if (!c->o->dry_run) {
        if (!w->tree)
            w->tree = ds_rtree_new(c->o->out, w->u->rel, w->u->path);
        rc = ds_rtree_begin_leaf(w->tree, comps, nc, &wr, &err);
    }
    if (rc == DS_OK) {
        ds_rsummary fsum;
        memset(&fsum, 0, sizeof fsum);
        ds_redact_file_stats fs;
        rc = ds_redact_stream(w->red, fmt, st, &wr, &fsum, &fs, &err);
        int ok = rc == DS_OK;
        if (!c->o->dry_run) {
            ds_error e2;
            ds_error_clear(&e2);
            ds_status r2 = ds_rtree_end_leaf(w->tree, ok, &e2);
            if (ok && r2 != DS_OK) {
                rc = r2;
                err = e2;
                ok = 0;
            }
        }
        if (ok) {
            fsum.files = 1;
            ds_rsummary_merge(&w->u->sum, &fsum);
            w->u->written++;
        }
        ds_rsummary_free(&fsum);
    }
    if (rc != DS_OK) {
        w->u->failed++;
        w->u->error = 1;
        char msg[700];
        snprintf(msg, sizeof msg, "%s; not written", err.msg);
        unit_msg(w, err.where[0] ? err.where : name, msg);
    }
    for (size_t i = 0; i < nc; i++)
        free(comps[i]);
    free(comps);
    return DS_OK;
}

static void on_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    (void)bytes;
    rworker *w = ctx;
    w->u->skipped++;
    char msg[600];
    snprintf(msg, sizeof msg, "skipped (%s); not copied", reason);
    unit_msg(w, name, msg);
}

static void on_error(void *ctx, const ds_error *err)
{
    rworker *w = ctx;
    w->u->error = 1;
    unit_msg(w, err->where, err->msg);
}

static void run_unit(rworker *w, runit *u)
{
    w->u = u;
    w->prefix = u->path;
    w->nerr = 0;
    w->tree = NULL;
    ds_walk_visitor v = {w, on_input, on_skip, on_error};
    ds_error err;
    ds_error_clear(&err);
    const char *paths[1] = {u->path};
    ds_status rc = ds_walk(paths, 1, &w->c->walk, &v, &err);
    if (rc != DS_OK && rc != DS_DONE) {
        u->error = 1;
        unit_msg(w, err.where[0] ? err.where : u->path, err.msg);
    }
    if (w->tree) {
        ds_error_clear(&err);
        if (ds_rtree_close(w->tree, 1, &err) != DS_OK) {
            u->error = 1;
            unit_msg(w, err.where[0] ? err.where : u->path, err.msg);
        }
        ds_rtree_free(w->tree);
        w->tree = NULL;
    }
    if (w->nerr > MAX_ERRORS_PER_UNIT)
        ds_buf_printf(&u->msg, "dsaudit: %s: %llu more errors not shown\n", u->path,
                      (unsigned long long)(w->nerr - MAX_ERRORS_PER_UNIT));
    w->u = NULL;
}

static void *worker_main(void *arg)
{
    rworker *w = arg;
    rctx *c = w->c;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (c->next < c->nu && c->u[c->next]->done)
            c->next++;
        if (c->next >= c->nu) {
            pthread_mutex_unlock(&c->mu);
            return NULL;
        }
        runit *u = c->u[c->next++];
        pthread_mutex_unlock(&c->mu);
        run_unit(w, u);
        pthread_mutex_lock(&c->mu);
        u->done = 1;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
}

/* ---- summary ---------------------------------------------------------------- */

static void summary_text(const rctx *c, const ds_rsummary *s, uint64_t failed, uint64_t skipped,
                         FILE *f)
{
    const rd_opts *o = c->o;
    fprintf(f,
            "dsaudit redact: %llu file%s %s%s%s, %llu records, %llu values changed, %llu "
            "dropped\n",
            (unsigned long long)s->files, s->files == 1 ? "" : "s",
            o->dry_run ? "checked (dry run, nothing written)" : "written to ",
            o->dry_run ? "" : o->out, "", (unsigned long long)s->records,
            (unsigned long long)s->values_changed, (unsigned long long)s->values_dropped);
    if (failed || skipped)
        fprintf(f, "not written: %llu failed, %llu skipped (see the messages above)\n",
                (unsigned long long)failed, (unsigned long long)skipped);
    if (s->n) {
        size_t wf = 5, wt = 4;
        for (size_t i = 0; i < s->n; i++) {
            size_t a = strlen(s->e[i].field), b = strlen(s->e[i].type);
            if (a > wf)
                wf = a > 40 ? 40 : a;
            if (b > wt)
                wt = b;
        }
        fprintf(f, "\n  %-*s  %-*s  %-12s  %s\n", (int)wf, "field", (int)wt, "type", "action",
                "count");
        for (size_t i = 0; i < s->n; i++)
            fprintf(f, "  %-*s  %-*s  %-12s  %llu\n", (int)wf, s->e[i].field, (int)wt, s->e[i].type,
                    ds_raction_name(s->e[i].action), (unsigned long long)s->e[i].count);
    }
    fputs("\nby action:", f);
    int any = 0;
    for (int a = DS_RA_KEEP; a < DS_RA_COUNT; a++)
        if (s->by_action[a]) {
            fprintf(f, "%s %s %llu", any ? "," : "", ds_raction_name((ds_raction)a),
                    (unsigned long long)s->by_action[a]);
            any = 1;
        }
    fputs(any ? "\n" : " nothing to change\n", f);
}

static void gstr(yajl_gen g, const char *s)
{
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gnum(yajl_gen g, uint64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    yajl_gen_number(g, b, (size_t)n);
}

static void print_cb(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, ctx);
}

static void summary_json(const rctx *c, const ds_rsummary *s, uint64_t failed, uint64_t skipped,
                         int error, FILE *f)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    if (!g)
        return;
    yajl_gen_config(g, yajl_gen_print_callback, print_cb, f);
    yajl_gen_config(g, yajl_gen_validate_utf8, 0);
    yajl_gen_map_open(g);
    gstr(g, "out");
    if (c->o->out)
        gstr(g, c->o->out);
    else
        yajl_gen_null(g);
    gstr(g, "dry_run");
    yajl_gen_bool(g, c->o->dry_run);
    gstr(g, "complete");
    yajl_gen_bool(g, !error);
    gstr(g, "files");
    gnum(g, s->files);
    gstr(g, "failed");
    gnum(g, failed);
    gstr(g, "skipped");
    gnum(g, skipped);
    gstr(g, "records");
    gnum(g, s->records);
    gstr(g, "values_changed");
    gnum(g, s->values_changed);
    gstr(g, "values_dropped");
    gnum(g, s->values_dropped);
    gstr(g, "by_action");
    yajl_gen_map_open(g);
    for (int a = DS_RA_KEEP; a < DS_RA_COUNT; a++) {
        gstr(g, ds_raction_name((ds_raction)a));
        gnum(g, s->by_action[a]);
    }
    yajl_gen_map_close(g);
    gstr(g, "changes");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < s->n; i++) {
        yajl_gen_map_open(g);
        gstr(g, "field");
        gstr(g, s->e[i].field);
        gstr(g, "type");
        gstr(g, s->e[i].type);
        gstr(g, "action");
        gstr(g, ds_raction_name(s->e[i].action));
        gstr(g, "count");
        gnum(g, s->e[i].count);
        yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
    fputc('\n', f);
    yajl_gen_free(g);
}

/* ---- the command ------------------------------------------------------------ */

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Sidecars next to the inputs (a directory: inside it; a file: its own
 * directory), unless --metadata names one or --no-metadata. */
static int load_sidecars(rctx *c)
{
    ds_error err;
    ds_error_clear(&err);
    if (c->o->no_metadata)
        return 1;
    if (c->o->metadata) {
        if (ds_rpolicy_load_sidecar(c->pol, c->o->metadata, &err) != DS_OK) {
            fprintf(stderr, "dsaudit: %s: %s\n", err.where[0] ? err.where : c->o->metadata,
                    err.msg);
            return 0;
        }
        return 1;
    }
    for (size_t i = 0; i < c->o->npaths; i++) {
        const char *p = c->o->paths[i];
        struct stat st;
        ds_buf dir = {0};
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            ds_buf_puts(&dir, p);
        } else {
            const char *s = strrchr(p, '/');
            if (s)
                ds_buf_append(&dir, p, (size_t)(s - p) + (s == p));
            else
                ds_buf_puts(&dir, ".");
        }
        static const char *const names[] = {".dsaudit.yml", "dsaudit.yml"};
        for (size_t k = 0; k < 2; k++) {
            ds_buf f = {0};
            ds_buf_printf(&f, "%s/%s", dir.data, names[k]);
            if (stat(f.data, &st) == 0 && S_ISREG(st.st_mode)) {
                ds_error_clear(&err);
                if (ds_rpolicy_load_sidecar(c->pol, f.data, &err) != DS_OK) {
                    fprintf(stderr, "dsaudit: %s: %s\n", err.where[0] ? err.where : f.data,
                            err.msg);
                    ds_buf_free(&f);
                    ds_buf_free(&dir);
                    return 0;
                }
                ds_buf_free(&f);
                break;
            }
            ds_buf_free(&f);
        }
        ds_buf_free(&dir);
    }
    return 1;
}

int ds_cmd_redact(int argc, char **argv)
{
    rd_opts o;
    int prc = parse(argc, argv, &o);
    if (prc) {
        opts_free(&o);
        return prc == 1 ? 0 : 2;
    }
    /* archive member names are written as UTF-8 (pax, zip): libarchive
     * converts from the locale's charset, so make that UTF-8 */
    if (setlocale(LC_CTYPE, "") == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
    int status = 2;
    rctx c;
    memset(&c, 0, sizeof c);
    c.o = &o;
    ds_strlist ex = {NULL, 0};
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    /* cheap checks first: the rules take a while to compile */
    c.pol = ds_rpolicy_new();
    for (size_t i = 0; i < o.actions.n; i++)
        if (ds_rpolicy_add_spec(c.pol, o.actions.v[i], DS_RSRC_CLI, &err) != DS_OK) {
            fprintf(stderr, "dsaudit: redact: %s\n", err.msg);
            goto out;
        }
    if (o.policy_file && ds_rpolicy_load_file(c.pol, o.policy_file, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s%s%s\n", err.where, err.where[0] ? ": " : "", err.msg);
        goto out;
    }
    if (!load_sidecars(&c))
        goto out;
    /* the output directory: never inside an input unless --force */
    if (!o.dry_run) {
        c.out_real = real_or_parent(o.out);
        if (!c.out_real) {
            fprintf(stderr, "dsaudit: %s: cannot resolve the output directory\n", o.out);
            goto out;
        }
        for (size_t i = 0; i < o.npaths; i++) {
            char *in = realpath(o.paths[i], NULL);
            if (!in)
                continue; /* reported by the walk */
            struct stat st;
            int isdir = stat(in, &st) == 0 && S_ISDIR(st.st_mode);
            if (strcmp(in, c.out_real) == 0 || (isdir && under(c.out_real, in))) {
                if (!o.force) {
                    fprintf(stderr,
                            "dsaudit: %s: the output directory is inside the input '%s'; "
                            "choose another --out (or --force)\n",
                            o.out, o.paths[i]);
                    free(in);
                    goto out;
                }
                if (strcmp(in, c.out_real) == 0) {
                    fprintf(stderr, "dsaudit: %s: the output directory is the input '%s'\n", o.out,
                            o.paths[i]);
                    free(in);
                    goto out;
                }
                /* --force: leave the output tree out of the walk */
                ds_buf b = {0};
                ds_buf_printf(&b, "%s/%s", o.paths[i], c.out_real + strlen(in) + 1);
                char *g1 = glob_escape(b.data, ""), *g2 = glob_escape(b.data, "/*");
                list_add(&ex, g1, 0);
                list_add(&ex, g2, 0);
                free(g1);
                free(g2);
                ds_buf_free(&b);
            }
            free(in);
        }
    }
    rs = ds_cli_load_rules(o.rules_dir, &o.enable, &o.disable, &o.langs);
    if (!rs)
        goto out;
    c.rs = rs;
    /* the key: only when some action pseudonymises */
    if (ds_rpolicy_needs_key(c.pol, rs)) {
        ds_status krc = o.key_file ? ds_rkey_from_file(&c.key, o.key_file, &err)
                                   : ds_rkey_from_env(&c.key, &err);
        if (krc != DS_OK) {
            fprintf(stderr,
                    "dsaudit: redact: %s%s%s: pseudonymisation needs a secret key (--key-file "
                    "FILE or DSAUDIT_KEY); there is no default key. Or choose other actions, "
                    "e.g. --action category:personal=mask\n",
                    err.where[0] ? err.where : "", err.where[0] ? ": " : "", err.msg);
            goto out;
        }
        c.have_key = 1;
    }
    if (!o.dry_run) {
        if (mkdir(o.out, 0700) != 0 && errno != EEXIST) {
            char *dup = ds_xstrdup(c.out_real);
            /* create parents too */
            for (char *p = dup + 1; *p; p++)
                if (*p == '/') {
                    *p = 0;
                    mkdir(dup, 0700);
                    *p = '/';
                }
            free(dup);
            if (mkdir(o.out, 0700) != 0 && errno != EEXIST) {
                fprintf(stderr, "dsaudit: %s: cannot create: %s\n", o.out, strerror(errno));
                goto out;
            }
        }
    }
    for (size_t i = 0; i < o.exclude.n; i++)
        list_add(&ex, o.exclude.v[i], 0);

    ds_walk_opts_default(&c.walk);
    c.walk.max_depth = o.max_depth;
    c.walk.max_ratio = o.max_ratio;
    c.walk.max_bytes = o.max_bytes;
    c.walk.max_entries = o.max_entries;
    c.walk.follow_symlinks = o.follow_symlinks;
    c.walk.stream.decode = 1;
    c.walk.exclude = (const char *const *)ex.v;
    c.walk.nexclude = ex.n;

    ds_walk_visitor ev = {&c, NULL, on_expand_skip, on_expand_error};
    for (size_t i = 0; i < o.npaths; i++) {
        c.cur_arg = i;
        const char *p1[1] = {o.paths[i]};
        ds_error_clear(&err);
        ds_status rc = ds_walk_expand(p1, 1, &c.walk, &ev, on_unit, &err);
        if (rc != DS_OK && rc != DS_DONE) {
            runit *u = unit_add(&c);
            u->error = 1;
            u->done = 1;
            ds_buf_printf(&u->msg, "dsaudit: %s: %s\n", err.where[0] ? err.where : o.paths[i],
                          err.msg);
        }
    }
    /* two inputs must not write the same output */
    for (size_t i = 0; i < c.nu; i++)
        for (size_t j = 0; c.u[i]->rel && j < i; j++)
            if (c.u[j]->rel && strcmp(c.u[i]->rel, c.u[j]->rel) == 0 && !c.u[i]->done) {
                c.u[i]->done = 1;
                c.u[i]->error = 1;
                ds_buf_printf(&c.u[i]->msg,
                              "dsaudit: %s: same output path as %s (%s); not written\n",
                              c.u[i]->path, c.u[j]->path, c.u[i]->rel);
            }

    ds_detect_opts dopts = {o.min_confidence};
    ds_redact_opts ro = {c.pol, c.have_key ? &c.key : NULL, o.max_field};
    unsigned jobs = o.jobs ? o.jobs : default_jobs();
    if (jobs > c.nu)
        jobs = c.nu ? (unsigned)c.nu : 1;
    rworker *ws = ds_xcalloc(jobs, sizeof *ws);
    unsigned started = 0;
    for (unsigned i = 0; i < jobs; i++) {
        ws[i].c = &c;
        ds_error_clear(&err);
        if (ds_redactor_new(rs, &dopts, &ro, &ws[i].red, &err) != DS_OK) {
            fprintf(stderr, "dsaudit: %s\n", err.msg);
            break;
        }
        started++;
    }
    if (!started) {
        free(ws);
        goto out;
    }
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.cv, NULL);
    unsigned threads = 0;
    if (started > 1) {
        for (unsigned i = 0; i < started; i++) {
            if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i]) != 0)
                break;
            threads++;
        }
    }
    if (!threads)
        worker_main(&ws[0]);

    /* print in unit order as units complete */
    ds_rsummary total;
    memset(&total, 0, sizeof total);
    uint64_t failed = 0, skipped = 0;
    int error = 0;
    for (size_t i = 0; i < c.nu; i++) {
        pthread_mutex_lock(&c.mu);
        while (!c.u[i]->done)
            pthread_cond_wait(&c.cv, &c.mu);
        pthread_mutex_unlock(&c.mu);
        runit *u = c.u[i];
        if (u->msg.len)
            fwrite(u->msg.data, 1, u->msg.len, stderr);
        ds_rsummary_merge(&total, &u->sum);
        failed += u->failed;
        skipped += u->skipped;
        if (u->error)
            error = 1;
    }
    for (unsigned i = 0; i < threads; i++)
        pthread_join(ws[i].th, NULL);
    for (unsigned i = 0; i < started; i++)
        ds_redactor_free(ws[i].red);
    free(ws);
    pthread_mutex_destroy(&c.mu);
    pthread_cond_destroy(&c.cv);
    ds_rsummary_sort(&total);
    fflush(stderr);
    if (o.json)
        summary_json(&c, &total, failed, skipped, error, stdout);
    else if (!o.quiet || error)
        summary_text(&c, &total, failed, skipped, stdout);
    fflush(stdout);
    ds_rsummary_free(&total);
    status = error ? 2 : 0;
out:
    for (size_t i = 0; i < c.nu; i++) {
        free(c.u[i]->path);
        free(c.u[i]->rel);
        ds_buf_free(&c.u[i]->msg);
        ds_rsummary_free(&c.u[i]->sum);
        free(c.u[i]);
    }
    free(c.u);
    free(c.out_real);
    memset(&c.key, 0, sizeof c.key);
    list_free(&ex);
    ds_rpolicy_free(c.pol);
    ds_ruleset_free(rs);
    opts_free(&o);
    return status;
}
