/* rules: the shape of a PCRE2 regex, read from its text: the longest match
 * in bytes and whether every match holds a byte of a given set (a "gate",
 * such as the ASCII digits).
 *
 * The detector uses it to scan most identifier patterns only in windows
 * around the gate bytes of a value instead of over the whole value: a match
 * no longer than W bytes that holds a digit lies within W bytes of that
 * digit. Positive lookaheads count: (?=[A-Z]{0,8}[0-9])[A-Z0-9]{9} needs a
 * digit within its reach of 9 bytes from the start. Both answers must therefore be sound, never optimistic: whatever
 * the analysis does not understand (recursion, conditionals, \X, verbs,
 * extended mode...) gives "unbounded" and "not gated", which keeps the
 * pattern on the whole-value path.
 *
 * Semantics assumed are the ones rules are compiled with (rules_compile.c):
 * PCRE2_UTF without PCRE2_UCP, so \d \w \s and POSIX classes are ASCII, and
 * widths count UTF-8 bytes. Under caseless matching an ASCII letter may
 * match a longer character (k: U+212A KELVIN SIGN, s: U+017F LONG S). */
#ifndef DS_RULES_RE_SHAPE_H
#define DS_RULES_RE_SHAPE_H

#include <stdint.h>

typedef struct ds_re_shape {
    unsigned max_width; /* longest match in bytes; 0 = unbounded or not understood */
    unsigned reach;     /* longest extent from the match start of the match and of
                         * the text its lookaheads read (>= max_width) */
    unsigned gates;     /* every match holds at least this many bytes of the gate
                         * set within reach (its own or its lookaheads'); 0 = not
                         * gated */
    unsigned lead;      /* every match has one of those gate bytes at most this many
                         * bytes after its start (<= reach): a match starts no
                         * further than lead bytes before a gate byte */
    unsigned trail;     /* every match ends at most this many bytes after a gate byte
                         * (<= max_width): the last one it consumes, or, when no
                         * consumed one is known, its first gate byte */
} ds_re_shape;

/* Longest width the analysis reports; anything longer is "unbounded". */
#define DS_RE_SHAPE_MAX 65536u

/* Analyse regex re (NUL-terminated, PCRE2 syntax) compiled with caseless
 * when `caseless`. gate is a 256-bit set of bytes (bit c of gate[c / 8]);
 * only ASCII non-letters are supported in it (case folding never reaches
 * them). Returns 1 when the regex was understood, else 0 with the
 * conservative answer {0, 0}. */
int ds_re_shape_of(const char *re, int caseless, const uint8_t gate[32], ds_re_shape *out);

#endif
