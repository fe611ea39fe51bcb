/* input: ds_stream, a pull reader of bytes.
 *
 * Every reader (CSV, JSON, text) pulls its bytes through a ds_stream, whatever
 * the bytes come from: a file descriptor, memory (tests), or a libarchive
 * entry (compressed files and archive members, nested). A stream hands out
 * borrowed chunks; it never holds a whole file.
 *
 * With opts.decode set, the stream looks at the first bytes once: a UTF-8 BOM
 * is dropped, a UTF-16 LE/BE BOM switches on transcoding to UTF-8, so readers
 * only ever see UTF-8 (or legacy 8-bit bytes, which they repair per value).
 *
 * opts.chunk caps the size of each chunk: tests set it to 1 and 7 to make
 * every reader cross chunk boundaries everywhere (yara's block-size knob). */
#ifndef DS_INPUT_STREAM_H
#define DS_INPUT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

typedef struct ds_stream ds_stream;

/* Producer behind a stream: set data and len to the next chunk (borrowed until
 * the next call) and return DS_OK; DS_DONE at the end; any error status with
 * err filled when the bytes cannot be read (the stream then stays failed). A
 * zero-length DS_OK chunk is allowed and skipped. */
typedef ds_status (*ds_stream_read_fn)(void *ctx, const unsigned char **data, size_t *len,
                                       ds_error *err);
typedef void (*ds_stream_close_fn)(void *ctx);

typedef struct ds_stream_opts {
    size_t chunk; /* largest chunk returned by ds_stream_next; 0 = no cap */
    int decode;   /* 1: handle BOMs and UTF-16 as described above */
} ds_stream_opts;

/* Open a stream over fd. The stream reads with read(2) into its own buffer and
 * closes fd in ds_stream_close when own_fd is set. `name` is copied and used
 * in error messages. */
ds_status ds_stream_open_fd(int fd, int own_fd, const char *name, const ds_stream_opts *opts,
                            ds_stream **out, ds_error *err);

/* Open a stream over the bytes [off, off + len) of fd, read with pread(2)
 * (the file offset is neither used nor moved). Otherwise as ds_stream_open_fd;
 * a range that does not start at 0 should be opened without opts->decode
 * (a BOM only means something at the start of a file). */
ds_status ds_stream_open_fd_range(int fd, int own_fd, uint64_t off, uint64_t len,
                                  const char *name, const ds_stream_opts *opts, ds_stream **out,
                                  ds_error *err);

/* Open a stream over memory (not copied: must outlive the stream). */
ds_status ds_stream_open_mem(const void *data, size_t len, const char *name,
                             const ds_stream_opts *opts, ds_stream **out, ds_error *err);

/* Open a stream over a producer function; close_fn (may be NULL) is called
 * with ctx by ds_stream_close. */
ds_status ds_stream_open_fn(ds_stream_read_fn read_fn, ds_stream_close_fn close_fn, void *ctx,
                            const char *name, const ds_stream_opts *opts, ds_stream **out,
                            ds_error *err);

/* Next chunk of (decoded) bytes: DS_OK with *len >= 1, DS_DONE at the end,
 * or an error (err names the stream). The chunk is valid until the next call
 * to ds_stream_next/ds_stream_peek or ds_stream_close. */
ds_status ds_stream_next(ds_stream *s, const unsigned char **data, size_t *len, ds_error *err);

/* Look at up to `want` upcoming bytes without consuming them. *len < want
 * only at the end of the stream. Valid until the next call on the stream.
 * Used by format sniffing; `want` should stay small (a few KiB). */
ds_status ds_stream_peek(ds_stream *s, size_t want, const unsigned char **data, size_t *len,
                         ds_error *err);

const char *ds_stream_name(const ds_stream *s);

/* 1 when s reads a file descriptor (ds_stream_open_fd*): a plain file, which
 * can be cut in byte ranges; 0 for memory and producer streams (archive
 * members, decompressed data, stdin). */
int ds_stream_is_file(const ds_stream *s);

/* Decoded bytes handed out so far. */
uint64_t ds_stream_offset(const ds_stream *s);

/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be" (known after the first read
 * with opts.decode; "utf-8" before or without it). */
const char *ds_stream_encoding(const ds_stream *s);

/* Close; NULL is a no-op. */
void ds_stream_close(ds_stream *s);

#endif
