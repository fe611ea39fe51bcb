/* Fuzz target: the text reader (src/input/source_text.c) and the stream's
 * BOM / UTF-16 decoding (src/input/stream.c).
 * byte 0: read size and BOM decoding; byte 1: max_field; the rest is the file. */
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
    fuzz_read_format(DS_FORMAT_TEXT, "fuzz.txt", data + 2, size - 2, &o, data[0]);
    return 0;
}
