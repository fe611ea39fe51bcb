/* tests: reading JSON reports back and merging them (report/merge.c): the
 * merge of shard reports is byte-identical to the report of the whole run;
 * incompatible or malformed reports are refused with a clear message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "common/mem.h"
#include "common/siphash.h"
#include "report/merge.h"

typedef struct fspec {
    const char *name;
    uint64_t from, to; /* values hashed into the sketch */
    int nfind;         /* findings listed for the file */
} fspec;

static char *json_of(const ds_scan_result *r, ds_report_ctx *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(ds_report_json(r, c, f), 0);
    fclose(f);
    return buf;
}

/* A report of the files fs[0..n) (a shard when k > 0), --max-findings cap. */
static char *make_report(const fspec *fs, size_t n, unsigned k, unsigned shards, uint64_t cap,
                         const char *digest)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = DS_SEV_HIGH;
    if (k) {
        r.shard_k = k - 1;
        r.shard_n = shards;
    }
    ds_findings_spool *sp = ds_findings_spool_new();
    for (size_t i = 0; i < n; i++) {
        r.files = ds_xgrow(r.files, &r.fcap, r.nfiles + 1, sizeof *r.files);
        ds_file_result *f = &r.files[r.nfiles++];
        memset(f, 0, sizeof *f);
        f->name = ds_xstrdup(fs[i].name);
        f->format = DS_FORMAT_JSONL;
        f->encoding = "utf-8";
        f->records = f->records_scanned = 10;
        f->bytes = 1000;
        f->agg = ds_agg_new();
        ds_field_agg *fa = ds_agg_put_field(f->agg, "user.email");
        fa->records = 9;
        ds_type_agg *t = ds_agg_put_type(fa, "EMAIL", "personal");
        t->severity = DS_SEV_MEDIUM;
        t->findings = (uint64_t)fs[i].nfind;
        t->records = (uint64_t)fs[i].nfind;
        t->hll = ds_hll_new();
        for (uint64_t v = fs[i].from; v < fs[i].to; v++)
            ds_hll_add(t->hll, ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, &v, sizeof v));
        r.findings += (uint64_t)fs[i].nfind;
        r.highest = DS_SEV_MEDIUM;
        for (int q = 0; q < fs[i].nfind; q++) {
            char line[256];
            snprintf(line, sizeof line,
                     "{\"file\":\"%s\",\"record\":%d,\"field\":\"user.email\",\"type\":\"EMAIL\","
                     "\"confidence\":0.95,\"value\":\"a***@b****.fr\"}",
                     fs[i].name, q + 1);
            if (ds_findings_spool_count(sp) < cap)
                ds_findings_spool_add(sp, NULL, line, strlen(line));
        }
    }
    char shard[16];
    snprintf(shard, sizeof shard, "%u/%u", k, shards);
    const char *argv_whole[] = {"scan", "-f", "json", "data"};
    const char *argv_shard[] = {"scan", "--shard", shard, "-f", "json", "data"};
    ds_report_ctx c;
    memset(&c, 0, sizeof c);
    c.tool_version = "1.0";
    c.rules_digest = digest;
    c.argv = k ? argv_shard : argv_whole;
    c.argc = k ? 6 : 4;
    c.settings_json = "{\"fail_on\": \"high\", \"min_confidence\": \"0.5\", \"list\": [\"a\"]}";
    c.max_findings = cap;
    c.findings = sp;
    char *s = json_of(&r, &c);
    ds_findings_spool_free(sp);
    ds_scan_result_free(&r);
    return s;
}

static ds_report_in *parse_ok(const char *text)
{
    ds_report_in *r = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_status st = ds_report_parse(text, strlen(text), &r, &err);
    cr_assert_eq(st, DS_OK, "parse: %s", err.msg);
    return r;
}

/* merge the texts, write the merged report (NULL + err on failure) */
static char *merge_texts(char **texts, size_t n, ds_merge_file_fn fn, ds_error *err)
{
    ds_report_in *in[8];
    const char *names[8];
    for (size_t i = 0; i < n; i++) {
        in[i] = parse_ok(texts[i]);
        names[i] = i == 0 ? "r1.json" : i == 1 ? "r2.json" : "r3.json";
    }
    ds_merged m;
    ds_error_clear(err);
    ds_status st = ds_report_merge(in, names, n, fn, &m, err);
    for (size_t i = 0; i < n; i++)
        ds_report_in_free(in[i]);
    if (st != DS_OK)
        return NULL;
    char *s = json_of(&m.res, &m.ctx);
    ds_merged_free(&m);
    return s;
}

static const fspec files[] = {
    {"data/a.jsonl", 0, 40, 4},
    {"data/a/b.jsonl", 30, 300, 3}, /* walk order: directory "a" before "a.jsonl" */
    {"data/c.tar!z.csv", 0, 5, 2},
    {"data/c.tar!m.csv", 5, 9, 1}, /* archive order kept, not sorted */
    {"data/d.jsonl", 0, 0, 0},
};

Test(merge, path_order_is_the_walk_order)
{
    /* by component: directory "a" < "a.jsonl", although '.' < '/' in bytes */
    cr_assert_gt(ds_path_cmp("data/a.jsonl", "data/a/b.jsonl"), 0);
    cr_assert_lt(ds_path_cmp("a/b", "a.b"), 0);                     /* "a" < "a.b" */
    cr_assert_lt(ds_path_cmp("a/b/c", "a/bc"), 0);
    cr_assert_eq(ds_path_cmp("x/y", "x/y"), 0);
    cr_assert_gt(ds_path_cmp("b", "a/z"), 0);
}

Test(merge, shards_give_the_whole_report)
{
    /* order in the whole run: a/b.jsonl's directory "a" sorts before "a.jsonl" */
    const fspec whole[] = {files[1], files[0], files[2], files[3], files[4]};
    for (uint64_t cap = 0; cap <= 11; cap++) {
        char *want = make_report(whole, 5, 0, 0, cap, "D");
        const fspec s1[] = {files[1], files[3 - 1], files[3]}; /* a/b, c.tar (both members) */
        const fspec s2[] = {files[0], files[4]};
        char *t[2] = {make_report(s2, 2, 2, 2, cap, "D"), make_report(s1, 3, 1, 2, cap, "D")};
        ds_error err;
        char *got = merge_texts(t, 2, NULL, &err);
        cr_assert_not_null(got, "cap %llu: %s", (unsigned long long)cap, err.msg);
        cr_assert_str_eq(got, want, "cap %llu", (unsigned long long)cap);
        /* merging the merged report alone changes nothing */
        char *again = merge_texts(&got, 1, NULL, &err);
        cr_assert_str_eq(again, want);
        free(again);
        free(got);
        free(t[0]);
        free(t[1]);
        free(want);
    }
}

/* fold a later range of a file into its first part (as the scan does) */
static void fold(ds_file_result *dst, ds_file_result *src)
{
    dst->records += src->records;
    dst->records_scanned += src->records_scanned;
    dst->bytes += src->bytes;
    ds_type_agg *a = &ds_agg_field_mut(dst->agg, 0)->types[0];
    ds_type_agg *b = &ds_agg_field_mut(src->agg, 0)->types[0];
    a->findings += b->findings;
    a->records += b->records;
    ds_agg_field_mut(dst->agg, 0)->records += ds_agg_field(src->agg, 0)->records;
    ds_hll_merge(a->hll, b->hll);
    free(src->name);
    ds_agg_free(src->agg);
    memset(src, 0, sizeof *src);
}

Test(merge, one_file_in_ranges)
{
    const fspec part1[] = {{"big.jsonl", 0, 700, 2}}, part2[] = {{"big.jsonl", 500, 900, 3}};
    char *t[2] = {make_report(part2, 1, 2, 2, 100, "D"), make_report(part1, 1, 1, 2, 100, "D")};
    ds_error err;
    char *got = merge_texts(t, 2, fold, &err);
    cr_assert_not_null(got, "%s", err.msg);
    ds_report_in *r = parse_ok(got);
    ds_report_in_free(r);
    cr_assert(strstr(got, "\"records\": 20, \"bytes\": 2000"));
    cr_assert(strstr(got, "\"findings\": 5, \"records\": 5, \"share\": 0.2778"));
    /* the sketch is the union's (0..900) */
    ds_hll *u = ds_hll_new();
    for (uint64_t v = 0; v < 900; v++)
        ds_hll_add(u, ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, &v, sizeof v));
    ds_buf b = {0};
    cr_assert_gt(ds_hll_estimate(u), 800);
    /* (the estimate is capped at the findings count: 5) */
    ds_buf_puts(&b, "\"distinct\": 5, \"sketch\": \"");
    ds_hll_encode(u, &b);
    ds_buf_putc(&b, 0);
    cr_assert(strstr(got, b.data), "%s", b.data);
    /* findings of shard 1 before those of shard 2 */
    const char *f1 = strstr(got, "\"record\":2,"), *f2 = strstr(got, "\"record\":3,");
    cr_assert(f1 && f2 && f1 < f2);
    ds_buf_free(&b);
    ds_hll_free(u);
    free(got);
    free(t[0]);
    free(t[1]);
}

static void assert_merge_fails(char **t, size_t n, const char *msg_part)
{
    ds_error err;
    char *got = merge_texts(t, n, NULL, &err);
    cr_assert_null(got);
    cr_assert(strstr(err.msg, msg_part), "message: %s (where %s)", err.msg, err.where);
}

Test(merge, incompatible_reports)
{
    const fspec a[] = {files[0]}, b[] = {files[4]};
    char *t[2];
    t[0] = make_report(a, 1, 1, 2, 10, "D");
    t[1] = make_report(b, 1, 2, 2, 10, "OTHER");
    assert_merge_fails(t, 2, "different rules");
    free(t[1]);
    t[1] = make_report(b, 1, 2, 2, 9, "D");
    assert_merge_fails(t, 2, "--max-findings");
    free(t[1]);
    t[1] = make_report(b, 1, 1, 2, 10, "D");
    assert_merge_fails(t, 2, "given twice");
    free(t[1]);
    t[1] = make_report(b, 1, 2, 3, 10, "D");
    assert_merge_fails(t, 2, "shard of 3");
    free(t[1]);
    free(t[0]);
}

static void assert_parse_fails(const char *text, const char *msg_part)
{
    ds_report_in *r = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_neq(ds_report_parse(text, strlen(text), &r, &err), DS_OK, "%s", text);
    cr_assert_null(r);
    cr_assert(strstr(err.msg, msg_part), "message: %s", err.msg);
}

static char *replace(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    cr_assert_not_null(p, "%s", from);
    ds_buf b = {0};
    ds_buf_append(&b, s, (size_t)(p - s));
    ds_buf_puts(&b, to);
    ds_buf_puts(&b, p + strlen(from));
    ds_buf_putc(&b, 0);
    return b.data;
}

Test(merge, malformed_reports)
{
    assert_parse_fails("", "not valid JSON");
    assert_parse_fails("[1,2]", "no \"schema\"");
    assert_parse_fails("{\"schema\": \"dsaudit.report/2\"}", "dsaudit.report/2");
    assert_parse_fails("{\"schema\": \"dsaudit.report/1\"}", "incomplete");
    const fspec a[] = {files[2], files[3]};
    char *good = make_report(a, 2, 0, 0, 10, "D");
    ds_report_in_free(parse_ok(good));
    const char *edits[][3] = {
        {"\"records\": 10, \"bytes\"", "\"records\": -1, \"bytes\"", "count"},
        {"\"records\": 10, \"bytes\"", "\"records\": 1.5, \"bytes\"", "count"},
        {"\"status\": \"ok\"", "\"status\": \"fine\"", "unknown status"},
        {"\"sketch\": \"s", "\"sketch\": \"q", "invalid sketch"},
        {"\"severity\": \"medium\"", "\"severity\": \"grave\"", "invalid"},
        {"\"listed\": 3", "\"listed\": 2", "findings_listed"},
        {"{\"file\":\"data/c.tar!z.csv\",\"record\":1", "{\"file\":\"nowhere\",\"record\":1",
         "not in files"},
        {"\"file\": \"data/c.tar!m.csv\"", "\"file\": \"data/other\"", "not a file read"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *bad = replace(good, edits[i][0], edits[i][1]);
        assert_parse_fails(bad, edits[i][2]);
        free(bad);
    }
    free(good);
}
