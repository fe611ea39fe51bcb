/* rules: the validator registry (see validators.def), the helpers shared by
 * the validator files, and the generic checksums (Luhn, payment cards, IBAN).
 * National identifiers are in validators_ids.c, dates in validators_dates.c,
 * network addresses in validators_net.c. */
#include "rules/validators.h"

#include <stdint.h>
#include <string.h>

#include "rules/validators_impl.h"

/* ---- shared helpers ---------------------------------------------------- */

int ds_vd_compact(const char *s, size_t n, const char *seps, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (k == cap)
                return -1;
            out[k++] = (char)c;
        } else if (c == 0 || strchr(seps, c) == NULL) {
            return -1;
        }
    }
    return (int)k;
}

int ds_vd_is_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int ds_vd_is_same_char(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] != s[0])
            return 0;
    return 1;
}

unsigned ds_vd_num(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

unsigned ds_vd_mod(const char *s, size_t n, unsigned m)
{
    unsigned r = 0;
    for (size_t i = 0; i < n; i++)
        r = (r * 10 + (unsigned)(s[i] - '0')) % m;
    return r;
}

int ds_vd_luhn(const char *s, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(s[n - 1 - i] - '0');
        if (i & 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* ---- Luhn, payment cards, IBAN ----------------------------------------- */

/* Collect the digits of s into d (at most cap); returns the count, or
 * (size_t)-1 when s holds a character other than digits, spaces and dashes. */
static size_t digits_only(const char *s, size_t n, unsigned char *d, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            if (k == cap)
                return (size_t)-1;
            d[k++] = (unsigned char)(c - '0');
        } else if (c != ' ' && c != '-') {
            return (size_t)-1;
        }
    }
    return k;
}

int ds_valid_luhn(const char *s, size_t n)
{
    unsigned char d[32];
    size_t k = digits_only(s, n, d, sizeof d);
    if (k == (size_t)-1 || k < 2)
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < k; i++) {
        unsigned v = d[k - 1 - i];
        if (i & 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* Issuer prefixes (IIN ranges) and lengths, from the networks' published
 * tables as summarised in Wikipedia "Payment card number" (IIN ranges). A
 * prefix is compared on its first `digits` digits; `lo`..`hi` inclusive. */
static const struct {
    unsigned char digits;
    unsigned short lo, hi;
    unsigned char minlen, maxlen;
    unsigned char visa_lengths; /* only 13, 16 or 19 digits */
} card_iin[] = {
    {1, 4, 4, 13, 19, 1},          /* Visa */
    {2, 51, 55, 16, 16, 0},        /* Mastercard */
    {4, 2221, 2720, 16, 16, 0},    /* Mastercard 2-series */
    {2, 34, 34, 15, 15, 0},        /* American Express */
    {2, 37, 37, 15, 15, 0},        /* American Express */
    {4, 6011, 6011, 16, 19, 0},    /* Discover */
    {2, 65, 65, 16, 19, 0},        /* Discover */
    {3, 644, 649, 16, 19, 0},      /* Discover */
    {3, 300, 305, 14, 19, 0},      /* Diners Club */
    {2, 36, 36, 14, 19, 0},        /* Diners Club International */
    {2, 38, 38, 14, 19, 0},        /* Diners Club */
    {4, 3528, 3589, 16, 19, 0},    /* JCB */
    {2, 35, 35, 16, 16, 0},        /* JCB block as issued by test-data generators (Faker) */
    {4, 2131, 2131, 15, 15, 0},    /* JCB, 15-digit legacy range */
    {4, 1800, 1800, 15, 15, 0},    /* JCB, 15-digit legacy range */
    {2, 62, 62, 16, 19, 0},        /* UnionPay */
    {2, 50, 50, 12, 19, 0},        /* Maestro */
    {2, 56, 69, 12, 19, 0},        /* Maestro */
    {1, 1, 1, 15, 15, 0},          /* UATP (airline cards) */
};

static int card_iin_ok(const char *d, size_t k)
{
    for (size_t i = 0; i < sizeof card_iin / sizeof card_iin[0]; i++) {
        unsigned p = ds_vd_num(d, card_iin[i].digits);
        if (p < card_iin[i].lo || p > card_iin[i].hi)
            continue;
        if (k < card_iin[i].minlen || k > card_iin[i].maxlen)
            continue;
        if (card_iin[i].visa_lengths && k != 13 && k != 16 && k != 19)
            continue;
        return 1;
    }
    return 0;
}

/* A payment card number: 12 to 19 digits, optionally grouped by spaces or by
 * dashes (one kind only, no separator at either end or doubled), a known
 * issuer prefix for its length, the Luhn check, and not one digit repeated. */
int ds_valid_card(const char *s, size_t n)
{
    char d[19];
    size_t k = 0;
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (k == sizeof d)
                return 0;
            d[k++] = c;
        } else if (c == ' ' || c == '-') {
            if ((sep && c != sep) || i == 0 || i + 1 == n || s[i - 1] == c)
                return 0;
            sep = c;
        } else {
            return 0;
        }
    }
    if (k < 12 || ds_vd_is_same_char(d, k) || !ds_vd_luhn(d, k))
        return 0;
    return card_iin_ok(d, k);
}

/* IBAN lengths per country (SWIFT IBAN registry). */
static const struct {
    char cc[3];
    unsigned char len;
} iban_len[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
    {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
    {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
    {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21},
    {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
    {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

int ds_valid_iban(const char *s, size_t n)
{
    char c[40];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '-')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (unsigned char)(ch - 'a' + 'A');
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return 0;
        if (k == sizeof c)
            return 0;
        c[k++] = (char)ch;
    }
    if (k < 15)
        return 0;
    if (!(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] >= '0' &&
          c[2] <= '9' && c[3] >= '0' && c[3] <= '9'))
        return 0;
    /* the table is in country-code order: a binary search (a linear one
     * was most of a validation) */
    size_t want = 0, lo = 0, hi = sizeof iban_len / sizeof iban_len[0];
    unsigned key = (unsigned)c[0] << 8 | (unsigned char)c[1];
    while (lo < hi && !want) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned at = (unsigned)iban_len[mid].cc[0] << 8 | (unsigned char)iban_len[mid].cc[1];
        if (at == key)
            want = iban_len[mid].len;
        else if (at < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (want == 0 || want != k)
        return 0;
    /* move the first four characters to the end (two passes: an index
     * modulo k cost a division a character), letters become 10..35; the
     * digits are taken nine at a time (rem * 10^9 + 999999999 < 2^64), so
     * that the modulo, a chain of dependent multiplies, runs once per nine
     * digits instead of once per character */
    uint64_t rem = 0, chunk = 0, scale = 1;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t from = pass ? 0 : 4, to = pass ? 4 : k;
        for (size_t i = from; i < to; i++) {
            unsigned ch = (unsigned char)c[i];
            unsigned v = ch >= 'A' ? ch - 'A' + 10 : ch - '0';
            unsigned digits = v >= 10 ? 2 : 1;
            if (scale * (digits == 2 ? 100 : 10) > 1000000000u) {
                rem = (rem * scale + chunk) % 97;
                chunk = 0;
                scale = 1;
            }
            chunk = chunk * (digits == 2 ? 100 : 10) + v;
            scale *= digits == 2 ? 100 : 10;
        }
    }
    rem = (rem * scale + chunk) % 97;
    return rem == 1;
}

static const ds_validator registry[] = {
#define DS_VALIDATOR(name, desc) {#name, ds_valid_##name, desc},
#include "rules/validators.def"
#undef DS_VALIDATOR
};

const ds_validator *ds_validator_find(const char *name)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (strcmp(registry[i].name, name) == 0)
            return &registry[i];
    return NULL;
}

const ds_validator *ds_validator_list(size_t *n)
{
    *n = sizeof registry / sizeof registry[0];
    return registry;
}
