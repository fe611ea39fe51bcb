/* tests: the Frictionless datapackage.json reader (v1 and v2). */
#include <criterion/criterion.h>
#include <string.h>

#include "checks/meta_model.h"

Test(meta_datapackage, v2_with_dsaudit_block)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/datapackage/deficient-criminal/datapackage.json",
                                   &m, &err),
                 DS_OK);
    cr_expect_str_eq(m.format, "datapackage");
    cr_expect_str_eq(m.name, "court-outcomes-risk");
    cr_expect_str_eq(m.licenses.v[0], "CC0-1.0");
    cr_assert_eq(m.norigins, 2);
    cr_expect_str_eq(m.origins[1].kind, "data-broker");
    cr_expect_eq(m.criminal, 1);
    cr_expect_str_eq(m.dpia_status, "not-required");
    cr_expect_str_eq(m.ctrl_name, "RiskCo");
    cr_expect_str_eq(m.ctrl_contact, "ops@riskco.example");
    cr_expect_eq(m.ndecls, 8); /* date_of_birth appears in both resources */
    cr_expect_eq(m.fk_fields.n, 2);
    ds_meta_clear(&m);
}

Test(meta_datapackage, v1_without_schema)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/datapackage/deficient-nosource/datapackage.json",
                                   &m, &err),
                 DS_OK);
    cr_expect_str_eq(m.purpose, "Data for AI.");
    cr_expect_null(m.ctrl_name, "a creator is not a contact");
    cr_expect_eq(m.licenses.n, 0);
    cr_expect_eq(m.norigins, 0);
    ds_meta_clear(&m);
}

Test(meta_datapackage, malformed)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    const char *j = "{\"name\": \"x\",\n \"resources\": [\n  {\"path\": \"a.csv\",}\n]}";
    cr_expect_eq(ds_meta_read_buffer(j, strlen(j), "datapackage.json", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.where, "datapackage.json:3");
    ds_meta_clear(&m);
    /* wrong types: ignored, no crash */
    const char *k = "{\"resources\": {\"a\": 1}, \"licenses\": \"MIT\", \"sources\": [1, \"x\"], "
                    "\"contributors\": 5, \"dsaudit\": [1]}";
    cr_expect_eq(ds_meta_read_buffer(k, strlen(k), "datapackage.json", &m, &err), DS_OK);
    ds_meta_clear(&m);
}
