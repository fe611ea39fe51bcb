/* report: finding fingerprints (see fingerprint.h). */
#include "report/fingerprint.h"

#include "common/buf.h"
#include "common/siphash.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

uint64_t ds_value_hash(const char *value, size_t n)
{
    return ds_siphash_2_4((const uint8_t *)DS_REPORT_KEY, value, n);
}

uint64_t ds_fingerprint(const uint8_t salt[DS_SALT_LEN], const char *rule, const char *file,
                        const char *field, size_t field_len, uint64_t value_hash)
{
    ds_buf b = {0};
    ds_buf_append(&b, rule, strlen(rule) + 1);
    ds_buf_append(&b, file, strlen(file) + 1);
    ds_buf_append(&b, field, field_len);
    ds_buf_putc(&b, 0);
    uint8_t h[8];
    for (int i = 0; i < 8; i++)
        h[i] = (uint8_t)(value_hash >> (8 * i));
    ds_buf_append(&b, h, 8);
    uint64_t fp = ds_siphash_2_4(salt, b.data, b.len);
    ds_buf_free(&b);
    return fp;
}

int ds_salt_random(uint8_t salt[DS_SALT_LEN])
{
    if (getrandom(salt, DS_SALT_LEN, 0) == DS_SALT_LEN)
        return 1;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, salt, DS_SALT_LEN);
    close(fd);
    return n == DS_SALT_LEN;
}

void ds_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ds_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int a = hexval((unsigned char)hex[2 * i]);
        int b = a < 0 ? -1 : hexval((unsigned char)hex[2 * i + 1]);
        if (a < 0 || b < 0)
            return 0;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return hex[2 * n] == 0;
}
