/* rules: helpers shared by the validator files (validators*.c). Internal.
 *
 * Every helper takes (s, n) like the validators: it reads s[0..n) only and
 * needs no NUL terminator. Digit strings passed between helpers are ASCII
 * ('0'..'9'), not digit values. */
#ifndef DS_RULES_VALIDATORS_IMPL_H
#define DS_RULES_VALIDATORS_IMPL_H

#include <stddef.h>

/* Copy the letters and digits of s into out, letters upper-cased, dropping
 * the characters listed in seps (a NUL-terminated set). Returns the number
 * of characters copied, or -1 when s holds any other character or more than
 * cap letters and digits. */
int ds_vd_compact(const char *s, size_t n, const char *seps, char *out, size_t cap);

/* 1 when s[0..n) are all ASCII digits (n > 0). */
int ds_vd_is_digits(const char *s, size_t n);

/* 1 when s[0..n) is one character repeated (n > 0). */
int ds_vd_is_same_char(const char *s, size_t n);

/* The value of the ASCII digits s[0..n), n <= 9; the caller has checked them. */
unsigned ds_vd_num(const char *s, size_t n);

/* The ASCII digit string s[0..n) modulo m (m <= 1000). */
unsigned ds_vd_mod(const char *s, size_t n, unsigned m);

/* 1 when the ASCII digit string s[0..n) passes the Luhn mod 10 check. */
int ds_vd_luhn(const char *s, size_t n);

/* Gregorian calendar. */
int ds_vd_is_leap(int year);
int ds_vd_days_in_month(int year, int month); /* 0 when month is not 1..12 */
int ds_vd_date_ok(int year, int month, int day);

/* A day and month without a known century: February 29 is accepted. */
int ds_vd_day_month_ok(int month, int day);

#endif
