/* cli: `dsaudit rules`. */
#ifndef DS_CLI_RULES_CMD_H
#define DS_CLI_RULES_CMD_H

int ds_cmd_rules(int argc, char **argv);

#endif
