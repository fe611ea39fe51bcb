/* tests: ruleset compilation and the detector, with rules given inline. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <pcre2.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/agg.h"
#include "common/buf.h"
#include "detect/detect.h"
#include "detect/examples.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"
#include "util.h"

static ds_ruleset *load(const char *yaml, const ds_ruleset_opts *o)
{
    const char *names[] = {"t.yml"};
    const char *texts[] = {yaml};
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_status rc = ds_ruleset_load_mem(names, texts, 1, o, &rs, &err);
    cr_assert_eq(rc, DS_OK, "load failed: %s: %s", err.where, err.msg);
    return rs;
}

/* Collects findings as "field:rule:start-end:conf" lines. */
static ds_status collect(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    ds_buf *b = ctx;
    for (size_t i = 0; i < n; i++) {
        const ds_field *fl = &rec->fields[f[i].field];
        ds_buf_printf(b, "%.*s:%s:%llu-%llu:%.2f\n", (int)fl->name_len, fl->name, f[i].rule->id,
                      (unsigned long long)f[i].start, (unsigned long long)f[i].end,
                      f[i].confidence);
    }
    return DS_OK;
}

static char *scan_fields(const ds_ruleset *rs, const char *const *kv, size_t nkv, double minc)
{
    ds_detector *d;
    ds_detect_opts o = {minc};
    cr_assert_eq(ds_detector_new(rs, &o, &d, NULL), DS_OK);
    ds_field f[8];
    for (size_t i = 0; i < nkv; i++) {
        const char *name = kv[2 * i], *val = kv[2 * i + 1];
        f[i] = (ds_field){name, strlen(name), val, strlen(val), 0, strlen(val)};
    }
    ds_record rec = {1, 1, f, nkv, 0};
    ds_buf b = {0};
    ds_sink sink = {&b, collect};
    cr_assert_eq(ds_detector_scan(d, &rec, &sink, NULL), DS_OK);
    ds_detector_free(d);
    ds_buf_puts(&b, "");
    return b.data;
}

static char *scan1(const ds_ruleset *rs, const char *field, const char *value)
{
    const char *kv[] = {field, value};
    return scan_fields(rs, kv, 1, DS_DEFAULT_MIN_CONFIDENCE);
}

static const char *EMAIL_RULE =
    "rules:\n"
    "  - id: email\n"
    "    type: EMAIL\n"
    "    category: personal\n"
    "    severity: medium\n"
    "    confidence: 0.6\n"
    "    regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}'\n"
    "    context: {en: [email], fr: [courriel]}\n"
    "    columns: [courriel, e_mail]\n"
    "    exclude: ['@example\\.invalid$']\n"
    "    allow: [noreply@exemple.fr]\n"
    "    examples: {positive: ['a@b.fr'], negative: ['nothing']}\n";

Test(detect, spans_confidence_context_and_columns)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    char *got = scan1(rs, "body", "write to jean.dupont@orange.fr or to x@y.org");
    cr_assert_str_eq(got, "body:email:9-30:0.60\nbody:email:37-44:0.60\n");
    free(got);
    got = scan1(rs, "body", "my email: jean@orange.fr");
    cr_assert_str_eq(got, "body:email:10-24:0.75\n");
    free(got);
    /* the word must be whole: "emails" is not "email" */
    got = scan1(rs, "body", "emailsx jean@orange.fr");
    cr_assert_str_eq(got, "body:email:8-22:0.60\n");
    free(got);
    got = scan1(rs, "Courriel", "jean@orange.fr");
    cr_assert_str_eq(got, "Courriel:email:0-14:0.75\n");
    free(got);
    got = scan1(rs, "contact.e-mail", "courriel : jean@orange.fr");
    cr_assert_str_eq(got, "contact.e-mail:email:11-25:0.90\n");
    free(got);
    ds_ruleset_free(rs);
}

/* A context word found at every position around a match, as a whole word
 * and only inside the context window: the word is slid over 120 positions
 * of a value (the detector reads word starts 16 bytes at a time), next to
 * a word character or not, for a word that starts with a letter and for
 * one that starts with '#'. */
static const char *CTX_RULE = "rules:\n"
                              "  - id: code\n"
                              "    type: CODE\n"
                              "    category: personal\n"
                              "    severity: low\n"
                              "    confidence: 0.5\n"
                              "    regex: '(?<![A-Za-z0-9])QX[A-Z]{4}(?![A-Za-z0-9])'\n"
                              "    context_required: true\n"
                              "    context_window: 30\n"
                              "    context: {en: [zipcode, '#ref']}\n"
                              "    examples: {positive: ['zipcode QXABCD'], negative: "
                              "['QXABCD']}\n";

Test(detect, context_word_at_every_position)
{
    ds_ruleset *rs = load(CTX_RULE, NULL);
    const size_t m = 60, ml = 6, w = 30; /* the match [60, 66), its window [30, 96) */
    const char *words[] = {"zipcode", "#ref"};
    size_t found = 0;
    for (size_t k = 0; k < 2; k++) {
        size_t wl = strlen(words[k]);
        for (size_t p = 0; p + wl <= 120; p++) {
            for (int glued = 0; glued < 2; glued++) {
                char v[128];
                memset(v, ' ', 120);
                v[120] = 0;
                memcpy(v + m, "QXABCD", ml);
                if (p + wl <= m - 1 || p >= m + ml + 1) /* clear of the match */
                    memcpy(v + p, words[k], wl);
                else
                    continue;
                /* a word byte right before it: no longer a whole word */
                if (glued && p > 0 && p - 1 != m + ml)
                    v[p - 1] = 'a';
                else if (glued)
                    continue;
                int inside = p >= m - w && p + wl <= m + ml + w;
                int whole = !glued;
                char *got = scan1(rs, "notes", v);
                if (inside && whole) {
                    cr_expect_str_eq(got, "notes:code:60-66:0.65\n", "'%s' at %zu", words[k], p);
                    found++;
                } else {
                    cr_expect_str_eq(got, "", "'%s' at %zu, glued %d", words[k], p, glued);
                }
                free(got);
            }
        }
    }
    /* zipcode at 30-52 and 67-89, #ref at 30-55 and 67-92 */
    cr_assert_eq(found, 23 + 23 + 26 + 26);
    ds_ruleset_free(rs);
}

Test(detect, exclude_allow_and_min_confidence)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    char *got = scan1(rs, "b", "bob@example.invalid and noreply@exemple.fr");
    cr_assert_str_eq(got, "");
    free(got);
    const char *kv[] = {"b", "jean@orange.fr"};
    got = scan_fields(rs, kv, 1, 0.7);
    cr_assert_str_eq(got, "");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, findings_sorted_by_field_then_start)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    const char *kv[] = {"a", "z@z.fr then a@a.fr", "b", "b@b.fr"};
    char *got = scan_fields(rs, kv, 2, 0.5);
    cr_assert_str_eq(got, "a:email:0-6:0.60\na:email:12-18:0.60\nb:email:0-6:0.60\n");
    free(got);
    ds_ruleset_free(rs);
}

static const char *CARD_RULE =
    "rules:\n"
    "  - id: card\n"
    "    type: CREDIT_CARD\n"
    "    category: personal\n"
    "    severity: high\n"
    "    confidence: 0.8\n"
    "    regex: '\\b[0-9]{16}\\b'\n"
    "    validator: luhn\n"
    "    examples: {positive: ['4012888888881881'], negative: ['4012888888881882']}\n"
    "  - id: backref\n"
    "    type: REPEAT\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.9\n"
    "    regex: '\\b([a-z]{3})-\\1\\b'\n"
    "    examples: {positive: ['abc-abc'], negative: ['abc-abd']}\n"
    "  - id: kw\n"
    "    type: HEALTH\n"
    "    category: sensitive\n"
    "    severity: high\n"
    "    confidence: 0.7\n"
    "    keywords: {en: [diabetes, type 2 diabetes], fr: [diabète]}\n"
    "    examples: {positive: ['she has diabetes'], negative: ['prediabetes tests']}\n";

Test(detect, validator_backreference_and_keywords)
{
    ds_ruleset *rs = load(CARD_RULE, NULL);
    char *got = scan1(rs, "t", "cards 4012888888881881 and 4012888888881882");
    cr_assert_str_eq(got, "t:card:6-22:0.80\n");
    free(got);
    got = scan1(rs, "t", "xyz-xyz but not xyz-xyq");
    cr_assert_str_eq(got, "t:backref:0-7:0.90\n");
    free(got);
    got = scan1(rs, "t", "Diabète de type 2; TYPE 2  Diabetes; prediabetes");
    cr_assert_str_eq(got, "t:kw:0-8:0.70\nt:kw:20-36:0.70\n");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, lang_filter_drops_keywords)
{
    const char *fr[] = {"fr"};
    ds_ruleset_opts o = {0};
    o.langs = fr;
    o.nlangs = 1;
    ds_ruleset *rs = load(CARD_RULE, &o);
    char *got = scan1(rs, "t", "diabetes, diabète");
    cr_assert_str_eq(got, "t:kw:10-18:0.70\n");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, enable_disable_by_id_type_category)
{
    const char *dis[] = {"sensitive", "REPEAT"};
    ds_ruleset_opts o = {0};
    o.disable = dis;
    o.ndisable = 2;
    ds_ruleset *rs = load(CARD_RULE, &o);
    cr_assert_eq(ds_ruleset_count(rs), 1);
    cr_assert_str_eq(ds_ruleset_rule(rs, 0)->id, "card");
    ds_ruleset_free(rs);
    const char *en[] = {"kw"};
    ds_ruleset_opts o2 = {0};
    o2.enable = en;
    o2.nenable = 1;
    rs = load(CARD_RULE, &o2);
    cr_assert_eq(ds_ruleset_count(rs), 1);
    cr_assert_str_eq(ds_ruleset_rule(rs, 0)->id, "kw");
    ds_ruleset_free(rs);
}

Test(detect, windows_own_their_starts_and_offsets_are_absolute)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    ds_detector *d;
    cr_assert_eq(ds_detector_new(rs, NULL, &d, NULL), DS_OK);
    /* window 2 of a long value: starts at 1000, owns 20 bytes */
    const char *v = "   a@b.fr     c@d.fr  x@y.fr";
    ds_field f = {"text", 4, v, strlen(v), 1000, 20};
    ds_record rec = {1, 1, &f, 1, 1};
    ds_buf b = {0};
    ds_sink sink = {&b, collect};
    ds_detector_scan(d, &rec, &sink, NULL);
    cr_assert_str_eq(b.data, "text:email:1003-1009:0.60\ntext:email:1014-1020:0.60\n");
    ds_buf_free(&b);
    ds_detector_free(d);
    ds_ruleset_free(rs);
}

Test(detect, catastrophic_regex_hits_the_limit_in_bounded_time)
{
    const char *y = "rules:\n"
                    "  - id: redos\n"
                    "    type: X\n"
                    "    category: personal\n"
                    "    severity: low\n"
                    "    regex: '^(a+)+(?=b)'\n"
                    "    examples: {positive: ['aab'], negative: ['b']}\n";
    ds_ruleset *rs = load(y, NULL);
    ds_detector *d;
    cr_assert_eq(ds_detector_new(rs, NULL, &d, NULL), DS_OK);
    char v[4001];
    memset(v, 'a', 4000); /* no 'b': Vectorscan, which ignores the
                           * lookahead, passes it to PCRE2, which backtracks */
    v[4000] = 0;
    ds_field f = {"t", 1, v, 4000, 0, 4000};
    ds_record rec = {1, 1, &f, 1, 0};
    ds_detector_scan(d, &rec, NULL, NULL);
    cr_assert_eq(ds_detector_stats(d)->limit_hits, 1);
    cr_assert_str_eq(ds_detector_stats(d)->limit_rule->id, "redos");
    ds_detector_free(d);
    ds_ruleset_free(rs);
}

static void assert_load_error(const char *yaml, const char *where, const char *msg_prefix)
{
    const char *names[] = {"bad.yml"};
    const char *texts[] = {yaml};
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_mem(names, texts, 1, NULL, &rs, &err), DS_ERULE);
    cr_assert_null(rs);
    cr_assert_str_eq(err.where, where);
    cr_assert(strncmp(err.msg, msg_prefix, strlen(msg_prefix)) == 0, "msg: %s", err.msg);
}

Test(detect, compile_errors_point_at_the_regex)
{
    assert_load_error("rules:\n"
                      "  - id: a\n"
                      "    type: X\n"
                      "    category: personal\n"
                      "    severity: low\n"
                      "    regex: 'ab(c'\n"
                      "    examples: {positive: ['abc'], negative: ['b']}\n",
                      "bad.yml:6:17", "rule 'a': invalid regex: missing closing parenthesis");
    assert_load_error("rules:\n"
                      "  - id: a\n"
                      "    type: X\n"
                      "    category: personal\n"
                      "    severity: low\n"
                      "    regex: 'x'\n"
                      "  - id: a\n"
                      "    type: Y\n"
                      "    category: personal\n"
                      "    severity: low\n"
                      "    regex: 'y'\n",
                      "bad.yml:7:5", "duplicate rule id 'a'");
}

Test(detect, duplicate_ids_across_files)
{
    const char *a = "rules:\n  - id: same\n    type: X\n    category: personal\n"
                    "    severity: low\n    regex: 'x'\n";
    const char *names[] = {"one.yml", "two.yml"};
    const char *texts[] = {a, a};
    ds_ruleset *rs = NULL;
    ds_error err;
    cr_assert_eq(ds_ruleset_load_mem(names, texts, 2, NULL, &rs, &err), DS_ERULE);
    cr_assert_str_eq(err.where, "two.yml:2:5");
    cr_assert_str_eq(err.msg, "duplicate rule id 'same' (first defined in one.yml)");
}

/* ds_rules_run_examples on rs: the failure report (malloc'd) and counts. */
static char *run_examples(const ds_ruleset *rs, unsigned *passed, unsigned *failed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *rep = open_memstream(&buf, &len);
    cr_assert_not_null(rep);
    cr_assert_eq(ds_rules_run_examples(rs, rep, passed, failed), 0);
    fclose(rep);
    return buf;
}

Test(detect, builtin_rules_pass_their_examples)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s: %s", err.where, err.msg);
    cr_assert_geq(ds_ruleset_count(rs), 5);
    unsigned p = 0, f = 0;
    char *buf = run_examples(rs, &p, &f);
    cr_assert_eq(f, 0, "%s", buf);
    cr_assert_geq(p, 20);
    free(buf);
    /* every built-in pattern goes through Vectorscan: none is left to
     * PCRE2-on-every-value, which would be slow */
    for (size_t i = 0; i < rs->npats; i++)
        cr_assert(rs->pats[i].in_db, "rule %s pattern not in the Vectorscan database",
                  rs->rules[rs->pats[i].rule].pub.id);
    ds_ruleset_free(rs);
}

/* ---- lexicons, person signals, column pairs (issue 3) --------------------- */

static const char *PAIR_RULE =
    "rules:\n"
    "  - id: pair\n"
    "    type: PERSON_NAME\n"
    "    category: personal\n"
    "    severity: medium\n"
    "    regex: '(?<first>\\p{Lu}\\p{Ll}+)\\s(?<last>\\p{Lu}\\p{Ll}+|\\p{Lu}{2,})\\b'\n"
    "    lexicon:\n"
    "      first: lexicons/fr_first_names.txt\n"
    "      last: [lexicons/fr_surnames.txt]\n"
    "  - id: title\n"
    "    type: PERSON_NAME\n"
    "    category: personal\n"
    "    severity: medium\n"
    "    confidence: 0.7\n"
    "    regex: 'Mme \\p{Lu}\\p{Ll}+ \\p{Lu}{2,}'\n";

Test(detect, lexicon_groups_must_be_entries)
{
    ds_ruleset *rs = load(PAIR_RULE, NULL);
    /* both parts in the built-in INSEE lexicons; accents and case folded */
    char *got = scan1(rs, "t", "Camille MOREAU et Élodie Lefèvre, puis Rose Zzyzxq et Xqwz Martin.");
    cr_assert_str_eq(got, "t:pair:0-14:0.60\n"
                          "t:pair:18-34:0.60\n");
    free(got);
    /* a finding nested in a longer one of the same type is dropped */
    got = scan1(rs, "t", "Mme Sylvie LAVAL, Greffier");
    cr_assert_str_eq(got, "t:title:0-16:0.70\n");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, lexicon_errors)
{
    const char *names[] = {"t.yml"};
    const char *nogroup = "rules:\n  - {id: a, type: A, category: personal, severity: low,\n"
                          "     regex: '\\w+', lexicon: {first: lexicons/fr_first_names.txt}}\n";
    const char *nofile = "rules:\n  - {id: a, type: A, category: personal, severity: low,\n"
                         "     regex: '\\w+', lexicon: {match: lexicons/none.txt}}\n";
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_mem(names, &nogroup, 1, NULL, &rs, &err), DS_ERULE);
    cr_assert_str_eq(err.msg, "rule 'a': no regex has a group named 'first' for its lexicon");
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_mem(names, &nofile, 1, NULL, &rs, &err), DS_ERULE);
    cr_assert_str_eq(err.where, "t.yml:3:37");
    cr_assert_str_eq(err.msg, "rule 'a': cannot read lexicon file 'lexicons/none.txt'");
}

static const char *HEALTH_RULE =
    "rules:\n"
    "  - id: health\n"
    "    type: HEALTH\n"
    "    category: sensitive\n"
    "    severity: high\n"
    "    confidence: 0.7\n"
    "    person_signal: required\n"
    "    keywords: {en: [diabetes], fr: [diabète]}\n"
    "    columns: [pathologie]\n"
    "  - id: boost\n"
    "    type: RELIGIOUS_BELIEF\n"
    "    category: sensitive\n"
    "    severity: high\n"
    "    confidence: 0.5\n"
    "    person_signal: boost\n"
    "    keywords: {en: [catholic]}\n";

Test(detect, person_signal_required_and_boost)
{
    ds_ruleset *rs = load(HEALTH_RULE, NULL);
    const char *kv[] = {
        "a", "She was diagnosed with diabetes.",                 /* pronoun */
        "b", "Diabetes research funding rose. He left.",         /* other sentence */
        "c", "Mon père a du diabète.",                           /* kinship, FR */
        "d", "Il y a plus de diabète en ville.",                 /* impersonal il */
        "e", "Marie Dupont has diabetes.",                       /* a capitalised name */
        "f", "US diabetes rates and France diabetes plans.",     /* acronym, non-name */
        "pathologie", "Diabète de type 2",                       /* the column */
        "g", "He is Catholic. Catholic schools.",
    };
    char *got = scan_fields(rs, kv, 8, 0.0);
    cr_assert_str_eq(got, "a:health:23-31:0.70\n"
                          "b:health:0-8:0.30\n"
                          "c:health:15-23:0.70\n"
                          "d:health:15-23:0.30\n"
                          "e:health:17-25:0.70\n"
                          "f:health:3-11:0.30\n"
                          "f:health:29-37:0.30\n"
                          "pathologie:health:0-8:0.85\n"
                          "g:boost:6-14:0.65\n"
                          "g:boost:16-24:0.50\n");
    free(got);
    /* at the default threshold, topic-only mentions are gone */
    got = scan_fields(rs, kv, 8, DS_DEFAULT_MIN_CONFIDENCE);
    cr_assert_str_eq(got, "a:health:23-31:0.70\n"
                          "c:health:15-23:0.70\n"
                          "e:health:17-25:0.70\n"
                          "pathologie:health:0-8:0.85\n"
                          "g:boost:6-14:0.65\n"
                          "g:boost:16-24:0.50\n");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, column_pair_needs_the_other_column)
{
    ds_ruleset *rs = load("rules:\n"
                          "  - id: latlon\n"
                          "    type: GEO_COORDINATES\n"
                          "    category: personal\n"
                          "    severity: medium\n"
                          "    columns: [lat, lon]\n"
                          "    column_only: true\n"
                          "    column_pair: [lat, lon]\n",
                          NULL);
    const char *both[] = {"Lat", "48,85", "lon", "2,35", "name", "x"};
    char *got = scan_fields(rs, both, 3, DS_DEFAULT_MIN_CONFIDENCE);
    cr_assert_str_eq(got, "Lat:latlon:0-5:0.60\nlon:latlon:0-4:0.60\n");
    free(got);
    const char *one[] = {"lat", "48,85", "lon", ""};
    got = scan_fields(rs, one, 2, DS_DEFAULT_MIN_CONFIDENCE);
    cr_assert_str_eq(got, "");
    free(got);
    ds_ruleset_free(rs);
}

Test(detect, builtin_names_and_pseudonyms)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    ds_ruleset_opts o = {.enable = (const char *const[]){"PERSON_NAME"}, .nenable = 1};
    cr_assert_eq(ds_ruleset_load_builtin(&o, &rs, &err), DS_OK, "%s", err.msg);
    char *got = scan1(rs, "text",
                      "2°/ M. J... Y..., domicilié [...], Mme X et [A] contre M. Jean Dupont.");
    cr_assert_str_eq(got, "text:person-name-title:57-71:0.70\n");
    free(got);
    got = scan1(rs, "text", "Rose et Petit. Le Petit Prince.");
    cr_assert_str_eq(got, "");
    free(got);
    ds_ruleset_free(rs);
}

/* SPEC §5.3: a field named like a rule's columns without a finding of its
 * type gets a hint in the aggregate. */
static ds_status agg_sink(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    ds_agg_add(ctx, rec, f, n);
    return DS_OK;
}

Test(detect, column_name_hint_in_the_aggregate)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    ds_detector *d;
    cr_assert_eq(ds_detector_new(rs, NULL, &d, NULL), DS_OK);
    ds_agg *a = ds_agg_new();
    ds_field f[3] = {
        {"E-Mail", 6, "5f4dcc3b5aa765d61d8327deb882cf99", 32, 0, 32},
        {"courriel", 8, "jean@exemple.fr", 15, 0, 15},
        {"note", 4, "x", 1, 0, 1},
    };
    ds_record rec = {1, 1, f, 3, 0};
    ds_sink sink = {a, agg_sink};
    cr_assert_eq(ds_detector_scan(d, &rec, &sink, NULL), DS_OK);
    ds_agg_set_hints(a, rs);
    cr_assert_eq(ds_agg_nfields(a), 3);
    cr_assert_str_eq(ds_agg_field(a, 0)->name_hint, "EMAIL");
    cr_assert_str_eq(ds_agg_field(a, 0)->name_hint_rule, "email");
    cr_assert_null(ds_agg_field(a, 1)->name_hint); /* found: no hint */
    cr_assert_null(ds_agg_field(a, 2)->name_hint); /* not a column name */
    ds_agg_free(a);
    ds_detector_free(d);
    ds_ruleset_free(rs);
}

/* ---- the value cache: a repeated short value gives what a first scan gave */

/* Scan the records rows x nkv (field names and values, row-major) with one
 * detector, findings of all records in one buffer. */
static char *scan_rows(const ds_ruleset *rs, const char *const *names, const char *const *vals,
                       size_t nkv, size_t rows)
{
    ds_detector *d;
    ds_detect_opts o = {DS_DEFAULT_MIN_CONFIDENCE};
    cr_assert_eq(ds_detector_new(rs, &o, &d, NULL), DS_OK);
    ds_buf b = {0};
    ds_sink sink = {&b, collect};
    for (size_t r = 0; r < rows; r++) {
        ds_field f[8];
        for (size_t i = 0; i < nkv; i++) {
            const char *v = vals[r * nkv + i];
            f[i] = (ds_field){names[i], strlen(names[i]), v, strlen(v), 0, strlen(v)};
        }
        ds_record rec = {r + 1, r + 1, f, nkv, 0};
        ds_buf_printf(&b, "#%zu\n", r + 1);
        cr_assert_eq(ds_detector_scan(d, &rec, &sink, NULL), DS_OK);
    }
    ds_detector_free(d);
    ds_buf_puts(&b, "");
    return b.data;
}

Test(detect, value_cache_is_per_column_and_exact)
{
    ds_ruleset *rs = load(EMAIL_RULE, NULL);
    /* the same value under a column of the rule (+0.15) and another one */
    const char *names[] = {"courriel", "note"};
    const char *vals[] = {"a@b.fr", "a@b.fr", "a@b.fr", "a@b.fr", "x a@b.fr", "a@b.fr"};
    char *got = scan_rows(rs, names, vals, 2, 3);
    cr_assert_str_eq(got, "#1\n"
                          "courriel:email:0-6:0.75\n"
                          "note:email:0-6:0.60\n"
                          "#2\n"
                          "courriel:email:0-6:0.75\n"
                          "note:email:0-6:0.60\n"
                          "#3\n"
                          "courriel:email:2-8:0.75\n"
                          "note:email:0-6:0.60\n");
    free(got);
    ds_ruleset_free(rs);
}

/* Every example of every built-in rule, scanned twice in a row by one
 * detector (the second time from the cache where it is short), under its
 * own field name and under a neutral one: the same findings each time. */
Test(detect, value_cache_replays_every_builtin_example)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s", err.msg);
    size_t n = 0, nonempty = 0;
    for (size_t q = 0; q < rs->nrules; q++) {
        const ds_rule_def *e = &rs->rules[q].def;
        for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
            const ds_rule_example *ex =
                x < e->npositive ? &e->positive[x] : &e->negative[x - e->npositive];
            const char *names[] = {ex->field ? ex->field : "value", "value"};
            const char *vals[] = {ex->value, ex->value, ex->value, ex->value};
            char *a = scan_rows(rs, names, vals, 2, 1);
            char *b = scan_rows(rs, names, vals, 2, 2);
            /* record 2 repeats record 1 line for line */
            const char *r2 = strstr(b, "#2\n");
            cr_assert_not_null(r2);
            size_t l1 = (size_t)(r2 - b);
            cr_assert(strlen(a) == l1 && memcmp(a, b, l1) == 0, "%s: '%s'\n%s\n%s", e->id,
                      ex->value, a, b);
            cr_assert(strlen(r2 + 3) == l1 - 3 && memcmp(b + 3, r2 + 3, l1 - 3) == 0,
                      "%s: '%s'\n%s", e->id, ex->value, b);
            nonempty += l1 > 3;
            n++;
            free(a);
            free(b);
        }
    }
    cr_assert_geq(n, 400);
    cr_assert_geq(nonempty, 200);
    ds_ruleset_free(rs);
}

/* The built-in lexicons come from the rule cache once it holds them: names
 * are found the same way on a cold and on a warm cache, and a damaged
 * cached table is rebuilt. */
Test(detect, lexicons_from_the_cache_cold_and_warm)
{
    char dir[] = "/tmp/dsaudit-lexcache-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("DSAUDIT_CACHE_DIR", dir, 1);
    const char *kv[] = {"note", "Camille Moreau habite à Lyon.", "other", "Rose"};
    char *got[3];
    for (int round = 0; round < 3; round++) {
        ds_ruleset *rs = NULL;
        ds_error err;
        ds_error_clear(&err);
        cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s", err.msg);
        got[round] = scan_fields(rs, kv, 2, DS_DEFAULT_MIN_CONFIDENCE);
        ds_ruleset_free(rs);
        if (round == 1) {
            /* damage every cached lexicon table */
            DIR *dh = opendir(dir);
            struct dirent *de;
            int n = 0;
            while ((de = readdir(dh)) != NULL)
                if (strstr(de->d_name, "-lex1.db")) {
                    char *p = NULL;
                    cr_assert(asprintf(&p, "%s/%s", dir, de->d_name) > 0);
                    FILE *f = fopen(p, "w");
                    fputs("junk", f);
                    fclose(f);
                    free(p);
                    n++;
                }
            closedir(dh);
            cr_assert_geq(n, 2);
        }
    }
    cr_assert(strstr(got[0], "note:person-name-pair:0-14:") != NULL, "%s", got[0]);
    cr_assert_str_eq(got[0], got[1]);
    cr_assert_str_eq(got[0], got[2]);
    for (int i = 0; i < 3; i++)
        free(got[i]);
    rm_flat_dir(dir);
}

/* ---- anchor: word-space-capital ------------------------------------------- */

static uint64_t anchor_rng = 0x2545F4914F6CDD1DULL;
static unsigned anchor_next(unsigned n)
{
    anchor_rng ^= anchor_rng << 13;
    anchor_rng ^= anchor_rng >> 7;
    anchor_rng ^= anchor_rng << 17;
    return (unsigned)(anchor_rng % n);
}

/* The anchor lets PCRE2 start only before a word that whitespace and a
 * capital follow: the findings must be those of trying every start (the
 * rules loaded with no_anchor). Random values of first names and surnames
 * (in the lexicons and not, accented, Polish, upper case, hyphenated,
 * quoted), lower-case and function words, titles, sentence ends, digits
 * and every kind of whitespace between them. */
Test(detect, anchor_finds_what_every_start_finds)
{
    static const char *const tok[] = {
        "Jean",  "Marie",   "Dupont", "Martin",      "Élodie",       "Łukasz", "Nowak",
        "DUPONT", "Jean-Pierre", "Marie-Claire", "Bernard", "Petit",  "Rose",   "le",
        "de",    "van",     "and",    "the",         "Paris",        "M.",     "Dr",
        "said",  "été",     "à",      "l'Éric",      "O'Neil",       "Zoë",    "ÉMILE",
        "x",     "42",      ",",      ".",           "..",           "-",      "’",
        "Sophie", "Laurent", "Thomas", "Smith",      "Émilie",       "Ørsted", "Ängel"};
    static const char *const sep[] = {" ", " ", " ", "  ", "\t", "\n", "\r\n", "", ", ", ". "};
    ds_ruleset_opts no = {0};
    no.no_anchor = 1;
    ds_ruleset *with = NULL, *without = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &with, &err), DS_OK, "%s", err.msg);
    cr_assert_eq(ds_ruleset_load_builtin(&no, &without, &err), DS_OK, "%s", err.msg);
    size_t anchored = 0;
    for (size_t p = 0; p < with->npats; p++)
        anchored += with->pats[p].anchor != DS_ANCHOR_NONE;
    cr_assert_gt(anchored, 0, "no built-in pattern has an anchor");
    for (size_t p = 0; p < without->npats; p++)
        cr_assert_eq(without->pats[p].anchor, DS_ANCHOR_NONE);
    ds_detect_opts lo = {0.0};
    ds_detector *dw, *dn;
    cr_assert_eq(ds_detector_new(with, &lo, &dw, NULL), DS_OK);
    cr_assert_eq(ds_detector_new(without, &lo, &dn, NULL), DS_OK);
    ds_buf a = {0}, b = {0};
    for (int i = 0; i < 4000; i++) {
        ds_buf v = {0};
        unsigned n = 1 + anchor_next(40);
        for (unsigned k = 0; k < n; k++) {
            ds_buf_puts(&v, tok[anchor_next(sizeof tok / sizeof *tok)]);
            ds_buf_puts(&v, sep[anchor_next(sizeof sep / sizeof *sep)]);
        }
        cr_assert_eq(scan_field_into(dw, "notes", v.data, v.len, 1, &a), DS_OK);
        cr_assert_eq(scan_field_into(dn, "notes", v.data, v.len, 1, &b), DS_OK);
        ds_buf_free(&v);
    }
    /* one long value in overlapping windows, as the readers deliver a
     * field longer than max_field: a window stops at its own length */
    ds_buf big = {0};
    while (big.len < 40000) {
        ds_buf_puts(&big, tok[anchor_next(sizeof tok / sizeof *tok)]);
        ds_buf_puts(&big, sep[anchor_next(sizeof sep / sizeof *sep)]);
    }
    for (size_t off = 0; off < big.len;) {
        size_t n = big.len - off < 1000 ? big.len - off : 1000;
        size_t own = off + n < big.len ? n - 100 : n;
        while (off + own < big.len && (big.data[off + own] & 0xC0) == 0x80)
            own--; /* windows cut on character starts */
        ds_field f = {"long", 4, big.data + off, n, off, own};
        ds_record rec = {1, 1, &f, 1, 0};
        ds_sink sa = {&a, collect}, sb = {&b, collect};
        cr_assert_eq(ds_detector_scan(dw, &rec, &sa, NULL), DS_OK);
        cr_assert_eq(ds_detector_scan(dn, &rec, &sb, NULL), DS_OK);
        off += own;
    }
    ds_buf_free(&big);
    ds_buf_puts(&a, "");
    ds_buf_puts(&b, "");
    cr_assert_not_null(strstr(a.data, ":person-name-pair:"), "no name found at all");
    cr_assert_not_null(strstr(a.data, "long:person-name-pair:"), "none in the long value");
    const char *diff = first_line_diff(a.data, b.data);
    cr_assert_null(diff, "with the anchor / without: %s", diff);
    ds_buf_free(&a);
    ds_buf_free(&b);
    ds_detector_free(dw);
    ds_detector_free(dn);
    ds_ruleset_free(with);
    ds_ruleset_free(without);
}

static int anchor_word(unsigned char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-' || c >= 0x80;
}

/* The promise itself, on every match of every anchored built-in regex over
 * every example of every rule: the match starts with a run of word bytes
 * that ends at whitespace, after a lower-case letter (ASCII, or a byte of a
 * non-ASCII one) and before an upper-case one (A-Z, or from U+00C0 on). */
Test(detect, anchors_hold_on_every_builtin_example)
{
    ds_ruleset *rs = NULL;
    ds_error err;
    ds_error_clear(&err);
    cr_assert_eq(ds_ruleset_load_builtin(NULL, &rs, &err), DS_OK, "%s", err.msg);
    pcre2_match_data *md = pcre2_match_data_create(64, NULL);
    size_t checked = 0;
    for (size_t p = 0; p < rs->npats; p++) {
        if (rs->pats[p].anchor != DS_ANCHOR_WORD_SPACE_CAPITAL)
            continue;
        for (size_t q = 0; q < rs->nrules; q++) {
            const ds_rule_def *e = &rs->rules[q].def;
            for (size_t x = 0; x < e->npositive + e->nnegative; x++) {
                const char *t = x < e->npositive ? e->positive[x].value
                                                 : e->negative[x - e->npositive].value;
                const unsigned char *u = (const unsigned char *)t;
                size_t len = strlen(t), start = 0;
                while (start <= len && pcre2_match(rs->pats[p].re, (PCRE2_SPTR)t, len, start, 0,
                                                   md, NULL) >= 0) {
                    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                    size_t s = ov[0], j = s;
                    while (j < len && anchor_word(u[j]))
                        j++;
                    int ok = j > s && j + 1 < len &&
                             (u[j] == ' ' || (u[j] >= '\t' && u[j] <= '\r')) &&
                             ((u[j - 1] >= 'a' && u[j - 1] <= 'z') || u[j - 1] >= 0x80) &&
                             ((u[j + 1] >= 'A' && u[j + 1] <= 'Z') || u[j + 1] >= 0xC3);
                    cr_expect(ok, "%s: the match at %zu of '%s' breaks the anchor",
                              rs->rules[rs->pats[p].rule].pub.id, s, t);
                    checked++;
                    start = ov[1] > s ? ov[1] : ov[1] + 1;
                }
            }
        }
    }
    cr_assert_geq(checked, 20, "only %zu matches checked", checked);
    pcre2_match_data_free(md);
    ds_ruleset_free(rs);
}

/* An exclude regex runs over the match's text from its start, whatever
 * bound the detector put on where the rule's own matches may start (the
 * last gate byte of a window, an anchor's junction): "ZZZZ" lies after the
 * digits that bound this gated rule's starts, and must still exclude. */
static const char *GATED_EXCLUDE_RULE = "rules:\n"
                                        "  - id: ref\n"
                                        "    type: REF\n"
                                        "    category: personal\n"
                                        "    severity: low\n"
                                        "    confidence: 0.6\n"
                                        "    regex: '(?<![0-9])[0-9]{6}[A-Z]{4}(?![A-Z])'\n"
                                        "    exclude: ['ZZZZ$']\n"
                                        "    examples: {positive: ['123456ABCD'], negative: "
                                        "['123456ZZZZ']}\n";

Test(detect, exclude_sees_the_whole_match_in_gated_windows)
{
    ds_ruleset *rs = load(GATED_EXCLUDE_RULE, NULL);
    cr_assert_not_null(rs->gdb[0], "the rule is not gated");
    char *got = scan1(rs, "notes", "ref 123456ABCD and 654321ZZZZ, 111111ZZZY");
    cr_assert_str_eq(got, "notes:ref:4-14:0.60\nnotes:ref:31-41:0.60\n");
    free(got);
    got = scan1(rs, "notes", "123456ZZZZ");
    cr_assert_str_eq(got, "");
    free(got);
    ds_ruleset_free(rs);
}

/* `dsaudit rules test` checks an anchor against the rule's examples: every
 * match of its regexes over them must keep the promise, since the detector
 * never finds one that breaks it. */
static const char *BROKEN_ANCHOR_RULES =
    "rules:\n"
    "  - id: street\n"
    "    type: STREET\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: '[0-9]+ [A-Z][a-z]+'\n"
    "    anchor: word-space-capital\n"
    "    examples: {positive: ['at 12 Rue'], negative: ['at 12 rue']}\n"
    "  - id: pair\n"
    "    type: PAIR\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.6\n"
    "    regex: '(?<![A-Za-z])[A-Z][a-z]+\\s[A-Z][a-z]+'\n"
    "    anchor: word-space-capital\n"
    "    examples: {positive: ['met Jean Dupont'], negative: ['met jean Dupont']}\n";

Test(detect, rules_test_checks_anchors_on_examples)
{
    ds_ruleset *rs = load(BROKEN_ANCHOR_RULES, NULL);
    unsigned p = 0, f = 0;
    char *buf = run_examples(rs, &p, &f);
    cr_assert_str_eq(buf, "FAIL t.yml:9:27: rule street: positive example not found: at 12 Rue\n"
                          "FAIL t.yml:9:27: rule street: the match at byte 3 breaks anchor "
                          "word-space-capital: at 12 Rue\n");
    /* street: negative + negative's anchor; pair: 2 examples + 2 anchors */
    cr_assert_eq(f, 2);
    cr_assert_eq(p, 6);
    free(buf);
    ds_ruleset_free(rs);
}

/* A keyword written with a capital and followed on its line by a capitalised
 * word or an initial is part of a proper noun: Christian Hofstaedtler is a
 * maintainer, not a belief. Lower case, a sentence end, a line break or a
 * lower-case word after it keep the finding. */
static const char *PROPER_NOUN_RULE = "rules:\n"
                                      "  - id: belief\n"
                                      "    type: BELIEF\n"
                                      "    category: sensitive\n"
                                      "    severity: high\n"
                                      "    confidence: 0.7\n"
                                      "    keywords: {en: [Christian, Muslim, devout]}\n";

Test(detect, capitalised_keyword_before_a_name_is_a_proper_noun)
{
    ds_ruleset *rs = load(PROPER_NOUN_RULE, NULL);
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"Thanks to Christian Hofstaedtler", ""},
        {"Christian T. Dum reported it", ""},
        {"the Muslim\tÉcole", ""},
        {"Muslim Brotherhood", ""},
        {"He is a Christian. He prays", "text:belief:8-17:0.70\n"},
        {"christian Hofstaedtler", "text:belief:0-9:0.70\n"},
        {"a Christian\nHofstaedtler", "text:belief:2-11:0.70\n"},
        {"a Christian family", "text:belief:2-11:0.70\n"},
        {"a Christian UK", "text:belief:2-11:0.70\n"},
        {"Devout Muslim Brotherhood", ""},
        {"Devout Muslim, he prays", "text:belief:7-13:0.70\n"},
        {"Christian", "text:belief:0-9:0.70\n"},
        {"Christian ", "text:belief:0-9:0.70\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = scan1(rs, "text", cases[i].text);
        cr_assert_str_eq(got, cases[i].want, "%s", cases[i].text);
        free(got);
    }
    ds_ruleset_free(rs);
}
