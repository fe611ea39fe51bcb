/* Fuzz target: the JSON and JSONL reader (src/input/source_json.c).
 * byte 0: read size and BOM decoding; byte 1: max_field (bits 0-2), JSONL
 * (bit 3), nesting limit (bits 4-5); the rest is the file.
 *
 * JSONL inputs are read a second and a third time, with the reader's own
 * plain-line path and with every line through yajl
 * (ds_source_opts.json_no_fast): records, errors and counts must match. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "common/buf.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything a read gives, in one string. */
static void read_all(const uint8_t *data, size_t size, const ds_source_opts *o, uint8_t sel,
                     ds_buf *out)
{
    ds_stream_opts so = {fuzz_chunk(sel), (sel & 0x10) == 0};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    if (ds_stream_open_mem(data, size, "fuzz.jsonl", &so, &st, &err) != DS_OK)
        return;
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, DS_FORMAT_JSONL, o, &src, &err);
    ds_buf_printf(out, "open %d %s\n", (int)rc, rc == DS_OK ? "" : err.msg);
    size_t calls = 0, bound = 8 * size + 1000;
    while (rc == DS_OK) {
        const ds_record *rec = NULL;
        ds_error_clear(&err);
        ds_status r = ds_source_next(src, &rec, &err);
        FUZZ_CHECK(++calls <= bound);
        if (r == DS_DONE)
            break;
        if (r != DS_OK) {
            ds_buf_printf(out, "error %d %s\n", (int)r, err.msg);
            if (r == DS_EFORMAT)
                continue;
            break;
        }
        ds_buf_printf(out, "record %llu line %llu more %d fields %zu\n",
                      (unsigned long long)rec->index, (unsigned long long)rec->line, rec->more,
                      rec->nfields);
        for (size_t i = 0; i < rec->nfields; i++) {
            const ds_field *f = &rec->fields[i];
            ds_buf_printf(out, " %zu:", f->name_len);
            ds_buf_append(out, f->name, f->name_len);
            ds_buf_printf(out, " %zu@%llu/%zu:", f->value_len, (unsigned long long)f->value_off,
                          f->own_len);
            ds_buf_append(out, f->value, f->value_len);
            ds_buf_putc(out, '\n');
        }
    }
    if (src) {
        const ds_source_stats *s = ds_source_stats_get(src);
        ds_buf_printf(out, "stats %llu %llu %llu %llu %llu\n", (unsigned long long)s->records,
                      (unsigned long long)s->malformed, (unsigned long long)s->invalid_utf8,
                      (unsigned long long)s->windowed, (unsigned long long)s->lines);
        ds_source_close(src);
    }
    ds_stream_close(st);
}

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
    if (jsonl) {
        ds_buf fast = {0}, slow = {0};
        read_all(data + 2, size - 2, &o, data[0], &fast);
        o.json_no_fast = 1;
        read_all(data + 2, size - 2, &o, data[0], &slow);
        FUZZ_CHECK(fast.len == slow.len && memcmp(fast.data, slow.data, fast.len) == 0);
        ds_buf_free(&fast);
        ds_buf_free(&slow);
    }
    return 0;
}
