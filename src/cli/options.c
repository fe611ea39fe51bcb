/* cli: table-driven option parsing for `dsaudit scan`. */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks_run.h"
#include "common/mem.h"
#include "detect/detect.h"
#include "report/writers.h"

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
    OPT_MAX_JSON_DEPTH,
    OPT_MAX_COLUMNS,
    OPT_MAX_TIME,
    OPT_READ_SIZE,
    OPT_EXCLUDE,
    OPT_FOLLOW,
    OPT_SHOW_VALUES,
    OPT_STRICT,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_SAMPLE,
    OPT_SEED,
    OPT_MAX_RECORDS,
    OPT_SHARD,
    OPT_SPLIT_MIN,
    OPT_MAX_FINDINGS,
    OPT_TIMESTAMPS,
    OPT_BASELINE,
    OPT_WRITE_BASELINE,
    OPT_METADATA,
    OPT_SCAN_DATE,
    OPT_BREACH_LIST,
    OPT_LARGE_SUBJECTS,
    OPT_LARGE_RECORDS,
};

typedef struct opt_doc {
    struct option lo;
    const char *arg;
    const char *help;
} opt_doc;

static const opt_doc table[] = {
    {{"format", required_argument, 0, 'f'}, "FMT",
     "report on stdout: text (default), json, jsonl, ... (see dsaudit(1))"},
    {{"output", required_argument, 0, 'o'}, "FMT:PATH",
     "also write a report to PATH (0600); repeatable, one pass"},
    {{"max-findings", required_argument, 0, OPT_MAX_FINDINGS}, "N",
     "findings listed in json and other reports (default 1000; counts stay exact)"},
    {{"timestamps", no_argument, 0, OPT_TIMESTAMPS}, NULL,
     "record start and end times in the json report (not reproducible)"},
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
    {{"max-json-depth", required_argument, 0, OPT_MAX_JSON_DEPTH}, "N",
     "JSON nesting depth; a deeper record is skipped and reported (default 512)"},
    {{"max-columns", required_argument, 0, OPT_MAX_COLUMNS}, "N",
     "CSV columns per row; the rest of a wider row is reported (default 100000)"},
    {{"max-time-per-file", required_argument, 0, OPT_MAX_TIME}, "SECONDS",
     "stop reading a file after SECONDS and report it (default 0 = no limit)"},
    {{"exclude", required_argument, 0, OPT_EXCLUDE}, "GLOB",
     "skip paths or archive members matching GLOB (repeatable)"},
    {{"follow-symlinks", no_argument, 0, OPT_FOLLOW}, NULL,
     "follow symbolic links found inside directories"},
    {{"baseline", required_argument, 0, OPT_BASELINE}, "FILE",
     "report only findings not recorded in FILE (the exit status follows them)"},
    {{"write-baseline", required_argument, 0, OPT_WRITE_BASELINE}, "FILE",
     "record the current findings in FILE by keyed fingerprint (no values)"},
    {{"metadata", required_argument, 0, OPT_METADATA}, "FILE",
     "dataset metadata (Croissant, card, datapackage.json, .dsaudit.yml); default: discovered"},
    {{"scan-date", required_argument, 0, OPT_SCAN_DATE}, "DATE",
     "YYYY-MM-DD the checks compare against (default today, or $SOURCE_DATE_EPOCH)"},
    {{"breach-list", required_argument, 0, OPT_BREACH_LIST}, "FILE",
     "breach names for REUSE-BREACH-ORIGIN (HIBP breaches JSON, or one a line)"},
    {{"large-subjects", required_argument, 0, OPT_LARGE_SUBJECTS}, "N",
     "data subjects that make processing large-scale for the DPIA (default 100000)"},
    {{"large-records", required_argument, 0, OPT_LARGE_RECORDS}, "N",
     "records with personal data that make it large-scale (default 1000000)"},
    {{"show-values", no_argument, 0, OPT_SHOW_VALUES}, NULL,
     "print matched values in full (masked by default)"},
    {{"strict", no_argument, 0, OPT_STRICT}, NULL,
     "skipped (unsupported) files make the scan incomplete (exit 2)"},
    {{"jobs", required_argument, 0, 'j'}, "N", "worker threads (default: number of cores)"},
    {{"sample", required_argument, 0, OPT_SAMPLE}, "RATE",
     "scan a deterministic sample of RATE (0..1) of the records of each file"},
    {{"seed", required_argument, 0, OPT_SEED}, "N", "seed of --sample (default 0)"},
    {{"max-records", required_argument, 0, OPT_MAX_RECORDS}, "N",
     "scan only records 1..N of each file"},
    {{"shard", required_argument, 0, OPT_SHARD}, "K/N",
     "scan only shard K of N (1-based) of the input, for distributed runs"},
    {{"split-min", required_argument, 0, OPT_SPLIT_MIN}, "B",
     "plain JSONL/text/CSV files this big are read by all workers in ranges (default 64M)"},
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
    o->format_name = "text";
    o->max_findings = DS_DEFAULT_MAX_FINDINGS;
    o->fail_on = DS_SEV_MEDIUM;
    o->min_confidence = DS_DEFAULT_MIN_CONFIDENCE;
    o->max_depth = 4;
    o->max_ratio = 1000;
    o->max_entries = 100000;
    o->max_field = 1u << 20;
    o->max_json_depth = 512;
    o->max_columns = 100000;
    o->jobs = 0;
    o->progress = -1;
    o->sample_rate = 1;
    o->split_min = 64u << 20;

    struct option longopts[NOPT + 1];
    for (size_t i = 0; i < NOPT; i++)
        longopts[i] = table[i].lo;
    memset(&longopts[NOPT], 0, sizeof longopts[NOPT]);

    optind = 1;
    opterr = 0;
    int c;
    unsigned long long u;
    uint64_t sz;
    while ((c = getopt_long(argc, argv, ":f:o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!ds_writer_find(optarg))
                return usage_error("unknown --format '%s' (see 'dsaudit scan --help')", optarg);
            o->format = strcmp(optarg, "text") == 0    ? DS_OUT_TEXT
                        : strcmp(optarg, "jsonl") == 0 ? DS_OUT_JSONL
                                                       : DS_OUT_WRITER;
            o->format_name = optarg;
            break;
        case 'o': {
            const char *colon = strchr(optarg, ':');
            char fmt[32];
            if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof fmt || !colon[1])
                return usage_error("--output expects FMT:PATH, not '%s'", optarg);
            memcpy(fmt, optarg, (size_t)(colon - optarg));
            fmt[colon - optarg] = 0;
            if (!ds_writer_find(fmt))
                return usage_error("--output: unknown format '%s'", fmt);
            o->outputs.v = ds_xrealloc(o->outputs.v, (o->outputs.n + 1) * sizeof *o->outputs.v);
            o->outputs.v[o->outputs.n++] = ds_xstrdup(optarg);
            break;
        }
        case OPT_MAX_FINDINGS:
            if (!parse_uint(optarg, UINT64_MAX - 1, &u))
                return usage_error("--max-findings expects an integer, not '%s'", optarg);
            o->max_findings = u;
            break;
        case OPT_TIMESTAMPS: o->timestamps = 1; break;
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
        case OPT_MAX_JSON_DEPTH:
            if (!parse_uint(optarg, 1000000, &u) || u == 0)
                return usage_error("--max-json-depth expects an integer 1..1000000, not '%s'",
                                   optarg);
            o->max_json_depth = (unsigned)u;
            break;
        case OPT_MAX_COLUMNS:
            if (!parse_uint(optarg, 100000000, &u) || u == 0)
                return usage_error("--max-columns expects an integer 1..100000000, not '%s'",
                                   optarg);
            o->max_columns = u;
            break;
        case OPT_MAX_TIME: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= 0 && v <= 1e9))
                return usage_error("--max-time-per-file expects a number of seconds, not '%s'",
                                   optarg);
            o->max_time_per_file = v;
            break;
        }
        case OPT_READ_SIZE:
            if (!parse_size(optarg, &sz) || sz > (1ull << 30))
                return usage_error("--read-size expects a size up to 1G, not '%s'", optarg);
            o->read_size = (size_t)sz;
            break;
        case OPT_FOLLOW: o->follow_symlinks = 1; break;
        case OPT_SHOW_VALUES: o->show_values = 1; break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_WRITE_BASELINE: o->write_baseline = optarg; break;
        case OPT_METADATA: o->metadata = optarg; break;
        case OPT_SCAN_DATE: {
            long days;
            if (ds_date_parse(optarg, &days) != 0 || strlen(optarg) != 10)
                return usage_error("--scan-date expects YYYY-MM-DD, not '%s'", optarg);
            o->scan_date = optarg;
            break;
        }
        case OPT_BREACH_LIST: o->breach_list = optarg; break;
        case OPT_LARGE_SUBJECTS:
        case OPT_LARGE_RECORDS:
            if (!parse_uint(optarg, UINT64_MAX, &u) || u == 0)
                return usage_error("--large-subjects/--large-records expect a positive integer, "
                                   "not '%s'",
                                   optarg);
            if (c == OPT_LARGE_SUBJECTS)
                o->large_subjects = u;
            else
                o->large_records = u;
            break;
        case OPT_STRICT: o->strict = 1; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case 'j':
            if (!parse_uint(optarg, 256, &u) || u == 0)
                return usage_error("--jobs expects an integer 1..256, not '%s'", optarg);
            o->jobs = (unsigned)u;
            break;
        case OPT_SAMPLE: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v > 0 && v <= 1))
                return usage_error("--sample expects a rate in (0, 1], not '%s'", optarg);
            o->sample_rate = v;
            break;
        }
        case OPT_SEED:
            if (!parse_uint(optarg, UINT64_MAX, &u))
                return usage_error("--seed expects an integer, not '%s'", optarg);
            o->seed = u;
            break;
        case OPT_MAX_RECORDS:
            if (!parse_uint(optarg, UINT64_MAX, &u) || u == 0)
                return usage_error("--max-records expects an integer >= 1, not '%s'", optarg);
            o->max_records = u;
            break;
        case OPT_SHARD: {
            unsigned long long k, n;
            const char *slash = strchr(optarg, '/');
            char kbuf[32];
            if (!slash || (size_t)(slash - optarg) >= sizeof kbuf)
                return usage_error("--shard expects K/N with 1 <= K <= N, not '%s'", optarg);
            memcpy(kbuf, optarg, (size_t)(slash - optarg));
            kbuf[slash - optarg] = 0;
            if (!parse_uint(kbuf, 1u << 20, &k) || !parse_uint(slash + 1, 1u << 20, &n) || k < 1 ||
                k > n)
                return usage_error("--shard expects K/N with 1 <= K <= N, not '%s'", optarg);
            o->shard_k = (unsigned)(k - 1);
            o->shard_n = (unsigned)n;
            break;
        }
        case OPT_SPLIT_MIN:
            if (!parse_size(optarg, &sz) || sz < 1)
                return usage_error("--split-min expects a size like 64M, not '%s'", optarg);
            o->split_min = sz;
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
    list_free(&o->outputs);
    for (size_t i = 0; i < o->npaths; i++)
        free(o->paths[i]);
    free(o->paths);
}
