/* rules: calendar helpers for the validators, and the date_plausible
 * validator (a date of birth written in a common numeric or textual form). */
#include <stddef.h>
#include <string.h>

#include "rules/validators.h"
#include "rules/validators_impl.h"

int ds_vd_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int ds_vd_days_in_month(int year, int month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ds_vd_is_leap(year))
        return 29;
    return days[month - 1];
}

int ds_vd_date_ok(int year, int month, int day)
{
    return day >= 1 && day <= ds_vd_days_in_month(year, month);
}

int ds_vd_day_month_ok(int month, int day)
{
    /* 2000 is a leap year: February 29 passes */
    return ds_vd_date_ok(2000, month, day);
}

/* ---- date_plausible ------------------------------------------------------
 *
 * Accepted forms (the year always has four digits, 1900..2026):
 *   D/M/YYYY  D-M-YYYY  D.M.YYYY   day and month of one or two digits; the
 *                                  same separator twice. Read day first, and
 *                                  also month first (US) when that is a date.
 *   YYYY-MM-DD  YYYY/MM/DD  YYYY.MM.DD
 *   12 mars 1985, 1er mars 1985, 12 March 1985, 12th March 1985,
 *   12 Mar. 1985, 12-Mar-1985, March 12, 1985, Mar 12 1985
 * Month names are English or French, full or abbreviated, any case, French
 * accents optional (fevrier, aout, decembre). */

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2026

static int year_ok(int y)
{
    return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
}

static int date_plausible_ymd(int y, int m, int d)
{
    return year_ok(y) && ds_vd_date_ok(y, m, d);
}

/* Read 1..max digits at s[*i]; -1 when there is none or too many. */
static int read_num(const char *s, size_t n, size_t *i, size_t max)
{
    size_t start = *i;
    int v = 0;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
        if (*i - start == max)
            return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    return *i > start ? v : -1;
}

static int date_numeric(const char *s, size_t n)
{
    size_t i = 0;
    int a = read_num(s, n, &i, 4);
    size_t alen = i;
    if (a < 0 || i == n)
        return 0;
    char sep = s[i];
    if (sep != '/' && sep != '-' && sep != '.')
        return 0;
    i++;
    int b = read_num(s, n, &i, 2);
    if (b < 0 || i == n || s[i] != sep)
        return 0;
    i++;
    size_t cstart = i;
    int c = read_num(s, n, &i, 4);
    if (c < 0 || i != n)
        return 0;
    size_t clen = n - cstart;
    if (alen == 4 && clen <= 2)
        return date_plausible_ymd(a, b, c);
    if (alen <= 2 && clen == 4)
        return date_plausible_ymd(c, b, a) || date_plausible_ymd(c, a, b);
    return 0;
}

static const struct {
    const char *name; /* lower case, UTF-8 */
    unsigned char month;
} month_names[] = {
    {"january", 1},   {"jan", 1},      {"janvier", 1},  {"janv", 1},
    {"february", 2},  {"feb", 2},      {"f\xc3\xa9vrier", 2}, {"fevrier", 2},
    {"f\xc3\xa9vr", 2}, {"fevr", 2},   {"f\xc3\xa9v", 2}, {"fev", 2},
    {"march", 3},     {"mar", 3},      {"mars", 3},
    {"april", 4},     {"apr", 4},      {"avril", 4},    {"avr", 4},
    {"may", 5},       {"mai", 5},
    {"june", 6},      {"jun", 6},      {"juin", 6},
    {"july", 7},      {"jul", 7},      {"juillet", 7},  {"juil", 7},
    {"august", 8},    {"aug", 8},      {"ao\xc3\xbbt", 8}, {"aout", 8},
    {"september", 9}, {"sep", 9},      {"sept", 9},     {"septembre", 9},
    {"october", 10},  {"oct", 10},     {"octobre", 10},
    {"november", 11}, {"nov", 11},     {"novembre", 11},
    {"december", 12}, {"dec", 12},     {"d\xc3\xa9\x63\x65mbre", 12}, {"decembre", 12},
    {"d\xc3\xa9\x63", 12},
};

/* Read a month name (letters and UTF-8 bytes) at s[*i], an optional '.'
 * after it; 0 when the word is no month name. */
static int read_month(const char *s, size_t n, size_t *i)
{
    char w[16];
    size_t k = 0;
    while (*i < n) {
        unsigned char c = (unsigned char)s[*i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (c >= 0x80 && c <= 0x9e && k > 0 && (unsigned char)w[k - 1] == 0xc3)
            c = (unsigned char)(c + 0x20); /* UTF-8 upper-case Latin-1 letter */
        else if (!(c >= 'a' && c <= 'z') && c < 0x80)
            break;
        if (k == sizeof w - 1)
            return 0;
        w[k++] = (char)c;
        (*i)++;
    }
    w[k] = '\0';
    if (*i < n && s[*i] == '.')
        (*i)++;
    for (size_t m = 0; m < sizeof month_names / sizeof month_names[0]; m++)
        if (strcmp(w, month_names[m].name) == 0)
            return month_names[m].month;
    return 0;
}

/* Read a day of the month with an optional ordinal suffix (1er, 1st, 2nd,
 * 3rd, 4th...); -1 when there is none. */
static int read_day(const char *s, size_t n, size_t *i)
{
    int d = read_num(s, n, i, 2);
    if (d < 0)
        return -1;
    if (*i + 2 <= n) {
        char a = (char)(s[*i] | 0x20), b = (char)(s[*i + 1] | 0x20);
        if ((a == 'e' && b == 'r' && d == 1) || (a == 's' && b == 't') ||
            (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h'))
            *i += 2;
    }
    return d;
}

/* Skip one or more spaces; 0 when there is none. */
static int skip_spaces(const char *s, size_t n, size_t *i)
{
    size_t start = *i;
    while (*i < n && s[*i] == ' ')
        (*i)++;
    return *i > start;
}

static int date_text(const char *s, size_t n)
{
    size_t i = 0;
    int d, m, y;
    if (s[0] >= '0' && s[0] <= '9') {
        /* 12 March 1985, 12 March, 1985, 12-Mar-1985 */
        d = read_day(s, n, &i);
        if (d < 0 || i == n)
            return 0;
        int dashed = s[i] == '-';
        if (dashed)
            i++;
        else if (!skip_spaces(s, n, &i))
            return 0;
        m = read_month(s, n, &i);
        if (m == 0 || i == n)
            return 0;
        if (dashed) {
            if (s[i++] != '-')
                return 0;
        } else {
            if (s[i] == ',')
                i++;
            if (!skip_spaces(s, n, &i))
                return 0;
        }
    } else {
        /* March 12, 1985 */
        m = read_month(s, n, &i);
        if (m == 0 || !skip_spaces(s, n, &i))
            return 0;
        d = read_day(s, n, &i);
        if (d < 0 || i == n)
            return 0;
        if (s[i] == ',')
            i++;
        if (!skip_spaces(s, n, &i))
            return 0;
    }
    size_t ystart = i;
    y = read_num(s, n, &i, 4);
    if (y < 0 || i != n || n - ystart != 4)
        return 0;
    return date_plausible_ymd(y, m, d);
}

int ds_valid_date_plausible(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] < '0' || s[i] > '9') && s[i] != '/' && s[i] != '-' && s[i] != '.')
            return date_text(s, n);
    return date_numeric(s, n);
}
