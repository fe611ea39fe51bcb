/* tests: the .dsaudit.yml sidecar reader, dsaudit init placeholders, and
 * values of the wrong type (reported with FILE:LINE, then ignored). */
#include <criterion/criterion.h>
#include <string.h>

#include "checks/meta_model.h"

static ds_status rd(const char *y, ds_meta *m, ds_error *err)
{
    ds_meta_init(m);
    ds_error_clear(err);
    return ds_meta_read_buffer(y, strlen(y), "d/.dsaudit.yml", m, err);
}

Test(meta_sidecar, compliant_fixture)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/sidecar/compliant/.dsaudit.yml", &m, &err),
                 DS_OK);
    cr_expect_str_eq(m.format, "sidecar");
    cr_expect_str_eq(m.origins[0].kind, "first-party-reuse");
    cr_expect_eq(m.npfields, 2);
    cr_expect_str_eq(m.pfields[0].justification, "deduplicate tickets of the same customer");
    cr_expect_eq(m.requires_identity, 0);
    cr_expect_eq(m.scale_subjects, 21034);
    cr_expect_eq(m.legality_checked, 1);
    cr_expect_eq(m.special.n, 0);
    cr_expect_eq(m.warnings.n, 0);
    ds_meta_clear(&m);
}

Test(meta_sidecar, placeholders_and_wrong_types)
{
    const char *y = "dsaudit_version: 1\n"
                    "license: TODO\n"
                    "source:\n  origin:\n    - title: TODO where\n      url: TODO\n"
                    "purpose:\n  statement: [a, b]\n"
                    "personal_data:\n  present: maybe\n"
                    "scale:\n  subjects: many\n";
    ds_meta m;
    ds_error err;
    cr_assert_eq(rd(y, &m, &err), DS_OK);
    cr_expect_eq(m.licenses.n, 0);
    cr_expect_eq(m.norigins, 0);
    cr_expect_null(m.purpose);
    cr_expect_eq(m.pd_present, -1);
    cr_expect_eq(m.scale_subjects, -1);
    cr_assert_eq(m.warnings.n, 3);
    cr_expect_str_eq(m.warnings.v[0], "d/.dsaudit.yml:8: purpose.statement should be a single value");
    cr_expect_str_eq(m.warnings.v[1], "d/.dsaudit.yml:10: personal_data.present should be true or false");
    cr_expect_str_eq(m.warnings.v[2], "d/.dsaudit.yml:12: scale.subjects should be a non-negative integer");
    ds_meta_clear(&m);
}

Test(meta_sidecar, malformed_yaml)
{
    ds_meta m;
    ds_error err;
    cr_expect_eq(rd("dsaudit_version: 1\nlicense: [a\n", &m, &err), DS_EFORMAT);
    cr_expect(strncmp(err.where, "d/.dsaudit.yml:", 15) == 0, "%s", err.where);
    cr_expect(strncmp(err.msg, "invalid YAML", 12) == 0, "%s", err.msg);
    ds_meta_clear(&m);
    cr_expect_eq(rd("a: 1\n---\nb: 2\n", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "more than one YAML document");
    ds_meta_clear(&m);
    cr_expect_eq(rd("- 1\n", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "the top level is not a mapping");
    ds_meta_clear(&m);
    ds_meta_init(&m);
    cr_expect_eq(ds_meta_read_buffer("a: x\0y\n", 7, "d/.dsaudit.yml", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "binary data (NUL byte) in a metadata file");
    ds_meta_clear(&m);
}
