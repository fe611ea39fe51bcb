/* tests: the validator registry and every validator (suite `validators`).
 *
 * One table of vectors. Each row is VALID or INVALID and carries a note: its
 * source, then the arithmetic that decides it, recomputed with an independent
 * implementation when the row was written (for example "1841276451089 mod
 * 97 = 51, key 46"). The block comment above each validator's rows lists its
 * sources; [stdnum] is python-stdnum (github.com/arthurdejong/python-stdnum,
 * the module's doctests), [brief] a sample from the task that added the
 * validator. Rows that say "check computed" are built to fail on one rule
 * only: the check digits are right, the date or prefix is not.
 *
 * A test per registry entry, generated from validators.def, runs that
 * validator's rows and requires at least 3 valid and 3 invalid ones, so a new
 * validator without vectors fails. Every call gets an exact-size heap copy
 * without a NUL, so AddressSanitizer catches any read past s[n - 1]. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rules/validators.h"

typedef struct vector {
    const char *validator;
    const char *text;
    int valid;
    const char *note;
} vector;

#define VALID(name, text, note) {name, text, 1, note}
#define INVALID(name, text, note) {name, text, 0, note}

static const vector vectors[] = {
    /* luhn: Wikipedia "Luhn algorithm" worked example 79927398713; card test numbers below. */
    VALID("luhn", "79927398713", "Wikipedia example; Luhn sum 70"),
    VALID("luhn", "4012-8888-8888-1881", "dashes are skipped; Luhn sum 90"),
    VALID("luhn", "18", "shortest: 1x2 + 8; Luhn sum 10"),
    INVALID("luhn", "79927398710", "Wikipedia example, check digit changed; Luhn sum 67"),
    INVALID("luhn", "79927398731", "last two digits transposed; Luhn sum 72"),
    INVALID("luhn", "7", "one digit; fewer than 2 digits"),
    INVALID("luhn", "7992739871a", "a letter; not only digits, spaces, dashes"),
    INVALID("luhn", "", "empty; fewer than 2 digits"),

    /* card: Stripe test cards (docs.stripe.com/testing): 4242424242424242, 4000056655665556,
     * 5555555555554444, 2223003122003222, 378282246310005, 6011111111111117, 6555900000604105,
     * 3056930009020004, 36227206271667, 3566002020360505, 6200000000000005, 6205500000000000004;
     * PayPal/Braintree sandbox: 4012888888881881, 4222222222222, 371449635398431, 30569309025904,
     * 3530111333300000, 6304000000000000 (Maestro); CyberSource test list: 50339619890917
     * (Maestro); patterns/financial.yml examples. */
    VALID("card", "4242424242424242", "Stripe; Visa 16 digits, Luhn sum 80"),
    VALID("card", "4012 8888 8888 1881", "Braintree, 4-4-4-4; Visa 16 digits, Luhn sum 90"),
    VALID("card", "4222222222222", "Braintree, 13 digits; Visa 13 digits, Luhn sum 40"),
    VALID("card", "4000056655665556", "Stripe debit; Visa 16 digits, Luhn sum 50"),
    VALID("card", "5555555555554444", "Stripe; MC 16 digits, Luhn sum 60"),
    VALID("card", "2223003122003222", "Stripe 2-series; MC2 16 digits, Luhn sum 40"),
    VALID("card", "378282246310005", "Stripe; Amex 15 digits, Luhn sum 60"),
    VALID("card", "3714 496353 98431", "Braintree, 4-6-5; Amex 15 digits, Luhn sum 80"),
    VALID("card", "6011111111111117", "Stripe; Discover/Maestro 16 digits, Luhn sum 30"),
    VALID("card", "6555900000604105", "Stripe, 65 range; Discover/Maestro 16 digits, Luhn sum 40"),
    VALID("card", "3056930009020004", "Stripe, 16 digits; Diners 16 digits, Luhn sum 40"),
    VALID("card", "36227206271667", "Stripe, 14 digits; Diners 14 digits, Luhn sum 60"),
    VALID("card", "30569309025904", "Braintree; Diners 14 digits, Luhn sum 50"),
    VALID("card", "3566002020360505", "Stripe; JCB 16 digits, Luhn sum 50"),
    VALID("card", "3530111333300000", "Braintree; JCB 16 digits, Luhn sum 40"),
    VALID("card", "6200000000000005", "Stripe; UnionPay/Maestro 16 digits, Luhn sum 10"),
    VALID("card", "6205500000000000004",
          "Stripe, 19 digits; UnionPay/Maestro 19 digits, Luhn sum 20"),
    VALID("card", "6304000000000000", "Braintree; Maestro 16 digits, Luhn sum 10"),
    VALID("card", "50339619890917", "CyberSource, 14 digits; Maestro 14 digits, Luhn sum 70"),
    INVALID("card", "4242424242424241", "Stripe number, check digit changed; Luhn sum 79"),
    INVALID("card", "4012-8888-8888-1882", "financial.yml negative; Luhn sum 91"),
    INVALID("card", "4012-8888 8888-1881",
            "financial.yml negative, mixed separators; two separator kinds"),
    INVALID("card", "4012 8888 8888 1881 ", "trailing separator; separator at an end or doubled"),
    INVALID("card", "4012  8888 8888 1881", "doubled separator; separator at an end or doubled"),
    INVALID("card", "1234567812345670",
            "issuer prefix 1 is not a card; Luhn sum 60, no issuer for prefix/length 16"),
    INVALID("card", "40000000000000006",
            "Visa prefix, 17 digits; Luhn sum 10, no issuer for prefix/length 17"),
    INVALID("card", "3782822463100003",
            "Amex prefix, 16 digits; Luhn sum 50, no issuer for prefix/length 16"),
    INVALID("card", "6666666666666",
            "Maestro prefix and Luhn, but one digit repeated; one digit repeated (Luhn sum 60)"),
    INVALID("card", "0000000000000000", "all zeros; one digit repeated (Luhn sum 0)"),
    INVALID("card", "4242-4242-4242-424x", "a letter; not a digit, space or dash"),

    /* iban: Wikipedia "International Bank Account Number" examples; patterns/financial.yml. */
    VALID("iban", "FR76 3000 6000 0112 3456 7890 189", "financial.yml; mod 97 = 1"),
    VALID("iban", "DE89370400440532013000", "financial.yml; mod 97 = 1"),
    VALID("iban", "GB82 WEST 1234 5698 7654 32", "Wikipedia; mod 97 = 1"),
    VALID("iban", "gb82 west 1234 5698 7654 32", "lower case; mod 97 = 1"),
    INVALID("iban", "DE89370400440532013001", "check changed; mod 97 = 28"),
    INVALID("iban", "GB82 WEST 1234 5698 7654 3", "one short; 21 characters, GB needs 22"),
    INVALID("iban", "FR14 2004 1010 0505 0001 3M02 607", "financial.yml negative; mod 97 = 28"),
    INVALID("iban", "XX82WEST12345698765432", "unknown country"),
    /* the ends of the country table (a binary search): SWIFT IBAN registry examples */
    VALID("iban", "AD12 0001 2030 2003 5910 0100", "registry; first country, mod 97 = 1"),
    VALID("iban", "YE15 CBYE 0001 0188 6123 4567 8912 34", "registry; last country, mod 97 = 1"),
    VALID("iban", "XK05 1212 0123 4567 8906", "registry; mod 97 = 1"),
    VALID("iban", "NO93 8601 1117 947", "registry; shortest (15), mod 97 = 1"),
    INVALID("iban", "AA57000120302003591001", "before the first country; mod 97 = 1"),
    INVALID("iban", "ZZ48000120302003591001", "after the last country; mod 97 = 1"),
    INVALID("iban", "GB82_WEST_1234_5698_7654_32", "underscores"),

    /* fr_nir: INSEE rules (fr.wikipedia "Numéro de sécurité sociale en France"); python-stdnum
     * stdnum/fr/nir.py doctests [stdnum]; python-validators tests/i18n/test_fr.py [pyval]; carte
     * Vitale specimen 2 69 05 49 588 157 80 (ameli.fr) [Vitale]; brief sample 1 84 12 76 451 089
     * 46 [brief]. Keys recomputed here: key = 97 - (13 digits mod 97), 2A -> 19, 2B -> 18. */
    VALID("fr_nir", "1 84 12 76 451 089 46", "brief; 1841276451089 mod 97 = 51, key 46"),
    VALID("fr_nir", "184127645108946", "brief, compact; 1841276451089 mod 97 = 51, key 46"),
    VALID("fr_nir", "2 69 05 49 588 157 80", "Vitale; 2690549588157 mod 97 = 17, key 80"),
    VALID("fr_nir", "295109912611193", "stdnum; 2951099126111 mod 97 = 4, key 93"),
    VALID("fr_nir", "253072A07300443", "stdnum, 2A; 2530719073004 mod 97 = 54, key 43"),
    VALID("fr_nir", "253072B07300470", "stdnum, 2B; 2530718073004 mod 97 = 27, key 70"),
    VALID("fr_nir", "2 99 05 2a 202 817 58",
          "pyval, 2A in lower case; 2990519202817 mod 97 = 39, key 58"),
    VALID("fr_nir", "2 99 05 2B 202 817 85", "pyval, 2B; 2990518202817 mod 97 = 12, key 85"),
    VALID("fr_nir", "2 99 05 75 202 818 97",
          "pyval, key 97 (number divisible by 97); 2990575202818 mod 97 = 0, key 97"),
    VALID("fr_nir", "2 99 05 971 12 817 70",
          "pyval, overseas department 971; 2990597112817 mod 97 = 27, key 70"),
    VALID("fr_nir", "784507645108963",
          "NIA: sex 7, month 50 (unknown), key computed; 7845076451089 mod 97 = 34, key 63"),
    INVALID("fr_nir", "295109912611199", "stdnum, key changed; 2951099126111 mod 97 = 4, key 93"),
    INVALID("fr_nir", "253072C07300443", "stdnum, department 2C"),
    INVALID("fr_nir", "253072A07300470",
            "2A number with the 2B key; 2530719073004 mod 97 = 54, key 43"),
    INVALID("fr_nir", "253072A07300416",
            "key from reading 2A as 20: the wrong rule; 2530719073004 mod 97 = 54, key 43"),
    INVALID("fr_nir", "1 84 12 76 451 089 47", "key + 1; 1841276451089 mod 97 = 51, key 46"),
    INVALID("fr_nir", "1 84 21 76 451 089 46",
            "month digits transposed; 1842176451089 mod 97 = 4, key 93"),
    INVALID("fr_nir", "584127645108940", "sex digit 5, key computed for it"),
    INVALID("fr_nir", "184137645108962",
            "month 13, key computed for it; 1841376451089 mod 97 = 35, key 62"),
    INVALID("fr_nir", "184437645108957",
            "month 43, key computed for it; 1844376451089 mod 97 = 40, key 57"),
    INVALID("fr_nir", "1 84 12 76 451 089 4", "14 characters"),
    INVALID("fr_nir", "1/84/12/76/451/089/46", "slashes"),

    /* fr_siren: INSEE SIREN 732 829 320 and SIRET 732 829 320 00074 (python-stdnum
     * stdnum/fr/siret.py and siren.py doctests) [stdnum]; La Poste SIREN 356 000 000 and SIRETs
     * 356 000 000 00048 (head office, Luhn) and 356 000 000 49837 (digit sum 45), as used by
     * fr.wikipedia "SIRET" and python-stdnum. */
    VALID("fr_siren", "732 829 320", "stdnum; Luhn sum 40"),
    VALID("fr_siren", "732829320", "compact; Luhn sum 40"),
    VALID("fr_siren", "404833048", "stdnum siren doctest; Luhn sum 40"),
    VALID("fr_siren", "356.000.000", "La Poste, dots; Luhn sum 10"),
    INVALID("fr_siren", "732 829 321", "check changed; Luhn sum 41"),
    INVALID("fr_siren", "404833084", "last digits transposed; Luhn sum 35"),
    INVALID("fr_siren", "000000000", "all zeros pass Luhn; one digit repeated"),
    INVALID("fr_siren", "73282932", "8 digits"),
    INVALID("fr_siren", "732/829/320", "slashes"),

    /* fr_siret: INSEE SIREN 732 829 320 and SIRET 732 829 320 00074 (python-stdnum
     * stdnum/fr/siret.py and siren.py doctests) [stdnum]; La Poste SIREN 356 000 000 and SIRETs
     * 356 000 000 00048 (head office, Luhn) and 356 000 000 49837 (digit sum 45), as used by
     * fr.wikipedia "SIRET" and python-stdnum. */
    VALID("fr_siret", "73282932000074", "stdnum; Luhn sum 50 (SIREN 40)"),
    VALID("fr_siret", "732 829 320 00074", "spaced; Luhn sum 50 (SIREN 40)"),
    VALID("fr_siret", "35600000000048", "La Poste head office, Luhn; Luhn sum 30 (SIREN 10)"),
    VALID("fr_siret", "35600000049837", "La Poste office; La Poste: digit sum 45"),
    INVALID("fr_siret", "73282932000079", "stdnum, check changed; Luhn sum 55 (SIREN 40)"),
    INVALID("fr_siret", "73282932000047", "NIC digits transposed; Luhn sum 56 (SIREN 40)"),
    INVALID("fr_siret", "35600000049838",
            "La Poste office, sum not a multiple of 5; La Poste: digit sum 46"),
    INVALID("fr_siret", "35600000000049", "La Poste, neither rule; La Poste: digit sum 27"),
    INVALID("fr_siret", "73282932100007",
            "14 digits pass Luhn, the SIREN does not; SIREN Luhn sum 41"),
    INVALID("fr_siret", "7328293200007", "13 digits"),

    /* fr_vat: python-stdnum stdnum/fr/tva.py doctests [stdnum] (FR 40 303 265 045, 23 334 175 221,
     * K7399859412 new style, 84 323 140 391 invalid); keys recomputed as (12 + 3 x (SIREN mod 97))
     * mod 97. */
    VALID("fr_vat", "FR 40 303 265 045", "stdnum; SIREN mod 97 = 74, (12 + 3 x 74) mod 97 = 40"),
    VALID("fr_vat", "FR23334175221", "stdnum; SIREN mod 97 = 36, (12 + 3 x 36) mod 97 = 23"),
    VALID("fr_vat", "fr 44 732829320",
          "SIREN 732 829 320, lower case; SIREN mod 97 = 43, (12 + 3 x 43) mod 97 = 44"),
    VALID("fr_vat", "FR83404833048",
          "SIREN 404 833 048; SIREN mod 97 = 56, (12 + 3 x 56) mod 97 = 83"),
    VALID("fr_vat", "FR15000000001",
          "Monaco: SIREN 000... is not Luhn-checked; SIREN mod 97 = 1, (12 + 3 x 1) mod 97 = 15"),
    INVALID("fr_vat", "FR84323140391", "stdnum invalid; SIREN Luhn sum 29"),
    INVALID("fr_vat", "FR41303265045", "key + 1; SIREN mod 97 = 74, (12 + 3 x 74) mod 97 = 40"),
    INVALID("fr_vat", "FRK7399859412", "stdnum new-style key: not supported"),
    INVALID("fr_vat", "FR32123456789", "key right, SIREN 123456789 fails Luhn; SIREN Luhn sum 47"),
    INVALID("fr_vat", "FR4030326504", "8-digit SIREN"),
    INVALID("fr_vat", "DE40303265045", "not FR"),

    /* es_nif: Ministerio del Interior (DNI check letter table; example 12345678Z); NIE X1234567L,
     * Y1234567X, Z1234567R recomputed with X/Y/Z = 0/1/2; python-stdnum es/dni.py, es/nie.py. */
    VALID("es_nif", "12345678Z", "12345678 mod 23 = 14 -> Z"),
    VALID("es_nif", "12345678-z", "dash, lower case; 12345678 mod 23 = 14 -> Z"),
    VALID("es_nif", "12.345.678 Z", "dots, space; 12345678 mod 23 = 14 -> Z"),
    VALID("es_nif", "X1234567L", "01234567 mod 23 = 19 -> L"),
    VALID("es_nif", "Y1234567X", "11234567 mod 23 = 10 -> X"),
    VALID("es_nif", "Z-1234567-R", "21234567 mod 23 = 1 -> R"),
    VALID("es_nif", "00000001R", "leading zeros; 00000001 mod 23 = 1 -> R"),
    INVALID("es_nif", "12345678A", "letter changed; 12345678 mod 23 = 14 -> Z"),
    INVALID("es_nif", "12345687Z", "digits transposed; 12345687 mod 23 = 0 -> T"),
    INVALID("es_nif", "1234567Z", "7 digits"),
    INVALID("es_nif", "00000000T", "all zeros"),
    INVALID("es_nif", "W1234567L", "prefix W"),
    INVALID("es_nif", "X1234567", "no letter"),
    INVALID("es_nif", "123456789", "9 digits"),

    /* es_cif: python-stdnum stdnum/es/cif.py doctests [stdnum]; Q2826000H: Agencia Tributaria. */
    VALID("es_cif", "J99216582", "stdnum; sum 38, control 2 or B"),
    VALID("es_cif", "A13585625", "stdnum; sum 25, control 5 or E"),
    VALID("es_cif", "Q2826000H", "letter control; sum 22, control 8 or H"),
    VALID("es_cif", "B-1234567-4", "digit control; sum 26, control 4 or D"),
    VALID("es_cif", "b1234567d", "letter control, lower case; sum 26, control 4 or D"),
    INVALID("es_cif", "J99216583", "stdnum; sum 38, control 2 or B"),
    INVALID("es_cif", "M-1234567-L", "stdnum: a NIF, not a CIF"),
    INVALID("es_cif", "O-1234567-L", "stdnum: letter O"),
    INVALID("es_cif", "Q2826000I", "wrong letter; sum 22, control 8 or H"),
    INVALID("es_cif", "J9921658", "short"),

    /* it_fiscal_code: Agenzia delle Entrate; it.wikipedia "Codice fiscale" (RSSMRA85T10A562S,
     * MRTMTT25D09F205Z); python-stdnum it/codicefiscale.py (RCCMNL83S18D969H) [stdnum]; other
     * check letters computed here (odd-position table, even positions by rank, sum mod 26). */
    VALID("it_fiscal_code", "RSSMRA85T10A562S", "it.wikipedia; sum 122 mod 26 = 18 -> S"),
    VALID("it_fiscal_code", "MRTMTT25D09F205Z", "it.wikipedia; sum 155 mod 26 = 25 -> Z"),
    VALID("it_fiscal_code", "RCCMNL83S18D969H", "stdnum; sum 163 mod 26 = 7 -> H"),
    VALID("it_fiscal_code", "rssmra85t10a562s", "lower case; sum 122 mod 26 = 18 -> S"),
    VALID("it_fiscal_code", "RSS MRA 85T10 A562S", "spaced; sum 122 mod 26 = 18 -> S"),
    VALID("it_fiscal_code", "RSSMRA85T50A562W", "woman: day 10 + 40; sum 126 mod 26 = 22 -> W"),
    VALID("it_fiscal_code", "MRTMTT25D09F20RU",
          "omocodia: last digit 5 -> R, check recomputed; sum 150 mod 26 = 20 -> U"),
    VALID("it_fiscal_code", "MRTMTTRLDLNFLQRC", "omocodia on every digit; sum 184 mod 26 = 2 -> C"),
    VALID("it_fiscal_code", "RSSMRA85B29A562Z",
          "February 29 (the century is unknown); sum 129 mod 26 = 25 -> Z"),
    VALID("it_fiscal_code", "RSSMRA85B69A562D", "woman, February 29; sum 133 mod 26 = 3 -> D"),
    INVALID("it_fiscal_code", "RSSMRA85T10A562T", "check letter changed; sum 122 mod 26 = 18 -> S"),
    INVALID("it_fiscal_code", "RSSMRA85T10A526S", "digits transposed; sum 128 mod 26 = 24 -> Y"),
    INVALID("it_fiscal_code", "RSSMRA85Z10A562B",
            "month letter Z, check computed; sum 131 mod 26 = 1 -> B"),
    INVALID("it_fiscal_code", "RSSMRA85B30A562G",
            "February 30, check computed; day 30 month 2; sum 110 mod 26 = 6 -> G"),
    INVALID("it_fiscal_code", "RSSMRA85T72A562C",
            "day 72 - 40 = 32, check computed; day 32 month 12; sum 132 mod 26 = 2 -> C"),
    INVALID("it_fiscal_code", "RSSMRA85T10A56OY",
            "O is no omocodia letter, check computed; position 15"),
    INVALID("it_fiscal_code", "RSSMRA85T10A562", "15 characters"),
    INVALID("it_fiscal_code", "RSSMRA85T10A562SS", "17 characters"),
    INVALID("it_fiscal_code", "RSSMRA-85T10-A562S", "dashes"),

    /* pt_nif: python-stdnum stdnum/pt/nif.py doctests (PT 501 964 843) [stdnum]; 123456789
     * [brief]; 999999990 (the "consumidor final" NIF printed on receipts); ranges from
     * pt.wikipedia "Número de identificação fiscal". */
    VALID("pt_nif", "123456789", "brief; sum 156 mod 11 = 2, check 9"),
    VALID("pt_nif", "PT 501 964 843", "stdnum; sum 184 mod 11 = 8, check 3"),
    VALID("pt_nif", "999999990", "consumidor final, 99; sum 396 mod 11 = 0, check 0"),
    VALID("pt_nif", "451234561", "45: non-resident person; sum 153 mod 11 = 10, check 1"),
    VALID("pt_nif", "700000003", "70: estate; sum 63 mod 11 = 8, check 3"),
    VALID("pt_nif", "980000009", "98; sum 145 mod 11 = 2, check 9"),
    INVALID("pt_nif", "PT 501 964 842", "stdnum; sum 184 mod 11 = 8, check 3"),
    INVALID("pt_nif", "123456788", "check changed; sum 156 mod 11 = 2, check 9"),
    INVALID("pt_nif", "412345676",
            "41 not allocated; prefix 41 not allocated; sum 148 mod 11 = 5, check 6"),
    INVALID("pt_nif", "730000001",
            "73 not allocated; prefix 73 not allocated; sum 87 mod 11 = 10, check 1"),
    INVALID("pt_nif", "012345679",
            "0 not allocated; prefix 01 not allocated; sum 112 mod 11 = 2, check 9"),
    INVALID("pt_nif", "12345678", "8 digits"),

    /* nl_bsn: python-stdnum stdnum/nl/bsn.py doctests 111222333 and 1112.22.333 [stdnum] (the
     * Dutch test number); others computed with the 11-test. */
    VALID("nl_bsn", "111222333", "stdnum; sum 66 mod 11 = 0"),
    VALID("nl_bsn", "1112.22.333", "stdnum; sum 66 mod 11 = 0"),
    VALID("nl_bsn", "123456782", "sum 154 mod 11 = 0"),
    VALID("nl_bsn", "100000009", "sum 0 mod 11 = 0"),
    INVALID("nl_bsn", "111222334", "last digit changed; sum 65 mod 11 = 10"),
    INVALID("nl_bsn", "112122333", "digits transposed; sum 67 mod 11 = 1"),
    INVALID("nl_bsn", "000000000", "all zeros; one digit repeated"),
    INVALID("nl_bsn", "11122233", "8 digits"),
    INVALID("nl_bsn", "111222333a", "a letter"),

    /* be_national_number: python-stdnum stdnum/be/nn.py doctests [stdnum] (85.07.30-033.28, 17 07
     * 30 033 84, 12345678901 invalid); IBZ "Structure du numéro de registre national"; others
     * computed. */
    VALID("be_national_number", "85.07.30-033.28",
          "stdnum; 97 - 850730033 mod 97 = 28; 97 - 2850730033 mod 97 = 57 (1900s)"),
    VALID("be_national_number", "85073003328",
          "compact; 97 - 850730033 mod 97 = 28; 97 - 2850730033 mod 97 = 57 (1900s)"),
    VALID("be_national_number", "17 07 30 033 84",
          "stdnum, born 2017: 2 prefixed; 97 - 170730033 mod 97 = 55; 97 - 2170730033 mod 97 = 84"
          " (2000s)"),
    VALID("be_national_number", "40000095579",
          "month and day unknown; 97 - 400000955 mod 97 = 79; 97 - 2400000955 mod 97 = 11 (1900s)"),
    VALID("be_national_number", "00022900145",
          "2000-02-29 with the 2000s check; 97 - 000229001 mod 97 = 16; 97 - 2000229001 mod 97 = "
          "45 (2000s)"),
    INVALID("be_national_number", "12345678901",
            "stdnum; 97 - 123456789 mod 97 = 58; 97 - 2123456789 mod 97 = 87"),
    INVALID("be_national_number", "85.07.30-033.29",
            "check + 1; 97 - 850730033 mod 97 = 28; 97 - 2850730033 mod 97 = 57"),
    INVALID("be_national_number", "85133003370",
            "month 13, check computed; 97 - 851330033 mod 97 = 70; 97 - 2851330033 mod 97 = 2"),
    INVALID("be_national_number", "85023003390",
            "February 30, check computed; 97 - 850230033 mod 97 = 90; 97 - 2850230033 mod 97 = 22"),
    INVALID("be_national_number", "85073000061", "serial 000, check computed"),
    INVALID("be_national_number", "00022900116",
            "1900-02-29 (no such day) with the 1900s check; 97 - 000229001 mod 97 = 16; 97 - "
            "2000229001 mod 97 = 45"),
    INVALID("be_national_number", "8507300332", "10 digits"),

    /* de_tax_id: ELSTER "Prüfung der Steuer- und Steueridentifikationsnummer" chapter 2 examples
     * 86095742719, 47036892816, 65929970489, 57549285017, 25768131411 and test number 02476291358
     * (via rechtlogisch/steuer-id tests/Datasets); python-stdnum de/idnr.py doctests 36574261809,
     * 36554266806 [stdnum]; 65299970480, 26954371820 from rechtlogisch/steuer-id
     * tests/Datasets/Invalid.php. */
    VALID("de_tax_id", "86095742719", "ELSTER; MOD 11,10 check 9"),
    VALID("de_tax_id", "47036892816", "ELSTER; MOD 11,10 check 6"),
    VALID("de_tax_id", "65929970489", "ELSTER, 9 three times; MOD 11,10 check 9"),
    VALID("de_tax_id", "57549285017", "ELSTER; MOD 11,10 check 7"),
    VALID("de_tax_id", "25768131411", "ELSTER; MOD 11,10 check 1"),
    VALID("de_tax_id", "36 574 261 809", "stdnum, spaced; MOD 11,10 check 9"),
    VALID("de_tax_id", "11234567890", "repeated digit 1 twice in a row; MOD 11,10 check 0"),
    INVALID("de_tax_id", "02476291358", "ELSTER test number, first digit 0"),
    INVALID("de_tax_id", "65299970480", "999 in a row; check digit right; MOD 11,10 check 0"),
    INVALID("de_tax_id", "36554266806",
            "stdnum: two digits repeated; check digit right; repeated digits [('6', 3), ('5', "
            "2)]; MOD 11,10 check 6"),
    INVALID("de_tax_id", "11123456786", "111 in a row; check digit right; MOD 11,10 check 6"),
    INVALID("de_tax_id", "12345678903",
            "no repeated digit; check digit right; repeated digits []; MOD 11,10 check 3"),
    INVALID("de_tax_id", "86095742718", "check changed; MOD 11,10 check 9"),
    INVALID("de_tax_id", "26954371820", "rechtlogisch invalid; MOD 11,10 check 7"),
    INVALID("de_tax_id", "8609574271", "10 digits"),

    /* at_svnr: de.wikipedia "Sozialversicherungsnummer" (Österreich) and python-stdnum at/vnr.py
     * doctests (1237 010180 valid, 2237 010180 invalid) [stdnum]; substitute months 13-15
     * (finoe.at, agsolutions.at); others computed with weights 3 7 9 - 5 8 4 2 1 6. */
    VALID("at_svnr", "1237 010180", "stdnum; sum 62 mod 11 = 7"),
    VALID("at_svnr", "1237010180", "compact; sum 62 mod 11 = 7"),
    VALID("at_svnr", "4563 150385", "sum 190 mod 11 = 3"),
    VALID("at_svnr", "1248 011365", "substitute month 13; sum 107 mod 11 = 8"),
    VALID("at_svnr", "3212 011450", "substitute month 14; sum 57 mod 11 = 2"),
    INVALID("at_svnr", "2237 010180", "stdnum; sum 65 mod 11 = 10"),
    INVALID("at_svnr", "1238 010180", "check changed; sum 62 mod 11 = 7"),
    INVALID("at_svnr", "1238 320180", "day 32, check computed; date 32.01; sum 85 mod 11 = 8"),
    INVALID("at_svnr", "1236 310480", "April 31, check computed; date 31.04; sum 83 mod 11 = 6"),
    INVALID("at_svnr", "0234 010180", "serial below 100, check computed"),
    INVALID("at_svnr", "1234 011365", "sum mod 11 = 10: serial never issued; sum 98 mod 11 = 10"),
    INVALID("at_svnr", "1237 01018", "9 digits"),

    /* ch_ahv: python-stdnum ch/ssn.py doctests (756.9217.0769.85 valid, 756.9217.0769.84 and
     * 123.4567.8910.19 invalid) [stdnum]; others computed (EAN-13 weights 1, 3). */
    VALID("ch_ahv", "756.9217.0769.85", "stdnum; EAN sum 125, check 5"),
    VALID("ch_ahv", "7569217076985", "compact; EAN sum 125, check 5"),
    VALID("ch_ahv", "756.1234.5678.97", "EAN sum 123, check 7"),
    VALID("ch_ahv", "756 5678 9012 31", "spaces; EAN sum 119, check 1"),
    INVALID("ch_ahv", "756.9217.0769.84", "stdnum; EAN sum 125, check 5"),
    INVALID("ch_ahv", "123.4567.8910.19", "stdnum: not 756; prefix 123; EAN sum 91, check 9"),
    INVALID("ch_ahv", "756.9217.0796.85", "digits transposed; EAN sum 131, check 9"),
    INVALID("ch_ahv", "756.9217.0769.8", "12 digits"),
    INVALID("ch_ahv", "1234567891019", "EAN check right, not 756; prefix 123; EAN sum 91, check 9"),

    /* pl_pesel: pl.wikipedia "PESEL" (44051401359, 02070803628); others computed (weights 1 3 7 9,
     * century in the month). */
    VALID("pl_pesel", "44051401359", "pl.wikipedia; sum 101, check 9; born 1944-05-14"),
    VALID("pl_pesel", "02070803628", "pl.wikipedia, 1902; sum 132, check 8; born 1902-07-08"),
    VALID("pl_pesel", "02270803624", "2002: month + 20; sum 146, check 4; born 2002-07-08"),
    VALID("pl_pesel", "00222912349", "2000-02-29; sum 101, check 9; born 2000-02-29"),
    VALID("pl_pesel", "12810101235", "1812: month + 80; sum 95, check 5; born 1812-01-01"),
    VALID("pl_pesel", "04022901231", "1904-02-29; sum 79, check 1; born 1904-02-29"),
    INVALID("pl_pesel", "44051401358", "check changed; sum 101, check 9; born 1944-05-14"),
    INVALID("pl_pesel", "44051401395", "last digits transposed; sum 113, check 7; born 1944-05-14"),
    INVALID("pl_pesel", "44053201353",
            "May 32, check computed; no such date: sum 97, check 3; born 1944-05-32"),
    INVALID("pl_pesel", "44131401350",
            "month 13, check computed; no such date: sum 90, check 0; born 1944-13-14"),
    INVALID("pl_pesel", "00022912343",
            "1900-02-29, check computed; no such date: sum 87, check 3; born 1900-02-29"),
    INVALID("pl_pesel", "4405140135", "10 digits"),

    /* fi_hetu: DVV (Digital and Population Data Services Agency) example 131052-308T and the 2023
     * century-sign examples 010594Y9021, 020594X903P, 010516B903X, 020503F9037 (dvv.fi/hetu-
     * uudistus); python-stdnum fi/hetu.py doctests (131052-308U, 310252-308Y invalid) [stdnum];
     * others computed (mod 31). */
    VALID("fi_hetu", "131052-308T", "DVV; 131052308 mod 31 = 25 -> T; born 1952-10-13"),
    VALID("fi_hetu", "131052-308t", "lower case; 131052308 mod 31 = 25 -> T; born 1952-10-13"),
    VALID("fi_hetu", "010594Y9021", "DVV; 010594902 mod 31 = 1 -> 1; born 1994-05-01"),
    VALID("fi_hetu", "020594X903P", "DVV; 020594903 mod 31 = 22 -> P; born 1994-05-02"),
    VALID("fi_hetu", "010516B903X", "DVV; 010516903 mod 31 = 29 -> X; born 2016-05-01"),
    VALID("fi_hetu", "020503F9037", "DVV; 020503903 mod 31 = 7 -> 7; born 2003-05-02"),
    VALID("fi_hetu", "290200A1239", "2000-02-29; 290200123 mod 31 = 9 -> 9; born 2000-02-29"),
    VALID("fi_hetu", "010101+123N", "1801; 010101123 mod 31 = 21 -> N; born 1801-01-01"),
    INVALID("fi_hetu", "131052-308U", "stdnum; 131052308 mod 31 = 25 -> T; born 1952-10-13"),
    INVALID("fi_hetu", "310252-308Y",
            "stdnum: February 31, check right; no such date: 310252308 mod 31 = 30 -> Y; born "
            "1952-02-31"),
    INVALID("fi_hetu", "131052G308T", "century sign G"),
    INVALID("fi_hetu", "131052-000V",
            "individual number 000, check right; 131052000 mod 31 = 27 -> V; born 1952-10-13"),
    INVALID("fi_hetu", "290200-1239",
            "1900-02-29, check right; no such date: 290200123 mod 31 = 9 -> 9; born 1900-02-29"),
    INVALID("fi_hetu", "131052-308", "10 characters"),
    INVALID("fi_hetu", "131052 308T", "space for the century sign; century sign  "),

    /* se_personnummer: en.wikipedia "Personal identity number (Sweden)" (811228-9874); python-
     * stdnum se/personnummer.py doctests (880320-0016 valid, 880320-0018 invalid) [stdnum];
     * sv.wikipedia "Samordningsnummer" (701063-2391); others computed (Luhn over 10 digits). */
    VALID("se_personnummer", "811228-9874", "en.wikipedia; Luhn sum 50 over 8112289874"),
    VALID("se_personnummer", "880320-0016", "stdnum; Luhn sum 30 over 8803200016"),
    VALID("se_personnummer", "8112289874", "no separator; Luhn sum 50 over 8112289874"),
    VALID("se_personnummer", "811228+9874", "+: 100 or older; Luhn sum 50 over 8112289874"),
    VALID("se_personnummer", "198112289874", "12 digits; Luhn sum 50 over 8112289874"),
    VALID("se_personnummer", "19811228-9874", "12 digits, dash; Luhn sum 50 over 8112289874"),
    VALID("se_personnummer", "701063-2391",
          "samordningsnummer: day 03 + 60; Luhn sum 30 over 7010632391"),
    INVALID("se_personnummer", "880320-0018", "stdnum; Luhn sum 32 over 8803200018"),
    INVALID("se_personnummer", "811228-9873", "check changed; Luhn sum 49 over 8112289873"),
    INVALID("se_personnummer", "811328-9873",
            "month 13, Luhn right; no such date 13-28; Luhn sum 50 over 8113289873"),
    INVALID("se_personnummer", "811200-9876",
            "day 00, Luhn right; no such date 12-00; Luhn sum 40 over 8112009876"),
    INVALID("se_personnummer", "811228*9874", "separator *"),
    INVALID("se_personnummer", "8112-289874", "separator misplaced"),
    INVALID("se_personnummer", "18811228+9874", "+ with a 4-digit year"),
    INVALID("se_personnummer", "811228-987", "9 digits"),

    /* dk_cpr: python-stdnum dk/cpr.py doctests (211062-5629 valid, 511062-5629 invalid) [stdnum];
     * CPR-kontoret century table; others constructed. No checksum: dates only. */
    VALID("dk_cpr", "211062-5629", "stdnum; born 1862-10-21"),
    VALID("dk_cpr", "2110625629", "compact; born 1862-10-21"),
    VALID("dk_cpr", "290200-4123", "serial 4, YY 00: 2000-02-29; born 2000-02-29"),
    VALID("dk_cpr", "010158-5123", "serial 5, YY 58: 1858; born 1858-01-01"),
    VALID("dk_cpr", "311299-9999", "serial 9, YY 99: 1999; born 1999-12-31"),
    INVALID("dk_cpr", "511062-5629", "stdnum: day 51; born 1862-10-51 (no such date)"),
    INVALID("dk_cpr", "211362-5629", "month 13; born 1862-13-21 (no such date)"),
    INVALID("dk_cpr", "290200-1234", "serial 1: 1900-02-29; born 1900-02-29 (no such date)"),
    INVALID("dk_cpr", "290237-4123", "serial 4, YY 37: 1937-02-29; born 1937-02-29 (no such date)"),
    INVALID("dk_cpr", "211062-562", "9 digits"),
    INVALID("dk_cpr", "211062/5629", "slash"),

    /* uk_nhs: NHS Digital data dictionary "NHS Number" (943 476 5919); others computed (weights
     * 10..2, mod 11). */
    VALID("uk_nhs", "943 476 5919", "NHS Digital; sum 299 mod 11 = 2, check 9"),
    VALID("uk_nhs", "9434765919", "compact; sum 299 mod 11 = 2, check 9"),
    VALID("uk_nhs", "401 023 2137", "sum 92 mod 11 = 4, check 7"),
    VALID("uk_nhs", "943 476 5870", "check 11 -> 0; sum 308 mod 11 = 0, check 0"),
    VALID("uk_nhs", "943-476-9515", "dashes; sum 303 mod 11 = 6, check 5"),
    INVALID("uk_nhs", "943 476 5918", "check changed; sum 299 mod 11 = 2, check 9"),
    INVALID("uk_nhs", "943 476 9519", "digits transposed; sum 303 mod 11 = 6, check 5"),
    INVALID("uk_nhs", "613 645 7891",
            "check would be 10: never issued; sum 254 mod 11 = 1, check 10"),
    INVALID("uk_nhs", "1111111111", "one digit repeated, check right"),
    INVALID("uk_nhs", "0000000000", "all zeros, check right; one digit repeated"),
    INVALID("uk_nhs", "943 476 591", "9 digits"),

    /* uk_nino: HMRC National Insurance Manual NIM39110 (prefix rules; QQ 12 34 56 C is its
     * placeholder). */
    VALID("uk_nino", "AB 12 34 56 C", "usual spacing"),
    VALID("uk_nino", "AB123456C", "compact"),
    VALID("uk_nino", "ab123456c", "lower case"),
    VALID("uk_nino", "JG 10 37 59", "suffix left off"),
    VALID("uk_nino", "ZY 12 34 56 D", "Z first, Y second, suffix D"),
    VALID("uk_nino", "OA-12-34-56-B", "O first is allowed"),
    INVALID("uk_nino", "QQ 12 34 56 C", "HMRC placeholder: Q; prefix QQ"),
    INVALID("uk_nino", "DA123456A", "first letter D; prefix DA"),
    INVALID("uk_nino", "AO123456A", "second letter O; prefix AO"),
    INVALID("uk_nino", "GB123456A", "GB not allocated; prefix GB"),
    INVALID("uk_nino", "NK123456A", "NK not allocated; prefix NK"),
    INVALID("uk_nino", "AB123456E", "suffix E"),
    INVALID("uk_nino", "AB12345C", "5 digits"),
    INVALID("uk_nino", "A1123456C", "digit in the prefix; prefix A1"),

    /* us_ssn: SSA (POMS RM 10201.060, SSN randomization 2011): area 000, 666, 900-999, group 00,
     * serial 0000 never issued; 078-05-1120 (Woolworth wallet card), 219-09-9999 (SSA advertising
     * sample), 123-45-6789 as in Presidio UsSsnRecognizer.invalidate_result. */
    VALID("us_ssn", "536-90-4399", "area 536 group 90 serial 4399"),
    VALID("us_ssn", "536 90 4399", "spaces; area 536 group 90 serial 4399"),
    VALID("us_ssn", "536904399", "no separator; area 536 group 90 serial 4399"),
    VALID("us_ssn", "772.01.0001", "dots; area 772 group 01 serial 0001"),
    VALID("us_ssn", "899-99-9998", "highest area; area 899 group 99 serial 9998"),
    INVALID("us_ssn", "078-05-1120", "Woolworth; well-known fake"),
    INVALID("us_ssn", "219-09-9999", "SSA advertising; well-known fake"),
    INVALID("us_ssn", "123-45-6789", "placeholder; well-known fake"),
    INVALID("us_ssn", "000-12-3456", "area 000"),
    INVALID("us_ssn", "666-12-3456", "area 666"),
    INVALID("us_ssn", "900-12-3456", "area 900"),
    INVALID("us_ssn", "536-00-4399", "group 00"),
    INVALID("us_ssn", "536-90-0000", "serial 0000"),
    INVALID("us_ssn", "536-90 4399", "mixed separators"),
    INVALID("us_ssn", "111-11-1111", "one digit repeated"),
    INVALID("us_ssn", "536-904-399", "grouping"),
    INVALID("us_ssn", "53690439", "8 digits"),

    /* ca_sin: python-stdnum ca/sin.py doctests (123-456-782 valid; 999-999-999, 823456785 invalid)
     * [stdnum]; 046 454 286: the fictitious example of en.wikipedia "Social insurance number";
     * others computed (Luhn). */
    VALID("ca_sin", "123-456-782", "stdnum; Luhn sum 40"),
    VALID("ca_sin", "123456782", "Luhn sum 40"),
    VALID("ca_sin", "130 692 544", "Luhn sum 40"),
    VALID("ca_sin", "999 999 998", "9: temporary resident; Luhn sum 80"),
    INVALID("ca_sin", "046 454 286", "Luhn right, 0 not issued; first digit 0 (Luhn sum 50)"),
    INVALID("ca_sin", "823456785", "stdnum: 8 is business; first digit 8 (Luhn sum 50)"),
    INVALID("ca_sin", "999-999-999", "stdnum; Luhn sum 81"),
    INVALID("ca_sin", "123-456-783", "check changed; Luhn sum 41"),
    INVALID("ca_sin", "12345678", "8 digits"),

    /* date_plausible: calendar rules; forms from the brief. */
    VALID("date_plausible", "12/03/1985", "DD/MM/YYYY"),
    VALID("date_plausible", "12-03-1985", "DD-MM-YYYY"),
    VALID("date_plausible", "12.03.1985", "DD.MM.YYYY"),
    VALID("date_plausible", "1985-03-12", "ISO"),
    VALID("date_plausible", "1985/3/7", "YYYY/M/D"),
    VALID("date_plausible", "7/3/1985", "one-digit day and month"),
    VALID("date_plausible", "03/25/1985", "month first (US)"),
    VALID("date_plausible", "29/02/2000", "2000 is a leap year"),
    VALID("date_plausible", "29.02.1996", "leap year"),
    VALID("date_plausible", "01/01/1900", "first year"),
    VALID("date_plausible", "31/12/2026", "last year"),
    VALID("date_plausible", "12 mars 1985", "French"),
    VALID("date_plausible", "1er mars 1985", "French ordinal"),
    VALID("date_plausible", "3 f\xc3\xa9vrier 1985", "accent"),
    VALID("date_plausible", "15 AO\xc3\x9bT 1990", "upper-case accent"),
    VALID("date_plausible", "15 aout 1990", "accent left off"),
    VALID("date_plausible", "12 March 1985", "English, day first"),
    VALID("date_plausible", "12th March 1985", "English ordinal"),
    VALID("date_plausible", "March 12, 1985", "English, month first"),
    VALID("date_plausible", "Mar. 12, 1985", "abbreviation"),
    VALID("date_plausible", "12 Mar. 1985", "abbreviation"),
    VALID("date_plausible", "12-Mar-1985", "DD-Mon-YYYY"),
    VALID("date_plausible", "1 d\xc3\xa9\x63. 1999", "abbreviation d\xc3\xa9\x63."),
    VALID("date_plausible", "September 1 2001", "no comma"),
    INVALID("date_plausible", "31/02/1985", "February 31"),
    INVALID("date_plausible", "29/02/1900", "1900 is not a leap year"),
    INVALID("date_plausible", "29-02-2001", "2001 is not a leap year"),
    INVALID("date_plausible", "13/13/1985", "month 13 both ways"),
    INVALID("date_plausible", "12/03/1899", "before 1900"),
    INVALID("date_plausible", "01/01/2027", "after 2026"),
    INVALID("date_plausible", "1985-13-01", "month 13"),
    INVALID("date_plausible", "1985-02-30", "February 30"),
    INVALID("date_plausible", "12/03-1985", "mixed separators"),
    INVALID("date_plausible", "12/03/85", "two-digit year"),
    INVALID("date_plausible", "2 mars 85", "two-digit year"),
    INVALID("date_plausible", "12 Marchh 1985", "no such month"),
    INVALID("date_plausible", "32 March 1985", "day 32"),
    INVALID("date_plausible", "March 32, 1985", "day 32"),
    INVALID("date_plausible", "1985-03-12T10:00", "time"),
    INVALID("date_plausible", "123/03/1985", "three-digit day"),
    INVALID("date_plausible", "12//1985", "no month"),
    INVALID("date_plausible", "", "empty"),
    INVALID("date_plausible", "12 mars  ", "no year"),
    INVALID("date_plausible", "2nd mars 1985x", "trailing"),

    /* ipv4: RFC 791 dotted decimal; patterns/network.yml examples. */
    VALID("ipv4", "192.168.0.1", "network.yml"),
    VALID("ipv4", "81.250.12.7", "network.yml"),
    VALID("ipv4", "10.0.0.0/8", "network.yml"),
    VALID("ipv4", "255.255.255.254", "highest host"),
    VALID("ipv4", "0.0.0.1", "not all zero"),
    VALID("ipv4", "8.8.8.8/32", "prefix 32"),
    INVALID("ipv4", "192.168.1.256", "network.yml: octet 256"),
    INVALID("ipv4", "300.168.1.1", "network.yml: octet 300"),
    INVALID("ipv4", "01.02.03.04", "leading zeros"),
    INVALID("ipv4", "1.2.3", "three octets"),
    INVALID("ipv4", "1.2.3.4.5", "five octets"),
    INVALID("ipv4", "0.0.0.0", "unspecified"),
    INVALID("ipv4", "255.255.255.255", "broadcast"),
    INVALID("ipv4", "10.0.0.0/33", "prefix 33"),
    INVALID("ipv4", "1.2.3.4/08", "prefix with a leading zero"),
    INVALID("ipv4", "1..2.3", "empty octet"),
    INVALID("ipv4", "1.2.3.4.", "trailing dot"),
    INVALID("ipv4", "1.2.3.-4", "sign"),
    INVALID("ipv4", "1.2.3.4/", "empty prefix"),
    INVALID("ipv4", "", "empty"),

    /* ipv6: RFC 4291 section 2.2 examples (2001:DB8:0:0:8:800:200C:417A, FF01::101, ::13.1.68.3,
     * 0:0:0:0:0:FFFF:129.144.52.38); en.wikipedia "IPv6 address"; patterns/network.yml examples. */
    VALID("ipv6", "2001:DB8:0:0:8:800:200C:417A", "RFC 4291"),
    VALID("ipv6", "2001:db8::8:800:200c:417a", "RFC 4291, compressed"),
    VALID("ipv6", "FF01::101", "RFC 4291"),
    VALID("ipv6", "::1", "loopback"),
    VALID("ipv6", "::13.1.68.3", "RFC 4291"),
    VALID("ipv6", "0:0:0:0:0:FFFF:129.144.52.38", "RFC 4291"),
    VALID("ipv6", "::ffff:192.0.2.1", "network.yml"),
    VALID("ipv6", "2400:c401::5054:ff:fe1b:b031", "network.yml"),
    VALID("ipv6", "fe80::1%eth0/64", "network.yml"),
    VALID("ipv6", "2001:0db8:0000:0000:0000:ff00:0042:8329", "en.wikipedia"),
    VALID("ipv6", "2001:db8::", "trailing ::"),
    VALID("ipv6", "1:2:3:4:5:6:7::", "seven groups and ::"),
    VALID("ipv6", "2001:db8::/32", "prefix"),
    INVALID("ipv6", "12:30:45", "a time"),
    INVALID("ipv6", "2001::db8::1", "network.yml: :: twice"),
    INVALID("ipv6", "684D:1111:222:3333:4444:5555:77", "network.yml: 7 groups"),
    INVALID("ipv6", "::", "unspecified"),
    INVALID("ipv6", "0:0:0:0:0:0:0:0", "unspecified, full"),
    INVALID("ipv6", "1:2:3:4:5:6:7:8:9", "9 groups"),
    INVALID("ipv6", "1:2:3:4:5:6:7:8::", "8 groups and ::"),
    INVALID("ipv6", "2001:db8::12345", "5 hex digits"),
    INVALID("ipv6", "2001:db8:::1", "three colons"),
    INVALID("ipv6", "::ffff:192.0.2.256", "bad IPv4 part"),
    INVALID("ipv6", "1:2:3:4:5:6:7:1.2.3.4", "IPv4 part makes 9 groups"),
    INVALID("ipv6", "::1.2.3", "short IPv4 part"),
    INVALID("ipv6", "fe80::1%", "empty zone"),
    INVALID("ipv6", "fe80::1%et/h0", "bad zone"),
    INVALID("ipv6", "2001:db8::1/129", "prefix 129"),
    INVALID("ipv6", "std::cout", "not hex"),
    INVALID("ipv6", ":1:2:3:4:5:6:7", "leading colon"),
    INVALID("ipv6", "1:2:3:4:5:6:7:", "trailing colon"),
    INVALID("ipv6", "", "empty"),

    /* mac: IEEE 802 MAC-48 notations (colons, dashes, Cisco dotted, bare hex). */
    VALID("mac", "00:1A:2B:3C:4D:5E", "colons"),
    VALID("mac", "00-1a-2b-3c-4d-5e", "dashes"),
    VALID("mac", "001a.2b3c.4d5e", "Cisco"),
    VALID("mac", "001A2B3C4D5E", "bare"),
    VALID("mac", "aa:bb:cc:dd:ee:ff", "network.yml negative of ipv6"),
    INVALID("mac", "00:00:00:00:00:00", "all zero"),
    INVALID("mac", "ff:ff:ff:ff:ff:ff", "broadcast"),
    INVALID("mac", "FF-FF-FF-FF-FF-FF", "broadcast"),
    INVALID("mac", "00:1A:2B-3C:4D:5E", "mixed separators"),
    INVALID("mac", "00:1A:2B:3C:4D", "5 octets"),
    INVALID("mac", "0:1A:2B:3C:4D:5E:", "one-digit octet"),
    INVALID("mac", "00:1G:2B:3C:4D:5E", "G"),
    INVALID("mac", "00:1A:2B:3C:4D:5E:6F", "7 octets"),
    INVALID("mac", "001a.2b3c-4d5e", "mixed"),
    INVALID("mac", "", "empty"),

    /* phone: numbers reserved for fiction and tests by the regulators: Ofcom drama numbers
     * (020 7946 0000-0999, 07700 900000-900999), NANPA 555-0100..0199, ARCEP numbers for
     * audiovisual works (01 99 00 xx xx, 06 39 98 xx xx), ACMA 04 91 570 xxx; the E.164
     * country-code list and national lengths cited in validators_phone.c. */
    VALID("phone", "+44 20 7946 0018", "Ofcom drama; cc 44, NSN 10 digits"),
    VALID("phone", "+44 (0)20 7946 0018", "(0) after cc dropped; NSN 10 digits"),
    VALID("phone", "020 7946 0018", "national UK, trunk 0, 11 digits"),
    VALID("phone", "07700 900123", "Ofcom drama mobile; trunk 0, 11 digits"),
    VALID("phone", "01 99 00 12 34", "ARCEP fiction; trunk 0, 10 digits in pairs"),
    VALID("phone", "06.39.98.12.34", "ARCEP fiction mobile, dots; 10 digits"),
    VALID("phone", "0639981234", "ARCEP fiction, no separators; 10 digits"),
    VALID("phone", "+33 6 39 98 12 34", "cc 33, NSN 9 digits"),
    VALID("phone", "0033 1 99 00 12 34", "00 prefix; cc 33, NSN 9"),
    VALID("phone", "(415) 555-0132", "NANPA fiction; NPA 415, NXX 555"),
    VALID("phone", "1-415-555-0132", "NANP with leading 1"),
    VALID("phone", "+1 415 555 0132", "cc 1, NSN 10"),
    VALID("phone", "+61 491 570 156", "ACMA fiction; cc 61, NSN 9"),
    VALID("phone", "532 123 45 67", "3-3-2-2 grouping, 10 digits"),
    /* the country table's first, middle and last entries (nsn_range's binary search) */
    VALID("phone", "+7 912 345 67 89", "cc 7, NSN 10 (the table's second entry)"),
    INVALID("phone", "+7 912 345 67", "cc 7, NSN 8: too short"),
    VALID("phone", "+299 32 10 00", "cc 299 (Greenland), NSN 6"),
    INVALID("phone", "+299 32 10 000", "cc 299, NSN 7: too long"),
    VALID("phone", "+972 3 123 4567", "cc 972 (the last entry), NSN 8"),
    INVALID("phone", "+972 3 123 45", "cc 972, NSN 6: too short"),
    VALID("phone", "+855 23 123 4567", "cc 855 not in the table: NSN 6 to 12"),
    INVALID("phone", "+33 6 39 98 12", "cc 33, NSN 7: too short"),
    INVALID("phone", "+44 20 7946 00189", "cc 44, NSN 11: too long"),
    INVALID("phone", "+1 115 555 0132", "cc 1, NPA starts with 1"),
    INVALID("phone", "123-456-7890", "NPA starts with 1"),
    INVALID("phone", "415-155-0132", "NXX starts with 1"),
    INVALID("phone", "05.06.2021 14", "separators differ after the first group: a date and a time"),
    INVALID("phone", "0.123456789", "one dot: a decimal number"),
    INVALID("phone", "0000123456", "00 then too few digits for any country"),
    INVALID("phone", "0 1 2 3 4 5 6 7 8 9", "single-digit groups: a list"),
    INVALID("phone", "5321234567", "bare 10 digits without trunk prefix"),
    INVALID("phone", "054-28-6917", "AAA-GG-SSSS: the SSN shape"),
    INVALID("phone", "06 12 34 56 78 90 12", "trunk 0, 14 digits: too long"),
    INVALID("phone", "+33 (1 42 68 53 00", "unbalanced parenthesis"),
    INVALID("phone", "", "empty"),

    /* phone_digits: the shapes it accepts next to a telephone word (see validators_phone.c) */
    VALID("phone_digits", "5321234567", "10 digits"),
    VALID("phone_digits", "451 5986", "7 digits, local"),
    VALID("phone_digits", "(64) 3591-3246", "area code in parentheses"),
    VALID("phone_digits", "21 259 903 5696", "12 digits, spaces"),
    INVALID("phone_digits", "2021", "4 digits: too short"),
    VALID("phone_digits", "84 23 30", "6 digits (Greenland, Faroe...)"),
    INVALID("phone_digits", "12345", "5 digits: too short"),
    INVALID("phone_digits", "1111111111", "one digit repeated"),
    INVALID("phone_digits", "12.345", "decimal"),
    INVALID("phone_digits", "+33 1 42 68 53 00", "international form is `phone`'s"),
    INVALID("phone_digits", "12345678901234", "14 digits: too long"),
    INVALID("phone_digits", "3850375056123", "13 digits without separators"),

    /* it_vat: [stdnum] it/iva.py 00743110157; Presidio IT_VAT_CODE test 01333550323. */
    VALID("it_vat", "00743110157", "[stdnum]; office 015, Luhn sum 0 mod 10"),
    VALID("it_vat", "IT 01333550323", "IT prefix; office 032, Luhn 0"),
    VALID("it_vat", "01114601006", "office 100, Luhn 0 (check computed)"),
    INVALID("it_vat", "00743110158", "[stdnum] check changed; Luhn 1"),
    INVALID("it_vat", "00000000000", "company number all zeros"),
    INVALID("it_vat", "0133355032", "10 digits"),
    INVALID("it_vat", "01333551016", "office 101 not allocated (check computed: Luhn 0)"),

    /* de_vat: [stdnum] de/vat.py DE 136,695 976 (valid), DE136695978 (invalid). */
    VALID("de_vat", "DE136695976", "[stdnum]; MOD 11,10 check 6"),
    VALID("de_vat", "DE 129 273 398", "Presidio DE_VAT_ID test; check 8"),
    VALID("de_vat", "de813495425", "lower case; check 5 (check computed)"),
    INVALID("de_vat", "DE136695978", "[stdnum]; check 6, not 8"),
    INVALID("de_vat", "DE12345678", "8 digits"),
    INVALID("de_vat", "AT136695976", "not DE"),
    INVALID("de_vat", "DE036695976", "first digit 0"),

    /* au_abn: ATO "Format of the ABN" worked example 51 824 753 556; [stdnum] au/abn.py 83 914 571 673. */
    VALID("au_abn", "51 824 753 556", "ATO example; weighted sum mod 89 = 0"),
    VALID("au_abn", "83914571673", "[stdnum]; mod 89 = 0"),
    VALID("au_abn", "53 004 085 616", "[stdnum] au/abn.py; mod 89 = 0"),
    INVALID("au_abn", "52 824 753 556", "first digit changed; mod 89 != 0"),
    INVALID("au_abn", "99999999999", "mod 89 = 1"),
    INVALID("au_abn", "5182475355", "10 digits"),

    /* au_acn: ASIC check-digit examples 000 000 019, 005 499 981; [stdnum] au/acn.py 004 085 616. */
    VALID("au_acn", "000 000 019", "ASIC; sum 1 -> check 9"),
    VALID("au_acn", "005 499 981", "ASIC; check 1"),
    VALID("au_acn", "004085616", "[stdnum]; check 6"),
    INVALID("au_acn", "010 499 961", "check 6, not 1"),
    INVALID("au_acn", "824 753 557", "Presidio AU_ACN negative"),
    INVALID("au_acn", "000000000", "one digit repeated"),

    /* au_tfn: [stdnum] au/tfn.py 123 456 782; Presidio AU_TFN test 876 543 210. */
    VALID("au_tfn", "123 456 782", "[stdnum]; weighted sum mod 11 = 0"),
    VALID("au_tfn", "876543210", "Presidio; sum 154 = 14 x 11"),
    VALID("au_tfn", "876 543 210", "spaced; sum 154"),
    INVALID("au_tfn", "123456789", "mod 11 = 4"),
    INVALID("au_tfn", "999 999 999", "one digit repeated"),
    INVALID("au_tfn", "12345678", "8 digits"),

    /* au_medicare: Presidio AU_MEDICARE tests 2123 45670 1 / 2123 25870 1. */
    VALID("au_medicare", "2123 45670 1", "Presidio; check (1 3 7 9 weights) 170 mod 10 = 0"),
    VALID("au_medicare", "3123456711", "sum 171 -> check 1 (check computed)"),
    VALID("au_medicare", "4000000041", "sum 4 -> check 4 (check computed)"),
    INVALID("au_medicare", "2123 25870 1", "Presidio negative; check 2, not 0"),
    INVALID("au_medicare", "1123456701", "first digit 1"),
    INVALID("au_medicare", "2123456700", "issue number 0"),

    /* in_aadhaar: [stdnum] in_/aadhaar.py 234123412346 (valid), 234123412347 (invalid);
     * Presidio IN_AADHAAR tests. */
    VALID("in_aadhaar", "234123412346", "[stdnum]; Verhoeff 0"),
    VALID("in_aadhaar", "3123 4567 8909", "Presidio; Verhoeff 0"),
    VALID("in_aadhaar", "3998-7654-3211", "Presidio; Verhoeff 0"),
    INVALID("in_aadhaar", "234123412347", "[stdnum]; Verhoeff 1"),
    INVALID("in_aadhaar", "123456789012", "first digit 1"),
    INVALID("in_aadhaar", "31234567890", "11 digits"),

    /* sg_nric: en.wikipedia "National Registration Identity Card" example S1234567D; Presidio
     * SG_NRIC_FIN tests. */
    VALID("sg_nric", "S1234567D", "Wikipedia; sum 106 mod 11 = 7 -> D"),
    VALID("sg_nric", "F2346401L", "Presidio; sum 97 mod 11 = 9 -> L"),
    VALID("sg_nric", "T7572225C", "Presidio; sum 125 + 4 = 129 mod 11 = 8 -> C"),
    VALID("sg_nric", "M4332674T", "Presidio; sum 110 + 3 = 113 mod 11 = 3 -> T"),
    INVALID("sg_nric", "S1234567A", "check D, not A"),
    INVALID("sg_nric", "G1122144L", "sum 55 + 4 = 59 mod 11 = 4 -> R, not L"),
    INVALID("sg_nric", "A1234567Z", "prefix A"),
    INVALID("sg_nric", "S123456D", "6 digits"),

    /* es_nif, 7-digit DNI without the leading zero (Presidio ES_NIF tests) */
    VALID("es_nif", "1111111G", "read as 01111111; 1111111 mod 23 = 4 -> G"),
    VALID("es_nif", "1111111-G", "dash; 1111111 mod 23 = 4 -> G"),
    INVALID("es_nif", "1111111H", "1111111 mod 23 = 4 -> G, not H"),

    /* br_cpf: [stdnum] br/cpf.py 390.533.447-05 (valid), 231.002.999-00 (invalid); Receita
     * Federal's usual example 111.444.777-35. */
    VALID("br_cpf", "390.533.447-05", "[stdnum]; checks 0, 5"),
    VALID("br_cpf", "11144477735", "Receita example, no separators; checks 3, 5"),
    VALID("br_cpf", "308.271.618-08", "checks 0, 8 (check computed)"),
    INVALID("br_cpf", "231.002.999-00", "[stdnum]; check digits wrong"),
    INVALID("br_cpf", "111.111.111-11", "one digit repeated"),
    INVALID("br_cpf", "390.533.447-5", "10 digits"),

    /* card, ranges added with the 15-digit UATP and JCB legacy numbers (PayPal/Braintree sandbox
     * list: UATP 122000000000003) */
    VALID("card", "122000000000003", "UATP 15 digits; Luhn sum 10"),
    INVALID("card", "122000000000004", "UATP, Luhn sum 11"),
};

#define NVECTORS (sizeof vectors / sizeof vectors[0])

/* Run v on an exact-size heap copy of text[0..n). */
static int run(const ds_validator *v, const char *text, size_t n)
{
    char *copy = malloc(n ? n : 1);
    cr_assert_not_null(copy);
    memcpy(copy, text, n);
    int r = v->fn(copy, n);
    free(copy);
    return r;
}

static void check_vectors(const char *name)
{
    const ds_validator *v = ds_validator_find(name);
    cr_assert_not_null(v, "validator %s is not registered", name);
    int nvalid = 0, ninvalid = 0;
    for (size_t i = 0; i < NVECTORS; i++) {
        const vector *t = &vectors[i];
        if (strcmp(t->validator, name) != 0)
            continue;
        int got = run(v, t->text, strlen(t->text));
        cr_expect_eq(got, t->valid, "%s(\"%s\") returned %d, want %s (%s)", name, t->text, got,
                     t->valid ? "valid" : "invalid", t->note);
        if (t->valid)
            nvalid++;
        else
            ninvalid++;
    }
    cr_expect_geq(nvalid, 3, "%s has %d valid vectors, want 3 or more", name, nvalid);
    cr_expect_geq(ninvalid, 3, "%s has %d invalid vectors, want 3 or more", name, ninvalid);
}

/* One test per registered validator: validators/luhn, validators/fr_nir... */
#define DS_VALIDATOR(name, desc)                                                                   \
    Test(validators, name)                                                                         \
    {                                                                                              \
        check_vectors(#name);                                                                      \
    }
#include "rules/validators.def"
#undef DS_VALIDATOR

Test(validators, registry)
{
    size_t n;
    const ds_validator *list = ds_validator_list(&n);
    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        const ds_validator *v = &list[i];
        cr_expect(v->name != NULL && v->name[0] != '\0', "entry %zu has no name", i);
        cr_expect(v->description != NULL && v->description[0] != '\0',
                  "validator %s has no description", v->name);
        cr_expect_not_null(v->fn, "validator %s has no function", v->name);
        cr_expect_eq(ds_validator_find(v->name), v, "ds_validator_find(\"%s\")", v->name);
        for (size_t j = 0; j < i; j++)
            cr_expect_str_neq(list[j].name, v->name, "validator %s registered twice", v->name);
    }
    static const char *const unknown[] = {"", "LUHN", "luhn ", " luhn", "nope", "fr-nir", "card2",
                                          "ds_valid_luhn"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        cr_expect_null(ds_validator_find(unknown[i]), "ds_validator_find(\"%s\") found something",
                       unknown[i]);
}

Test(validators, vectors_name_registered_validators)
{
    for (size_t i = 0; i < NVECTORS; i++)
        cr_expect_not_null(ds_validator_find(vectors[i].validator),
                           "vector \"%s\" names unknown validator %s", vectors[i].text,
                           vectors[i].validator);
}

/* Checksums that detect every single-digit substitution: changing any one
 * digit of these valid numbers to any other digit makes them invalid. Left
 * out because their scheme does not guarantee it: pt_nif (remainders 0 and 1
 * both give check digit 0), La Poste SIRETs (a digit sum mod 5 misses +-5),
 * the 12-digit personnummer (the century digits are outside the Luhn
 * check), dk_cpr, uk_nino and us_ssn (no checksum), dates and addresses. */
static const struct {
    const char *validator;
    const char *text;
} checksummed[] = {
    {"luhn", "79927398713"},
    {"card", "4012 8888 8888 1881"},
    {"card", "378282246310005"},
    {"iban", "GB82 WEST 1234 5698 7654 32"},
    {"iban", "FR76 3000 6000 0112 3456 7890 189"},
    {"fr_nir", "1 84 12 76 451 089 46"},
    {"fr_nir", "253072A07300443"},
    {"fr_siren", "732 829 320"},
    {"fr_siret", "73282932000074"},
    {"fr_vat", "FR 40 303 265 045"},
    {"es_nif", "12345678Z"},
    {"es_nif", "X1234567L"},
    {"es_cif", "J99216582"},
    {"it_fiscal_code", "RSSMRA85T10A562S"},
    {"it_fiscal_code", "MRTMTT25D09F205Z"},
    {"nl_bsn", "111222333"},
    {"be_national_number", "85.07.30-033.28"},
    {"be_national_number", "17 07 30 033 84"},
    {"de_tax_id", "86095742719"},
    {"de_tax_id", "65929970489"},
    {"at_svnr", "1237 010180"},
    {"ch_ahv", "756.9217.0769.85"},
    {"pl_pesel", "44051401359"},
    {"fi_hetu", "131052-308T"},
    {"se_personnummer", "811228-9874"},
    {"uk_nhs", "943 476 5919"},
    {"ca_sin", "123-456-782"},
    {"de_vat", "DE136695976"},
    {"in_aadhaar", "234123412346"},
};

Test(validators, single_digit_changes_are_invalid)
{
    for (size_t i = 0; i < sizeof checksummed / sizeof checksummed[0]; i++) {
        const ds_validator *v = ds_validator_find(checksummed[i].validator);
        cr_assert_not_null(v, "%s", checksummed[i].validator);
        char buf[64];
        size_t n = strlen(checksummed[i].text);
        cr_assert_lt(n, sizeof buf);
        memcpy(buf, checksummed[i].text, n + 1);
        cr_expect_eq(run(v, buf, n), 1, "%s(\"%s\") should be valid", v->name, buf);
        for (size_t pos = 0; pos < n; pos++) {
            char orig = buf[pos];
            if (orig < '0' || orig > '9')
                continue;
            for (char c = '0'; c <= '9'; c++) {
                if (c == orig)
                    continue;
                buf[pos] = c;
                cr_expect_eq(run(v, buf, n), 0,
                             "%s(\"%s\"): digit %zu of \"%s\" changed, still valid", v->name,
                             buf, pos, checksummed[i].text);
            }
            buf[pos] = orig;
        }
    }
}

/* The mod 97 of an IBAN-shaped string, one character at a time (ISO 13616:
 * the first four characters moved to the end, letters as 10..35). */
static unsigned iban_mod97_reference(const char *s, size_t k)
{
    unsigned rem = 0;
    for (size_t j = 0; j < k; j++) {
        char ch = s[(j + 4) % k];
        if (ch >= 'A' && ch <= 'Z')
            rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
        else
            rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
    }
    return rem;
}

/* ds_valid_iban takes its digits nine at a time: against the reference on
 * random bodies (digits and letters) of the lengths of many countries, each
 * with its check digits set to pass and then off by one. */
Test(validators, iban_matches_the_per_character_reference)
{
    static const struct {
        const char *cc;
        size_t len;
    } countries[] = {{"AD", 24}, {"BR", 29}, {"DE", 22}, {"FR", 27}, {"GB", 22},
                     {"LC", 32}, {"MT", 31}, {"NO", 15}, {"RU", 33}, {"YE", 30}};
    const ds_validator *v = ds_validator_find("iban");
    cr_assert_not_null(v);
    unsigned long long seed = 42;
    for (size_t t = 0; t < 2000; t++) {
        size_t ci = t % (sizeof countries / sizeof countries[0]);
        size_t k = countries[ci].len;
        char buf[40];
        memcpy(buf, countries[ci].cc, 2);
        for (size_t j = 4; j < k; j++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33) % 36;
            buf[j] = (char)(r < 10 ? '0' + r : 'A' + r - 10);
        }
        buf[k] = 0;
        buf[2] = buf[3] = '0';
        unsigned check = 98 - iban_mod97_reference(buf, k); /* ISO 7064 MOD 97-10 */
        buf[2] = (char)('0' + check / 10);
        buf[3] = (char)('0' + check % 10);
        cr_assert_eq(iban_mod97_reference(buf, k), 1);
        cr_expect_eq(run(v, buf, k), 1, "iban(\"%s\")", buf);
        buf[3] = buf[3] == '9' ? '0' : (char)(buf[3] + 1);
        cr_expect_eq(run(v, buf, k), iban_mod97_reference(buf, k) == 1, "iban(\"%s\")", buf);
    }
}

/* Every validator on every vector text and every prefix of it: the result
 * is 0 or 1, and (under ASan) nothing is read past the copy. */
Test(validators, any_input_stays_in_bounds)
{
    size_t nv;
    const ds_validator *list = ds_validator_list(&nv);
    for (size_t i = 0; i < NVECTORS; i++) {
        const char *text = vectors[i].text;
        size_t len = strlen(text);
        for (size_t k = 0; k < nv; k++) {
            for (size_t n = 0; n <= len; n++) {
                int r = run(&list[k], text, n);
                cr_expect(r == 0 || r == 1, "%s(\"%.*s\") returned %d", list[k].name, (int)n, text,
                          r);
            }
        }
    }
}
