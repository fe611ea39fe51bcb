/* report: findings as JSON lines (SPEC §6.1), one object a line, keys in
 * the documented order:
 *   {"file":..,"record":..,"field":..,"type":..,"category":..,"rule":..,
 *    "severity":..,"confidence":..,"start":..,"end":..,"line":..,"value":..}
 * `value` is masked (report/mask.h) unless show_values is set. */
#ifndef DS_REPORT_FINDINGS_H
#define DS_REPORT_FINDINGS_H

#include "common/buf.h"
#include "detect/detect.h"
#include "input/source.h"

void ds_finding_jsonl(ds_buf *out, const char *file, const ds_record *rec, const ds_finding *f,
                      int show_values);

#endif
