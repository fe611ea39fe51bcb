/* input: format sniffing for leaf inputs (ds_sniff_format, see walk.h).
 *
 * The name decides first: a known extension (after compression suffixes are
 * stripped) gives the format, or marks a format dsaudit does not read. Only
 * when the name says nothing do the first bytes decide: binary or not, then
 * JSON / JSONL / CSV / text. Everything here looks at a bounded head (a few
 * KiB) and never allocates. */
#include <stddef.h>
#include <string.h>

#include "input/walk.h"

/* Bytes of content looked at; the walker hands over this much at most. */
#define SNIFF_MAX 4096
/* Records looked at for the CSV test. */
#define CSV_RECORDS 20

typedef struct ext_rule {
    const char *ext;
    ds_format fmt; /* DS_FORMAT_UNKNOWN: not read, see why */
    const char *why;
} ext_rule;

static const ext_rule ext_rules[] = {
    {"csv", DS_FORMAT_CSV, NULL},
    {"tsv", DS_FORMAT_CSV, NULL},
    {"psv", DS_FORMAT_CSV, NULL},
    {"tab", DS_FORMAT_CSV, NULL},
    {"jsonl", DS_FORMAT_JSONL, NULL},
    {"ndjson", DS_FORMAT_JSONL, NULL},
    {"jsonlines", DS_FORMAT_JSONL, NULL},
    {"json", DS_FORMAT_JSON, NULL},
    {"txt", DS_FORMAT_TEXT, NULL},
    {"text", DS_FORMAT_TEXT, NULL},
    {"md", DS_FORMAT_TEXT, NULL},
    {"markdown", DS_FORMAT_TEXT, NULL},
    {"rst", DS_FORMAT_TEXT, NULL},
    {"log", DS_FORMAT_TEXT, NULL},

    {"parquet", DS_FORMAT_UNKNOWN, "unsupported format (Parquet)"},
    {"orc", DS_FORMAT_UNKNOWN, "unsupported format (ORC)"},
    {"avro", DS_FORMAT_UNKNOWN, "unsupported format (Avro)"},
    {"arrow", DS_FORMAT_UNKNOWN, "unsupported format (Arrow)"},
    {"feather", DS_FORMAT_UNKNOWN, "unsupported format (Feather)"},
    {"npy", DS_FORMAT_UNKNOWN, "unsupported format (NumPy)"},
    {"npz", DS_FORMAT_UNKNOWN, "unsupported format (NumPy)"},
    {"pkl", DS_FORMAT_UNKNOWN, "unsupported format (pickle)"},
    {"pickle", DS_FORMAT_UNKNOWN, "unsupported format (pickle)"},
    {"h5", DS_FORMAT_UNKNOWN, "unsupported format (HDF5)"},
    {"hdf5", DS_FORMAT_UNKNOWN, "unsupported format (HDF5)"},
    {"safetensors", DS_FORMAT_UNKNOWN, "unsupported format (safetensors)"},
    {"pt", DS_FORMAT_UNKNOWN, "unsupported format (PyTorch)"},
    {"pth", DS_FORMAT_UNKNOWN, "unsupported format (PyTorch)"},
    {"ckpt", DS_FORMAT_UNKNOWN, "unsupported format (checkpoint)"},
    {"onnx", DS_FORMAT_UNKNOWN, "unsupported format (ONNX)"},
    {"tfrecord", DS_FORMAT_UNKNOWN, "unsupported format (TFRecord)"},
    {"sqlite", DS_FORMAT_UNKNOWN, "unsupported format (SQLite)"},
    {"sqlite3", DS_FORMAT_UNKNOWN, "unsupported format (SQLite)"},
    {"xlsx", DS_FORMAT_UNKNOWN, "unsupported format (Excel)"},
    {"xlsm", DS_FORMAT_UNKNOWN, "unsupported format (Excel)"},
    {"xls", DS_FORMAT_UNKNOWN, "unsupported format (Excel)"},
    {"ods", DS_FORMAT_UNKNOWN, "unsupported format (OpenDocument)"},
    {"odt", DS_FORMAT_UNKNOWN, "unsupported format (OpenDocument)"},
    {"docx", DS_FORMAT_UNKNOWN, "unsupported format (Word)"},
    {"doc", DS_FORMAT_UNKNOWN, "unsupported format (Word)"},
    {"pptx", DS_FORMAT_UNKNOWN, "unsupported format (PowerPoint)"},
    {"ppt", DS_FORMAT_UNKNOWN, "unsupported format (PowerPoint)"},
    {"pdf", DS_FORMAT_UNKNOWN, "unsupported format (PDF)"},
    {"png", DS_FORMAT_UNKNOWN, "unsupported format (PNG image)"},
    {"jpg", DS_FORMAT_UNKNOWN, "unsupported format (JPEG image)"},
    {"jpeg", DS_FORMAT_UNKNOWN, "unsupported format (JPEG image)"},
    {"gif", DS_FORMAT_UNKNOWN, "unsupported format (GIF image)"},
    {"bmp", DS_FORMAT_UNKNOWN, "unsupported format (BMP image)"},
    {"webp", DS_FORMAT_UNKNOWN, "unsupported format (WebP image)"},
    {"tif", DS_FORMAT_UNKNOWN, "unsupported format (TIFF image)"},
    {"tiff", DS_FORMAT_UNKNOWN, "unsupported format (TIFF image)"},
    {"ico", DS_FORMAT_UNKNOWN, "unsupported format (icon)"},
    {"mp3", DS_FORMAT_UNKNOWN, "unsupported format (audio)"},
    {"wav", DS_FORMAT_UNKNOWN, "unsupported format (audio)"},
    {"flac", DS_FORMAT_UNKNOWN, "unsupported format (audio)"},
    {"ogg", DS_FORMAT_UNKNOWN, "unsupported format (audio)"},
    {"mp4", DS_FORMAT_UNKNOWN, "unsupported format (video)"},
    {"mkv", DS_FORMAT_UNKNOWN, "unsupported format (video)"},
    {"avi", DS_FORMAT_UNKNOWN, "unsupported format (video)"},
    {"mov", DS_FORMAT_UNKNOWN, "unsupported format (video)"},
    {"webm", DS_FORMAT_UNKNOWN, "unsupported format (video)"},
    {"bin", DS_FORMAT_UNKNOWN, "unsupported format (binary)"},
    {"exe", DS_FORMAT_UNKNOWN, "unsupported format (executable)"},
    {"dll", DS_FORMAT_UNKNOWN, "unsupported format (shared library)"},
    {"so", DS_FORMAT_UNKNOWN, "unsupported format (shared library)"},
    {"o", DS_FORMAT_UNKNOWN, "unsupported format (object file)"},
    {"class", DS_FORMAT_UNKNOWN, "unsupported format (Java class)"},
    {"jar", DS_FORMAT_UNKNOWN, "unsupported format (Java archive)"},
};

/* Compression suffixes looked through: "people.csv.gz" is a CSV. */
static const char *const compress_exts[] = {"gz", "bz2", "xz", "zst", "zstd", "lz4", "lzma"};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive compare of s[0..n) with the lower-case NUL-terminated t. */
static int ext_eq(const char *s, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\0' || lower((unsigned char)s[i]) != t[i])
            return 0;
    }
    return t[n] == '\0';
}

/* The rule for the extension of name (its last component, compression
 * suffixes stripped), or NULL. */
static const ext_rule *rule_for_name(const char *name)
{
    if (!name)
        return NULL;
    const char *base = name;
    for (const char *p = name; *p; p++) {
        if (*p == '/' || *p == '!')
            base = p + 1;
    }
    size_t len = strlen(base);
    for (;;) {
        /* the extension is after the last dot; a leading dot is not one */
        size_t dot = len;
        while (dot > 0 && base[dot - 1] != '.')
            dot--;
        if (dot <= 1)
            return NULL;
        const char *ext = base + dot;
        size_t elen = len - dot;
        int stripped = 0;
        for (size_t i = 0; i < sizeof compress_exts / sizeof compress_exts[0]; i++) {
            if (ext_eq(ext, elen, compress_exts[i])) {
                len = dot - 1;
                stripped = 1;
                break;
            }
        }
        if (stripped)
            continue;
        for (size_t i = 0; i < sizeof ext_rules / sizeof ext_rules[0]; i++) {
            if (ext_eq(ext, elen, ext_rules[i].ext))
                return &ext_rules[i];
        }
        return NULL;
    }
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static size_t skip_space(const unsigned char *h, size_t n, size_t i)
{
    while (i < n && is_space(h[i]))
        i++;
    return i;
}

/* 1 when the first line holds one complete JSON object and the next
 * non-blank line starts another: JSON Lines. */
static int looks_jsonl(const unsigned char *h, size_t n)
{
    size_t i = skip_space(h, n, 0);
    if (i >= n || h[i] != '{')
        return 0;
    int depth = 0, in_str = 0, esc = 0;
    for (; i < n; i++) {
        unsigned char c = h[i];
        if (c == '\n')
            return 0; /* the first value spans lines: pretty-printed JSON */
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                i++;
                break;
            }
        }
    }
    if (depth != 0)
        return 0;
    for (; i < n && h[i] != '\n'; i++) {
        if (!is_space(h[i]))
            return 0;
    }
    if (i >= n)
        return 0; /* a single object: JSON */
    i = skip_space(h, n, i);
    return i < n && h[i] == '{';
}

/* 1 when the records (quote-aware lines) of h all hold the same number >= 1
 * of some delimiter, over at least two records. */
static int looks_csv(const unsigned char *h, size_t n, int complete)
{
    static const unsigned char delims[] = {',', '\t', ';', '|'};
    for (size_t d = 0; d < sizeof delims; d++) {
        size_t count = 0, want = 0, records = 0;
        int in_quote = 0, blank = 1, ok = 1;
        for (size_t i = 0; i < n && ok && records < CSV_RECORDS; i++) {
            unsigned char c = h[i];
            if (c == '"') {
                in_quote = !in_quote;
            } else if (in_quote) {
                /* inside a quoted field: delimiters and newlines are data */
            } else if (c == delims[d]) {
                count++;
            } else if (c == '\n') {
                if (!blank) {
                    if (records == 0)
                        want = count;
                    else if (count != want)
                        ok = 0;
                    records++;
                }
                count = 0;
                blank = 1;
                continue;
            }
            if (!is_space(c))
                blank = 0;
        }
        /* the last record counts only when the head holds the whole input */
        if (ok && complete && !blank && !in_quote && records < CSV_RECORDS) {
            if (records == 0)
                want = count;
            else if (count != want)
                ok = 0;
            records++;
        }
        if (ok && records >= 2 && want >= 1)
            return 1;
    }
    return 0;
}

/* ASCII view of UTF-16 text (after its BOM): other characters become 'x'. */
static size_t utf16_view(const unsigned char *h, size_t n, int be, unsigned char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n && o < cap; i += 2) {
        unsigned u = be ? (unsigned)(h[i] << 8 | h[i + 1]) : (unsigned)(h[i + 1] << 8 | h[i]);
        out[o++] = u < 0x80 ? (unsigned char)u : 'x';
    }
    return o;
}

static ds_format by_content(const unsigned char *h, size_t n, const char **why)
{
    unsigned char view[SNIFF_MAX / 2];
    int complete = n < SNIFF_MAX;
    if (n > SNIFF_MAX)
        n = SNIFF_MAX;
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        h += 3;
        n -= 3;
    } else if (n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
        n = utf16_view(h + 2, n - 2, h[0] == 0xFE, view, sizeof view);
        h = view;
    }
    if (n == 0)
        return DS_FORMAT_TEXT;
    size_t odd = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = h[i];
        if (c == 0) {
            *why = "binary file";
            return DS_FORMAT_UNKNOWN;
        }
        /* control characters that text does not hold (TAB LF VT FF CR ESC do) */
        if ((c < 0x20 && !(c >= 0x09 && c <= 0x0D) && c != 0x1B) || c == 0x7F)
            odd++;
    }
    if (odd * 10 > n) {
        *why = "binary file";
        return DS_FORMAT_UNKNOWN;
    }
    size_t i = skip_space(h, n, 0);
    if (i < n && h[i] == '{')
        return looks_jsonl(h, n) ? DS_FORMAT_JSONL : DS_FORMAT_JSON;
    if (i < n && h[i] == '[')
        return DS_FORMAT_JSON;
    if (looks_csv(h, n, complete))
        return DS_FORMAT_CSV;
    return DS_FORMAT_TEXT;
}

ds_format ds_sniff_format(const char *name, const unsigned char *head, size_t n,
                          const char **reason)
{
    const char *why = "";
    ds_format fmt;
    if (!head)
        n = 0;
    const ext_rule *r = rule_for_name(name);
    if (r && r->fmt == DS_FORMAT_UNKNOWN) {
        why = r->why;
        fmt = DS_FORMAT_UNKNOWN;
    } else if (r && r->fmt == DS_FORMAT_JSON) {
        /* a .json file that is really JSON Lines is read as such */
        if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
            head += 3;
            n -= 3;
        }
        fmt = looks_jsonl(head, n < SNIFF_MAX ? n : SNIFF_MAX) ? DS_FORMAT_JSONL : DS_FORMAT_JSON;
    } else if (r) {
        fmt = r->fmt;
    } else {
        fmt = by_content(head, n, &why);
    }
    if (reason)
        *reason = why;
    return fmt;
}
