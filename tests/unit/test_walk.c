/* tests: ds_walk and ds_walk_expand: compressed files, archives (nested,
 * broken), guards, directories, symlinks, special files, excludes, stdin.
 *
 * A recording visitor turns each walk into lines, and each test compares the
 * whole sequence:
 *   input NAME FMT LEN HASH     (LEN and FNV-1a 64 of the bytes read)
 *   readerr WHERE: MSG          (the stream failed while the visitor read it)
 *   skip NAME: REASON
 *   error WHERE: MSG
 * Fixtures come from tools/make-archive-fixtures.sh; large or hostile inputs
 * are generated in a temporary directory with libarchive's writer. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "input/walk.h"
#include "util.h"

#define FX "fixtures/archives/"

/* ---- the recording visitor ---------------------------------------------------- */

typedef struct rec {
    ds_buf log;
    ds_buf last;    /* bytes of the last input */
    size_t chunk;   /* when set, no chunk may be longer */
    int no_hash;    /* print "input NAME FMT" only */
    int stop_after; /* return DS_DONE after this many inputs */
    int show_bytes; /* skip lines end with "(N bytes)" */
    int ninputs;
} rec;

static unsigned long long fnv(const void *p, size_t n)
{
    const unsigned char *b = p;
    unsigned long long h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static ds_status rec_input(void *ctx, const char *name, ds_format fmt, ds_stream *st)
{
    rec *r = ctx;
    cr_assert_neq(fmt, DS_FORMAT_UNKNOWN);
    cr_assert_str_eq(ds_stream_name(st), name);
    ds_buf_reset(&r->last);
    const unsigned char *p;
    size_t n;
    ds_error err;
    ds_error_clear(&err);
    ds_status rc;
    while ((rc = ds_stream_next(st, &p, &n, &err)) == DS_OK) {
        cr_assert(n >= 1);
        if (r->chunk)
            cr_assert(n <= r->chunk, "chunk of %zu bytes over the cap %zu", n, r->chunk);
        ds_buf_append(&r->last, p, n);
    }
    if (r->no_hash)
        ds_buf_printf(&r->log, "input %s %s\n", name, ds_format_name(fmt));
    else
        ds_buf_printf(&r->log, "input %s %s %zu %016llx\n", name, ds_format_name(fmt), r->last.len,
                      fnv(r->last.data, r->last.len));
    if (rc != DS_DONE)
        ds_buf_printf(&r->log, "readerr %s: %s\n", err.where, err.msg);
    r->ninputs++;
    return r->stop_after && r->ninputs >= r->stop_after ? DS_DONE : DS_OK;
}

static void rec_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    rec *r = ctx;
    if (r->show_bytes)
        ds_buf_printf(&r->log, "skip %s: %s (%llu bytes)\n", name, reason,
                      (unsigned long long)bytes);
    else
        ds_buf_printf(&r->log, "skip %s: %s\n", name, reason);
}

static void rec_error(void *ctx, const ds_error *e)
{
    rec *r = ctx;
    cr_assert_neq(e->status, DS_OK);
    ds_buf_printf(&r->log, "error %s: %s\n", e->where, e->msg);
}

static ds_status walk_paths(rec *r, const char *const *paths, size_t n, const ds_walk_opts *o)
{
    ds_walk_visitor v = {r, rec_input, rec_skip, rec_error};
    ds_error err;
    ds_error_clear(&err);
    ds_buf_puts(&r->log, "");
    return ds_walk(paths, n, o, &v, &err);
}

/* Walk one path and return the log (static storage of the rec). */
static const char *walk1(rec *r, const char *path, const ds_walk_opts *o)
{
    const char *paths[1] = {path};
    cr_assert_eq(walk_paths(r, paths, 1, o), DS_OK);
    return r->log.data;
}

static void rec_free(rec *r)
{
    ds_buf_free(&r->log);
    ds_buf_free(&r->last);
}

static ds_walk_opts opts(void)
{
    ds_walk_opts o;
    ds_walk_opts_default(&o);
    return o;
}

/* "input NAME FMT LEN HASH" for the source file src. */
static void expect_input(ds_buf *b, const char *name, const char *fmt, const char *src)
{
    size_t n;
    char *d = read_file(src, &n);
    ds_buf_printf(b, "input %s %s %zu %016llx\n", name, fmt, n, fnv(d, n));
    free(d);
}

/* The three source files as members of archive `outer`, under the names the
 * fixture script gives them. */
static void expect_all(ds_buf *b, const char *outer)
{
    char name[256];
    snprintf(name, sizeof name, "%s!data/events.jsonl", outer);
    expect_input(b, name, "jsonl", FX "src/events.jsonl");
    snprintf(name, sizeof name, "%s!data/people.csv", outer);
    expect_input(b, name, "csv", FX "src/people.csv");
    snprintf(name, sizeof name, "%s!notes.txt", outer);
    expect_input(b, name, "text", FX "src/notes.txt");
}

/* ---- temporary files -------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dsaudit-walk-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Also the .fini of the tests that use it, so a failed test cleans up too. */
static void remove_tmpdir(void)
{
    if (tmpdir[0])
        nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
}

static char *tmp_path(const char *name)
{
    ds_buf b = {0};
    ds_buf_printf(&b, "%s/%s", tmpdir, name);
    return b.data;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

/* Content of generated files: `head`, then `fill` repeated `count` times. */
typedef struct gen {
    const char *head;
    int fill;
    size_t count;
} gen;

static void write_gen(struct archive *a, const gen *g)
{
    static char block[65536];
    if (g->head)
        cr_assert_eq(archive_write_data(a, g->head, strlen(g->head)), (la_ssize_t)strlen(g->head));
    memset(block, g->fill, sizeof block);
    for (size_t left = g->count; left;) {
        size_t n = left < sizeof block ? left : sizeof block;
        cr_assert_eq(archive_write_data(a, block, n), (la_ssize_t)n);
        left -= n;
    }
}

static size_t gen_size(const gen *g)
{
    return (g->head ? strlen(g->head) : 0) + g->count;
}

/* path <- filter(content): a compressed single file. */
static void write_compressed(const char *path, const char *filter, const void *data, size_t n,
                             const gen *g)
{
    struct archive *a = archive_write_new();
    cr_assert_eq(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    cr_assert_eq(archive_write_set_format_raw(a), ARCHIVE_OK);
    cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
    if (data)
        cr_assert_eq(archive_write_data(a, data, n), (la_ssize_t)n);
    if (g)
        write_gen(a, g);
    archive_entry_free(e);
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* path <- a tar.gz with one member `member` holding data or g. */
static void write_targz(const char *path, const char *member, const void *data, size_t n,
                        const gen *g)
{
    struct archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, member);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)(data ? n : gen_size(g)));
    cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
    if (data)
        cr_assert_eq(archive_write_data(a, data, n), (la_ssize_t)n);
    else
        write_gen(a, g);
    archive_entry_free(e);
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* A CSV of about 700 KB, the same every time. */
static char *big_csv(size_t *len)
{
    ds_buf b = {0};
    ds_buf_puts(&b, "id,name,email\n");
    for (unsigned i = 0; i < 20000; i++)
        ds_buf_printf(&b, "%u,Personne %u,p%u.%u@exemple.fr\n", i, (i * 7919u) % 100003u, i,
                      (i * 31u) % 97u);
    *len = b.len;
    return b.data;
}

static void truncate_to(const char *path, double share)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(truncate(path, (off_t)((double)st.st_size * share)), 0);
}

/* ---- compressed files and archives ------------------------------------------------- */

Test(walk, compressed_files_match_the_plain_bytes)
{
    static const char *const files[][2] = {
        {"people.csv", "csv"}, {"events.jsonl", "jsonl"}, {"notes.txt", "text"}};
    static const char *const codecs[] = {"", ".gz", ".bz2", ".xz", ".zst", ".lz4"};
    for (size_t f = 0; f < 3; f++) {
        for (size_t c = 0; c < 6; c++) {
            char path[128], src[128];
            if (c == 0)
                snprintf(path, sizeof path, FX "src/%s", files[f][0]);
            else
                snprintf(path, sizeof path, FX "%s%s", files[f][0], codecs[c]);
            snprintf(src, sizeof src, FX "src/%s", files[f][0]);
            rec r = {0};
            ds_walk_opts o = opts();
            ds_buf want = {0};
            expect_input(&want, path, files[f][1], src);
            cr_assert_str_eq(walk1(&r, path, &o), want.data);
            ds_buf_free(&want);
            rec_free(&r);
        }
    }
}

Test(walk, every_archive_format_yields_the_same_members)
{
    static const char *const archives[] = {"all.tar", "all.tar.gz", "all.tar.zst",
                                           "all.zip", "all.7z",     "all.cpio"};
    for (size_t i = 0; i < sizeof archives / sizeof archives[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, FX "%s", archives[i]);
        rec r = {0};
        ds_walk_opts o = opts();
        ds_buf want = {0};
        expect_all(&want, path);
        cr_assert_str_eq(walk1(&r, path, &o), want.data, "%s", archives[i]);
        ds_buf_free(&want);
        rec_free(&r);
    }
}

Test(walk, ar_archive)
{
    rec r = {0};
    ds_walk_opts o = opts();
    ds_buf want = {0};
    expect_input(&want, FX "all.a!notes.txt", "text", FX "src/notes.txt");
    expect_input(&want, FX "all.a!people.csv", "csv", FX "src/people.csv");
    cr_assert_str_eq(walk1(&r, FX "all.a", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, nested_archives_are_named_with_bangs)
{
    rec r = {0};
    ds_walk_opts o = opts();
    ds_buf want = {0};
    expect_input(&want, FX "nested.tar.gz!dir/inner.zip!events.jsonl", "jsonl",
                 FX "src/events.jsonl");
    expect_input(&want, FX "nested.tar.gz!dir/inner.zip!people.csv", "csv", FX "src/people.csv");
    expect_input(&want, FX "nested.tar.gz!notes.txt", "text", FX "src/notes.txt");
    expect_input(&want, FX "nested.zip!inner.tar.gz!notes.txt", "text", FX "src/notes.txt");
    expect_input(&want, FX "nested.zip!inner.tar.gz!people.csv", "csv", FX "src/people.csv");
    const char *paths[] = {FX "nested.tar.gz", FX "nested.zip"};
    cr_assert_eq(walk_paths(&r, paths, 2, &o), DS_OK);
    cr_assert_str_eq(r.log.data, want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, max_depth_one_stops_at_the_nested_archive)
{
    const char *paths[] = {FX "nested.tar.gz", FX "nested.zip"};
    rec r = {0};
    ds_walk_opts o = opts();
    o.max_depth = 1;
    cr_assert_eq(walk_paths(&r, paths, 2, &o), DS_OK);
    ds_buf want = {0};
    ds_buf_puts(&want, "error " FX "nested.tar.gz!dir/inner.zip: archive nesting deeper than 1; "
                       "use --max-depth\n");
    expect_input(&want, FX "nested.tar.gz!notes.txt", "text", FX "src/notes.txt");
    ds_buf_puts(&want, "error " FX "nested.zip!inner.tar.gz: archive nesting deeper than 1; "
                       "use --max-depth\n");
    cr_assert_str_eq(r.log.data, want.data);
    rec_free(&r);

    /* depth 2 reads everything */
    rec r2 = {0};
    o.max_depth = 2;
    cr_assert_eq(walk_paths(&r2, paths, 2, &o), DS_OK);
    cr_assert_eq(strstr(r2.log.data, "error"), NULL, "%s", r2.log.data);
    cr_assert_not_null(strstr(r2.log.data, "input " FX "nested.tar.gz!dir/inner.zip!people.csv "));
    cr_assert_not_null(strstr(r2.log.data, "input " FX "nested.zip!inner.tar.gz!people.csv "));
    rec_free(&r2);
    ds_buf_free(&want);
}

Test(walk, max_depth_zero_opens_no_archive)
{
    const char *paths[] = {FX "nested.tar.gz", FX "people.csv.gz", FX "src/notes.txt"};
    rec r = {0};
    ds_walk_opts o = opts();
    o.max_depth = 0;
    cr_assert_eq(walk_paths(&r, paths, 3, &o), DS_OK);
    ds_buf want = {0};
    ds_buf_puts(&want, "skip " FX "nested.tar.gz: archive not opened (--max-depth 0)\n"
                       "skip " FX "people.csv.gz: archive not opened (--max-depth 0)\n");
    expect_input(&want, FX "src/notes.txt", "text", FX "src/notes.txt");
    cr_assert_str_eq(r.log.data, want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, seven_zip_inside_an_archive_is_an_error)
{
    rec r = {0};
    ds_walk_opts o = opts();
    cr_assert_str_eq(walk1(&r, FX "nested-7z.tar", &o),
                     "error " FX "nested-7z.tar!all.7z: 7z archive not read: it needs random "
                     "access, which an archive inside another one or on stdin cannot give "
                     "(extract it first)\n");
    rec_free(&r);
}

Test(walk, links_in_archives_are_skipped)
{
    rec r = {0};
    ds_walk_opts o = opts();
    ds_buf want = {0};
    expect_input(&want, FX "links.tar!notes.txt", "text", FX "src/notes.txt");
    ds_buf_puts(&want, "skip " FX "links.tar!hard.txt: link entry in archive\n"
                       "skip " FX "links.tar!soft.txt: link entry in archive\n");
    cr_assert_str_eq(walk1(&r, FX "links.tar", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, member_names_are_utf8_with_control_characters_masked)
{
    /* the test runs in the "C" locale, where libarchive alone would drop the
     * non-ASCII zip name */
    const char *paths[] = {FX "names.zip", FX "names.tar"};
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    cr_assert_eq(walk_paths(&r, paths, 2, &o), DS_OK);
    cr_assert_str_eq(r.log.data,
                     "input " FX "names.zip!donn\xc3\xa9" "es/caf\xc3\xa9.txt text\n"
                     "input " FX "names.zip!esc?name.txt text\n"
                     "input " FX "names.tar!donn\xc3\xa9" "es/caf\xc3\xa9.txt text\n"
                     "input " FX "names.tar!esc?name.txt text\n");
    rec_free(&r);
}

Test(walk, chunk_sizes_one_and_seven)
{
    static const char *const paths[] = {FX "people.csv.gz", FX "all.zip", FX "nested.tar.gz"};
    for (size_t c = 0; c < 2; c++) {
        size_t chunk = c ? 7 : 1;
        for (size_t i = 0; i < 3; i++) {
            rec plain = {0}, small = {0};
            ds_walk_opts o = opts();
            walk1(&plain, paths[i], &o);
            o.stream.chunk = chunk;
            small.chunk = chunk;
            cr_assert_str_eq(walk1(&small, paths[i], &o), plain.log.data);
            rec_free(&plain);
            rec_free(&small);
        }
    }
}

Test(walk, empty_compressed_file_is_an_empty_input, .fini = remove_tmpdir)
{
    make_tmpdir();
    char *p = tmp_path("empty.csv.gz");
    write_compressed(p, "gzip", "", 0, NULL);
    rec r = {0};
    ds_walk_opts o = opts();
    ds_buf want = {0};
    ds_buf_printf(&want, "input %s csv 0 %016llx\n", p, fnv("", 0));
    cr_assert_str_eq(walk1(&r, p, &o), want.data);
    ds_buf_free(&want);
    rec_free(&r);
    free(p);
    remove_tmpdir();
}

/* ---- broken inputs ------------------------------------------------------------------ */

Test(walk, truncated_and_corrupt_fixtures)
{
    rec r = {0};
    ds_walk_opts o = opts();
    const char *paths[] = {FX "broken/truncated.csv.gz", FX "broken/truncated.csv.zst",
                           FX "broken/truncated.zip", FX "broken/corrupt.7z",
                           FX "broken/encrypted.zip"};
    cr_assert_eq(walk_paths(&r, paths, 5, &o), DS_OK);
    ds_buf want = {0};
    ds_buf_puts(&want,
                "error " FX "broken/truncated.csv.gz: corrupt or truncated data: truncated gzip "
                "input\n"
                "error " FX "broken/truncated.csv.zst: corrupt or truncated data: Truncated zstd "
                "input\n");
    expect_input(&want, FX "broken/truncated.zip!data/events.jsonl", "jsonl",
                 FX "src/events.jsonl");
    cr_assert(strncmp(r.log.data, want.data, want.len) == 0, "%s", r.log.data);
    /* the truncated member: the bytes before the damage, then the error, once */
    const char *rest = r.log.data + want.len;
    cr_assert(strncmp(rest, "input " FX "broken/truncated.zip!data/people.csv csv ",
                      strlen("input " FX "broken/truncated.zip!data/people.csv csv ")) == 0,
              "%s", rest);
    rest = strchr(rest, '\n') + 1;
    cr_assert_str_eq(rest,
                     "readerr " FX "broken/truncated.zip!data/people.csv: corrupt or truncated "
                     "data: ZIP decompression failed (-5)\n"
                     "error " FX "broken/corrupt.7z!data/events.jsonl: corrupt or truncated data: "
                     "Decompression failed(9)\n"
                     "error " FX "broken/encrypted.zip!secret.csv: encrypted member, not read\n");
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, truncated_stream_delivers_what_came_before, .fini = remove_tmpdir)
{
    make_tmpdir();
    size_t len;
    char *csv = big_csv(&len);
    /* (not bzip2: its 900 KB blocks make this whole file one block, which a
     * truncation destroys entirely) */
    static const char *const filters[] = {"gzip", "zstd", "xz"};
    static const char *const names[] = {"big.csv.gz", "big.csv.zst", "big.csv.xz"};
    static const char *const msgs[] = {"truncated gzip input", "Truncated zstd input",
                                       "Lzma library error:  No progress is possible"};
    for (size_t i = 0; i < 3; i++) {
        char *p = tmp_path(names[i]);
        write_compressed(p, filters[i], csv, len, NULL);
        truncate_to(p, 0.6);
        rec r = {0};
        r.no_hash = 1;
        ds_walk_opts o = opts();
        ds_buf want = {0};
        ds_buf_printf(&want, "input %s csv\nreaderr %s: corrupt or truncated data: %s\n", p, p,
                      msgs[i]);
        cr_assert_str_eq(walk1(&r, p, &o), want.data);
        cr_assert(r.last.len > 0 && r.last.len < len, "%s: %zu bytes", names[i], r.last.len);
        cr_assert(memcmp(r.last.data, csv, r.last.len) == 0, "%s: not a prefix", names[i]);
        ds_buf_free(&want);
        rec_free(&r);
        free(p);
    }
    /* the same inside a tar.gz: the member gets the error, the archive is not
     * reported a second time */
    char *p = tmp_path("big.tar.gz");
    write_targz(p, "dir/big.csv", csv, len, NULL);
    truncate_to(p, 0.5);
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    ds_buf want = {0};
    ds_buf_printf(&want,
                  "input %s!dir/big.csv csv\n"
                  "readerr %s!dir/big.csv: corrupt or truncated data: truncated gzip input\n",
                  p, p);
    cr_assert_str_eq(walk1(&r, p, &o), want.data);
    cr_assert(r.last.len > 0 && memcmp(r.last.data, csv, r.last.len) == 0);
    ds_buf_free(&want);
    rec_free(&r);
    free(p);
    free(csv);
    remove_tmpdir();
}

Test(walk, truncated_outer_archive_is_reported_once_at_the_leaf, .fini = remove_tmpdir)
{
    make_tmpdir();
    size_t len;
    char *csv = big_csv(&len);
    char *inner = tmp_path("inner.csv.gz");
    write_compressed(inner, "gzip", csv, len, NULL);
    size_t ilen;
    char *gz = read_file(inner, &ilen);
    char *outer = tmp_path("outer.tar.gz");
    write_targz(outer, "inner.csv.gz", gz, ilen, NULL);
    truncate_to(outer, 0.5);
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    ds_buf want = {0};
    ds_buf_printf(&want,
                  "input %s!inner.csv.gz csv\n"
                  "readerr %s!inner.csv.gz: corrupt or truncated data: truncated gzip input\n",
                  outer, outer);
    cr_assert_str_eq(walk1(&r, outer, &o), want.data);
    cr_assert(r.last.len > 0 && memcmp(r.last.data, csv, r.last.len) == 0);
    ds_buf_free(&want);
    rec_free(&r);
    free(gz);
    free(inner);
    free(outer);
    free(csv);
    remove_tmpdir();
}

/* ---- guards ------------------------------------------------------------------------- */

Test(walk, ratio_guard_stops_a_zip_bomb, .fini = remove_tmpdir)
{
    make_tmpdir();
    /* 20 MB of zeros after one line: gzip makes it about 1000 times smaller */
    gen zeros = {"header\n", 0, 20u << 20};
    char *txt = tmp_path("zeros.txt.gz");
    char *dat = tmp_path("zeros.dat.gz");
    char *tgz = tmp_path("zeros.tar.gz");
    write_compressed(txt, "gzip", NULL, 0, &zeros);
    write_compressed(dat, "gzip", NULL, 0, &zeros);
    write_targz(tgz, "z.txt", NULL, 0, &zeros);
    const char *paths[] = {txt, dat, tgz};
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    o.max_ratio = 100;
    cr_assert_eq(walk_paths(&r, paths, 3, &o), DS_OK);
    ds_buf want = {0};
    const char *m = "decompression ratio above 100 (possible zip bomb); use --max-ratio";
    /* read by the visitor: its stream fails; skipped as binary: reported by
     * the walker while draining; in a tar.gz: the member's stream fails */
    ds_buf_printf(&want,
                  "input %s text\nreaderr %s: %s\n"
                  "skip %s: binary file\nerror %s: %s\n"
                  "input %s!z.txt text\nreaderr %s!z.txt: %s\n",
                  txt, txt, m, dat, dat, m, tgz, tgz, m);
    cr_assert_str_eq(r.log.data, want.data);
    rec_free(&r);

    /* a ratio limit above gzip's best lets it through */
    rec r2 = {0};
    o.max_ratio = 5000;
    walk1(&r2, txt, &o);
    cr_assert_eq(r2.last.len, gen_size(&zeros));
    cr_assert_eq(strstr(r2.log.data, "readerr"), NULL);
    rec_free(&r2);
    ds_buf_free(&want);
    free(txt);
    free(dat);
    free(tgz);
    remove_tmpdir();
}

Test(walk, max_bytes_stops_the_input)
{
    const char *paths[] = {FX "all.tar.gz", FX "people.csv.gz", FX "notes.txt.gz"};
    rec r = {0};
    ds_walk_opts o = opts();
    o.max_bytes = 2000;
    cr_assert_eq(walk_paths(&r, paths, 3, &o), DS_OK);
    ds_buf want = {0};
    expect_input(&want, FX "all.tar.gz!data/events.jsonl", "jsonl", FX "src/events.jsonl");
    /* people.csv's first block already goes over: none of it is handed out,
     * and the archive stops there (notes.txt is not read) */
    ds_buf_puts(&want, "error " FX "all.tar.gz!data/people.csv: more than 2000 decompressed "
                       "bytes; use --max-bytes\n"
                       "error " FX "people.csv.gz: more than 2000 decompressed bytes; "
                       "use --max-bytes\n");
    /* each top-level input has its own count */
    expect_input(&want, FX "notes.txt.gz", "text", FX "src/notes.txt");
    cr_assert_str_eq(r.log.data, want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

Test(walk, max_entries_stops_the_archive)
{
    rec r = {0};
    ds_walk_opts o = opts();
    o.max_entries = 2;
    ds_buf want = {0};
    /* data/ is the first member, events.jsonl the second */
    expect_input(&want, FX "all.zip!data/events.jsonl", "jsonl", FX "src/events.jsonl");
    ds_buf_puts(&want, "error " FX "all.zip: more than 2 members in archive; use --max-entries\n");
    cr_assert_str_eq(walk1(&r, FX "all.zip", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r);
}

/* ---- the filesystem ------------------------------------------------------------------ */

static void put(const char *rel, const char *text)
{
    char *p = tmp_path(rel);
    write_file(p, text, strlen(text));
    free(p);
}

static void mkdir_rel(const char *rel)
{
    char *p = tmp_path(rel);
    cr_assert_eq(mkdir(p, 0755), 0);
    free(p);
}

static void symlink_rel(const char *target, const char *rel)
{
    char *p = tmp_path(rel);
    cr_assert_eq(symlink(target, p), 0);
    free(p);
}

/* Replace the temporary directory's name by "T" in a log. */
static char *untmp(const char *log)
{
    ds_buf b = {0};
    size_t n = strlen(tmpdir);
    for (const char *p = log; *p;) {
        if (strncmp(p, tmpdir, n) == 0) {
            ds_buf_putc(&b, 'T');
            p += n;
        } else {
            ds_buf_putc(&b, *p++);
        }
    }
    ds_buf_puts(&b, "");
    return b.data;
}

static void small_tree(void)
{
    make_tmpdir();
    mkdir_rel("d");
    mkdir_rel("d/a");
    mkdir_rel("d/sub");
    put("d/b.csv", "a,b\n1,2\n");
    put("d/A.txt", "upper\n");
    put("d/a.txt", "lower\n");
    put("d/a/b.txt", "in a\n");
    put("d/sub/z.log", "z\n");
    put("d/blob", "\x01\x02\x03\x00\xff");
}

static const char *walk_tmp(rec *r, const char *rel, const ds_walk_opts *o, char **out)
{
    char *p = tmp_path(rel);
    const char *paths[1] = {p};
    cr_assert_eq(walk_paths(r, paths, 1, o), DS_OK);
    free(p);
    r->no_hash = 1;
    *out = untmp(r->log.data);
    return *out;
}

Test(walk, directories_are_walked_in_bytewise_order, .fini = remove_tmpdir)
{
    small_tree();
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "d", &o, &log),
                     "input T/d/A.txt text\n"
                     "input T/d/a/b.txt text\n"
                     "input T/d/a.txt text\n"
                     "input T/d/b.csv csv\n"
                     "skip T/d/blob: binary file\n"
                     "input T/d/sub/z.log text\n");
    free(log);
    rec_free(&r);
    /* a trailing slash does not double */
    rec r2 = {0};
    r2.no_hash = 1;
    cr_assert_not_null(strstr(walk_tmp(&r2, "d/", &o, &log), "input T/d/a.txt text\n"));
    free(log);
    rec_free(&r2);
    remove_tmpdir();
}

Test(walk, symlinks_inside_directories_are_not_followed, .fini = remove_tmpdir)
{
    small_tree();
    symlink_rel("a.txt", "d/link.txt");
    symlink_rel("..", "d/sub/up");
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "d", &o, &log),
                     "input T/d/A.txt text\n"
                     "input T/d/a/b.txt text\n"
                     "input T/d/a.txt text\n"
                     "input T/d/b.csv csv\n"
                     "skip T/d/blob: binary file\n"
                     "skip T/d/link.txt: symbolic link not followed (use --follow-symlinks)\n"
                     "skip T/d/sub/up: symbolic link not followed (use --follow-symlinks)\n"
                     "input T/d/sub/z.log text\n");
    free(log);
    rec_free(&r);
    /* named on the command line, a symlink is followed */
    rec r2 = {0};
    r2.no_hash = 1;
    cr_assert_str_eq(walk_tmp(&r2, "d/link.txt", &o, &log), "input T/d/link.txt text\n");
    free(log);
    rec_free(&r2);
    remove_tmpdir();
}

Test(walk, followed_symlinks_detect_loops, .fini = remove_tmpdir)
{
    small_tree();
    symlink_rel("a.txt", "d/link.txt");
    symlink_rel("..", "d/sub/up");
    symlink_rel("self", "d/self");
    symlink_rel("nowhere", "d/dangling");
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    o.follow_symlinks = 1;
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "d", &o, &log),
                     "input T/d/A.txt text\n"
                     "input T/d/a/b.txt text\n"
                     "input T/d/a.txt text\n"
                     "input T/d/b.csv csv\n"
                     "skip T/d/blob: binary file\n"
                     "skip T/d/dangling: broken symbolic link\n"
                     "input T/d/link.txt text\n"
                     "skip T/d/self: symbolic link loop\n"
                     "skip T/d/sub/up: symbolic link loop\n"
                     "input T/d/sub/z.log text\n");
    free(log);
    rec_free(&r);
    remove_tmpdir();
}

Test(walk, fifos_are_skipped_without_opening, .timeout = 10, .fini = remove_tmpdir)
{
    small_tree();
    char *fifo = tmp_path("d/pipe");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    free(fifo);
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    char *log;
    cr_assert_not_null(strstr(walk_tmp(&r, "d", &o, &log), "skip T/d/pipe: special file: fifo\n"));
    free(log);
    rec_free(&r);
    /* named on the command line too */
    rec r2 = {0};
    cr_assert_str_eq(walk_tmp(&r2, "d/pipe", &o, &log), "skip T/d/pipe: special file: fifo\n");
    free(log);
    rec_free(&r2);
    remove_tmpdir();
}

Test(walk, devices_are_skipped)
{
    rec r = {0};
    ds_walk_opts o = opts();
    cr_assert_str_eq(walk1(&r, "/dev/null", &o),
                     "skip /dev/null: special file: character device\n");
    rec_free(&r);
}

Test(walk, missing_and_unreadable_inputs_are_errors, .fini = remove_tmpdir)
{
    small_tree();
    rec r = {0};
    ds_walk_opts o = opts();
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "nothere.csv", &o, &log),
                     "error T/nothere.csv: cannot open: No such file or directory\n");
    free(log);
    rec_free(&r);
    if (geteuid() != 0) {
        /* root reads everything: only meaningful as a normal user */
        char *p = tmp_path("d/b.csv");
        cr_assert_eq(chmod(p, 0), 0);
        free(p);
        rec r2 = {0};
        cr_assert_str_eq(walk_tmp(&r2, "d/b.csv", &o, &log),
                         "error T/d/b.csv: cannot open: Permission denied\n");
        free(log);
        rec_free(&r2);
    }
    remove_tmpdir();
}

Test(walk, excludes_match_path_basename_and_members, .fini = remove_tmpdir)
{
    small_tree();
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    const char *ex[] = {"*.txt", "*/sub", "*.jsonl"};
    o.exclude = ex;
    o.nexclude = 3;
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "d", &o, &log),
                     "skip T/d/A.txt: excluded by --exclude *.txt\n"
                     "skip T/d/a/b.txt: excluded by --exclude *.txt\n"
                     "skip T/d/a.txt: excluded by --exclude *.txt\n"
                     "input T/d/b.csv csv\n"
                     "skip T/d/blob: binary file\n"
                     "skip T/d/sub: excluded by --exclude */sub\n");
    free(log);
    rec_free(&r);
    /* archive members obey them too */
    rec r2 = {0};
    r2.no_hash = 1;
    cr_assert_str_eq(walk1(&r2, FX "all.tar.gz", &o),
                     "skip " FX "all.tar.gz!data/events.jsonl: excluded by --exclude *.jsonl\n"
                     "input " FX "all.tar.gz!data/people.csv csv\n"
                     "skip " FX "all.tar.gz!notes.txt: excluded by --exclude *.txt\n");
    rec_free(&r2);
    /* and the full display name */
    rec r3 = {0};
    r3.no_hash = 1;
    const char *ex2[] = {"*all.zip!data/*"};
    o.exclude = ex2;
    o.nexclude = 1;
    cr_assert_str_eq(walk1(&r3, FX "all.zip", &o),
                     "skip " FX "all.zip!data/events.jsonl: excluded by --exclude *all.zip!data/*\n"
                     "skip " FX "all.zip!data/people.csv: excluded by --exclude *all.zip!data/*\n"
                     "input " FX "all.zip!notes.txt text\n");
    rec_free(&r3);
    remove_tmpdir();
}

Test(walk, unsupported_and_binary_files_are_skipped, .fini = remove_tmpdir)
{
    small_tree();
    put("d/table.parquet", "PAR1 not really");
    put("d/model.xlsx.gz", "not even gzip");
    rec r = {0};
    r.no_hash = 1;
    ds_walk_opts o = opts();
    const char *ex[] = {"*.txt", "*.log", "b.csv", "a"};
    o.exclude = ex;
    o.nexclude = 4;
    char *log;
    cr_assert_str_eq(walk_tmp(&r, "d", &o, &log),
                     "skip T/d/A.txt: excluded by --exclude *.txt\n"
                     "skip T/d/a: excluded by --exclude a\n"
                     "skip T/d/a.txt: excluded by --exclude *.txt\n"
                     "skip T/d/b.csv: excluded by --exclude b.csv\n"
                     "skip T/d/blob: binary file\n"
                     "skip T/d/model.xlsx.gz: unsupported format (Excel)\n"
                     "skip T/d/sub/z.log: excluded by --exclude *.log\n"
                     "skip T/d/table.parquet: unsupported format (Parquet)\n");
    free(log);
    rec_free(&r);
    remove_tmpdir();
}

Test(walk, skips_report_the_size, .fini = remove_tmpdir)
{
    small_tree();
    gen bin = {"\x01\x02", 0, 5000};
    char *tgz = tmp_path("bin.tar.gz");
    write_targz(tgz, "x.dat", NULL, 0, &bin);
    char *blob = tmp_path("d/blob");
    const char *paths[] = {blob, tgz, FX "people.csv.gz", "/dev/null"};
    rec r = {0};
    r.show_bytes = 1;
    ds_walk_opts o = opts();
    cr_assert_eq(walk_paths(&r, paths, 2, &o), DS_OK);
    o.max_depth = 0;
    cr_assert_eq(walk_paths(&r, paths + 2, 2, &o), DS_OK);
    char *log = untmp(r.log.data);
    cr_assert_str_eq(log, "skip T/d/blob: binary file (3 bytes)\n"
                          "skip T/bin.tar.gz!x.dat: binary file (5002 bytes)\n"
                          "skip " FX "people.csv.gz: archive not opened (--max-depth 0) "
                          "(761 bytes)\n"
                          "skip /dev/null: special file: character device (0 bytes)\n");
    free(log);
    free(blob);
    free(tgz);
    rec_free(&r);
    remove_tmpdir();
}

/* ---- stdin ------------------------------------------------------------------------- */

static void stdin_from(const char *path)
{
    int fd = open(path, O_RDONLY);
    cr_assert(fd >= 0);
    cr_assert_eq(dup2(fd, 0), 0);
    close(fd);
}

Test(walk, stdin_plain_compressed_and_archived)
{
    stdin_from(FX "nested.tar.gz");
    rec r = {0};
    ds_walk_opts o = opts();
    ds_buf want = {0};
    expect_input(&want, "-!dir/inner.zip!events.jsonl", "jsonl", FX "src/events.jsonl");
    expect_input(&want, "-!dir/inner.zip!people.csv", "csv", FX "src/people.csv");
    expect_input(&want, "-!notes.txt", "text", FX "src/notes.txt");
    cr_assert_str_eq(walk1(&r, "-", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r);

    stdin_from(FX "people.csv.zst");
    rec r2 = {0};
    expect_input(&want, "-", "csv", FX "src/people.csv");
    cr_assert_str_eq(walk1(&r2, "-", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r2);

    stdin_from(FX "src/events.jsonl");
    rec r3 = {0};
    o.stream.chunk = 7;
    r3.chunk = 7;
    expect_input(&want, "-", "jsonl", FX "src/events.jsonl");
    cr_assert_str_eq(walk1(&r3, "-", &o), want.data);
    ds_buf_free(&want);
    rec_free(&r3);

    stdin_from(FX "all.7z");
    rec r4 = {0};
    cr_assert_str_eq(walk1(&r4, "-", &o),
                     "error -: 7z archive not read: it needs random access, which an archive "
                     "inside another one or on stdin cannot give (extract it first)\n");
    rec_free(&r4);
}

/* ---- the visitor and expansion ------------------------------------------------------- */

Test(walk, visitor_can_stop_the_walk)
{
    const char *paths[] = {FX "all.tar.gz", FX "all.zip"};
    rec r = {0};
    r.no_hash = 1;
    r.stop_after = 2;
    ds_walk_opts o = opts();
    ds_walk_visitor v = {&r, rec_input, rec_skip, rec_error};
    ds_buf_puts(&r.log, "");
    cr_assert_eq(ds_walk(paths, 2, &o, &v, NULL), DS_DONE);
    cr_assert_str_eq(r.log.data, "input " FX "all.tar.gz!data/events.jsonl jsonl\n"
                                 "input " FX "all.tar.gz!data/people.csv csv\n");
    rec_free(&r);
}

Test(walk, bad_arguments)
{
    ds_error err;
    ds_walk_visitor none = {NULL, NULL, NULL, NULL};
    const char *paths[] = {"x"};
    cr_assert_eq(ds_walk(paths, 1, NULL, &none, &err), DS_EINVAL);
    cr_assert_eq(ds_walk(NULL, 1, NULL, NULL, &err), DS_EINVAL);
    cr_assert_eq(ds_walk_expand(paths, 1, NULL, &none, NULL, &err), DS_EINVAL);
}

typedef struct units {
    rec r;
    ds_buf list;
    int stop_at;
    int n;
} units;

static ds_status on_unit(void *ctx, const char *path)
{
    units *u = ctx;
    ds_buf_printf(&u->list, "%s\n", path);
    return u->stop_at && ++u->n >= u->stop_at ? DS_DONE : DS_OK;
}

static void units_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    units *u = ctx;
    rec_skip(&u->r, name, reason, bytes);
}

static void units_error(void *ctx, const ds_error *e)
{
    units *u = ctx;
    rec_error(&u->r, e);
}

Test(walk, expand_lists_units_and_walking_them_gives_the_same, .fini = remove_tmpdir)
{
    small_tree();
    symlink_rel("a.txt", "d/link.txt");
    char *fifo = tmp_path("d/pipe");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    free(fifo);
    char *d = tmp_path("d");
    const char *paths[] = {d, FX "nested.zip", "-"};
    ds_walk_opts o = opts();

    units u = {0};
    ds_buf_puts(&u.list, "");
    ds_buf_puts(&u.r.log, "");
    ds_walk_visitor v = {&u, NULL, units_skip, units_error};
    cr_assert_eq(ds_walk_expand(paths, 3, &o, &v, on_unit, NULL), DS_OK);
    char *list = untmp(u.list.data);
    char *log = untmp(u.r.log.data);
    /* nothing is opened: the archive and stdin are units like the files */
    cr_assert_str_eq(list, "T/d/A.txt\nT/d/a/b.txt\nT/d/a.txt\nT/d/b.csv\nT/d/blob\n"
                           "T/d/sub/z.log\n" FX "nested.zip\n-\n");
    cr_assert_str_eq(log, "skip T/d/link.txt: symbolic link not followed (use --follow-symlinks)\n"
                          "skip T/d/pipe: special file: fifo\n");
    free(list);
    free(log);

    /* walking the directory gives the expansion's skips plus, in the same
     * order, what walking each of its units gives */
    rec whole = {0};
    const char *dpath[] = {d};
    cr_assert_eq(walk_paths(&whole, dpath, 1, &o), DS_OK);
    rec parts = {0};
    ds_buf_puts(&parts.log, "");
    char *save = NULL;
    for (char *line = strtok_r(u.list.data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, tmpdir, strlen(tmpdir)) != 0)
            continue;
        if (strcmp(line + strlen(tmpdir), "/d/sub/z.log") == 0) /* link.txt, pipe sort before */
            ds_buf_puts(&parts.log, u.r.log.data);
        const char *one[] = {line};
        cr_assert_eq(walk_paths(&parts, one, 1, &o), DS_OK);
    }
    cr_assert_str_eq(parts.log.data, whole.log.data);
    rec_free(&whole);
    rec_free(&parts);

    /* on_unit can stop the expansion */
    units u2 = {0};
    u2.stop_at = 2;
    ds_walk_visitor v2 = {&u2, NULL, units_skip, units_error};
    cr_assert_eq(ds_walk_expand(paths, 3, &o, &v2, on_unit, NULL), DS_DONE);
    list = untmp(u2.list.data);
    cr_assert_str_eq(list, "T/d/A.txt\nT/d/a/b.txt\n");
    free(list);
    ds_buf_free(&u2.list);
    rec_free(&u2.r);
    ds_buf_free(&u.list);
    rec_free(&u.r);
    free(d);
    remove_tmpdir();
}
