/* cli: `dsaudit redact` (see redact.c and src/redact/redact.h). */
#ifndef DS_CLI_REDACT_H
#define DS_CLI_REDACT_H

/* argv[0] is "redact". Returns the exit status. */
int ds_cmd_redact(int argc, char **argv);

#endif
