/* Fuzz target: the CSV reader (src/input/source_csv.c).
 * byte 0: read size and BOM decoding; byte 1: max_field, header mode,
 * delimiter; byte 2: max_columns; the rest is the file.
 *
 * Each input is read twice, with the reader's own plain-row path and with
 * every line through libcsv (ds_source_opts.csv_no_fast): the records,
 * errors and counts must be the same. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "common/buf.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything a read gives, in one string: records (number, line, part flag,
 * fields with names, values, offsets), errors, the source's counts. */
static void read_all(const char *name, const uint8_t *data, size_t size,
                     const ds_source_opts *o, uint8_t sel, ds_buf *out)
{
    ds_stream_opts so = {fuzz_chunk(sel), (sel & 0x10) == 0};
    ds_stream *st = NULL;
    ds_error err;
    ds_error_clear(&err);
    if (ds_stream_open_mem(data, size, name, &so, &st, &err) != DS_OK)
        return;
    ds_source *src = NULL;
    ds_status rc = ds_source_open(st, DS_FORMAT_CSV, o, &src, &err);
    ds_buf_printf(out, "open %d %s\n", (int)rc, rc == DS_OK ? "" : err.msg);
    size_t maxf = o->max_field < 64 ? 64 : o->max_field;
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
            FUZZ_CHECK(f->value_len <= maxf);
            FUZZ_CHECK(f->own_len <= f->value_len);
            FUZZ_CHECK(ds_utf8_is_valid(f->value, f->value_len));
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
        ds_buf_printf(out, "stats %llu %llu %llu %llu %llu %llu %d %d\n",
                      (unsigned long long)s->records, (unsigned long long)s->malformed,
                      (unsigned long long)s->ragged, (unsigned long long)s->invalid_utf8,
                      (unsigned long long)s->windowed, (unsigned long long)s->lines, s->csv_delim,
                      s->csv_header);
        ds_source_close(src);
    }
    ds_stream_close(st);
}

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
    ds_buf fast = {0}, slow = {0};
    read_all(name, data + 3, size - 3, &o, data[0], &fast);
    o.csv_no_fast = 1;
    read_all(name, data + 3, size - 3, &o, data[0], &slow);
    FUZZ_CHECK(fast.len == slow.len && memcmp(fast.data, slow.data, fast.len) == 0);
    ds_buf_free(&fast);
    ds_buf_free(&slow);
    return 0;
}
