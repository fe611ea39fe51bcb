/* report: one finding as a JSON line (see findings.h). */
#include "report/findings.h"

#include "report/json_out.h"
#include "report/mask.h"

void ds_finding_jsonl(ds_buf *b, const char *file, const ds_record *rec, const ds_finding *f,
                      int show_values)
{
    const ds_field *fld = &rec->fields[f->field];
    const ds_rule *r = f->rule;
    ds_buf_puts(b, "{\"file\":");
    ds_json_cstr(b, file);
    ds_buf_printf(b, ",\"record\":%llu,\"field\":", (unsigned long long)rec->index);
    ds_json_str(b, fld->name, fld->name_len);
    ds_buf_puts(b, ",\"type\":");
    ds_json_cstr(b, r->type);
    ds_buf_puts(b, ",\"category\":");
    ds_json_cstr(b, r->category);
    ds_buf_puts(b, ",\"rule\":");
    ds_json_cstr(b, r->id);
    ds_buf_printf(b, ",\"severity\":\"%s\",\"confidence\":%.2f", ds_severity_name(r->severity),
                  f->confidence);
    ds_buf_printf(b, ",\"start\":%llu,\"end\":%llu,\"line\":%llu,\"value\":",
                  (unsigned long long)f->start, (unsigned long long)f->end,
                  (unsigned long long)rec->line);
    if (show_values) {
        ds_json_str(b, f->match, f->match_len);
    } else {
        ds_buf m = {0};
        ds_mask(r->type, f->match, f->match_len, &m);
        ds_json_str(b, m.data ? m.data : "", m.len);
        ds_buf_free(&m);
    }
    ds_buf_puts(b, "}\n");
}
