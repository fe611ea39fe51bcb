/* Unit tests: redact rewriting of CSV, JSON/JSONL and text streams. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "input/stream.h"
#include "redact/redact.h"

static const char *rules_yml =
    "rules:\n"
    "  - id: email\n"
    "    type: EMAIL\n"
    "    category: personal\n"
    "    severity: medium\n"
    "    confidence: 0.9\n"
    "    regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}'\n"
    "  - id: ipv4\n"
    "    type: IP_ADDRESS\n"
    "    category: personal\n"
    "    severity: low\n"
    "    confidence: 0.9\n"
    "    regex: '\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b(?!/)'\n"
    "  - id: diagnosis\n"
    "    type: HEALTH\n"
    "    category: sensitive\n"
    "    severity: high\n"
    "    confidence: 0.9\n"
    "    regex: '\\bdiabetes\\b'\n";

static ds_ruleset *rs;
static ds_rpolicy *pol;
static ds_rkey key;

static void setup(void)
{
    const char *names[1] = {"test.yml"};
    const char *texts[1] = {rules_yml};
    ds_error err;
    cr_assert_eq(ds_ruleset_load_mem(names, texts, 1, NULL, &rs, &err), DS_OK, "%s: %s", err.where,
                 err.msg);
    pol = ds_rpolicy_new();
    cr_assert_eq(ds_rkey_from_mem(&key, "unit-test-key-0123456789", 24, &err), DS_OK);
}

static void teardown(void)
{
    ds_rpolicy_free(pol);
    ds_ruleset_free(rs);
}

static ds_status buf_write(void *ctx, const void *p, size_t n, ds_error *err)
{
    (void)err;
    ds_buf_append(ctx, p, n);
    return DS_OK;
}

/* Rewrite data as fmt; returns the output (malloc'd), status in *rc. */
static char *run(const char *data, size_t len, ds_format fmt, size_t chunk, ds_status *rc,
                 ds_rsummary *sum, ds_redact_file_stats *fs, ds_error *err)
{
    ds_stream_opts so = {chunk, 1};
    ds_stream *st;
    cr_assert_eq(ds_stream_open_mem(data, len, "mem", &so, &st, err), DS_OK);
    ds_detect_opts dopts = {0.5};
    ds_redact_opts ro = {pol, &key, 256};
    ds_redactor *r;
    cr_assert_eq(ds_redactor_new(rs, &dopts, &ro, &r, err), DS_OK);
    ds_buf out = {0};
    ds_rwriter w = {&out, buf_write};
    *rc = ds_redact_stream(r, fmt, st, &w, sum, fs, err);
    ds_redactor_free(r);
    ds_stream_close(st);
    ds_buf_putc(&out, 0);
    return out.data;
}

static char *ok(const char *data, ds_format fmt, size_t chunk)
{
    ds_status rc;
    ds_error err;
    ds_error_clear(&err);
    char *o = run(data, strlen(data), fmt, chunk, &rc, NULL, NULL, &err);
    cr_assert_eq(rc, DS_OK, "%s: %s", err.where, err.msg);
    return o;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

TestSuite(redact_rewrite, .init = setup, .fini = teardown);

Test(redact_rewrite, csv_keeps_dialect_and_unchanged_cells)
{
    const char *in = "id;name;mail;ip;note\r\n"
                     "1;Ann;ann@example.org;192.168.1.7;\"has diabetes; call\"\r\n"
                     "2;Bob; spaced ;10.0.0.1;\"quote \"\"x\"\"\"\r\n"
                     "3;;;;\r\n";
    size_t chunks[] = {0, 1, 7};
    char *first = NULL;
    for (size_t i = 0; i < 3; i++) {
        char *o = ok(in, DS_FORMAT_CSV, chunks[i]);
        if (!first) {
            first = o;
            continue;
        }
        cr_assert_str_eq(o, first, "chunk %zu", chunks[i]);
        free(o);
    }
    /* header, separators, CRLF, quoting, blanks and empty cells kept */
    cr_assert_eq(strncmp(first, "id;name;mail;ip;note\r\n1;Ann;u",
                         sizeof "id;name;mail;ip;note\r\n1;Ann;u" - 1),
                 0, "%s", first);
    cr_assert_eq(count(first, "\r\n"), 4);
    cr_assert_neq(strstr(first, "@pseudo.invalid;192.168.1.0/24;\"has "), NULL, "%s", first);
    cr_assert_null(strstr(first, "diabetes"));
    cr_assert_null(strstr(first, "ann@example.org"));
    cr_assert_neq(strstr(first, "2;Bob; spaced ;10.0.0.0/24;\"quote \"\"x\"\"\"\r\n"), NULL, "%s",
                  first);
    cr_assert_neq(strstr(first, "\r\n3;;;;\r\n"), NULL);
    free(first);
}

Test(redact_rewrite, csv_drop_column_and_type_drop)
{
    ds_error err;
    cr_assert_eq(ds_rpolicy_add_spec(pol, "field:mail=drop", DS_RSRC_CLI, &err), DS_OK);
    cr_assert_eq(ds_rpolicy_add_spec(pol, "IP_ADDRESS=drop", DS_RSRC_CLI, &err), DS_OK);
    const char *in = "name,mail,ip,other\nAnn,ann@example.org,1.2.3.4,x\nBob,b@c.fr,,y\n";
    ds_status rc;
    ds_rsummary sum;
    memset(&sum, 0, sizeof sum);
    ds_redact_file_stats fs;
    char *o = run(in, strlen(in), DS_FORMAT_CSV, 0, &rc, &sum, &fs, &err);
    cr_assert_eq(rc, DS_OK);
    cr_assert_str_eq(o, "name,ip,other\nAnn,,x\nBob,,y\n");
    cr_assert_eq(fs.records, 2);
    cr_assert_eq(fs.csv_delim, ',');
    cr_assert_eq(fs.csv_header, 1);
    cr_assert_eq(sum.records, 2);
    cr_assert_eq(sum.values_dropped, 3); /* two mail cells, one IP cell */
    cr_assert_eq(sum.by_action[DS_RA_DROP], 3);
    ds_rsummary_sort(&sum);
    cr_assert_eq(sum.n, 2);
    cr_assert_str_eq(sum.e[0].field, "ip");
    cr_assert_str_eq(sum.e[0].type, "IP_ADDRESS");
    cr_assert_str_eq(sum.e[1].field, "mail");
    cr_assert_str_eq(sum.e[1].type, "*");
    cr_assert_eq(sum.e[1].count, 2);
    ds_rsummary_free(&sum);
    free(o);
}

Test(redact_rewrite, csv_windows1252_written_back)
{
    /* "Lefèvre" in Windows-1252 next to an address: the changed cell is
     * written back in Windows-1252, the unchanged one byte for byte */
    const char in[] = "nom,mail\nLef\xe8vre,Lef\xe8vre <lefevre@exemple.fr>\n";
    char *o = ok(in, DS_FORMAT_CSV, 0);
    cr_assert_eq(strncmp(o, "nom,mail\nLef\xe8vre,Lef\xe8vre <u",
                         sizeof "nom,mail\nLef\xe8vre,Lef\xe8vre <u" - 1),
                 0, "%s", o);
    cr_assert_neq(strstr(o, "@pseudo.invalid>\n"), NULL);
    free(o);
}

Test(redact_rewrite, jsonl_keys_structure_and_paths)
{
    ds_error err;
    cr_assert_eq(ds_rpolicy_add_spec(pol, "field:user.secret=drop", DS_RSRC_CLI, &err), DS_OK);
    const char *in = "{\"id\":1,\"user\":{\"mail\":\"ann@example.org\",\"secret\":{\"a\":[1,2]}},"
                     "\"ips\":[\"1.2.3.4\",\"5.6.7.8\"],\"n\":null,\"ok\":true,\"x\":1.50}\r\n"
                     "\n"
                     "{\"text\":\"write to bob@example.org about diabetes\",\"u\":\"\\u00e9\"}";
    ds_status rc;
    ds_rsummary sum;
    memset(&sum, 0, sizeof sum);
    ds_redact_file_stats fs;
    char *o = run(in, strlen(in), DS_FORMAT_JSONL, 3, &rc, &sum, &fs, &err);
    cr_assert_eq(rc, DS_OK, "%s", err.msg);
    cr_assert_eq(fs.records, 2);
    const char *e1 = strstr(o, "\"mail\":\"u");
    cr_assert_not_null(e1, "%s", o);
    cr_assert_neq(strstr(o, "@pseudo.invalid\"},\"ips\":[\"1.2.3.0/24\",\"5.6.7.0/24\"],\"n\":"
                            "null,\"ok\":true,\"x\":1.50}\r\n\n{\"text\":\"write to u"),
                  NULL, "%s", o);
    cr_assert_null(strstr(o, "secret"));
    cr_assert_neq(strstr(o, "@pseudo.invalid about d*******\",\"u\":\"\xc3\xa9\"}"), NULL, "%s", o);
    /* no trailing newline in, none out */
    cr_assert_eq(o[strlen(o) - 1], '}');
    ds_rsummary_sort(&sum);
    cr_assert_eq(sum.n, 5);
    cr_assert_str_eq(sum.e[0].field, "ips[]");
    cr_assert_str_eq(sum.e[0].type, "IP_ADDRESS");
    cr_assert_eq(sum.e[0].action, DS_RA_GENERALISE);
    cr_assert_eq(sum.e[0].count, 2);
    cr_assert_str_eq(sum.e[1].field, "text");
    cr_assert_str_eq(sum.e[3].field, "user.mail");
    cr_assert_str_eq(sum.e[4].field, "user.secret");
    cr_assert_eq(sum.e[4].action, DS_RA_DROP);
    ds_rsummary_free(&sum);
    free(o);
}

Test(redact_rewrite, json_document_array_records)
{
    const char *in = "[\n  {\"mail\": \"ann@example.org\", \"tags\": [\"a\"]},\n"
                     "  {\"mail\": \"ann@example.org\"}\n]\n";
    ds_status rc;
    ds_error err;
    ds_redact_file_stats fs;
    char *o = run(in, strlen(in), DS_FORMAT_JSON, 0, &rc, NULL, &fs, &err);
    cr_assert_eq(rc, DS_OK, "%s", err.msg);
    cr_assert_eq(fs.records, 2);
    /* indented like the input; the same value gets the same pseudonym */
    cr_assert_eq(strncmp(o, "[\n  {\n    \"mail\": \"u", sizeof "[\n  {\n    \"mail\": \"u" - 1), 0,
                 "%s", o);
    const char *a = strstr(o, "\"u");
    const char *b = strstr(a + 1, "\"u");
    cr_assert_not_null(b);
    cr_assert_eq(strncmp(a, b, 29), 0);
    cr_assert_eq(o[strlen(o) - 1], '\n');
    free(o);
}

Test(redact_rewrite, malformed_jsonl_line_refuses_the_file)
{
    const char *in = "{\"a\":1}\n{\"b\": \n{\"c\":\"x@y.org\"}\n";
    ds_status rc;
    ds_error err;
    ds_error_clear(&err);
    char *o = run(in, strlen(in), DS_FORMAT_JSONL, 0, &rc, NULL, NULL, &err);
    cr_assert_eq(rc, DS_EFORMAT);
    cr_assert_str_eq(err.where, "mem:2");
    cr_assert_null(strstr(err.msg, "{\"b\""));
    free(o);
}

Test(redact_rewrite, text_line_for_line)
{
    const char *in = "hello\r\nmail ann@example.org or 1.2.3.4\n\nlast diabetes";
    char *o = ok(in, DS_FORMAT_TEXT, 5);
    cr_assert_eq(strncmp(o, "hello\r\nmail u", sizeof "hello\r\nmail u" - 1), 0, "%s", o);
    cr_assert_neq(strstr(o, "@pseudo.invalid or 1.2.3.0/24\n\nlast d*******"), NULL, "%s", o);
    cr_assert_eq(strcmp(o + strlen(o) - 10, "last d*******" + 3), 0);
    free(o);
}

Test(redact_rewrite, oversize_value_refused)
{
    size_t n = 600;
    char *in = malloc(n + 16);
    memcpy(in, "text\n", 5);
    memset(in + 5, 'a', n);
    in[5 + n] = '\n';
    ds_status rc;
    ds_error err;
    ds_error_clear(&err);
    char *o = run(in, n + 6, DS_FORMAT_TEXT, 0, &rc, NULL, NULL, &err);
    cr_assert_eq(rc, DS_ELIMIT);
    cr_assert_str_eq(err.msg, "a line is longer than --max-field (256 bytes; raise --max-field)");
    free(o);
    o = run(in, n + 6, DS_FORMAT_CSV, 0, &rc, NULL, NULL, &err);
    cr_assert_eq(rc, DS_ELIMIT);
    free(o);
    free(in);
}

Test(redact_rewrite, utf8_bom_and_utf16_kept)
{
    const char in8[] = "\xef\xbb\xbfmail\nann@example.org\n";
    char *o = ok(in8, DS_FORMAT_TEXT, 0);
    cr_assert_eq(strncmp(o, "\xef\xbb\xbfmail\nu", sizeof "\xef\xbb\xbfmail\nu" - 1), 0);
    free(o);
    /* UTF-16LE with BOM: "a@b.org\n" */
    const char in16[] = "\xff\xfe"
                        "a\0@\0b\0.\0o\0r\0g\0\n\0";
    ds_status rc;
    ds_error err;
    ds_redact_file_stats fs;
    char *o16 = run(in16, sizeof in16 - 1, DS_FORMAT_TEXT, 0, &rc, NULL, &fs, &err);
    cr_assert_eq(rc, DS_OK);
    cr_assert_str_eq(fs.encoding, "utf-16le");
    cr_assert_eq(memcmp(o16, "\xff\xfeu\0", 4), 0);
    free(o16);
}
