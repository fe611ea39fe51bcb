/* cli: `dsaudit rules list|show ID|test [DIR]`: the rule library. */
#include "cli/rules_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scan.h"
#include "detect/examples.h"
#include "detect/detect.h"
#include "rules/rules_impl.h"

static void rules_usage(FILE *f)
{
    fputs("usage: dsaudit rules list [--rules DIR]\n"
          "       dsaudit rules show ID [--rules DIR]\n"
          "       dsaudit rules test [DIR]\n"
          "List the rules, explain one, or run every rule's examples (exit 1 on a failure).\n",
          f);
}

static void langs_of(const ds_rule_def *d, char *out, size_t cap)
{
    out[0] = '\0';
    size_t o = 0;
    const ds_rule_words *sets[2] = {d->context, d->keywords};
    size_t ns[2] = {d->ncontext, d->nkeywords};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < ns[s]; i++) {
            const char *l = sets[s][i].lang;
            int seen = 0;
            for (const char *p = out; (p = strstr(p, l)) != NULL; p++)
                if ((p == out || p[-1] == ',') && (p[strlen(l)] == ',' || !p[strlen(l)]))
                    seen = 1;
            if (seen)
                continue;
            int n = snprintf(out + o, cap - o, "%s%s", o ? "," : "", l);
            if (n < 0 || (size_t)n >= cap - o)
                return;
            o += (size_t)n;
        }
    if (!o)
        snprintf(out, cap, "any");
}

static void print_list(const ds_ruleset *rs)
{
    for (size_t i = 0; i < ds_ruleset_count(rs); i++) {
        const ds_rule *r = ds_ruleset_rule(rs, i);
        char langs[128];
        langs_of(r->def, langs, sizeof langs);
        printf("%-28s %-22s %-10s %-7s %s\n", r->id, r->type, r->category,
               ds_severity_name(r->severity), langs);
    }
}

static void print_strv(const char *label, const ds_strv *v)
{
    if (!v->n)
        return;
    printf("%-12s", label);
    for (size_t i = 0; i < v->n; i++)
        printf("%s%s", i ? ", " : "", v->v[i]);
    putchar('\n');
}

static void print_words(const char *label, const ds_rule_words *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%-12s[%s] ", label, w[i].lang);
        for (size_t k = 0; k < w[i].words.n; k++)
            printf("%s%s", k ? ", " : "", w[i].words.v[k]);
        putchar('\n');
    }
}

static void print_show(const ds_ruleset *rs, const ds_rule *r)
{
    const ds_rule_def *d = r->def;
    printf("id          %s\ntype        %s\ncategory    %s\nseverity    %s\n", r->id, r->type,
           r->category, ds_severity_name(r->severity));
    printf("confidence  %.2f\n", r->confidence);
    if (r->description)
        printf("description %s\n", r->description);
    printf("defined in  %s:%u\n", r->file ? r->file : "?", r->line);
    for (size_t i = 0; i < d->regex.n; i++)
        printf("regex       %s\n", d->regex.v[i]);
    if (d->prefilter)
        printf("prefilter   %s\n", d->prefilter);
    if (d->anchor == DS_ANCHOR_WORD_SPACE_CAPITAL)
        printf("anchor      word-space-capital (PCRE2 runs from words followed by a capital)\n");
    /* how each pattern is matched */
    for (size_t p = 0; p < rs->npats; p++) {
        if (&rs->rules[rs->pats[p].rule].pub != r)
            continue;
        printf("matching    %s%s\n", rs->pats[p].keyword ? "keywords: " : "regex: ",
               rs->pats[p].in_db ? "Vectorscan prefilter + PCRE2 confirmation"
                                 : "PCRE2 on every value (no Vectorscan prefilter; slower)");
    }
    if (r->validator) {
        const ds_validator *v = ds_validator_find(r->validator);
        printf("validator   %s (%s)\n", r->validator, v ? v->description : "?");
    }
    print_words("context", d->context, d->ncontext);
    if (d->ncontext)
        printf("            within %u bytes%s\n", d->context_window ? d->context_window : 64,
               d->context_required ? "; required" : "");
    print_words("keywords", d->keywords, d->nkeywords);
    print_strv("columns", &d->columns);
    if (d->column_only)
        printf("            every non-empty value of such a column is a finding\n");
    print_strv("pair with", &d->column_pair);
    print_strv("never in", &d->exclude_columns);
    for (size_t i = 0; i < d->nlexicons; i++)
        for (size_t k = 0; k < d->lexicons[i].files.n; k++)
            printf("lexicon     %s: %s\n", d->lexicons[i].name, d->lexicons[i].files.v[k]);
    if (d->person_signal != DS_PSIG_NONE)
        printf("person      %s: a person signal in the sentence%s\n",
               d->person_signal == DS_PSIG_REQUIRED ? "required" : "boost",
               d->person_signal == DS_PSIG_REQUIRED ? " (without one: confidence 0.3)" : " adds 0.15");
    print_strv("exclude", &d->exclude);
    print_strv("allow", &d->allow);
    for (size_t i = 0; i < d->npositive; i++)
        printf("example +   %s%s%s\n", d->positive[i].field ? d->positive[i].field : "",
               d->positive[i].field ? ": " : "", d->positive[i].value);
    for (size_t i = 0; i < d->nnegative; i++)
        printf("example -   %s%s%s\n", d->negative[i].field ? d->negative[i].field : "",
               d->negative[i].field ? ": " : "", d->negative[i].value);
}

int ds_cmd_rules(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        rules_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    const char *dir = NULL, *id = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strncmp(argv[i], "--rules=", 8) == 0)
            dir = argv[i] + 8;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "dsaudit: unknown option '%s'\n", argv[i]);
            rules_usage(stderr);
            return 2;
        } else if (strcmp(sub, "test") == 0 && !dir)
            dir = argv[i];
        else if (strcmp(sub, "show") == 0 && !id)
            id = argv[i];
        else {
            fprintf(stderr, "dsaudit: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    ds_strlist none = {0};
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "test") != 0) {
        fprintf(stderr, "dsaudit: unknown rules command '%s'\n", sub);
        rules_usage(stderr);
        return 2;
    }
    if (strcmp(sub, "show") == 0 && !id) {
        fputs("dsaudit: rules show needs a rule ID\n", stderr);
        return 2;
    }
    ds_ruleset *rs = ds_cli_load_rules(dir, &none, &none, &none);
    if (!rs)
        return 2;
    int status = 0;
    if (strcmp(sub, "list") == 0) {
        print_list(rs);
    } else if (strcmp(sub, "show") == 0) {
        const ds_rule *r = ds_ruleset_find(rs, id);
        if (!r) {
            fprintf(stderr, "dsaudit: no rule '%s' (see dsaudit rules list)\n", id);
            status = 2;
        } else {
            print_show(rs, r);
        }
    } else {
        unsigned p = 0, f = 0;
        if (ds_rules_run_examples(rs, stdout, &p, &f) != 0) {
            fputs("dsaudit: cannot create a detector\n", stderr);
            status = 2;
        } else {
            printf("rules: %u passed, %u failed\n", p, f);
            status = f ? 1 : 0;
        }
    }
    ds_ruleset_free(rs);
    return status;
}
