/* cli: `.dsauditignore` files (SPEC §8), turned into --exclude globs.
 *
 * The ignore file of the current directory (the root of a pre-commit run,
 * whose paths are relative to it) and the one of each directory named on the
 * command line are read. Syntax, a subset of gitignore:
 *   - blank lines and lines starting with '#' are ignored;
 *   - a pattern without '/' (or with only a trailing one) matches a file or
 *     directory name at any depth: `*.log`, `tmp/`;
 *   - a pattern with a '/' elsewhere is relative to the directory holding
 *     the ignore file: `/raw`, `exports/2023`;
 *   - `**` matches across directories, like `*` (fnmatch without
 *     FNM_PATHNAME, as --exclude);
 *   - `!` (re-include) is not supported: such lines are reported and left
 *     out. Excluding a directory skips everything below it, also files
 *     inside it named on the command line (each pattern P also gives "P/" + "*").
 * The ignore file itself is not scanned. Ignored inputs are listed as
 * skipped ("excluded by --exclude PATTERN", the pattern as expanded). */
#ifndef DS_CLI_IGNORE_H
#define DS_CLI_IGNORE_H

#include <stddef.h>

#include "cli/options.h"

/* Append the globs of DIR/.dsauditignore (dir "." for the current
 * directory) to *exclude. Returns 0, or -1 when the file exists but cannot
 * be read (the message is printed). A missing file is not an error. */
int ds_ignore_load(const char *dir, ds_strlist *exclude);

/* The ignore files of a scan: the current directory, then each directory
 * among paths. Returns 0 or -1 as above. */
int ds_ignore_load_for_scan(char *const *paths, size_t n, ds_strlist *exclude);

#endif
