/* rules: the compiled-database cache (see hs_cache.h). */
#include "rules/hs_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAX_BYTES (512u << 20)

typedef struct h128 {
    uint64_t a, b;
} h128;

/* Two FNV-1a 64 lanes with different offset bases: 128 bits of key, so
 * accidental collisions between rule sets are out of the question. */
static void h_bytes(h128 *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ s[i]) * 0x100000001b3ULL;
        h->b = (h->b ^ s[i]) * 0x100000001b3ULL;
        h->b ^= h->b >> 29;
    }
}

static void h_u32(h128 *h, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    h_bytes(h, b, 4);
}

void ds_hs_cache_key(const char *const *exprs, const unsigned *flags, const unsigned *ids,
                     unsigned n, char out[33])
{
    h128 h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    const char *v = hs_version();
    h_bytes(&h, v, strlen(v) + 1);
    hs_platform_info_t plat;
    memset(&plat, 0, sizeof plat);
    if (hs_populate_platform(&plat) == HS_SUCCESS) {
        h_u32(&h, plat.tune);
        h_u32(&h, (uint32_t)plat.cpu_features);
        h_u32(&h, (uint32_t)(plat.cpu_features >> 32));
    }
    h_u32(&h, HS_MODE_BLOCK);
    h_u32(&h, n);
    for (unsigned i = 0; i < n; i++) {
        h_bytes(&h, exprs[i], strlen(exprs[i]) + 1);
        h_u32(&h, flags[i]);
        h_u32(&h, ids[i]);
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
}

/* The cache directory, created if needed; 0 when caching is off. */
static int cache_dir(char *buf, size_t cap)
{
    const char *d = getenv("DSAUDIT_CACHE_DIR");
    if (d) {
        if (!*d || strcmp(d, "off") == 0)
            return 0;
        snprintf(buf, cap, "%s", d);
    } else if ((d = getenv("XDG_CACHE_HOME")) && *d) {
        snprintf(buf, cap, "%s/dsaudit", d);
    } else if ((d = getenv("HOME")) && *d) {
        snprintf(buf, cap, "%s/.cache/dsaudit", d);
    } else {
        return 0;
    }
    /* create each missing component; only the last one is ours (0700) */
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            *p = '/';
            return 0;
        }
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return 0;
    struct stat st;
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

static hs_database_t *cache_load(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat st;
    hs_database_t *db = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size <= CACHE_MAX_BYTES && st.st_uid == geteuid()) {
        size_t n = (size_t)st.st_size, got = 0;
        char *buf = malloc(n);
        while (buf && got < n) {
            ssize_t r = read(fd, buf + got, n - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (buf && got == n && hs_deserialize_database(buf, n, &db) != HS_SUCCESS)
            db = NULL;
        free(buf);
    }
    close(fd);
    return db;
}

static void cache_store(const char *dir, const char *path, const hs_database_t *db)
{
    char *bytes = NULL;
    size_t n = 0;
    if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS)
        return;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp); /* 0600 */
    if (fd >= 0) {
        size_t put = 0;
        while (put < n) {
            ssize_t w = write(fd, bytes + put, n - put);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            put += (size_t)w;
        }
        if (close(fd) == 0 && put == n)
            rename(tmp, path);
        unlink(tmp); /* no-op after a successful rename */
    }
    free(bytes);
}

hs_error_t ds_hs_compile_cached(const char *const *exprs, const unsigned *flags,
                                const unsigned *ids, unsigned n, hs_database_t **db,
                                hs_compile_error_t **ce)
{
    char dir[4096], path[4200], key[33];
    int cached = cache_dir(dir, sizeof dir);
    if (cached) {
        ds_hs_cache_key(exprs, flags, ids, n, key);
        snprintf(path, sizeof path, "%s/hs-%s.db", dir, key);
        if ((*db = cache_load(path)) != NULL)
            return HS_SUCCESS;
    }
    hs_error_t rc = hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL, db, ce);
    if (rc == HS_SUCCESS && cached)
        cache_store(dir, path, *db);
    return rc;
}
