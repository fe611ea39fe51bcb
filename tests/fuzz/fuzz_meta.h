/* tests/fuzz: the body shared by the metadata reader targets
 * (fuzz_meta_*.c): the input is one metadata file, named so that
 * ds_meta_read_buffer picks the reader under test; whatever it reads is
 * merged into the canonical model and its free-text fields mined. Reading
 * never crashes, and a refusal is a format error with a message. */
#ifndef DS_FUZZ_META_H
#define DS_FUZZ_META_H

#include <stddef.h>
#include <stdint.h>

#include "checks/meta_model.h"
#include "fuzz_util.h"

static inline int fuzz_meta_read(const uint8_t *data, size_t size, const char *name)
{
    if (size > DS_META_MAX_BYTES)
        return 0;
    ds_meta m, merged;
    ds_meta_init(&m);
    ds_meta_init(&merged);
    ds_error err;
    ds_error_clear(&err);
    ds_status rc = ds_meta_read_buffer((const char *)data, size, name, &m, &err);
    FUZZ_CHECK(rc == DS_OK || rc == DS_EFORMAT);
    FUZZ_CHECK(rc == DS_OK || err.msg[0] != 0);
    ds_meta_merge(&merged, &m);
    ds_meta_derive_from_text(&merged);
    ds_meta_clear(&m);
    ds_meta_clear(&merged);
    return 0;
}

#endif
