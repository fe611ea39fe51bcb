/* rules: national identifier validators.
 *
 * Each validator strips the separators its identifier is written with
 * (spaces, dots, dashes, slashes as listed per function), upper-cases
 * letters, then checks the layout, the embedded date where there is one,
 * and the check digits. Sources for each rule are cited above the function;
 * the test vectors in tests/unit/test_validators.c cite theirs. */
#include <stddef.h>
#include <string.h>

#include "rules/validators.h"
#include "rules/validators_impl.h"

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int in_set(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* ---- France --------------------------------------------------------------
 *
 * NIR (INSEE, "numéro de sécurité sociale"): sex (1, 2; 3, 4 for foreign-born
 * people awaiting registration; 7, 8 for temporary NIA numbers), year,
 * month (01-12; 20-42 and 50-99 when the civil-status record gives no
 * month), department (2A and 2B in Corsica), commune, order number, then the
 * key 97 - (the first 13 digits mod 97), 01..97.
 *
 * Corsica: for the key, 2A reads as 19 and 2B as 18. The other published
 * wording ("replace the letter by 0, then subtract 1 000 000 for 2A and
 * 2 000 000 for 2B") is the same arithmetic: the department digits have the
 * place value 10^6..10^7 of the 13-digit number, so 2A -> 20 - 1 = 19 and
 * 2B -> 20 - 2 = 18. Checked against the published examples 253072A07300443
 * and 253072B07300470 (python-stdnum fr/nir.py). */
static int nir_month_ok(unsigned m)
{
    return (m >= 1 && m <= 12) || (m >= 20 && m <= 42) || m >= 50;
}

int ds_valid_fr_nir(const char *s, size_t n)
{
    char c[15];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 15)
        return 0;
    if (!in_set(c[0], "123478") || !ds_vd_is_digits(c, 5) || !ds_vd_is_digits(c + 7, 8))
        return 0;
    if (!nir_month_ok(ds_vd_num(c + 3, 2)))
        return 0;
    if (c[5] == '2' && (c[6] == 'A' || c[6] == 'B')) {
        c[5] = '1';
        c[6] = c[6] == 'A' ? '9' : '8';
    } else if (!ds_vd_is_digits(c + 5, 2)) {
        return 0;
    }
    return ds_vd_num(c + 13, 2) == 97 - ds_vd_mod(c, 13, 97);
}

/* SIREN: 9 digits, Luhn (INSEE; fr.wikipedia "Système d'identification du
 * répertoire des entreprises"). 000000000 passes Luhn and is refused. */
int ds_valid_fr_siren(const char *s, size_t n)
{
    char c[9];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 9 || !ds_vd_is_digits(c, 9))
        return 0;
    return !ds_vd_is_same_char(c, 9) && ds_vd_luhn(c, 9);
}

/* SIRET: SIREN + 5-digit NIC, Luhn over the 14 digits, and the SIREN is
 * itself a valid SIREN. La Poste (SIREN 356 000 000) numbers its offices
 * with a digit sum that is a multiple of 5 instead; its head office
 * 356 000 000 00048 uses Luhn (as python-stdnum fr/siret.py). */
int ds_valid_fr_siret(const char *s, size_t n)
{
    char c[14];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 14 || !ds_vd_is_digits(c, 14))
        return 0;
    if (ds_vd_is_same_char(c, 9) || !ds_vd_luhn(c, 9))
        return 0;
    if (memcmp(c, "356000000", 9) == 0 && memcmp(c + 9, "00048", 5) != 0) {
        unsigned sum = 0;
        for (size_t i = 0; i < 14; i++)
            sum += (unsigned)(c[i] - '0');
        return sum % 5 == 0;
    }
    return ds_vd_luhn(c, 14);
}

/* French VAT number: FR + 2-digit key + SIREN, key = (12 + 3 x (SIREN mod
 * 97)) mod 97, i.e. (SIREN x 100 + 12) mod 97. The SIREN must pass Luhn
 * unless it starts with 000 (Monaco companies). The alphanumeric "new
 * style" keys are not accepted (no issued example could be found). */
int ds_valid_fr_vat(const char *s, size_t n)
{
    char c[13];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 13 || c[0] != 'F' || c[1] != 'R')
        return 0;
    if (!ds_vd_is_digits(c + 2, 11))
        return 0;
    const char *siren = c + 4;
    if (memcmp(siren, "000", 3) != 0 && !ds_vd_luhn(siren, 9))
        return 0;
    return ds_vd_num(c + 2, 2) == (12 + 3 * ds_vd_mod(siren, 9, 97)) % 97;
}

/* ---- Spain, Italy, Portugal ---------------------------------------------
 *
 * DNI: 8 digits + letter "TRWAGMYFPDXBNJZSQVHLCKE"[number mod 23]; NIE: X, Y
 * or Z (read as 0, 1, 2) + 7 digits + the same letter (Real Decreto
 * 1553/2005; Ministerio del Interior, "Cálculo del dígito de control del
 * NIF/NIE"). All-zero numbers are refused. A DNI below 10 000 000 is often
 * written with 7 digits, without the leading zero: it is read as 0NNNNNNN. */
int ds_valid_es_nif(const char *s, size_t n)
{
    static const char letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
    char c[9];
    int k = ds_vd_compact(s, n, " .-", c, sizeof c);
    if (k == 8 && ds_vd_is_digits(c, 7)) {
        memmove(c + 1, c, 8);
        c[0] = '0';
        k = 9;
    }
    if (k != 9)
        return 0;
    if (c[0] >= 'X' && c[0] <= 'Z')
        c[0] = (char)('0' + (c[0] - 'X'));
    if (!ds_vd_is_digits(c, 8) || !is_upper(c[8]))
        return 0;
    unsigned v = ds_vd_num(c, 8);
    return v != 0 && c[8] == letters[v % 23];
}

/* CIF (legal entities): entity letter, 7 digits, control. The control is the
 * Luhn check digit of the 7 digits, written as a digit or as the letter
 * "JABCDEFGHI"[digit]. Which entity types use which form is inconsistent
 * in published sources, so either is accepted (as python-stdnum es/cif.py). */
int ds_valid_es_cif(const char *s, size_t n)
{
    char c[9];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 9)
        return 0;
    if (!in_set(c[0], "ABCDEFGHJNPQRSUVW") || !ds_vd_is_digits(c + 1, 7))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 7; i++) {
        unsigned v = (unsigned)(c[1 + i] - '0');
        if (i % 2 == 0) {
            v *= 2;
            v = v / 10 + v % 10;
        }
        sum += v;
    }
    unsigned check = (10 - sum % 10) % 10;
    return c[8] == (char)('0' + check) || c[8] == "JABCDEFGHI"[check];
}

/* Codice fiscale (Decreto ministeriale 23 dicembre 1976; Agenzia delle
 * Entrate): 6 letters (surname, name), 2 digits (year), month letter
 * (ABCDEHLMPRST), 2 digits (day, +40 for women), Belfiore code (letter + 3
 * digits), check letter. Omocodia: any of the 7 digits may be replaced by
 * "LMNPQRSTUV"[digit]. The check letter is the sum of the odd-position
 * values (table below) and the even-position values (digit or letter rank)
 * mod 26, as a letter. */
static int cf_digit(char c)
{
    static const char omocodia[] = "LMNPQRSTUV";
    if (c >= '0' && c <= '9')
        return c - '0';
    const char *p = strchr(omocodia, c);
    return c != '\0' && p ? (int)(p - omocodia) : -1;
}

int ds_valid_it_fiscal_code(const char *s, size_t n)
{
    /* odd positions (1st, 3rd, ...): 0-9 then A-Z */
    static const unsigned char odd[36] = {1,  0,  5,  7,  9,  13, 15, 17, 19, 21, 1,  0,
                                          5,  7,  9,  13, 15, 17, 19, 21, 2,  4,  18, 20,
                                          11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};
    static const char months[] = "ABCDEHLMPRST";
    char c[16];
    if (ds_vd_compact(s, n, " ", c, sizeof c) != 16)
        return 0;
    for (size_t i = 0; i < 16; i++) {
        int numeric = i == 6 || i == 7 || i == 9 || i == 10 || (i >= 12 && i <= 14);
        if (numeric ? cf_digit(c[i]) < 0 : !is_upper(c[i]))
            return 0;
    }
    const char *m = strchr(months, c[8]);
    if (m == NULL)
        return 0;
    int day = cf_digit(c[9]) * 10 + cf_digit(c[10]);
    if (day > 40)
        day -= 40;
    if (!ds_vd_day_month_ok((int)(m - months) + 1, day))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 15; i++) {
        int rank = c[i] >= '0' && c[i] <= '9' ? c[i] - '0' : c[i] - 'A';
        sum += i % 2 == 0 ? odd[c[i] <= '9' ? rank : 10 + rank] : (unsigned)rank;
    }
    return c[15] == (char)('A' + sum % 26);
}

/* NIF (Decreto-Lei 14/2013; pt.wikipedia "Número de identificação fiscal"):
 * 9 digits, check digit 11 - (sum of the first 8 digits x 9..2) mod 11, 10
 * and 11 read as 0. Allocated leading digits: 1-3 (people), 45 (non-resident
 * people), 5 (companies), 6 (public bodies), 70-72, 74, 75, 77-79 (estates,
 * funds, ex officio), 8 (sole traders; no longer issued, still found in old
 * records), 90, 91, 98, 99. An optional "PT" VAT prefix is accepted. */
static int pt_nif_prefix_ok(const char *c)
{
    switch (c[0]) {
    case '1': case '2': case '3': case '5': case '6': case '8':
        return 1;
    case '4':
        return c[1] == '5';
    case '7':
        return in_set(c[1], "01245789");
    case '9':
        return in_set(c[1], "0189");
    default:
        return 0;
    }
}

int ds_valid_pt_nif(const char *s, size_t n)
{
    char c[11];
    int k = ds_vd_compact(s, n, " .-", c, sizeof c);
    const char *d = c;
    if (k == 11 && c[0] == 'P' && c[1] == 'T')
        d += 2;
    else if (k != 9)
        return 0;
    if (!ds_vd_is_digits(d, 9) || !pt_nif_prefix_ok(d))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 8; i++)
        sum += (unsigned)(d[i] - '0') * (unsigned)(9 - i);
    unsigned check = 11 - sum % 11;
    if (check >= 10)
        check = 0;
    return (unsigned)(d[8] - '0') == check;
}

/* ---- Benelux, Germany, Austria, Switzerland, Poland ----------------------
 *
 * BSN (Burgerservicenummer; Rijksoverheid "elfproef"): 9 digits, sum of the
 * first 8 x 9..2 minus the last is a multiple of 11. All zeros refused. */
int ds_valid_nl_bsn(const char *s, size_t n)
{
    char c[9];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 9 || !ds_vd_is_digits(c, 9))
        return 0;
    int sum = -(c[8] - '0');
    for (int i = 0; i < 8; i++)
        sum += (c[i] - '0') * (9 - i);
    return sum % 11 == 0 && !ds_vd_is_same_char(c, 9);
}

/* Rijksregisternummer / numéro de registre national (IBZ, "Structure du
 * numéro de registre national"): YYMMDD, serial 001..998, check = 97 - (the
 * first 9 digits mod 97); for births from 2000 the 9 digits are prefixed by
 * "2". The month or the day is 00 when unknown (and for exhausted serials);
 * BIS numbers add 20 or 40 to the month. The date must exist in the century
 * the check selects. */
static int be_date_ok(int year, int month, int day)
{
    if (month >= 40)
        month -= 40;
    else if (month >= 20)
        month -= 20;
    if (month == 0)
        return 1;
    if (month > 12)
        return 0;
    return day == 0 || ds_vd_date_ok(year, month, day);
}

int ds_valid_be_national_number(const char *s, size_t n)
{
    char c[11], p[10];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 11 || !ds_vd_is_digits(c, 11))
        return 0;
    unsigned serial = ds_vd_num(c + 6, 3);
    if (serial == 0 || serial == 999)
        return 0;
    unsigned check = ds_vd_num(c + 9, 2);
    int yy = (int)ds_vd_num(c, 2), mm = (int)ds_vd_num(c + 2, 2), dd = (int)ds_vd_num(c + 4, 2);
    p[0] = '2';
    memcpy(p + 1, c, 9);
    if (check == 97 - ds_vd_mod(c, 9, 97) && be_date_ok(1900 + yy, mm, dd))
        return 1;
    return check == 97 - ds_vd_mod(p, 10, 97) && be_date_ok(2000 + yy, mm, dd);
}

/* Steuerliche Identifikationsnummer (ELSTER, "Prüfung der Steuer- und
 * Steueridentifikationsnummer", chapter 2): 11 digits, the first not 0
 * (0 marks test numbers); in the first 10 digits exactly one digit occurs
 * twice or three times (three since 2016, and then not three in a row),
 * every other digit at most once; check digit ISO 7064 MOD 11,10. */
int ds_valid_de_tax_id(const char *s, size_t n)
{
    char c[11];
    if (ds_vd_compact(s, n, " .-/", c, sizeof c) != 11 || !ds_vd_is_digits(c, 11) || c[0] == '0')
        return 0;
    int count[10] = {0};
    for (size_t i = 0; i < 10; i++)
        count[c[i] - '0']++;
    int repeated = 0;
    for (int d = 0; d < 10; d++) {
        if (count[d] > 3 || (count[d] > 1 && repeated))
            return 0;
        if (count[d] > 1)
            repeated = count[d];
    }
    if (!repeated)
        return 0;
    for (size_t i = 0; repeated == 3 && i + 2 < 10; i++)
        if (c[i] == c[i + 1] && c[i] == c[i + 2])
            return 0;
    int product = 10;
    for (size_t i = 0; i < 10; i++) {
        int sum = (c[i] - '0' + product) % 10;
        if (sum == 0)
            sum = 10;
        product = sum * 2 % 11;
    }
    int check = 11 - product;
    if (check == 10)
        check = 0;
    return c[10] - '0' == check;
}

/* Versicherungsnummer (Dachverband der Sozialversicherungsträger;
 * de.wikipedia "Sozialversicherungsnummer", Österreich): serial of 3 digits
 * (from 100), check digit, birth date DDMMYY. Check = (digits x 3 7 9 _ 5 8
 * 4 2 1 6) mod 11; serials giving 10 are not issued. The date may be a
 * substitute: months 13-15 when the real date was unknown or its serials
 * ran out, so only the day and month ranges are checked. */
int ds_valid_at_svnr(const char *s, size_t n)
{
    static const unsigned char w[10] = {3, 7, 9, 0, 5, 8, 4, 2, 1, 6};
    char c[10];
    if (ds_vd_compact(s, n, " -/", c, sizeof c) != 10 || !ds_vd_is_digits(c, 10) || c[0] == '0')
        return 0;
    int day = (int)ds_vd_num(c + 4, 2), month = (int)ds_vd_num(c + 6, 2);
    int substitute = month >= 13 && month <= 15;
    if (substitute ? (day < 1 || day > 31) : !ds_vd_day_month_ok(month, day))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 10; i++)
        sum += (unsigned)(c[i] - '0') * w[i];
    return sum % 11 != 10 && (unsigned)(c[3] - '0') == sum % 11;
}

/* AHV/AVS number (Zentrale Ausgleichsstelle): 756 (ISO 3166 code of
 * Switzerland) + 9 digits + EAN-13 check digit, written 756.XXXX.XXXX.XC. */
int ds_valid_ch_ahv(const char *s, size_t n)
{
    char c[13];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 13 || !ds_vd_is_digits(c, 13))
        return 0;
    if (memcmp(c, "756", 3) != 0)
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 12; i++)
        sum += (unsigned)(c[i] - '0') * (i % 2 ? 3 : 1);
    return (unsigned)(c[12] - '0') == (10 - sum % 10) % 10;
}

/* PESEL (Ustawa o ewidencji ludności; pl.wikipedia "PESEL"): YYMMDD with the
 * century in the month (+80 1800s, +0 1900s, +20 2000s, +40 2100s, +60
 * 2200s), serial, check digit (10 - (sum x 1 3 7 9 1 3 7 9 1 3) mod 10) mod
 * 10. */
int ds_valid_pl_pesel(const char *s, size_t n)
{
    static const unsigned char w[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    static const int century[5] = {1900, 2000, 2100, 2200, 1800};
    char c[11];
    if (ds_vd_compact(s, n, " -", c, sizeof c) != 11 || !ds_vd_is_digits(c, 11))
        return 0;
    int mm = (int)ds_vd_num(c + 2, 2);
    int year = century[mm / 20] + (int)ds_vd_num(c, 2);
    if (!ds_vd_date_ok(year, mm % 20, (int)ds_vd_num(c + 4, 2)))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 10; i++)
        sum += (unsigned)(c[i] - '0') * w[i];
    return (unsigned)(c[10] - '0') == (10 - sum % 10) % 10;
}

/* ---- Nordic countries ----------------------------------------------------
 *
 * HETU (Digital and Population Data Services Agency, DVV): DDMMYY, century
 * sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s, the letters since
 * 2023), individual number 002-999 (900-999: temporary and test numbers),
 * check character "0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYNNN mod 31]. */
int ds_valid_fi_hetu(const char *s, size_t n)
{
    static const char check[] = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    char c[11];
    if (n != 11)
        return 0;
    for (size_t i = 0; i < 11; i++)
        c[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
    if (!ds_vd_is_digits(c, 6) || !ds_vd_is_digits(c + 7, 3))
        return 0;
    int century;
    if (c[6] == '+')
        century = 1800;
    else if (in_set(c[6], "-YXWVU"))
        century = 1900;
    else if (in_set(c[6], "ABCDEF"))
        century = 2000;
    else
        return 0;
    int year = century + (int)ds_vd_num(c + 4, 2);
    if (!ds_vd_date_ok(year, (int)ds_vd_num(c + 2, 2), (int)ds_vd_num(c, 2)))
        return 0;
    if (ds_vd_num(c + 7, 3) < 2)
        return 0;
    char num[9];
    memcpy(num, c, 6);
    memcpy(num + 6, c + 7, 3);
    return c[10] == check[ds_vd_mod(num, 9, 31)];
}

/* Personnummer (Skatteverket, SKV 704): YYMMDD-NNNC ('+' instead of '-'
 * from the year the holder turns 100), or YYYYMMDD[-]NNNC; C is the Luhn
 * check digit over the 10-digit form. Samordningsnummer (coordination
 * numbers) add 60 to the day. With a 2-digit year February 29 needs YY
 * divisible by 4. */
int ds_valid_se_personnummer(const char *s, size_t n)
{
    char d[12];
    size_t k = 0;
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (k == sizeof d)
                return 0;
            d[k++] = ch;
        } else if ((ch == '-' || ch == '+') && !sep && i + 5 == n) {
            sep = ch;
        } else {
            return 0;
        }
    }
    int year;
    const char *ten;
    if (k == 12 && sep != '+') {
        year = (int)ds_vd_num(d, 4);
        ten = d + 2;
    } else if (k == 10) {
        year = 2000 + (int)ds_vd_num(d, 2); /* leap iff YY % 4 == 0, like 19YY */
        ten = d;
    } else {
        return 0;
    }
    int day = (int)ds_vd_num(ten + 4, 2);
    if (day > 60)
        day -= 60;
    if (!ds_vd_date_ok(year, (int)ds_vd_num(ten + 2, 2), day))
        return 0;
    return ds_vd_luhn(ten, 10);
}

/* CPR (CPR-kontoret, "Personnummeret i CPR-systemet"): DDMMYY-SSSS. The
 * first serial digit gives the century: 0-3 1900s; 4 and 9: 2000s for YY
 * 00-36, else 1900s; 5-8: 2000s for YY 00-57, else 1800s. The mod 11 check
 * was given up in 2007 (serials ran out), so numbers without it are valid:
 * only the date is checked. */
int ds_valid_dk_cpr(const char *s, size_t n)
{
    char c[10];
    if (ds_vd_compact(s, n, " -", c, sizeof c) != 10 || !ds_vd_is_digits(c, 10))
        return 0;
    int yy = (int)ds_vd_num(c + 4, 2);
    int year;
    switch (c[6]) {
    case '0': case '1': case '2': case '3':
        year = 1900 + yy;
        break;
    case '4': case '9':
        year = (yy <= 36 ? 2000 : 1900) + yy;
        break;
    default:
        year = (yy <= 57 ? 2000 : 1800) + yy;
        break;
    }
    return ds_vd_date_ok(year, (int)ds_vd_num(c + 2, 2), (int)ds_vd_num(c, 2));
}

/* ---- United Kingdom, North America ---------------------------------------
 *
 * NHS number (NHS Digital data dictionary, "NHS Number"): 10 digits, check =
 * 11 - (first 9 x 10..2) mod 11, 11 -> 0, 10 never issued. Written 3-3-4.
 * One digit repeated (0000000000, 1111111111, ...) passes and is refused. */
int ds_valid_uk_nhs(const char *s, size_t n)
{
    char c[10];
    if (ds_vd_compact(s, n, " -", c, sizeof c) != 10 || !ds_vd_is_digits(c, 10))
        return 0;
    if (ds_vd_is_same_char(c, 10))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 9; i++)
        sum += (unsigned)(c[i] - '0') * (unsigned)(10 - i);
    unsigned check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && (unsigned)(c[9] - '0') == check;
}

/* National Insurance number (HMRC National Insurance Manual NIM39110): two
 * prefix letters, the first not D F I Q U V, the second not D F I O Q U V,
 * and not BG GB KN NK NT TN ZZ; 6 digits; suffix A-D, which may be left
 * off. Any case, spaces or dashes between groups. */
int ds_valid_uk_nino(const char *s, size_t n)
{
    static const char *const unallocated[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
    char c[9];
    int k = ds_vd_compact(s, n, " -", c, sizeof c);
    if (k != 8 && k != 9)
        return 0;
    if (!is_upper(c[0]) || !is_upper(c[1]) || in_set(c[0], "DFIQUV") || in_set(c[1], "DFIOQUV"))
        return 0;
    for (size_t i = 0; i < sizeof unallocated / sizeof unallocated[0]; i++)
        if (memcmp(c, unallocated[i], 2) == 0)
            return 0;
    if (!ds_vd_is_digits(c + 2, 6))
        return 0;
    return k == 8 || (c[8] >= 'A' && c[8] <= 'D');
}

/* SSN (SSA, "Social Security Number Randomization" and POMS RM 10201.060):
 * area 001-899 except 666, group 01-99, serial 0001-9999. Written AAA-GG-SSSS
 * with one separator kind (dash, space or dot, as Presidio) or none. Also
 * refused, as in Presidio's US_SSN recognizer: one digit repeated, 078-05-1120
 * (the Woolworth wallet card number), 219-09-9999 (SSA advertising sample)
 * and 123-45-6789 (the usual placeholder). */
int ds_valid_us_ssn(const char *s, size_t n)
{
    static const char *const fake[] = {"078051120", "219099999", "123456789"};
    char d[9];
    if (n == 11) {
        char sep = s[3];
        if ((sep != '-' && sep != ' ' && sep != '.') || s[6] != sep)
            return 0;
        memcpy(d, s, 3);
        memcpy(d + 3, s + 4, 2);
        memcpy(d + 5, s + 7, 4);
    } else if (n == 9) {
        memcpy(d, s, 9);
    } else {
        return 0;
    }
    if (!ds_vd_is_digits(d, 9) || ds_vd_is_same_char(d, 9))
        return 0;
    unsigned area = ds_vd_num(d, 3);
    if (area == 0 || area == 666 || area >= 900)
        return 0;
    if (ds_vd_num(d + 3, 2) == 0 || ds_vd_num(d + 5, 4) == 0)
        return 0;
    for (size_t i = 0; i < sizeof fake / sizeof fake[0]; i++)
        if (memcmp(d, fake[i], 9) == 0)
            return 0;
    return 1;
}

/* SIN (Employment and Social Development Canada): 9 digits, Luhn; 0 is not
 * issued (fictitious examples such as 046 454 286 use it) and 8 is for
 * business numbers. */
int ds_valid_ca_sin(const char *s, size_t n)
{
    char c[9];
    if (ds_vd_compact(s, n, " -", c, sizeof c) != 9 || !ds_vd_is_digits(c, 9))
        return 0;
    return c[0] != '0' && c[0] != '8' && ds_vd_luhn(c, 9);
}

/* ---- Italy (VAT), Germany (VAT) -----------------------------------------
 *
 * Partita IVA (DPR 633/1972 art. 35; it.wikipedia "Partita IVA"): 11 digits,
 * 7-digit company number, 3-digit provincial office (001-100, 120, 121, 888,
 * 999), then a Luhn check digit. An optional IT prefix. */
int ds_valid_it_vat(const char *s, size_t n)
{
    char c[13];
    int k = ds_vd_compact(s, n, " ._-", c, sizeof c);
    const char *d = c;
    if (k == 13 && c[0] == 'I' && c[1] == 'T') {
        d = c + 2;
        k = 11;
    }
    if (k != 11 || !ds_vd_is_digits(d, 11) || ds_vd_is_same_char(d, 7))
        return 0;
    unsigned office = ds_vd_num(d + 7, 3);
    if (!((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 ||
          office == 999))
        return 0;
    return ds_vd_luhn(d, 11);
}

/* USt-IdNr (Bundeszentralamt für Steuern; python-stdnum de/vat.py): DE and
 * 9 digits, the first not 0, the last an ISO 7064 MOD 11,10 check digit. */
int ds_valid_de_vat(const char *s, size_t n)
{
    char c[11];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 11 || c[0] != 'D' || c[1] != 'E' ||
        !ds_vd_is_digits(c + 2, 9) || c[2] == '0')
        return 0;
    int product = 10;
    for (size_t i = 2; i < 10; i++) {
        int sum = (c[i] - '0' + product) % 10;
        if (sum == 0)
            sum = 10;
        product = sum * 2 % 11;
    }
    int check = 11 - product;
    if (check == 10)
        check = 0;
    return c[10] - '0' == check;
}

/* ---- Australia, India, Singapore ----------------------------------------
 *
 * ABN (Australian Taxation Office, "Format of the ABN"): 11 digits; subtract
 * 1 from the first digit, weights 10 1 3 5 7 9 11 13 15 17 19, the sum is a
 * multiple of 89. */
int ds_valid_au_abn(const char *s, size_t n)
{
    static const unsigned w[11] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
    char c[11];
    if (ds_vd_compact(s, n, " ", c, sizeof c) != 11 || !ds_vd_is_digits(c, 11) || c[0] == '0')
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 11; i++)
        sum += ((unsigned)(c[i] - '0') - (i == 0)) * w[i];
    return sum % 89 == 0;
}

/* ACN (ASIC, "Australian Company Number (ACN) check digit"): 9 digits,
 * weights 8..1 on the first 8, check = (10 - sum mod 10) mod 10. */
int ds_valid_au_acn(const char *s, size_t n)
{
    char c[9];
    if (ds_vd_compact(s, n, " ", c, sizeof c) != 9 || !ds_vd_is_digits(c, 9))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 8; i++)
        sum += (unsigned)(c[i] - '0') * (unsigned)(8 - i);
    return (unsigned)(c[8] - '0') == (10 - sum % 10) % 10 && !ds_vd_is_same_char(c, 9);
}

/* TFN (ATO; python-stdnum au/tfn.py): 9 digits, weights 1 4 3 7 5 8 6 9 10,
 * the sum is a multiple of 11. */
int ds_valid_au_tfn(const char *s, size_t n)
{
    static const unsigned w[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
    char c[9];
    if (ds_vd_compact(s, n, " ", c, sizeof c) != 9 || !ds_vd_is_digits(c, 9) ||
        ds_vd_is_same_char(c, 9))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 9; i++)
        sum += (unsigned)(c[i] - '0') * w[i];
    return sum % 11 == 0;
}

/* Medicare card number (Services Australia; published description of the
 * check digit): 10 digits (11 with the individual reference), the first
 * 2-6, the ninth = (weights 1 3 7 9 1 3 7 9 on the first 8) mod 10, the
 * tenth (issue number) not 0. */
int ds_valid_au_medicare(const char *s, size_t n)
{
    static const unsigned w[8] = {1, 3, 7, 9, 1, 3, 7, 9};
    char c[11];
    int k = ds_vd_compact(s, n, " ", c, sizeof c);
    if ((k != 10 && k != 11) || !ds_vd_is_digits(c, (size_t)k) || c[0] < '2' || c[0] > '6')
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 8; i++)
        sum += (unsigned)(c[i] - '0') * w[i];
    return (unsigned)(c[8] - '0') == sum % 10 && c[9] != '0';
}

/* Aadhaar (UIDAI): 12 digits, the first 2-9, the last a Verhoeff check digit
 * (J. Verhoeff 1969; tables as in en.wikipedia "Verhoeff algorithm"). */
int ds_valid_in_aadhaar(const char *s, size_t n)
{
    static const unsigned char d[10][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
        {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
        {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
        {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    static const unsigned char p[8][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
        {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
        {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    char c[12];
    if (ds_vd_compact(s, n, " -:", c, sizeof c) != 12 || !ds_vd_is_digits(c, 12) || c[0] < '2')
        return 0;
    unsigned check = 0;
    for (size_t i = 0; i < 12; i++)
        check = d[check][p[i % 8][c[11 - i] - '0']];
    return check == 0;
}

/* NRIC/FIN (Immigration & Checkpoints Authority; python-stdnum has none;
 * algorithm as in en.wikipedia "National Registration Identity Card"):
 * S T F G M, 7 digits weighted 2 7 6 5 4 3 2, +4 for T and G, +3 for M;
 * r = sum mod 11 indexes JZIHGFEDCBA (S, T), XWUTRQPNMLK (F, G) or
 * KLJNPQRTUWX from the end (M). */
int ds_valid_sg_nric(const char *s, size_t n)
{
    static const unsigned w[7] = {2, 7, 6, 5, 4, 3, 2};
    char c[9];
    if (ds_vd_compact(s, n, "", c, sizeof c) != 9 || !in_set(c[0], "STFGM") ||
        !ds_vd_is_digits(c + 1, 7) || !is_upper(c[8]))
        return 0;
    unsigned sum = 0;
    for (size_t i = 0; i < 7; i++)
        sum += (unsigned)(c[1 + i] - '0') * w[i];
    if (c[0] == 'T' || c[0] == 'G')
        sum += 4;
    else if (c[0] == 'M')
        sum += 3;
    unsigned r = sum % 11;
    char want;
    if (c[0] == 'S' || c[0] == 'T')
        want = "JZIHGFEDCBA"[r];
    else if (c[0] == 'F' || c[0] == 'G')
        want = "XWUTRQPNMLK"[r];
    else
        want = "KLJNPQRTUWX"[10 - r];
    return c[8] == want;
}

/* ---- Brazil ----------------------------------------------------------------
 *
 * CPF (Receita Federal, Instrução Normativa RFB 1548/2015; python-stdnum
 * br/cpf.py): 11 digits, two mod 11 check digits (weights 10..2, then
 * 11..2; remainder r gives (10 r) mod 11 mod 10). One digit repeated passes
 * and is refused. */
int ds_valid_br_cpf(const char *s, size_t n)
{
    char c[11];
    if (ds_vd_compact(s, n, " .-", c, sizeof c) != 11 || !ds_vd_is_digits(c, 11) ||
        ds_vd_is_same_char(c, 11))
        return 0;
    for (unsigned k = 9; k <= 10; k++) {
        unsigned sum = 0;
        for (unsigned i = 0; i < k; i++)
            sum += (unsigned)(c[i] - '0') * (k + 1 - i);
        if ((unsigned)(c[k] - '0') != sum * 10 % 11 % 10)
            return 0;
    }
    return 1;
}
