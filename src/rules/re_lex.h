/* rules: lexing helpers shared by the readers of PCRE2 regex text
 * (re_shape.c, re_relax.c). Each reads at *p and advances it. */
#ifndef DS_RULES_RE_LEX_H
#define DS_RULES_RE_LEX_H

/* The value of hex digit c, or -1. */
int ds_re_hexval(unsigned c);

/* \xHH (up to two digits) or \x{H...} after the 'x': the code point, or -1
 * for a malformed or out-of-range brace form. */
long ds_re_read_hex(const unsigned char **p);

/* One UTF-8 character of the pattern: its code point, or -1 when the bytes
 * are not well-formed UTF-8. */
long ds_re_read_utf8(const unsigned char **p);

/* An escape standing for one character, after its backslash and the letter
 * e (\n \t \r \f \e \a \x.., escaped ASCII punctuation): its code point, or
 * -1 when it is something else (a class, an anchor, a reference...). */
long ds_re_char_escape(unsigned e, const unsigned char **p);

#endif
