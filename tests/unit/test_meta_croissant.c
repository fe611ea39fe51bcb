/* tests: the Croissant JSON-LD reader: prefixes from @context, full IRIs,
 * RAI aliases, the dsaudit: extension, and malformed input. */
#include <criterion/criterion.h>
#include <string.h>

#include "checks/meta_model.h"

static ds_status rd(const char *json, ds_meta *m, ds_error *err)
{
    ds_meta_init(m);
    ds_error_clear(err);
    return ds_meta_read_buffer(json, strlen(json), "t.json", m, err);
}

Test(meta_croissant, compliant_fixture)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/croissant/compliant.json", &m, &err), DS_OK,
                 "%s", err.msg);
    cr_expect_str_eq(m.format, "croissant");
    cr_expect_str_eq(m.name, "acme-support-tickets-fr");
    cr_expect_str_eq(m.licenses.v[0], "https://spdx.org/licenses/CC-BY-NC-4.0.html");
    cr_assert_eq(m.norigins, 2);
    cr_expect_str_eq(m.origins[1].title, "Acme help desk export 2024");
    cr_expect_str_eq(m.origins[1].url, "internal:helpdesk");
    cr_expect_str_eq(m.art6, "legitimate-interests");
    cr_expect_eq(m.art6_native, 1);
    cr_expect_str_eq(m.ret_end, "2027-06-30");
    cr_expect_str_eq(m.dpia_status, "done");
    cr_expect_str_eq(m.coll_start, "2024-01-01T00:00:00Z");
    cr_expect_str_eq(m.ctrl_role, "controller");
    cr_expect_eq(m.labels, 1);
    cr_expect_eq(m.pd_present, 1);
    cr_expect_eq(m.special.n, 0, "negated sentences do not declare special categories");
    cr_expect_eq(m.ndecls, 4);
    cr_expect_eq(m.embedded, 1);
    ds_meta_clear(&m);
}

Test(meta_croissant, full_iris_and_aliases)
{
    const char *j =
        "{\"@context\": {\"@vocab\": \"http://schema.org/\", \"r\": \"http://mlcommons.org/croissant/RAI/\"},\n"
        " \"http://purl.org/dc/terms/conformsTo\": [\"http://mlcommons.org/croissant/1.0\"],\n"
        " \"name\": \"n\", \"http://schema.org/license\": \"cc0-1.0\",\n"
        " \"r:useCases\": \"Detecting spam in forum posts written in French and English.\",\n"
        " \"http://mlcommons.org/croissant/RAI/dataCollectionTimeFrameStart\": \"2020-01-01\",\n"
        " \"r:dataCollectionTimeFrameEnd\": \"2021-01-01\",\n"
        " \"r:annotationProtocol\": \"two raters\",\n"
        " \"r:dataCollectionType\": [\"Web Scraping\", \"Others\"]}";
    ds_meta m;
    ds_error err;
    cr_assert_eq(rd(j, &m, &err), DS_OK, "%s", err.msg);
    cr_expect_str_eq(m.format, "croissant");
    cr_expect_str_eq(m.licenses.v[0], "cc0-1.0");
    cr_expect_str_eq(m.purpose, "Detecting spam in forum posts written in French and English.");
    cr_expect_str_eq(m.coll_start, "2020-01-01");
    cr_expect_str_eq(m.coll_end, "2021-01-01");
    cr_expect_str_eq(m.ann_protocol, "two raters");
    cr_assert_eq(m.methods.n, 2);
    cr_expect_str_eq(m.methods.v[0], "web-scraping");
    ds_meta_clear(&m);
}

Test(meta_croissant, personal_data_denied)
{
    ds_meta m;
    ds_error err;
    ds_meta_init(&m);
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/croissant/deficient-breach-origin.json", &m,
                                   &err),
                 DS_OK);
    cr_expect_eq(m.pd_present, 0);
    cr_expect_eq(m.files.n, 2);
    ds_meta_clear(&m);
}

Test(meta_croissant, malformed)
{
    ds_meta m;
    ds_error err;
    cr_expect_eq(rd("{\"@context\": {\"cr\": \"http://mlcommons.org/croissant/\"},\n\"name\": }",
                    &m, &err),
                 DS_EFORMAT);
    cr_expect_str_eq(err.where, "t.json:2");
    cr_expect(strncmp(err.msg, "invalid JSON", 12) == 0, "%s", err.msg);
    ds_meta_clear(&m);
    cr_expect_eq(rd("[1, 2]", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "the top level is not a JSON object");
    ds_meta_clear(&m);
    cr_expect_eq(rd("{\"name\": \"plain JSON\"}", &m, &err), DS_EFORMAT);
    cr_expect(strncmp(err.msg, "not a recognised metadata format", 32) == 0, "%s", err.msg);
    ds_meta_clear(&m);
    /* wrong types are tolerated: the value is ignored */
    cr_expect_eq(rd("{\"@context\": {\"cr\": \"http://mlcommons.org/croissant/\"}, \"name\": 3, "
                    "\"license\": {\"a\": [1]}, \"recordSet\": 7}",
                    &m, &err),
                 DS_OK);
    ds_meta_clear(&m);
    /* deep nesting is refused, not recursed into */
    char deep[300];
    memset(deep, '[', 200);
    deep[200] = 0;
    cr_expect_eq(rd(deep, &m, &err), DS_EFORMAT);
    cr_expect(strstr(err.msg, "nested deeper") != NULL, "%s", err.msg);
    ds_meta_clear(&m);
}
