/* cli: `dsaudit scan` and the shared setup of a ruleset from options. */
#ifndef DS_CLI_SCAN_H
#define DS_CLI_SCAN_H

#include "cli/options.h"
#include "rules/rules.h"

/* Load the ruleset the options ask for: --rules DIR, else $DSAUDIT_RULES,
 * else the built-in rules; with --enable/--disable/--lang applied. Prints
 * the error and returns NULL on failure. */
ds_ruleset *ds_cli_load_rules(const char *dir, const ds_strlist *enable, const ds_strlist *disable,
                              const ds_strlist *langs);

int ds_cmd_scan(int argc, char **argv);

#endif
