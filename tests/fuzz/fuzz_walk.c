/* Fuzz target: the archive layer (src/input/walk.c over libarchive) and the
 * format sniffing, end to end: the input is written to a file in a private
 * temporary directory (tmpfs when there is one) and walked with ds_walk,
 * every leaf read through its record reader.
 * byte 0: the file name (extension), and whether it is read as stdin ("-");
 * byte 1: read size; byte 2: max_depth, max_entries; the rest is the file. */
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "input/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

static void cleanup(void)
{
    static const char *const left[] = {"in.tar", "in.csv.gz", "in.zip", "in.jsonl", "in.json",
                                       "in.txt", "in.csv", "in"};
    char p[320];
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, left[i]);
        unlink(p);
    }
    rmdir(dir);
}

static int setup(void)
{
    if (dir[0])
        return 1;
    const char *base = getenv("TMPDIR");
    struct stat st;
    if (!base || !*base)
        base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/dsaudit-fuzz-walk-XXXXXX", base);
    if (!mkdtemp(dir)) {
        dir[0] = 0;
        return 0;
    }
    atexit(cleanup);
    return 1;
}

typedef struct ctx {
    size_t input_len;
    size_t max_field;
} ctx;

static ds_status on_input(void *c, const char *name, ds_format fmt, ds_stream *st)
{
    ctx *x = c;
    FUZZ_CHECK(name && *name);
    FUZZ_CHECK(fmt != DS_FORMAT_UNKNOWN);
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.max_field = x->max_field;
    ds_source *src = NULL;
    ds_error err;
    ds_error_clear(&err);
    if (ds_source_open(st, fmt, &o, &src, &err) != DS_OK)
        return DS_OK;
    /* a leaf may hold up to max_bytes decompressed: bound by that */
    fuzz_drain_source(src, x->input_len + (8u << 20), x->max_field);
    ds_source_close(src);
    return DS_OK;
}

static void on_skip(void *c, const char *name, const char *reason, uint64_t bytes)
{
    (void)c;
    (void)bytes;
    FUZZ_CHECK(name && *name);
    FUZZ_CHECK(reason && *reason);
}

static void on_error(void *c, const ds_error *e)
{
    (void)c;
    FUZZ_CHECK(e->msg[0] != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || !setup())
        return 0;
    static const char *const names[8] = {"in.tar", "in.csv.gz", "in.zip", "in.jsonl",
                                         "in.json", "in.txt", "in.csv", "in"};
    char path[320];
    snprintf(path, sizeof path, "%s/%s", dir, names[data[0] & 7]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return 0;
    const uint8_t *p = data + 3;
    size_t left = size - 3;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    close(fd);

    ds_walk_opts wo;
    ds_walk_opts_default(&wo);
    wo.stream.chunk = fuzz_chunk(data[1]);
    wo.max_depth = (unsigned)(data[2] & 7);
    static const uint64_t entries[4] = {100000, 1, 2, 16};
    wo.max_entries = entries[(data[2] >> 3) & 3];
    wo.max_bytes = 8u << 20; /* keep a fuzzed bomb cheap */
    ctx x = {size, fuzz_max_field(data[1] >> 4)};
    ds_walk_visitor v = {&x, on_input, on_skip, on_error};
    ds_error err;
    ds_error_clear(&err);
    const char *paths[1] = {path};
    if (data[0] & 8) {
        /* as stdin: the feed path nested archives also take */
        int in = open(path, O_RDONLY | O_CLOEXEC);
        if (in < 0)
            return 0;
        int saved = dup(0);
        dup2(in, 0);
        close(in);
        paths[0] = "-";
        ds_walk(paths, 1, &wo, &v, &err);
        dup2(saved, 0);
        close(saved);
    } else {
        ds_walk(paths, 1, &wo, &v, &err);
    }
    return 0;
}
