/* detect: run the rules' own examples (`dsaudit rules test`, unit tests). */
#ifndef DS_DETECT_EXAMPLES_H
#define DS_DETECT_EXAMPLES_H

#include <stdio.h>

#include "rules/rules.h"

/* Scan every rule's positive and negative examples as one-field records (the
 * field named by the example, else "value") at the default confidence. A
 * positive passes when the rule fires, a negative when it does not; a rule
 * without at least one of each counts as one failure. Failures are described
 * on `report` (may be NULL) as "FAIL file:line:col: rule ID: ...".
 * Returns 0, or -1 when no detector could be made. */
int ds_rules_run_examples(const ds_ruleset *rs, FILE *report, unsigned *passed, unsigned *failed);

#endif
