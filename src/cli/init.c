/* cli: wiring of the metadata checks into `dsaudit scan`, and `dsaudit init`. */
#include "cli/init.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate/agg.h"
#include "checks/checks_run.h"
#include "cli/scan.h"
#include "common/buf.h"
#include "common/mem.h"
#include "detect/detect.h"
#include "input/source.h"
#include "input/walk.h"

static int is_dir(const char *p)
{
    struct stat st;
    return strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int ds_cli_run_checks(ds_scan_result *r, const ds_scan_opts *o)
{
    char today[11];
    ds_date_today(today);
    const char **roots = ds_xcalloc(o->npaths ? o->npaths : 1, sizeof *roots);
    size_t nroots = 0;
    for (size_t i = 0; i < o->npaths; i++)
        if (is_dir(o->paths[i]))
            roots[nroots++] = o->paths[i];
    ds_checks_opts co = {o->metadata, roots,           nroots,         o->scan_date ? o->scan_date : today,
                         o->large_subjects, o->large_records, o->breach_list};
    ds_slist msgs = {0};
    ds_checks *c = ds_checks_run(r, &co, &msgs);
    fflush(stdout);
    for (size_t i = 0; i < msgs.n; i++)
        fprintf(stderr, "dsaudit: %s\n", msgs.v[i]);
    ds_slist_free(&msgs);
    free(roots);
    if (!c)
        return -1;
    ds_checks_free(r->checks);
    r->checks = c;
    r->failing_checks = ds_checks_failing(c, o->fail_on);
    return 0;
}

/* ---- dsaudit init ----------------------------------------------------------------- */

typedef struct init_scan {
    ds_detector *det;
    ds_source_opts sopts;
    ds_scan_result res;
    ds_file_result *cur;
} init_scan;

static ds_status init_findings(void *ctx, const ds_record *rec, const ds_finding *f, size_t n)
{
    init_scan *s = ctx;
    ds_agg_add(s->cur->agg, rec, f, n);
    return DS_OK;
}

static ds_status init_input(void *ctx, const char *name, ds_format fmt, ds_stream *st)
{
    init_scan *s = ctx;
    ds_scan_result *r = &s->res;
    r->files = ds_xgrow(r->files, &r->fcap, r->nfiles + 1, sizeof *r->files);
    ds_file_result *f = &r->files[r->nfiles++];
    memset(f, 0, sizeof *f);
    f->name = ds_xstrdup(name);
    f->format = fmt;
    f->agg = ds_agg_new();
    s->cur = f;
    ds_error err;
    ds_error_clear(&err);
    ds_source *src = NULL;
    if (ds_source_open(st, fmt, &s->sopts, &src, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s: %s\n", err.where[0] ? err.where : name, err.msg);
        return DS_OK;
    }
    ds_sink sink = {s, init_findings};
    for (;;) {
        const ds_record *rec;
        ds_error_clear(&err);
        ds_status rc = ds_source_next(src, &rec, &err);
        if (rc == DS_DONE)
            break;
        if (rc == DS_EFORMAT)
            continue;
        if (rc != DS_OK)
            break;
        ds_detector_scan(s->det, rec, &sink, &err);
    }
    f->records = ds_source_stats_get(src)->records;
    ds_source_close(src);
    return DS_OK;
}

static void init_skip(void *ctx, const char *name, const char *reason, uint64_t bytes)
{
    (void)ctx;
    (void)name;
    (void)reason;
    (void)bytes;
}

static void init_error(void *ctx, const ds_error *err)
{
    (void)ctx;
    fprintf(stderr, "dsaudit: %s: %s\n", err->where[0] ? err->where : "-", err->msg);
}

static const char *category_of(const char *type, const char *cat)
{
    if (cat && !strcmp(cat, "sensitive"))
        return "special-category";
    if (cat && !strcmp(cat, "criminal"))
        return "criminal-offence";
    if (!strcmp(type, "EMAIL") || !strcmp(type, "PHONE") || !strcmp(type, "POSTAL_ADDRESS"))
        return "contact";
    if (!strcmp(type, "IP_ADDRESS") || !strcmp(type, "MAC_ADDRESS") || !strcmp(type, "USERNAME"))
        return "online-identifier";
    if (!strcmp(type, "IBAN") || !strcmp(type, "CREDIT_CARD"))
        return "financial";
    if (!strcmp(type, "GEO_COORDINATES"))
        return "location";
    return "identity";
}

static void yaml_str(ds_buf *b, const char *s)
{
    ds_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            ds_buf_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            ds_buf_printf(b, "\\x%02x", ch);
        else
            ds_buf_putc(b, (char)ch);
    }
    ds_buf_putc(b, '"');
}

static void write_sidecar(ds_buf *b, const char *path, const char *date, const ds_scan_result *r)
{
    char name[256];
    const char *base = strrchr(path, '/');
    snprintf(name, sizeof name, "%s", base && base[1] ? base + 1 : path);
    if (!strcmp(name, ".") || !*name) {
        char cwd[512];
        if (getcwd(cwd, sizeof cwd)) {
            const char *cb = strrchr(cwd, '/');
            snprintf(name, sizeof name, "%s", cb && cb[1] ? cb + 1 : "dataset");
        } else {
            snprintf(name, sizeof name, "dataset");
        }
    }
    uint64_t records = 0;
    size_t nfields = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        records += r->files[i].records;
        for (size_t k = 0; r->files[i].agg && k < ds_agg_nfields(r->files[i].agg); k++)
            nfields += ds_agg_field(r->files[i].agg, k)->ntypes > 0;
    }
    ds_buf_printf(b,
                  "# .dsaudit.yml: what only the dataset's owners know, for `dsaudit scan`.\n"
                  "# Written by `dsaudit init` on %s from a scan of %zu file%s (%llu records).\n"
                  "# Replace every TODO (a TODO counts as not stated) and delete what does not\n"
                  "# apply. Field reference: dsaudit(1), section METADATA.\n"
                  "dsaudit_version: 1\n"
                  "dataset:\n  name: ",
                  date, r->nfiles, r->nfiles == 1 ? "" : "s", (unsigned long long)records);
    yaml_str(b, name);
    ds_buf_puts(b,
                "\n  version: TODO\n"
                "source:\n"
                "  origin:\n"
                "    - title: TODO where the data comes from (site, system, dataset)\n"
                "      url: TODO URL, DOI, hf:org/name or internal:SYSTEM\n"
                "      kind: TODO  # first-party | first-party-reuse | public-dataset | open-data |"
                " third-party | data-broker | web-scrape | web-api | synthetic | other\n"
                "license:\n"
                "  - TODO  # an SPDX id such as CC-BY-4.0, or a licence URL\n"
                "purpose:\n"
                "  statement: TODO the task and the system this data trains\n"
                "  # requires_identity: false  # does the purpose need direct identifiers?\n"
                "legal_basis:\n"
                "  art6: TODO  # consent | contract | legal-obligation | vital-interests |"
                " public-task | legitimate-interests\n"
                "  # assessment_ref: TODO  # legitimate-interest assessment reference\n"
                "  # art9_condition: none  # Art. 9(2) letter a..j when special categories are present\n"
                "  # art10_authority: none  # legal text allowing criminal-offence data\n"
                "personal_data:\n");
    ds_buf_printf(b, "  present: %s\n", nfields ? "true" : "unknown");
    if (nfields) {
        ds_buf_puts(b, "  # Fields where the scan found personal data: justify each one, or\n"
                       "  # remove the field from the data (minimisation, GDPR Art. 5(1)(c)).\n"
                       "  fields:\n");
        ds_slist seen = {0};
        for (size_t i = 0; i < r->nfiles; i++) {
            const ds_file_result *f = &r->files[i];
            for (size_t k = 0; f->agg && k < ds_agg_nfields(f->agg); k++) {
                const ds_field_agg *fa = ds_agg_field(f->agg, k);
                if (!fa->ntypes || ds_slist_has(&seen, fa->name))
                    continue;
                ds_slist_add(&seen, fa->name);
                const ds_type_agg *ta = &fa->types[0];
                ds_buf_puts(b, "    - name: ");
                yaml_str(b, fa->name);
                ds_buf_printf(b, "\n      category: %s  # ", category_of(ta->type, ta->category));
                for (size_t t = 0; t < fa->ntypes; t++)
                    ds_buf_printf(b, "%s%s", t ? ", " : "", fa->types[t].type);
                ds_buf_printf(b, " in %llu of %llu records of ", (unsigned long long)ta->records,
                              (unsigned long long)fa->records);
                const char *fn = f->name; /* relative to PATH, on one line */
                size_t pl = strlen(path);
                if (!strncmp(fn, path, pl) && fn[pl] == '/')
                    fn += pl + 1;
                for (const char *p = fn; *p; p++)
                    ds_buf_putc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
                ds_buf_puts(b, "\n      justification: TODO why the purpose needs it\n"
                               "      treatment: TODO  # keep | pseudonymised | generalised | removed\n");
            }
        }
        ds_slist_free(&seen);
    }
    ds_buf_puts(b,
                "  # special_categories: []  # health, ethnic-origin, political, religion, union,"
                " genetic, biometric, sex-life-orientation\n"
                "  # criminal_offence_data: false\n"
                "  # data_subjects: [TODO]  # customers, employees, children, patients, ...\n"
                "  pseudonymisation: TODO  # the method, or none\n"
                "collection:\n"
                "  method: [TODO]  # web-scraping, web-api, survey, user-generated, third-party-transfer, ...\n"
                "  start: TODO  # YYYY-MM-DD\n"
                "  end: TODO  # YYYY-MM-DD\n"
                "retention:\n"
                "  development: TODO  # ISO 8601 duration, e.g. P18M\n"
                "  maintenance: TODO  # e.g. P12M\n"
                "  end_date: TODO  # YYYY-MM-DD\n"
                "controller:\n"
                "  name: TODO\n"
                "  contact: TODO  # e-mail or URL\n"
                "  role: TODO  # controller | joint-controller | processor\n"
                "access:\n"
                "  restrictions: TODO  # public | gated | internal\n"
                "dpia:\n"
                "  status: TODO  # done | planned | not-required | unknown\n"
                "  # ref: TODO\n"
                "  # date: YYYY-MM-DD\n"
                "rights:\n"
                "  contact: TODO  # where people exercise their rights\n"
                "  # notice_url: TODO\n"
                "  # opt_out_url: TODO\n"
                "# reuse:\n"
                "#   legality_checked: true\n"
                "#   agreement: TODO  # contract with the data holder (third-party data)\n");
}

static void init_usage(FILE *f)
{
    fputs("usage: dsaudit init [--force] [--scan-date YYYY-MM-DD] [--enable LIST] [PATH]\n"
          "Scan PATH (default '.') and write PATH/.dsaudit.yml, the metadata sidecar, with the\n"
          "fields holding personal data listed for you to justify and TODOs for the rest.\n"
          "  --force        overwrite an existing .dsaudit.yml\n"
          "  --scan-date D  the date written in the header (default today, or $SOURCE_DATE_EPOCH)\n"
          "  --enable LIST  only these rule ids, types or categories (as in 'dsaudit scan')\n",
          f);
}

int ds_cmd_init(int argc, char **argv)
{
    static const struct option lo[] = {{"force", no_argument, 0, 'F'},
                                       {"scan-date", required_argument, 0, 'D'},
                                       {"enable", required_argument, 0, 'E'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    int force = 0, c;
    ds_strlist enable = {0}, none = {0};
    const char *enable_arg = NULL;
    char date[11];
    ds_date_today(date);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        long days;
        switch (c) {
        case 'F': force = 1; break;
        case 'D':
            if (strlen(optarg) != 10 || ds_date_parse(optarg, &days) != 0) {
                fprintf(stderr, "dsaudit: --scan-date expects YYYY-MM-DD, not '%s'\n", optarg);
                return 2;
            }
            memcpy(date, optarg, 11);
            break;
        case 'E': enable_arg = optarg; break;
        case 'h': init_usage(stdout); return 0;
        default:
            fprintf(stderr, "dsaudit: init: unknown or incomplete option '%s'\n", argv[optind - 1]);
            init_usage(stderr);
            return 2;
        }
    }
    if (argc - optind > 1) {
        init_usage(stderr);
        return 2;
    }
    const char *path = optind < argc ? argv[optind] : ".";
    if (!is_dir(path)) {
        fprintf(stderr, "dsaudit: %s: not a directory\n", path);
        return 2;
    }
    ds_buf out = {0};
    ds_buf_printf(&out, "%s%s.dsaudit.yml", path, path[strlen(path) - 1] == '/' ? "" : "/");
    if (!force && access(out.data, F_OK) == 0) {
        fprintf(stderr, "dsaudit: %s: already exists (use --force to overwrite)\n", out.data);
        ds_buf_free(&out);
        return 2;
    }
    for (const char *p = enable_arg; p && *p;) { /* comma-separated, as scan --enable */
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            enable.v = ds_xrealloc(enable.v, (enable.n + 1) * sizeof *enable.v);
            enable.v[enable.n++] = ds_xstrndup(p, n);
        }
        p = e ? e + 1 : p + n;
    }
    ds_ruleset *rs = ds_cli_load_rules(NULL, &enable, &none, &none);
    for (size_t i = 0; i < enable.n; i++)
        free(enable.v[i]);
    free(enable.v);
    if (!rs) {
        ds_buf_free(&out);
        return 2;
    }
    init_scan s;
    memset(&s, 0, sizeof s);
    ds_source_opts_default(&s.sopts);
    ds_detect_opts dopts = {DS_DEFAULT_MIN_CONFIDENCE};
    ds_error err;
    ds_error_clear(&err);
    int status = 2;
    if (ds_detector_new(rs, &dopts, &s.det, &err) != DS_OK) {
        fprintf(stderr, "dsaudit: %s\n", err.msg);
        goto done;
    }
    ds_walk_opts wo;
    ds_walk_opts_default(&wo);
    wo.stream.decode = 1;
    static const char *const skip[] = {".dsaudit.yml", "dsaudit.yml", "README.md",
                                       "datapackage.json", "croissant.json", "metadata.json"};
    wo.exclude = skip;
    wo.nexclude = sizeof skip / sizeof skip[0];
    ds_walk_visitor v = {&s, init_input, init_skip, init_error};
    const char *paths[1] = {path};
    ds_walk(paths, 1, &wo, &v, &err);
    ds_buf y = {0};
    write_sidecar(&y, path, date, &s.res);
    int fd = open(out.data, O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL), 0600);
    if (fd < 0) {
        fprintf(stderr, "dsaudit: %s: cannot create: %s\n", out.data, strerror(errno));
    } else {
        size_t off = 0;
        while (off < y.len) {
            ssize_t w = write(fd, y.data + off, y.len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (close(fd) != 0 || off != y.len) {
            fprintf(stderr, "dsaudit: %s: write error\n", out.data);
        } else {
            printf("wrote %s: fill in the TODOs, then run 'dsaudit scan %s'\n", out.data, path);
            status = 0;
        }
    }
    ds_buf_free(&y);
done:
    ds_detector_free(s.det);
    ds_scan_result_free(&s.res);
    ds_ruleset_free(rs);
    ds_buf_free(&out);
    return status;
}
