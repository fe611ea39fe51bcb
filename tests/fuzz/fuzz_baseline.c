/* Fuzz target: the baseline reader (src/report/baseline.c, SPEC §8).
 * The input is a baseline file. Reading never crashes and keeps memory
 * bounded; whatever it accepts, written back out and read again, gives the
 * same salt and as many fingerprints. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/baseline.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK FUZZ_CHECK

/* Parse data as a baseline; NULL when it is refused (or empty). */
static ds_baseline *read_mem(const uint8_t *data, size_t size, ds_error *err)
{
    if (size == 0) /* fmemopen refuses size 0 */
        return NULL;
    char *copy = malloc(size); /* fmemopen takes a writable buffer */
    CHECK(copy != NULL);
    memcpy(copy, data, size);
    FILE *f = fmemopen(copy, size, "r");
    CHECK(f != NULL);
    ds_baseline *b = NULL;
    ds_status rc = ds_baseline_read(f, "fuzz.baseline", &b, err);
    fclose(f);
    free(copy);
    CHECK((rc == DS_OK) == (b != NULL));
    if (rc != DS_OK)
        CHECK(err->msg[0] != 0);
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 * 1024)
        return 0;
    ds_error err;
    ds_error_clear(&err);
    ds_baseline *b = read_mem(data, size, &err);
    if (!b)
        return 0;
    /* at most one entry per 17 input bytes (16 hex digits and a newline) */
    size_t n = ds_baseline_count(b);
    CHECK(n <= size / 17 + 1);
    /* round trip through the writer */
    char path[] = "/tmp/fuzz-baseline-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    ds_error_clear(&err);
    CHECK(ds_baseline_write(b, path, &err) == DS_OK);
    ds_baseline *again = NULL;
    ds_error_clear(&err);
    CHECK(ds_baseline_load(path, &again, &err) == DS_OK);
    unlink(path);
    CHECK(ds_baseline_count(again) == n);
    CHECK(memcmp(ds_baseline_salt(again), ds_baseline_salt(b), DS_SALT_LEN) == 0);
    ds_baseline_free(again);
    ds_baseline_free(b);
    return 0;
}
