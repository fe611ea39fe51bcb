/* redact: value transforms: HMAC-SHA-256 keyed pseudonyms and generalisation. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mem.h"
#include "redact/redact.h"
#include "report/mask.h"

#define KEY_MIN 16

int ds_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    static const unsigned char empty = 0;
    if (!HMAC(EVP_sha256(), key ? key : &empty, (int)klen, msg ? msg : &empty, n, out, &len))
        return 0;
    return len == 32;
}

/* ---- keys ------------------------------------------------------------------- */

ds_status ds_rkey_from_mem(ds_rkey *k, const void *p, size_t n, ds_error *err)
{
    const unsigned char *s = p;
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n < KEY_MIN)
        return ds_error_set(err, DS_EINVAL, NULL,
                            "the pseudonymisation key is too short (%zu bytes; at least %d)", n,
                            KEY_MIN);
    if (n > sizeof k->key)
        return ds_error_set(err, DS_EINVAL, NULL,
                            "the pseudonymisation key is too long (at most %zu bytes)",
                            sizeof k->key);
    memcpy(k->key, s, n);
    k->len = n;
    return DS_OK;
}

ds_status ds_rkey_from_env(ds_rkey *k, ds_error *err)
{
    const char *v = getenv("DSAUDIT_KEY");
    if (!v || !*v)
        return ds_error_set(err, DS_EINVAL, NULL, "DSAUDIT_KEY is not set");
    return ds_rkey_from_mem(k, v, strlen(v), err);
}

ds_status ds_rkey_from_file(ds_rkey *k, const char *path, ds_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ds_error_set(err, DS_EIO, path, "%s", strerror(errno));
    unsigned char buf[sizeof k->key + 8];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, sizeof buf - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return ds_error_set(err, DS_EIO, path, "%s", strerror(e));
        }
        if (r == 0 || (n += (size_t)r) == sizeof buf)
            break;
    }
    close(fd);
    ds_status rc = ds_rkey_from_mem(k, buf, n, err);
    memset(buf, 0, sizeof buf);
    if (rc != DS_OK)
        snprintf(err->where, sizeof err->where, "%s", path);
    return rc;
}

/* ---- a keyed byte generator --------------------------------------------------- */

/* block i = HMAC(key, "dsaudit-pseudo-v1" 0 TYPE 0 VALUE 0 i) */
typedef struct kgen {
    const ds_rkey *k;
    ds_buf msg;
    size_t base;
    uint32_t counter;
    unsigned char block[32];
    size_t pos;
} kgen;

static void kgen_init(kgen *g, const ds_rkey *k, const char *type, const char *v, size_t n,
                      unsigned salt)
{
    memset(g, 0, sizeof *g);
    g->k = k;
    ds_buf_append(&g->msg, "dsaudit-pseudo-v1", 18);
    ds_buf_append(&g->msg, type ? type : "", strlen(type ? type : "") + 1);
    ds_buf_append(&g->msg, v, n);
    ds_buf_putc(&g->msg, 0);
    if (salt) /* a retry: see ds_pseudonymise_salted */
        ds_buf_printf(&g->msg, "retry%u", salt);
    g->base = g->msg.len;
    g->pos = sizeof g->block;
}

static unsigned kgen_byte(kgen *g)
{
    if (g->pos == sizeof g->block) {
        g->msg.len = g->base;
        unsigned char c[4] = {(unsigned char)(g->counter >> 24), (unsigned char)(g->counter >> 16),
                              (unsigned char)(g->counter >> 8), (unsigned char)g->counter};
        ds_buf_append(&g->msg, c, 4);
        g->counter++;
        if (!ds_hmac_sha256(g->k->key, g->k->len, g->msg.data, g->msg.len, g->block))
            memset(g->block, 0, sizeof g->block); /* not reached with libcrypto */
        g->pos = 0;
    }
    return g->block[g->pos++];
}

/* uniform-enough in [0, m) for small m */
static unsigned kgen_mod(kgen *g, unsigned m)
{
    unsigned v = (kgen_byte(g) << 8) | kgen_byte(g);
    return v % m;
}

static void kgen_free(kgen *g)
{
    if (g->msg.data)
        memset(g->msg.data, 0, g->msg.cap);
    ds_buf_free(&g->msg);
    memset(g->block, 0, sizeof g->block);
}

/* ---- pseudonyms ------------------------------------------------------------- */

static int is_type(const char *type, const char *t)
{
    return type && strcmp(type, t) == 0;
}

/* Length of the UTF-8 sequence starting at s[0] (1 for an invalid byte). */
static size_t u8len(const unsigned char *s, size_t n)
{
    size_t l = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    return l > n ? n : l;
}

/* A non-ASCII letter (Latin-1 supplement and Latin Extended) counts as a
 * letter for the shape of a pseudonym. */
static int u8_letter(const unsigned char *s, size_t l)
{
    return l == 2 && (s[0] == 0xC3 || s[0] == 0xC4 || s[0] == 0xC5) &&
           !(s[0] == 0xC3 && (s[1] == 0x97 || s[1] == 0xB7));
}

static int u8_upper(const unsigned char *s, size_t l)
{
    return l == 2 && s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E;
}

/* Class-preserving: digits -> digits, words -> pronounceable words with the
 * same capitalisation, other characters kept. keep_prefix bytes are copied. */
static void shape_pseudo(kgen *g, const char *v, size_t n, size_t keep_prefix, ds_buf *out)
{
    static const char cons[] = "bcdfghjklmnprstvz";
    static const char vow[] = "aeiou";
    const unsigned char *s = (const unsigned char *)v;
    if (keep_prefix > n)
        keep_prefix = n;
    ds_buf_append(out, v, keep_prefix);
    size_t wpos = 0; /* position inside the current word */
    for (size_t i = keep_prefix; i < n;) {
        size_t l = u8len(s + i, n - i);
        int upper = 0, letter = 0;
        if (l == 1 && isalpha(s[i])) {
            letter = 1;
            upper = isupper(s[i]) != 0;
        } else if (u8_letter(s + i, l)) {
            letter = 1;
            upper = u8_upper(s + i, l);
        }
        if (letter) {
            char c = (wpos % 2 == 0) ? cons[kgen_mod(g, sizeof cons - 1)]
                                     : vow[kgen_mod(g, sizeof vow - 1)];
            ds_buf_putc(out, upper ? toupper((unsigned char)c) : c);
            wpos++;
        } else if (l == 1 && isdigit(s[i])) {
            ds_buf_putc(out, '0' + (int)kgen_mod(g, 10));
            wpos = 0;
        } else {
            ds_buf_append(out, s + i, l);
            wpos = 0;
        }
        i += l;
    }
}

static int luhn_ok(const char *s, size_t n)
{
    int sum = 0, dbl = 0, digits = 0;
    for (size_t i = n; i-- > 0;) {
        if (!isdigit((unsigned char)s[i]))
            continue;
        int d = s[i] - '0';
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
        digits++;
    }
    return digits > 1 && sum % 10 == 0;
}

/* ISO 13616 check on the alphanumerics of s (spaces ignored). */
static int iban_ok(const char *s, size_t n)
{
    char a[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof a; i++)
        if (isalnum((unsigned char)s[i]))
            a[k++] = (char)toupper((unsigned char)s[i]);
    if (k < 5)
        return 0;
    unsigned rem = 0;
    for (size_t j = 0; j < k; j++) {
        char c = a[(j + 4) % k];
        if (isdigit((unsigned char)c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return rem == 1;
}

/* Change the last digit of s so that check() fails. */
static void break_check(ds_buf *out, size_t from, int (*check)(const char *, size_t))
{
    for (int tries = 0; tries < 10 && check(out->data + from, out->len - from); tries++) {
        for (size_t i = out->len; i-- > from;)
            if (isdigit((unsigned char)out->data[i])) {
                out->data[i] = (char)('0' + (out->data[i] - '0' + 1) % 10);
                break;
            }
    }
}

/* Canonical form hashed for a type, so that formatting differences do not
 * change the pseudonym: e-mail lower-cased, number-like identifiers with
 * their separators removed. */
static void canonical(const char *type, const char *v, size_t n, ds_buf *out)
{
    int fold = is_type(type, "EMAIL");
    int squash = is_type(type, "PHONE") || is_type(type, "CREDIT_CARD") || is_type(type, "IBAN");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (squash && (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'))
            continue;
        ds_buf_putc(out, (fold || squash) && c < 0x80 ? tolower(c) : c);
    }
}

void ds_pseudonymise(const ds_rkey *k, const char *type, const char *v, size_t n, ds_buf *out)
{
    ds_pseudonymise_salted(k, type, v, n, 0, out);
}

void ds_pseudonymise_salted(const ds_rkey *k, const char *type, const char *v, size_t n,
                            unsigned salt, ds_buf *out)
{
    ds_buf canon = {0};
    canonical(type, v, n, &canon);
    kgen g;
    kgen_init(&g, k, type, canon.data ? canon.data : "", canon.len, salt);
    ds_buf_free(&canon);
    const char *at = memchr(v, '@', n);
    if (is_type(type, "EMAIL") ||
        (!type && at && at != v && memchr(at, '.', n - (size_t)(at - v)))) {
        static const char hex[] = "0123456789abcdef";
        ds_buf_putc(out, 'u');
        for (int i = 0; i < 6; i++) {
            unsigned b = kgen_byte(&g);
            ds_buf_putc(out, hex[b >> 4]);
            ds_buf_putc(out, hex[b & 15]);
        }
        ds_buf_puts(out, "@pseudo.invalid");
    } else if (is_type(type, "IP_ADDRESS") && memchr(v, '.', n) && !memchr(v, ':', n)) {
        /* an IPv4 address stays one, in 10.0.0.0/8 */
        ds_buf_printf(out, "10.%u.%u.%u", kgen_byte(&g), kgen_byte(&g), kgen_byte(&g));
    } else if (is_type(type, "PHONE")) {
        /* keep "+CC" or a leading 0 so that it still reads as a phone number */
        size_t keep = 0;
        if (n && v[0] == '+')
            keep = n >= 3 ? 3 : n;
        else if (n && v[0] == '0')
            keep = 1;
        shape_pseudo(&g, v, n, keep, out);
    } else if (is_type(type, "CREDIT_CARD")) {
        size_t from = out->len;
        shape_pseudo(&g, v, n, 1, out); /* keep the network's first digit */
        break_check(out, from, luhn_ok);
    } else if (is_type(type, "IBAN")) {
        size_t from = out->len;
        shape_pseudo(&g, v, n, 2, out); /* keep the country code */
        break_check(out, from, iban_ok);
    } else {
        shape_pseudo(&g, v, n, 0, out);
    }
    kgen_free(&g);
}

/* ---- generalisation ------------------------------------------------------- */

static int year_at(const char *s, size_t n, size_t i)
{
    if (i + 4 > n)
        return 0;
    for (size_t j = 0; j < 4; j++)
        if (!isdigit((unsigned char)s[i + j]))
            return 0;
    if (i > 0 && isdigit((unsigned char)s[i - 1]))
        return 0;
    if (i + 4 < n && isdigit((unsigned char)s[i + 4]))
        return 0;
    return (s[i] == '1' && (s[i + 1] == '8' || s[i + 1] == '9')) ||
           (s[i] == '2' && s[i + 1] == '0');
}

/* 1 when v looks like a date: digits and separators with a 4-digit year. */
static int find_year(const char *v, size_t n, size_t *at)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (isdigit(c))
            digits++;
        else if (!strchr("-/. T:", c))
            return 0;
    }
    if (digits < 4)
        return 0;
    for (size_t i = 0; i + 4 <= n; i++)
        if (year_at(v, n, i)) {
            *at = i;
            return 1;
        }
    return 0;
}

static int gen_ip(const char *v, size_t n, ds_buf *out)
{
    char s[64];
    if (n == 0 || n >= sizeof s)
        return 0;
    memcpy(s, v, n);
    s[n] = 0;
    unsigned char a[16];
    char t[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, s, a) == 1) {
        a[3] = 0;
        if (!inet_ntop(AF_INET, a, t, sizeof t))
            return 0;
        ds_buf_printf(out, "%s/24", t);
        return 1;
    }
    if (inet_pton(AF_INET6, s, a) == 1) {
        memset(a + 6, 0, 10);
        if (!inet_ntop(AF_INET6, a, t, sizeof t))
            return 0;
        ds_buf_printf(out, "%s/48", t);
        return 1;
    }
    return 0;
}

/* Every decimal number with more than 2 decimals rounded to 2. Returns 1
 * when v is made only of numbers and separators. */
static int gen_coords(const char *v, size_t n, ds_buf *out)
{
    size_t mark = out->len;
    int numbers = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        if (j < n && (v[j] == '-' || v[j] == '+'))
            j++;
        size_t d0 = j;
        while (j < n && isdigit((unsigned char)v[j]))
            j++;
        if (j > d0 && j < n && v[j] == '.' && j + 1 < n && isdigit((unsigned char)v[j + 1])) {
            j++;
            size_t f0 = j;
            while (j < n && isdigit((unsigned char)v[j]))
                j++;
            char num[64];
            if (j - i < sizeof num && j - f0 > 2) {
                memcpy(num, v + i, j - i);
                num[j - i] = 0;
                ds_buf_printf(out, "%.2f", strtod(num, NULL));
            } else {
                ds_buf_append(out, v + i, j - i);
            }
            numbers++;
            i = j;
            continue;
        }
        unsigned char c = (unsigned char)v[i];
        if (isalpha(c) || c >= 0x80) {
            out->len = mark;
            out->data[mark] = 0;
            return 0;
        }
        ds_buf_putc(out, c);
        i++;
    }
    if (!numbers) {
        out->len = mark;
        if (out->data)
            out->data[mark] = 0;
    }
    return numbers > 0;
}

/* A French-style 5-digit postcode (or a 4-digit one) anywhere in v: its
 * first two digits (the département). */
static int gen_postcode(const char *v, size_t n, ds_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)v[i]) || (i > 0 && isdigit((unsigned char)v[i - 1])))
            continue;
        size_t j = i;
        while (j < n && isdigit((unsigned char)v[j]))
            j++;
        if (j - i == 5 || j - i == 4) {
            ds_buf_append(out, v + i, 2);
            return 1;
        }
        i = j;
    }
    return 0;
}

void ds_generalise(const char *type, const char *v, size_t n, ds_buf *out)
{
    size_t at;
    if (is_type(type, "IP_ADDRESS") || !type) {
        if (gen_ip(v, n, out))
            return;
    }
    if ((is_type(type, "DATE_OF_BIRTH") || !type) && find_year(v, n, &at)) {
        ds_buf_append(out, v + at, 4);
        return;
    }
    if (is_type(type, "DATE_OF_BIRTH")) {
        /* a year anywhere ("born 12 March 1984") */
        for (size_t i = 0; i + 4 <= n; i++)
            if (year_at(v, n, i)) {
                ds_buf_append(out, v + i, 4);
                return;
            }
    }
    if ((is_type(type, "POSTAL_ADDRESS") || is_type(type, "POSTCODE")) && gen_postcode(v, n, out))
        return;
    if (is_type(type, "GEO_COORDINATES") || !type) {
        if (gen_coords(v, n, out))
            return;
    }
    if (!type) {
        /* a small integer (an age): its decade; a postcode: its first digits */
        size_t digits = 0;
        while (digits < n && isdigit((unsigned char)v[digits]))
            digits++;
        if (digits == n && n >= 1 && n <= 3) {
            unsigned x = (unsigned)strtoul(v, NULL, 10) / 10 * 10;
            ds_buf_printf(out, "%u-%u", x, x + 9);
            return;
        }
        if (digits == n && n == 5) {
            ds_buf_append(out, v, 2);
            return;
        }
    }
    ds_mask(type ? type : "", v, n, out);
}
