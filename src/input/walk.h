/* input: walking what the user named, down to readable byte streams.
 *
 * ds_walk takes paths (files, directories, "-" for stdin) and calls the
 * visitor once per leaf input it can read, in a deterministic order:
 * arguments in the order given, directory entries sorted by name (bytewise),
 * archive members in archive order. Compressed files (gz, bz2, xz, zst, lz4)
 * and archives (tar, zip, 7z, cpio, ar) are read through libarchive, streamed,
 * never extracted; archives nest up to opts.max_depth. A member is named
 * "outer.tar.gz!dir/inner.zip!data.csv"; a compressed single file keeps its
 * own name ("data.csv.gz").
 *
 * Nothing is skipped silently: every input that is not handed to on_input is
 * reported through on_skip (with a reason: unsupported format, special file,
 * excluded, symlink loop...) or on_error (could not be read completely). */
#ifndef DS_INPUT_WALK_H
#define DS_INPUT_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "input/source.h"
#include "input/stream.h"

typedef struct ds_walk_opts {
    unsigned max_depth;     /* archive nesting; 0 = do not open archives. Default 4 */
    double max_ratio;       /* decompressed/compressed ratio guard. Default 1000 */
    uint64_t max_bytes;     /* decompressed bytes per top-level input; 0 = no limit */
    uint64_t max_entries;   /* members per archive; 0 = no limit. Default 100000 */
    int follow_symlinks;    /* 1: follow symlinks found inside directories */
    ds_stream_opts stream;  /* chunk knob and decoding for the leaf streams */
    const char *const *exclude; /* fnmatch(3) globs matched against the path and
                                   its basename; matching inputs are skipped */
    size_t nexclude;
    /* Read only the bytes [range_start, range_end) of a plain top-level file
     * (one record-aligned range of it, see input/split.h; -j and --shard).
     * When the file turns out not to be such a leaf, range 0 (range_start
     * 0) reads it whole and other ranges read nothing. */
    int ranged;
    uint64_t range_start, range_end;
} ds_walk_opts;

void ds_walk_opts_default(ds_walk_opts *o);

typedef struct ds_walk_visitor {
    void *ctx;
    /* A readable input. name: display path; fmt: sniffed format (never
     * UNKNOWN); st: positioned at the first byte, owned by the walker (do not
     * close it). Read what you need; the walker drains/skips the rest.
     * Return DS_OK to go on, DS_DONE to stop the whole walk. If reading st
     * fails, report it yourself: the walker does not report it again for this
     * input (it may still report a broken archive once). */
    ds_status (*on_input)(void *ctx, const char *name, ds_format fmt, ds_stream *st);
    /* An input left out, with the reason and its size in bytes when known. */
    void (*on_skip)(void *ctx, const char *name, const char *reason, uint64_t bytes);
    /* An input (file, archive, member) that could not be read completely. */
    void (*on_error)(void *ctx, const ds_error *err);
} ds_walk_visitor;

/* Walk paths[0..n). Returns DS_OK (even when some inputs failed: they were
 * reported), DS_DONE if the visitor stopped the walk, or DS_EINVAL/DS_ENOMEM
 * for a failure of the walk itself. */
ds_status ds_walk(const char *const *paths, size_t n, const ds_walk_opts *opts,
                  const ds_walk_visitor *v, ds_error *err);

/* Called by ds_walk_expand for each top-level input, in walk order. */
typedef ds_status (*ds_walk_unit_fn)(void *ctx, const char *path);

/* Expand paths into the ordered top-level inputs ("units") ds_walk would
 * read, without opening any of them: directories are listed recursively
 * (sorted), excluded entries, special files, unfollowed symlinks and loops
 * go to v->on_skip, unreadable directories to v->on_error, and every other
 * path (regular file, "-", a symlink named on the command line or followed)
 * goes to on_unit(v->ctx, path). ds_walk on one unit then yields exactly
 * what ds_walk on the original paths yields for it, so units can be spread
 * over threads and their results put back in this order. on_unit returning
 * DS_DONE stops the expansion (returned). */
ds_status ds_walk_expand(const char *const *paths, size_t n, const ds_walk_opts *opts,
                         const ds_walk_visitor *v, ds_walk_unit_fn on_unit, ds_error *err);

/* For splitting a file into ranges: the format ds_walk would read the
 * regular file `path` as, when it is a plain leaf (not a compressed file or
 * an archive, not UTF-16), else DS_FORMAT_UNKNOWN. *size gets its size.
 * Nothing is reported: ds_walk reports whatever is wrong later. */
ds_format ds_walk_probe_leaf(const char *path, const ds_walk_opts *opts, uint64_t *size);

/* Format of a leaf input from its name (extension, after stripping a
 * compression suffix) and its first bytes. Returns DS_FORMAT_UNKNOWN and a
 * static reason for inputs dsaudit does not read (binary, images, Parquet). */
ds_format ds_sniff_format(const char *name, const unsigned char *head, size_t n,
                          const char **reason);

#endif
