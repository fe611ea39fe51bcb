/* tests: finding fingerprints and baseline files (report/fingerprint.h, baseline.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/baseline.h"
#include "report/fingerprint.h"

static const uint8_t salt_a[DS_SALT_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t salt_b[DS_SALT_LEN] = {16, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1};

static uint64_t fp(const uint8_t *salt, const char *rule, const char *file, const char *field,
                   const char *value)
{
    return ds_fingerprint(salt, rule, file, field, strlen(field),
                          ds_value_hash(value, strlen(value)));
}

Test(fingerprint, every_part_and_the_salt_count)
{
    uint64_t base = fp(salt_a, "email", "a.csv", "mail", "x@example.org");
    cr_assert_eq(base, fp(salt_a, "email", "a.csv", "mail", "x@example.org"));
    cr_assert_neq(base, fp(salt_b, "email", "a.csv", "mail", "x@example.org"));
    cr_assert_neq(base, fp(salt_a, "email2", "a.csv", "mail", "x@example.org"));
    cr_assert_neq(base, fp(salt_a, "email", "b.csv", "mail", "x@example.org"));
    cr_assert_neq(base, fp(salt_a, "email", "a.csv", "mail2", "x@example.org"));
    cr_assert_neq(base, fp(salt_a, "email", "a.csv", "mail", "y@example.org"));
    /* the NUL separators keep "ab"+"c" apart from "a"+"bc" */
    cr_assert_neq(fp(salt_a, "r", "ab", "c", "v"), fp(salt_a, "r", "a", "bc", "v"));
    /* the field is taken with its length, not up to a NUL */
    cr_assert_eq(ds_fingerprint(salt_a, "r", "f", "mail.x", 4, 7),
                 ds_fingerprint(salt_a, "r", "f", "mail", 4, 7));
}

Test(fingerprint, hex)
{
    uint8_t in[3] = {0x00, 0xab, 0xff}, out[3];
    char hex[7];
    ds_hex_encode(in, 3, hex);
    cr_assert_str_eq(hex, "00abff");
    cr_assert(ds_hex_decode("00ABff", out, 3));
    cr_assert_eq(memcmp(in, out, 3), 0);
    cr_assert_not(ds_hex_decode("00abf", out, 3));
    cr_assert_not(ds_hex_decode("00abffe", out, 3));
    cr_assert_not(ds_hex_decode("00abgf", out, 3));
}

Test(baseline, write_and_read_back)
{
    char dir[] = "/tmp/dsaudit-bl-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/base", dir);
    ds_baseline *b = ds_baseline_new(salt_a);
    for (int i = 0; i < 200; i++) {
        char v[32];
        snprintf(v, sizeof v, "user%d@example.org", i);
        uint64_t f = fp(salt_a, "email", "a\tb.csv", "mail\n", v);
        ds_baseline_add(b, f, "email", "a\tb.csv", "mail\n", 5);
        ds_baseline_add(b, f, "email", "a\tb.csv", "mail\n", 5); /* kept once */
    }
    cr_assert_eq(ds_baseline_count(b), 200);
    ds_error err;
    cr_assert_eq(ds_baseline_write(b, path, &err), DS_OK);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    ds_baseline *r = NULL;
    cr_assert_eq(ds_baseline_load(path, &r, &err), DS_OK, "%s", err.msg);
    cr_assert_eq(ds_baseline_count(r), 200);
    cr_assert_eq(memcmp(ds_baseline_salt(r), salt_a, DS_SALT_LEN), 0);
    cr_assert(ds_baseline_has(r, fp(salt_a, "email", "a\tb.csv", "mail\n", "user7@example.org")));
    cr_assert_not(ds_baseline_has(r, fp(salt_a, "email", "a\tb.csv", "mail\n", "user7@example.com")));
    /* names are escaped: one entry a line, 4 tab-separated columns, no value */
    FILE *f = fopen(path, "r");
    char line[512];
    int entries = 0;
    while (fgets(line, sizeof line, f)) {
        cr_assert_null(strstr(line, "@example.org"));
        if (strchr(line, '\t')) {
            entries++;
            cr_assert(strstr(line, "\temail\ta\\x09b.csv\tmail\\x0a\n"), "%s", line);
        }
    }
    fclose(f);
    cr_assert_eq(entries, 200);
    ds_baseline_free(b);
    ds_baseline_free(r);
    unlink(path);
    rmdir(dir);
}

Test(baseline, malformed_files)
{
    char path[] = "/tmp/dsaudit-bl-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *bad[] = {
        "",
        "dsaudit-baseline 2\nsalt 000102030405060708090a0b0c0d0e0f\n",
        "dsaudit-baseline 1\nsalt 0001\n",
        "dsaudit-baseline 1\nsalt 000102030405060708090a0b0c0d0e0f\nxyz\temail\n",
        "dsaudit-baseline 1\nsalt 000102030405060708090a0b0c0d0e0f\n0123456789abcdef0\n",
    };
    const char *where[] = {"", ":1", ":2", ":3", ":3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(ftruncate(fd, 0), 0);
        cr_assert_eq(pwrite(fd, bad[i], strlen(bad[i]), 0), (ssize_t)strlen(bad[i]));
        ds_baseline *b = (ds_baseline *)1;
        ds_error err;
        cr_assert_eq(ds_baseline_load(path, &b, &err), DS_EFORMAT, "case %zu", i);
        cr_assert_null(b);
        char want[64];
        snprintf(want, sizeof want, "%s%s", path, where[i]);
        cr_assert_str_eq(err.where, want, "case %zu", i);
    }
    close(fd);
    unlink(path);
    ds_baseline *b = NULL;
    ds_error err;
    cr_assert_eq(ds_baseline_load("/nonexistent/base", &b, &err), DS_EIO);
}
