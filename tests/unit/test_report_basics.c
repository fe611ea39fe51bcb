/* tests: masking, JSON escaping and field-name normalisation. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/names.h"
#include "report/json_out.h"
#include "report/mask.h"

static void assert_mask(const char *type, const char *in, const char *want)
{
    ds_buf b = {0};
    ds_mask(type, in, strlen(in), &b);
    cr_assert_str_eq(b.data ? b.data : "", want, "mask(%s, %s)", type, in);
    ds_buf_free(&b);
}

Test(mask, documented_shapes)
{
    assert_mask("EMAIL", "jean.dupont@orange.fr", "j***@o****.fr");
    assert_mask("EMAIL", "a@xn--d1acufc.xn--p1ai", "a***@x****.xn--p1ai");
    assert_mask("IBAN", "FR76 3000 6000 0112 3456 7892 606", "FR76 **** **** **** **** ***2 606");
    assert_mask("IBAN", "DE89370400440532013000", "DE89**************3000");
    assert_mask("CREDIT_CARD", "4970 1012 3456 7890", "**** **** **** 7890");
    assert_mask("IP_ADDRESS", "192.168.10.42", "192.***.**.**");
    assert_mask("IP_ADDRESS", "2001:db8::1", "2001:***::*");
    assert_mask("PERSON_NAME", "Jean Dupont", "J*** D*****");
    assert_mask("PERSON_NAME", "Éloïse Lefèvre", "É***** L******");
    assert_mask("FR_NIR", "1 84 12 76 451 089 46", "* ** ** ** *** *** 46");
    assert_mask("US_SSN", "123", "***");
}

Test(mask, never_returns_the_value)
{
    const char *vals[] = {"abc", "a@b.co", "x", "12345678", "Marie", "4111111111111111"};
    const char *types[] = {"EMAIL", "CREDIT_CARD", "PERSON_NAME", "PHONE", "IBAN"};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
            ds_buf b = {0};
            ds_mask(types[t], vals[i], strlen(vals[i]), &b);
            cr_assert(b.data && strcmp(b.data, vals[i]) != 0, "%s %s", types[t], vals[i]);
            ds_buf_free(&b);
        }
}

Test(json_out, escapes)
{
    ds_buf b = {0};
    ds_json_str(&b, "a\"b\\c\n\t\x01\x1f" "\xC3\xA9", 11);
    cr_assert_str_eq(b.data, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\xC3\xA9\"");
    ds_buf_reset(&b);
    ds_json_str(&b, "nul\0x", 5);
    cr_assert_str_eq(b.data, "\"nul\\u0000x\"");
    ds_buf_reset(&b);
    ds_json_cstr(&b, NULL);
    cr_assert_str_eq(b.data, "null");
    ds_buf_free(&b);
}

static void assert_norm(const char *in, const char *want)
{
    char out[64];
    ds_name_normalise(in, strlen(in), out, sizeof out);
    cr_assert_str_eq(out, want, "normalise(%s)", in);
}

Test(names, normalise)
{
    assert_norm("Date_de_Naissance", "datedenaissance");
    assert_norm("date-de-naissance", "datedenaissance");
    assert_norm("Prénom", "prenom");
    assert_norm("E-Mail Address", "emailaddress");
    assert_norm("author.contact.e_mail", "email");
    assert_norm("posts[3]", "posts");
    assert_norm("m[1][0]", "m");
    assert_norm("#3", "#3");
    assert_norm("TÉLÉPHONE", "telephone");
}

Test(names, generic)
{
    char out[64];
    ds_name_generic("posts[12].body", 14, out, sizeof out);
    cr_assert_str_eq(out, "posts[].body");
    ds_name_generic("a[1][2].b[x]", 12, out, sizeof out);
    cr_assert_str_eq(out, "a[][].b[x]");
}
