/* tests: the text reader (SPEC §4): one record per line, field "text". Every
 * data test reads at stream chunk sizes 1, 7 and 4096 and asserts the exact
 * dump. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "input/source.h"
#include "input/stream.h"
#include "util.h"

static const size_t chunks[] = {1, 7, 4096};

static ds_source_stats check_text(const void *data, size_t len, const ds_source_opts *o,
                                  const char *want)
{
    ds_source_stats first = {0};
    for (size_t i = 0; i < 3; i++) {
        ds_source_stats st;
        char *got = dump_source_stats(data, len, DS_FORMAT_TEXT, chunks[i], o, &st);
        if (strcmp(got, want) != 0) {
            size_t k = 0;
            while (got[k] && got[k] == want[k])
                k++;
            cr_assert_fail("chunk %zu: dumps differ at byte %zu\n got: %.200s\nwant: %.200s",
                           chunks[i], k, got + k, want + k);
        }
        free(got);
        if (i == 0) {
            first = st;
            continue;
        }
        cr_assert_eq(st.records, first.records);
        cr_assert_eq(st.invalid_utf8, first.invalid_utf8);
        cr_assert_eq(st.windowed, first.windowed);
        cr_assert_eq(st.lines, first.lines);
    }
    return first;
}

#define CHECK(lit, o, want) check_text(lit, sizeof lit - 1, o, want)

static ds_source_opts small_windows(void)
{
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.max_field = 64;
    o.window_overlap = 8;
    return o;
}

Test(text, one_record_per_line_numbered_by_line)
{
    ds_source_stats st = CHECK("Jean Dupont\n"
                               "\n"
                               "\r\n"
                               "jean.dupont@exemple.fr\r\n"
                               "  \n"
                               "derniere ligne",
                               NULL,
                               "#1 L1 text=Jean Dupont\n"
                               "#4 L4 text=jean.dupont@exemple.fr\n"
                               "#5 L5 text=  \n"
                               "#6 L6 text=derniere ligne\n");
    cr_assert_eq(st.records, 4);
    cr_assert_eq(st.lines, 6);
}

Test(text, only_one_trailing_cr_is_dropped)
{
    /* "\r" inside a line stays; "\r\r\n" keeps one */
    CHECK("a\rb\r\nc\r\r\n", NULL, "#1 L1 text=a\\rb\n#2 L2 text=c\\r\n");
}

Test(text, empty_bom_only_and_newline_only_files)
{
    ds_source_stats st = CHECK("", NULL, "");
    cr_assert_eq(st.lines, 0);
    st = CHECK("\xEF\xBB\xBF", NULL, "");
    cr_assert_eq(st.lines, 0);
    st = CHECK("\n\n", NULL, "");
    cr_assert_eq(st.lines, 2);
    cr_assert_eq(st.records, 0);
}

Test(text, utf8_bom_and_utf16le_are_decoded)
{
    CHECK("\xEF\xBB\xBF"
          "bonjour\n",
          NULL, "#1 L1 text=bonjour\n");
    const unsigned char le[] = {0xFF, 0xFE, 'R',  0, 'e',  0, 'n', 0,
                                0xE9, 0,    '\r', 0, '\n', 0, 'x', 0};
    check_text(le, sizeof le, NULL, "#1 L1 text=René\n#2 L2 text=x\n");
}

Test(text, invalid_utf8_repaired_and_counted_per_line)
{
    ds_source_stats st = CHECK("Ren\xe9 \xe0 Orl\xe9"
                               "ans\nok\n\x80 5\n",
                               NULL,
                               "#1 L1 text=René à Orléans\n"
                               "#2 L2 text=ok\n"
                               "#3 L3 text=€ 5\n");
    cr_assert_eq(st.invalid_utf8, 2);
    /* a sequence cut by the end of the line is invalid too */
    st = CHECK("caf\xc3\nthé\n", NULL, "#1 L1 text=cafÃ\n#2 L2 text=thé\n");
    cr_assert_eq(st.invalid_utf8, 1);
}

Test(text, nul_bytes_are_kept)
{
    CHECK("a\0b\n\0\n", NULL, "#1 L1 text=a\\0b\n#2 L2 text=\\0\n");
}

Test(text, long_line_in_windows_with_exact_offsets)
{
    /* 150 bytes: windows at 0, 56 and 112 */
    ds_source_opts o = small_windows();
    char line[160];
    for (int i = 0; i < 150; i++)
        line[i] = (char)('A' + i % 26);
    memcpy(line + 150, "\r\nok\n", 5);
    ds_buf want = {0};
    ds_buf_puts(&want, "#1 L1+ text@0/56=");
    ds_buf_append(&want, line, 64);
    ds_buf_puts(&want, "\n#1 L1+ text@56/56=");
    ds_buf_append(&want, line + 56, 64);
    ds_buf_puts(&want, "\n#1 L1 text@112/38=");
    ds_buf_append(&want, line + 112, 38);
    ds_buf_puts(&want, "\n#2 L2 text=ok\n");
    ds_source_stats st = check_text(line, 155, &o, want.data);
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.records, 2);
    ds_buf_free(&want);
}

Test(text, line_of_exactly_max_field_is_whole)
{
    ds_source_opts o = small_windows();
    char line[70];
    memset(line, 'z', 64);
    memcpy(line + 64, "\r\n", 2);
    ds_buf want = {0};
    ds_buf_puts(&want, "#1 L1 text=");
    ds_buf_append(&want, line, 64);
    ds_buf_puts(&want, "\n");
    ds_source_stats st = check_text(line, 66, &o, want.data);
    cr_assert_eq(st.windowed, 0);
    ds_buf_free(&want);
}

Test(text, trailing_cr_takes_no_room_but_inner_cr_does)
{
    /* 65 bytes then "\r\n": the "\r" is dropped, not windowed */
    ds_source_opts o = small_windows();
    char line[80];
    memset(line, 'q', 65);
    memcpy(line + 65, "\r\n", 2);
    ds_buf want = {0};
    ds_buf_puts(&want, "#1 L1+ text@0/56=");
    ds_buf_append(&want, line, 64);
    ds_buf_puts(&want, "\n#1 L1 text@56/9=");
    ds_buf_append(&want, line, 9);
    ds_buf_puts(&want, "\n");
    check_text(line, 67, &o, want.data);
    ds_buf_free(&want);
    /* 64 bytes, "\r", one more byte: that "\r" is content */
    memset(line, 'q', 64);
    memcpy(line + 64, "\rq\n", 3);
    ds_buf_puts(&want, "#1 L1+ text@0/56=");
    ds_buf_append(&want, line, 64);
    ds_buf_puts(&want, "\n#1 L1 text@56/10=qqqqqqqq\\rq\n");
    check_text(line, 67, &o, want.data);
    ds_buf_free(&want);
}

Test(text, windows_never_split_a_character_and_offsets_are_decoded)
{
    /* "x" + 60 "€" (3 bytes each). The first window is full at 64 bytes and
     * the next one starts on a character (58, not 56); the later windows
     * stop at 63 bytes, before a character that does not fit. */
    ds_source_opts o = small_windows();
    ds_buf in = {0}, want = {0};
    ds_buf_putc(&in, 'x');
    for (int i = 0; i < 60; i++)
        ds_buf_puts(&in, "€");
    ds_buf_putc(&in, '\n');
    ds_buf_puts(&want, "#1 L1+ text@0/58=x");
    for (int i = 0; i < 21; i++)
        ds_buf_puts(&want, "€");
    ds_buf_puts(&want, "\n#1 L1+ text@58/57=");
    for (int i = 0; i < 21; i++)
        ds_buf_puts(&want, "€");
    ds_buf_puts(&want, "\n#1 L1+ text@115/57=");
    for (int i = 0; i < 21; i++)
        ds_buf_puts(&want, "€");
    ds_buf_puts(&want, "\n#1 L1 text@172/9=€€€\n");
    ds_source_stats st = check_text(in.data, in.len, &o, want.data);
    cr_assert_eq(st.invalid_utf8, 0);
    ds_buf_free(&in);
    ds_buf_free(&want);

    /* 50 raw cp1252 "é" bytes: 100 decoded bytes, windows cut in decoded bytes */
    char raw[51];
    memset(raw, '\xE9', 50);
    raw[50] = '\n';
    ds_buf_puts(&want, "#1 L1+ text@0/56=");
    for (int i = 0; i < 32; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "\n#1 L1 text@56/44=");
    for (int i = 0; i < 22; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "\n");
    st = check_text(raw, 51, &o, want.data);
    cr_assert_eq(st.invalid_utf8, 1);
    cr_assert_eq(st.windowed, 1);
    ds_buf_free(&want);
}

Test(text, two_megabyte_line_in_bounded_windows)
{
    const size_t L = 2u << 20, max = 64u << 10, ov = 1024, step = max - ov;
    char *text = malloc(L + 8);
    for (size_t i = 0; i < L; i++)
        text[i] = (char)('a' + (i * 7) % 26);
    memcpy(text + L, "\nfin\n", 5);
    ds_buf want = {0};
    ds_buf_reserve(&want, 2 * L);
    size_t off = 0, nwin = 0;
    for (; off + max < L; off += step, nwin++) {
        ds_buf_printf(&want, "#1 L1+ text@%zu/%zu=", off, step);
        ds_buf_append(&want, text + off, max);
        ds_buf_putc(&want, '\n');
    }
    ds_buf_printf(&want, "#1 L1 text@%zu/%zu=", off, L - off);
    ds_buf_append(&want, text + off, L - off);
    ds_buf_puts(&want, "\n#2 L2 text=fin\n");
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.max_field = max;
    o.window_overlap = ov;
    ds_source_stats st = check_text(text, L + 5, &o, want.data);
    cr_assert_eq(nwin, 32); /* ceil((2 MiB - 64 KiB) / 63 KiB) windows cut, then the last */
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.lines, 2);
    ds_buf_free(&want);
    free(text);
}

static ds_status fail_after(void *ctx, const unsigned char **d, size_t *n, ds_error *err)
{
    int *calls = ctx;
    if ((*calls)++ == 0) {
        *d = (const unsigned char *)"ligne 1\nligne";
        *n = 13;
        return DS_OK;
    }
    return ds_error_set(err, DS_EIO, "notes.txt.xz", "corrupt xz stream");
}

Test(text, stream_error_is_returned_as_is)
{
    int calls = 0;
    ds_stream *st;
    ds_source *src;
    ds_error err;
    ds_stream_open_fn(fail_after, NULL, &calls, "notes.txt.xz", NULL, &st, NULL);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_TEXT, NULL, &src, &err), DS_OK);
    const ds_record *rec;
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_OK);
    cr_assert_eq(rec->line, 1);
    cr_assert_eq(rec->fields[0].value_len, 7);
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_EIO);
    cr_assert_str_eq(err.where, "notes.txt.xz");
    cr_assert_str_eq(err.msg, "corrupt xz stream");
    ds_source_close(src);
    ds_stream_close(st);
}

Test(text, fixture_notes)
{
    size_t len;
    char *data = read_file("fixtures/text/notes.txt", &len);
    ds_source_stats st =
        check_text(data, len, NULL,
                   "#1 L1 text=Réunion du 12 mars avec Jean Dupont (jean.dupont@exemple.fr).\n"
                   "#3 L3 text=Rappeler Marie au 06 39 98 10 02 avant vendredi.\n"
                   "#4 L4 text=   \n"
                   "#5 L5 text=Notes: le client préfère être contacté par courriel.\n"
                   "#6 L6 text=Ticket clos.\n");
    cr_assert_eq(st.lines, 6);
    cr_assert_eq(st.records, 5);
    free(data);
}
