/* common: field-name normalisation for column-name heuristics (SPEC §5.3).
 *
 * "Date_de_Naissance", "date-de-naissance" and "dateDeNaissance" all become
 * "datedenaissance": ASCII lower case, Latin accents folded (é -> e), and the
 * separators `_ - . space` removed. For a JSON path only the last component
 * counts, without array indices: "author.contact.e-mail" -> "email",
 * "posts[3]" -> "posts". */
#ifndef DS_COMMON_NAMES_H
#define DS_COMMON_NAMES_H

#include <stddef.h>

/* Write the normalised form of name[0..n) into out (cap bytes, always
 * NUL-terminated when cap > 0); returns its length (truncated to cap-1). */
size_t ds_name_normalise(const char *name, size_t n, char *out, size_t cap);

/* Write name[0..n) with array indices replaced by "[]" ("posts[3].body" ->
 * "posts[].body"): the key fields are aggregated under. Same out/cap
 * contract. */
size_t ds_name_generic(const char *name, size_t n, char *out, size_t cap);

#endif
