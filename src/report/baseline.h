/* report: baselines (SPEC §8): the findings a team has accepted, recorded by
 * keyed fingerprint (report/fingerprint.h), so that a later scan reports only
 * what is new. Neither values nor line numbers are stored, so a baseline stays
 * valid when records move and never discloses a value outright.
 *
 * File format (UTF-8 text, one entry a line, sorted, diff-friendly):
 *
 *   # comment lines start with '#'
 *   dsaudit-baseline 1
 *   salt <32 hex digits>
 *   <16 hex digits fingerprint> TAB <rule> TAB <file> TAB <field>
 *
 * Only the fingerprint is used for matching; rule, file and field are there
 * for people reviewing the file (control characters and backslashes in them
 * are written as \xHH and \\). Files are written 0600, atomically. */
#ifndef DS_REPORT_BASELINE_H
#define DS_REPORT_BASELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/status.h"
#include "detect/detect.h"
#include "input/source.h"
#include "report/fingerprint.h"

typedef struct ds_baseline ds_baseline;

/* An empty baseline with this salt, or a random one when salt is NULL
 * (returns NULL when no random bytes could be had). */
ds_baseline *ds_baseline_new(const uint8_t *salt);

/* Read a baseline file. DS_EIO when it cannot be read, DS_EFORMAT (where =
 * "path:line") when it is not a baseline. */
ds_status ds_baseline_load(const char *path, ds_baseline **out, ds_error *err);

/* The same from an open stream; path names it in messages. A line longer
 * than DS_BASELINE_MAX_LINE bytes is a format error (a baseline line is a
 * fingerprint and three labels), so memory stays bounded on any input. */
#define DS_BASELINE_MAX_LINE 65536u
ds_status ds_baseline_read(FILE *f, const char *path, ds_baseline **out, ds_error *err);

const uint8_t *ds_baseline_salt(const ds_baseline *b);
size_t ds_baseline_count(const ds_baseline *b);

/* 1 when fp is in the baseline. Safe from several threads as long as
 * nothing is added concurrently. */
int ds_baseline_has(const ds_baseline *b, uint64_t fp);

/* Record a fingerprint (duplicates are kept once). Thread-safe. */
void ds_baseline_add(ds_baseline *b, uint64_t fp, const char *rule, const char *file,
                     const char *field, size_t field_len);

/* Write b to path (0600, through a temporary file renamed into place). */
ds_status ds_baseline_write(const ds_baseline *b, const char *path, ds_error *err);

/* The scan side: for the findings of one record of `file`, record every one
 * in `record` (when not NULL) and copy to out[] those whose fingerprint is
 * not in `known` (when NULL, all of them). Both baselines must share a salt.
 * Returns the number copied; out must hold n findings. */
size_t ds_baseline_filter(const ds_baseline *known, ds_baseline *record, const char *file,
                          const ds_record *rec, const ds_finding *f, size_t n, ds_finding *out);

void ds_baseline_free(ds_baseline *b); /* NULL is a no-op */

#endif
