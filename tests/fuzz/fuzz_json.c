/* Fuzz target: the JSON and JSONL reader (src/input/source_json.c).
 * byte 0: read size and BOM decoding; byte 1: max_field (bits 0-2), JSONL
 * (bit 3), nesting limit (bits 4-5); the rest is the file.
 *
 * JSONL inputs are read a second and a third time, with the reader's own
 * plain-line path and with every line through yajl
 * (ds_source_opts.json_no_fast): records, errors and counts must match. */
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
    if (jsonl)
        FUZZ_SAME_BOTH_WAYS(DS_FORMAT_JSONL, "fuzz.jsonl", data + 2, size - 2, &o, data[0],
                            json_no_fast);
    return 0;
}
