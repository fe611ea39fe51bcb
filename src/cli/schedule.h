/* cli: reading one plain file with several workers (-j) or several machines
 * (--shard), in record-aligned byte ranges (input/split.h).
 *
 * Each range is a unit of its own in scan.c's ordered pool. Its reader must
 * number lines and records as a whole-file read would, so it needs the lines
 * and records before the range. They are counted at memchr speed, shared out
 * so that no worker counts more than one range: the reader of range 0 counts
 * the prefix before it (non-empty only for a shard), the reader of range k
 * counts range k - 1, then waits for the counts of everything before its own
 * range. Units are taken in order, so every count waited for is already being
 * made: no deadlock whatever the number of workers.
 *
 * A CSV file is cut and counted at once, when it is split (ds_split_csv),
 * and its ranges' readers share the dialect read from its first rows.
 *
 * At emission, the results of ranges 1.. are folded into the file result of
 * range 0 (ds_sched_merge_file), so the report holds one entry per file. */
#ifndef DS_CLI_SCHEDULE_H
#define DS_CLI_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "input/source.h"
#include "input/split.h"
#include "report/report.h"

typedef struct ds_split_file ds_split_file;

/* Cut [from, to) of the file `path` (format fmt) into n ranges; from must be
 * a record start. CSV needs the file's dialect (ds_csv_dialect_read), which
 * the split file takes over (csv is emptied, whatever the outcome), and is
 * cut by one quote-aware read of [0, to) that also counts for every range
 * (ds_split_csv). Returns NULL when the file cannot be read (err filled) or,
 * CSV, cannot be cut safely: it is then read whole. */
ds_split_file *ds_split_file_new(const char *path, ds_format fmt, uint64_t from, uint64_t to,
                                 size_t n, ds_csv_dialect *csv, ds_error *err);

/* CSV: the dialect every range's reader uses (ds_source_opts.csv_preset);
 * NULL for the other formats. */
const ds_csv_dialect *ds_split_file_csv(const ds_split_file *sf);

size_t ds_split_file_n(const ds_split_file *sf);
ds_range ds_split_file_range(const ds_split_file *sf, size_t k);

/* Another holder (one per range unit); ds_split_file_unref frees at 0. */
void ds_split_file_ref(ds_split_file *sf);
void ds_split_file_unref(ds_split_file *sf);

/* For the reader of range k: do its share of the counting, wait for the
 * rest, and give the lines and records before range k. */
ds_status ds_split_file_bases(ds_split_file *sf, size_t k, uint64_t *line_base,
                              uint64_t *record_base, ds_error *err);

/* Fold src (a later range of the same file) into dst; src is emptied (its
 * strings and aggregate freed or moved). */
void ds_sched_merge_file(ds_file_result *dst, ds_file_result *src);

/* --shard for a folder: 1 when the i-th item (0-based) of the expansion goes
 * to shard k of n. */
int ds_shard_owns(uint64_t i, unsigned k, unsigned n);

#endif
