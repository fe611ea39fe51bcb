/* tests: the compiled-database cache. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/hs_cache.h"
#include "util.h"

static const char *EXPRS[] = {"foo[0-9]+", "b(a|e)r"};
static const unsigned FLAGS[] = {0, HS_FLAG_CASELESS};
static const unsigned IDS[] = {7, 9};

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    *(unsigned *)ctx |= 1u << id;
    return 0;
}

static unsigned scan(hs_database_t *db, const char *s)
{
    hs_scratch_t *sc = NULL;
    cr_assert_eq(hs_alloc_scratch(db, &sc), HS_SUCCESS);
    unsigned seen = 0;
    hs_scan(db, s, (unsigned)strlen(s), 0, sc, on_match, &seen);
    hs_free_scratch(sc);
    return seen;
}

static char *cache_file(const char *dir)
{
    char key[33];
    ds_hs_cache_key(EXPRS, FLAGS, IDS, 2, key);
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/hs-%s.db", dir, key) > 0);
    return p;
}

Test(hs_cache, stores_then_loads_and_replaces_garbage)
{
    char dir[] = "/tmp/dsaudit-hscache-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("DSAUDIT_CACHE_DIR", dir, 1);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    cr_assert_eq(scan(db, "x foo12 BAR"), (1u << 7) | (1u << 9));
    hs_free_database(db);
    char *path = cache_file(dir);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "no cache file %s", path);
    cr_assert_eq(st.st_mode & 0777, 0600);
    /* the second compile is a load: same answers */
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    cr_assert_eq(scan(db, "bEr only"), 1u << 9);
    hs_free_database(db);
    /* a corrupt file is ignored and rewritten */
    FILE *f = fopen(path, "w");
    fputs("not a database", f);
    fclose(f);
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    cr_assert_eq(scan(db, "foo1"), 1u << 7);
    hs_free_database(db);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_gt(st.st_size, 100);
    unlink(path);
    free(path);
    rmdir(dir);
}

Test(hs_cache, key_depends_on_every_input)
{
    char k0[33], k1[33], k2[33], k3[33];
    ds_hs_cache_key(EXPRS, FLAGS, IDS, 2, k0);
    const char *e2[] = {"foo[0-9]+", "b(a|i)r"};
    ds_hs_cache_key(e2, FLAGS, IDS, 2, k1);
    const unsigned f2[] = {0, 0};
    ds_hs_cache_key(EXPRS, f2, IDS, 2, k2);
    const unsigned i2[] = {7, 8};
    ds_hs_cache_key(EXPRS, FLAGS, i2, 2, k3);
    cr_assert_str_neq(k0, k1);
    cr_assert_str_neq(k0, k2);
    cr_assert_str_neq(k0, k3);
    cr_assert_eq(strlen(k0), 32);
}

Test(hs_cache, off_compiles_without_writing)
{
    setenv("DSAUDIT_CACHE_DIR", "off", 1);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    cr_assert_eq(scan(db, "foo9"), 1u << 7);
    hs_free_database(db);
}

/* The matching library itself: Debian 12's Vectorscan 5.4.9 finds no match
 * of '@[a-z]+' when the '@' lies past the first 64 bytes and letters run
 * before it (so an e-mail late in a long line was missed). The build uses
 * Hyperscan on amd64 (see the Makefile); this catches a library that has
 * the bug, whichever it is. */
Test(hs_cache, library_finds_a_literal_then_class_past_64_bytes)
{
    setenv("DSAUDIT_CACHE_DIR", "off", 1);
    const char *e[] = {"@[a-z]+\\.[a-z]+"};
    const unsigned fl[] = {HS_FLAG_SINGLEMATCH};
    const unsigned id[] = {0};
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    cr_assert_eq(ds_hs_compile_cached(e, fl, id, 1, &db, &ce), HS_SUCCESS);
    char s[200];
    for (int n = 1; n < 150; n += 7) {
        memset(s, 'a', (size_t)n);
        strcpy(s + n, " tail.person@example.com");
        cr_assert_eq(scan(db, s), 1u, "no match with %d letters before (hs %s)", n, hs_version());
    }
    hs_free_database(db);
}

/* A fake database file of `mb` MiB (sparse) last used at time t. */
static void fake_db(const char *dir, const char *name, int mb, time_t t)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    cr_assert_eq(ftruncate(fileno(f), (off_t)mb << 20), 0);
    fclose(f);
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
    free(p);
}

static int present(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    struct stat st;
    int ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

Test(hs_cache, stays_within_budget_least_recently_used_first)
{
    char dir[] = "/tmp/dsaudit-hscache-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("DSAUDIT_CACHE_DIR", dir, 1);
    setenv("DSAUDIT_CACHE_MAX_MB", "2", 1);
    fake_db(dir, "hs-a.db", 1, 1000);
    fake_db(dir, "hs-b.db", 1, 2000);
    fake_db(dir, "hs-c.db", 1, 3000);
    fake_db(dir, "other.txt", 8, 500); /* not a cache file: never touched */
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    hs_free_database(db);
    char *x = cache_file(dir);
    const char *xn = strrchr(x, '/') + 1;
    /* 3 MiB and the new file over 2 MiB: the two oldest go */
    cr_assert(!present(dir, "hs-a.db") && !present(dir, "hs-b.db"));
    cr_assert(present(dir, "hs-c.db") && present(dir, xn) && present(dir, "other.txt"));
    /* a load makes a database recent again: x, made the oldest, is loaded,
     * so the next trim removes c before it */
    struct timespec old[2] = {{100, 0}, {100, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, x, old, 0), 0);
    cr_assert_eq(ds_hs_compile_cached(EXPRS, FLAGS, IDS, 2, &db, &ce), HS_SUCCESS);
    hs_free_database(db);
    fake_db(dir, "hs-d.db", 1, 4000);
    const char *e2[] = {"qux[0-9]"};
    const unsigned f2[] = {0}, i2[] = {1};
    cr_assert_eq(ds_hs_compile_cached(e2, f2, i2, 1, &db, &ce), HS_SUCCESS);
    hs_free_database(db);
    cr_assert(!present(dir, "hs-c.db"));
    cr_assert(present(dir, xn) && present(dir, "hs-d.db"));
    rm_flat_dir(dir);
    free(x);
    unsetenv("DSAUDIT_CACHE_MAX_MB");
}

/* The one expression-info file in dir. */
static char *info_file(const char *dir)
{
    DIR *dh = opendir(dir);
    cr_assert_not_null(dh);
    struct dirent *de;
    char *p = NULL;
    int n = 0;
    while ((de = readdir(dh)) != NULL)
        if (strstr(de->d_name, "-info.db")) {
            free(p);
            cr_assert(asprintf(&p, "%s/%s", dir, de->d_name) > 0);
            n++;
        }
    closedir(dh);
    cr_assert_eq(n, 1);
    return p;
}

/* Expression info: answers as hs_expression_info gives them, read back from
 * the cache file, and a damaged file ignored and rewritten. */
Test(hs_cache, expression_info_cached_and_checked)
{
    char dir[] = "/tmp/dsaudit-hsinfo-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("DSAUDIT_CACHE_DIR", dir, 1);
    /* as is; only as a prefilter (a lookbehind); never (a bad expression) */
    const char *e[] = {"ab[0-9]{3}", "(?<![0-9])[0-9]{4}", "a(b"};
    const unsigned fl[] = {HS_FLAG_SINGLEMATCH, HS_FLAG_SINGLEMATCH, 0};
    ds_hs_info o[3];
    ds_hs_info_cached(e, fl, 3, 1, o);
    cr_assert_eq(o[0].ok, 1);
    cr_assert_eq(o[0].flags, HS_FLAG_SINGLEMATCH);
    cr_assert_eq(o[0].max_width, 5);
    cr_assert_eq(o[1].ok, 1);
    cr_assert_eq(o[1].flags, HS_FLAG_SINGLEMATCH | HS_FLAG_PREFILTER);
    cr_assert_eq(o[2].ok, 0);
    /* the next call reads the file: an answer changed in it is what comes
     * back (records of 12 bytes after an 8-byte header; ok first) */
    char *p = info_file(dir);
    FILE *f = fopen(p, "r+b");
    cr_assert_not_null(f);
    uint32_t one = 1;
    cr_assert_eq(fseek(f, 8 + 2 * 12, SEEK_SET), 0);
    cr_assert_eq(fwrite(&one, 4, 1, f), 1);
    fclose(f);
    ds_hs_info_cached(e, fl, 3, 1, o);
    cr_assert_eq(o[2].ok, 1, "not read from the cache");
    /* a damaged file is ignored and written again */
    f = fopen(p, "w");
    fputs("junk", f);
    fclose(f);
    ds_hs_info_cached(e, fl, 3, 1, o);
    cr_assert_eq(o[2].ok, 0);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_size, 8 + 3 * 12);
    free(p);
    /* without the prefilter fallback the lookbehind is refused (another batch) */
    ds_hs_info d[3];
    ds_hs_info_cached(e, fl, 3, 0, d);
    cr_assert_eq(d[0].ok, 1);
    cr_assert_eq(d[1].ok, 0);
    rm_flat_dir(dir);
}

/* Blobs: stored under (tag, source), mapped back byte for byte; another
 * source or tag finds nothing. */
Test(hs_cache, blob_roundtrip)
{
    char dir[] = "/tmp/dsaudit-blob-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("DSAUDIT_CACHE_DIR", dir, 1);
    const char src[] = "alice\nbob\n";
    size_t n = 0;
    cr_assert_null(ds_cache_map("t1", src, sizeof src - 1, &n));
    unsigned char blob[4096];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 7);
    ds_cache_put("t1", src, sizeof src - 1, blob, sizeof blob);
    const void *m = ds_cache_map("t1", src, sizeof src - 1, &n);
    cr_assert_not_null(m);
    cr_assert_eq(n, sizeof blob);
    cr_assert_eq(memcmp(m, blob, n), 0);
    munmap((void *)(uintptr_t)m, n);
    cr_assert_null(ds_cache_map("t2", src, sizeof src - 1, &n));
    cr_assert_null(ds_cache_map("t1", src, sizeof src - 2, &n));
    setenv("DSAUDIT_CACHE_DIR", "off", 1);
    cr_assert_null(ds_cache_map("t1", src, sizeof src - 1, &n));
    rm_flat_dir(dir);
}
