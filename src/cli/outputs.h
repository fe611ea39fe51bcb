/* cli: the reports one run writes: the one on stdout (--format) and every
 * -o FMT:PATH, fed from one pass.
 *
 * Files are written safely: each report goes to a new temporary file next to
 * PATH, created by mkstemp (O_CREAT|O_EXCL, mode 0600, so never through a
 * symlink or into an existing file), then renamed over PATH once complete:
 * a symlink planted at PATH is replaced, never followed, and readers never
 * see a half-written report. PATH "-" is stdout. */
#ifndef DS_CLI_OUTPUTS_H
#define DS_CLI_OUTPUTS_H

#include <stddef.h>

#include "cli/options.h"
#include "common/buf.h"
#include "report/writers.h"

typedef struct ds_outputs ds_outputs;

/* stdout_fmt: the --format writer name (NULL: none); specs: "FMT:PATH"
 * strings (already checked by the option parser). Opens the streamed
 * (jsonl) files now. NULL after printing an error. */
ds_outputs *ds_outputs_open(const char *stdout_fmt, const ds_strlist *specs,
                            uint64_t max_findings);

/* 1 when findings must be serialised while scanning (spool lines, below). */
int ds_outputs_want_lines(const ds_outputs *o);
/* 1 when nothing more will be taken from the lines (no streamed output and
 * the spool is full): the scan may stop serialising findings. */
int ds_outputs_lines_done(const ds_outputs *o);
/* The lines one unit needs to make at most: its lines after the first
 * max_findings can never be among the first max_findings of the report,
 * when no output streams them all. UINT64_MAX: no such bound. */
uint64_t ds_outputs_unit_line_cap(const ds_outputs *o);

/* Hand over whole spool-format lines ("HASH\tJSON\n"...) in report order:
 * streamed to the jsonl outputs, and the first max_findings kept in the
 * findings spool. */
void ds_outputs_lines(ds_outputs *o, const char *data, size_t len);

/* The findings spool (NULL when no writer lists findings); its count. */
ds_findings_spool *ds_outputs_spool(ds_outputs *o);

/* Replace the spool (merge builds its own); takes ownership. The jsonl
 * outputs are then written from it by ds_outputs_finish. */
void ds_outputs_set_spool(ds_outputs *o, ds_findings_spool *s);

/* Write every report from the finished result and move the files into
 * place. ctx->findings is set here. Returns 0, or -1 after printing an
 * error (a report could not be written). */
int ds_outputs_finish(ds_outputs *o, const ds_scan_result *r, ds_report_ctx *ctx);

void ds_outputs_free(ds_outputs *o); /* removes unfinished temporary files */

/* run.settings of the JSON report: the options that change what a scan
 * finds or reports, as one JSON object with keys in a fixed order. Values
 * are strings, integers, booleans or lists of strings (non-integer numbers
 * are written as strings so that `merge` can reproduce them exactly).
 * Options that do not change the result (-j, --progress, --read-size,
 * --format, -o, --shard, --timestamps, paths) are left out, so shards of one
 * run have equal settings. */
void ds_scan_settings_json(const ds_scan_opts *o, ds_buf *out);

/* Now as "YYYY-MM-DDTHH:MM:SSZ" (buf holds 32 bytes). */
void ds_iso_time(char *buf);

#endif
