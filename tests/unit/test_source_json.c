/* tests: the JSON and JSONL reader (SPEC §3, §4): dotted paths, record and
 * line numbering, malformed records, limits and windows of oversized values.
 * Every data test reads at stream chunk sizes 1, 7 and 4096 and asserts the
 * exact dump. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "input/source.h"
#include "input/stream.h"
#include "util.h"

static const size_t chunks[] = {1, 7, 4096};

/* Read data at every chunk size, with the reader's plain-line path and with
 * every line through yajl (json_no_fast): each dump must be `want`, and the
 * stats must not depend on the chunk size or the path. */
static ds_source_stats check(const void *data, size_t len, ds_format fmt, const ds_source_opts *o,
                             const char *want)
{
    ds_source_stats first = {0};
    ds_source_opts oo = source_opts_or_default(o);
    for (size_t i = 0; i < 6; i++) {
        ds_source_stats st;
        oo.json_no_fast = i >= 3;
        size_t chunk = chunks[i % 3];
        char *got = dump_source_stats(data, len, fmt, chunk, &oo, &st);
        if (strcmp(got, want) != 0) {
            size_t k = 0;
            while (got[k] && got[k] == want[k])
                k++;
            cr_assert_fail("chunk %zu%s: dumps differ at byte %zu\n got: %.300s\nwant: %.300s",
                           chunk, oo.json_no_fast ? " (yajl only)" : "", k, got + k, want + k);
        }
        free(got);
        if (i == 0) {
            first = st;
            continue;
        }
        const char *diff = source_stats_differ(&st, &first);
        cr_assert_null(diff, "chunk %zu%s: %s differ from the first read", chunk,
                       oo.json_no_fast ? " (yajl only)" : "", diff);
    }
    return first;
}

#define JSONL(lit, o, want) check(lit, sizeof lit - 1, DS_FORMAT_JSONL, o, want)
#define JSON(lit, o, want) check(lit, sizeof lit - 1, DS_FORMAT_JSON, o, want)

static ds_source_opts opts_with(size_t max_field, size_t overlap, unsigned depth)
{
    ds_source_opts o;
    ds_source_opts_default(&o);
    if (max_field)
        o.max_field = max_field;
    if (overlap)
        o.window_overlap = overlap;
    if (depth)
        o.max_json_depth = depth;
    return o;
}

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz";

/* n letters a..z repeated */
static char *letters(size_t n)
{
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = alphabet[i % 26];
    s[n] = '\0';
    return s;
}

/* ---- JSONL ---------------------------------------------------------------- */

Test(jsonl, nested_objects_and_arrays_become_dotted_paths)
{
    ds_source_stats st =
        JSONL("{\"author\":{\"contact\":{\"email\":\"ana@mail.example\"}},"
              "\"posts\":[{\"body\":\"hi\"},{\"body\":\"bye\",\"tags\":[\"x\",\"y\"]}],"
              "\"m\":[[1,2],[3]],\"a.b\":\"dot\",\"c[0]\":\"bracket\"}\n",
              NULL,
              "#1 L1 author.contact.email=ana@mail.example|posts[0].body=hi|posts[1].body=bye|"
              "posts[1].tags[0]=x|posts[1].tags[1]=y|m[0][0]=1|m[0][1]=2|m[1][0]=3|a.b=dot|"
              "c[0]=bracket\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.lines, 1);
}

Test(jsonl, numbers_booleans_keep_their_text_and_null_is_skipped)
{
    JSONL("{\"i\":42,\"neg\":-7,\"f\":3.25e-2,\"big\":123456789012345678901234567890,"
          "\"t\":true,\"no\":false,\"nothing\":null,\"arr\":[null,1,null,2]}\n",
          NULL,
          "#1 L1 i=42|neg=-7|f=3.25e-2|big=123456789012345678901234567890|t=true|no=false|"
          "arr[1]=1|arr[3]=2\n");
}

/* Lines the reader reads itself (plain lines: one flat object) next to lines
 * that only look plain and go to yajl; check() reads each both ways. */
Test(jsonl, plain_lines_read_as_yajl_reads_them)
{
    /* (the stream's first chunk is its first 4 bytes, so the line they
     * start is never read whole: the lines under test start at line 2) */
    ds_source_stats st = JSONL(
        "{\"first\":1}\n"
        "{\"a\": \"x\\ny \\\"q\\\" \\/ \\u00e9\\u20ac\", \"n\": -0.5E+3 ,\"t\":true,\"z\":null}\n"
        "\t{ } \r\n"
        "{\"k\\u0041\":\"v\",\"k\\u0041\":0}\n"
        "{\"bad\":01}\n"
        "{\"bad\":truex}\n"
        "{\"nul\":\"a\\u0000b\"}\n"
        "{\"x\":1} {\"y\":2}\n"
        "{\"ctl\":\"a\tb\"}\n"
        "{\"deep\":{\"e\":\"f\"}}\n"
        "{\"esc\":\"\\x\"}\n",
        NULL,
        "#1 L1 first=1\n"
        "#2 L2 a=x\\ny \"q\" / \xc3\xa9\xe2\x82\xac|n=-0.5E+3|t=true\n"
        "#3 L3 \n"
        "#4 L4 kA=v|kA=0\n"
        "!malformed input t:5: parse error: after key and value, inside map, I expect ',' or '}'\n"
        "!malformed input t:6: lexical error: invalid char in json text.\n"
        "#7 L7 nul=a\\0b\n"
        "!malformed input t:8: parse error: trailing garbage\n"
        "!malformed input t:9: lexical error: invalid character inside string.\n"
        "#10 L10 deep.e=f\n"
        "!malformed input t:11: lexical error: inside a string, '\\' occurs before a "
        "character which it may not.\n");
    cr_assert_eq(st.lines, 11);
    cr_assert_eq(st.records, 6);
    cr_assert_eq(st.malformed, 5);
}

Test(jsonl, unicode_escapes_and_surrogate_pairs_are_decoded)
{
    JSONL("{\"name\":\"Jos\\u00e9 \\u00c9lo\\u00efse\",\"emoji\":\"\\ud83d\\ude00!\","
          "\"cjk\":\"\\u6771\\u4eac\",\"raw\":\"d\xc3\xa9j\xc3\xa0 \xf0\x9f\x98\x80\"}\n",
          NULL,
          "#1 L1 name=Jos\xc3\xa9 \xc3\x89lo\xc3\xafse|emoji=\xf0\x9f\x98\x80!|"
          "cjk=\xe6\x9d\xb1\xe4\xba\xac|raw=d\xc3\xa9j\xc3\xa0 \xf0\x9f\x98\x80\n");
}

Test(jsonl, escaped_quotes_controls_and_nul_are_unescaped)
{
    JSONL("{\"q\":\"say \\\"hi\\\"\",\"path\":\"C:\\\\tmp\\/x\",\"ctl\":\"a\\tb\\nc\\r\\b\\f\","
          "\"nul\":\"x\\u0000y\"}\n",
          NULL, "#1 L1 q=say \"hi\"|path=C:\\\\tmp/x|ctl=a\\tb\\nc\\r\\x08\\x0c|nul=x\\0y\n");
}

Test(jsonl, malformed_line_is_reported_and_reading_goes_on)
{
    ds_source_stats st = JSONL("{\"id\":1}\n"
                               "{\"id\":2,\"email\":\"bob@mail.example\"\n"
                               "{\"id\":3,}\n"
                               "{id:4}\n"
                               "{\"id\":5} {\"id\":6}\n"
                               "{\"id\":7}\n",
                               NULL,
                               "#1 L1 id=1\n"
                               "!malformed input t:2: parse error: premature EOF\n"
                               "!malformed input t:3: parse error: invalid object key (must be "
                               "a string)\n"
                               "!malformed input t:4: lexical error: invalid char in json text.\n"
                               "!malformed input t:5: parse error: trailing garbage\n"
                               "#6 L6 id=7\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 4);
    cr_assert_eq(st.lines, 6);
}

Test(jsonl, top_level_scalars_and_arrays)
{
    JSONL("42\n\"just text\"\ntrue\nnull\n[1,[\"a\"],{\"k\":\"v\"}]\n-0.5", NULL,
          "#1 L1 value=42\n"
          "#2 L2 value=just text\n"
          "#3 L3 value=true\n"
          "#4 L4 \n"
          "#5 L5 [0]=1|[1][0]=a|[2].k=v\n"
          "#6 L6 value=-0.5\n");
}

Test(jsonl, empty_object_is_a_record_without_fields)
{
    JSONL("{}\n[]\n{\"a\":{},\"b\":[]}\n", NULL, "#1 L1 \n#2 L2 \n#3 L3 \n");
}

Test(jsonl, empty_file_and_bom_only_give_no_records)
{
    ds_source_stats st = JSONL("", NULL, "");
    cr_assert_eq(st.records, 0);
    cr_assert_eq(st.lines, 0);
    st = JSONL("\xEF\xBB\xBF", NULL, "");
    cr_assert_eq(st.records, 0);
    st = JSONL("\xEF\xBB\xBF{\"a\":1}\n", NULL, "#1 L1 a=1\n");
    cr_assert_eq(st.records, 1);
}

Test(jsonl, blank_lines_are_skipped_without_an_index)
{
    ds_source_stats st =
        JSONL("\n{\"a\":1}\n\n   \n\t\r\n{\"a\":2}\n\n", NULL, "#1 L2 a=1\n#2 L6 a=2\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.lines, 7);
}

Test(jsonl, crlf_line_ends)
{
    ds_source_stats st = JSONL("{\"a\":\"x\"}\r\n{\"b\":2}\r\n\r\n{\"c\":[3]}\r\n", NULL,
                               "#1 L1 a=x\n#2 L2 b=2\n#3 L4 c[0]=3\n");
    cr_assert_eq(st.lines, 4);
}

Test(jsonl, last_line_without_newline)
{
    ds_source_stats st = JSONL("{\"a\":1}\n7", NULL, "#1 L1 a=1\n#2 L2 value=7\n");
    cr_assert_eq(st.lines, 2);
}

Test(jsonl, utf16_input_is_transcoded)
{
    /* UTF-16LE with BOM: {"n":"é"}\n */
    const char t[] = "\xFF\xFE{\0\"\0n\0\"\0:\0\"\0\xE9\0\"\0}\0\n\0";
    check(t, sizeof t - 1, DS_FORMAT_JSONL, NULL, "#1 L1 n=\xc3\xa9\n");
}

Test(jsonl, invalid_utf8_is_read_as_cp1252_once_per_value)
{
    ds_source_stats st = JSONL("{\"name\":\"Fran\xe7ois \x80\",\"ok\":\"caf\xc3\xa9\","
                               "\"cl\xe9\":\"v\",\"esc\":\"\\u00e9\xe9\"}\n",
                               NULL,
                               "#1 L1 name=Fran\xc3\xa7ois \xe2\x82\xac|ok=caf\xc3\xa9|"
                               "cl\xc3\xa9=v|esc=\xc3\xa9\xc3\xa9\n");
    cr_assert_eq(st.invalid_utf8, 3);
}

Test(jsonl, lone_low_surrogate_escape_is_repaired_like_invalid_bytes)
{
    /* yajl encodes \ude00 as the bytes ED B8 80, which are not UTF-8 */
    ds_source_stats st = JSONL("{\"s\":\"a\\ude00b\"}\n", NULL,
                               "#1 L1 s=a\xc3\xad\xc2\xb8\xe2\x82\xac" "b\n");
    cr_assert_eq(st.invalid_utf8, 1);
}

Test(jsonl, nesting_deeper_than_the_limit_is_malformed)
{
    ds_source_opts o = opts_with(0, 0, 3);
    ds_source_stats st = JSONL("{\"a\":{\"b\":{\"c\":1}}}\n"
                               "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}\n"
                               "[[[\"deep\"]]]\n"
                               "[[[[1]]]]\n"
                               "{\"s\":\"[[[[[[\"}\n",
                               &o,
                               "#1 L1 a.b.c=1\n"
                               "!malformed input t:2: nesting deeper than 3\n"
                               "#3 L3 [0][0][0]=deep\n"
                               "!malformed input t:4: nesting deeper than 3\n"
                               "#5 L5 s=[[[[[[\n");
    cr_assert_eq(st.malformed, 2);
}

Test(jsonl, nesting_200000_deep_is_rejected_in_bounded_time)
{
    size_t depth = 200000;
    ds_buf b = {0};
    ds_buf_puts(&b, "{\"before\":1}\n");
    for (size_t i = 0; i < depth; i++)
        ds_buf_putc(&b, '[');
    for (size_t i = 0; i < depth; i++)
        ds_buf_putc(&b, ']');
    ds_buf_putc(&b, '\n');
    for (size_t i = 0; i < depth; i++)
        ds_buf_puts(&b, "{\"k\":");
    ds_buf_putc(&b, '1');
    for (size_t i = 0; i < depth; i++)
        ds_buf_putc(&b, '}');
    ds_buf_puts(&b, "\n{\"after\":2}\n");
    ds_source_stats st = check(b.data, b.len, DS_FORMAT_JSONL, NULL,
                               "#1 L1 before=1\n"
                               "!malformed input t:2: nesting deeper than 512\n"
                               "!malformed input t:3: nesting deeper than 512\n"
                               "#4 L4 after=2\n");
    cr_assert_eq(st.malformed, 2);
    cr_assert_eq(st.lines, 4);
    ds_buf_free(&b);
}

Test(jsonl, overlong_number_is_malformed)
{
    ds_buf b = {0};
    ds_buf_puts(&b, "{\"n\":");
    for (int i = 0; i < 5000; i++)
        ds_buf_putc(&b, '9');
    ds_buf_puts(&b, "}\n{\"n\":4096}\n");
    check(b.data, b.len, DS_FORMAT_JSONL, NULL,
          "!malformed input t:1: token longer than 4096 bytes\n"
          "#2 L2 n=4096\n");
    ds_buf_free(&b);
}

Test(jsonl, long_string_is_delivered_in_overlapping_windows)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *s = letters(150);
    ds_buf in = {0};
    ds_buf_printf(&in, "{\"id\":1,\"body\":\"%s\",\"after\":\"z\"}\n{\"id\":2}\n", s);
    ds_source_stats st = check(
        in.data, in.len, DS_FORMAT_JSONL, &o,
        "#1 L1+ id=1|body@0/48=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
        "#1 L1+ body@48/48=wxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh\n"
        "#1 L1 body@96/54=stuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst|after=z\n"
        "#2 L2 id=2\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.windowed, 1);
    free(s);
    ds_buf_free(&in);
}

Test(jsonl, windows_of_array_elements_and_top_level_strings)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *s = letters(100);
    ds_buf in = {0};
    ds_buf_printf(&in, "{\"arr\":[\"short\",\"%s\"]}\n\"%s\"\n", s, s);
    check(in.data, in.len, DS_FORMAT_JSONL, &o,
          "#1 L1+ arr[0]=short|arr[1]@0/48="
          "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
          "#1 L1 arr[1]@48/52=wxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv\n"
          "#2 L2+ value@0/48=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
          "#2 L2 value@48/52=wxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv\n");
    free(s);
    ds_buf_free(&in);
}

Test(jsonl, windows_unescape_and_cut_on_character_boundaries)
{
    ds_source_opts o = opts_with(64, 16, 0);
    /* decoded: "x\U0001F600\n" (6 bytes), 12 x "caf\u00e9 " (6 bytes each), then an
     * escaped e-acute, tab, slash and "end": byte 64 falls inside an e-acute */
    ds_buf in = {0};
    ds_buf_puts(&in, "{\"k\":\"x\\ud83d\\ude00\\n");
    for (int i = 0; i < 12; i++)
        ds_buf_puts(&in, "caf\xc3\xa9 ");
    ds_buf_puts(&in, "\\u00e9\\t\\/end\"}\n");
    ds_source_stats st =
        check(in.data, in.len, DS_FORMAT_JSONL, &o,
              "#1 L1+ k@0/47=x\xf0\x9f\x98\x80\\ncaf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
              "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\n"
              "#1 L1 k@47/38= caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
              "\xc3\xa9\\t/end\n");
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.invalid_utf8, 0);
    ds_buf_free(&in);
}

Test(jsonl, raw_string_over_the_limit_that_decodes_short_is_one_value)
{
    ds_source_opts o = opts_with(64, 16, 0);
    ds_buf in = {0};
    ds_buf_puts(&in, "{\"e\":\"");
    for (int i = 0; i < 20; i++) /* 120 raw bytes, 40 decoded */
        ds_buf_puts(&in, "\\u00e9");
    ds_buf_puts(&in, "\"}\n");
    ds_source_stats st = check(in.data, in.len, DS_FORMAT_JSONL, &o,
                               "#1 L1 e=\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n");
    cr_assert_eq(st.windowed, 0);
    ds_buf_free(&in);
}

Test(jsonl, invalid_utf8_in_a_windowed_value_is_repaired)
{
    ds_source_opts o = opts_with(64, 16, 0);
    ds_buf in = {0};
    ds_buf_puts(&in, "{\"v\":\"");
    for (int i = 0; i < 14; i++)
        ds_buf_puts(&in, "caf\xe9 ");
    ds_buf_puts(&in, "\"}\n");
    ds_source_stats st = check(
        in.data, in.len, DS_FORMAT_JSONL, &o,
        "#1 L1+ v@0/47=caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
        "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\n"
        "#1 L1 v@47/37= caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
        "\n");
    cr_assert_eq(st.invalid_utf8, 1);
    cr_assert_eq(st.windowed, 1);
    ds_buf_free(&in);
}

Test(jsonl, unterminated_long_string_fails_its_line_only)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *s = letters(100);
    ds_buf in = {0};
    ds_buf_printf(&in, "{\"a\":\"%s\n{\"b\":1}\n{\"c\":\"%s", s, s);
    ds_source_stats st =
        check(in.data, in.len, DS_FORMAT_JSONL, &o,
              "#1 L1+ a@0/48=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
              "!malformed input t:1: lexical error: invalid character inside string.\n"
              "#2 L2 b=1\n"
              "#3 L3+ c@0/48=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
              "!malformed input t:3: parse error: premature EOF\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.malformed, 2);
    free(s);
    ds_buf_free(&in);
}

Test(jsonl, overlong_key_or_field_name_is_malformed)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *k = letters(70);
    char *half = letters(40);
    ds_buf in = {0};
    ds_buf_printf(&in, "{\"%s\":1}\n{\"%s\":{\"%s\":1}}\n{\"ok\":1}\n", k, half, half);
    check(in.data, in.len, DS_FORMAT_JSONL, &o,
          "!malformed input t:1: field name longer than 64 bytes\n"
          "!malformed input t:2: field name longer than 64 bytes\n"
          "#3 L3 ok=1\n");
    free(k);
    free(half);
    ds_buf_free(&in);
}

Test(jsonl, record_with_too_many_fields_is_delivered_in_parts)
{
    /* a part goes out once names + values pass 4 * max_field bytes: after
     * o.ww=49 (259 bytes) */
    ds_source_opts o = opts_with(64, 16, 0);
    JSONL(
        "{\"o\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\",\"f\":\"6\",\"g\":"
        "\"7\","
        "\"h\":\"8\",\"i\":\"9\",\"j\":\"10\",\"k\":\"11\",\"l\":\"12\",\"m\":\"13\",\"n\":\"14\","
        "\"o\":\"15\",\"p\":\"16\",\"q\":\"17\",\"r\":\"18\",\"s\":\"19\",\"t\":\"20\","
        "\"u\":\"21\",\"v\":\"22\",\"w\":\"23\",\"x\":\"24\",\"y\":\"25\",\"z\":\"26\","
        "\"aa\":\"27\",\"bb\":\"28\",\"cc\":\"29\",\"dd\":\"30\",\"ee\":\"31\","
        "\"ff\":\"32\",\"gg\":\"33\",\"hh\":\"34\",\"ii\":\"35\",\"jj\":\"36\",\"kk\":\"37\","
        "\"ll\":\"38\",\"mm\":\"39\",\"nn\":\"40\",\"oo\":\"41\",\"pp\":\"42\",\"qq\":\"43\","
        "\"rr\":\"44\",\"ss\":\"45\",\"tt\":\"46\",\"uu\":\"47\",\"vv\":\"48\",\"ww\":\"49\","
        "\"xx\":\"50\",\"yy\":\"51\",\"zz\":\"52\",\"aaa\":\"53\",\"bbb\":\"54\",\"ccc\":\"55\","
        "\"ddd\":\"56\",\"eee\":\"57\",\"fff\":\"58\",\"ggg\":\"59\"},\"last\":[1]}\n"
        "{\"next\":1}\n",
        &o,
        "#1 L1+ o.a=1|o.b=2|o.c=3|o.d=4|o.e=5|o.f=6|o.g=7|o.h=8|o.i=9|o.j=10|o.k=11|o.l=12|"
        "o.m=13|o.n=14|o.o=15|o.p=16|o.q=17|o.r=18|o.s=19|o.t=20|o.u=21|o.v=22|o.w=23|o.x=24|"
        "o.y=25|o.z=26|o.aa=27|o.bb=28|o.cc=29|o.dd=30|o.ee=31|o.ff=32|o.gg=33|o.hh=34|"
        "o.ii=35|o.jj=36|o.kk=37|o.ll=38|o.mm=39|o.nn=40|o.oo=41|o.pp=42|o.qq=43|o.rr=44|"
        "o.ss=45|o.tt=46|o.uu=47|o.vv=48|o.ww=49\n"
        "#1 L1 o.xx=50|o.yy=51|o.zz=52|o.aaa=53|o.bbb=54|o.ccc=55|o.ddd=56|o.eee=57|o.fff=58|"
        "o.ggg=59|last[0]=1\n"
        "#2 L2 next=1\n");
}

Test(jsonl, many_fields_on_one_line_are_cut_every_65536)
{
    ds_buf in = {0};
    ds_buf_puts(&in, "{\"a\":[");
    for (int i = 0; i < 70000; i++)
        ds_buf_puts(&in, i ? ",1" : "1");
    ds_buf_puts(&in, "],\"b\":\"end\"}\n");
    for (size_t c = 0; c < 4; c++) {
        /* whole stream in one chunk too: the line is then fed without copy */
        size_t chunk = c < 3 ? chunks[c] : 0;
        ds_stream_opts so = {.chunk = chunk, .decode = 1};
        ds_stream *st;
        ds_source *src;
        cr_assert_eq(ds_stream_open_mem(in.data, in.len, "t", &so, &st, NULL), DS_OK);
        cr_assert_eq(ds_source_open(st, DS_FORMAT_JSONL, NULL, &src, NULL), DS_OK);
        const ds_record *rec;
        size_t parts = 0, fields = 0;
        while (ds_source_next(src, &rec, NULL) == DS_OK) {
            parts++;
            cr_assert_eq(rec->more, parts == 1, "chunk %zu", chunk);
            for (size_t i = 0; i < rec->nfields; i++, fields++) {
                char name[32] = "b";
                if (fields < 70000)
                    snprintf(name, sizeof name, "a[%zu]", fields);
                cr_assert_eq(rec->fields[i].name_len, strlen(name));
                cr_assert(!memcmp(rec->fields[i].name, name, strlen(name)));
            }
        }
        cr_assert_eq(parts, 2);
        cr_assert_eq(fields, 70001);
        cr_assert_eq(ds_source_stats_get(src)->records, 1);
        ds_source_close(src);
        ds_stream_close(st);
    }
    ds_buf_free(&in);
}

/* The decoded test value: letters with a few one-byte escapes. */
static char decoded_at(size_t i)
{
    if (i % 1000 == 999)
        return '\n';
    if (i % 7919 == 7918)
        return '"';
    return alphabet[i % 26];
}

Test(jsonl, multi_megabyte_string_windows_reassemble_exactly)
{
    const size_t n = 2 * 1024 * 1024 + 777, max = 65536, overlap = 1024;
    ds_source_opts o = opts_with(max, overlap, 0);
    ds_buf in = {0}, want = {0}, dec = {0};
    ds_buf_puts(&in, "{\"id\":7,\"blob\":\"");
    for (size_t i = 0; i < n; i++) {
        char c = decoded_at(i);
        ds_buf_putc(&dec, c);
        if (c == '\n')
            ds_buf_puts(&in, "\\n");
        else if (c == '"')
            ds_buf_puts(&in, "\\\"");
        else
            ds_buf_putc(&in, c);
    }
    ds_buf_puts(&in, "\",\"tail\":\"end\"}\n");

    /* expected dump: windows of max bytes starting every max - overlap */
    size_t off = 0, windows = 0;
    for (;;) {
        int last = n - off <= max;
        size_t len = last ? n - off : max;
        ds_buf_puts(&want, last ? "#1 L1 " : "#1 L1+ ");
        if (off == 0)
            ds_buf_puts(&want, "id=7|");
        ds_buf_printf(&want, "blob@%zu/%zu=", off, last ? len : max - overlap);
        for (size_t i = off; i < off + len; i++) {
            char c = dec.data[i];
            ds_buf_puts(&want, c == '\n' ? "\\n" : (char[]){c, 0});
        }
        windows++;
        if (last) {
            ds_buf_puts(&want, "|tail=end\n");
            break;
        }
        ds_buf_putc(&want, '\n');
        off += max - overlap;
    }
    cr_assert_eq(windows, 33);
    ds_source_stats st = check(in.data, in.len, DS_FORMAT_JSONL, &o, want.data);
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.records, 1);

    /* the owned parts of the windows concatenate back to the value */
    ds_stream_opts so = {.chunk = 4096, .decode = 1};
    ds_stream *s;
    ds_source *src;
    cr_assert_eq(ds_stream_open_mem(in.data, in.len, "t", &so, &s, NULL), DS_OK);
    cr_assert_eq(ds_source_open(s, DS_FORMAT_JSONL, &o, &src, NULL), DS_OK);
    ds_buf joined = {0};
    const ds_record *rec;
    uint64_t next_off = 0;
    while (ds_source_next(src, &rec, NULL) == DS_OK) {
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            if (f->name_len != 4 || memcmp(f->name, "blob", 4))
                continue;
            cr_assert_eq(f->value_off, next_off);
            cr_assert(f->value_len <= max);
            ds_buf_append(&joined, f->value, f->own_len);
            next_off = f->value_off + f->own_len;
        }
    }
    cr_assert_eq(joined.len, n);
    cr_assert(!memcmp(joined.data, dec.data, n));
    ds_source_close(src);
    ds_stream_close(s);
    ds_buf_free(&joined);
    ds_buf_free(&in);
    ds_buf_free(&want);
    ds_buf_free(&dec);
}

Test(jsonl, stream_error_is_returned_as_is)
{
    ds_stream *st;
    cr_assert_eq(ds_stream_open_fd(-1, 0, "bad.jsonl", NULL, &st, NULL), DS_OK);
    ds_source *src;
    cr_assert_eq(ds_source_open(st, DS_FORMAT_JSONL, NULL, &src, NULL), DS_OK);
    const ds_record *rec;
    ds_error err;
    ds_status rc = ds_source_next(src, &rec, &err);
    cr_assert_eq(rc, DS_EIO, "got %s", ds_status_str(rc));
    ds_source_close(src);
    ds_stream_close(st);
}

Test(jsonl, fixture_forum_posts)
{
    size_t len;
    char *data = read_file("fixtures/jsonl/forum_posts.jsonl", &len);
    ds_source_stats st = check(
        data, len, DS_FORMAT_JSONL, NULL,
        "#1 L1 post_id=101|thread=Welcome thread|author.handle=marta_k|"
        "author.contact.email=marta.kowalska@forum.example|body=Hi all! Reach me at "
        "marta.k@mail.example if the PM system is down.|score=12|pinned=true|tags[0]=intro|"
        "tags[1]=hello\n"
        "#2 L2 post_id=102|thread=Welcome thread|author.handle=j\xc3\xb6rg.b|"
        "body=Gr\xc3\xbc\xc3\x9f"
        "e aus Berlin \xf0\x9f\x91\x8b|score=3.5|pinned=false\n"
        "#3 L3 post_id=103|thread=Selling my bike|author.handle=dave99|"
        "author.contact.phone=+1-555-0142|body=Call or text \"555-0142\" after 6pm.\\nCash only.|"
        "replies[0].by=ana_p|replies[0].text=Still available?|replies[1].by=dave99|"
        "replies[1].text=Yes, see you at 203.0.113.7's gate\n"
        "#4 L4 post_id=104|thread=Moderation log|author.handle=mod_team|body=Removed a post that "
        "listed a card number (4111 1111 1111 1111).|meta.ip=198.51.100.23|"
        "meta.flags[0][0]=spam|meta.flags[0][1]=0.1|meta.flags[1][0]=pii|meta.flags[1][1]=0.97\n"
        "#5 L5 post_id=105|thread=Lost account|author.handle=l\xc3\xa9"
        "a.m|"
        "author.contact.email=lea.martin@courriel.example|body=Mon nom complet est L\xc3\xa9"
        "a Martin, n\xc3\xa9"
        "e le 14/03/1991.|score=-1\n");
    cr_assert_eq(st.records, 5);
    cr_assert_eq(st.lines, 5);
    free(data);
}

Test(jsonl, fixture_users_with_a_blank_and_a_broken_line)
{
    size_t len;
    char *data = read_file("fixtures/jsonl/users.jsonl", &len);
    ds_source_stats st =
        check(data, len, DS_FORMAT_JSONL, NULL,
              "#1 L1 id=1|name=Ana Pereira|emails[0]=ana.pereira@mail.example|"
              "emails[1]=ana@work.example|address.city=Lisboa|address.zip=1000-001|active=true\n"
              "#2 L2 id=2|name=Tom O'Brien|address.city=Cork|active=false\n"
              "#3 L4 id=3|name=Yuki Tanaka|emails[0]=yuki.t@mail.example|last_login.ip=192.0.2.44|"
              "last_login.at=2024-05-02T08:13:00Z\n"
              "!malformed input t:5: parse error: premature EOF\n"
              "#5 L6 id=5|name=Omar Haddad|notes=prefers phone: +1-555-0199|active=true\n");
    cr_assert_eq(st.records, 4);
    cr_assert_eq(st.malformed, 1);
    cr_assert_eq(st.lines, 6);
    free(data);
}

/* ---- JSON ----------------------------------------------------------------- */

Test(json, top_level_array_is_streamed_element_by_element)
{
    ds_source_stats st = JSON("[\n"
                              "  {\"id\": 1, \"name\": \"Ann\"},\n"
                              "  {\"id\": 2,\n"
                              "   \"tags\": [\"a\", \"b\"]},\n"
                              "  3, \"s\", null, [], {},\n"
                              "  [[1], {\"k\": true}]\n"
                              "]\n",
                              NULL,
                              "#1 L2 id=1|name=Ann\n"
                              "#2 L3 id=2|tags[0]=a|tags[1]=b\n"
                              "#3 L5 value=3\n"
                              "#4 L5 value=s\n"
                              "#5 L5 \n"
                              "#6 L5 \n"
                              "#7 L5 \n"
                              "#8 L6 [0][0]=1|[1].k=true\n");
    cr_assert_eq(st.records, 8);
    cr_assert_eq(st.lines, 7);
}

Test(json, top_level_object_is_one_record)
{
    ds_source_stats st = JSON("{\n  \"user\": {\"email\": \"a@b.example\"},\n  \"n\": [1, 2]\n}\n",
                              NULL, "#1 L1 user.email=a@b.example|n[0]=1|n[1]=2\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.lines, 4);
}

Test(json, top_level_scalar_is_one_record)
{
    JSON("  \"just a string\"  \n", NULL, "#1 L1 value=just a string\n");
    JSON("\n-12.5e3", NULL, "#1 L2 value=-12.5e3\n");
    JSON("true\n", NULL, "#1 L1 value=true\n");
}

Test(json, empty_inputs_give_no_records)
{
    ds_source_stats st = JSON("", NULL, "");
    cr_assert_eq(st.records, 0);
    JSON("\xEF\xBB\xBF", NULL, "");
    JSON(" \n\t\n", NULL, "");
    st = JSON("[ ]\n", NULL, "");
    cr_assert_eq(st.records, 0);
    st = JSON("{}", NULL, "#1 L1 \n");
    cr_assert_eq(st.records, 1);
}

Test(json, truncated_file_reports_premature_eof_and_stops)
{
    ds_source_stats st = JSON("[{\"a\":1},\n{\"b\":2},\n{\"c\":", NULL,
                              "#1 L1 a=1\n"
                              "#2 L2 b=2\n"
                              "!malformed input t:3: parse error: premature EOF\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 1);
    JSON("[1,2", NULL,
         "#1 L1 value=1\n#2 L1 value=2\n"
         "!malformed input t:1: parse error: premature EOF\n");
    JSON("[{\"a\":1},\n", NULL, "#1 L1 a=1\n!malformed input t:1: parse error: premature EOF\n");
    JSON("{\"a\":\"open", NULL, "!malformed input t:1: parse error: premature EOF\n");
}

Test(json, syntax_error_stops_the_file)
{
    ds_source_stats st = JSON("[{\"a\":1},\n{\"b\" 2},\n{\"c\":3}]\n", NULL,
                              "#1 L1 a=1\n"
                              "!malformed input t:2: parse error: object key and value must be "
                              "separated by a colon (':')\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.malformed, 1);
    JSON("[1,]", NULL,
         "#1 L1 value=1\n"
         "!malformed input t:1: parse error: unallowed token at this point in JSON text\n");
    JSON("[\n1,\n\"a\nb\"]", NULL,
         "#1 L2 value=1\n"
         "!malformed input t:3: lexical error: invalid character inside string.\n");
}

Test(json, trailing_garbage_after_the_value)
{
    JSON("[1,2]x", NULL,
         "#1 L1 value=1\n#2 L1 value=2\n!malformed input t:1: parse error: trailing garbage\n");
    JSON("{\"a\":1}\n\n}", NULL,
         "#1 L1 a=1\n!malformed input t:3: parse error: trailing garbage\n");
    JSON("42 43", NULL, "#1 L1 value=42\n!malformed input t:1: parse error: trailing garbage\n");
}

Test(json, nesting_limit_skips_the_element_and_goes_on)
{
    ds_source_opts o = opts_with(0, 0, 3);
    ds_source_stats st = JSON("[{\"a\":{\"b\":1}},\n"
                              " {\"a\":{\"b\":{\"c\":[\"x\"]}}, \"s\": \"]]\\\"[\"},\n"
                              " {\"after\":1},\n"
                              " [[[1]]]]\n",
                              &o,
                              "#1 L1 a.b=1\n"
                              "!malformed input t:2: nesting deeper than 3\n"
                              "#3 L3 after=1\n"
                              "!malformed input t:4: nesting deeper than 3\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 2);
    /* a top-level object over the limit is the whole file */
    JSON("{\"a\":{\"b\":{\"c\":{}}}}", &o, "!malformed input t:1: nesting deeper than 3\n");
}

Test(json, nesting_200000_deep_is_rejected_in_bounded_time)
{
    size_t depth = 200000;
    ds_buf b = {0};
    ds_buf_puts(&b, "[{\"before\":1},\n");
    for (size_t i = 0; i < depth; i++)
        ds_buf_putc(&b, '[');
    for (size_t i = 0; i < depth; i++)
        ds_buf_putc(&b, ']');
    ds_buf_puts(&b, ",\n{\"after\":2}]\n");
    ds_source_stats st = check(b.data, b.len, DS_FORMAT_JSON, NULL,
                               "#1 L1 before=1\n"
                               "!malformed input t:2: nesting deeper than 512\n"
                               "#3 L3 after=2\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 1);
    ds_buf_free(&b);
}

Test(json, limits_inside_an_element_skip_only_that_element)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *k = letters(70);
    ds_buf in = {0};
    ds_buf_printf(&in, "[{\"%s\": 1, \"x\": \"[\"},\n {\"id\": 2},\n {\"n\": ", k);
    for (int i = 0; i < 4100; i++)
        ds_buf_putc(&in, '5');
    ds_buf_puts(&in, "},\n {\"id\": 4}]");
    ds_source_stats st = check(in.data, in.len, DS_FORMAT_JSON, &o,
                               "!malformed input t:1: field name longer than 64 bytes\n"
                               "#2 L2 id=2\n"
                               "!malformed input t:3: token longer than 4096 bytes\n"
                               "#4 L4 id=4\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 2);
    free(k);
    ds_buf_free(&in);
}

Test(json, long_string_in_an_element_is_windowed)
{
    ds_source_opts o = opts_with(64, 16, 0);
    char *s = letters(150);
    ds_buf in = {0};
    ds_buf_printf(&in, "[{\"id\":1,\"t\":\"%s\"},\n {\"id\":2}]\n", s);
    ds_source_stats st = check(
        in.data, in.len, DS_FORMAT_JSON, &o,
        "#1 L1+ id=1|t@0/48=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n"
        "#1 L1+ t@48/48=wxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh\n"
        "#1 L1 t@96/54=stuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst\n"
        "#2 L2 id=2\n");
    cr_assert_eq(st.windowed, 1);
    free(s);
    ds_buf_free(&in);
}

Test(json, big_top_level_object_is_delivered_in_parts)
{
    ds_source_opts o = opts_with(64, 16, 0);
    ds_buf in = {0};
    ds_buf_puts(&in, "{\n");
    for (int i = 0; i < 60; i++)
        ds_buf_printf(&in, "%s\"f%d\": \"v%d\"", i ? ",\n" : "", i, i);
    ds_buf_puts(&in, "\n}\n");
    ds_buf want = {0};
    /* a part goes out once names + values pass 4 * 64 bytes: after f46 (262) */
    int part_first[] = {0, 47, 60};
    for (int p = 0; p < 2; p++) {
        ds_buf_puts(&want, p < 1 ? "#1 L1+ " : "#1 L1 ");
        for (int i = part_first[p]; i < part_first[p + 1]; i++)
            ds_buf_printf(&want, "%sf%d=v%d", i > part_first[p] ? "|" : "", i, i);
        ds_buf_putc(&want, '\n');
    }
    ds_source_stats st = check(in.data, in.len, DS_FORMAT_JSON, &o, want.data);
    cr_assert_eq(st.records, 1);
    ds_buf_free(&in);
    ds_buf_free(&want);
}

Test(json, fixture_threads_array)
{
    size_t len;
    char *data = read_file("fixtures/json/threads.json", &len);
    ds_source_stats st =
        check(data, len, DS_FORMAT_JSON, NULL,
              "#1 L2 thread_id=7|title=Meetup in Porto|starter.handle=rui_s|"
              "starter.email=rui.silva@forum.example|posts[0].n=1|"
              "posts[0].text=Who is in? Ping me at +1-555-0123.|posts[1].n=2|"
              "posts[1].text=Count me in \xe2\x80\x94 Ines\n"
              "#2 L11 thread_id=8|title=Password reset not working|starter.handle=kim_l|"
              "starter.email=kim.lee@mail.example|closed=true\n"
              "#3 L18 thread_id=9|title=Empty\n");
    cr_assert_eq(st.records, 3);
    cr_assert_eq(st.lines, 19);
    free(data);
}

Test(json, fixture_profile_object)
{
    size_t len;
    char *data = read_file("fixtures/json/profile.json", &len);
    ds_source_stats st =
        check(data, len, DS_FORMAT_JSON, NULL,
              "#1 L1 user.id=u-2231|user.name.first=Sofia|user.name.last=Rossi|"
              "user.contact.email=sofia.rossi@mail.example|user.contact.phones[0]=+1-555-0170|"
              "user.contact.phones[1]=+1-555-0171|user.born=1988-11-02|"
              "settings.newsletter=false|settings.theme=dark|settings.quota_mb=512|"
              "sessions[0].ip=203.0.113.50|sessions[0].agent=Firefox/125.0|"
              "sessions[1].ip=2001:db8::17|sessions[1].agent=curl/8.5\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.lines, 13);
    free(data);
}
