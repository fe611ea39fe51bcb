/* checks: internals shared by the catalogue, the DPIA criteria and the
 * breach indicators. Not part of the public interface. */
#ifndef DS_CHECKS_CHECKS_IMPL_H
#define DS_CHECKS_CHECKS_IMPL_H

#include "checks/checks_run.h"
#include "common/buf.h"

typedef enum ds_sig_kind { DS_SIG_PERSONAL, DS_SIG_SENSITIVE, DS_SIG_CRIMINAL, DS_SIG_CREDENTIAL } ds_sig_kind;

/* One (file, field, type) with findings, or a name that stands in for one. */
typedef struct ds_sig {
    char *file;          /* NULL for a field declared in the metadata */
    char *field;
    char *type;          /* EMAIL, HEALTH, ... */
    ds_sig_kind kind;
    const char *art9;    /* special category ("health") or NULL */
    int direct;          /* a direct identifier (name, e-mail, phone, id, IBAN, card) */
    int inferred;        /* from the field name only */
    uint64_t hits, records, total; /* findings, records with one, records with the field */
} ds_sig;

typedef struct ds_signals {
    ds_sig *v;
    size_t n;
    uint64_t personal_records; /* records with personal findings (sum over files) */
    ds_slist files;            /* scanned file and member names */
    ds_slist names;            /* every field name seen or declared */
} ds_signals;

/* What the name of a field suggests: fills type/kind/art9/direct; 0 if nothing. */
int ds_sig_from_name(const char *name, const char **type, ds_sig_kind *kind, const char **art9,
                     int *direct);

/* skip: the metadata files read (a card or a sidecar is not data). */
void ds_signals_build(ds_signals *s, const ds_scan_result *r, const ds_meta *m,
                      const ds_slist *skip);
void ds_signals_free(ds_signals *s);

/* A check about to be added. */
typedef struct ds_chk {
    ds_check_status st;
    ds_severity sev;
    int blocker;
    ds_buf ev;
} ds_chk;

typedef struct ds_ctx {
    const ds_checks_opts *o;
    const ds_meta *m;      /* merged metadata (empty when none) */
    const ds_meta *metas;  /* each file read */
    size_t nmetas;
    int have_meta;
    const char *meta_error; /* first unreadable file's message */
    ds_signals sig;
    int personal, art9, art10;
    ds_slist art9_cats;    /* found or declared */
    ds_slist breach_names, breach_domains;
    uint64_t large_subjects, large_records;
    int c5;                /* large scale (set by the DPIA pass) */
    ds_checks *out;
} ds_ctx;

void ds_chk_add(ds_ctx *c, const char *id, ds_chk *k);

/* Breach indicators (CHECKS.md §1e): fills k (status, evidence). */
void ds_breach_evaluate(ds_ctx *c, ds_chk *k);
/* 1 if host is a leak forum or paste host (REUSE-LEGALITY-DOUBT). */
int ds_breach_doubtful_host(const char *host, const char **why);
/* Load a breach-name list; 0 on success, else message in err. */
int ds_breach_load_list(ds_ctx *c, const char *path, ds_buf *err);

/* The DPIA criteria (CHECKS.md §1b) into c->out, and the DPIA checks. */
void ds_dpia_evaluate(ds_ctx *c);

#endif
