/* common: one status enum for the whole pipeline and a caller-owned error record.
 *
 * Every fallible function returns a ds_status and, when it fails, fills the
 * ds_error the caller passed (if not NULL). ds_error needs no heap, so it can
 * be filled on ENOMEM. `where` names the place ("data.tar.gz!a.csv:1203",
 * "patterns/contact.yml:42:17"); `msg` says what went wrong. */
#ifndef DS_COMMON_STATUS_H
#define DS_COMMON_STATUS_H

#include <stddef.h>

typedef enum ds_status {
    DS_OK = 0,
    DS_DONE,        /* iterator exhausted, or a sink asked to stop */
    DS_ENOMEM,      /* allocation failed */
    DS_EIO,         /* read/write failure, truncated or corrupt container */
    DS_EFORMAT,     /* malformed record; recoverable: the reader can go on */
    DS_ERULE,       /* rule file error */
    DS_ELIMIT,      /* a configured safety limit was hit */
    DS_EINVAL,      /* bad argument or option */
    DS_EUNSUPPORTED /* a format or feature dsaudit does not read */
} ds_status;

typedef struct ds_error {
    ds_status status;
    char where[512];
    char msg[512];
} ds_error;

/* Short lower-case name of a status ("ok", "io error", ...). Never NULL. */
const char *ds_status_str(ds_status st);

/* Fill err (if not NULL) and return st. `where` may be NULL. printf-style msg. */
ds_status ds_error_set(ds_error *err, ds_status st, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reset err to DS_OK with empty strings. NULL is a no-op. */
void ds_error_clear(ds_error *err);

#endif
