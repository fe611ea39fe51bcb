/* tests: the JSON report writer (report/json_report.c): exact bytes for a
 * small model, deterministic key order, the findings cap, nulls. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "common/mem.h"
#include "report/writers.h"

static char *run_json(const ds_scan_result *r, ds_report_ctx *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(ds_report_json(r, ctx, f), 0);
    fclose(f);
    return buf;
}

static ds_file_result *add_file(ds_scan_result *r, const char *name, ds_file_status st)
{
    r->files = ds_xgrow(r->files, &r->fcap, r->nfiles + 1, sizeof *r->files);
    ds_file_result *f = &r->files[r->nfiles++];
    memset(f, 0, sizeof *f);
    f->name = ds_xstrdup(name);
    f->status = st;
    if (st != DS_FILE_SKIPPED)
        f->agg = ds_agg_new();
    return f;
}

static const char *argv1[] = {"scan", "-f", "json", "d"};

static void base_ctx(ds_report_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->tool_version = "9.9";
    c->rules_digest = "d1";
    c->argv = argv1;
    c->argc = 4;
    c->settings_json = "{\"x\": 1}";
    c->max_findings = 2;
}

Test(json_report, exact_small_report)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = DS_SEV_MEDIUM;
    ds_file_result *a = add_file(&r, "d/a.csv", DS_FILE_OK);
    a->format = DS_FORMAT_CSV;
    a->encoding = "utf-8";
    a->records = a->records_scanned = 4;
    a->bytes = 100;
    ds_field_agg *fa = ds_agg_put_field(a->agg, "mail");
    fa->records = 3;
    ds_type_agg *t = ds_agg_put_type(fa, "EMAIL", "personal");
    t->severity = DS_SEV_MEDIUM;
    t->findings = 3;
    t->records = 2;
    t->hll = ds_hll_new();
    ds_hll_add(t->hll, (1ULL << 54) | (1ULL << 53));
    ds_field_agg *fb = ds_agg_put_field(a->agg, "note \"x\"");
    fb->records = 1;
    fb->name_hint = "EMAIL";
    fb->name_hint_rule = "email";
    ds_file_result *s = add_file(&r, "d/b.png", DS_FILE_SKIPPED);
    s->skip_reason = ds_xstrdup("binary");
    s->bytes = 7;
    r.findings = 3;
    r.failing = 3;
    r.highest = DS_SEV_MEDIUM;

    ds_findings_spool *sp = ds_findings_spool_new();
    uint64_t h = 0xabcdef;
    const char *l1 = "{\"file\":\"d/a.csv\",\"record\":1}";
    ds_findings_spool_add(sp, &h, l1, strlen(l1));
    ds_findings_spool_add(sp, NULL, "{\"file\":\"d/a.csv\",\"record\":2}", 29);
    ds_findings_spool_add(sp, NULL, "{\"file\":\"d/a.csv\",\"record\":3}", 29);
    ds_report_ctx c;
    base_ctx(&c);
    c.findings = sp;
    char *got = run_json(&r, &c);
    const char *want =
        "{\n"
        "  \"schema\": \"dsaudit.report/1\",\n"
        "  \"tool\": {\"name\": \"dsaudit\", \"version\": \"9.9\", \"rules_digest\": \"d1\", "
        "\"sketch\": {\"kind\": \"hyperloglog\", \"precision\": 10, \"hash\": \"siphash-2-4\", "
        "\"key\": \"dsaudit.report/1\"}},\n"
        "  \"run\": {\"arguments\": [\"scan\", \"-f\", \"json\", \"d\"],\n"
        "          \"settings\": {\"x\": 1},\n"
        "          \"shard\": null},\n"
        "  \"summary\": {\n"
        "    \"files\": 2,\n"
        "    \"files_read\": 1,\n"
        "    \"files_incomplete\": 0,\n"
        "    \"files_skipped\": 1,\n"
        "    \"records\": 4,\n"
        "    \"bytes_scanned\": 100,\n"
        "    \"bytes_skipped\": 7,\n"
        "    \"skipped\": [{\"reason\": \"binary\", \"files\": 1, \"bytes\": 7}],\n"
        "    \"findings\": 3,\n"
        "    \"findings_failing\": 3,\n"
        "    \"findings_baselined\": 0,\n"
        "    \"by_type\": {\"EMAIL\": 3},\n"
        "    \"by_category\": {\"personal\": 3},\n"
        "    \"highest_severity\": \"medium\",\n"
        "    \"errors\": [],\n"
        "    \"limit_hits\": 0,\n"
        "    \"limit_rule\": null,\n"
        "    \"fail_on\": \"medium\",\n"
        "    \"checks_failing\": 0,\n"
        "    \"incomplete\": false,\n"
        "    \"verdict\": \"fail\",\n"
        "    \"exit_status\": 1\n"
        "  },\n"
        "  \"files\": [\n"
        "    {\"path\": \"d/a.csv\", \"format\": \"csv\", \"encoding\": \"utf-8\", \"status\": \"ok\", "
        "\"records\": 4, \"bytes\": 100, \"malformed\": 0, \"ragged\": 0, \"invalid_utf8\": 0, "
        "\"windowed\": 0, \"errors\": 0, \"records_scanned\": 4, \"truncated\": false, \"error\": null, "
        "\"skip_reason\": null},\n"
        "    {\"path\": \"d/b.png\", \"format\": \"unknown\", \"encoding\": null, \"status\": \"skipped\", "
        "\"records\": 0, \"bytes\": 7, \"malformed\": 0, \"ragged\": 0, \"invalid_utf8\": 0, "
        "\"windowed\": 0, \"errors\": 0, \"records_scanned\": 0, \"truncated\": false, \"error\": null, "
        "\"skip_reason\": \"binary\"}\n"
        "  ],\n"
        "  \"fields\": [\n"
        "    {\"file\": \"d/a.csv\", \"field\": \"mail\", \"records\": 3, \"hint\": null, \"hint_rule\": null, \"types\": "
        "[{\"type\": \"EMAIL\", \"category\": \"personal\", \"severity\": \"medium\", \"findings\": 3, "
        "\"records\": 2, \"share\": 0.6667, \"distinct\": 1, \"sketch\": \"sAEE=\"}]},\n"
        "    {\"file\": \"d/a.csv\", \"field\": \"note \\\"x\\\"\", \"records\": 1, \"hint\": \"EMAIL\", "
        "\"hint_rule\": \"email\", \"types\": []}\n"
        "  ],\n"
        "  \"checks\": null,\n"
        "  \"findings\": [\n"
        "    {\"file\":\"d/a.csv\",\"record\":1},\n"
        "    {\"file\":\"d/a.csv\",\"record\":2}\n"
        "  ],\n"
        "  \"findings_listed\": {\"max\": 2, \"listed\": 2, \"total\": 3, \"truncated\": true}\n"
        "}\n";
    cr_assert_str_eq(got, want);
    free(got);

    /* the spool gives back the hash and parses the fields */
    ds_finding_view v;
    ds_findings_rewind(sp);
    cr_assert(ds_findings_next(sp, &v));
    cr_assert(v.has_hash);
    cr_assert_eq(v.value_hash, 0xabcdef);
    cr_assert_str_eq(v.file, "d/a.csv");
    cr_assert_eq(v.record, 1);
    cr_assert(ds_findings_next(sp, &v));
    cr_assert_not(v.has_hash);
    cr_assert_eq(ds_findings_spool_count(sp), 3);
    ds_findings_spool_free(sp);
    ds_scan_result_free(&r);
}

Test(json_report, empty_run_no_cap_timestamps_shard_checks)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = DS_SEV_NONE;
    r.shard_k = 1;
    r.shard_n = 3;
    r.checks = ds_xcalloc(1, sizeof *r.checks);
    r.checks->scan_date = ds_xstrdup("2026-01-02");
    ds_report_ctx c;
    base_ctx(&c);
    c.max_findings = UINT64_MAX;
    c.started = "2026-01-02T03:04:05Z";
    c.finished = "2026-01-02T03:04:06Z";
    char *got = run_json(&r, &c);
    cr_assert(strstr(got, "\"shard\": {\"k\": 2, \"n\": 3},\n          \"started\": "
                          "\"2026-01-02T03:04:05Z\", \"finished\": \"2026-01-02T03:04:06Z\"},\n"));
    cr_assert(strstr(got, "\"files\": [],\n  \"fields\": [],\n"));
    cr_assert(strstr(got, "\"highest_severity\": null,"));
    cr_assert(strstr(got, "\"verdict\": \"pass\",\n    \"exit_status\": 0\n"));
    cr_assert(strstr(got, "\"checks\": {\n    \"metadata_path\": null,\n    \"metadata_format\": "
                          "null,\n    \"scan_date\": \"2026-01-02\",\n    \"checks\": [],\n    "
                          "\"dpia\": {\"criteria\": [], \"score\": 0, \"required\": false}\n  },\n"));
    cr_assert(strstr(got, "\"findings\": [],\n  \"findings_listed\": {\"max\": null, \"listed\": 0, "
                          "\"total\": 0, \"truncated\": false}\n}\n"));
    free(got);
    ds_scan_result_free(&r);
}

Test(json_report, sketch_budget_keeps_the_first)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_file_result *a = add_file(&r, "a", DS_FILE_OK);
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "f%d", i);
        ds_field_agg *fa = ds_agg_put_field(a->agg, nm);
        ds_type_agg *t = ds_agg_put_type(fa, "EMAIL", "personal");
        t->hll = ds_hll_new();
    }
    size_t used = DS_MAX_SKETCHES - 2;
    ds_sketch_budget(a, &used);
    cr_assert_eq(used, DS_MAX_SKETCHES);
    cr_assert_not_null(ds_agg_field(a->agg, 0)->types[0].hll);
    cr_assert_not_null(ds_agg_field(a->agg, 1)->types[0].hll);
    cr_assert_null(ds_agg_field(a->agg, 2)->types[0].hll);
    ds_scan_result_free(&r);
}

Test(json_report, registry)
{
    cr_assert_not_null(ds_writer_find("json"));
    cr_assert_not_null(ds_writer_find("text"));
    const ds_writer *l = ds_writer_find("jsonl");
    cr_assert_not_null(l);
    cr_assert(l->flags & DS_WRITER_STREAM);
    cr_assert_null(ds_writer_find("xml"));
    cr_assert(strncmp(ds_writer_names(), "text, json", 10) == 0);
}
