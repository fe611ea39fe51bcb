/* tests: ds_sniff_format, format detection from the name and the first bytes. */
#include <criterion/criterion.h>
#include <string.h>

#include "input/walk.h"

static ds_format sniff(const char *name, const char *head, const char **why)
{
    return ds_sniff_format(name, (const unsigned char *)head, head ? strlen(head) : 0, why);
}

static void check(const char *name, const char *head, ds_format want)
{
    const char *why = NULL;
    ds_format got = sniff(name, head, &why);
    cr_assert_eq(got, want, "%s: got %s, want %s", name, ds_format_name(got),
                 ds_format_name(want));
    cr_assert_not_null(why);
    if (want != DS_FORMAT_UNKNOWN)
        cr_assert_str_eq(why, "");
}

static void check_unknown(const char *name, const char *head, const char *reason)
{
    const char *why = NULL;
    cr_assert_eq(sniff(name, head, &why), DS_FORMAT_UNKNOWN, "%s", name);
    cr_assert_str_eq(why, reason, "%s", name);
}

Test(sniff, extensions)
{
    const char *prose = "just some words\n";
    check("a.csv", prose, DS_FORMAT_CSV);
    check("a.tsv", prose, DS_FORMAT_CSV);
    check("a.psv", prose, DS_FORMAT_CSV);
    check("a.jsonl", prose, DS_FORMAT_JSONL);
    check("a.ndjson", prose, DS_FORMAT_JSONL);
    check("a.json", "{\"a\": 1}\n", DS_FORMAT_JSON);
    check("a.txt", "a,b\n1,2\n", DS_FORMAT_TEXT);
    check("a.md", prose, DS_FORMAT_TEXT);
    check("a.log", prose, DS_FORMAT_TEXT);
    check("a.text", prose, DS_FORMAT_TEXT);
    check("DATA.CSV", prose, DS_FORMAT_CSV);
    check("dir.d/Notes.Txt", "a,b\n1,2\n", DS_FORMAT_TEXT);
}

Test(sniff, compression_suffixes_are_looked_through)
{
    check("people.csv.gz", "x\n", DS_FORMAT_CSV);
    check("events.jsonl.zst", "x\n", DS_FORMAT_JSONL);
    check("events.ndjson.zstd", "x\n", DS_FORMAT_JSONL);
    check("notes.txt.bz2", "a,b\n1,2\n", DS_FORMAT_TEXT);
    check("t.tsv.xz", "x\n", DS_FORMAT_CSV);
    check("t.csv.lz4", "x\n", DS_FORMAT_CSV);
    check("twice.csv.gz.xz", "x\n", DS_FORMAT_CSV);
    /* a bare ".gz" says nothing: the content decides */
    check("data.gz", "a,b\n1,2\n", DS_FORMAT_CSV);
}

Test(sniff, archive_member_names)
{
    check("corpus.tar.gz!a/people.csv", "x\n", DS_FORMAT_CSV);
    check("outer.zip!in.tar!notes.md", "x\n", DS_FORMAT_TEXT);
    /* the extension of the member, not of the archive */
    check("data.csv.zip!readme", "plain words here\n", DS_FORMAT_TEXT);
}

Test(sniff, json_extension_holding_json_lines)
{
    check("a.json", "{\"a\": 1}\n{\"a\": 2}\n", DS_FORMAT_JSONL);
    check("a.json", "\xEF\xBB\xBF{\"a\": 1}\n{\"a\": 2}\n", DS_FORMAT_JSONL);
    check("a.json", "{\n  \"a\": 1\n}\n", DS_FORMAT_JSON);
    check("a.json", "[{\"a\": 1},\n{\"a\": 2}]\n", DS_FORMAT_JSON);
    check("a.json", "{\"a\": 1}\n", DS_FORMAT_JSON);
    check("a.json", "", DS_FORMAT_JSON);
}

Test(sniff, unsupported_formats_by_name)
{
    check_unknown("t.parquet", "PAR1", "unsupported format (Parquet)");
    check_unknown("T.PARQUET", "a,b\n1,2\n", "unsupported format (Parquet)");
    check_unknown("t.parquet.gz", "", "unsupported format (Parquet)");
    check_unknown("img.png", "\x89PNG", "unsupported format (PNG image)");
    check_unknown("photo.jpeg", "", "unsupported format (JPEG image)");
    check_unknown("doc.pdf", "%PDF-1.7\n", "unsupported format (PDF)");
    check_unknown("book.xlsx", "PK", "unsupported format (Excel)");
    check_unknown("letter.docx", "PK", "unsupported format (Word)");
    check_unknown("x.avro", "", "unsupported format (Avro)");
    check_unknown("x.arrow", "", "unsupported format (Arrow)");
    check_unknown("x.feather", "", "unsupported format (Feather)");
    check_unknown("x.npy", "", "unsupported format (NumPy)");
    check_unknown("x.pkl", "", "unsupported format (pickle)");
    check_unknown("weights.bin", "", "unsupported format (binary)");
    check_unknown("a.zip!lib/x.so", "", "unsupported format (shared library)");
    /* the name alone (no content) answers the same */
    const char *why;
    cr_assert_eq(ds_sniff_format("t.parquet", NULL, 0, &why), DS_FORMAT_UNKNOWN);
    cr_assert_eq(ds_sniff_format("t.csv", NULL, 0, &why), DS_FORMAT_CSV);
    cr_assert_eq(ds_sniff_format("noext", NULL, 0, &why), DS_FORMAT_TEXT);
}

Test(sniff, binary_content)
{
    const unsigned char nul[] = {'a', 'b', 0, 'c', '\n'};
    const char *why;
    cr_assert_eq(ds_sniff_format("blob", nul, sizeof nul, &why), DS_FORMAT_UNKNOWN);
    cr_assert_str_eq(why, "binary file");
    unsigned char ctl[200];
    for (size_t i = 0; i < sizeof ctl; i++)
        ctl[i] = i % 4 ? 'x' : 0x01; /* a quarter of control bytes */
    cr_assert_eq(ds_sniff_format("blob", ctl, sizeof ctl, &why), DS_FORMAT_UNKNOWN);
    cr_assert_str_eq(why, "binary file");
    /* a few stray control bytes do not make text binary */
    unsigned char few[200];
    for (size_t i = 0; i < sizeof few; i++)
        few[i] = i % 50 == 49 ? 0x01 : (i % 20 == 19 ? '\n' : 'w');
    cr_assert_eq(ds_sniff_format("notes", few, sizeof few, &why), DS_FORMAT_TEXT);
    /* high bytes (UTF-8, Windows-1252) are text */
    check("fr", "caf\xc3\xa9 cr\xe8me br\xfbl\xe9" "e\n", DS_FORMAT_TEXT);
    /* ESC, form feed, tabs are text */
    check("term", "\x1b[1mbold\x1b[0m\ttab\fpage\n", DS_FORMAT_TEXT);
}

Test(sniff, utf16_with_bom_is_not_binary)
{
    const unsigned char le[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0, '\n', 0,
                                '1',  0,    ',', 0, '2', 0, '\n', 0};
    const unsigned char be[] = {0xFE, 0xFF, 0, 'h', 0, 'i', 0, ' ', 0, 'y', 0, 'o', 0, '\n'};
    const char *why;
    cr_assert_eq(ds_sniff_format("u16", le, sizeof le, &why), DS_FORMAT_CSV);
    cr_assert_eq(ds_sniff_format("u16", be, sizeof be, &why), DS_FORMAT_TEXT);
    /* without a BOM, NULs make it binary */
    cr_assert_eq(ds_sniff_format("u16", le + 2, sizeof le - 2, &why), DS_FORMAT_UNKNOWN);
}

Test(sniff, empty_is_text)
{
    check("empty", "", DS_FORMAT_TEXT);
    check("bom-only", "\xEF\xBB\xBF", DS_FORMAT_TEXT);
    check("blank", "\n\n  \n", DS_FORMAT_TEXT);
}

Test(sniff, json_and_json_lines_by_content)
{
    check("x", "{\"a\": 1}\n{\"a\": 2}\n", DS_FORMAT_JSONL);
    check("x", "  \n{\"a\": \"}{\"}\n\n{\"b\": [1, {\"c\": 2}]}", DS_FORMAT_JSONL);
    check("x", "{\"a\": \"x\\\"}\"}\r\n{\"a\": 2}\r\n", DS_FORMAT_JSONL);
    check("x", "{\"a\": 1}", DS_FORMAT_JSON);
    check("x", "{\"a\": 1}\n", DS_FORMAT_JSON);
    check("x", "{\n  \"a\": 1\n}\n", DS_FORMAT_JSON);
    check("x", "{\"a\": 1} trailing\n{\"b\": 2}\n", DS_FORMAT_JSON);
    check("x", "{\"a\": 1}\nnot json\n", DS_FORMAT_JSON);
    check("x", "[1, 2, 3]\n", DS_FORMAT_JSON);
    check("x", "\xEF\xBB\xBF  [\n]", DS_FORMAT_JSON);
}

Test(sniff, csv_by_content)
{
    check("x", "a,b,c\n1,2,3\n4,5,6\n", DS_FORMAT_CSV);
    check("x", "a;b\n1;2\n", DS_FORMAT_CSV);
    check("x", "a\tb\n1\t2\n", DS_FORMAT_CSV);
    check("x", "a|b|c\n1|2|3\n", DS_FORMAT_CSV);
    check("x", "a,b\r\n1,2\r\n", DS_FORMAT_CSV);
    /* quoted delimiters and newlines do not count */
    check("x", "name,note\n\"Dupont, Jean\",\"two\nlines\"\nMarie,ok\n", DS_FORMAT_CSV);
    /* a last line without newline counts when the head is the whole file */
    check("x", "a,b\n1,2", DS_FORMAT_CSV);
    /* not CSV: counts differ, one line only, no delimiter */
    check("x", "Hello, world.\nNo comma here\nand, here, two\n", DS_FORMAT_TEXT);
    check("x", "a,b,c\n", DS_FORMAT_TEXT);
    check("x", "one\ntwo\nthree\n", DS_FORMAT_TEXT);
}

Test(sniff, csv_head_cut_in_the_middle_of_a_line)
{
    /* a full 4 KiB head: its last, cut line is not held against it */
    char head[4096];
    size_t n = 0;
    while (n + 12 <= sizeof head) {
        memcpy(head + n, "aaa,bbb,ccc\n", 12);
        n += 12;
    }
    memcpy(head + n, "x,y,z,w", sizeof head - n);
    const char *why;
    cr_assert_eq(ds_sniff_format("x", (const unsigned char *)head, sizeof head, &why),
                 DS_FORMAT_CSV);
}

Test(sniff, reason_may_be_null)
{
    cr_assert_eq(ds_sniff_format("x.png", NULL, 0, NULL), DS_FORMAT_UNKNOWN);
    cr_assert_eq(ds_sniff_format(NULL, (const unsigned char *)"a,b\n1,2\n", 8, NULL),
                 DS_FORMAT_CSV);
}
