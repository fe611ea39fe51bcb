/* rules: a regex relaxed so that it cannot tell one ASCII digit from another.
 *
 * ds_re_digit_relax(re) rewrites a PCRE2 expression into one that matches
 * wherever re matches (a superset) and whose every atom accepts either all
 * ten digits or none: a literal digit becomes [0-9], a class that holds some
 * digits but not all gets the others ((?:[1-9]|[0-9])), a negative
 * lookaround whose text is not already indifferent to digits is dropped
 * ((?!000) becomes (?:)), a positive one is relaxed like the rest.
 *
 * What it is for: whether the relaxed expression matches a text, and where,
 * then depends only on the text with its digits replaced by '0'. The
 * detector scans a window of digits once per such shape ("+00 0 00 00 00 00"
 * for every French mobile number of a column) and reuses the candidates for
 * every window of the same shape; PCRE2 confirms each with the original
 * expression, so the superset costs confirmations, never findings.
 *
 * Semantics as in re_shape.h (PCRE2_UTF without UCP: \d \w and POSIX classes
 * are ASCII). Anything outside the subset it reads (\p, \Q with digits,
 * backreferences to a group that can hold a digit, named references,
 * conditionals, recursion, verbs, extended mode, octal escapes) gives NULL:
 * the caller scans that expression as it is, on every window. */
#ifndef DS_RULES_RE_RELAX_H
#define DS_RULES_RE_RELAX_H

/* The relaxed expression (malloc'd), or NULL when re is not understood. */
char *ds_re_digit_relax(const char *re);

#endif
