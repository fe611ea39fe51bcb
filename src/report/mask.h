/* report: masking of matched values. Every report masks by default; only
 * --show-values prints values in full.
 *
 *   EMAIL        jean.dupont@orange.fr        -> j***@o****.fr
 *   IBAN         FR76 3000 6000 ... 2606      -> FR76 **** **** ... ***2 606
 *   CREDIT_CARD  4970 1012 3456 7890          -> **** **** **** 7890
 *   IP_ADDRESS   192.168.10.42                -> 192.***.***.***
 *   digits-heavy identifiers keep their last two digits when long enough,
 *   words keep their first letter: "Jean Dupont" -> "J*** D*****".
 * Separators (spaces, dots, dashes...) are kept so the shape stays readable.
 * Values with 3 letters/digits or fewer are masked entirely. */
#ifndef DS_REPORT_MASK_H
#define DS_REPORT_MASK_H

#include <stddef.h>

#include "common/buf.h"

/* Append the masked form of value[0..n) (UTF-8) for a finding of `type`. */
void ds_mask(const char *type, const char *value, size_t n, ds_buf *out);

#endif
