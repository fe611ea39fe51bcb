/* rules: the compiled-database cache (see hs_cache.h). */
#include "rules/hs_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"

#define CACHE_MAX_BYTES (512u << 20)
#define CACHE_BUDGET_MB 64 /* default DSAUDIT_CACHE_MAX_MB */

typedef struct h128 {
    uint64_t a, b;
} h128;

/* Two multiply-xorshift lanes with different constants over 8-byte words
 * (FNV-1a over the last bytes): 128 bits of key, so accidental collisions
 * between rule sets are out of the question. Keys are never compared across
 * machines (the CPU features are part of them), so host byte order is fine.
 * Word at a time because the keyed sources are large: the lexicons hashed
 * byte by byte were a tenth of a cached start-up. */
static void h_bytes(h128 *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h->a = (h->a ^ w) * 0x9E3779B97F4A7C15ULL;
        h->a ^= h->a >> 31;
        h->b = (h->b ^ w) * 0xC2B2AE3D27D4EB4FULL;
        h->b ^= h->b >> 29;
    }
    for (; i < n; i++) {
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
        /* mapped, not read: no copy into a buffer faulted in page by page.
         * Files are only ever replaced by rename, never rewritten in place,
         * so the mapping cannot shrink under us. */
        size_t n = (size_t)st.st_size;
        void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (m != MAP_FAILED) {
            if (hs_deserialize_database(m, n, &db) != HS_SUCCESS)
                db = NULL;
            munmap(m, n);
        }
    }
    if (db)
        futimens(fd, NULL); /* used now: the last to go (cache_trim) */
    close(fd);
    return db;
}

/* ---- database memory ------------------------------------------------------ */

/* Vectorscan's database allocator. The built-in rules load ~9 MB of
 * databases; taken from malloc, each large one is a fresh mapping faulted in
 * 4 KB at a time as hs_deserialize_database writes it, ~2,000 faults and a
 * third of a start-up on a virtual machine. Large ones are therefore mapped
 * populated, in one call. A header before each block says how it was made. */
#define DBMEM_HDR 64 /* keeps the page (or malloc) alignment Vectorscan checks */
#define DBMEM_MAP (256u << 10)

static void *dbmem_alloc(size_t n)
{
    if (n > SIZE_MAX - DBMEM_HDR - 4096)
        return NULL;
    size_t total = n + DBMEM_HDR;
    unsigned char *b;
    uint32_t mapped = total >= DBMEM_MAP;
    if (mapped) {
        b = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
        if (b == MAP_FAILED)
            return NULL;
    } else if (!(b = malloc(total))) {
        return NULL;
    }
    memcpy(b, &mapped, sizeof mapped);
    memcpy(b + 8, &total, sizeof total);
    return b + DBMEM_HDR;
}

static void dbmem_free(void *p)
{
    if (!p)
        return;
    unsigned char *b = (unsigned char *)p - DBMEM_HDR;
    uint32_t mapped;
    size_t total;
    memcpy(&mapped, b, sizeof mapped);
    memcpy(&total, b + 8, sizeof total);
    if (mapped)
        munmap(b, total);
    else
        free(b);
}

/* Before main: every database of the process, compiled or loaded, comes
 * from dbmem_alloc, so hs_free_database always meets a block it made. */
__attribute__((constructor)) static void dbmem_init(void)
{
    hs_set_database_allocator(dbmem_alloc, dbmem_free);
}

/* The cache's byte budget: DSAUDIT_CACHE_MAX_MB, else CACHE_BUDGET_MB. */
static uint64_t cache_budget(void)
{
    const char *e = getenv("DSAUDIT_CACHE_MAX_MB");
    char *end;
    unsigned long long mb = e && *e ? strtoull(e, &end, 10) : CACHE_BUDGET_MB;
    if (!e || !*e || *end)
        mb = CACHE_BUDGET_MB;
    return mb > (UINT64_MAX >> 20) ? UINT64_MAX : (uint64_t)mb << 20;
}

typedef struct centry {
    char name[64];
    uint64_t size;
    struct timespec used;
} centry;

static int cmp_used(const void *a, const void *b)
{
    const centry *x = a, *y = b;
    if (x->used.tv_sec != y->used.tv_sec)
        return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
    if (x->used.tv_nsec != y->used.tv_nsec)
        return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Keep the cache within its budget: each rule or option change leaves a
 * new set of databases behind, so, once over budget, the databases used
 * least recently (a load touches its file) are removed, never `keep`. */
static void cache_trim(const char *dir, const char *keep)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    centry *v = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 7 || l >= sizeof v->name || strncmp(de->d_name, "hs-", 3) != 0 ||
            strcmp(de->d_name + l - 3, ".db") != 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(dh), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || st.st_uid != geteuid())
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            centry *nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        memcpy(v[n].name, de->d_name, l + 1);
        v[n].size = (uint64_t)st.st_size;
        v[n].used = st.st_mtim;
        total += v[n].size;
        n++;
    }
    uint64_t budget = cache_budget();
    if (total > budget && n) {
        qsort(v, n, sizeof *v, cmp_used);
        const char *k = strrchr(keep, '/');
        k = k ? k + 1 : keep;
        for (size_t i = 0; i < n && total > budget; i++) {
            if (strcmp(v[i].name, k) == 0)
                continue;
            if (unlinkat(dirfd(dh), v[i].name, 0) == 0)
                total -= v[i].size;
        }
    }
    free(v);
    closedir(dh);
}

/* Write len bytes to path atomically (a temporary name in dir, then rename:
 * concurrent processes never see half a file), then keep the cache within
 * its budget. */
static void cache_write(const char *dir, const char *path, const void *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp); /* 0600 */
    if (fd < 0)
        return;
    const char *b = data;
    size_t put = 0;
    while (put < len) {
        ssize_t w = write(fd, b + put, len - put);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        put += (size_t)w;
    }
    if (close(fd) == 0 && put == len)
        rename(tmp, path);
    unlink(tmp); /* no-op after a successful rename */
    cache_trim(dir, path);
}

static void cache_store(const char *dir, const char *path, const hs_database_t *db)
{
    char *bytes = NULL;
    size_t n = 0;
    if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS)
        return;
    cache_write(dir, path, bytes, n);
    free(bytes);
}

/* ---- expression info ------------------------------------------------------ */

#define INFO_MAGIC 0x31495344u /* "DSI1" */

static void info_one(const char *expr, unsigned base, int fallback, ds_hs_info *out)
{
    unsigned tries[2] = {base, base | HS_FLAG_PREFILTER};
    *out = (ds_hs_info){0, base, 0};
    for (int t = 0; t < (fallback ? 2 : 1); t++) {
        hs_expr_info_t *info = NULL;
        hs_compile_error_t *ce = NULL;
        if (hs_expression_info(expr, tries[t], &info, &ce) == HS_SUCCESS) {
            *out = (ds_hs_info){1, tries[t], info->max_width == UINT_MAX ? 0 : info->max_width};
            free(info);
            return;
        }
        hs_free_compile_error(ce);
    }
}

/* ---- blobs ------------------------------------------------------------------ */

static int blob_path(const char *tag, const void *src, size_t src_len, char *dir, size_t dcap,
                     char *path, size_t pcap)
{
    if (!cache_dir(dir, dcap))
        return 0;
    h128 h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    h_bytes(&h, tag, strlen(tag) + 1);
    h_bytes(&h, src, src_len);
    snprintf(path, pcap, "%s/hs-%016llx%016llx-%s.db", dir, (unsigned long long)h.a,
             (unsigned long long)h.b, tag);
    return 1;
}

const void *ds_cache_map(const char *tag, const void *src, size_t src_len, size_t *blob_len)
{
    char dir[4096], path[4300];
    if (!blob_path(tag, src, src_len, dir, sizeof dir, path, sizeof path))
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_size > 0 &&
        (uint64_t)st.st_size <= CACHE_MAX_BYTES) {
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            *blob_len = (size_t)st.st_size;
            futimens(fd, NULL);
        }
    }
    close(fd);
    return m == MAP_FAILED ? NULL : m;
}

void ds_cache_put(const char *tag, const void *src, size_t src_len, const void *blob,
                  size_t blob_len)
{
    char dir[4096], path[4300];
    if (blob_path(tag, src, src_len, dir, sizeof dir, path, sizeof path))
        cache_write(dir, path, blob, blob_len);
}

/* The answers of a batch, stored as a blob (ds_cache_put) keyed by the
 * batch: an 8-byte header (magic, n), then per expression ok, flags,
 * max_width as 32-bit words. */
void ds_hs_info_cached(const char *const *exprs, const unsigned *flags, unsigned n,
                       int prefilter_fallback, ds_hs_info *out)
{
    ds_buf key = {0};
    const char *v = hs_version();
    ds_buf_append(&key, v, strlen(v) + 1);
    uint32_t w[3] = {(uint32_t)prefilter_fallback, n, 0};
    ds_buf_append(&key, w, 8);
    for (unsigned i = 0; i < n; i++) {
        ds_buf_append(&key, exprs[i], strlen(exprs[i]) + 1);
        ds_buf_append(&key, &flags[i], sizeof flags[i]);
    }
    size_t len = 8 + (size_t)n * 12, got = 0;
    const unsigned char *m = n ? ds_cache_map("info", key.data, key.len, &got) : NULL;
    int ok = 0;
    if (m && got == len) {
        memcpy(w, m, 8);
        ok = w[0] == INFO_MAGIC && w[1] == n;
        for (unsigned i = 0; ok && i < n; i++) {
            memcpy(w, m + 8 + (size_t)i * 12, 12);
            ok = w[0] <= 1;
            out[i] = (ds_hs_info){(int)w[0], w[1], w[2]};
        }
    }
    if (m)
        munmap((void *)(uintptr_t)m, got);
    if (!ok && n) {
        unsigned char *b = malloc(len);
        w[0] = INFO_MAGIC;
        w[1] = n;
        if (b)
            memcpy(b, w, 8);
        for (unsigned i = 0; i < n; i++) {
            info_one(exprs[i], flags[i], prefilter_fallback, &out[i]);
            w[0] = (uint32_t)out[i].ok;
            w[1] = out[i].flags;
            w[2] = out[i].max_width;
            if (b)
                memcpy(b + 8 + (size_t)i * 12, w, 12);
        }
        if (b)
            ds_cache_put("info", key.data, key.len, b, len);
        free(b);
    }
    ds_buf_free(&key);
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
