/* tests: the YAML rule-file parser (rules/rules_parse.c).
 *
 * Valid files must parse into exactly the expected ds_rule_def values, locations
 * included. Error cases live in tests/rules/parse-errors.txt (format at its top)
 * and are checked in one test; the few that need bytes a text file cannot hold
 * comfortably, or a full message with excerpt and caret, are written here. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "rules/rule_def.h"
#include "rules/validators.h"
#include "util.h"

#define ASSERT_LOC(l, L, C)                                                                        \
    cr_assert((l).line == (L) && (l).col == (C), "%s: got %u:%u, want %u:%u", #l, (l).line,        \
              (l).col, (unsigned)(L), (unsigned)(C))

static ds_status parse(const char *yaml, ds_rule_def **r, size_t *n, ds_error *err)
{
    ds_error_clear(err);
    return ds_rules_parse("t.yml", yaml, strlen(yaml), r, n, err);
}

static ds_rule_def *parse_ok(const char *yaml, size_t *n)
{
    ds_rule_def *r = NULL;
    ds_error err;
    ds_status st = parse(yaml, &r, n, &err);
    cr_assert_eq(st, DS_OK, "%s: %s", err.where, err.msg);
    cr_assert_not_null(r);
    return r;
}

/* Parse text that must fail; check where and the whole message (or, when
 * msg has no newline, only its first line). */
static void expect_error(const char *text, size_t len, const char *where, const char *msg)
{
    ds_rule_def *r = (ds_rule_def *)1;
    size_t n = 99;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_rules_parse("bad.yml", text, len, &r, &n, &err), DS_ERULE);
    cr_assert_null(r);
    cr_assert_eq(n, 0);
    cr_assert_eq(err.status, DS_ERULE);
    cr_assert_str_eq(err.where, where);
    if (strchr(msg, '\n')) {
        cr_assert_str_eq(err.msg, msg);
    } else {
        size_t l = strcspn(err.msg, "\n");
        cr_assert(strlen(msg) == l && strncmp(err.msg, msg, l) == 0, "got: %s\nwant: %s", err.msg,
                  msg);
    }
}

static void assert_strv(const ds_strv *s, size_t n, const char *const *v, const unsigned *lc)
{
    cr_assert_eq(s->n, n, "n = %zu, want %zu", s->n, n);
    for (size_t k = 0; k < n; k++) {
        cr_assert_str_eq(s->v[k], v[k]);
        ASSERT_LOC(s->loc[k], lc[2 * k], lc[2 * k + 1]);
    }
}

static const char FULL[] =
    "# patterns/contact.yml\n"
    "description: Contact details\n"
    "rules:\n"
    "  - id: email\n"
    "    type: EMAIL\n"
    "    category: personal\n"
    "    severity: medium\n"
    "    description: An e-mail address.\n"
    "    confidence: 0.8\n"
    "    regex: '[a-z]+@[a-z]+\\.fr'\n" /* 10 */
    "    prefilter: '@'\n"
    "    caseless: yes\n"
    "    validator: luhn\n"
    "    context:\n"
    "      en: [email, e-mail]\n" /* 15 */
    "      fr: [courriel, m\xC3\xA9l]\n"
    "    context_required: false\n"
    "    context_window: 32\n"
    "    keywords:\n"
    "      en: [diabetes]\n" /* 20 */
    "    columns: [email, e_mail, courriel]\n"
    "    column_only: no\n"
    "    exclude: ['@example\\.(com|org)$']\n"
    "    allow: [noreply@example.com]\n"
    "    examples:\n" /* 25 */
    "      positive: ['write to jane.doe@mail.example.fr', {value: 'x@y.fr', field: courriel}]\n"
    "      negative: ['jane.doe at mail dot fr']\n"
    "  - id: person.name\n"
    "    type: PERSON_NAME\n"
    "    category: personal\n" /* 30 */
    "    severity: low\n"
    "    columns: [nom, last_name]\n"
    "    column_only: true\n";

Test(rules_parse, full_rule_fills_every_field_and_location)
{
    size_t n = 0;
    ds_rule_def *r = parse_ok(FULL, &n);
    cr_assert_eq(n, 2);

    const ds_rule_def *e = &r[0];
    cr_assert_str_eq(e->id, "email");
    cr_assert_str_eq(e->type, "EMAIL");
    cr_assert_str_eq(e->category, "personal");
    cr_assert_str_eq(e->severity, "medium");
    cr_assert_str_eq(e->description, "An e-mail address.");
    cr_assert(e->confidence == 0.8);
    cr_assert_eq(e->has_confidence, 1);
    assert_strv(&e->regex, 1, (const char *const[]){"[a-z]+@[a-z]+\\.fr"},
                (const unsigned[]){10, 12});
    ASSERT_LOC(e->regex_loc, 10, 5);
    cr_assert_str_eq(e->prefilter, "@");
    ASSERT_LOC(e->prefilter_loc, 11, 16);
    cr_assert_eq(e->caseless, 1);
    cr_assert_str_eq(e->validator, "luhn");
    ASSERT_LOC(e->validator_loc, 13, 16);

    cr_assert_eq(e->ncontext, 2);
    cr_assert_str_eq(e->context[0].lang, "en");
    assert_strv(&e->context[0].words, 2, (const char *const[]){"email", "e-mail"},
                (const unsigned[]){15, 12, 15, 19});
    cr_assert_str_eq(e->context[1].lang, "fr");
    assert_strv(&e->context[1].words, 2, (const char *const[]){"courriel", "m\xC3\xA9l"},
                (const unsigned[]){16, 12, 16, 22});
    cr_assert_eq(e->context_required, 0);
    cr_assert_eq(e->context_window, 32);
    cr_assert_eq(e->nkeywords, 1);
    cr_assert_str_eq(e->keywords[0].lang, "en");
    assert_strv(&e->keywords[0].words, 1, (const char *const[]){"diabetes"},
                (const unsigned[]){20, 12});

    assert_strv(&e->columns, 3, (const char *const[]){"email", "e_mail", "courriel"},
                (const unsigned[]){21, 15, 21, 22, 21, 30});
    cr_assert_eq(e->column_only, 0);
    assert_strv(&e->exclude, 1, (const char *const[]){"@example\\.(com|org)$"},
                (const unsigned[]){23, 15});
    assert_strv(&e->allow, 1, (const char *const[]){"noreply@example.com"},
                (const unsigned[]){24, 13});

    cr_assert_eq(e->npositive, 2);
    cr_assert_str_eq(e->positive[0].value, "write to jane.doe@mail.example.fr");
    cr_assert_null(e->positive[0].field);
    ASSERT_LOC(e->positive[0].loc, 26, 18);
    cr_assert_str_eq(e->positive[1].value, "x@y.fr");
    cr_assert_str_eq(e->positive[1].field, "courriel");
    ASSERT_LOC(e->positive[1].loc, 26, 55);
    cr_assert_eq(e->nnegative, 1);
    cr_assert_str_eq(e->negative[0].value, "jane.doe at mail dot fr");
    cr_assert_null(e->negative[0].field);
    ASSERT_LOC(e->negative[0].loc, 27, 18);

    cr_assert_str_eq(e->file, "t.yml");
    ASSERT_LOC(e->loc, 4, 5);

    /* the second rule: only what it says, defaults for the rest */
    const ds_rule_def *p = &r[1];
    cr_assert_str_eq(p->id, "person.name");
    cr_assert_str_eq(p->type, "PERSON_NAME");
    cr_assert_str_eq(p->severity, "low");
    cr_assert_eq(p->column_only, 1);
    assert_strv(&p->columns, 2, (const char *const[]){"nom", "last_name"},
                (const unsigned[]){32, 15, 32, 20});
    ASSERT_LOC(p->loc, 28, 5);
    cr_assert_str_eq(p->file, "t.yml");
    ds_rule_defs_free(r, n);
}

Test(rules_parse, defaults)
{
    size_t n = 0;
    ds_rule_def *r = parse_ok("rules:\n"
                              "- id: a\n"
                              "  type: A\n"
                              "  category: criminal\n"
                              "  severity: info\n"
                              "  regex: x\n",
                              &n);
    cr_assert_eq(n, 1);
    cr_assert(r->confidence == 0.6);
    cr_assert_eq(r->has_confidence, 0);
    cr_assert_eq(r->context_window, 64);
    cr_assert_null(r->description);
    cr_assert_null(r->prefilter);
    ASSERT_LOC(r->prefilter_loc, 0, 0);
    cr_assert_null(r->validator);
    ASSERT_LOC(r->validator_loc, 0, 0);
    cr_assert_eq(r->caseless, 0);
    cr_assert_null(r->context);
    cr_assert_eq(r->ncontext, 0);
    cr_assert_eq(r->context_required, 0);
    cr_assert_null(r->keywords);
    cr_assert_eq(r->nkeywords, 0);
    cr_assert_eq(r->columns.n, 0);
    cr_assert_eq(r->column_only, 0);
    cr_assert_eq(r->exclude.n, 0);
    cr_assert_eq(r->allow.n, 0);
    cr_assert_null(r->positive);
    cr_assert_eq(r->npositive, 0);
    cr_assert_null(r->negative);
    cr_assert_eq(r->nnegative, 0);
    cr_assert_str_eq(r->category, "criminal");
    ASSERT_LOC(r->loc, 2, 3);
    ASSERT_LOC(r->regex_loc, 6, 3);
    assert_strv(&r->regex, 1, (const char *const[]){"x"}, (const unsigned[]){6, 10});
    ds_rule_defs_free(r, n);
}

Test(rules_parse, regex_as_scalar_or_list)
{
    size_t n = 0;
    ds_rule_def *r =
        parse_ok("rules:\n"
                 "  - id: a\n"
                 "    type: A\n"
                 "    category: sensitive\n"
                 "    severity: high\n"
                 "    regex:\n"
                 "      - 'x+'\n"
                 "      - \"y\\\\d\"\n"
                 "      - z{2}\n"
                 "  - {id: b, type: B, category: personal, severity: low, regex: [q]}\n"
                 "  - id: c\n"
                 "    type: C\n"
                 "    category: personal\n"
                 "    severity: low\n"
                 "    regex: |-\n"
                 "      block\\s+scalar\n",
                 &n);
    cr_assert_eq(n, 3);
    assert_strv(&r[0].regex, 3, (const char *const[]){"x+", "y\\d", "z{2}"},
                (const unsigned[]){7, 9, 8, 9, 9, 9});
    ASSERT_LOC(r[0].regex_loc, 6, 5);
    ASSERT_LOC(r[1].loc, 10, 5);
    assert_strv(&r[1].regex, 1, (const char *const[]){"q"}, (const unsigned[]){10, 65});
    ASSERT_LOC(r[1].regex_loc, 10, 57);
    assert_strv(&r[2].regex, 1, (const char *const[]){"block\\s+scalar"},
                (const unsigned[]){15, 12});
    ds_rule_defs_free(r, n);
}

Test(rules_parse, examples_in_both_forms_and_keyword_rules)
{
    size_t n = 0;
    ds_rule_def *r =
        parse_ok("description: Health\n"
                 "rules:\n"
                 "  - id: health.diabetes\n"
                 "    type: HEALTH\n"
                 "    category: sensitive\n"
                 "    severity: high\n"
                 "    keywords: {fr: [diab\xC3\xA8te], en: [diabetes, type 2 diabetes]}\n"
                 "    examples:\n"
                 "      negative:\n"
                 "        - value: plain text\n"
                 "        - ''\n"
                 "        - {field: notes, value: sugar}\n"
                 "      positive:\n"
                 "        - il a du diab\xC3\xA8te\n",
                 &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(r->regex.n, 0);
    cr_assert_eq(r->nkeywords, 2);
    cr_assert_str_eq(r->keywords[0].lang, "fr");
    cr_assert_str_eq(r->keywords[1].lang, "en");
    assert_strv(&r->keywords[1].words, 2, (const char *const[]){"diabetes", "type 2 diabetes"},
                (const unsigned[]){7, 36, 7, 46});
    cr_assert_eq(r->nnegative, 3);
    cr_assert_str_eq(r->negative[0].value, "plain text");
    cr_assert_null(r->negative[0].field);
    ASSERT_LOC(r->negative[0].loc, 10, 11);
    cr_assert_str_eq(r->negative[1].value, "");
    ASSERT_LOC(r->negative[1].loc, 11, 11);
    cr_assert_str_eq(r->negative[2].value, "sugar");
    cr_assert_str_eq(r->negative[2].field, "notes");
    ASSERT_LOC(r->negative[2].loc, 12, 11);
    cr_assert_eq(r->npositive, 1);
    cr_assert_str_eq(r->positive[0].value, "il a du diab\xC3\xA8te");
    ASSERT_LOC(r->positive[0].loc, 14, 11);
    ds_rule_defs_free(r, n);
}

Test(rules_parse, scalar_forms_booleans_numbers_and_encodings)
{
    size_t n = 0;
    /* BOM, CRLF line ends, quoted numbers and booleans, YAML 1.1 spellings */
    ds_rule_def *r = parse_ok("\xEF\xBB\xBFrules:\r\n"
                              "  - id: '0x'\r\n"
                              "    type: \"X_1\"\r\n"
                              "    category: personal\r\n"
                              "    severity: low\r\n"
                              "    confidence: 1\r\n"
                              "    context_window: '4096'\r\n"
                              "    caseless: True\r\n"
                              "    column_only: YES\r\n"
                              "    context_required: 'no'\r\n"
                              "    columns: [a]\r\n"
                              "  - id: y\r\n"
                              "    type: Y\r\n"
                              "    category: personal\r\n"
                              "    severity: low\r\n"
                              "    regex: y\r\n"
                              "    confidence: .25e0\r\n",
                              &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(r[0].id, "0x");
    cr_assert_str_eq(r[0].type, "X_1");
    cr_assert(r[0].confidence == 1.0);
    cr_assert_eq(r[0].context_window, 4096);
    cr_assert_eq(r[0].caseless, 1);
    cr_assert_eq(r[0].column_only, 1);
    cr_assert_eq(r[0].context_required, 0);
    ASSERT_LOC(r[0].loc, 2, 5);
    ASSERT_LOC(r[0].columns.loc[0], 11, 15);
    cr_assert(r[1].confidence == 0.25);
    ASSERT_LOC(r[1].regex_loc, 16, 5);
    ds_rule_defs_free(r, n);
}

Test(rules_parse, null_arguments)
{
    ds_rule_def *r = NULL;
    size_t n = 0;
    const char *y = "rules: [{id: a, type: A, category: personal, severity: low, regex: a}]";
    /* no path, no error record: still works, file is NULL */
    cr_assert_eq(ds_rules_parse(NULL, y, strlen(y), &r, &n, NULL), DS_OK);
    cr_assert_eq(n, 1);
    cr_assert_null(r->file);
    ds_rule_defs_free(r, n);
    cr_assert_eq(ds_rules_parse(NULL, "rules: []", 9, &r, &n, NULL), DS_ERULE);
    cr_assert_null(r);
    ds_rule_defs_free(NULL, 0);
    ds_rule_def_clear(NULL);
}

/* ---- errors --------------------------------------------------------------- */

/* tests/rules/parse-errors.txt: cases separated by "=== name" lines, each with
 * "where:" and "msg:" lines, then the rule file between "<<<" and ">>>" lines
 * (taken byte for byte, including its last newline). */
Test(rules_parse, error_table)
{
    size_t len;
    char *data = read_file("tests/rules/parse-errors.txt", &len);
    unsigned ncases = 0, nfail = 0;
    char *s = data;
    char name[200] = "", where[200] = "", msg[400] = "";
    while (s && *s) {
        char *eol = strchr(s, '\n');
        if (!eol)
            break;
        *eol = '\0';
        if (strncmp(s, "=== ", 4) == 0) {
            snprintf(name, sizeof name, "%s", s + 4);
            where[0] = msg[0] = '\0';
        } else if (strncmp(s, "where: ", 7) == 0) {
            snprintf(where, sizeof where, "%s", s + 7);
        } else if (strncmp(s, "msg: ", 5) == 0) {
            snprintf(msg, sizeof msg, "%s", s + 5);
        } else if (strcmp(s, "<<<") == 0) {
            char *body = eol + 1;
            char *stop = body; /* an empty file */
            if (strncmp(body, ">>>\n", 4) != 0) {
                char *end = strstr(body, "\n>>>\n");
                stop = end ? end + 1 : NULL;
            }
            cr_assert_not_null(stop, "case '%s': no closing >>>", name);
            cr_assert(where[0] && msg[0], "case '%s': where: or msg: missing", name);
            ds_rule_def *r = NULL;
            size_t n = 0;
            ds_error err;
            ds_error_clear(&err);
            ds_status st = ds_rules_parse("bad.yml", body, (size_t)(stop - body), &r, &n, &err);
            size_t l = strcspn(err.msg, "\n");
            ncases++;
            if (st != DS_ERULE || r != NULL || n != 0 || strcmp(err.where, where) != 0 ||
                strlen(msg) != l || strncmp(err.msg, msg, l) != 0) {
                nfail++;
                cr_expect(0, "case '%s':\n  got  %s %s: %.*s\n  want %s: %s", name,
                          ds_status_str(st), err.where, (int)l, err.msg, where, msg);
                ds_rule_defs_free(r, n);
            }
            /* every message carries the source line and a caret under it */
            char *nl2 = strchr(err.msg + l + (err.msg[l] != 0), '\n');
            cr_expect(err.msg[l] == '\n' && nl2 && strchr(nl2, '^'), "case '%s': no excerpt: %s",
                      name, err.msg);
            eol = stop + 3;
        }
        s = eol + 1;
    }
    free(data);
    cr_assert_geq(ncases, 20, "only %u cases read", ncases);
    cr_assert_eq(nfail, 0, "%u of %u cases failed", nfail, ncases);
}

Test(rules_parse, message_has_line_and_caret)
{
    const char *y = "rules:\n"
                    "  - id: a\n"
                    "    type: A\n"
                    "    category: personal\n"
                    "    severity: urgent\n"
                    "    regex: a\n";
    expect_error(y, strlen(y), "bad.yml:5:15",
                 "invalid severity 'urgent'; expected info, low, medium or high\n"
                 "    severity: urgent\n"
                 "              ^");
}

Test(rules_parse, caret_keeps_tabs_and_counts_characters)
{
    /* a tab inside a flow sequence is fine for YAML; é is one column */
    const char *y = "rules: [{id: \xC3\xA9t\xC3\xA9,\ttype: A}]\n";
    expect_error(y, strlen(y), "bad.yml:1:14",
                 "invalid id '\xC3\xA9t\xC3\xA9'; ids match [a-z0-9][a-z0-9_.-]*\n"
                 "rules: [{id: \xC3\xA9t\xC3\xA9,\ttype: A}]\n"
                 "             ^");
    const char *t = "rules: [{id: a,\ttype: a}]\n";
    expect_error(t, strlen(t), "bad.yml:1:23",
                 "invalid type 'a'; types match [A-Z][A-Z0-9_]*\n"
                 "rules: [{id: a,\ttype: a}]\n"
                 "               \t      ^");
}

Test(rules_parse, long_lines_are_cut_around_the_caret)
{
    ds_buf b = {0};
    ds_buf_puts(&b, "rules: [{id: a, type: A, category: personal, regex: '");
    for (int k = 0; k < 300; k++)
        ds_buf_putc(&b, 'x');
    ds_buf_puts(&b, "', severity: bad}]\n");
    ds_rule_def *r = NULL;
    size_t n = 0;
    ds_error err;
    cr_assert_eq(ds_rules_parse("bad.yml", b.data, b.len, &r, &n, &err), DS_ERULE);
    cr_assert_str_eq(err.where, "bad.yml:1:367");
    const char *l2 = strchr(err.msg, '\n') + 1;
    const char *l3 = strchr(l2, '\n') + 1;
    cr_assert_null(strchr(l3, '\n'));
    cr_assert(l3 - l2 - 1 <= 206, "excerpt of %d bytes", (int)(l3 - l2 - 1));
    cr_assert(strncmp(l2, "...x", 4) == 0, "%s", err.msg);
    cr_assert(strstr(l2, "', severity: bad}]\n") != NULL, "%s", err.msg);
    /* the caret sits under the 'b' of bad */
    size_t caret = strlen(l3) - 1;
    cr_assert_eq(l3[caret], '^');
    cr_assert_eq(l2[caret], 'b', "%s", err.msg);
    cr_assert_leq(strlen(err.msg), sizeof err.msg - 1);
    ds_buf_free(&b);
}

Test(rules_parse, unknown_validator_lists_the_registry)
{
    const char *y = "rules:\n"
                    "  - id: a\n"
                    "    type: A\n"
                    "    category: personal\n"
                    "    severity: low\n"
                    "    regex: a\n"
                    "    validator: lunh\n";
    size_t nv;
    const ds_validator *v = ds_validator_list(&nv);
    cr_assert_geq(nv, 1);
    char want[300];
    int w = snprintf(want, sizeof want, "unknown validator 'lunh'; known: %s", v[0].name);
    ds_rule_def *r = NULL;
    size_t n = 0;
    ds_error err;
    cr_assert_eq(ds_rules_parse("bad.yml", y, strlen(y), &r, &n, &err), DS_ERULE);
    cr_assert_null(r);
    cr_assert_str_eq(err.where, "bad.yml:7:16");
    cr_assert(strncmp(err.msg, want, (size_t)w) == 0, "%s", err.msg);
    for (size_t k = 0; k < nv && k < 3; k++)
        cr_assert(strstr(err.msg, v[k].name), "%s missing from: %s", v[k].name, err.msg);
    cr_assert(strstr(err.msg, "\n    validator: lunh\n               ^"), "%s", err.msg);
}

Test(rules_parse, bytes_a_text_table_cannot_hold)
{
    static const char nul[] = "rules: [{id: \"a\\0b\", type: A}]\n";
    expect_error(nul, strlen(nul), "bad.yml:1:14", "'id' contains a NUL character");
    static const char utf8[] = "rules:\n  - id: \xFF\n";
    expect_error(utf8, strlen(utf8), "bad.yml:2:9",
                 "invalid text: invalid leading UTF-8 octet (byte 0xFF); rule files are UTF-8");
    static const char utf16[] = "\xFF\xFEr\0u\0";
    expect_error(utf16, sizeof utf16 - 1, "bad.yml:1:1",
                 "invalid text: invalid leading UTF-8 octet (byte 0xFF); rule files are UTF-8");
    static const char ctl[] = "rules: [\x01]\n";
    expect_error(ctl, strlen(ctl), "bad.yml:1:9",
                 "invalid text: control characters are not allowed (byte 0x01); rule files are "
                 "UTF-8\n"
                 "rules: [?]\n"
                 "        ^");
    /* NUL in the middle of the buffer: the length, not the NUL, ends the text */
    static const char mid[] = "rules: []\n\0junk";
    expect_error(mid, sizeof mid - 1, "bad.yml:2:1",
                 "invalid text: control characters are not allowed (byte 0x00); rule files are "
                 "UTF-8");
    expect_error(NULL, 0, "bad.yml:1:1", "empty rule file; expected a mapping with a 'rules' list");
}

/* Every prefix of a valid file either parses or fails cleanly (no crash, no
 * leak under ASan, NULL result, a located message). */
Test(rules_parse, every_prefix_fails_cleanly_or_parses)
{
    size_t len = sizeof FULL - 1;
    for (size_t k = 0; k <= len; k++) {
        ds_rule_def *r = NULL;
        size_t n = 0;
        ds_error err;
        ds_error_clear(&err);
        ds_status st = ds_rules_parse("p.yml", FULL, k, &r, &n, &err);
        if (st == DS_OK) {
            cr_assert_not_null(r);
            ds_rule_defs_free(r, n);
        } else {
            cr_assert_eq(st, DS_ERULE, "prefix %zu: %s", k, ds_status_str(st));
            cr_assert_null(r);
            cr_assert(strncmp(err.where, "p.yml:", 6) == 0, "prefix %zu: %s", k, err.where);
            cr_assert(strchr(err.msg, '^'), "prefix %zu: %s", k, err.msg);
        }
    }
}

/* Every shipped rule file parses (the list grows as rules are added). */
Test(rules_parse, shipped_pattern_files_parse)
{
    glob_t g;
    int rc = glob("patterns/*.yml", 0, NULL, &g);
    cr_assert(rc == 0 || rc == GLOB_NOMATCH);
    for (size_t k = 0; rc == 0 && k < g.gl_pathc; k++) {
        size_t len;
        char *text = read_file(g.gl_pathv[k], &len);
        ds_rule_def *r = NULL;
        size_t n = 0;
        ds_error err;
        ds_error_clear(&err);
        ds_status st = ds_rules_parse(g.gl_pathv[k], text, len, &r, &n, &err);
        cr_expect_eq(st, DS_OK, "%s: %s", err.where, err.msg);
        if (st == DS_OK) {
            cr_expect_gt(n, 0, "%s", g.gl_pathv[k]);
            for (size_t i = 0; i < n; i++)
                cr_expect_str_eq(r[i].file, g.gl_pathv[k]);
        }
        ds_rule_defs_free(r, n);
        free(text);
    }
    if (rc == 0)
        globfree(&g);
}
