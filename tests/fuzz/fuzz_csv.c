/* Fuzz target: the CSV reader (src/input/source_csv.c).
 * byte 0: read size and BOM decoding; byte 1: max_field, header mode,
 * delimiter; byte 2: max_columns; the rest is the file.
 *
 * Each input is read twice, with the reader's own plain-row path and with
 * every line through libcsv (ds_source_opts.csv_no_fast): the records,
 * errors and counts must be the same. */
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
    const char *name = (data[2] & 4) ? "fuzz.tsv" : "fuzz.csv";
    fuzz_read_format(DS_FORMAT_CSV, name, data + 3, size - 3, &o, data[0]);
    /* the plain-row path against libcsv alone */
    FUZZ_SAME_BOTH_WAYS(DS_FORMAT_CSV, name, data + 3, size - 3, &o, data[0], csv_no_fast);
    return 0;
}
