/* Fuzz target: the JSON report reader of `dsaudit merge` (src/report/merge.c).
 * The input is one report. When it parses, it is merged with itself (twice,
 * as two shards would be, and alone), written out, and the output must parse
 * again and merge to the same bytes: reading never crashes, and whatever it
 * accepts round-trips. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/merge.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK FUZZ_CHECK

/* Merge n copies of text; the merged report's bytes, or NULL. */
static char *merge_copies(const char *text, size_t len, size_t n)
{
    ds_report_in *in[2] = {NULL, NULL};
    const char *names[2] = {"a.json", "b.json"};
    ds_error err;
    for (size_t i = 0; i < n; i++) {
        ds_error_clear(&err);
        if (ds_report_parse(text, len, &in[i], &err) != DS_OK) {
            CHECK(in[i] == NULL);
            for (size_t k = 0; k < i; k++)
                ds_report_in_free(in[k]);
            return NULL;
        }
    }
    ds_merged m;
    ds_error_clear(&err);
    ds_status st = ds_report_merge(in, names, n, NULL, &m, &err);
    for (size_t i = 0; i < n; i++)
        ds_report_in_free(in[i]);
    if (st != DS_OK)
        return NULL;
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    CHECK(f != NULL);
    CHECK(ds_report_json(&m.res, &m.ctx, f) == 0);
    fclose(f);
    ds_merged_free(&m);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const char *text = (const char *)data;
    char *two = merge_copies(text, size, 2); /* may be refused: same shard twice */
    free(two);
    char *once = merge_copies(text, size, 1);
    if (!once)
        return 0;
    /* what was accepted and written reads back, and merges to itself */
    char *again = merge_copies(once, strlen(once), 1);
    CHECK(again != NULL);
    CHECK(strcmp(once, again) == 0);
    free(again);
    free(once);
    return 0;
}
