/* Unit tests: redact transforms (HMAC-SHA-256, pseudonyms, generalisation)
 * and the action policy. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact/redact.h"

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* RFC 4231 test cases 1, 2, 3, 6 and 7 (HMAC-SHA-256). */
Test(redact_hmac, rfc4231)
{
    unsigned char key[131], out[32];
    char h[65];
    memset(key, 0x0b, 20);
    cr_assert(ds_hmac_sha256(key, 20, "Hi There", 8, out));
    hex(out, 32, h);
    cr_assert_str_eq(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

    cr_assert(ds_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, out));
    hex(out, 32, h);
    cr_assert_str_eq(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    unsigned char data[50];
    memset(key, 0xaa, 20);
    memset(data, 0xdd, 50);
    cr_assert(ds_hmac_sha256(key, 20, data, 50, out));
    hex(out, 32, h);
    cr_assert_str_eq(h, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");

    memset(key, 0xaa, 131);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    cr_assert(ds_hmac_sha256(key, 131, m6, strlen(m6), out));
    hex(out, 32, h);
    cr_assert_str_eq(h, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

    const char *m7 = "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the "
                     "HMAC algorithm.";
    cr_assert(ds_hmac_sha256(key, 131, m7, strlen(m7), out));
    hex(out, 32, h);
    cr_assert_str_eq(h, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static ds_rkey key_of(const char *s)
{
    ds_rkey k;
    ds_error err;
    cr_assert_eq(ds_rkey_from_mem(&k, s, strlen(s), &err), DS_OK);
    return k;
}

static char *pseudo(const ds_rkey *k, const char *type, const char *v)
{
    ds_buf b = {0};
    ds_pseudonymise(k, type, v, strlen(v), &b);
    ds_buf_putc(&b, 0);
    return b.data;
}

Test(redact_key, refused_when_short_or_missing)
{
    ds_rkey k;
    ds_error err;
    cr_assert_eq(ds_rkey_from_mem(&k, "short\n", 6, &err), DS_EINVAL);
    cr_assert_str_eq(err.msg, "the pseudonymisation key is too short (5 bytes; at least 16)");
    cr_assert_eq(ds_rkey_from_mem(&k, "0123456789abcdef\r\n", 18, &err), DS_OK);
    cr_assert_eq(k.len, 16); /* line ending dropped */
    cr_assert_eq(ds_rkey_from_file(&k, "/nonexistent/key", &err), DS_EIO);
}

Test(redact_pseudo, stable_keyed_and_format_preserving)
{
    ds_rkey a = key_of("key-one-0123456789"), b = key_of("key-two-0123456789");
    char *e1 = pseudo(&a, "EMAIL", "Jean.Dupont@Orange.fr");
    char *e2 = pseudo(&a, "EMAIL", "jean.dupont@orange.fr"); /* case folded */
    char *e3 = pseudo(&b, "EMAIL", "jean.dupont@orange.fr");
    cr_assert_str_eq(e1, e2);
    cr_assert_str_neq(e1, e3);
    cr_assert_eq(strlen(e1), strlen("u0123456789ab@pseudo.invalid"));
    cr_assert(e1[0] == 'u' && strcmp(e1 + 13, "@pseudo.invalid") == 0);
    cr_assert_null(strstr(e1, "dupont"));

    char *p1 = pseudo(&a, "PHONE", "+33 6 12 34 56 78");
    char *p2 = pseudo(&a, "PHONE", "+33612345678"); /* separators do not matter */
    cr_assert_eq(strlen(p1), strlen("+33 6 12 34 56 78"));
    cr_assert_eq(strncmp(p1, "+33 ", 4), 0);
    for (size_t i = 0; p1[i]; i++)
        cr_assert(p1[i] == ' ' || p1[i] == '+' || (p1[i] >= '0' && p1[i] <= '9'));
    cr_assert_eq(strncmp(p2, "+33", 3), 0);
    cr_assert_eq(strlen(p2), 12);

    char *n = pseudo(&a, "PERSON_NAME", "Jean-Luc Dupont");
    cr_assert_eq(strlen(n), strlen("Jean-Luc Dupont"));
    cr_assert(n[0] >= 'A' && n[0] <= 'Z' && n[4] == '-' && n[5] >= 'A' && n[5] <= 'Z');
    cr_assert(n[8] == ' ' && n[9] >= 'A' && n[9] <= 'Z' && n[10] >= 'a' && n[10] <= 'z');
    cr_assert_str_neq(n, "Jean-Luc Dupont");

    /* a pseudonymised card never passes Luhn, an IBAN never passes mod 97 */
    for (int i = 0; i < 50; i++) {
        char v[48];
        snprintf(v, sizeof v, "4012 8888 8888 %04d", i);
        char *c = pseudo(&a, "CREDIT_CARD", v);
        cr_assert_eq(strlen(c), 19);
        cr_assert_eq(c[0], '4');
        int sum = 0, dbl = 0;
        for (int j = 18; j >= 0; j--) {
            if (c[j] == ' ')
                continue;
            int d = c[j] - '0';
            if (dbl && (d *= 2) > 9)
                d -= 9;
            sum += d;
            dbl = !dbl;
        }
        cr_assert_neq(sum % 10, 0, "%s passes Luhn", c);
        free(c);
        snprintf(v, sizeof v, "FR76 3000 6000 0112 3456 7890 1%02d", i);
        char *ib = pseudo(&a, "IBAN", v);
        cr_assert_eq(strncmp(ib, "FR", 2), 0);
        cr_assert_eq(strlen(ib), strlen(v));
        free(ib);
    }
    char *ip = pseudo(&a, "IP_ADDRESS", "192.168.10.42");
    cr_assert_eq(strncmp(ip, "10.", 3), 0);
    free(ip);
    free(e1);
    free(e2);
    free(e3);
    free(p1);
    free(p2);
    free(n);
}

static char *gen(const char *type, const char *v)
{
    ds_buf b = {0};
    ds_generalise(type, v, strlen(v), &b);
    ds_buf_putc(&b, 0);
    return b.data;
}

Test(redact_generalise, by_type)
{
    struct {
        const char *type, *in, *out;
    } cases[] = {
        {"DATE_OF_BIRTH", "24/02/1993", "1993"},
        {"DATE_OF_BIRTH", "1984-05-17", "1984"},
        {"DATE_OF_BIRTH", "né le 12 mars 1984", "1984"},
        {"IP_ADDRESS", "192.168.10.42", "192.168.10.0/24"},
        {"IP_ADDRESS", "2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"},
        {"GEO_COORDINATES", "48.856613, 2.352222", "48.86, 2.35"},
        {"GEO_COORDINATES", "-33.8688,151.2093", "-33.87,151.21"},
        {"POSTAL_ADDRESS", "12 rue de la Paix, 75002 Paris", "75"},
        {NULL, "37", "30-39"},
        {NULL, "2024-01-15", "2024"},
        {NULL, "69003", "69"},
        {"EMAIL", "jean.dupont@orange.fr", "j***@o****.fr"}, /* no generalisation: masked */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *g = gen(cases[i].type, cases[i].in);
        cr_assert_str_eq(g, cases[i].out, "%s %s", cases[i].type ? cases[i].type : "-",
                         cases[i].in);
        free(g);
    }
}

Test(redact_policy, specs_precedence_and_defaults)
{
    ds_rpolicy *p = ds_rpolicy_new();
    ds_error err;
    cr_assert_eq(ds_rpolicy_add_spec(p, "EMAIL=mask", DS_RSRC_CLI, &err), DS_OK);
    cr_assert_eq(ds_rpolicy_add_spec(p, "category:sensitive=drop", DS_RSRC_CLI, &err), DS_OK);
    cr_assert_eq(ds_rpolicy_add_spec(p, "field:nom=drop", DS_RSRC_CLI, &err), DS_OK);
    cr_assert_eq(ds_rpolicy_add_spec(p, "rule:iban=keep", DS_RSRC_CLI, &err), DS_OK);
    cr_assert_eq(ds_rpolicy_add_spec(p, "EMAIL=frob", DS_RSRC_CLI, &err), DS_EINVAL);
    cr_assert_eq(ds_rpolicy_add_spec(p, "nope", DS_RSRC_CLI, &err), DS_EINVAL);
    cr_assert_eq(ds_rpolicy_add_spec(p, "colour:x=mask", DS_RSRC_CLI, &err), DS_EINVAL);

    ds_rule email = {.id = "email", .type = "EMAIL", .category = "personal"};
    ds_rule iban = {.id = "iban", .type = "IBAN", .category = "personal"};
    ds_rule health = {.id = "health", .type = "HEALTH", .category = "sensitive"};
    ds_rule dob = {.id = "dob", .type = "DATE_OF_BIRTH", .category = "personal"};
    ds_rule phone = {.id = "phone", .type = "PHONE", .category = "personal"};
    cr_assert_eq(ds_rpolicy_for_rule(p, &email), DS_RA_MASK);
    cr_assert_eq(ds_rpolicy_for_rule(p, &iban), DS_RA_KEEP);
    cr_assert_eq(ds_rpolicy_for_rule(p, &health), DS_RA_DROP);
    cr_assert_eq(ds_rpolicy_for_rule(p, &dob), DS_RA_GENERALISE); /* default */
    cr_assert_eq(ds_rpolicy_for_rule(p, &phone), DS_RA_PSEUDO);   /* default */
    cr_assert_eq(ds_rpolicy_for_rule(NULL, &health), DS_RA_MASK); /* default */

    cr_assert_eq(ds_rpolicy_for_field(p, "nom", 3), DS_RA_DROP);
    cr_assert_eq(ds_rpolicy_for_field(p, "Nom", 3), DS_RA_DROP); /* normalised */
    cr_assert_eq(ds_rpolicy_for_field(p, "prenom", 6), DS_RA_UNSET);

    /* a policy file does not override the command line; the sidecar is lowest */
    const char *yml = "# policy\nEMAIL: pseudonymise\nIBAN: mask\nfield:posts[].body: drop\n";
    cr_assert_eq(ds_rpolicy_load_policy_mem(p, yml, strlen(yml), "p.yml", &err), DS_OK);
    cr_assert_eq(ds_rpolicy_for_rule(p, &email), DS_RA_MASK);
    ds_rule iban2 = {.id = "iban_other", .type = "IBAN", .category = "personal"};
    cr_assert_eq(ds_rpolicy_for_rule(p, &iban2), DS_RA_MASK);
    cr_assert_eq(ds_rpolicy_for_field(p, "posts[3].body", 13), DS_RA_DROP);
    const char *bad = "EMAIL: frob\n";
    cr_assert_eq(ds_rpolicy_load_policy_mem(p, bad, strlen(bad), "p.yml", &err), DS_EFORMAT);
    cr_assert_str_eq(err.msg,
                     "p.yml:1: 'EMAIL': expected keep, mask, pseudonymise, generalise or drop");

    const char *side = "dsaudit_version: 1\ndataset: {name: d}\npersonal_data:\n  fields:\n"
                       "    - {name: email, treatment: pseudonymised}\n"
                       "    - {name: nom, treatment: keep}\n"
                       "    - {name: ville, treatment: generalised}\n";
    cr_assert_eq(ds_rpolicy_load_sidecar_mem(p, side, strlen(side), ".dsaudit.yml", &err), DS_OK,
                 "%s", err.msg);
    cr_assert_eq(ds_rpolicy_for_field(p, "email", 5), DS_RA_PSEUDO);
    cr_assert_eq(ds_rpolicy_for_field(p, "nom", 3), DS_RA_DROP); /* CLI wins */
    cr_assert_eq(ds_rpolicy_for_field(p, "ville", 5), DS_RA_GENERALISE);
    ds_rpolicy_free(p);
}

Test(redact_policy, action_words)
{
    ds_raction a;
    cr_assert(ds_raction_parse("pseudonymised", &a) && a == DS_RA_PSEUDO);
    cr_assert(ds_raction_parse("generalized", &a) && a == DS_RA_GENERALISE);
    cr_assert(ds_raction_parse("removed", &a) && a == DS_RA_DROP);
    cr_assert(ds_raction_parse("KEEP", &a) && a == DS_RA_KEEP);
    cr_assert(!ds_raction_parse("erase", &a));
    cr_assert_str_eq(ds_raction_name(DS_RA_PSEUDO), "pseudonymise");
}
