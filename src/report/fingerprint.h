/* report: keyed fingerprints of findings, for baselines and SARIF.
 *
 * A fingerprint identifies "this value of this rule in this field of this
 * file" without holding the value or its line: it is SipHash-2-4
 * (common/siphash.h), keyed with a 128-bit salt, over
 *
 *     rule id NUL file NUL field NUL h
 *
 * where h is the 8-byte little-endian hash of the raw value under the public
 * DS_REPORT_KEY (the `value_hash` of a spooled finding, writers.h), so a
 * fingerprint can be computed during the scan and from the findings spool.
 *
 * The salt of a baseline is random and kept in the baseline file, so
 * fingerprints cannot be compared across repositories or against tables
 * precomputed for a known key. Whoever holds the salt can still test guesses
 * of a low-entropy value (a phone number, a card number whose last digits the
 * masked report shows): a baseline is kept like the data itself. */
#ifndef DS_REPORT_FINGERPRINT_H
#define DS_REPORT_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#define DS_SALT_LEN 16

/* The hash of a raw value under DS_REPORT_KEY (= ds_finding_view.value_hash). */
uint64_t ds_value_hash(const char *value, size_t n);

/* The fingerprint of one finding, from its value hash. The field name is
 * taken with its length (need not be NUL-terminated). */
uint64_t ds_fingerprint(const uint8_t salt[DS_SALT_LEN], const char *rule, const char *file,
                        const char *field, size_t field_len, uint64_t value_hash);

/* Fill salt with random bytes (getrandom, else /dev/urandom). 0 on failure. */
int ds_salt_random(uint8_t salt[DS_SALT_LEN]);

/* Hex helpers: out must hold 2*n+1 bytes; parse returns 0 unless exactly 2*n
 * hex digits. */
void ds_hex_encode(const uint8_t *in, size_t n, char *out);
int ds_hex_decode(const char *hex, uint8_t *out, size_t n);

#endif
