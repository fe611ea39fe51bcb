/* rules: network address validators (IPv4, IPv6, MAC).
 *
 * Decisions:
 * - IPv4 octets are decimal without leading zeros ("01.02.03.04" is refused:
 *   inet_aton() reads such octets as octal, and the text is more often a
 *   date or a version number than an address).
 * - The unspecified addresses (0.0.0.0, ::) and the broadcast addresses
 *   (255.255.255.255, ff:ff:ff:ff:ff:ff) and the all-zero MAC address never
 *   identify a host or a device: they are refused.
 * - IPv6 follows the RFC 4291 section 2.2 text forms: 8 groups of 1-4 hex
 *   digits, "::" at most once for one or more zero groups, an embedded
 *   dotted IPv4 address as the last 32 bits. A zone index (%eth0, RFC 4007)
 *   and a /prefix are accepted after the address, as rules match them. */
#include <stddef.h>

#include "rules/validators.h"
#include "rules/validators_impl.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A decimal number of 1..maxdigits digits without a leading zero, <= max;
 * -1 otherwise. */
static long dec_field(const char *s, size_t n, size_t maxdigits, long max)
{
    if (n == 0 || n > maxdigits || !ds_vd_is_digits(s, n) || (n > 1 && s[0] == '0'))
        return -1;
    long v = (long)ds_vd_num(s, n);
    return v <= max ? v : -1;
}

/* A dotted quad, the whole of s[0..n). Sets *zero when it is 0.0.0.0 and
 * *bcast when it is 255.255.255.255. */
static int parse_ipv4(const char *s, size_t n, int *zero, int *bcast)
{
    size_t i = 0;
    int sum = 0, all255 = 1;
    for (int octet = 0; octet < 4; octet++) {
        size_t start = i;
        while (i < n && s[i] != '.')
            i++;
        long v = dec_field(s + start, i - start, 3, 255);
        if (v < 0)
            return 0;
        sum += (int)v;
        all255 &= v == 255;
        if (octet < 3) {
            if (i == n)
                return 0;
            i++; /* the dot */
        }
    }
    if (i != n)
        return 0;
    *zero = sum == 0;
    *bcast = all255;
    return 1;
}

/* Split an optional "/prefix" (0..max) off s[0..*n); 0 when it is malformed. */
static int strip_prefix(const char *s, size_t *n, long max)
{
    for (size_t i = 0; i < *n; i++) {
        if (s[i] == '/') {
            if (dec_field(s + i + 1, *n - i - 1, 3, max) < 0)
                return 0;
            *n = i;
            return 1;
        }
    }
    return 1;
}

int ds_valid_ipv4(const char *s, size_t n)
{
    int zero, bcast;
    if (!strip_prefix(s, &n, 32) || !parse_ipv4(s, n, &zero, &bcast))
        return 0;
    return !zero && !bcast;
}

/* The address part of an IPv6 text form, s[0..n). */
static int parse_ipv6(const char *s, size_t n)
{
    size_t i = 0;
    int groups = 0, compressed = 0, nonzero = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        compressed = 1;
        i = 2;
    } else if (n == 0 || s[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t start = i;
        unsigned v = 0;
        while (i < n && hex_value(s[i]) >= 0)
            v = v * 16 + (unsigned)hex_value(s[i++]);
        if (i < n && s[i] == '.') {
            /* embedded IPv4: the last 32 bits */
            int zero, bcast;
            if (!parse_ipv4(s + start, n - start, &zero, &bcast))
                return 0;
            groups += 2;
            nonzero |= !zero;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        nonzero |= v != 0;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (compressed)
                return 0;
            compressed = 1;
            i++;
        } else if (i == n) {
            return 0; /* a single trailing colon */
        }
    }
    if (compressed ? groups > 7 : groups != 8)
        return 0;
    return nonzero;
}

int ds_valid_ipv6(const char *s, size_t n)
{
    if (!strip_prefix(s, &n, 128))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%')
            continue;
        /* zone index: letters, digits, '.', '_', '-' */
        if (i + 1 == n)
            return 0;
        for (size_t j = i + 1; j < n; j++) {
            char c = s[j];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '.' || c == '_' || c == '-'))
                return 0;
        }
        n = i;
        break;
    }
    return parse_ipv6(s, n);
}

/* aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff (Cisco) or
 * aabbccddeeff. */
int ds_valid_mac(const char *s, size_t n)
{
    size_t group;
    char sep;
    if (n == 17 && (s[2] == ':' || s[2] == '-')) {
        group = 2;
        sep = s[2];
    } else if (n == 14 && s[4] == '.') {
        group = 4;
        sep = '.';
    } else if (n == 12) {
        group = 12;
        sep = 0;
    } else {
        return 0;
    }
    int zero = 1, ones = 1, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (sep && i % (group + 1) == group) {
            if (s[i] != sep)
                return 0;
            continue;
        }
        int v = hex_value(s[i]);
        if (v < 0)
            return 0;
        zero &= v == 0;
        ones &= v == 15;
        digits++;
    }
    return digits == 12 && !zero && !ones;
}
