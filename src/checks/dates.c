/* checks: dates for the retention checks: YYYY-MM-DD, ISO 8601 durations,
 * and the scan date (SOURCE_DATE_EPOCH when set). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/checks_run.h"

static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

int ds_date_parse(const char *s, long *days)
{
    if (!s)
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return -1;
        } else if (!isdigit((unsigned char)s[i])) {
            return -1;
        }
    }
    if (s[10] && s[10] != 'T' && s[10] != ' ')
        return -1;
    long y = strtol(s, NULL, 10);
    unsigned m = (unsigned)strtoul(s + 5, NULL, 10), d = (unsigned)strtoul(s + 8, NULL, 10);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *days = days_from_civil(y, m, d);
    long cy;
    unsigned cm, cd;
    civil_from_days(*days, &cy, &cm, &cd);
    return cy == y && cm == m && cd == d ? 0 : -1;
}


int ds_date_add_duration(long days, const char *dur, long *out)
{
    if (!dur || (dur[0] != 'P' && dur[0] != 'p'))
        return -1;
    long years = 0, months = 0, ndays = 0;
    const char *p = dur + 1;
    int any = 0;
    while (*p && *p != 'T' && *p != 't') {
        char *e;
        long v = strtol(p, &e, 10);
        if (e == p || v < 0)
            return -1;
        switch (*e) {
        case 'Y': case 'y': years += v; break;
        case 'M': case 'm': months += v; break;
        case 'W': case 'w': ndays += 7 * v; break;
        case 'D': case 'd': ndays += v; break;
        default: return -1;
        }
        any = 1;
        p = e + 1;
    }
    if (!any || years > 10000 || months > 120000)
        return -1;
    long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    long tm = (long)m - 1 + months;
    y += years + tm / 12;
    m = (unsigned)(tm % 12) + 1;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned lim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > lim)
        d = lim;
    *out = days_from_civil(y, m, d) + ndays;
    return 0;
}

void ds_date_today(char out[11])
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *e;
        long long v = strtoll(sde, &e, 10);
        if (!*e && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 13u, (unsigned)tm.tm_mday % 32u);
}
