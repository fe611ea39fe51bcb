/* checks: the canonical metadata model (shared CHECKS.md §1c, last table, and
 * the sidecar of §1d). Every reader (Croissant, HF card, datapackage.json,
 * sidecar) fills one ds_meta; ds_meta_merge() then combines them by
 * precedence: sidecar > Croissant > datapackage.json > HF card. Strings are
 * owned; NULL / empty lists mean "not stated". Tri-state ints: -1 unknown,
 * 0 false, 1 true. */
#ifndef DS_CHECKS_META_MODEL_H
#define DS_CHECKS_META_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "checks/meta_tree.h"
#include "common/status.h"

typedef struct ds_slist {
    char **v;
    size_t n;
} ds_slist;

void ds_slist_add(ds_slist *l, const char *s);   /* NULL and "" are ignored */
int ds_slist_has(const ds_slist *l, const char *s); /* case-insensitive */
void ds_slist_free(ds_slist *l);

typedef struct ds_meta_origin {
    char *title, *url, *kind;
} ds_meta_origin;

typedef struct ds_meta_pfield { /* personal_data.fields[] */
    char *name, *category, *justification, *treatment;
} ds_meta_pfield;

typedef struct ds_meta_decl { /* a field or column the metadata declares */
    char *name, *description;
    int label;                /* Croissant cr:Label */
} ds_meta_decl;

/* Scalar fields: name in the struct, its canonical (sidecar) path. */
#define DS_META_STRS(X)                                                                        \
    X(name, "dataset.name") X(version, "dataset.version")                                    \
    X(date_modified, "dataset.date_modified") X(license_name, "license_name")                \
    X(license_link, "license_link") X(art6, "legal_basis.art6")                              \
    X(art9, "legal_basis.art9_condition") X(art10, "legal_basis.art10_authority")            \
    X(assessment_ref, "legal_basis.assessment_ref")                                          \
    X(compat_ref, "legal_basis.compatibility_assessment") X(purpose, "purpose.statement")    \
    X(pd_text, "personal_data (declaration text)")                                           \
    X(pseudonymisation, "personal_data.pseudonymisation") X(coll_start, "collection.start")  \
    X(coll_end, "collection.end") X(coll_text, "collection (text)")                          \
    X(scr_criteria, "collection.scraping.criteria")                                          \
    X(scr_optout, "collection.scraping.opt_out_mechanism")                                   \
    X(ret_dev, "retention.development") X(ret_maint, "retention.maintenance")                \
    X(ret_end, "retention.end_date") X(ret_deletion, "retention.deletion_method")            \
    X(ctrl_name, "controller.name") X(ctrl_contact, "controller.contact")                    \
    X(ctrl_dpo, "controller.dpo_contact") X(ctrl_role, "controller.role")                    \
    X(ann_protocol, "annotation.protocol") X(ann_annotators, "annotation.annotators")        \
    X(ann_platform, "annotation.platform") X(access, "access.restrictions")                  \
    X(size_category, "size_categories") X(dpia_status, "dpia.status") X(dpia_ref, "dpia.ref") \
    X(dpia_date, "dpia.date") X(rights_contact, "rights.contact")                            \
    X(rights_notice, "rights.notice_url") X(rights_optout, "rights.opt_out_url")             \
    X(agreement, "reuse.agreement") X(description, "description")

#define DS_META_LISTS(X)                                                                       \
    X(derived_from, "source.derived_from") X(licenses, "license")                            \
    X(intended_uses, "purpose.intended_uses") X(out_of_scope, "purpose.out_of_scope")        \
    X(categories, "personal_data.categories")                                                \
    X(special, "personal_data.special_categories")                                           \
    X(subjects, "personal_data.data_subjects") X(methods, "collection.method")               \
    X(scr_excluded, "collection.scraping.excluded_sources") X(files, "distribution")         \
    X(fk_fields, "foreignKeys") X(tasks, "task_categories") X(texts, "(free text)")

#define DS_META_INTS(X)                                                                        \
    X(requires_identity, "purpose.requires_identity") X(pd_present, "personal_data.present") \
    X(criminal, "personal_data.criminal_offence_data")                                       \
    X(scr_robots, "collection.scraping.respects_robots_txt")                                 \
    X(scr_deleted, "collection.scraping.irrelevant_data_deleted")                            \
    X(labels, "label fields") X(sensitive_labels, "annotation.sensitive_labels")             \
    X(dpia_innovative, "dpia.innovative_use") X(dpia_automated, "dpia.automated_decision")   \
    X(legality_checked, "reuse.legality_checked") X(art6_native, "legal basis from DPV")

typedef struct ds_meta {
    char *path;        /* the file read */
    const char *format; /* "croissant", "hf-card", "datapackage", "sidecar" */
    int embedded;      /* a dsaudit block was found inside the file */
#define DS_X(f, p) char *f;
    DS_META_STRS(DS_X)
#undef DS_X
#define DS_X(f, p) ds_slist f;
    DS_META_LISTS(DS_X)
#undef DS_X
#define DS_X(f, p) int f;
    DS_META_INTS(DS_X)
#undef DS_X
    int64_t scale_records, scale_subjects; /* -1 unknown */
    ds_meta_origin *origins;
    size_t norigins;
    ds_meta_pfield *pfields;
    size_t npfields;
    ds_meta_decl *decls;
    size_t ndecls;
    ds_slist warnings; /* "FILE:LINE: message" for values of the wrong type */
} ds_meta;

void ds_meta_init(ds_meta *m);
void ds_meta_clear(ds_meta *m);

/* Fill what dst leaves unstated from src (dst has precedence). */
void ds_meta_merge(ds_meta *dst, const ds_meta *src);

void ds_meta_add_origin(ds_meta *m, const char *title, const char *url, const char *kind);
void ds_meta_add_decl(ds_meta *m, const char *name, const char *description, int label);
/* Set *dst to a copy of s unless s is NULL, empty or a template placeholder. */
void ds_meta_set(char **dst, const char *s);
/* Append s to *dst with a separator. */
void ds_meta_append(char **dst, const char *s, const char *sep);

/* Derive personal_data.present / categories / special / criminal / subjects
 * from the declaration text when the metadata does not state them. */
void ds_meta_derive_from_text(ds_meta *m);

/* The readers. Each reads `len` bytes of the file `path`. Returns DS_OK, or
 * DS_EFORMAT with err = "PATH:LINE" + message (m then holds what was read). */
ds_status ds_meta_read_croissant(const ds_mnode *root, ds_meta *m, ds_error *err);
ds_status ds_meta_read_datapackage(const ds_mnode *root, ds_meta *m, ds_error *err);
ds_status ds_meta_read_sidecar(const ds_mnode *root, const char *path, ds_meta *m);
ds_status ds_meta_read_hfcard(const char *data, size_t len, const char *path, ds_meta *m,
                              ds_error *err);

/* Read a dsaudit block found inside a file: its values take precedence over
 * the host format's own. */
void ds_meta_apply_embedded(ds_meta *host, const ds_mnode *block, const char *path);

/* Detect the format of a file by name and content and read it into m
 * (ds_meta_init'ed by the caller). */
ds_status ds_meta_read_file(const char *path, ds_meta *m, ds_error *err);
ds_status ds_meta_read_buffer(const char *data, size_t len, const char *path, ds_meta *m,
                              ds_error *err);

/* 1 if the JSON tree is a Croissant document (CHECKS.md META-NO-METADATA). */
int ds_meta_is_croissant(const ds_mnode *root);

#endif
