/* common: SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input
 * PRF", 2012), a keyed 64-bit hash. Written from the paper's description;
 * tests/unit/test_siphash.c checks it against the published reference
 * vectors.
 *
 * DS_REPORT_KEY is the fixed key dsaudit's reports hash matched values with
 * (distinct-value sketches, finding hashes): the 16 ASCII bytes
 * "dsaudit.report/1". It is public and the same for every run, so sketches
 * of different runs can be merged exactly; it is therefore no secret, and a
 * hash under it must never be published for a low-entropy value (sketches
 * keep only a few bits of each hash). */
#ifndef DS_COMMON_SIPHASH_H
#define DS_COMMON_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define DS_REPORT_KEY "dsaudit.report/1"

/* SipHash-2-4 of data[0..n) under the 16-byte key; the 64-bit result is the
 * reference implementation's output read as a little-endian integer. */
uint64_t ds_siphash_2_4(const uint8_t key[16], const void *data, size_t n);

#endif
