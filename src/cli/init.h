/* cli: the metadata checks in `dsaudit scan`, and `dsaudit init`, which
 * writes a .dsaudit.yml sidecar pre-filled from a scan (SPEC §2, §7). */
#ifndef DS_CLI_INIT_H
#define DS_CLI_INIT_H

#include "cli/options.h"
#include "report/report.h"

/* Discover and read the metadata, run the checks over r, and set r->checks
 * and r->failing_checks. Messages go to stderr. Returns 0, or -1 when an
 * option file (--breach-list) could not be read. */
int ds_cli_run_checks(ds_scan_result *r, const ds_scan_opts *o);

int ds_cmd_init(int argc, char **argv);

#endif
