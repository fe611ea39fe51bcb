/* cli: `dsaudit merge` (see merge.h). */
#include "cli/merge.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/init.h"
#include "cli/options.h"
#include "cli/outputs.h"
#include "cli/schedule.h"
#include "common/mem.h"
#include "report/merge.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dsaudit merge [OPTIONS] REPORT.json...\n"
            "Combine the JSON reports of the shards of one scan (--shard K/N, or scans of\n"
            "disjoint sets of files with the same options) into the report one scan would\n"
            "have given: counts summed, distinct-value sketches merged, files in path order,\n"
            "the same findings list.\n\n"
            "  -f, --format FMT             merged report on stdout: %s (default json)\n"
            "  -o, --output FMT:PATH        also write it to PATH (0600); repeatable\n"
            "  -q, --quiet                  text: only problems\n"
            "  -h, --help                   this help\n\n"
            "Exit status: as the merged scan (0, 1 findings at or above --fail-on, 2\n"
            "incomplete); 2 when the reports cannot be read or merged.\n",
            ds_writer_names());
}

static int merge_usage_error(const char *fmt, const char *a)
{
    fputs("dsaudit: ", stderr);
    fprintf(stderr, fmt, a);
    fputs("\nTry 'dsaudit merge --help'.\n", stderr);
    return 2;
}

/* Read a whole file, at most DS_MERGE_MAX_REPORT bytes; NULL after a message. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "dsaudit: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    ds_buf b = {0};
    char chunk[65536];
    size_t n;
    int big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > DS_MERGE_MAX_REPORT) {
            big = 1;
            break;
        }
        ds_buf_append(&b, chunk, n);
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (big || bad) {
        fprintf(stderr, "dsaudit: %s: %s\n", path,
                big ? "report too large for merge (more than 1 GiB)" : "read error");
        ds_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    if (!b.data)
        b.data = ds_xstrdup("");
    return b.data;
}

/* Re-evaluate the metadata and compliance checks on the merged totals, with
 * the options of the original scan (its arguments, --shard left out) and the
 * date the reports' checks used. 0 after a message when that fails. */
static int recheck(ds_merged *m)
{
    if (m->argc == 0 || strcmp(m->argv[0], "scan") != 0) {
        fputs("dsaudit: merge: the reports hold checks but not the scan's arguments\n", stderr);
        return 0;
    }
    char **args = ds_xcalloc(m->argc + 1, sizeof *args);
    for (size_t i = 0; i < m->argc; i++)
        args[i] = m->argv[i];
    ds_scan_opts o;
    int prc = ds_scan_opts_parse((int)m->argc, args, &o);
    int ok = prc == 0;
    char *date = m->res.checks->scan_date ? ds_xstrdup(m->res.checks->scan_date) : NULL;
    if (ok) {
        if (date)
            o.scan_date = date;
        ok = ds_cli_run_checks(&m->res, &o) == 0;
    } else {
        fputs("dsaudit: merge: cannot re-read the scan's arguments to re-run the checks\n",
              stderr);
    }
    ds_scan_opts_free(&o);
    free(date);
    free(args);
    return ok;
}

int ds_cmd_merge(int argc, char **argv)
{
    static const struct option lo[] = {
        {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *format = "json";
    ds_strlist outs = {0};
    int quiet = 0, c, status = 2;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!ds_writer_find(optarg)) {
                status = merge_usage_error("unknown --format '%s'", optarg);
                goto done;
            }
            format = optarg;
            break;
        case 'o': {
            const char *colon = strchr(optarg, ':');
            char fmt[32];
            if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof fmt ||
                !colon[1]) {
                status = merge_usage_error("--output expects FMT:PATH, not '%s'", optarg);
                goto done;
            }
            memcpy(fmt, optarg, (size_t)(colon - optarg));
            fmt[colon - optarg] = 0;
            if (!ds_writer_find(fmt)) {
                status = merge_usage_error("--output: unknown format '%s'", fmt);
                goto done;
            }
            outs.v = ds_xrealloc(outs.v, (outs.n + 1) * sizeof *outs.v);
            outs.v[outs.n++] = (char *)optarg;
            break;
        }
        case 'q': quiet = 1; break;
        case 'h':
            usage(stdout);
            status = 0;
            goto done;
        case ':':
            status = merge_usage_error("option '%s' needs a value", argv[optind - 1]);
            goto done;
        default:
            status = merge_usage_error("unknown option '%s'", argv[optind - 1]);
            goto done;
        }
    }
    if (optind >= argc) {
        status = merge_usage_error("%s", "merge needs at least one REPORT.json");
        goto done;
    }
    size_t n = (size_t)(argc - optind);
    ds_report_in **in = ds_xcalloc(n, sizeof *in);
    const char **names = ds_xcalloc(n, sizeof *names);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        names[i] = argv[optind + (int)i];
        size_t len;
        char *text = slurp(names[i], &len);
        if (!text) {
            ok = 0;
            break;
        }
        ds_error err;
        ds_error_clear(&err);
        if (ds_report_parse(text, len, &in[i], &err) != DS_OK) {
            fprintf(stderr, "dsaudit: %s: %s\n", names[i], err.msg);
            ok = 0;
        }
        free(text);
    }
    ds_merged m;
    memset(&m, 0, sizeof m);
    if (ok) {
        ds_error err;
        ds_error_clear(&err);
        if (ds_report_merge(in, names, n, ds_sched_merge_file, &m, &err) != DS_OK) {
            fprintf(stderr, "dsaudit: %s%s%s\n", err.where[0] ? err.where : "",
                    err.where[0] ? ": " : "", err.msg);
            ok = 0;
        }
    }
    if (ok && m.res.checks && !recheck(&m))
        ok = 0;
    for (size_t i = 0; i < n; i++)
        ds_report_in_free(in[i]);
    free(in);
    free(names);
    if (ok) {
        ds_outputs *o = ds_outputs_open(format, &outs, m.ctx.max_findings);
        if (o) {
            /* the merged list is already built and capped */
            ds_outputs_set_spool(o, m.findings);
            m.findings = NULL;
            m.ctx.quiet = quiet;
            m.ctx.color = isatty(1) && !getenv("NO_COLOR");
            int wrc = ds_outputs_finish(o, &m.res, &m.ctx);
            status = wrc ? 2 : ds_scan_exit_status(&m.res);
            ds_outputs_free(o);
        }
    }
    ds_merged_free(&m);
done:
    free(outs.v);
    return status;
}
