/* cli: `dsaudit merge REPORT.json...`: combine the JSON reports of shards of
 * one run into the report that run would have given (report/merge.h). */
#ifndef DS_CLI_MERGE_H
#define DS_CLI_MERGE_H

int ds_cmd_merge(int argc, char **argv);

#endif
