/* common: status names and the error record. */
#include "common/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ds_status_str(ds_status st)
{
    switch (st) {
    case DS_OK: return "ok";
    case DS_DONE: return "done";
    case DS_ENOMEM: return "out of memory";
    case DS_EIO: return "i/o error";
    case DS_EFORMAT: return "malformed input";
    case DS_ERULE: return "rule error";
    case DS_ELIMIT: return "limit reached";
    case DS_EINVAL: return "invalid argument";
    case DS_EUNSUPPORTED: return "unsupported";
    }
    return "unknown status";
}

ds_status ds_error_set(ds_error *err, ds_status st, const char *where, const char *fmt, ...)
{
    if (!err)
        return st;
    err->status = st;
    if (where)
        snprintf(err->where, sizeof err->where, "%s", where);
    else
        err->where[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return st;
}

void ds_error_clear(ds_error *err)
{
    if (!err)
        return;
    err->status = DS_OK;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}
