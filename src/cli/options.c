/* cli: table-driven option parsing for `dsaudit scan`. */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "detect/detect.h"

enum {
    OPT_FAIL_ON = 256,
    OPT_RULES,
    OPT_ENABLE,
    OPT_DISABLE,
    OPT_LANG,
    OPT_MIN_CONF,
    OPT_MAX_DEPTH,
    OPT_MAX_RATIO,
    OPT_MAX_BYTES,
    OPT_MAX_ENTRIES,
    OPT_MAX_FIELD,
    OPT_READ_SIZE,
    OPT_EXCLUDE,
    OPT_FOLLOW,
    OPT_SHOW_VALUES,
    OPT_STRICT,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
};

typedef struct opt_doc {
    struct option lo;
    const char *arg;
    const char *help;
} opt_doc;

static const opt_doc table[] = {
    {{"format", required_argument, 0, 'f'}, "FMT", "report on stdout: text (default) or jsonl"},
    {{"fail-on", required_argument, 0, OPT_FAIL_ON}, "LEVEL",
     "none|low|medium|high: findings at or above LEVEL exit 1 (default medium)"},
    {{"rules", required_argument, 0, OPT_RULES}, "DIR",
     "load rules from DIR instead of the built-in set (also $DSAUDIT_RULES)"},
    {{"enable", required_argument, 0, OPT_ENABLE}, "LIST",
     "only these rule ids, types or categories (comma-separated, repeatable)"},
    {{"disable", required_argument, 0, OPT_DISABLE}, "LIST",
     "leave out these rule ids, types or categories"},
    {{"lang", required_argument, 0, OPT_LANG}, "LIST",
     "languages for context words and keywords (default: all shipped)"},
    {{"min-confidence", required_argument, 0, OPT_MIN_CONF}, "X",
     "drop findings below confidence X in 0..1 (default 0.5)"},
    {{"max-depth", required_argument, 0, OPT_MAX_DEPTH}, "N",
     "archive nesting depth (default 4; 0 = do not open archives)"},
    {{"max-ratio", required_argument, 0, OPT_MAX_RATIO}, "R",
     "decompression ratio guard against bombs (default 1000)"},
    {{"max-bytes", required_argument, 0, OPT_MAX_BYTES}, "B",
     "decompressed bytes per input (K/M/G suffixes; default 0 = no limit)"},
    {{"max-entries", required_argument, 0, OPT_MAX_ENTRIES}, "N",
     "members per archive (default 100000)"},
    {{"max-field", required_argument, 0, OPT_MAX_FIELD}, "B",
     "longest value held whole; longer ones are scanned in windows (default 1M)"},
    {{"exclude", required_argument, 0, OPT_EXCLUDE}, "GLOB",
     "skip paths or archive members matching GLOB (repeatable)"},
    {{"follow-symlinks", no_argument, 0, OPT_FOLLOW}, NULL,
     "follow symbolic links found inside directories"},
    {{"show-values", no_argument, 0, OPT_SHOW_VALUES}, NULL,
     "print matched values in full (masked by default)"},
    {{"strict", no_argument, 0, OPT_STRICT}, NULL,
     "skipped (unsupported) files make the scan incomplete (exit 2)"},
    {{"jobs", required_argument, 0, 'j'}, "N", "worker threads (default: number of cores)"},
    {{"quiet", no_argument, 0, 'q'}, NULL, "only problems"},
    {{"progress", no_argument, 0, OPT_PROGRESS}, NULL, "progress line on stderr"},
    {{"no-progress", no_argument, 0, OPT_NO_PROGRESS}, NULL,
     "no progress line (default: on when stderr is a terminal)"},
    {{"read-size", required_argument, 0, OPT_READ_SIZE}, "B",
     "largest read chunk handed to readers (testing; default no cap)"},
    {{"help", no_argument, 0, 'h'}, NULL, "this help"},
};
#define NOPT (sizeof table / sizeof table[0])

void ds_scan_usage(void *fp)
{
    FILE *f = fp;
    fputs("usage: dsaudit scan [OPTIONS] PATH...\n"
          "Scan files, directories and archives ('-' reads stdin) for personal data.\n\n",
          f);
    for (size_t i = 0; i < NOPT; i++) {
        const opt_doc *d = &table[i];
        char left[64];
        if (d->lo.val < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", d->lo.val, d->lo.name, d->arg ? " " : "",
                     d->arg ? d->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", d->lo.name, d->arg ? " " : "",
                     d->arg ? d->arg : "");
        fprintf(f, "  %-28s %s\n", left, d->help);
    }
    fputs("\nExit status: 0 nothing at or above --fail-on; 1 findings at or above it;\n"
          "2 usage error or an input could not be read completely.\n",
          f);
}

static void list_add_csv(ds_strlist *l, const char *arg)
{
    const char *p = arg;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            l->v = ds_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
            l->v[l->n++] = ds_xstrndup(p, n);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static int parse_size(const char *s, uint64_t *out)
{
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || !isfinite(v))
        return 0;
    double mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1024.0; end++; break;
    case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
    case 't': case 'T': mult = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end)
        return 0;
    *out = (uint64_t)(v * mult);
    return 1;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max)
        return 0;
    *out = v;
    return 1;
}

static int usage_error(const char *fmt, const char *a)
{
    fputs("dsaudit: ", stderr);
    fprintf(stderr, fmt, a);
    fputs("\nTry 'dsaudit scan --help'.\n", stderr);
    return 2;
}

int ds_scan_opts_parse(int argc, char **argv, ds_scan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = DS_OUT_TEXT;
    o->fail_on = DS_SEV_MEDIUM;
    o->min_confidence = DS_DEFAULT_MIN_CONFIDENCE;
    o->max_depth = 4;
    o->max_ratio = 1000;
    o->max_entries = 100000;
    o->max_field = 1u << 20;
    o->jobs = 0;
    o->progress = -1;

    struct option longopts[NOPT + 1];
    for (size_t i = 0; i < NOPT; i++)
        longopts[i] = table[i].lo;
    memset(&longopts[NOPT], 0, sizeof longopts[NOPT]);

    optind = 1;
    opterr = 0;
    int c;
    unsigned long long u;
    uint64_t sz;
    while ((c = getopt_long(argc, argv, ":f:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = DS_OUT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0)
                o->format = DS_OUT_JSONL;
            else
                return usage_error("unknown --format '%s' (this version writes text or jsonl)",
                                   optarg);
            break;
        case OPT_FAIL_ON:
            if (!ds_severity_parse(optarg, &o->fail_on) || o->fail_on == DS_SEV_INFO)
                return usage_error("--fail-on expects none, low, medium or high, not '%s'",
                                   optarg);
            break;
        case OPT_RULES: o->rules_dir = optarg; break;
        case OPT_ENABLE: list_add_csv(&o->enable, optarg); break;
        case OPT_DISABLE: list_add_csv(&o->disable, optarg); break;
        case OPT_LANG: list_add_csv(&o->langs, optarg); break;
        case OPT_EXCLUDE:
            o->exclude.v = ds_xrealloc(o->exclude.v, (o->exclude.n + 1) * sizeof *o->exclude.v);
            o->exclude.v[o->exclude.n++] = ds_xstrdup(optarg);
            break;
        case OPT_MIN_CONF: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= 0 && v <= 1))
                return usage_error("--min-confidence expects a number in 0..1, not '%s'", optarg);
            o->min_confidence = v;
            break;
        }
        case OPT_MAX_DEPTH:
            if (!parse_uint(optarg, 64, &u))
                return usage_error("--max-depth expects an integer 0..64, not '%s'", optarg);
            o->max_depth = (unsigned)u;
            break;
        case OPT_MAX_RATIO: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= 1))
                return usage_error("--max-ratio expects a number >= 1, not '%s'", optarg);
            o->max_ratio = v;
            break;
        }
        case OPT_MAX_BYTES:
            if (!parse_size(optarg, &sz))
                return usage_error("--max-bytes expects a size like 500M, not '%s'", optarg);
            o->max_bytes = sz;
            break;
        case OPT_MAX_ENTRIES:
            if (!parse_uint(optarg, UINT64_MAX, &u))
                return usage_error("--max-entries expects an integer, not '%s'", optarg);
            o->max_entries = u;
            break;
        case OPT_MAX_FIELD:
            if (!parse_size(optarg, &sz) || sz < 256 || sz > (1ull << 32))
                return usage_error("--max-field expects a size from 256 to 4G, not '%s'", optarg);
            o->max_field = (size_t)sz;
            break;
        case OPT_READ_SIZE:
            if (!parse_size(optarg, &sz) || sz > (1ull << 30))
                return usage_error("--read-size expects a size up to 1G, not '%s'", optarg);
            o->read_size = (size_t)sz;
            break;
        case OPT_FOLLOW: o->follow_symlinks = 1; break;
        case OPT_SHOW_VALUES: o->show_values = 1; break;
        case OPT_STRICT: o->strict = 1; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case 'j':
            if (!parse_uint(optarg, 256, &u) || u == 0)
                return usage_error("--jobs expects an integer 1..256, not '%s'", optarg);
            o->jobs = (unsigned)u;
            break;
        case 'q': o->quiet = 1; break;
        case 'h': ds_scan_usage(stdout); return 1;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "scan needs at least one PATH ('-' for stdin)");
    o->npaths = (size_t)(argc - optind);
    o->paths = ds_xcalloc(o->npaths, sizeof *o->paths);
    for (size_t i = 0; i < o->npaths; i++)
        o->paths[i] = ds_xstrdup(argv[optind + (int)i]);
    return 0;
}

static void list_free(ds_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

void ds_scan_opts_free(ds_scan_opts *o)
{
    list_free(&o->enable);
    list_free(&o->disable);
    list_free(&o->langs);
    list_free(&o->exclude);
    for (size_t i = 0; i < o->npaths; i++)
        free(o->paths[i]);
    free(o->paths);
}
