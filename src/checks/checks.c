/* checks: ownership of the check results (see check.h). */
#include "checks/check.h"

#include <stdlib.h>

void ds_checks_free(ds_checks *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].title);
        free(c->v[i].evidence);
        free(c->v[i].basis);
        free(c->v[i].remedy);
    }
    free(c->v);
    for (size_t i = 0; i < c->ndpia; i++) {
        free(c->dpia[i].id);
        free(c->dpia[i].title);
        free(c->dpia[i].evidence);
    }
    free(c->dpia);
    free(c->metadata_path);
    free(c->metadata_format);
    free(c->scan_date);
    free(c);
}
