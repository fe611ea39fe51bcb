/* Fuzz target: the JSON and JSONL reader (src/input/source_json.c).
 * byte 0: read size and BOM decoding; byte 1: max_field, JSON or JSONL,
 * max_json_depth; the rest is the file. */
#include <stdint.h>
#include <stddef.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    ds_source_opts o;
    ds_source_opts_default(&o);
    o.max_field = fuzz_max_field(data[1]);
    static const unsigned depths[4] = {512, 1, 4, 64};
    o.max_json_depth = depths[(data[1] >> 4) & 3];
    int jsonl = (data[1] >> 3) & 1;
    fuzz_read_format(jsonl ? DS_FORMAT_JSONL : DS_FORMAT_JSON, jsonl ? "fuzz.jsonl" : "fuzz.json",
                     data + 2, size - 2, &o, data[0]);
    return 0;
}
