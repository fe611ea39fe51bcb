/* cli: the version dsaudit reports (--version, the JSON report's tool.version). */
#ifndef DS_CLI_VERSION_H
#define DS_CLI_VERSION_H

#define DS_VERSION "0.1.0"

#endif
