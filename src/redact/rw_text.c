/* redact: text rewriting, line for line. Each line (without its line
 * ending, which is written back as read: LF, CRLF or none at the end) is a
 * record of one field named "text". A drop removes the span only, so the
 * line count never changes; `field:text=drop` empties every line. */
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "redact/redact_impl.h"

static ds_status do_line(ds_redactor *r, rout *o, ds_redact_file_stats *fs, ds_buf *line,
                         ds_buf *fixed, ds_buf *val, ds_raction fa, int nl, ds_error *err)
{
    size_t n = line->len;
    const char *eol = "";
    if (nl) {
        eol = "\n";
        if (n && line->data[n - 1] == '\r') {
            n--;
            eol = "\r\n";
        }
    }
    const char *s = line->data ? line->data : "";
    const char *v = s;
    size_t vn = n;
    int repaired = 0;
    if (!ds_utf8_is_valid(s, n)) {
        fixed->len = 0;
        ds_utf8_repair(s, n, fixed);
        v = fixed->data;
        vn = fixed->len;
        repaired = 1;
        fs->invalid_utf8++;
    }
    ds_field f = {"text", 4, v, vn, 0, vn};
    ds_record rec = {fs->records + 1, fs->records + 1, &f, 1, 0};
    ds_status rc = rd_detect(r, &rec, err);
    if (rc != DS_OK && rc != DS_DONE)
        return rc;
    fs->records++;
    int res = rd_rewrite(r, 0, "text", 4, fa, v, vn, 1, val);
    if (res == RW_SAME) {
        rc = rout_put(o, s, n, err);
    } else if (res == RW_CHANGED) {
        if (repaired) {
            r->tmp2.len = 0;
            rd_to_cp1252(val->data ? val->data : "", val->len, &r->tmp2);
            rc = rout_put(o, r->tmp2.data ? r->tmp2.data : "", r->tmp2.len, err);
        } else {
            rc = rout_put(o, val->data ? val->data : "", val->len, err);
        }
    }
    if (rc == DS_OK)
        rc = rout_put(o, eol, strlen(eol), err);
    return rc;
}

ds_status rd_text(ds_redactor *r, ds_stream *st, rout *o, ds_redact_file_stats *fs, ds_error *err)
{
    const char *name = ds_stream_name(st);
    ds_buf line = {0}, fixed = {0}, val = {0};
    ds_raction fa = ds_rpolicy_for_field(r->pol, "text", 4);
    ds_status rc;
    for (;;) {
        const unsigned char *d;
        size_t n;
        rc = ds_stream_next(st, &d, &n, err);
        if (rc == DS_DONE) {
            rc = DS_OK;
            if (line.len)
                rc = do_line(r, o, fs, &line, &fixed, &val, fa, 0, err);
            break;
        }
        if (rc != DS_OK)
            break;
        while (n && rc == DS_OK) {
            const unsigned char *nl = memchr(d, '\n', n);
            size_t take = nl ? (size_t)(nl - d) : n;
            ds_buf_append(&line, d, take);
            if (line.len > r->max_field + 1) {
                rc = rd_error(err, DS_ELIMIT, name, fs->records + 1,
                              "a line is longer than --max-field (%zu bytes; raise --max-field)",
                              r->max_field);
                break;
            }
            if (!nl)
                break;
            rc = do_line(r, o, fs, &line, &fixed, &val, fa, 1, err);
            line.len = 0;
            d += take + 1;
            n -= take + 1;
        }
        if (rc != DS_OK)
            break;
    }
    ds_buf_free(&line);
    ds_buf_free(&fixed);
    ds_buf_free(&val);
    if (rc != DS_OK && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", name);
    return rc;
}
