/* common: HyperLogLog sketches (see hll.h). */
#include "common/hll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

struct ds_hll {
    uint8_t *dense;   /* DS_HLL_M registers, or NULL while sparse */
    uint16_t *sparse; /* sorted by index: index << 6 | rank */
    size_t nsparse;
};

ds_hll *ds_hll_new(void)
{
    return ds_xcalloc(1, sizeof(ds_hll));
}

void ds_hll_free(ds_hll *h)
{
    if (!h)
        return;
    free(h->dense);
    free(h->sparse);
    free(h);
}

ds_hll *ds_hll_clone(const ds_hll *h)
{
    ds_hll *c = ds_hll_new();
    if (h->dense) {
        c->dense = ds_xmalloc(DS_HLL_M);
        memcpy(c->dense, h->dense, DS_HLL_M);
    } else if (h->nsparse) {
        c->sparse = ds_xmalloc(DS_HLL_SPARSE_MAX * sizeof *c->sparse);
        memcpy(c->sparse, h->sparse, h->nsparse * sizeof *c->sparse);
        c->nsparse = h->nsparse;
    }
    return c;
}

static void densify(ds_hll *h)
{
    h->dense = ds_xcalloc(1, DS_HLL_M);
    for (size_t i = 0; i < h->nsparse; i++)
        h->dense[h->sparse[i] >> 6] = (uint8_t)(h->sparse[i] & 63);
    free(h->sparse);
    h->sparse = NULL;
    h->nsparse = 0;
}

static void set_register(ds_hll *h, unsigned idx, unsigned rank)
{
    if (h->dense) {
        if (rank > h->dense[idx])
            h->dense[idx] = (uint8_t)rank;
        return;
    }
    /* binary search the sorted sparse list */
    size_t lo = 0, hi = h->nsparse;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((unsigned)(h->sparse[mid] >> 6) < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->nsparse && (unsigned)(h->sparse[lo] >> 6) == idx) {
        if (rank > (unsigned)(h->sparse[lo] & 63))
            h->sparse[lo] = (uint16_t)(idx << 6 | rank);
        return;
    }
    if (h->nsparse == DS_HLL_SPARSE_MAX) {
        densify(h);
        h->dense[idx] = (uint8_t)rank;
        return;
    }
    if (!h->sparse)
        h->sparse = ds_xmalloc(DS_HLL_SPARSE_MAX * sizeof *h->sparse);
    memmove(h->sparse + lo + 1, h->sparse + lo, (h->nsparse - lo) * sizeof *h->sparse);
    h->sparse[lo] = (uint16_t)(idx << 6 | rank);
    h->nsparse++;
}

void ds_hll_add(ds_hll *h, uint64_t hash)
{
    unsigned idx = (unsigned)(hash >> (64 - DS_HLL_P));
    uint64_t rest = hash << DS_HLL_P; /* the other 54 bits, at the top */
    unsigned rank = 1;
    while (rank < DS_HLL_MAX_RANK && !(rest & (1ULL << 63))) {
        rest <<= 1;
        rank++;
    }
    set_register(h, idx, rank);
}

unsigned ds_hll_register(const ds_hll *h, unsigned j)
{
    if (j >= DS_HLL_M)
        return 0;
    if (h->dense)
        return h->dense[j];
    for (size_t i = 0; i < h->nsparse; i++)
        if ((unsigned)(h->sparse[i] >> 6) == j)
            return h->sparse[i] & 63;
    return 0;
}

void ds_hll_merge(ds_hll *dst, const ds_hll *src)
{
    if (src->dense) {
        if (!dst->dense)
            densify(dst);
        for (unsigned j = 0; j < DS_HLL_M; j++)
            if (src->dense[j] > dst->dense[j])
                dst->dense[j] = src->dense[j];
        return;
    }
    for (size_t i = 0; i < src->nsparse; i++)
        set_register(dst, src->sparse[i] >> 6, src->sparse[i] & 63);
}

uint64_t ds_hll_estimate(const ds_hll *h)
{
    /* a histogram of ranks, summed in a fixed order: the estimate depends on
     * the registers only, not on the representation */
    unsigned cnt[DS_HLL_MAX_RANK + 1] = {0};
    if (h->dense) {
        for (unsigned j = 0; j < DS_HLL_M; j++)
            cnt[h->dense[j]]++;
    } else {
        cnt[0] = DS_HLL_M - (unsigned)h->nsparse;
        for (size_t i = 0; i < h->nsparse; i++)
            cnt[h->sparse[i] & 63]++;
    }
    double sum = 0;
    for (int r = DS_HLL_MAX_RANK; r >= 0; r--)
        sum += ldexp((double)cnt[r], -r);
    unsigned zeros = cnt[0];
    double m = DS_HLL_M;
    double alpha = 0.7213 / (1.0 + 1.079 / m);
    double e = alpha * m * m / sum;
    if (e <= 2.5 * m && zeros > 0)
        e = m * log(m / (double)zeros);
    return (uint64_t)(e + 0.5);
}

size_t ds_hll_mem(const ds_hll *h)
{
    return sizeof *h + (h->dense ? DS_HLL_M : h->sparse ? DS_HLL_SPARSE_MAX * 2 : 0);
}

/* ---- text form ------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void ds_base64_encode(const void *data, size_t n, ds_buf *out)
{
    const uint8_t *p = data;
    if (!p || n == 0)
        return;
    ds_buf_reserve(out, (n + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63], b64[v & 63]};
        ds_buf_append(out, q, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], '=', '='};
        ds_buf_append(out, q, 4);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63], '='};
        ds_buf_append(out, q, 4);
    }
}

static int b64val(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

int ds_base64_decode(const char *s, size_t n, ds_buf *out)
{
    ds_buf_reset(out);
    if (n % 4)
        return 0;
    for (size_t i = 0; i < n; i += 4) {
        int pad = 0;
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
            int d;
            if (s[i + k] == '=' && i + 4 == n && k >= 2) {
                pad++;
                d = 0;
            } else {
                if (pad)
                    return 0;
                d = b64val(s[i + k]);
                if (d < 0)
                    return 0;
            }
            v = v << 6 | (uint32_t)d;
        }
        uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
        /* canonical: the bits under the padding must be zero */
        if ((pad == 1 && b[2]) || (pad == 2 && (b[1] || b[2])))
            return 0;
        ds_buf_append(out, b, (size_t)(3 - pad));
    }
    return 1;
}

void ds_hll_encode(const ds_hll *h, ds_buf *out)
{
    size_t z = 0;
    if (h->dense) {
        for (unsigned j = 0; j < DS_HLL_M; j++)
            z += h->dense[j] != 0;
    } else {
        z = h->nsparse;
    }
    if (z <= DS_HLL_SPARSE_MAX) {
        uint8_t words[2 * DS_HLL_SPARSE_MAX];
        size_t k = 0;
        if (h->dense) {
            for (unsigned j = 0; j < DS_HLL_M; j++)
                if (h->dense[j]) {
                    unsigned w = j << 6 | h->dense[j];
                    words[2 * k] = (uint8_t)(w >> 8);
                    words[2 * k + 1] = (uint8_t)w;
                    k++;
                }
        } else {
            for (; k < h->nsparse; k++) {
                words[2 * k] = (uint8_t)(h->sparse[k] >> 8);
                words[2 * k + 1] = (uint8_t)h->sparse[k];
            }
        }
        ds_buf_putc(out, 's');
        ds_base64_encode(words, 2 * k, out);
    } else {
        ds_buf_putc(out, 'd');
        ds_base64_encode(h->dense, DS_HLL_M, out);
    }
}

ds_hll *ds_hll_decode(const char *s, size_t n)
{
    if (n < 1 || (s[0] != 's' && s[0] != 'd'))
        return NULL;
    ds_buf raw = {0};
    if (!ds_base64_decode(s + 1, n - 1, &raw)) {
        ds_buf_free(&raw);
        return NULL;
    }
    const uint8_t *p = (const uint8_t *)raw.data;
    ds_hll *h = NULL;
    if (s[0] == 's') {
        size_t k = raw.len / 2;
        if (raw.len % 2 || k > DS_HLL_SPARSE_MAX)
            goto out;
        h = ds_hll_new();
        unsigned prev = 0;
        for (size_t i = 0; i < k; i++) {
            unsigned w = (unsigned)p[2 * i] << 8 | p[2 * i + 1];
            unsigned idx = w >> 6, rank = w & 63;
            if (rank == 0 || rank > DS_HLL_MAX_RANK || (i && idx <= prev)) {
                ds_hll_free(h);
                h = NULL;
                goto out;
            }
            prev = idx;
            set_register(h, idx, rank);
        }
    } else {
        if (raw.len != DS_HLL_M)
            goto out;
        size_t z = 0;
        for (unsigned j = 0; j < DS_HLL_M; j++) {
            if (p[j] > DS_HLL_MAX_RANK)
                goto out;
            z += p[j] != 0;
        }
        if (z <= DS_HLL_SPARSE_MAX) /* not canonical */
            goto out;
        h = ds_hll_new();
        h->dense = ds_xmalloc(DS_HLL_M);
        memcpy(h->dense, p, DS_HLL_M);
    }
out:
    ds_buf_free(&raw);
    return h;
}
