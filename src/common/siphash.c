/* common: SipHash-2-4 (see siphash.h). */
#include "common/siphash.h"

#include <string.h>

static uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

/* Eight bytes as a little-endian word: one load on a little-endian host
 * (the byte loop compiled to eight loads and shifts: SipHash of each
 * finding's value for the distinct-value sketches was ~4% of a dense CSV
 * scan). */
static uint64_t load_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
#endif
}

#define SIPROUND(v0, v1, v2, v3) \
    do {                         \
        (v0) += (v1);            \
        (v1) = rotl((v1), 13);   \
        (v1) ^= (v0);            \
        (v0) = rotl((v0), 32);   \
        (v2) += (v3);            \
        (v3) = rotl((v3), 16);   \
        (v3) ^= (v2);            \
        (v0) += (v3);            \
        (v3) = rotl((v3), 21);   \
        (v3) ^= (v0);            \
        (v2) += (v1);            \
        (v1) = rotl((v1), 17);   \
        (v1) ^= (v2);            \
        (v2) = rotl((v2), 32);   \
    } while (0)

uint64_t ds_siphash_2_4(const uint8_t key[16], const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    size_t whole = n & ~(size_t)7;
    for (size_t i = 0; i < whole; i += 8) {
        uint64_t m = load_le64(p + i);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    /* last block: the remaining bytes, length in the top byte */
    uint64_t b = (uint64_t)(n & 0xff) << 56;
    for (size_t i = whole; i < n; i++)
        b |= (uint64_t)p[i] << (8 * (i - whole));
    v3 ^= b;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++)
        SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}
