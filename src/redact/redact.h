/* redact: write a minimised, pseudonymised copy of a dataset (`dsaudit redact`).
 *
 * Pipeline per leaf input (a file, a compressed file, an archive member):
 *
 *   ds_stream ──► per-format rewriter (CSV: libcsv, JSON/JSONL: yajl parse +
 *                 yajl gen, text: lines) ──► detector per record (CSV row,
 *                 JSON scalar with its dotted path, text line) ──► actions
 *                 from the policy ──► ds_rwriter (bytes, re-encoded to the
 *                 input encoding)
 *
 * The rewriters do not use ds_source: they need the original cells, the
 * structure of JSON documents and the line endings, which the records do
 * not carry. Values longer than max_field are refused (DS_ELIMIT: the file
 * is not written), never cut: a windowed value could not be rewritten whole.
 *
 * Actions, most specific first for a finding: rule:ID, TYPE, category:CAT,
 * then the built-in default (ds_rpolicy_default_action). A field action
 * (field:NAME, or the sidecar's personal_data.fields[].treatment) applies to
 * the whole value of that field, findings or not. */
#ifndef DS_REDACT_REDACT_H
#define DS_REDACT_REDACT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/status.h"
#include "detect/detect.h"
#include "input/stream.h"
#include "rules/rules.h"

/* ---- actions ---------------------------------------------------------------- */

typedef enum ds_raction {
    DS_RA_UNSET = 0,
    DS_RA_KEEP,
    DS_RA_MASK,
    DS_RA_PSEUDO,
    DS_RA_GENERALISE,
    DS_RA_DROP,
    DS_RA_COUNT
} ds_raction;

/* "keep", "mask", "pseudonymise", "generalise", "drop" ("-" for UNSET). */
const char *ds_raction_name(ds_raction a);
/* Also accepts the sidecar's words (pseudonymised, generalised, removed) and
 * the -ize spellings. Returns 0 on unknown text. */
int ds_raction_parse(const char *s, ds_raction *out);

/* ---- policy ----------------------------------------------------------------- */

typedef enum ds_rkey_kind { DS_RK_RULE, DS_RK_TYPE, DS_RK_CATEGORY, DS_RK_FIELD } ds_rkey_kind;

/* Where an entry came from; a higher source overrides a lower one for the
 * same key. */
enum { DS_RSRC_SIDECAR = 1, DS_RSRC_POLICY = 2, DS_RSRC_CLI = 3 };

typedef struct ds_rpolicy ds_rpolicy;

ds_rpolicy *ds_rpolicy_new(void);
void ds_rpolicy_free(ds_rpolicy *p); /* NULL is a no-op */

ds_status ds_rpolicy_set(ds_rpolicy *p, ds_rkey_kind kind, const char *key, ds_raction a,
                         int source, ds_error *err);
/* "EMAIL=mask", "category:sensitive=mask", "rule:email=drop", "field:nom=drop". */
ds_status ds_rpolicy_add_spec(ds_rpolicy *p, const char *spec, int source, ds_error *err);
/* A YAML mapping of the same left-hand sides to actions:
 *     EMAIL: pseudonymise
 *     category:sensitive: mask
 *     field:commentaire: drop */
ds_status ds_rpolicy_load_file(ds_rpolicy *p, const char *path, ds_error *err);
ds_status ds_rpolicy_load_policy_mem(ds_rpolicy *p, const char *text, size_t n, const char *where,
                                     ds_error *err);
/* The sidecar's personal_data.fields[] {name, treatment} become field
 * entries (source DS_RSRC_SIDECAR). Other keys are ignored. */
ds_status ds_rpolicy_load_sidecar(ds_rpolicy *p, const char *path, ds_error *err);
ds_status ds_rpolicy_load_sidecar_mem(ds_rpolicy *p, const char *text, size_t n, const char *where,
                                      ds_error *err);

/* Built-in default: pseudonymise direct identifiers, generalise
 * quasi-identifiers (DATE_OF_BIRTH, IP_ADDRESS, GEO_COORDINATES,
 * POSTAL_ADDRESS, POSTCODE), mask sensitive and criminal spans. */
ds_raction ds_rpolicy_default_action(const char *type, const char *category);
/* Action for a finding of rule r (never UNSET). */
ds_raction ds_rpolicy_for_rule(const ds_rpolicy *p, const ds_rule *r);
/* Whole-field action for field name[0..n), or UNSET. Names match exactly,
 * then normalised (ds_name_normalise on the whole name); a JSON path also
 * matches with its array indices left out ("posts[].body", "posts.body"). */
ds_raction ds_rpolicy_for_field(const ds_rpolicy *p, const char *name, size_t n);
/* 1 when some rule of rs or some field entry resolves to pseudonymise. */
int ds_rpolicy_needs_key(const ds_rpolicy *p, const ds_ruleset *rs);

/* ---- value transforms ------------------------------------------------------- */

/* HMAC-SHA-256 (OpenSSL libcrypto). Returns 0 on failure. */
int ds_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n, unsigned char out[32]);

typedef struct ds_rkey {
    unsigned char key[256];
    size_t len;
} ds_rkey;

/* Key from the DSAUDIT_KEY environment variable or a key file (its bytes,
 * trailing newlines dropped). At least 16 bytes. */
ds_status ds_rkey_from_env(ds_rkey *k, ds_error *err);
ds_status ds_rkey_from_file(ds_rkey *k, const char *path, ds_error *err);
ds_status ds_rkey_from_mem(ds_rkey *k, const void *p, size_t n, ds_error *err);

/* Keyed, format-preserving pseudonym of v[0..n) for a value of `type`
 * (NULL: unknown). The same key, type and value give the same pseudonym:
 *   EMAIL        u3f9a1c2b7e0@pseudo.invalid
 *   PHONE, CREDIT_CARD, IBAN, identifiers: digits stay digits, letters
 *                letters, separators and a country prefix kept (a card
 *                never passes Luhn, an IBAN never passes mod 97)
 *   PERSON_NAME and words: a capitalised pronounceable word per word */
void ds_pseudonymise(const ds_rkey *k, const char *type, const char *v, size_t n, ds_buf *out);
/* The same with a retry number (0 is ds_pseudonymise): the redactor retries
 * when a pseudonym happens to look like personal data of another type (a
 * random digit string passing some other checksum). */
void ds_pseudonymise_salted(const ds_rkey *k, const char *type, const char *v, size_t n,
                            unsigned salt, ds_buf *out);
/* Generalised value: a date -> its year, IPv4 -> a.b.c.0/24, IPv6 -> /48,
 * coordinates -> 2 decimals, a postcode -> its first two digits
 * (department), a small integer -> its decade "30-39". Anything else is
 * masked. */
void ds_generalise(const char *type, const char *v, size_t n, ds_buf *out);

/* ---- summary ---------------------------------------------------------------- */

typedef struct ds_rsum_entry {
    char *field; /* generic field name (array indices as []) */
    char *type;  /* finding type, or "*" for a whole-field action without finding */
    ds_raction action;
    uint64_t count;
} ds_rsum_entry;

typedef struct ds_rsummary {
    ds_rsum_entry *e;
    size_t n, cap;
    uint64_t files, records, values_changed, values_dropped;
    uint64_t by_action[DS_RA_COUNT];
    uint64_t bytes_in, bytes_out;
} ds_rsummary;

void ds_rsummary_add(ds_rsummary *s, const char *field, size_t flen, const char *type, ds_raction a,
                     uint64_t n);
void ds_rsummary_merge(ds_rsummary *dst, const ds_rsummary *src);
/* Entries sorted by field, type, action. */
void ds_rsummary_sort(ds_rsummary *s);
void ds_rsummary_free(ds_rsummary *s);

/* ---- rewriting a stream ----------------------------------------------------- */

typedef struct ds_rwriter {
    void *ctx;
    ds_status (*write)(void *ctx, const void *p, size_t n, ds_error *err);
} ds_rwriter;

typedef struct ds_redactor ds_redactor;

typedef struct ds_redact_opts {
    const ds_rpolicy *policy;
    const ds_rkey *key; /* NULL: pseudonymise masks instead (the CLI refuses first) */
    size_t max_field;   /* longest value rewritten; default 1 MiB */
} ds_redact_opts;

/* One per thread: owns a detector over rs. */
ds_status ds_redactor_new(const ds_ruleset *rs, const ds_detect_opts *dopts,
                          const ds_redact_opts *o, ds_redactor **out, ds_error *err);
void ds_redactor_free(ds_redactor *r);

typedef struct ds_redact_file_stats {
    uint64_t records;
    uint64_t invalid_utf8; /* values read as Windows-1252 (written back so) */
    int csv_delim, csv_header;
    const char *encoding; /* "utf-8", "utf-8-bom", "utf-16le", "utf-16be" */
} ds_redact_file_stats;

/* Rewrite the input st (format fmt, not UNKNOWN) to w, counting what was
 * changed into sum (may be NULL). Output is written in the input encoding.
 * On failure nothing written so far should be kept (the caller discards it):
 * DS_ELIMIT for a value over max_field, DS_EFORMAT for malformed input,
 * DS_EIO and others from the stream or the writer. */
ds_status ds_redact_stream(ds_redactor *r, ds_format fmt, ds_stream *st, const ds_rwriter *w,
                           ds_rsummary *sum, ds_redact_file_stats *fs, ds_error *err);

#endif
