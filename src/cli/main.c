/* cli: entry point: dispatch to the sub-commands. */
#include <stdio.h>
#include <string.h>

#include "cli/redact.h"
#include "cli/merge.h"
#include "cli/init.h"
#include "cli/rules_cmd.h"
#include "cli/scan.h"

#include "cli/version.h"

static void usage(FILE *f)
{
    fputs("usage: dsaudit scan [OPTIONS] PATH...     audit files, directories, archives ('-' = "
          "stdin)\n"
          "       dsaudit merge [OPTIONS] REPORT.json...  combine the JSON reports of shards\n"
          "       dsaudit rules list|show ID|test [DIR]   the rule library\n"
          "       dsaudit init [--force] [PATH]          write a .dsaudit.yml metadata sidecar\n"
          "       dsaudit --help | --version\n\n"
          "dsaudit streams CSV, JSONL/JSON and text (plain, compressed or archived) and reports\n"
          "personal data, special-category (GDPR Art. 9) and criminal-offence (Art. 10) data,\n"
          "with masked values. 'dsaudit scan --help' lists the scan options; see dsaudit(1).\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("dsaudit %s\n", DS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "scan") == 0)
        return ds_cmd_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return ds_cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "init") == 0)
        return ds_cmd_init(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return ds_cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "redact") == 0)
        return ds_cmd_redact(argc - 1, argv + 1);
    fprintf(stderr, "dsaudit: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
