/* input: format-independent front of the record readers. */
#include "input/source.h"

#include <stdlib.h>

#include "common/mem.h"
#include "input/source_impl.h"

const char *ds_format_name(ds_format fmt)
{
    switch (fmt) {
    case DS_FORMAT_CSV: return "csv";
    case DS_FORMAT_JSONL: return "jsonl";
    case DS_FORMAT_JSON: return "json";
    case DS_FORMAT_TEXT: return "text";
    case DS_FORMAT_UNKNOWN: break;
    }
    return "unknown";
}

void ds_source_opts_default(ds_source_opts *o)
{
    o->max_field = 1u << 20;
    o->window_overlap = 1024;
    o->max_json_depth = 512;
    o->max_columns = 100000;
    o->csv_delim = 0;
    o->csv_header = -1;
    o->line_base = 0;
    o->record_base = 0;
    o->csv_preset = NULL;
    o->csv_no_fast = 0;
    o->json_no_fast = 0;
}

ds_status ds_source_open(ds_stream *st, ds_format fmt, const ds_source_opts *opts,
                         ds_source **out, ds_error *err)
{
    const ds_source_ops *ops = NULL;
    switch (fmt) {
    case DS_FORMAT_CSV: ops = &ds_source_csv_ops; break;
    case DS_FORMAT_JSON:
    case DS_FORMAT_JSONL: ops = &ds_source_json_ops; break;
    case DS_FORMAT_TEXT: ops = &ds_source_text_ops; break;
    case DS_FORMAT_UNKNOWN: break;
    }
    if (!ops)
        return ds_error_set(err, DS_EUNSUPPORTED, ds_stream_name(st), "no reader for this format");
    ds_source *src = ds_xcalloc(1, sizeof *src);
    src->ops = ops;
    src->st = st;
    src->fmt = fmt;
    if (opts)
        src->opts = *opts;
    else
        ds_source_opts_default(&src->opts);
    /* keep the window arithmetic sane whatever the caller asked for */
    if (src->opts.max_field < 64)
        src->opts.max_field = 64;
    if (src->opts.window_overlap >= src->opts.max_field / 2)
        src->opts.window_overlap = src->opts.max_field / 4;
    if (src->opts.max_json_depth == 0)
        src->opts.max_json_depth = 512;
    if (src->opts.max_columns == 0)
        src->opts.max_columns = 100000;
    ds_status rc = ops->open(src, err);
    if (rc != DS_OK) {
        if (ops->close)
            ops->close(src);
        free(src);
        return rc;
    }
    *out = src;
    return DS_OK;
}

ds_status ds_source_next(ds_source *src, const ds_record **rec, ds_error *err)
{
    ds_status rc = src->ops->next(src, rec, err);
    if (rc == DS_OK && !(*rec)->more)
        src->stats.records++;
    else if (rc == DS_EFORMAT)
        src->stats.malformed++;
    return rc;
}

const ds_source_stats *ds_source_stats_get(const ds_source *src)
{
    return &src->stats;
}

void ds_source_close(ds_source *src)
{
    if (!src)
        return;
    if (src->ops->close)
        src->ops->close(src);
    free(src);
}
