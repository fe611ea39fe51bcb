/* checks: small text helpers for the metadata readers and the checks:
 * case-insensitive whole-word matching, word counts, URL and host tests. */
#ifndef DS_CHECKS_META_TEXT_H
#define DS_CHECKS_META_TEXT_H

#include <stddef.h>

/* 1 if `word` occurs in s as a whole word (ASCII case-insensitive; a word is
 * a run of letters, digits, '\'' and '-'). */
int ds_text_has_word(const char *s, const char *word);
int ds_text_has_any_word(const char *s, const char *const *words); /* NULL-terminated */
/* 1 if phrase occurs in s (case-insensitive) at word boundaries. */
int ds_text_has_phrase(const char *s, const char *phrase);
/* 1 if s contains sub, case-insensitive. */
int ds_text_contains(const char *s, const char *sub);
size_t ds_text_word_count(const char *s);

/* Split a name into lower-case alphanumeric tokens (snake, kebab, dotted,
 * camelCase) written into out[] as one NUL-separated string; returns the
 * number of tokens. */
size_t ds_text_tokens(const char *s, char *out, size_t cap);
/* 1 if one of the tokens of s equals tok. */
int ds_text_has_token(const char *s, const char *tok);

/* 1 if s looks like a URL, a DOI, an HF id or an "internal:" identifier. */
int ds_text_is_identifier(const char *s);
/* Copy the host of the first URL in s (lower case) into out; 0 if none. */
int ds_text_url_host(const char *s, char *out, size_t cap);

#endif
