/* input: text reader (placeholder until the real reader lands). */
#include "input/source_impl.h"

static ds_status open_(ds_source *src, ds_error *err)
{
    return ds_error_set(err, DS_EUNSUPPORTED, ds_stream_name(src->st), "not implemented");
}

const ds_source_ops ds_source_text_ops = {"text", open_, 0, 0};
