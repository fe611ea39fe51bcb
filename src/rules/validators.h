/* rules: the validator registry.
 *
 * A validator confirms that a regex match is a real identifier (checksum,
 * check letter, date plausibility...). Rules name validators in YAML
 * (`validator: luhn`); an unknown name is a rule load error. The registry
 * is one X-macro list, validators.def, included here and in validators.c.
 *
 * Contract of every validator: it receives the matched text exactly as it
 * appears in the value (it may contain spaces, dots, dashes, slashes, lower
 * case letters where the format allows them) and returns 1 when the
 * identifier is valid, 0 otherwise. It never reads outside s[0..n), needs no
 * NUL terminator and allocates nothing. */
#ifndef DS_RULES_VALIDATORS_H
#define DS_RULES_VALIDATORS_H

#include <stddef.h>

typedef int (*ds_validator_fn)(const char *s, size_t n);

typedef struct ds_validator {
    const char *name;        /* as written in rule files */
    ds_validator_fn fn;
    const char *description; /* one line, for `dsaudit rules show` */
} ds_validator;

#define DS_VALIDATOR(name, desc) int ds_valid_##name(const char *s, size_t n);
#include "rules/validators.def"
#undef DS_VALIDATOR

/* Look up a validator by name; NULL when unknown. */
const ds_validator *ds_validator_find(const char *name);

/* All validators, in registry order. */
const ds_validator *ds_validator_list(size_t *n);

#endif
