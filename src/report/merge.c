/* report: reading JSON reports back and merging them (see merge.h). */
#include "report/merge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "common/hll.h"
#include "common/mem.h"
#include "report/json_out.h"

#define MAX_DEPTH 64

typedef struct rfile {
    ds_file_result f;
    char **find; /* the file's findings, compact JSON, in order */
    size_t nfind, cfind;
} rfile;

struct ds_report_in {
    yajl_val tree;
    char *version, *digest, *sketch, *settings;
    char **argv;
    size_t argc;
    unsigned shard_k, shard_n; /* shard_k 1-based; n 0: not a shard */
    uint64_t findings, failing, baselined, limit_hits, checks_failing;
    uint64_t max_findings, listed, total_listed_claim;
    int incomplete, truncated, has_highest;
    char *limit_rule;
    ds_severity highest, fail_on;
    ds_message *errors;
    size_t nerrors;
    rfile *files;
    size_t nfiles, cfiles;
    ds_checks *checks;
    char **pool;
    size_t npool, cpool;
};

/* ---- small tree helpers ------------------------------------------------------ */

static yajl_val get(yajl_val obj, const char *key)
{
    if (!obj || !YAJL_IS_OBJECT(obj))
        return NULL;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], key) == 0)
            return obj->u.object.values[i];
    return NULL;
}

static int get_u64(yajl_val obj, const char *key, uint64_t *out)
{
    yajl_val v = get(obj, key);
    if (!v || !YAJL_IS_NUMBER(v))
        return 0;
    const char *raw = YAJL_GET_NUMBER(v);
    if (!raw || !*raw || raw[0] == '-' || strspn(raw, "0123456789") != strlen(raw))
        return 0;
    char *end;
    errno = 0;
    unsigned long long u = strtoull(raw, &end, 10);
    if (*end || errno)
        return 0;
    *out = u;
    return 1;
}

/* string or null: 1 with *out (NULL for null); 0 when missing or wrong type */
static int get_str_or_null(yajl_val obj, const char *key, const char **out)
{
    yajl_val v = get(obj, key);
    if (!v)
        return 0;
    if (YAJL_IS_NULL(v)) {
        *out = NULL;
        return 1;
    }
    if (!YAJL_IS_STRING(v))
        return 0;
    *out = YAJL_GET_STRING(v);
    return 1;
}

static const char *get_str(yajl_val obj, const char *key)
{
    yajl_val v = get(obj, key);
    return v && YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

static int get_bool(yajl_val obj, const char *key, int *out)
{
    yajl_val v = get(obj, key);
    if (!v || !(YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)))
        return 0;
    *out = YAJL_IS_TRUE(v);
    return 1;
}

static char *xdup(const char *s)
{
    return s ? ds_xstrdup(s) : NULL;
}

static const char *intern(char ***pool, size_t *n, size_t *cap, const char *s)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*pool)[i], s) == 0)
            return (*pool)[i];
    *pool = ds_xgrow(*pool, cap, *n + 1, sizeof **pool);
    (*pool)[*n] = ds_xstrdup(s);
    return (*pool)[(*n)++];
}

/* Serialise a tree value: compact (",", ":") or spaced (", ", ": "), numbers
 * as their original text, so that what the writer produced comes back
 * byte for byte. 0 when too deep. */
static int ser(ds_buf *b, yajl_val v, int spaced, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    if (YAJL_IS_STRING(v)) {
        ds_json_cstr(b, YAJL_GET_STRING(v));
    } else if (YAJL_IS_NUMBER(v)) {
        ds_buf_puts(b, YAJL_GET_NUMBER(v));
    } else if (YAJL_IS_TRUE(v)) {
        ds_buf_puts(b, "true");
    } else if (YAJL_IS_FALSE(v)) {
        ds_buf_puts(b, "false");
    } else if (YAJL_IS_NULL(v)) {
        ds_buf_puts(b, "null");
    } else if (YAJL_IS_OBJECT(v)) {
        ds_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.object.len; i++) {
            if (i)
                ds_buf_puts(b, spaced ? ", " : ",");
            ds_json_cstr(b, v->u.object.keys[i]);
            ds_buf_puts(b, spaced ? ": " : ":");
            if (!ser(b, v->u.object.values[i], spaced, depth + 1))
                return 0;
        }
        ds_buf_putc(b, '}');
    } else if (YAJL_IS_ARRAY(v)) {
        ds_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.array.len; i++) {
            if (i)
                ds_buf_puts(b, spaced ? ", " : ",");
            if (!ser(b, v->u.array.values[i], spaced, depth + 1))
                return 0;
        }
        ds_buf_putc(b, ']');
    }
    return 1;
}

static char *ser_dup(yajl_val v, int spaced)
{
    ds_buf b = {0};
    if (!ser(&b, v, spaced, 0)) {
        ds_buf_free(&b);
        return NULL;
    }
    ds_buf_putc(&b, 0);
    return b.data;
}

static int parse_format(const char *s, ds_format *out)
{
    for (int f = DS_FORMAT_UNKNOWN; f <= DS_FORMAT_TEXT; f++)
        if (strcmp(ds_format_name((ds_format)f), s) == 0) {
            *out = (ds_format)f;
            return 1;
        }
    return 0;
}

static int parse_sev(const char *s, ds_severity *out)
{
    return s && ds_severity_parse(s, out);
}

void ds_report_in_free(ds_report_in *r)
{
    if (!r)
        return;
    yajl_tree_free(r->tree);
    free(r->version);
    free(r->digest);
    free(r->sketch);
    free(r->settings);
    for (size_t i = 0; i < r->argc; i++)
        free(r->argv[i]);
    free(r->argv);
    free(r->limit_rule);
    for (size_t i = 0; i < r->nerrors; i++) {
        free(r->errors[i].where);
        free(r->errors[i].msg);
    }
    free(r->errors);
    for (size_t i = 0; i < r->nfiles; i++) {
        ds_file_result *f = &r->files[i].f;
        free(f->name);
        free(f->skip_reason);
        free(f->error);
        ds_agg_free(f->agg);
        for (size_t k = 0; k < r->files[i].nfind; k++)
            free(r->files[i].find[k]);
        free(r->files[i].find);
    }
    free(r->files);
    ds_checks_free(r->checks);
    for (size_t i = 0; i < r->npool; i++)
        free(r->pool[i]);
    free(r->pool);
    free(r);
}

#define BAD(...) (ds_error_set(err, DS_EFORMAT, NULL, __VA_ARGS__), 0)

static const char *pool_str(ds_report_in *r, const char *s)
{
    return intern(&r->pool, &r->npool, &r->cpool, s);
}

static int read_files(ds_report_in *r, yajl_val files, ds_error *err)
{
    if (!files || !YAJL_IS_ARRAY(files))
        return BAD("\"files\" is not an array");
    for (size_t i = 0; i < files->u.array.len; i++) {
        yajl_val o = files->u.array.values[i];
        const char *path = get_str(o, "path"), *fmt = get_str(o, "format");
        const char *status = get_str(o, "status"), *enc, *error, *skip;
        r->files = ds_xgrow(r->files, &r->cfiles, r->nfiles + 1, sizeof *r->files);
        rfile *rf = &r->files[r->nfiles];
        memset(rf, 0, sizeof *rf);
        ds_file_result *f = &rf->f;
        if (!path || !fmt || !status || !parse_format(fmt, &f->format) ||
            !get_str_or_null(o, "encoding", &enc) || !get_str_or_null(o, "error", &error) ||
            !get_str_or_null(o, "skip_reason", &skip))
            return BAD("files[%zu]: path, format, status, encoding, error or skip_reason "
                       "missing or invalid",
                       i);
        r->nfiles++;
        f->name = ds_xstrdup(path);
        if (strcmp(status, "ok") == 0)
            f->status = DS_FILE_OK;
        else if (strcmp(status, "incomplete") == 0)
            f->status = DS_FILE_INCOMPLETE;
        else if (strcmp(status, "skipped") == 0)
            f->status = DS_FILE_SKIPPED;
        else
            return BAD("files[%zu]: unknown status \"%s\"", i, status);
        f->encoding = pool_str(r, enc);
        f->error = xdup(error);
        f->skip_reason = xdup(skip);
        if (f->status == DS_FILE_SKIPPED && !f->skip_reason)
            f->skip_reason = ds_xstrdup("");
        if (!get_u64(o, "records", &f->records) || !get_u64(o, "bytes", &f->bytes) ||
            !get_u64(o, "malformed", &f->malformed) || !get_u64(o, "ragged", &f->ragged) ||
            !get_u64(o, "invalid_utf8", &f->invalid_utf8) ||
            !get_u64(o, "windowed", &f->windowed) || !get_u64(o, "errors", &f->nerrors) ||
            !get_u64(o, "records_scanned", &f->records_scanned) ||
            !get_bool(o, "truncated", &f->truncated))
            return BAD("files[%zu] (%s): a count is missing or not a non-negative integer", i,
                       path);
        if (f->status != DS_FILE_SKIPPED)
            f->agg = ds_agg_new();
    }
    return 1;
}

static int read_fields(ds_report_in *r, yajl_val fields, ds_error *err)
{
    if (!fields || !YAJL_IS_ARRAY(fields))
        return BAD("\"fields\" is not an array");
    size_t fp = 0;
    for (size_t i = 0; i < fields->u.array.len; i++) {
        yajl_val o = fields->u.array.values[i];
        const char *file = get_str(o, "file"), *name = get_str(o, "field"), *hint, *hrule;
        uint64_t records;
        yajl_val types = get(o, "types");
        if (!file || !name || !get_u64(o, "records", &records) || !types ||
            !YAJL_IS_ARRAY(types) || !get_str_or_null(o, "hint", &hint) ||
            !get_str_or_null(o, "hint_rule", &hrule) || (hint && !hrule))
            return BAD("fields[%zu]: file, field, records, hint or types missing or invalid", i);
        while (fp < r->nfiles && strcmp(r->files[fp].f.name, file) != 0)
            fp++;
        if (fp == r->nfiles || !r->files[fp].f.agg)
            return BAD("fields[%zu]: file \"%s\" is not a file read, in files order", i, file);
        ds_field_agg *fa = ds_agg_put_field(r->files[fp].f.agg, name);
        fa->records = records;
        fa->name_hint = pool_str(r, hint);
        fa->name_hint_rule = hint ? pool_str(r, hrule) : NULL;
        for (size_t k = 0; k < types->u.array.len; k++) {
            yajl_val t = types->u.array.values[k];
            const char *type = get_str(t, "type"), *cat, *sketch;
            ds_severity sev;
            uint64_t nf, nr;
            if (!type || !get_str_or_null(t, "category", &cat) ||
                !parse_sev(get_str(t, "severity"), &sev) || !get_u64(t, "findings", &nf) ||
                !get_u64(t, "records", &nr) || !get_str_or_null(t, "sketch", &sketch))
                return BAD("fields[%zu].types[%zu]: a member is missing or invalid", i, k);
            ds_type_agg *ta = ds_agg_put_type(fa, pool_str(r, type), pool_str(r, cat));
            ta->severity = sev;
            ta->findings = nf;
            ta->records = nr;
            if (sketch) {
                ta->hll = ds_hll_decode(sketch, strlen(sketch));
                if (!ta->hll)
                    return BAD("fields[%zu].types[%zu]: invalid sketch", i, k);
            }
        }
    }
    return 1;
}

static int read_checks(ds_report_in *r, yajl_val c, ds_error *err)
{
    if (!c || YAJL_IS_NULL(c))
        return 1;
    yajl_val list = get(c, "checks"), dpia = get(c, "dpia");
    yajl_val crit = get(dpia, "criteria");
    const char *mp, *mf, *sd;
    if (!YAJL_IS_OBJECT(c) || !list || !YAJL_IS_ARRAY(list) || !crit || !YAJL_IS_ARRAY(crit) ||
        !get_str_or_null(c, "metadata_path", &mp) || !get_str_or_null(c, "metadata_format", &mf) ||
        !get_str_or_null(c, "scan_date", &sd))
        return BAD("\"checks\" is not a checks object");
    ds_checks *k = r->checks = ds_xcalloc(1, sizeof *k);
    k->metadata_path = xdup(mp);
    k->metadata_format = xdup(mf);
    k->scan_date = xdup(sd);
    k->v = ds_xcalloc(list->u.array.len + 1, sizeof *k->v);
    for (size_t i = 0; i < list->u.array.len; i++) {
        yajl_val o = list->u.array.values[i];
        const char *id = get_str(o, "id"), *title = get_str(o, "title"), *st = get_str(o, "status");
        const char *ev, *basis, *remedy;
        ds_check *ck = &k->v[k->n];
        if (!id || !title || !st || !parse_sev(get_str(o, "severity"), &ck->severity) ||
            !get_str_or_null(o, "evidence", &ev) || !get_str_or_null(o, "basis", &basis) ||
            !get_str_or_null(o, "remedy", &remedy))
            return BAD("checks.checks[%zu]: a member is missing or invalid", i);
        int s = -1;
        for (int j = 0; j < 4; j++)
            if (strcmp(ds_check_status_name((ds_check_status)j), st) == 0)
                s = j;
        if (s < 0)
            return BAD("checks.checks[%zu]: unknown status \"%s\"", i, st);
        ck->status = (ds_check_status)s;
        ck->id = ds_xstrdup(id);
        ck->title = ds_xstrdup(title);
        ck->evidence = xdup(ev);
        ck->basis = xdup(basis);
        ck->remedy = xdup(remedy);
        k->n++;
    }
    k->dpia = ds_xcalloc(crit->u.array.len + 1, sizeof *k->dpia);
    for (size_t i = 0; i < crit->u.array.len; i++) {
        yajl_val o = crit->u.array.values[i];
        const char *id = get_str(o, "id"), *title = get_str(o, "title"), *ev;
        yajl_val met = get(o, "met");
        if (!id || !title || !met || !get_str_or_null(o, "evidence", &ev) ||
            !(YAJL_IS_TRUE(met) || YAJL_IS_FALSE(met) || YAJL_IS_NULL(met)))
            return BAD("checks.dpia.criteria[%zu]: a member is missing or invalid", i);
        ds_dpia_criterion *d = &k->dpia[k->ndpia++];
        d->id = ds_xstrdup(id);
        d->title = ds_xstrdup(title);
        d->evidence = xdup(ev);
        d->met = YAJL_IS_TRUE(met) ? 1 : YAJL_IS_FALSE(met) ? 0 : -1;
    }
    uint64_t score;
    int req;
    if (!get_u64(dpia, "score", &score) || score > 1000 || !get_bool(dpia, "required", &req))
        return BAD("checks.dpia: score or required missing or invalid");
    k->dpia_score = (int)score;
    k->dpia_required = req;
    return 1;
}

static int read_findings(ds_report_in *r, yajl_val list, yajl_val listed, ds_error *err)
{
    if (!list || !YAJL_IS_ARRAY(list) || !listed || !YAJL_IS_OBJECT(listed))
        return BAD("\"findings\" or \"findings_listed\" missing or invalid");
    yajl_val max = get(listed, "max");
    uint64_t total;
    if (!max || !get_u64(listed, "listed", &r->listed) || !get_u64(listed, "total", &total) ||
        !get_bool(listed, "truncated", &r->truncated))
        return BAD("\"findings_listed\" is incomplete");
    if (YAJL_IS_NULL(max))
        r->max_findings = UINT64_MAX;
    else if (!get_u64(listed, "max", &r->max_findings))
        return BAD("findings_listed.max is not an integer");
    if (r->listed != list->u.array.len || total != r->findings || r->listed > r->max_findings ||
        r->truncated != (r->listed < total) || r->listed > total ||
        (r->truncated && r->listed != r->max_findings))
        return BAD("\"findings_listed\" does not match the list and the summary");
    size_t fp = 0;
    for (size_t i = 0; i < list->u.array.len; i++) {
        yajl_val o = list->u.array.values[i];
        const char *file = get_str(o, "file");
        if (!file || !YAJL_IS_OBJECT(o))
            return BAD("findings[%zu] is not a finding", i);
        while (fp < r->nfiles && strcmp(r->files[fp].f.name, file) != 0)
            fp++;
        if (fp == r->nfiles)
            return BAD("findings[%zu]: file \"%s\" not in files, or out of order", i, file);
        char *s = ser_dup(o, 0);
        if (!s)
            return BAD("findings[%zu] is nested too deeply", i);
        rfile *rf = &r->files[fp];
        rf->find = ds_xgrow(rf->find, &rf->cfind, rf->nfind + 1, sizeof *rf->find);
        rf->find[rf->nfind++] = s;
    }
    return 1;
}

ds_status ds_report_parse(const char *text, size_t len, ds_report_in **out, ds_error *err)
{
    *out = NULL;
    if (len > DS_MERGE_MAX_REPORT)
        return ds_error_set(err, DS_ELIMIT, NULL, "report larger than %zu bytes",
                            DS_MERGE_MAX_REPORT);
    if (memchr(text, 0, len))
        return ds_error_set(err, DS_EFORMAT, NULL, "not a JSON report (NUL byte)");
    char *z = ds_xmalloc(len + 1);
    memcpy(z, text, len);
    z[len] = 0;
    char ebuf[256] = "";
    yajl_val tree = yajl_tree_parse(z, ebuf, sizeof ebuf);
    free(z);
    if (!tree) {
        char *nl = strchr(ebuf, '\n');
        if (nl)
            *nl = 0;
        return ds_error_set(err, DS_EFORMAT, NULL, "not valid JSON: %s",
                            ebuf[0] ? ebuf : "parse error");
    }
    ds_report_in *r = ds_xcalloc(1, sizeof *r);
    r->tree = tree;
    const char *schema = get_str(tree, "schema");
    if (!schema || strcmp(schema, "dsaudit.report/1") != 0) {
        ds_error_set(err, DS_EFORMAT, NULL,
                     schema ? "schema \"%.100s\" is not dsaudit.report/1"
                            : "not a dsaudit report (no \"schema\")%s",
                     schema ? schema : "");
        ds_report_in_free(r);
        return DS_EFORMAT;
    }
    yajl_val tool = get(tree, "tool"), run = get(tree, "run"), sum = get(tree, "summary");
    yajl_val args = get(run, "arguments"), settings = get(run, "settings");
    yajl_val shard = get(run, "shard"), errors = get(sum, "errors");
    const char *ver = get_str(tool, "version"), *dig = get_str(tool, "rules_digest");
    const char *lr;
    int ok = 1;
    if (!ver || !dig || !get(tool, "sketch") || !args || !YAJL_IS_ARRAY(args) || !settings ||
        !YAJL_IS_OBJECT(settings) || !shard || !sum || !errors || !YAJL_IS_ARRAY(errors) ||
        !get_str_or_null(sum, "limit_rule", &lr)) {
        ok = BAD("tool, run or summary incomplete");
        goto done;
    }
    r->version = ds_xstrdup(ver);
    r->digest = ds_xstrdup(dig);
    r->sketch = ser_dup(get(tool, "sketch"), 1);
    r->settings = ser_dup(settings, 1);
    if (!r->sketch || !r->settings) {
        ok = BAD("tool.sketch or run.settings nested too deeply");
        goto done;
    }
    r->argv = ds_xcalloc(args->u.array.len + 1, sizeof *r->argv);
    for (size_t i = 0; i < args->u.array.len; i++) {
        if (!YAJL_IS_STRING(args->u.array.values[i])) {
            ok = BAD("run.arguments holds a non-string");
            goto done;
        }
        r->argv[r->argc++] = ds_xstrdup(YAJL_GET_STRING(args->u.array.values[i]));
    }
    if (!YAJL_IS_NULL(shard)) {
        uint64_t k, n;
        if (!get_u64(shard, "k", &k) || !get_u64(shard, "n", &n) || k < 1 || k > n ||
            n > (1u << 20)) {
            ok = BAD("run.shard is not {\"k\": K, \"n\": N} with 1 <= K <= N");
            goto done;
        }
        r->shard_k = (unsigned)k;
        r->shard_n = (unsigned)n;
    }
    const char *hs;
    if (!get_u64(sum, "findings", &r->findings) ||
        !get_u64(sum, "findings_failing", &r->failing) ||
        !get_u64(sum, "findings_baselined", &r->baselined) ||
        !get_u64(sum, "limit_hits", &r->limit_hits) ||
        !get_u64(sum, "checks_failing", &r->checks_failing) ||
        !get_bool(sum, "incomplete", &r->incomplete) ||
        !parse_sev(get_str(sum, "fail_on"), &r->fail_on) ||
        !get_str_or_null(sum, "highest_severity", &hs) ||
        (hs && !parse_sev(hs, &r->highest))) {
        ok = BAD("summary: a count, fail_on or highest_severity is missing or invalid");
        goto done;
    }
    r->has_highest = hs != NULL;
    r->limit_rule = xdup(lr);
    r->errors = ds_xcalloc(errors->u.array.len + 1, sizeof *r->errors);
    for (size_t i = 0; i < errors->u.array.len; i++) {
        yajl_val e = errors->u.array.values[i];
        const char *w = get_str(e, "where"), *m = get_str(e, "message");
        if (!w || !m) {
            ok = BAD("summary.errors[%zu] is not {where, message}", i);
            goto done;
        }
        r->errors[r->nerrors].where = ds_xstrdup(w);
        r->errors[r->nerrors].msg = ds_xstrdup(m);
        r->nerrors++;
    }
    ok = read_files(r, get(tree, "files"), err) && read_fields(r, get(tree, "fields"), err) &&
         read_checks(r, get(tree, "checks"), err) &&
         read_findings(r, get(tree, "findings"), get(tree, "findings_listed"), err);
done:
    /* the tree is not needed any more */
    yajl_tree_free(r->tree);
    r->tree = NULL;
    if (!ok) {
        ds_report_in_free(r);
        return DS_EFORMAT;
    }
    *out = r;
    return DS_OK;
}

/* ---- merging ----------------------------------------------------------------- */

int ds_path_cmp(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
        size_t m = la < lb ? la : lb;
        int c = memcmp(a, b, m);
        if (c)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
        if (!a[la] || !b[lb])
            return (a[la] != 0) - (b[lb] != 0);
        a += la + 1;
        b += lb + 1;
    }
}

/* the top-level input a name belongs to: the part before the first '!' */
static int unit_cmp(const char *a, const char *b)
{
    size_t la = strcspn(a, "!"), lb = strcspn(b, "!");
    char *x = ds_xstrndup(a, la), *y = ds_xstrndup(b, lb);
    int c = ds_path_cmp(x, y);
    free(x);
    free(y);
    return c;
}

typedef struct entry {
    size_t rep, file; /* report (in merge order), file index in it */
} entry;

static ds_report_in **sort_reps;

static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = unit_cmp(sort_reps[a->rep]->files[a->file].f.name,
                     sort_reps[b->rep]->files[b->file].f.name);
    if (c)
        return c;
    if (a->rep != b->rep)
        return a->rep < b->rep ? -1 : 1;
    return a->file < b->file ? -1 : a->file > b->file;
}

typedef struct err_entry {
    ds_message m;
    size_t seq;
} err_entry;

static int err_cmp(const void *pa, const void *pb)
{
    const err_entry *a = pa, *b = pb;
    int c = unit_cmp(a->m.where, b->m.where);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

typedef struct src_ref {
    size_t rep, file;
} src_ref;

void ds_merged_free(ds_merged *m)
{
    ds_scan_result_free(&m->res);
    ds_findings_spool_free(m->findings);
    for (size_t i = 0; i < m->argc; i++)
        free(m->argv[i]);
    free(m->argv);
    free(m->settings);
    free(m->digest);
    free(m->version);
    for (size_t i = 0; i < m->npool; i++)
        free(m->pool[i]);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

ds_status ds_report_merge(ds_report_in **in, const char *const *names, size_t n,
                          ds_merge_file_fn merge_file, ds_merged *out, ds_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return ds_error_set(err, DS_EINVAL, NULL, "no report to merge");
    /* merge order: by shard when every report is a shard */
    size_t *ord = ds_xcalloc(n, sizeof *ord);
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    int all_shards = 1;
    for (size_t i = 0; i < n; i++)
        all_shards &= in[i]->shard_n != 0;
    if (all_shards)
        for (size_t i = 1; i < n; i++) /* insertion sort: stable */
            for (size_t j = i; j > 0 && in[ord[j - 1]]->shard_k > in[ord[j]]->shard_k; j--) {
                size_t t = ord[j];
                ord[j] = ord[j - 1];
                ord[j - 1] = t;
            }
    ds_report_in **rep = ds_xcalloc(n, sizeof *rep);
    for (size_t i = 0; i < n; i++)
        rep[i] = in[ord[i]];
    ds_status rc = DS_OK;
    const ds_report_in *r0 = rep[0];
    for (size_t i = 0; i < n && rc == DS_OK; i++) {
        const ds_report_in *r = rep[i];
        const char *nm = names ? names[ord[i]] : "report";
        const char *what = strcmp(r->version, r0->version) != 0     ? "dsaudit version"
                           : strcmp(r->digest, r0->digest) != 0     ? "rules (tool.rules_digest)"
                           : strcmp(r->sketch, r0->sketch) != 0     ? "sketch parameters"
                           : strcmp(r->settings, r0->settings) != 0 ? "settings (run.settings)"
                           : r->max_findings != r0->max_findings    ? "--max-findings"
                           : r->fail_on != r0->fail_on              ? "--fail-on"
                                                                    : NULL;
        if (what)
            rc = ds_error_set(err, DS_EINVAL, nm, "cannot be merged with %s: different %s",
                              names ? names[ord[0]] : "the first report", what);
        else if (all_shards && i && r->shard_n != r0->shard_n)
            rc = ds_error_set(err, DS_EINVAL, nm, "shard of %u, not of %u like %s", r->shard_n,
                              r0->shard_n, names ? names[ord[0]] : "the first report");
        else if (all_shards && i && r->shard_k == rep[i - 1]->shard_k)
            rc = ds_error_set(err, DS_EINVAL, nm, "shard %u/%u given twice", r->shard_k,
                              r->shard_n);
    }
    if (rc != DS_OK) {
        free(ord);
        free(rep);
        return rc;
    }

    /* files in merged order */
    size_t nent = 0;
    for (size_t i = 0; i < n; i++)
        nent += rep[i]->nfiles;
    entry *ent = ds_xcalloc(nent + 1, sizeof *ent);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < rep[i]->nfiles; j++)
            ent[k++] = (entry){i, j};
    sort_reps = rep;
    qsort(ent, nent, sizeof *ent, entry_cmp);
    sort_reps = NULL;

    ds_scan_result *res = &out->res;
    src_ref *srcs = ds_xcalloc(nent + 1, sizeof *srcs);
    size_t *first_src = ds_xcalloc(nent + 1, sizeof *first_src); /* per merged file */
    size_t last_rep = SIZE_MAX;
    for (size_t e = 0; e < nent; e++) {
        rfile *rf = &rep[ent[e].rep]->files[ent[e].file];
        ds_file_result *last = res->nfiles ? &res->files[res->nfiles - 1] : NULL;
        srcs[e] = (src_ref){ent[e].rep, ent[e].file};
        if (last && last_rep != ent[e].rep && merge_file && strcmp(last->name, rf->f.name) == 0 &&
            last->status != DS_FILE_SKIPPED && rf->f.status != DS_FILE_SKIPPED) {
            merge_file(last, &rf->f);
        } else {
            res->files = ds_xgrow(res->files, &res->fcap, res->nfiles + 1, sizeof *res->files);
            first_src[res->nfiles] = e;
            res->files[res->nfiles++] = rf->f;
            memset(&rf->f, 0, sizeof rf->f);
        }
        last_rep = ent[e].rep;
    }
    first_src[res->nfiles] = nent;
    /* a column-name hint stands only while the field has no finding of its
     * type (a file read in ranges may have found one in another range) */
    for (size_t i = 0; i < res->nfiles; i++) {
        size_t nf = res->files[i].agg ? ds_agg_nfields(res->files[i].agg) : 0;
        for (size_t q = 0; q < nf; q++) {
            ds_field_agg *fa = ds_agg_field_mut(res->files[i].agg, q);
            for (size_t t = 0; fa->name_hint && t < fa->ntypes; t++)
                if (strcmp(fa->types[t].type, fa->name_hint) == 0)
                    fa->name_hint = fa->name_hint_rule = NULL;
        }
    }
    size_t used = 0;
    for (size_t i = 0; i < res->nfiles; i++)
        ds_sketch_budget(&res->files[i], &used);

    /* findings, in merged file order, cut at the cap */
    out->findings = ds_findings_spool_new();
    if (!out->findings) {
        free(ent);
        free(srcs);
        free(first_src);
        free(ord);
        free(rep);
        return ds_error_set(err, DS_EIO, NULL, "cannot create a temporary file");
    }
    uint64_t cap = r0->max_findings, listed = 0, total = 0;
    for (size_t i = 0; i < n; i++)
        total += rep[i]->findings;
    size_t *used_find = ds_xcalloc(n, sizeof *used_find);
    for (size_t e = 0; e < nent && listed < cap && rc == DS_OK; e++) {
        rfile *rf = &rep[srcs[e].rep]->files[srcs[e].file];
        for (size_t q = 0; q < rf->nfind && listed < cap; q++) {
            ds_findings_spool_add(out->findings, NULL, rf->find[q], strlen(rf->find[q]));
            listed++;
            used_find[srcs[e].rep]++;
        }
        /* a truncated report has findings past its list: the merged list can
         * only go on if none of them comes before what follows */
        const ds_report_in *r = rep[srcs[e].rep];
        if (r->truncated && used_find[srcs[e].rep] == r->listed && listed < cap)
            rc = ds_error_set(err, DS_EINVAL, names ? names[ord[srcs[e].rep]] : "report",
                              "its findings list is cut at %llu: cannot rebuild the merged list",
                              (unsigned long long)r->listed);
    }
    free(used_find);
    free(ent);
    free(srcs);
    free(first_src);

    /* totals */
    err_entry *errs = NULL;
    size_t nerr = 0, cerr = 0;
    for (size_t i = 0; i < n; i++) {
        ds_report_in *r = rep[i];
        res->findings += r->findings;
        res->failing += r->failing;
        res->baselined += r->baselined;
        res->has_baseline |= r->baselined > 0;
        res->limit_hits += r->limit_hits;
        res->incomplete |= r->incomplete;
        if (r->has_highest && r->highest > res->highest)
            res->highest = r->highest;
        if (r->checks_failing > res->failing_checks)
            res->failing_checks = r->checks_failing;
        if (r->limit_rule && !res->limit_rule)
            res->limit_rule = intern(&out->pool, &out->npool, &out->cpool, r->limit_rule);
        if (r->checks && !res->checks) {
            res->checks = r->checks;
            r->checks = NULL;
        }
        for (size_t j = 0; j < r->nerrors; j++) {
            errs = ds_xgrow(errs, &cerr, nerr + 1, sizeof *errs);
            errs[nerr] = (err_entry){r->errors[j], nerr};
            nerr++;
        }
        r->nerrors = 0;
        /* the strings the model borrows */
        for (size_t j = 0; j < r->npool; j++) {
            out->pool = ds_xgrow(out->pool, &out->cpool, out->npool + 1, sizeof *out->pool);
            out->pool[out->npool++] = r->pool[j];
        }
        r->npool = 0;
    }
    if (nerr)
        qsort(errs, nerr, sizeof *errs, err_cmp);
    res->errors = ds_xcalloc(nerr + 1, sizeof *res->errors);
    res->ecap = nerr + 1;
    for (size_t i = 0; i < nerr; i++)
        res->errors[res->nerrors++] = errs[i].m;
    free(errs);
    res->fail_on = r0->fail_on;
    res->sample_rate = 1;

    /* the context the writers get */
    out->version = ds_xstrdup(r0->version);
    out->digest = ds_xstrdup(r0->digest);
    out->settings = ds_xstrdup(r0->settings);
    out->argv = ds_xcalloc(r0->argc + 1, sizeof *out->argv);
    for (size_t i = 0; i < r0->argc; i++) {
        const char *a = r0->argv[i];
        if (strcmp(a, "--shard") == 0 && i + 1 < r0->argc) {
            i++;
            continue;
        }
        if (strncmp(a, "--shard=", 8) == 0)
            continue;
        out->argv[out->argc++] = ds_xstrdup(a);
    }
    ds_report_ctx *c = &out->ctx;
    c->tool_version = out->version;
    c->rules_digest = out->digest;
    c->argv = (const char *const *)out->argv;
    c->argc = out->argc;
    c->settings_json = out->settings;
    c->max_findings = cap;
    c->findings = out->findings;
    c->findings_listed = listed;
    c->merged = 1;
    free(ord);
    free(rep);
    if (rc != DS_OK) {
        ds_merged_free(out);
        return rc;
    }
    (void)total;
    return DS_OK;
}
