/* input: what a format reader implements (internal to src/input). */
#ifndef DS_INPUT_SOURCE_IMPL_H
#define DS_INPUT_SOURCE_IMPL_H

#include "input/source.h"

struct ds_source;

typedef struct ds_source_ops {
    const char *name;
    /* Set up src->impl; may peek at the stream (e.g. CSV dialect sniffing). */
    ds_status (*open)(struct ds_source *src, ds_error *err);
    ds_status (*next)(struct ds_source *src, const ds_record **rec, ds_error *err);
    void (*close)(struct ds_source *src); /* free src->impl */
} ds_source_ops;

struct ds_source {
    const ds_source_ops *ops;
    ds_stream *st;
    ds_format fmt;
    ds_source_opts opts;
    ds_source_stats stats;
    void *impl;
};

extern const ds_source_ops ds_source_csv_ops;
extern const ds_source_ops ds_source_json_ops; /* JSON and JSONL (src->fmt tells) */
extern const ds_source_ops ds_source_text_ops;

#endif
