/* input: cutting one plain file into byte ranges aligned on records, and
 * deterministic per-record sampling.
 *
 * Ranges. A JSONL or text file holds one record per physical line, so a
 * record starts at offset 0 or just after a '\n'. A range [start, end) owns
 * the records that start inside it; both ends are record starts (or the file
 * size), so every range holds whole lines and the ranges of a file tile it
 * exactly. ds_split_align moves an arbitrary offset forward to the next
 * record start: 0 stays 0; any other offset o becomes one past the first
 * '\n' at or after o - 1 (so an offset that already is a record start stays
 * put), or the file size when no newline follows. Ranges may be empty (a
 * line longer than a range). CRLF needs nothing special: the '\r' belongs to
 * the line it ends.
 *
 * A reader started at a range start numbers its lines and records from the
 * start of the range; ds_split_count gives what came before (lines and
 * records of [0, start)), which the caller passes as ds_source_opts
 * line_base / record_base so that numbers are those of a whole-file read.
 *
 * Sampling (--sample RATE --seed S): a record is kept when a 64-bit hash of
 * (seed, file name, record index) falls below RATE * 2^64: the same records
 * are kept whatever -j, --shard or the read chunk size. */
#ifndef DS_INPUT_SPLIT_H
#define DS_INPUT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "input/source.h"

typedef struct ds_range {
    uint64_t start, end;
} ds_range;

/* The first record start at or after off in the first `size` bytes of fd
 * (read with pread; the file offset is not used). */
ds_status ds_split_align(int fd, uint64_t size, uint64_t off, uint64_t *out, ds_error *err);

/* Cut [0, size) into n >= 1 ranges: range k is [align(k*size/n),
 * align((k+1)*size/n)), the last one ending at size. */
ds_status ds_split_ranges(int fd, uint64_t size, size_t n, ds_range *out, ds_error *err);

/* Physical lines ('\n' count) and records of [start, end), which must begin
 * at a record start and end at one (or at the end of the file). Records:
 * text, one per line (blank ones included: the text reader numbers records by
 * line); JSONL, one per line holding a byte other than space, TAB or CR (the
 * JSONL reader numbers non-blank lines, malformed ones included). */
ds_status ds_split_count(int fd, uint64_t start, uint64_t end, ds_format fmt, uint64_t *lines,
                         uint64_t *records, ds_error *err);

/* Lines and records of a buffer that starts at a record start and ends just
 * after a '\n' or at the end of the input, counted as ds_split_count does
 * (JSONL or text). */
void ds_split_count_mem(const unsigned char *p, size_t n, ds_format fmt, uint64_t *lines,
                        uint64_t *records);

/* Formats a file of which can be cut in ranges: JSONL and text (records
 * are lines) and CSV (ds_split_csv). */
int ds_split_format_ok(ds_format fmt);

/* ---- CSV ------------------------------------------------------------------- *
 *
 * A quoted CSV field may hold newlines, so whether a '\n' ends a record
 * depends on every quote before it: ds_split_csv reads [0, last range start]
 * once, 16 bytes at a time, following the quotes as libcsv does, and cuts after a
 * newline outside quotes. It also counts, for each range start, the physical
 * lines ('\n') and records (data rows: blank lines are no row, and with
 * `header` the first row is none) before it, so that no reader has to count.
 *
 * It follows only plain CSV (RFC 4180 and libcsv agree on it): a quote opens
 * a field right after a delimiter or at the start of a line, and a closing
 * quote is followed by another quote (an escaped one), a delimiter, CR, LF or
 * the end. Anything else, where libcsv's lenient rules would have to be
 * mirrored exactly (a quote inside an unquoted field, text after a closing
 * quote, a lone CR ending a row, a line starting with a blank), makes *ok 0:
 * the file is read whole, as by one worker. A file that ends inside quotes
 * still cuts: the open field is in the last range, whose reader reports it.
 * from must be a record start (0, or a range start of an earlier cut). A
 * range that would start after blank lines but before the header row starts
 * the file instead (the ranges before it are empty). */
ds_status ds_split_csv(int fd, uint64_t from, uint64_t to, size_t n, int delim, int header,
                       ds_range *out, uint64_t *lines, uint64_t *records, int *ok, ds_error *err);

/* The same rules on a buffer, for a stream cut in blocks as it is read: p
 * starts at a record start (outside quotes). The cut is the last record
 * start in (0, limit], or failing one the first after limit. Returns 1 with
 * *cut and the physical lines and libcsv rows (header included) of
 * [0, *cut); 0 when p holds no record start yet (more bytes are needed; at
 * the end of the input, p is the last block); -1 when something not plain
 * comes first: the rest cannot be cut. */
int ds_split_csv_buf(const unsigned char *p, size_t n, int delim, size_t limit, size_t *cut,
                     uint64_t *lines, uint64_t *rows);

/* Tests: the size of the reads of ds_split_csv (0: the default, 1 MiB). */
void ds_split_set_block(size_t n);

/* ---- sampling --------------------------------------------------------------- */

/* Threshold for a rate in [0, 1]: keep when hash < threshold; rate >= 1 keeps
 * everything (returns UINT64_MAX and ds_sample_keep then always says yes). */
uint64_t ds_sample_threshold(double rate);

/* Hash of a file name, computed once per file. */
uint64_t ds_sample_name_hash(const char *name);

/* 1 when the record `index` of the file whose name hash is name_hash is in
 * the sample. */
int ds_sample_keep(uint64_t seed, uint64_t name_hash, uint64_t index, uint64_t threshold);

#endif
