/* tests: helpers shared by the Criterion unit tests. */
#ifndef DS_TESTS_UTIL_H
#define DS_TESTS_UTIL_H

#include <stddef.h>

#include "common/buf.h"
#include "detect/detect.h"
#include "input/source.h"

/* Read data[0..len) as format fmt with stream chunks of `chunk` bytes (0 = no
 * cap) and source options o (NULL = defaults), and return a malloc'd text
 * dump, one line per record part or error:
 *
 *   #<index> L<line>[+] <name>=<value>|<name>=<value>...
 *   !<status> <where>: <msg>        (a DS_EFORMAT or fatal error)
 *
 * A windowed field prints as <name>@<value_off>/<own_len>=<value>. "+" marks
 * a record part with more to come. Control characters in names and values
 * are printed as \n, \r, \t, \0 or \xHH. Decoding (BOM, UTF-16) is on. */
char *dump_source(const void *data, size_t len, ds_format fmt, size_t chunk,
                  const ds_source_opts *o);

/* Same as dump_source, also returning the source stats of the run. */
char *dump_source_stats(const void *data, size_t len, ds_format fmt, size_t chunk,
                        const ds_source_opts *o, ds_source_stats *stats);

/* *o, or the defaults when o is NULL (a copy the test may change). */
ds_source_opts source_opts_or_default(const ds_source_opts *o);

/* The first count in which two reads' stats differ ("records", "lines"...),
 * or NULL when they all agree: runs of one input at other chunk sizes, or
 * with a fast path off, must give the same counts. */
const char *source_stats_differ(const ds_source_stats *a, const ds_source_stats *b);

/* Remove a test's temporary directory and the files in it (no subdirectories). */
void rm_flat_dir(const char *dir);

/* Read a whole small test file (fixtures); aborts the test on failure. */
char *read_file(const char *path, size_t *len);

/* Scan one field NAME=VALUE (value[0..len)) with d and append its findings
 * to out, one line each: NAME:RULE:START-END:CONFIDENCE, or with_value:
 * NAME=VALUE:RULE:START-END:CONFIDENCE. Returns ds_detector_scan's status. */
ds_status scan_field_into(ds_detector *d, const char *name, const char *value, size_t len,
                          int with_value, ds_buf *out);

/* The first line where two long texts differ, as "line N: 'A' / 'B'" (each
 * line cut to 200 bytes), or NULL when they are equal: for comparisons of
 * large dumps, whose whole text in a failure message Criterion cannot carry.
 * The message is in a static buffer. */
const char *first_line_diff(const char *a, const char *b);

#endif
