/* Fuzz target: the rule-file loader (src/rules/rules_parse.c, then the
 * compiler for what parses). byte 0: parse only, or parse and build; the
 * rest is one YAML rule file. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule_def.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0; /* the loader takes NUL-terminated texts */
    ds_error err;
    ds_error_clear(&err);
    if (data[0] & 1) {
        /* parse and compile (Vectorscan + PCRE2): slower, so half the runs */
        const char *names[1] = {"fuzz.yml"};
        const char *texts[1] = {text};
        ds_ruleset *rs = NULL;
        if (ds_ruleset_load_mem(names, texts, 1, NULL, &rs, &err) == DS_OK)
            ds_ruleset_free(rs);
    } else {
        ds_rule_def *defs = NULL;
        size_t n = 0;
        if (ds_rules_parse("fuzz.yml", text, size - 1, &defs, &n, &err) == DS_OK)
            ds_rule_defs_free(defs, n);
    }
    free(text);
    return 0;
}
