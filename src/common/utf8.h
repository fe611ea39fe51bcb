/* common: UTF-8 validation and the Windows-1252 fallback.
 *
 * Values handed to the detector are always valid UTF-8. A value that is not
 * is decoded per invalid byte as Windows-1252 (the usual encoding of French
 * CSV exports) and the caller counts it. */
#ifndef DS_COMMON_UTF8_H
#define DS_COMMON_UTF8_H

#include <stddef.h>

#include "common/buf.h"

/* Length of the longest prefix of s[0..n) that is valid UTF-8, counting a
 * multi-byte sequence that is cut by the end of the buffer as valid if every
 * byte seen so far fits (so streamed input can be checked chunk by chunk:
 * see ds_utf8_incomplete_tail). */
size_t ds_utf8_valid_prefix(const char *s, size_t n);

/* 1 when all of s[0..n) is valid UTF-8 (a sequence cut at the end is invalid). */
int ds_utf8_is_valid(const char *s, size_t n);

/* Number of trailing bytes of s[0..n) that start a multi-byte sequence not
 * yet complete (0..3). Streams keep them for the next chunk. */
size_t ds_utf8_incomplete_tail(const char *s, size_t n);

/* Append s[0..n) to out as valid UTF-8: valid sequences are copied, every
 * byte of an invalid sequence is read as Windows-1252. Returns how many
 * bytes were re-decoded (0 when s was valid). */
size_t ds_utf8_repair(const char *s, size_t n, ds_buf *out);

/* Encode code point cp as UTF-8 into out (4 bytes max); returns length.
 * Surrogates and values above U+10FFFF become U+FFFD. */
size_t ds_utf8_encode(unsigned long cp, char out[4]);

#endif
