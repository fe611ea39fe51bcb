/* Fuzz target: the metadata reader for datapackage.json (src/checks/meta_*.c, through
 * ds_meta_read_buffer, which picks the reader by file name and content),
 * then the merge into the canonical model. The whole input is the file. */
#include <stddef.h>
#include <stdint.h>

#include "checks/meta_model.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > DS_META_MAX_BYTES)
        return 0;
    ds_meta m, merged;
    ds_meta_init(&m);
    ds_meta_init(&merged);
    ds_error err;
    ds_error_clear(&err);
    ds_status rc = ds_meta_read_buffer((const char *)data, size, "fuzz/datapackage.json", &m, &err);
    FUZZ_CHECK(rc == DS_OK || rc == DS_EFORMAT);
    FUZZ_CHECK(rc == DS_OK || err.msg[0] != 0);
    ds_meta_merge(&merged, &m);
    ds_meta_derive_from_text(&merged);
    ds_meta_clear(&m);
    ds_meta_clear(&merged);
    return 0;
}
