/* Fuzz target: the CSV reader (src/input/source_csv.c).
 * byte 0: read size and BOM decoding; byte 1: max_field, header mode,
 * delimiter; byte 2: max_columns; the rest is the file. */
#include <stdint.h>
#include <stddef.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    ds_source_opts o;
    ds_source_opts_default(&o);
    fuzz_csv_opts(&o, data[1]);
    static const size_t cols[4] = {100000, 1, 3, 64};
    o.max_columns = cols[data[2] & 3];
    fuzz_read_format(DS_FORMAT_CSV, (data[2] & 4) ? "fuzz.tsv" : "fuzz.csv", data + 3,
                     size - 3, &o, data[0]);
    return 0;
}
