/* Fuzz target: the dsaudit sidecar reader (.dsaudit.yml, through ds_meta_read_buffer,
 * which picks the reader by file name and content), then the merge into the
 * canonical model. The whole input is the file (fuzz_meta.h). */
#include "fuzz_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_meta_read(data, size, "fuzz/.dsaudit.yml");
}
