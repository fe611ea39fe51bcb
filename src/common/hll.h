/* common: HyperLogLog distinct-value sketches (Flajolet, Fusy, Gandouet,
 * Meunier 2007), precision 10: 1024 registers, standard error about 3.3%.
 *
 * Fed with 64-bit hashes (dsaudit uses SipHash-2-4 of the matched value under
 * the fixed DS_REPORT_KEY, common/siphash.h): the top 10 bits pick a register,
 * the register keeps the highest rank (1 + leading zeros of the other 54
 * bits, at most 55) seen. Merging is register-wise max, so the sketch of a
 * union is exactly the merge of the sketches, whatever the split or order.
 *
 * Memory: a sketch starts sparse (sorted 16-bit register entries, at most
 * DS_HLL_SPARSE_MAX of them) and becomes a dense 1024-byte array when it
 * outgrows that.
 *
 * Text form (reports): canonical, decided by the number z of non-zero
 * registers: z <= DS_HLL_SPARSE_MAX gives "s" + base64 of z big-endian 16-bit
 * words (register index << 6 | rank) in index order; otherwise "d" + base64
 * of the 1024 register bytes. Equal sketches always encode identically. */
#ifndef DS_COMMON_HLL_H
#define DS_COMMON_HLL_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define DS_HLL_P 10
#define DS_HLL_M (1u << DS_HLL_P)
#define DS_HLL_MAX_RANK (64 - DS_HLL_P + 1)
#define DS_HLL_SPARSE_MAX 128

typedef struct ds_hll ds_hll;

ds_hll *ds_hll_new(void);
void ds_hll_free(ds_hll *h); /* NULL is a no-op */
ds_hll *ds_hll_clone(const ds_hll *h);

void ds_hll_add(ds_hll *h, uint64_t hash);
/* dst |= src (register-wise max). */
void ds_hll_merge(ds_hll *dst, const ds_hll *src);
/* The distinct-count estimate, rounded (linear counting for small counts). */
uint64_t ds_hll_estimate(const ds_hll *h);
/* Bytes of heap the sketch holds. */
size_t ds_hll_mem(const ds_hll *h);
/* Register j (0 when unset): for tests. */
unsigned ds_hll_register(const ds_hll *h, unsigned j);

/* Append the canonical text form. */
void ds_hll_encode(const ds_hll *h, ds_buf *out);
/* Parse a text form; NULL when it is not a valid one. */
ds_hll *ds_hll_decode(const char *s, size_t n);

/* Base64 (RFC 4648, with padding), used by the text form. */
void ds_base64_encode(const void *data, size_t n, ds_buf *out);
/* Decode into out (reset first); 0 on invalid input. */
int ds_base64_decode(const char *s, size_t n, ds_buf *out);

#endif
