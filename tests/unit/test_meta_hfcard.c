/* tests: the Hugging Face dataset card reader (front matter, sections,
 * legacy headings, placeholders, malformed YAML). */
#include <criterion/criterion.h>
#include <string.h>

#include "checks/meta_model.h"

static ds_status rd(const char *md, ds_meta *m, ds_error *err)
{
    ds_meta_init(m);
    ds_error_clear(err);
    return ds_meta_read_buffer(md, strlen(md), "d/README.md", m, err);
}

Test(meta_hfcard, compliant_fixture)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/hf-card/compliant/README.md", &m, &err), DS_OK);
    cr_expect_str_eq(m.format, "hf-card");
    cr_expect_str_eq(m.name, "Acme Support Tickets (FR, pseudonymised)");
    cr_expect_str_eq(m.licenses.v[0], "cc-by-nc-4.0");
    cr_expect_str_eq(m.access, "gated");
    cr_expect_str_eq(m.size_category, "10K<n<100K");
    cr_expect_str_eq(m.art6, "legitimate-interests"); /* from the dsaudit block */
    cr_expect_str_eq(m.ctrl_name, "Acme SAS");
    cr_expect_str_eq(m.rights_contact, "dpo@acme.example");
    cr_expect_str_eq(m.origins[0].url, "https://data.acme.example/datasets/support-tickets-fr");
    cr_expect(strncmp(m.purpose, "Training and evaluating", 23) == 0);
    cr_expect_eq(m.ndecls, 4);
    cr_expect_eq(m.labels, 1);
    cr_expect_eq(m.embedded, 1);
    ds_meta_clear(&m);
}

Test(meta_hfcard, placeholders_are_absent)
{
    ds_meta m;
    ds_meta_init(&m);
    ds_error err;
    cr_assert_eq(ds_meta_read_file("fixtures/metadata/hf-card/deficient-minimal/README.md", &m, &err),
                 DS_OK);
    cr_expect_null(m.ctrl_name);
    cr_expect_null(m.ctrl_contact);
    cr_expect_null(m.purpose);
    cr_expect_null(m.pd_text);
    cr_expect_null(m.name, "'Dataset Card for Dataset Name' is the template title");
    cr_expect_eq(m.norigins, 0);
    cr_expect_eq(m.pd_present, -1);
    ds_meta_clear(&m);
}

Test(meta_hfcard, legacy_headings)
{
    const char *md = "---\nlicense: mit\n---\n# Dataset Card for Old\n"
                     "### Supported Tasks and Leaderboards\nSentiment classification of movie "
                     "reviews in French for benchmarking.\n"
                     "#### Initial Data Collection and Normalization\nReviews were crawled from "
                     "allocine.fr in 2019.\n"
                     "### Privacy Considerations\nUser names are kept.\n"
                     "### Licensing Information\nIgnored when the YAML has one.\n"
                     "```\n# not a heading\n```\n";
    ds_meta m;
    ds_error err;
    cr_assert_eq(rd(md, &m, &err), DS_OK, "%s", err.msg);
    cr_expect_str_eq(m.name, "Old");
    cr_expect_str_eq(m.licenses.v[0], "mit");
    cr_expect_eq(m.licenses.n, 1);
    cr_expect(strncmp(m.purpose, "Sentiment classification", 24) == 0);
    cr_expect(ds_slist_has(&m.methods, "web-scraping"));
    cr_expect_eq(m.pd_present, 1);
    ds_meta_clear(&m);
}

Test(meta_hfcard, malformed_front_matter)
{
    ds_meta m;
    ds_error err;
    cr_expect_eq(rd("---\nlicense: mit\nlanguage: [en\n---\n# x\n", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.where, "d/README.md:4");
    cr_expect(strncmp(err.msg, "invalid YAML", 12) == 0, "%s", err.msg);
    ds_meta_clear(&m);
    cr_expect_eq(rd("---\nlicense: mit\n# never closed\n", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "YAML front matter opened on line 1 is never closed with '---'");
    ds_meta_clear(&m);
    cr_expect_eq(rd("---\na: &x 1\nb: *x\n---\n", &m, &err), DS_EFORMAT);
    cr_expect_str_eq(err.msg, "YAML aliases are not supported");
    cr_expect_str_eq(err.where, "d/README.md:3");
    ds_meta_clear(&m);
    cr_expect_eq(rd("---\n- a\n- b\n---\n", &m, &err), DS_EFORMAT);
    ds_meta_clear(&m);
    /* no front matter at all: read the Markdown only */
    cr_expect_eq(rd("# Dataset Card for Plain\n", &m, &err), DS_OK);
    cr_expect_str_eq(m.name, "Plain");
    ds_meta_clear(&m);
}
