/* tests: the check catalogue on the metadata fixtures (fixtures/metadata,
 * copied from shared/metadata-fixtures), in metadata-only mode (no data
 * scanned: declared field names stand in for findings) at scan date
 * 2026-01-15. Each fixture's "must fire" and "must not fire" lists are those
 * of fixtures/metadata/README.md; the rules marked there with a dagger need
 * content and are covered by the CLI tests (tests/cli/cases/meta_*). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks_run.h"

static ds_checks *run(const char *path)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_checks_opts o;
    memset(&o, 0, sizeof o);
    o.metadata = path;
    o.scan_date = "2026-01-15";
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(&r, &o, &msgs);
    cr_assert_not_null(c);
    cr_assert_eq(msgs.n, 0, "%s: unexpected message: %s", path, msgs.n ? msgs.v[0] : "");
    ds_slist_free(&msgs);
    return c;
}

static int fired(const ds_checks *c, const char *id)
{
    const ds_check *k = ds_checks_find(c, id);
    cr_assert_not_null(k, "no check %s", id);
    return k->status == DS_CHECK_FAIL || k->status == DS_CHECK_WARN;
}

/* ids: NULL-terminated; a trailing '*' matches a prefix ("META-*"). */
static void expect(const char *path, const char *const *must, const char *const *must_not,
                   int nothing_above_info)
{
    ds_checks *c = run(path);
    for (size_t i = 0; must && must[i]; i++)
        cr_expect(fired(c, must[i]), "%s: %s should fire", path, must[i]);
    for (size_t i = 0; must_not && must_not[i]; i++) {
        size_t n = strlen(must_not[i]);
        int prefix = n && must_not[i][n - 1] == '*';
        for (size_t k = 0; k < c->n; k++) {
            int match = prefix ? strncmp(c->v[k].id, must_not[i], n - 1) == 0
                               : strcmp(c->v[k].id, must_not[i]) == 0;
            if (match)
                cr_expect(c->v[k].status != DS_CHECK_FAIL && c->v[k].status != DS_CHECK_WARN,
                          "%s: %s must not fire (%s)", path, c->v[k].id,
                          c->v[k].evidence ? c->v[k].evidence : "");
        }
    }
    if (nothing_above_info)
        for (size_t k = 0; k < c->n; k++)
            cr_expect(!((c->v[k].status == DS_CHECK_FAIL || c->v[k].status == DS_CHECK_WARN) &&
                        c->v[k].severity > DS_SEV_INFO),
                      "%s: %s fired above INFO (%s)", path, c->v[k].id,
                      c->v[k].evidence ? c->v[k].evidence : "");
    ds_checks_free(c);
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

Test(checks, croissant_compliant)
{
    expect("fixtures/metadata/croissant/compliant.json", NULL,
           L("META-*", "LICENSE-*", "LEGAL-BASIS-*", "RETENTION-*", "DPIA-REQUIRED-NOT-DECLARED"), 1);
}

Test(checks, croissant_undocumented_scrape)
{
    const char *p = "fixtures/metadata/croissant/deficient-undocumented-scrape.json";
    expect(p,
           L("META-SOURCE-MISSING", "LICENSE-MISSING", "PURPOSE-MISSING", "LEGAL-BASIS-MISSING",
             "RETENTION-MISSING", "CONTROLLER-MISSING", "COLLECT-METHOD-MISSING",
             "MIN-UNDECLARED-PERSONAL-FIELD"),
           L("REUSE-BREACH-ORIGIN"), 0);
    ds_checks *c = run(p);
    cr_expect_eq(ds_checks_find(c, "META-SOURCE-MISSING")->severity, DS_SEV_HIGH);
    cr_expect_eq(ds_checks_find(c, "PURPOSE-MISSING")->severity, DS_SEV_HIGH);
    cr_expect_str_eq(ds_checks_find(c, "MIN-UNDECLARED-PERSONAL-FIELD")->evidence,
                     "fields with personal data not in personal_data.fields: username, email, age");
    ds_checks_free(c);
}

Test(checks, croissant_breach_origin)
{
    const char *p = "fixtures/metadata/croissant/deficient-breach-origin.json";
    expect(p,
           L("REUSE-BREACH-ORIGIN", "MIN-PERSONAL-DATA-DENIED", "LICENSE-UNRECOGNISED",
             "LEGAL-BASIS-MISSING", "RETENTION-MISSING"),
           NULL, 0);
    ds_checks *c = run(p);
    const ds_check *k = ds_checks_find(c, "REUSE-BREACH-ORIGIN");
    cr_expect(k->blocker);
    cr_expect_eq(k->severity, DS_SEV_HIGH);
    cr_expect_str_eq(k->evidence,
                     "possible breach origin, verify: strong indicators 'combolist'; medium "
                     "indicators 'pastebin.com', 'dump', 'leak', 'paste', 'db dump'; credentials "
                     "with e-mail addresses (declared fields: 'email' next to 'password_hash')");
    cr_expect_str_eq(ds_checks_find(c, "LICENSE-UNRECOGNISED")->evidence,
                     "licence 'unknown' is not an SPDX id or licence URL");
    ds_checks_free(c);
}

Test(checks, hfcard_compliant)
{
    expect("fixtures/metadata/hf-card/compliant/README.md", NULL,
           L("ACCESS-OPEN-SENSITIVE", "PURPOSE-*", "CONTROLLER-MISSING"), 1);
}

Test(checks, hfcard_minimal)
{
    expect("fixtures/metadata/hf-card/deficient-minimal/README.md",
           L("META-SOURCE-MISSING", "LICENSE-UNRECOGNISED", "PURPOSE-MISSING",
             "CONTROLLER-MISSING"),
           L("MIN-PERSONAL-DATA-DENIED"), 0);
}

Test(checks, hfcard_sensitive)
{
    const char *p = "fixtures/metadata/hf-card/deficient-sensitive/README.md";
    expect(p,
           L("ART9-CONDITION-MISSING", "DPIA-SENSITIVE-DATA", "DPIA-REQUIRED-NOT-DECLARED",
             "ACCESS-OPEN-SENSITIVE", "SCRAPE-NO-SAFEGUARDS", "SCRAPE-SENSITIVE-SITES",
             "REUSE-SENSITIVE-DATA", "MIN-ANNOTATION-SENSITIVE", "LEGAL-BASIS-MISSING",
             "RETENTION-MISSING", "META-SOURCE-VAGUE"),
           L("LICENSE-MISSING"), 0);
    ds_checks *c = run(p);
    cr_expect_eq(c->dpia_score, 3);
    const char *want[] = {"WP248-C4", "WP248-C5", "WP248-C7"};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < c->ndpia; k++)
            if (!strcmp(c->dpia[k].id, want[i]))
                cr_expect_eq(c->dpia[k].met, 1, "%s", want[i]);
    cr_expect_str_eq(ds_checks_find(c, "MIN-ANNOTATION-SENSITIVE")->evidence,
                     "label field 'predicted_diagnosis' and no legal_basis.art9_condition");
    ds_checks_free(c);
}

Test(checks, datapackage_compliant)
{
    expect("fixtures/metadata/datapackage/compliant/datapackage.json", NULL,
           L("META-*", "LICENSE-*", "CONTROLLER-MISSING"), 1);
}

Test(checks, datapackage_nosource)
{
    const char *p = "fixtures/metadata/datapackage/deficient-nosource/datapackage.json";
    expect(p,
           L("META-SOURCE-MISSING", "LICENSE-MISSING", "PURPOSE-VAGUE", "LEGAL-BASIS-MISSING",
             "RETENTION-MISSING", "CONTROLLER-MISSING", "MIN-UNDECLARED-PERSONAL-FIELD",
             "MIN-UNNEEDED-ATTRIBUTE"),
           L("REUSE-CRIMINAL-DATA"), 0);
    ds_checks *c = run(p);
    cr_expect_str_eq(ds_checks_find(c, "MIN-UNNEEDED-ATTRIBUTE")->evidence,
                     "attribute without a justification: civility");
    ds_checks_free(c);
}

Test(checks, datapackage_criminal)
{
    const char *p = "fixtures/metadata/datapackage/deficient-criminal/datapackage.json";
    expect(p,
           L("REUSE-CRIMINAL-DATA", "REUSE-THIRD-PARTY-NO-AGREEMENT",
             "LEGAL-BASIS-LI-NO-ASSESSMENT", "DPIA-REQUIRED-NOT-DECLARED",
             "SCRAPE-NO-SAFEGUARDS", "RETENTION-MISSING"),
           L("LICENSE-MISSING"), 0);
    ds_checks *c = run(p);
    cr_expect(ds_checks_find(c, "REUSE-CRIMINAL-DATA")->blocker);
    const char *met[] = {"WP248-C1", "WP248-C6", "WP248-C9", "CNIL-8", "CNIL-10", "CNIL-12"};
    for (size_t i = 0; i < 6; i++)
        for (size_t k = 0; k < c->ndpia; k++)
            if (!strcmp(c->dpia[k].id, met[i]))
                cr_expect_eq(c->dpia[k].met, 1, "%s", met[i]);
    cr_expect(strstr(ds_checks_find(c, "DPIA-REQUIRED-NOT-DECLARED")->evidence,
                     "dpia.status not-required") != NULL);
    ds_checks_free(c);
}

Test(checks, sidecar_compliant)
{
    expect("fixtures/metadata/sidecar/compliant/.dsaudit.yml", NULL, NULL, 1);
}

Test(checks, sidecar_incomplete)
{
    expect("fixtures/metadata/sidecar/deficient-incomplete/.dsaudit.yml",
           L("META-SOURCE-VAGUE", "LICENSE-UNRECOGNISED", "PURPOSE-VAGUE", "LEGAL-BASIS-MISSING",
             "RETENTION-MISSING", "CONTROLLER-MISSING", "RIGHTS-CHANNEL-MISSING",
             "SCRAPE-NO-SAFEGUARDS"),
           L("REUSE-BREACH-ORIGIN"), 0);
}

Test(checks, sidecar_expired)
{
    const char *p = "fixtures/metadata/sidecar/deficient-expired/.dsaudit.yml";
    expect(p,
           L("RETENTION-EXPIRED", "RETENTION-UNBOUNDED", "ART9-CONDITION-MISSING",
             "DPIA-SENSITIVE-DATA", "DPIA-REQUIRED-NOT-DECLARED", "LEGAL-BASIS-LI-NO-ASSESSMENT",
             "REUSE-THIRD-PARTY-NO-AGREEMENT", "ACCESS-OPEN-SENSITIVE", "REUSE-SENSITIVE-DATA"),
           L("META-SOURCE-MISSING"), 0);
    ds_checks *c = run(p);
    cr_expect_str_eq(ds_checks_find(c, "RETENTION-EXPIRED")->evidence,
                     "retention.end_date 2023-09-01 is before the scan date 2026-01-15; "
                     "collection.end 2021-06-30 + development P24M is before 2026-01-15");
    cr_expect_str_eq(ds_checks_find(c, "RETENTION-UNBOUNDED")->evidence,
                     "unbounded retention 'indefinite'");
    ds_checks_free(c);
}

Test(checks, scan_date_moves_expiry)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_checks_opts o;
    memset(&o, 0, sizeof o);
    o.metadata = "fixtures/metadata/sidecar/compliant/.dsaudit.yml";
    o.scan_date = "2027-07-01"; /* after the compliant fixtures' end date 2027-06-30 */
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(&r, &o, &msgs);
    cr_assert_not_null(c);
    cr_expect_eq(ds_checks_find(c, "RETENTION-EXPIRED")->status, DS_CHECK_FAIL);
    cr_expect_eq(ds_checks_failing(c, DS_SEV_HIGH), 1);
    cr_expect_eq(ds_checks_failing(c, DS_SEV_NONE), 0);
    ds_checks_free(c);
    ds_slist_free(&msgs);
}

Test(checks, every_check_once_with_basis)
{
    ds_checks *c = run("fixtures/metadata/sidecar/compliant/.dsaudit.yml");
    cr_expect_eq(c->n, 43); /* every id of CHECKS.md §1a, sections A-G */
    for (size_t i = 0; i < c->n; i++) {
        cr_expect(c->v[i].basis && *c->v[i].basis, "%s has no basis", c->v[i].id);
        for (size_t k = i + 1; k < c->n; k++)
            cr_expect_str_neq(c->v[i].id, c->v[k].id);
    }
    cr_expect_eq(c->ndpia, 9 + 14);
    ds_checks_free(c);
}

Test(checks, no_metadata_is_advisory)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_checks_opts o;
    memset(&o, 0, sizeof o);
    const char *roots[] = {"fixtures/csv"};
    o.roots = roots;
    o.nroots = 1;
    o.scan_date = "2026-01-15";
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(&r, &o, &msgs);
    cr_assert_not_null(c);
    cr_expect_null(c->metadata_path);
    const ds_check *k = ds_checks_find(c, "META-NO-METADATA");
    cr_expect_eq(k->status, DS_CHECK_WARN);
    cr_expect_eq(ds_checks_find(c, "LICENSE-MISSING")->status, DS_CHECK_NA);
    cr_expect_eq(ds_checks_failing(c, DS_SEV_LOW), 0);
    ds_checks_free(c);
    ds_slist_free(&msgs);
}

Test(checks, unreadable_metadata_is_reported)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_checks_opts o;
    memset(&o, 0, sizeof o);
    o.metadata = "fixtures/metadata/malformed/bad.json";
    o.scan_date = "2026-01-15";
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(&r, &o, &msgs);
    cr_assert_not_null(c);
    cr_assert_eq(msgs.n, 1);
    cr_expect(strncmp(msgs.v[0], "fixtures/metadata/malformed/bad.json:4: invalid JSON", 52) == 0,
              "%s", msgs.v[0]);
    const ds_check *k = ds_checks_find(c, "META-NO-METADATA");
    cr_expect_eq(k->status, DS_CHECK_FAIL);
    cr_expect(strstr(k->evidence, "could not be read") != NULL);
    ds_checks_free(c);
    ds_slist_free(&msgs);
}

Test(checks, breach_list_and_allowlist)
{
    ds_scan_result r;
    memset(&r, 0, sizeof r);
    ds_checks_opts o;
    memset(&o, 0, sizeof o);
    o.metadata = "fixtures/metadata/malformed/../breach/.dsaudit.yml";
    o.scan_date = "2026-01-15";
    o.breach_list = "fixtures/metadata/breach/breaches.json";
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(&r, &o, &msgs);
    cr_assert_not_null(c);
    const ds_check *k = ds_checks_find(c, "REUSE-BREACH-ORIGIN");
    cr_expect_eq(k->status, DS_CHECK_FAIL);
    cr_expect_eq(k->blocker, 0, "a breach-list match alone is high, not a blocker");
    cr_expect_str_eq(k->evidence, "possible breach origin, verify: breach list match 'ExampleShop', 'exampleshop.example'");
    ds_checks_free(c);
    ds_slist_free(&msgs);
}
