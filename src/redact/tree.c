/* redact: the output tree of one top-level input (a file, a compressed
 * file, an archive with nested archives), rebuilt from the leaf names the
 * walker hands out ("a.tar.gz!dir/inner.zip!x.csv").
 *
 * Archive levels are opened when a leaf under them first arrives and closed
 * when the walk leaves them. Formats and codecs follow the names: .tar,
 * .tar.gz/.tgz, .tar.bz2, .tar.xz, .tar.zst, .tar.lz4, .zip, .7z, .cpio, .ar
 * (and a compressed single file keeps its codec: .gz .bz2 .xz .zst .lz4); an
 * archive name without a known extension is written as a tar. Members are
 * spooled to an unlinked temporary file next to the output (tar needs each
 * member's size before its data), never held in memory. Top-level outputs
 * are written under a temporary name (created 0600, O_EXCL, not following
 * symlinks) and renamed into place only when complete; a failed leaf is left
 * out of its archive. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/mem.h"
#include "redact/tree.h"

typedef struct level {
    char *name;
    struct archive *aw;
    int fd;
    char *tmp_path, *final_path; /* level 0 only */
    int failed;
} level;

struct ds_rtree {
    char *out_dir;
    char *rel;
    dev_t in_dev; /* the input file, never to be overwritten */
    ino_t in_ino;
    int have_in;
    level lv[16];
    size_t depth;
    /* leaf in progress */
    int leaf_fd;
    struct archive *leaf_comp;
    char *leaf_name;
    char *leaf_tmp, *leaf_final;
    int leaf_spool;
    int leaf_open;
    uint64_t written;
};

/* ---- names ------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcasecmp(s + n - m, suf) == 0;
}

typedef struct codec {
    const char *suffix;
    int filter;            /* ARCHIVE_FILTER_* */
    const char *tar_alias; /* ".tgz" etc. */
} codec;

static const codec codecs[] = {
    {".gz", ARCHIVE_FILTER_GZIP, ".tgz"}, {".bz2", ARCHIVE_FILTER_BZIP2, ".tbz2"},
    {".xz", ARCHIVE_FILTER_XZ, ".txz"},   {".zst", ARCHIVE_FILTER_ZSTD, ".tzst"},
    {".lz4", ARCHIVE_FILTER_LZ4, NULL},
};

/* Compression filter named by the name's last suffix (or a .tgz alias: then
 * *tar is set). ARCHIVE_FILTER_NONE when none. */
static int filter_of(const char *name, int *tar)
{
    *tar = 0;
    for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++) {
        if (ends_with(name, codecs[i].suffix))
            return codecs[i].filter;
        if (codecs[i].tar_alias && ends_with(name, codecs[i].tar_alias)) {
            *tar = 1;
            return codecs[i].filter;
        }
    }
    if (ends_with(name, ".tbz"))
        return *tar = 1, ARCHIVE_FILTER_BZIP2;
    return ARCHIVE_FILTER_NONE;
}

static char *strip_filter(const char *name)
{
    char *s = ds_xstrdup(name);
    for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++)
        if (ends_with(s, codecs[i].suffix)) {
            s[strlen(s) - strlen(codecs[i].suffix)] = 0;
            break;
        }
    return s;
}

static int add_filter(struct archive *a, int filter)
{
    switch (filter) {
    case ARCHIVE_FILTER_GZIP: return archive_write_add_filter_gzip(a);
    case ARCHIVE_FILTER_BZIP2: return archive_write_add_filter_bzip2(a);
    case ARCHIVE_FILTER_XZ: return archive_write_add_filter_xz(a);
    case ARCHIVE_FILTER_ZSTD: return archive_write_add_filter_zstd(a);
    case ARCHIVE_FILTER_LZ4: return archive_write_add_filter_lz4(a);
    default: return archive_write_add_filter_none(a);
    }
}

static int set_format(struct archive *a, const char *name, int tar_alias)
{
    if (tar_alias)
        return archive_write_set_format_pax_restricted(a);
    char *base = strip_filter(name);
    int rc;
    if (ends_with(base, ".zip"))
        rc = archive_write_set_format_zip(a);
    else if (ends_with(base, ".7z"))
        rc = archive_write_set_format_7zip(a);
    else if (ends_with(base, ".cpio"))
        rc = archive_write_set_format_cpio_newc(a);
    else if (ends_with(base, ".a") || ends_with(base, ".ar"))
        rc = archive_write_set_format_ar_svr4(a);
    else
        rc = archive_write_set_format_pax_restricted(a);
    free(base);
    return rc;
}

/* ---- files ------------------------------------------------------------------ */

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

/* A temporary file next to final (created 0600, never through a symlink). */
static int tmp_next_to(const char *final, char **tmp_out, ds_error *err)
{
    char *dup = ds_xstrdup(final);
    if (mkdirs(dup) != 0) {
        int e = errno;
        free(dup);
        return ds_error_set(err, DS_EIO, final, "cannot create its directory: %s", strerror(e)), -1;
    }
    free(dup);
    const char *slash = strrchr(final, '/');
    size_t dlen = slash ? (size_t)(slash - final) + 1 : 0;
    ds_buf b = {0};
    ds_buf_append(&b, final, dlen);
    ds_buf_printf(&b, ".%s.dsaudit-XXXXXX", final + dlen);
    int fd = mkostemp(b.data, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        ds_buf_free(&b);
        return ds_error_set(err, DS_EIO, final, "cannot create: %s", strerror(e)), -1;
    }
    *tmp_out = b.data;
    return fd;
}

/* An unlinked spool file in the output directory. */
static int spool(const char *out_dir, ds_error *err)
{
    ds_buf b = {0};
    ds_buf_printf(&b, "%s/.dsaudit-spool-XXXXXX", out_dir);
    int fd = mkostemp(b.data, O_CLOEXEC);
    if (fd < 0) {
        ds_error_set(err, DS_EIO, out_dir, "cannot create a spool file: %s", strerror(errno));
        ds_buf_free(&b);
        return -1;
    }
    unlink(b.data);
    ds_buf_free(&b);
    return fd;
}

static ds_status write_all(int fd, const void *p, size_t n, const char *where, ds_error *err)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return ds_error_set(err, DS_EIO, where, "write: %s", strerror(errno));
        s += w;
        n -= (size_t)w;
    }
    return DS_OK;
}

static ds_status install(ds_rtree *t, const char *tmp, const char *final, ds_error *err)
{
    if (!tmp || !final)
        return ds_error_set(err, DS_EINVAL, NULL, "no output path to install");
    struct stat st;
    if (t->have_in && lstat(final, &st) == 0 && st.st_dev == t->in_dev && st.st_ino == t->in_ino) {
        unlink(tmp);
        return ds_error_set(err, DS_EINVAL, final, "refusing to overwrite an input");
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return ds_error_set(err, DS_EIO, final, "cannot rename into place: %s", strerror(e));
    }
    return DS_OK;
}

/* Add the spool fd (whole) as member `name` of archive a. */
static ds_status add_member(struct archive *a, const char *name, int fd, const char *where,
                            ds_error *err)
{
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0 || lseek(fd, 0, SEEK_SET) != 0)
        return ds_error_set(err, DS_EIO, where, "spool: %s", strerror(errno));
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)size);
    archive_entry_set_mtime(e, 0, 0);
    ds_status rc = DS_OK;
    if (archive_write_header(a, e) != ARCHIVE_OK) {
        rc = ds_error_set(err, DS_EIO, where, "archive: %s", archive_error_string(a));
    } else {
        char buf[65536];
        ssize_t r;
        while (rc == DS_OK && (r = read(fd, buf, sizeof buf)) > 0)
            if (archive_write_data(a, buf, (size_t)r) != r)
                rc = ds_error_set(err, DS_EIO, where, "archive: %s", archive_error_string(a));
        if (rc == DS_OK && archive_write_finish_entry(a) != ARCHIVE_OK)
            rc = ds_error_set(err, DS_EIO, where, "archive: %s", archive_error_string(a));
    }
    archive_entry_free(e);
    return rc;
}

/* ---- tree ------------------------------------------------------------------- */

ds_rtree *ds_rtree_new(const char *out_dir, const char *rel, const char *input_path)
{
    ds_rtree *t = ds_xcalloc(1, sizeof *t);
    t->out_dir = ds_xstrdup(out_dir);
    t->rel = ds_xstrdup(rel);
    t->leaf_fd = -1;
    struct stat st;
    if (input_path && stat(input_path, &st) == 0) {
        t->in_dev = st.st_dev;
        t->in_ino = st.st_ino;
        t->have_in = 1;
    }
    return t;
}

static char *final_path(const ds_rtree *t)
{
    ds_buf b = {0};
    ds_buf_printf(&b, "%s/%s", t->out_dir, t->rel);
    return b.data;
}

static ds_status close_level(ds_rtree *t, int ok, ds_error *err)
{
    level *l = &t->lv[--t->depth];
    ds_status rc = DS_OK;
    if (archive_write_close(l->aw) != ARCHIVE_OK && ok)
        rc = ds_error_set(err, DS_EIO, l->final_path ? l->final_path : l->name, "archive: %s",
                          archive_error_string(l->aw));
    archive_write_free(l->aw);
    if (rc != DS_OK)
        ok = 0;
    if (t->depth == 0) {
        close(l->fd);
        if (ok)
            rc = install(t, l->tmp_path, l->final_path, err);
        else
            unlink(l->tmp_path);
    } else {
        if (ok && !t->lv[t->depth - 1].failed)
            rc = add_member(t->lv[t->depth - 1].aw, l->name, l->fd, l->name, err);
        close(l->fd);
    }
    free(l->name);
    free(l->tmp_path);
    free(l->final_path);
    memset(l, 0, sizeof *l);
    return rc;
}

static ds_status open_level(ds_rtree *t, const char *name, ds_error *err)
{
    if (t->depth >= sizeof t->lv / sizeof *t->lv)
        return ds_error_set(err, DS_ELIMIT, name, "archives nested too deep");
    level *l = &t->lv[t->depth];
    memset(l, 0, sizeof *l);
    if (t->depth == 0) {
        l->final_path = final_path(t);
        l->fd = tmp_next_to(l->final_path, &l->tmp_path, err);
    } else {
        l->fd = spool(t->out_dir, err);
    }
    if (l->fd < 0) {
        free(l->final_path);
        return err->status ? err->status : DS_EIO;
    }
    int tar;
    int filter = filter_of(name, &tar);
    l->aw = archive_write_new();
    if (add_filter(l->aw, filter) != ARCHIVE_OK || set_format(l->aw, name, tar) != ARCHIVE_OK ||
        archive_write_open_fd(l->aw, l->fd) != ARCHIVE_OK) {
        ds_status rc = ds_error_set(err, DS_EUNSUPPORTED, name, "cannot write this archive: %s",
                                    archive_error_string(l->aw));
        archive_write_free(l->aw);
        close(l->fd);
        if (l->tmp_path)
            unlink(l->tmp_path);
        free(l->tmp_path);
        free(l->final_path);
        memset(l, 0, sizeof *l);
        return rc;
    }
    l->name = ds_xstrdup(name);
    t->depth++;
    return DS_OK;
}

static ds_status leaf_write(void *ctx, const void *p, size_t n, ds_error *err)
{
    ds_rtree *t = ctx;
    t->written += n;
    if (t->leaf_comp) {
        if (n && archive_write_data(t->leaf_comp, p, n) != (la_ssize_t)n)
            return ds_error_set(err, DS_EIO, t->leaf_name, "compress: %s",
                                archive_error_string(t->leaf_comp));
        return DS_OK;
    }
    return write_all(t->leaf_fd, p, n, t->leaf_name, err);
}

ds_status ds_rtree_begin_leaf(ds_rtree *t, char *const *comps, size_t ncomps, ds_rwriter *w,
                              ds_error *err)
{
    size_t k = ncomps - 1; /* archive levels above the leaf */
    size_t same = 0;
    while (same < t->depth && same < k && strcmp(t->lv[same].name, comps[same]) == 0)
        same++;
    ds_status rc = DS_OK;
    while (t->depth > same) {
        ds_status r2 = close_level(t, 1, err);
        if (rc == DS_OK)
            rc = r2;
    }
    if (rc != DS_OK)
        return rc;
    for (size_t i = t->depth; i < k; i++)
        if ((rc = open_level(t, comps[i], err)) != DS_OK)
            return rc;
    const char *leaf = comps[k];
    t->leaf_name = ds_xstrdup(leaf);
    t->leaf_spool = k > 0;
    t->written = 0;
    if (k == 0) {
        t->leaf_final = final_path(t);
        t->leaf_fd = tmp_next_to(t->leaf_final, &t->leaf_tmp, err);
    } else {
        t->leaf_fd = spool(t->out_dir, err);
    }
    if (t->leaf_fd < 0) {
        free(t->leaf_name);
        free(t->leaf_final);
        t->leaf_name = t->leaf_final = NULL;
        return DS_EIO;
    }
    int tar;
    int filter = filter_of(leaf, &tar);
    if (filter != ARCHIVE_FILTER_NONE) {
        struct archive *a = archive_write_new();
        struct archive_entry *e = archive_entry_new();
        char *inner = strip_filter(leaf);
        const char *base = strrchr(inner, '/');
        archive_entry_set_pathname(e, base ? base + 1 : inner);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0600);
        free(inner);
        if (add_filter(a, filter) != ARCHIVE_OK || archive_write_set_format_raw(a) != ARCHIVE_OK ||
            archive_write_open_fd(a, t->leaf_fd) != ARCHIVE_OK ||
            archive_write_header(a, e) != ARCHIVE_OK) {
            rc = ds_error_set(err, DS_EUNSUPPORTED, leaf, "cannot compress: %s",
                              archive_error_string(a));
            archive_write_free(a);
        } else {
            t->leaf_comp = a;
        }
        archive_entry_free(e);
    }
    t->leaf_open = 1;
    w->ctx = t;
    w->write = leaf_write;
    if (rc != DS_OK)
        ds_rtree_end_leaf(t, 0, NULL);
    return rc;
}

ds_status ds_rtree_end_leaf(ds_rtree *t, int ok, ds_error *err)
{
    if (!t->leaf_open)
        return DS_OK;
    ds_status rc = DS_OK;
    ds_error local;
    if (!err)
        err = &local;
    if (t->leaf_comp) {
        if (archive_write_close(t->leaf_comp) != ARCHIVE_OK && ok) {
            rc = ds_error_set(err, DS_EIO, t->leaf_name, "compress: %s",
                              archive_error_string(t->leaf_comp));
            ok = 0;
        }
        archive_write_free(t->leaf_comp);
        t->leaf_comp = NULL;
    }
    if (t->leaf_spool) {
        if (ok)
            rc = add_member(t->lv[t->depth - 1].aw, t->leaf_name, t->leaf_fd, t->leaf_name, err);
        if (rc != DS_OK)
            t->lv[t->depth - 1].failed = 1;
        close(t->leaf_fd);
    } else {
        if (close(t->leaf_fd) != 0 && ok) {
            rc = ds_error_set(err, DS_EIO, t->leaf_final, "close: %s", strerror(errno));
            ok = 0;
        }
        if (ok)
            rc = install(t, t->leaf_tmp, t->leaf_final, err);
        else
            unlink(t->leaf_tmp);
    }
    t->leaf_fd = -1;
    free(t->leaf_name);
    free(t->leaf_tmp);
    free(t->leaf_final);
    t->leaf_name = t->leaf_tmp = t->leaf_final = NULL;
    t->leaf_open = 0;
    return rc;
}

ds_status ds_rtree_close(ds_rtree *t, int ok, ds_error *err)
{
    ds_status rc = ds_rtree_end_leaf(t, 0, err);
    while (t->depth) {
        ds_status r2 = close_level(t, ok, err);
        if (rc == DS_OK)
            rc = r2;
    }
    return rc;
}

void ds_rtree_free(ds_rtree *t)
{
    if (!t)
        return;
    ds_error e;
    ds_rtree_close(t, 0, &e);
    free(t->out_dir);
    free(t->rel);
    free(t);
}
