/* tests: the CSV reader (SPEC §3, §4): dialect and header sniffing, line
 * numbers, quoting, encodings, limits and windowed fields. Every data test
 * reads at stream chunk sizes 1, 7 and 4096 and asserts the exact dump. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "input/source.h"
#include "input/stream.h"
#include "util.h"

static const size_t chunks[] = {1, 7, 4096};

/* Same strings, or a failure naming the first difference (dumps can be MBs). */
static void assert_same(const char *got, const char *want, size_t chunk)
{
    if (strcmp(got, want) == 0)
        return;
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    cr_assert_fail("chunk %zu: dumps differ at byte %zu\n got: ...%.120s\nwant: ...%.120s\n"
                   "full dump (first 2000 bytes):\n%.2000s",
                   chunk, i, got + from, want + from, got);
}

/* Read data as CSV at every chunk size, with the reader's plain-row path
 * and with every line through libcsv (csv_no_fast); each dump must be
 * `want`, and the stats must not depend on the chunk size or the path.
 * Returns the stats. */
static ds_source_stats check_csv(const void *data, size_t len, const ds_source_opts *o,
                                 const char *want)
{
    ds_source_stats first = {0};
    ds_source_opts oo = source_opts_or_default(o);
    for (size_t i = 0; i < 6; i++) {
        ds_source_stats st;
        oo.csv_no_fast = i >= 3;
        char *got = dump_source_stats(data, len, DS_FORMAT_CSV, chunks[i % 3], &oo, &st);
        assert_same(got, want, chunks[i % 3]);
        free(got);
        if (i == 0) {
            first = st;
            continue;
        }
        const char *diff = source_stats_differ(&st, &first);
        cr_assert_null(diff, "chunk %zu%s: %s differ from the first read", chunks[i % 3],
                       oo.csv_no_fast ? " (libcsv only)" : "", diff);
    }
    return first;
}

#define CHECK(lit, o, want) check_csv(lit, sizeof lit - 1, o, want)

static ds_source_opts opts_with(int delim, int header)
{
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.csv_delim = delim;
    o.csv_header = header;
    return o;
}

/* ---- dialect ---------------------------------------------------------------- */

Test(csv, sniffs_comma_and_header)
{
    ds_source_stats st = CHECK("nom,email,telephone\n"
                               "Jean Dupont,jean.dupont@exemple.fr,+33 6 39 98 10 01\n"
                               "Marie Curie,marie.curie@exemple.fr,06 39 98 10 02\n",
                               NULL,
                               "#1 L2 nom=Jean Dupont|email=jean.dupont@exemple.fr|"
                               "telephone=+33 6 39 98 10 01\n"
                               "#2 L3 nom=Marie Curie|email=marie.curie@exemple.fr|"
                               "telephone=06 39 98 10 02\n");
    cr_assert_eq(st.csv_delim, ',');
    cr_assert_eq(st.csv_header, 1);
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.lines, 3);
    cr_assert_eq(st.ragged, 0);
}

Test(csv, sniffs_semicolon_over_decimal_commas)
{
    ds_source_stats st = CHECK("produit;prix;client\n"
                               "thé;1,50;a@exemple.fr\n"
                               "café;2,25;b@exemple.fr\n",
                               NULL,
                               "#1 L2 produit=thé|prix=1,50|client=a@exemple.fr\n"
                               "#2 L3 produit=café|prix=2,25|client=b@exemple.fr\n");
    cr_assert_eq(st.csv_delim, ';');
}

Test(csv, sniffs_tab_over_commas_in_text)
{
    ds_source_stats st = CHECK("nom\tcommentaire\n"
                               "Dupont, Jean\tbonjour, merci, au revoir\n"
                               "Martin, Marie\tok\n",
                               NULL,
                               "#1 L2 nom=Dupont, Jean|commentaire=bonjour, merci, au revoir\n"
                               "#2 L3 nom=Martin, Marie|commentaire=ok\n");
    cr_assert_eq(st.csv_delim, '\t');
}

Test(csv, sniffs_pipe)
{
    ds_source_stats st =
        CHECK("id|nom|courriel\n1|Jean|jean@exemple.fr\n2|Marie|marie@exemple.fr\n", NULL,
              "#1 L2 id=1|nom=Jean|courriel=jean@exemple.fr\n"
              "#2 L3 id=2|nom=Marie|courriel=marie@exemple.fr\n");
    cr_assert_eq(st.csv_delim, '|');
}

Test(csv, sniff_ignores_delimiters_inside_quotes)
{
    /* commas only inside quotes: the semicolon is the delimiter */
    ds_source_stats st = CHECK("nom;adresse\n"
                               "Jean;\"1, rue de la Paix, Paris\"\n"
                               "Marie;\"2, place Bellecour, Lyon\"\n",
                               NULL,
                               "#1 L2 nom=Jean|adresse=1, rue de la Paix, Paris\n"
                               "#2 L3 nom=Marie|adresse=2, place Bellecour, Lyon\n");
    cr_assert_eq(st.csv_delim, ';');
}

Test(csv, sniff_tie_prefers_more_columns_then_order)
{
    /* ',' and ';' are both in every row: ';' splits into more columns */
    ds_source_stats st = CHECK("Dupont, Jean;jean@exemple.fr;Paris\n"
                               "Martin, Marie;marie@exemple.fr;Lyon\n",
                               NULL,
                               "#1 L1 #1=Dupont, Jean|#2=jean@exemple.fr|#3=Paris\n"
                               "#2 L2 #1=Martin, Marie|#2=marie@exemple.fr|#3=Lyon\n");
    cr_assert_eq(st.csv_delim, ';');
    cr_assert_eq(st.csv_header, 0);
    /* one of each in every row: the order , ; TAB | decides */
    st = CHECK("1,2;3\n4,5;6\n", NULL, "#1 L1 #1=1|#2=2;3\n#2 L2 #1=4|#2=5;6\n");
    cr_assert_eq(st.csv_delim, ',');
}

Test(csv, no_delimiter_at_all_is_one_column)
{
    ds_source_stats st = CHECK("jean@exemple.fr\nmarie@exemple.fr\n", NULL,
                               "#1 L1 #1=jean@exemple.fr\n#2 L2 #1=marie@exemple.fr\n");
    cr_assert_eq(st.csv_delim, ',');
}

Test(csv, delimiter_option_wins_over_sniffing)
{
    ds_source_opts o = opts_with(';', 0);
    ds_source_stats st = CHECK("a,b;c,d\n", &o, "#1 L1 #1=a,b|#2=c,d\n");
    cr_assert_eq(st.csv_delim, ';');
    /* a delimiter libcsv cannot honour is refused at open */
    o.csv_delim = '"';
    CHECK("a,b\n", &o, "!invalid argument t: invalid CSV delimiter 0x22\n");
    o.csv_delim = '\n';
    CHECK("a,b\n", &o, "!invalid argument t: invalid CSV delimiter 0x0a\n");
}

/* The extension decides before sniffing, after a compression suffix. */
static int delim_for_name(const char *name, const char *text, char **first)
{
    ds_stream_opts so = {.chunk = 0, .decode = 1};
    ds_stream *st;
    ds_source *src;
    ds_error err;
    cr_assert_eq(ds_stream_open_mem(text, strlen(text), name, &so, &st, &err), DS_OK);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_CSV, NULL, &src, &err), DS_OK);
    const ds_record *rec;
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_OK);
    ds_buf b = {0};
    for (size_t i = 0; i < rec->nfields; i++)
        ds_buf_printf(&b, "%s%.*s=%.*s", i ? "|" : "", (int)rec->fields[i].name_len,
                      rec->fields[i].name, (int)rec->fields[i].value_len, rec->fields[i].value);
    *first = b.data;
    int d = ds_source_stats_get(src)->csv_delim;
    ds_source_close(src);
    ds_stream_close(st);
    return d;
}

Test(csv, delimiter_from_extension)
{
    const char *text = "nom,ville\tcourriel,x\nDupont,Jean\tjean@exemple.fr,y\n";
    char *first;
    cr_assert_eq(delim_for_name("export/people.tsv.gz", text, &first), '\t');
    cr_assert_str_eq(first, "nom,ville=Dupont,Jean|courriel,x=jean@exemple.fr,y");
    free(first);
    cr_assert_eq(delim_for_name("a.tar.gz!dir/PEOPLE.PSV", "a|b\n1|2\n", &first), '|');
    cr_assert_str_eq(first, "a=1|b=2");
    free(first);
    /* .csv is sniffed (French exports use ';') */
    cr_assert_eq(delim_for_name("people.csv.zst", "a;b\n1;2\n", &first), ';');
    free(first);
}

/* ---- header ----------------------------------------------------------------- */

Test(csv, no_header_when_first_row_holds_values)
{
    ds_source_stats st = CHECK("1001,Dupont,jean.dupont@exemple.fr\n"
                               "1002,Martin,marie.martin@exemple.fr\n",
                               NULL,
                               "#1 L1 #1=1001|#2=Dupont|#3=jean.dupont@exemple.fr\n"
                               "#2 L2 #1=1002|#2=Martin|#3=marie.martin@exemple.fr\n");
    cr_assert_eq(st.csv_header, 0);
    /* a date in the first row is a value too */
    st = CHECK("Dupont,1984-05-17\nMartin,1991-11-02\n", NULL,
               "#1 L1 #1=Dupont|#2=1984-05-17\n#2 L2 #1=Martin|#2=1991-11-02\n");
    cr_assert_eq(st.csv_header, 0);
}

Test(csv, no_header_when_lengths_match_the_data)
{
    /* fixed-width codes in every row, the first row included */
    ds_source_stats st = CHECK("AB12,XY\nCD34,ZT\nEF56,UV\n", NULL,
                               "#1 L1 #1=AB12|#2=XY\n#2 L2 #1=CD34|#2=ZT\n#3 L3 #1=EF56|#2=UV\n");
    cr_assert_eq(st.csv_header, 0);
}

Test(csv, no_header_with_duplicate_or_empty_cells)
{
    ds_source_stats st = CHECK("nom,nom\nx,y\n", NULL, "#1 L1 #1=nom|#2=nom\n#2 L2 #1=x|#2=y\n");
    cr_assert_eq(st.csv_header, 0);
    st = CHECK("nom,,ville\nx,y,z\n", NULL, "#1 L1 #1=nom|#3=ville\n#2 L2 #1=x|#2=y|#3=z\n");
    cr_assert_eq(st.csv_header, 0);
}

Test(csv, header_with_pandas_index_column)
{
    ds_source_stats st =
        CHECK(",nom,email\n0,Dupont,jean@exemple.fr\n1,Martin,marie@exemple.fr\n", NULL,
              "#1 L2 #1=0|nom=Dupont|email=jean@exemple.fr\n"
              "#2 L3 #1=1|nom=Martin|email=marie@exemple.fr\n");
    cr_assert_eq(st.csv_header, 1);
}

Test(csv, header_by_word_like_names_on_a_tie)
{
    /* text of varying lengths everywhere: no vote, the names decide */
    ds_source_stats st =
        CHECK("nom complet,ville\nJean Dupont,Paris\nMarie Lefèvre,Orléans\n", NULL,
              "#1 L2 nom complet=Jean Dupont|ville=Paris\n"
              "#2 L3 nom complet=Marie Lefèvre|ville=Orléans\n");
    cr_assert_eq(st.csv_header, 1);
}

Test(csv, single_row_file)
{
    ds_source_stats st = CHECK("nom,prenom,email\n", NULL, "");
    cr_assert_eq(st.csv_header, 1);
    cr_assert_eq(st.records, 0);
    cr_assert_eq(st.lines, 1);
    st = CHECK("Jean,Dupont,jean@exemple.fr", NULL, "#1 L1 #1=Jean|#2=Dupont|#3=jean@exemple.fr\n");
    cr_assert_eq(st.csv_header, 0);
    cr_assert_eq(st.lines, 1);
}

Test(csv, header_option_forces_either_way)
{
    ds_source_opts yes = opts_with(0, 1), no = opts_with(0, 0);
    ds_source_stats st = CHECK("1,2\n3,4\n", &yes, "#1 L2 1=3|2=4\n");
    cr_assert_eq(st.csv_header, 1);
    st = CHECK("nom,ville\nJean,Paris\n", &no, "#1 L1 #1=nom|#2=ville\n#2 L2 #1=Jean|#2=Paris\n");
    cr_assert_eq(st.csv_header, 0);
}

Test(csv, header_names_trimmed_empty_and_beyond)
{
    ds_source_opts o = opts_with(0, 1);
    ds_source_stats st = CHECK("  nom  ,\" prenom \",,ville\n"
                               "Dupont,Jean,x,Paris,en trop\n"
                               "Martin\n",
                               &o,
                               "#1 L2 nom=Dupont|prenom=Jean|#3=x|ville=Paris|#5=en trop\n"
                               "#2 L3 nom=Martin\n");
    cr_assert_eq(st.ragged, 2);
}

Test(csv, header_cells_taken_over_keep_their_name_unless_over_max_field)
{
    ds_source_opts o = opts_with(0, 1);
    o.max_field = 64;
    o.window_overlap = 8;
    CHECK("identifiant_client_interne,adresse_electronique_principale\n1,a@exemple.fr\n", &o,
          "#1 L2 identifiant_client_interne=1|adresse_electronique_principale=a@exemple.fr\n");
}

Test(csv, header_cell_longer_than_max_field_is_unnamed)
{
    ds_source_opts o = opts_with(0, 1);
    o.max_field = 64;
    o.window_overlap = 8;
    char text[256];
    char longname[121];
    memset(longname, 'n', 120);
    longname[120] = '\0';
    snprintf(text, sizeof text, "id,%s,ville\n1,v,Paris\n", longname);
    check_csv(text, strlen(text), &o, "#1 L2 id=1|#2=v|ville=Paris\n");
}

/* ---- encodings -------------------------------------------------------------- */

Test(csv, utf8_bom_is_not_part_of_the_first_name)
{
    ds_source_stats st = CHECK("\xEF\xBB\xBFnom,email\r\nJean,jean@exemple.fr\r\n", NULL,
                               "#1 L2 nom=Jean|email=jean@exemple.fr\n");
    cr_assert_eq(st.csv_header, 1);
}

Test(csv, utf16le_file_with_bom)
{
    const char *text = "nom;ville\r\nRené;Orléans\r\nZoë;Besançon\r\n";
    ds_buf b = {0};
    ds_buf_append(&b, "\xFF\xFE", 2);
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        /* BMP only: decode one UTF-8 character, write one UTF-16LE unit */
        unsigned cp;
        if (*p < 0x80)
            cp = *p++;
        else {
            cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        }
        ds_buf_putc(&b, (int)(cp & 0xFF));
        ds_buf_putc(&b, (int)(cp >> 8));
    }
    ds_source_stats st = check_csv(b.data, b.len, NULL,
                                   "#1 L2 nom=René|ville=Orléans\n"
                                   "#2 L3 nom=Zoë|ville=Besançon\n");
    cr_assert_eq(st.csv_delim, ';');
    cr_assert_eq(st.invalid_utf8, 0);
    ds_buf_free(&b);
}

Test(csv, invalid_utf8_read_as_cp1252_and_counted_per_value)
{
    ds_source_stats st = CHECK("pr\xe9nom,ville\n"
                               "Ren\xe9,Orl\xe9"
                               "ans\n"
                               "\x80uro,ok\n",
                               NULL,
                               "#1 L2 prénom=René|ville=Orléans\n"
                               "#2 L3 prénom=€uro|ville=ok\n");
    cr_assert_eq(st.invalid_utf8, 3);
}

Test(csv, nul_bytes_are_kept)
{
    ds_source_opts o = opts_with(0, 0);
    ds_source_stats st =
        CHECK("x\0y,\"q\0\"\n\0,z\n", &o, "#1 L1 #1=x\\0y|#2=q\\0\n#2 L2 #1=\\0|#2=z\n");
    cr_assert_eq(st.invalid_utf8, 0);
}

Test(csv, empty_and_bom_only_files)
{
    ds_source_stats st = CHECK("", NULL, "");
    cr_assert_eq(st.records, 0);
    cr_assert_eq(st.lines, 0);
    cr_assert_eq(st.csv_header, 0);
    st = CHECK("\xEF\xBB\xBF", NULL, "");
    cr_assert_eq(st.records, 0);
    cr_assert_eq(st.lines, 0);
    st = CHECK("\n\r\n\n", NULL, "");
    cr_assert_eq(st.records, 0);
    cr_assert_eq(st.lines, 3);
}

/* ---- structure and line numbers ---------------------------------------------- */

Test(csv, crlf_quotes_embedded_newlines_and_blank_lines)
{
    ds_source_stats st = CHECK("id,texte\r\n"
                               "1,\"premiere ligne\r\n"
                               "deuxieme \"\"citee\"\"\"\r\n"
                               "\r\n"
                               "\n"
                               "2,simple\r\n"
                               "3,\"a\nb\nc\",fin\r\n"
                               "4,x",
                               NULL,
                               "#1 L2 id=1|texte=premiere ligne\\r\\ndeuxieme \"citee\"\n"
                               "#2 L6 id=2|texte=simple\n"
                               "#3 L7 id=3|texte=a\\nb\\nc|#3=fin\n"
                               "#4 L10 id=4|texte=x\n");
    cr_assert_eq(st.lines, 10);
    cr_assert_eq(st.records, 4);
    cr_assert_eq(st.ragged, 1);
}

Test(csv, lone_cr_ends_rows_on_the_same_physical_line)
{
    ds_source_stats st =
        CHECK("a,b\rc,d\re,f\n", NULL, "#1 L1 #1=a|#2=b\n#2 L1 #1=c|#2=d\n#3 L1 #1=e|#2=f\n");
    cr_assert_eq(st.lines, 1);
}

Test(csv, unquoted_blanks_trimmed_quoted_kept_empty_cells_skipped)
{
    ds_source_opts o = opts_with(',', 0);
    CHECK(" x , y ,\" z \",,\"\"\n,,\n", &o, "#1 L1 #1=x|#2=y|#3= z \n#2 L2 \n");
}

/* Lines the reader splits itself (source_csv.c, plain rows) next to lines
 * that only look plain; check_csv reads each both ways. */
Test(csv, plain_rows_split_as_libcsv_splits_them)
{
    ds_source_opts o = opts_with(',', 0);
    ds_source_stats st = CHECK("a,\"b,c\",\"d \"\"e\"\" f\",,\"\"\n"
                               "j,k,\n"
                               "\"l\"\"\",m\n"
                               "\"\"\"\",\"n\" ,o\n"
                               "p,q \n"
                               "r,s\"t\n"
                               "\"u\"v,w\n"
                               "x,\"y\r\nz\"\n",
                               &o,
                               "#1 L1 #1=a|#2=b,c|#3=d \"e\" f\n"
                               "#2 L2 #1=j|#2=k\n"
                               "#3 L3 #1=l\"|#2=m\n"
                               "#4 L4 #1=\"|#2=n|#3=o\n"
                               "#5 L5 #1=p|#2=q\n"
                               "#6 L6 #1=r|#2=s\"t\n"
                               /* a quote after a closing quote: libcsv reads on, in
                                * quotes, to the next lone quote */
                               "#7 L7 #1=u\"v,w\\nx,\"y\\r\\nz\n");
    cr_assert_eq(st.lines, 9);
    cr_assert_eq(st.records, 7);
    cr_assert_eq(st.ragged, 6); /* widths 5, 3, 2, 3, 2, 2, 1 against the first */
}

Test(csv, loose_quotes_as_libcsv_reads_them)
{
    /* a quote inside an unquoted field is literal; text after a closing quote
     * keeps the field quoted */
    ds_source_opts o = opts_with(',', 0);
    CHECK("5'11\",ok\n\"ab\"c,d\",e\n", &o, "#1 L1 #1=5'11\"|#2=ok\n#2 L2 #1=ab\"c,d|#2=e\n");
}

Test(csv, ragged_rows_counted_against_header_or_first_row)
{
    ds_source_stats st = CHECK("a,b,c\n1,2\n3,4,5,6\n7,8,9\n", NULL,
                               "#1 L2 a=1|b=2\n#2 L3 a=3|b=4|c=5|#4=6\n#3 L4 a=7|b=8|c=9\n");
    cr_assert_eq(st.ragged, 2);
    ds_source_opts o = opts_with(0, 0);
    st = CHECK("x,y\nz\nu,v\n", &o, "#1 L1 #1=x|#2=y\n#2 L2 #1=z\n#3 L3 #1=u|#2=v\n");
    cr_assert_eq(st.ragged, 1);
}

/* ---- malformed input and limits ---------------------------------------------- */

Test(csv, unterminated_quote_delivers_the_row_then_one_error)
{
    ds_source_stats st = CHECK("nom,note\nJean,\"ouvert\nsuite\nfin", NULL,
                               "#1 L2 nom=Jean|note=ouvert\\nsuite\\nfin\n"
                               "!malformed input t:2: unterminated quoted field\n");
    cr_assert_eq(st.records, 1);
    cr_assert_eq(st.malformed, 1);
    cr_assert_eq(st.lines, 4);
    /* the quote opened on line 4, after a complete row */
    st = CHECK("a,b\n1,2\n3,4\n5,\"x\n", NULL,
               "#1 L2 a=1|b=2\n#2 L3 a=3|b=4\n#3 L4 a=5|b=x\\n\n"
               "!malformed input t:4: unterminated quoted field\n");
    cr_assert_eq(st.records, 3);
}

Test(csv, max_columns_delivers_the_first_then_reports)
{
    ds_source_opts o = opts_with(0, -1);
    o.max_columns = 3;
    ds_source_stats st = CHECK("a,b,c\n1,2,3,4,5\n6,7,8\n", &o,
                               "#1 L2 a=1|b=2|c=3\n"
                               "!malformed input t:2: row has more than 3 columns; "
                               "the rest of the row was not scanned\n"
                               "#2 L3 a=6|b=7|c=8\n");
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.malformed, 1);
    cr_assert_eq(st.ragged, 1);
}

/* A producer that hands out `good` bytes, then fails like a truncated gzip. */
typedef struct failing {
    const char *data;
    size_t len, pos;
} failing;

static ds_status fail_read(void *ctx, const unsigned char **d, size_t *n, ds_error *err)
{
    failing *f = ctx;
    if (f->pos < f->len) {
        *d = (const unsigned char *)f->data + f->pos;
        *n = f->len - f->pos < 1000 ? f->len - f->pos : 1000;
        f->pos += *n;
        return DS_OK;
    }
    return ds_error_set(err, DS_EIO, "people.csv.gz", "truncated gzip stream");
}

Test(csv, stream_error_is_returned_as_is)
{
    /* 100 KiB of rows, past the sniffing sample, then the error */
    ds_buf text = {0};
    ds_buf_puts(&text, "nom,email\n");
    int rows = 0;
    while (text.len < 100 * 1024)
        ds_buf_printf(&text, "Jean%d,jean%d@exemple.fr\n", rows, rows), rows++;
    ds_buf_puts(&text, "Marie,mar");
    failing f = {text.data, text.len, 0};
    ds_stream *st;
    ds_source *src;
    ds_error err;
    ds_stream_open_fn(fail_read, NULL, &f, "people.csv.gz", NULL, &st, NULL);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_CSV, NULL, &src, &err), DS_OK);
    const ds_record *rec;
    ds_status rc;
    int got = 0;
    while ((rc = ds_source_next(src, &rec, &err)) == DS_OK) {
        cr_assert_eq(rec->index, (uint64_t)got + 1);
        cr_assert_eq(rec->line, (uint64_t)got + 2);
        got++;
    }
    cr_assert_eq(got, rows);
    cr_assert_eq(rc, DS_EIO);
    cr_assert_str_eq(err.where, "people.csv.gz");
    cr_assert_str_eq(err.msg, "truncated gzip stream");
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_EIO);
    ds_source_close(src);
    ds_stream_close(st);
    ds_buf_free(&text);
}

Test(csv, stream_error_while_sniffing_fails_the_open)
{
    failing f = {"nom,email\nJean,jean@exemple.fr\n", 31, 0};
    ds_stream *st;
    ds_source *src = NULL;
    ds_error err;
    ds_stream_open_fn(fail_read, NULL, &f, "people.csv.gz", NULL, &st, NULL);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_CSV, NULL, &src, &err), DS_EIO);
    cr_assert_str_eq(err.msg, "truncated gzip stream");
    cr_assert_null(src);
    ds_stream_close(st);
    /* with the dialect given there is no sniffing: the rows before the error come out */
    f.pos = 0;
    ds_source_opts o = opts_with(',', 1);
    ds_stream_open_fn(fail_read, NULL, &f, "people.csv.gz", NULL, &st, NULL);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_CSV, &o, &src, &err), DS_OK);
    const ds_record *rec;
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_OK);
    cr_assert_eq(rec->nfields, 2);
    cr_assert_eq(ds_source_next(src, &rec, &err), DS_EIO);
    ds_source_close(src);
    ds_stream_close(st);
}

/* ---- windows ------------------------------------------------------------------ */

#define D10 "0123456789"

static ds_source_opts small_windows(int header)
{
    ds_source_opts o = opts_with(',', header);
    o.max_field = 64;
    o.window_overlap = 8;
    return o;
}

Test(csv, quoted_field_over_max_field_in_windows)
{
    /* value: 30 digits, LF, a doubled quote, 70 digits = 102 decoded bytes */
    ds_source_opts o = small_windows(1);
    ds_source_stats st = CHECK("id,texte,suite\n"
                               "1,\"" D10 D10 D10 "\n\"\"" D10 D10 D10 D10 D10 D10 D10 "\",fin\n"
                               "2,ok,x\n",
                               &o,
                               "#1 L2+ id=1|texte@0/56=" D10 D10 D10 "\\n\"" D10 D10 D10 "01\n"
                               "#1 L2 texte@56/46=456789" D10 D10 D10 D10 "|suite=fin\n"
                               "#2 L4 id=2|texte=ok|suite=x\n");
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.lines, 4);
}

Test(csv, unquoted_field_over_max_field_trailing_blanks_trimmed)
{
    ds_source_opts o = small_windows(0);
    ds_source_stats st = CHECK("a," D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 "   ,b\nc\n", &o,
                               "#1 L1+ #1=a|#2@0/56=" D10 D10 D10 D10 D10 D10 "0123\n"
                               "#1 L1 #2@56/44=6789" D10 D10 D10 D10 "|#3=b\n"
                               "#2 L2 #1=c\n");
    cr_assert_eq(st.windowed, 1);
}

Test(csv, field_between_takeover_and_max_field_is_whole)
{
    /* 60 bytes: taken over from libcsv (past 64 / 3 - 8 bytes), not windowed */
    ds_source_opts o = small_windows(0);
    ds_source_stats st = CHECK("\"" D10 D10 D10 D10 D10 D10 "\",z\n", &o,
                               "#1 L1 #1=" D10 D10 D10 D10 D10 D10 "|#2=z\n");
    cr_assert_eq(st.windowed, 0);
}

Test(csv, windows_never_split_a_character)
{
    /* "x" then 40 "é": the first window stops at 63 bytes and the next one
     * starts on a character (own_len 55, not 56) */
    ds_source_opts o = small_windows(0);
    char text[200];
    size_t n = 0;
    text[n++] = 'x';
    for (int i = 0; i < 40; i++) {
        text[n++] = '\xC3';
        text[n++] = '\xA9';
    }
    memcpy(text + n, ",z\n", 3);
    n += 3;
    ds_buf want = {0};
    ds_buf_puts(&want, "#1 L1+ #1@0/55=x");
    for (int i = 0; i < 31; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "\n#1 L1 #1@55/26=");
    for (int i = 0; i < 13; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "|#2=z\n");
    check_csv(text, n, &o, want.data);
    ds_buf_free(&want);
}

Test(csv, windowed_cp1252_value_offsets_are_decoded_bytes)
{
    /* 40 raw 0xE9 bytes become 80 bytes of "é": windows are cut in the
     * decoded value, and the value counts once as re-decoded */
    ds_source_opts o = small_windows(0);
    char text[64];
    memset(text, '\xE9', 40);
    memcpy(text + 40, "\n", 1);
    ds_buf want = {0};
    ds_buf_puts(&want, "#1 L1+ #1@0/56=");
    for (int i = 0; i < 32; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "\n#1 L1 #1@56/24=");
    for (int i = 0; i < 12; i++)
        ds_buf_puts(&want, "é");
    ds_buf_puts(&want, "\n");
    ds_source_stats st = check_csv(text, 41, &o, want.data);
    cr_assert_eq(st.invalid_utf8, 1);
    cr_assert_eq(st.windowed, 1);
    ds_buf_free(&want);
}

Test(csv, unterminated_quote_swallowing_the_file_is_windowed)
{
    ds_source_opts o = small_windows(0);
    ds_source_stats st = CHECK("a,\"" D10 D10 D10 "\n" D10 D10 D10 D10 "\n", &o,
                               "#1 L1+ #1=a|#2@0/56=" D10 D10 D10 "\\n" D10 D10 D10 "012\n"
                               "#1 L1 #2@56/16=56789" D10 "\\n\n"
                               "!malformed input t:1: unterminated quoted field\n");
    cr_assert_eq(st.lines, 2);
    cr_assert_eq(st.malformed, 1);
}

Test(csv, wide_row_goes_out_in_parts_at_the_same_cells_whatever_the_chunks)
{
    /* max_field 64: a row holds at most 256 value bytes before a part is cut,
     * right after the cell that crosses it */
    ds_source_opts o = small_windows(0);
    ds_buf text = {0}, want = {0};
    for (int i = 0; i < 12; i++)
        ds_buf_printf(&text, "%s%02d" D10 D10 D10 D10, i ? "," : "", i);
    ds_buf_puts(&text, "\nfin\n");
    /* cells are 42 bytes: the 7th takes the row to 294 */
    ds_buf_puts(&want, "#1 L1+ ");
    for (int i = 0; i < 12; i++) {
        if (i == 7)
            ds_buf_puts(&want, "\n#1 L1 ");
        ds_buf_printf(&want, "%s#%d=%02d" D10 D10 D10 D10, i == 0 || i == 7 ? "" : "|", i + 1, i);
    }
    ds_buf_puts(&want, "\n#2 L2 #1=fin\n");
    ds_source_stats st = check_csv(text.data, text.len, &o, want.data);
    cr_assert_eq(st.records, 2);
    ds_buf_free(&text);
    ds_buf_free(&want);
}

/* The 5 MB field: windows of at most max_field at exact offsets; the reader
 * never holds the value whole. */
static void put_esc(ds_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            ds_buf_puts(b, "\\n");
        else
            ds_buf_putc(b, s[i]);
    }
}

Test(csv, five_megabyte_field_in_bounded_windows)
{
    const size_t L = 5u << 20, max = 64u << 10, ov = 1024, step = max - ov;
    /* the decoded value: text with a newline every 100 bytes and a quote
     * every 1000 (doubled in the file) */
    char *val = malloc(L);
    size_t nl = 0;
    for (size_t i = 0; i < L; i++) {
        val[i] = i % 100 == 99 ? '\n' : i % 1000 == 500 ? '"' : (char)('a' + i % 26);
        nl += val[i] == '\n';
    }
    ds_buf text = {0};
    ds_buf_puts(&text, "id,blob,after\n1,\"");
    ds_buf_reserve(&text, L + L / 500 + 64);
    for (size_t i = 0; i < L; i++) {
        if (val[i] == '"')
            ds_buf_putc(&text, '"');
        ds_buf_putc(&text, val[i]);
    }
    ds_buf_puts(&text, "\",tail\n2,x,y\n");

    ds_buf want = {0};
    ds_buf_reserve(&want, 2 * L);
    size_t off = 0, nwin = 0;
    for (; off + max < L; off += step, nwin++) {
        ds_buf_printf(&want, "#1 L2+ %sblob@%zu/%zu=", off ? "" : "id=1|", off, step);
        put_esc(&want, val + off, max);
        ds_buf_putc(&want, '\n');
    }
    ds_buf_printf(&want, "#1 L2 blob@%zu/%zu=", off, L - off);
    put_esc(&want, val + off, L - off);
    ds_buf_printf(&want, "|after=tail\n#2 L%zu id=2|blob=x|after=y\n", 2 + nl + 1);
    cr_assert_eq(nwin + 1, (L - max + step - 1) / step + 1);

    ds_source_opts o = opts_with(0, -1);
    o.max_field = max;
    o.window_overlap = ov;
    ds_source_stats st = check_csv(text.data, text.len, &o, want.data);
    cr_assert_eq(st.windowed, 1);
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.lines, 3 + nl);

    /* and directly: every window within max_field, each starting where the
     * previous one's own part ended, reassembling to the value */
    ds_stream_opts so = {.chunk = 4096, .decode = 1};
    ds_stream *s;
    ds_source *src;
    ds_error err;
    ds_stream_open_mem(text.data, text.len, "big.csv", &so, &s, &err);
    cr_assert_eq(ds_source_open(s, DS_FORMAT_CSV, &o, &src, &err), DS_OK);
    ds_buf whole = {0};
    const ds_record *rec;
    size_t parts = 0;
    while (ds_source_next(src, &rec, &err) == DS_OK && rec->index == 1) {
        parts++;
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            if (f->name_len != 4 || memcmp(f->name, "blob", 4) != 0)
                continue;
            cr_assert_leq(f->value_len, max);
            cr_assert_eq(f->value_off, whole.len);
            ds_buf_append(&whole, f->value, f->own_len);
        }
    }
    cr_assert_eq(parts, nwin + 1);
    cr_assert_eq(whole.len, L);
    cr_assert(memcmp(whole.data, val, L) == 0);
    ds_source_close(src);
    ds_stream_close(s);
    ds_buf_free(&whole);
    ds_buf_free(&text);
    ds_buf_free(&want);
    free(val);
}

/* ---- windows reassemble to the whole value (randomised) ---------------------- */

typedef struct asm_field {
    char *name;
    ds_buf value;
} asm_field;

/* Read data and print records with windows joined and parts merged, so a run
 * with small windows can be compared with one that holds values whole.
 * *joins counts the windows that continued a value. */
static char *assembled(const char *data, size_t len, const ds_source_opts *o, size_t chunk,
                       size_t *joins)
{
    ds_stream_opts so = {.chunk = chunk, .decode = 1};
    ds_stream *st;
    ds_source *src;
    ds_error err;
    ds_buf out = {0};
    ds_stream_open_mem(data, len, "r", &so, &st, &err);
    cr_assert_eq(ds_source_open(st, DS_FORMAT_CSV, o, &src, &err), DS_OK);
    asm_field fs[64];
    size_t nf = 0;
    for (;;) {
        const ds_record *rec;
        ds_status rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc != DS_OK) {
            ds_buf_printf(&out, "!%s %s\n", err.where, err.msg);
            cr_assert_eq(rc, DS_EFORMAT);
            continue;
        }
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            cr_assert_leq(f->value_len, o->max_field);
            asm_field *a = NULL;
            if (f->value_off) {
                for (size_t k = nf; k-- > 0;)
                    if (strlen(fs[k].name) == f->name_len &&
                        memcmp(fs[k].name, f->name, f->name_len) == 0) {
                        a = &fs[k];
                        break;
                    }
                cr_assert(a != NULL, "window without a start");
                cr_assert_eq(a->value.len, f->value_off);
                (*joins)++;
            } else {
                cr_assert_lt(nf, 64);
                a = &fs[nf++];
                a->name = strndup(f->name, f->name_len);
                memset(&a->value, 0, sizeof a->value);
            }
            ds_buf_append(&a->value, f->value, f->own_len);
        }
        if (rec->more)
            continue;
        ds_buf_printf(&out, "#%llu L%llu", (unsigned long long)rec->index,
                      (unsigned long long)rec->line);
        for (size_t k = 0; k < nf; k++) {
            ds_buf_printf(&out, "|%s=", fs[k].name);
            ds_buf_append(&out, fs[k].value.data ? fs[k].value.data : "", fs[k].value.len);
            free(fs[k].name);
            ds_buf_free(&fs[k].value);
        }
        nf = 0;
        ds_buf_putc(&out, '\n');
    }
    cr_assert_eq(nf, 0);
    ds_source_close(src);
    ds_stream_close(st);
    ds_buf_puts(&out, "");
    return out.data;
}

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

Test(csv, windows_reassemble_to_whole_values_on_random_input)
{
    static const char *const tokens[] = {",",    "\"",   "\n", "\r\n", " ", "é",
                                         "\xE9", "\"\"", "\t", ";",    "€"};
    uint32_t seed = 12345;
    size_t joins = 0, unused = 0;
    for (int round = 0; round < 60; round++) {
        ds_buf text = {0};
        size_t target = 200 + rnd(&seed) % 1500;
        while (text.len < target) {
            uint32_t r = rnd(&seed) % 100;
            if (r < 45) {
                size_t run = 1 + rnd(&seed) % (r < 10 ? 150 : 12);
                for (size_t i = 0; i < run; i++)
                    ds_buf_putc(&text, 'a' + (int)(rnd(&seed) % 26));
            } else {
                ds_buf_puts(&text, tokens[rnd(&seed) % (sizeof tokens / sizeof tokens[0])]);
            }
        }
        ds_source_opts whole = opts_with(',', 0);
        ds_source_opts small = whole;
        small.max_field = 64;
        small.window_overlap = 16;
        char *want = assembled(text.data, text.len, &whole, 0, &unused);
        for (size_t i = 0; i < 3; i++) {
            char *got = assembled(text.data, text.len, &small, chunks[i], &joins);
            cr_assert_str_eq(got, want, "round %d, chunk %zu, input:\n%s", round, chunks[i],
                             text.data);
            free(got);
        }
        free(want);
        ds_buf_free(&text);
    }
    cr_assert_eq(unused, 0);
    cr_assert_gt(joins, 300, "only %zu windows: the input does not exercise windowing", joins);
}

/* ---- fixtures ------------------------------------------------------------------ */

Test(csv, fixture_clients_fr_semicolon_crlf_cp1252)
{
    size_t len;
    char *data = read_file("fixtures/csv/clients_fr.csv", &len);
    ds_source_stats st =
        check_csv(data, len, NULL,
                  "#1 L2 id=1|prenom=Jean|nom=Dupont|courriel=jean.dupont@exemple.fr|"
                  "telephone=+33 6 39 98 10 01|ville=Paris|commentaire=RAS\n"
                  "#2 L3 id=2|prenom=Marie|nom=Lefèvre|courriel=marie.lefevre@exemple.fr|"
                  "telephone=06 39 98 10 02|ville=Orléans|"
                  "commentaire=Rappeler après 18h;\\r\\nmessagerie pleine\n"
                  "#3 L5 id=3|prenom=Luc|nom=Martin|courriel=luc.martin@mail.example|"
                  "telephone=01 99 00 10 03|ville=Lyon\n"
                  "#4 L7 id=4|prenom=Sophie|nom=Bernard|courriel=sophie.bernard@exemple.fr|"
                  "telephone=+33 6 39 98 10 04|ville=Rennes|commentaire=dit \"urgent\"\n");
    cr_assert_eq(st.csv_delim, ';');
    cr_assert_eq(st.csv_header, 1);
    cr_assert_eq(st.invalid_utf8, 3);
    cr_assert_eq(st.lines, 7);
    free(data);
}

Test(csv, fixture_contacts_tsv)
{
    size_t len;
    char *data = read_file("fixtures/csv/contacts.tsv", &len);
    ds_source_stats st =
        check_csv(data, len, NULL,
                  "#1 L2 nom=Anne Moreau|email=anne.moreau@exemple.fr|phone=+33 6 39 98 20 01|"
                  "notes=prefers email, not phone\n"
                  "#2 L3 nom=Paul Durand|email=paul.durand@mail.example\n"
                  "#3 L4 nom=Claire Petit|email=claire.petit@exemple.fr|phone=06 39 98 20 03|"
                  "notes=new client; met 2024-03-12\n");
    cr_assert_eq(st.csv_delim, '\t');
    cr_assert_eq(st.csv_header, 1);
    free(data);
}

Test(csv, fixture_without_header)
{
    size_t len;
    char *data = read_file("fixtures/csv/no_header.csv", &len);
    ds_source_stats st =
        check_csv(data, len, NULL,
                  "#1 L1 #1=1001|#2=Pierre|#3=Girard|#4=pierre.girard@exemple.fr|#5=1984-05-17\n"
                  "#2 L2 #1=1002|#2=Julie|#3=Roux|#4=julie.roux@mail.example|#5=1991-11-02\n"
                  "#3 L3 #1=1003|#2=Hugo|#3=Fournier|#4=hugo.fournier@exemple.fr|"
                  "#5=1978-02-28\n");
    cr_assert_eq(st.csv_header, 0);
    free(data);
}
