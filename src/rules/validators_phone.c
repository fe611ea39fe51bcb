/* rules: telephone number plausibility (validators `phone` and
 * `phone_digits`).
 *
 * A telephone number has no check digit, so these validators only decide
 * whether a candidate is written like one: the country code is assigned and
 * the national significant number (NSN) has a length used in that country,
 * the grouping is regular (one separator style after the first group), and
 * the digits are not a date, a decimal number or one digit repeated.
 *
 * Sources (facts only): ITU-T E.164 (15 digits at most) and the list of
 * country codes assigned by the ITU ("Complement to ITU-T E.164", 2023);
 * NSN lengths from the national numbering plans as summarised in the ITU
 * "National Numbering Plans" pages (ARCEP for France, Ofcom for the UK,
 * BNetzA for Germany, BIPT for Belgium, OFCOM for Switzerland, CNMC for
 * Spain, AGCOM for Italy, ACM for the Netherlands, NANPA for +1). */
#include <stddef.h>
#include <string.h>

#include "rules/validators.h"
#include "rules/validators_impl.h"

/* NSN length range per country code (digits after the country code). */
typedef struct cc_len {
    unsigned cc;
    unsigned char min, max;
} cc_len;

/* sorted by code: nsn_range searches it */
static const cc_len cc_table[] = {
    {1, 10, 10},   {7, 10, 10},   {20, 8, 10},   {27, 9, 9},    {30, 10, 10},  {31, 9, 9},
    {32, 8, 9},    {33, 9, 9},    {34, 9, 9},    {36, 8, 9},    {39, 6, 11},   {40, 9, 9},
    {41, 9, 9},    {43, 4, 13},   {44, 9, 10},   {45, 8, 8},    {46, 7, 13},   {47, 8, 8},
    {48, 9, 9},    {49, 6, 13},   {51, 8, 9},    {52, 10, 10},  {53, 8, 8},    {54, 10, 11},
    {55, 10, 11},  {56, 9, 9},    {57, 8, 10},   {58, 10, 10},  {60, 8, 10},   {61, 9, 9},
    {62, 8, 12},   {63, 8, 10},   {64, 8, 10},   {65, 8, 8},    {66, 8, 9},    {81, 9, 10},
    {82, 8, 10},   {84, 9, 10},   {86, 10, 11},  {90, 10, 10},  {91, 10, 10},  {92, 9, 10},
    {93, 9, 9},    {94, 9, 9},    {95, 8, 10},   {98, 10, 10},  {212, 9, 9},   {213, 8, 9},
    {216, 8, 8},   {221, 9, 9},   {225, 10, 10}, {237, 9, 9},   {299, 6, 6},   {351, 9, 9},
    {352, 4, 11},  {353, 7, 9},   {354, 7, 9},   {356, 8, 8},   {357, 8, 8},   {358, 5, 12},
    {359, 8, 9},   {370, 8, 8},   {371, 8, 8},   {372, 7, 8},   {377, 8, 9},   {380, 9, 9},
    {385, 8, 9},   {386, 8, 8},   {420, 9, 9},   {421, 9, 9},   {423, 7, 9},   {966, 9, 9},
    {971, 8, 9},   {972, 8, 9},
};

/* The two-digit country codes (E.164); every other code not starting with
 * 1 or 7 has three digits. */
static int two_digit_cc(unsigned cc)
{
    switch (cc) {
    case 20: case 27: case 30: case 31: case 32: case 33: case 34: case 36: case 39: case 40:
    case 41: case 43: case 44: case 45: case 46: case 47: case 48: case 49: case 51: case 52:
    case 53: case 54: case 55: case 56: case 57: case 58: case 60: case 61: case 62: case 63:
    case 64: case 65: case 66: case 81: case 82: case 84: case 86: case 90: case 91: case 92:
    case 93: case 94: case 95: case 98:
        return 1;
    default:
        return 0;
    }
}

/* The NSN length range of country code cc (cc_table is sorted), or 6..12
 * for a code without an entry. */
static void nsn_range(unsigned cc, unsigned *min, unsigned *max)
{
    size_t lo = 0, hi = sizeof cc_table / sizeof cc_table[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cc_table[mid].cc < cc) {
            lo = mid + 1;
        } else if (cc_table[mid].cc > cc) {
            hi = mid;
        } else {
            *min = cc_table[mid].min;
            *max = cc_table[mid].max;
            return;
        }
    }
    *min = 6;
    *max = 12;
}

/* The written shape of a candidate: its digits and its digit groups. */
typedef struct shape {
    char d[24];      /* the digits */
    size_t nd;
    unsigned char glen[12]; /* digits per group */
    size_t ng;
    int plus;        /* a leading '+' */
    int parens;      /* a '(...)' group */
    int nseps;       /* separator characters outside parentheses */
} shape;

/* Read s into sh; 0 when s holds anything but digits, spaces, . - / ( ) and
 * one leading '+', unbalanced or repeated parentheses, or too many digits or
 * groups. "(0)" after an international prefix (+44 (0)20 ...) is dropped. */
static int read_shape(const char *s, size_t n, shape *sh)
{
    memset(sh, 0, sizeof *sh);
    size_t i = 0;
    if (n > 0 && s[0] == '+') {
        sh->plus = 1;
        i = 1;
    }
    int open = 0, gap = 1, run = 0;
    while (i < n) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (gap) {
                if (sh->ng == sizeof sh->glen / sizeof sh->glen[0])
                    return 0;
                sh->ng++;
                gap = 0;
            }
            if (sh->nd == sizeof sh->d)
                return 0;
            sh->d[sh->nd++] = c;
            sh->glen[sh->ng - 1]++;
            run = 0;
            i++;
            continue;
        }
        gap = 1;
        if (c == '(') {
            if (open || sh->parens)
                return 0;
            if (sh->plus && sh->nd > 0 && i + 2 < n && s[i + 1] == '0' && s[i + 2] == ')') {
                i += 3;
                continue;
            }
            open = 1;
        } else if (c == ')') {
            if (!open)
                return 0;
            open = 0;
            sh->parens = 1;
        } else if (c == ' ' || c == '.' || c == '-' || c == '/') {
            if (++run > 3)
                return 0;
            sh->nseps++;
        } else {
            return 0;
        }
        i++;
    }
    return !open && !gap && sh->nd > 0;
}

/* A decimal number: one '.' or ',' and nothing else between the digits. */
static int is_decimal(const char *s, size_t n, const shape *sh)
{
    return sh->ng == 2 && !sh->parens && sh->nseps == 1 && !sh->plus && memchr(s, '.', n) != NULL;
}

/* Second pass over the separators, ignoring the first one and those next
 * to a parenthesis: 1 when the others are not all the same. */
static int separators_mixed(const char *s, size_t n)
{
    char ref[4] = {0}, cur[4] = {0};
    size_t cl = 0;
    int count = 0, have_ref = 0, paren = 0, seen_digit = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : '0';
        if (c >= '0' && c <= '9') {
            if (cl || paren) {
                cur[cl] = '\0';
                count++;
                if (count > 1 && !paren && cl) {
                    if (!have_ref) {
                        memcpy(ref, cur, sizeof ref);
                        have_ref = 1;
                    } else if (memcmp(ref, cur, sizeof ref) != 0) {
                        return 1;
                    }
                }
                memset(cur, 0, sizeof cur); /* no bytes of a longer run left */
            }
            cl = 0;
            paren = 0;
            seen_digit = 1;
        } else if (c == '(' || c == ')') {
            paren = 1;
        } else if (seen_digit && cl < sizeof cur - 1) {
            cur[cl++] = c;
        }
    }
    return 0;
}

/* More than one group of a single digit after the first group: a list of
 * small numbers, not a telephone number. */
static int too_many_singles(const shape *sh)
{
    int singles = 0;
    for (size_t g = 1; g < sh->ng; g++)
        singles += sh->glen[g] == 1;
    return singles > 1;
}

static int nanp_ok(const char *d)
{
    /* NANP: NPA and exchange start with 2-9, the NPA is not N11 */
    if (d[0] < '2' || d[3] < '2')
        return 0;
    if (d[1] == '1' && d[2] == '1')
        return 0;
    return 1;
}

static int international_ok(const shape *sh)
{
    const char *d = sh->d;
    size_t nd = sh->nd;
    if (nd < 8 || nd > 15)
        return 0;
    unsigned cc;
    size_t cl;
    if (d[0] == '0')
        return 0;
    if (d[0] == '1' || d[0] == '7') {
        cc = (unsigned)(d[0] - '0');
        cl = 1;
    } else if (two_digit_cc(ds_vd_num(d, 2))) {
        cc = ds_vd_num(d, 2);
        cl = 2;
    } else {
        cc = ds_vd_num(d, 3);
        cl = 3;
    }
    size_t nsn = nd - cl;
    unsigned min, max;
    nsn_range(cc, &min, &max);
    if (nsn < min || nsn > max)
        return 0;
    /* the NSN does not start with the trunk prefix, except in Italy */
    if (d[cl] == '0' && cc != 39)
        return 0;
    /* +1: the area code starts with 2-9 (the exchange rule is left to the
     * national form: with a country code the number is already explicit) */
    if (cc == 1 && d[1] < '2')
        return 0;
    return !ds_vd_is_same_char(d + cl, nsn);
}

/* A written telephone number: +CC or 00CC then a plausible NSN length for
 * the country; or a national number with the trunk prefix 0 (9 to 12
 * digits, 10 or 11 when written without separators); or a North American
 * number (NPA-NXX-XXXX, optionally 1 first) or a 3-3-2-2 grouping without a
 * trunk prefix, which need separators or parentheses. */
int ds_valid_phone(const char *s, size_t n)
{
    shape sh;
    if (!read_shape(s, n, &sh) || too_many_singles(&sh) || separators_mixed(s, n) ||
        is_decimal(s, n, &sh))
        return 0;
    if (sh.plus)
        return international_ok(&sh);
    if (sh.nd > 2 && sh.d[0] == '0' && sh.d[1] == '0' && sh.glen[0] >= 2) {
        shape t = sh;
        memmove(t.d, t.d + 2, t.nd - 2);
        t.nd -= 2;
        return international_ok(&t);
    }
    if (sh.d[0] == '0') {
        /* AAA-GG-SSSS is the US SSN shape, not a national telephone number */
        if (sh.ng == 3 && sh.glen[0] == 3 && sh.glen[1] == 2 && sh.glen[2] == 4)
            return 0;
        if (sh.nd < 2 || sh.d[1] == '0' || ds_vd_is_same_char(sh.d + 1, sh.nd - 1))
            return 0;
        if (sh.ng == 1)
            return sh.nd == 10 || sh.nd == 11;
        return sh.nd >= 9 && sh.nd <= 12;
    }
    if (sh.ng == 1)
        return 0; /* a bare digit run without trunk prefix */
    if (sh.nd == 11 && sh.d[0] == '1')
        return nanp_ok(sh.d + 1);
    if (sh.nd != 10)
        return 0;
    if (nanp_ok(sh.d))
        return 1;
    /* 3-3-2-2 (Turkey, Switzerland without trunk prefix...) */
    return sh.ng == 4 && sh.glen[0] == 3 && sh.glen[1] == 3 && sh.glen[2] == 2 &&
           sh.glen[3] == 2 && sh.d[0] >= '2';
}

/* The digits of a number given next to a telephone context word: 6 to 13
 * digits (local numbers without area code have 7; Greenland, the Faroe
 * Islands and others use 6-digit numbers; 11 at most without separators),
 * one separator style, not one digit repeated, not a decimal. */
int ds_valid_phone_digits(const char *s, size_t n)
{
    shape sh;
    if (!read_shape(s, n, &sh) || sh.plus || too_many_singles(&sh) || separators_mixed(s, n) ||
        is_decimal(s, n, &sh))
        return 0;
    if (sh.nd < 6 || sh.nd > 13 || (sh.ng == 1 && sh.nd > 11))
        return 0;
    return !ds_vd_is_same_char(sh.d, sh.nd) && !(sh.d[0] == '0' && sh.d[1] == '0');
}
