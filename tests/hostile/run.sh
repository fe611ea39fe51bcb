#!/bin/sh
# Hostile inputs (issue 7, SPEC §10): bombs, deep nesting, huge lines and rows,
# broken containers, evil member names, symlink loops, FIFOs, a ReDoS rule.
# Inputs are generated at test time in a fresh directory under $TMPDIR (big
# ones are streamed through stdin, never written). Each case asserts the exit
# status, a message, the peak RSS (/usr/bin/time -f %M) and the wall time.
#
# usage: tests/hostile/run.sh [--full] [CASE...]
#   --full  also the slow cases (make hostile-full)
# env: DSAUDIT (default build/dsaudit), DSAUDIT_WRAPPER (a command prefix,
#      e.g. valgrind: limits on time and RSS are then not checked),
#      HOSTILE_RSS_SCALE (default 1; make asan sets 4: shadow memory and
#      quarantine inflate RSS, the bound is about growth with input size)
#      HOSTILE_TIME_SCALE (default 3: the time limits are for an idle machine and
#      catch hangs, not slowness; a loaded CI machine gets slack)
# Prints "hostile: N passed, M failed".
set -u
DSAUDIT=${DSAUDIT:-build/dsaudit}
case $DSAUDIT in /*) ;; *) DSAUDIT=$(pwd)/$DSAUDIT ;; esac
ROOT=$(pwd)
full=0
if [ "${1:-}" = "--full" ]; then
    full=1
    shift
fi
only=" $* "
T=$(mktemp -d "${TMPDIR:-/tmp}/dsaudit-hostile.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=
[ -n "${DSAUDIT_WRAPPER:-}" ] && TIME=
have_py=0
command -v python3 >/dev/null 2>&1 && have_py=1
pass=0
fail=0
skipped=0

want() { # is case $1 selected?
    [ "$only" = "  " ] && return 0
    case $only in *" $1 "*) return 0 ;; esac
    return 1
}

# run NAME MAX_RSS_KB MAX_SECONDS [STDIN_CMD] -- ARGS... : dsaudit scan ARGS
# (quiet, no progress, EMAIL rules only: rule compilation stays out of the
# timings); stdout in $T/NAME.out, stderr in $T/NAME.err, status in $rc.
run() {
    name=$1 rss_max=$(($2 * ${HOSTILE_RSS_SCALE:-1})) t_max=$(($3 * ${HOSTILE_TIME_SCALE:-3}))
    shift 3
    feed=
    if [ "$1" != "--" ]; then
        feed=$1
        shift
    fi
    shift
    out=$T/$name.out err=$T/$name.err tim=$T/$name.time
    start=$(date +%s.%N)
    if [ -n "$feed" ]; then
        sh -c "$feed" | (cd "$T/cwd" && ${TIME:+$TIME -f '%M' -o "$tim"} \
            ${DSAUDIT_WRAPPER:-} "$DSAUDIT" scan -q --no-progress "$@" >"$out" 2>"$err")
        rc=$?
    else
        (cd "$T/cwd" && ${TIME:+$TIME -f '%M' -o "$tim"} \
            ${DSAUDIT_WRAPPER:-} "$DSAUDIT" scan -q --no-progress "$@" >"$out" 2>"$err")
        rc=$?
    fi
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    rss=$(tail -n 1 "$tim" 2>/dev/null | grep -E '^[0-9]+$' || echo 0)
    problems=
    if [ -z "${DSAUDIT_WRAPPER:-}" ]; then
        if awk -v s="$secs" -v m="$t_max" 'BEGIN { exit !(s > m) }'; then
            problems="$problems; took ${secs}s > ${t_max}s"
        fi
        if [ -n "$TIME" ] && [ "$rss" -gt "$rss_max" ]; then
            problems="$problems; peak RSS ${rss} KB > ${rss_max} KB"
        fi
    fi
}

# expect STATUS [ERE-in-stderr] [ERE-in-stdout]: judge the last run
expect() {
    if [ "$rc" != "$1" ]; then
        problems="$problems; exit $rc, expected $1"
    fi
    if [ -n "${2:-}" ] && ! grep -Eq -- "$2" "$err"; then
        problems="$problems; stderr lacks /$2/"
    fi
    if [ -n "${3:-}" ] && ! grep -Eq -- "$3" "$out"; then
        problems="$problems; stdout lacks /$3/"
    fi
    if [ -z "$problems" ]; then
        pass=$((pass + 1))
        echo "ok   $name (${secs}s, ${rss} KB)"
    else
        fail=$((fail + 1))
        echo "FAIL $name${problems}"
        head -c 600 "$err" | sed 's/^/     stderr: /'
    fi
}

skip_case() {
    skipped=$((skipped + 1))
    echo "skip $1: $2"
}

mkdir -p "$T/cwd" "$T/in"
GOOD=$ROOT/fixtures/cli/people.csv # holds e-mail addresses
# the rest of the scan goes on after a limit: the good file's findings are there
GOOD_RE='"file":"[^"]*people\.csv"'
J="--enable EMAIL --format jsonl"

# ---- decompression bombs and archive limits --------------------------------

if want gzip_bomb; then
    # 128 MiB of one byte, gzip'd twice: ~1 KB; the ratio guard trips at 16 MiB
    head -c 134217728 /dev/zero | tr '\0' a | gzip -1 | gzip -9 >"$T/in/bomb.txt.gz"
    run gzip_bomb 65536 15 -- $J "$T/in/bomb.txt.gz" "$GOOD"
    expect 2 'bomb\.txt\.gz: decompression ratio above 1000' "$GOOD_RE"
fi

if want gzip_bomb_stdin; then
    run gzip_bomb_stdin 65536 15 "gzip -1 -c <\"$T/in/bomb.txt.gz\"" -- $J -
    expect 2 '^dsaudit: -: decompression ratio above 1000'
fi

if want zeros_first; then
    # compressed data that starts with NUL bytes reads as an empty tar: the
    # rest (an address here) must not vanish without a word
    { head -c 1024 /dev/zero; cat "$GOOD"; } | gzip >"$T/in/zeros.gz"
    run zeros_first 65536 10 "cat \"$T/in/zeros.gz\"" -- $J - "$T/in/zeros.gz"
    expect 2 '^dsaudit: -: compressed data read as an empty tar archive'
fi

if want repeated_byte_gz; then
    # one gzip layer of a repeated byte compresses ~1030x: not a bomb when small
    head -c 4000000 /dev/zero | tr '\0' a | gzip -9 >"$T/in/rep.txt.gz"
    run repeated_byte_gz 65536 10 -- $J "$T/in/rep.txt.gz"
    expect 0
fi

if want max_bytes; then
    head -c 20000000 /dev/zero | tr '\0' '\n' | gzip -1 >"$T/in/big.txt.gz"
    run max_bytes 65536 10 -- $J --max-bytes 1M "$T/in/big.txt.gz" "$GOOD"
    expect 2 'big\.txt\.gz: more than 1048576 decompressed bytes; use --max-bytes' "$GOOD_RE"
fi

if [ $have_py = 1 ] && want nested_zip_42; then
    python3 - "$T/in" <<'EOF'
import io, sys, zipfile
data = b"name,email\nA,a.person@example.com\n"
name = "data.csv"
for level in range(42):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    data, name = buf.getvalue(), "l%02d.zip" % level
open(sys.argv[1] + "/nested42.zip", "wb").write(data)
EOF
    run nested_zip_42 65536 10 -- $J "$T/in/nested42.zip" "$GOOD"
    expect 2 'nested42\.zip!l40\.zip!l39\.zip!l38\.zip!l37\.zip: archive nesting deeper than 4; use --max-depth' "$GOOD_RE"
    # all 42 levels when asked: found, no stack trouble
    run nested_zip_42_deep 65536 10 -- $J --max-depth 64 "$T/in/nested42.zip"
    expect 1 '' 'l00\.zip!data\.csv'
fi

if [ $have_py = 1 ] && want max_entries; then
    python3 - "$T/in" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1] + "/many.zip", "w") as z:
    for i in range(300):
        z.writestr("f%03d.txt" % i, "x\n")
EOF
    run max_entries 65536 10 -- $J --max-entries 100 "$T/in/many.zip" "$GOOD"
    expect 2 'many\.zip: more than 100 members in archive; use --max-entries' "$GOOD_RE"
fi

# ---- huge records ------------------------------------------------------------

if want line_300mb; then
    # one 300 MB line on stdin, an address at its very end: found, in windows
    run line_300mb 65536 30 "head -c 300000000 /dev/zero | tr '\\0' a; echo ' tail.person@example.com'" -- $J -
    expect 1 '' '"type":"EMAIL"'
fi

if want json_deep_200k; then
    awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; for (i = 0; i < 200000; i++) printf "]"; print "" }' >"$T/in/deep.json"
    run json_deep_200k 65536 10 -- $J "$T/in/deep.json" "$GOOD"
    expect 2 'deep\.json:1: nesting deeper than 512' "$GOOD_RE"
    # allowed that deep: no recursion on the C stack (256 KiB of stack is enough)
    run json_deep_200k_allowed 131072 20 -- $J --max-json-depth 1000000 "$T/in/deep.json"
    expect 0
fi

if want jsonl_deep_200k; then
    awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"a\":"; printf "1"; for (i = 0; i < 200000; i++) printf "}"; print ""; print "{\"email\":\"jl.person@example.com\"}" }' >"$T/in/deep.jsonl"
    run jsonl_deep_200k 65536 10 -- $J "$T/in/deep.jsonl"
    expect 2 'deep\.jsonl:1: nesting deeper than 512' '"record":2'
fi

if want csv_million_columns; then
    awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "c%d,", i; print "email"; for (i = 0; i < 1000000; i++) printf ","; print "wide.person@example.com" }' >"$T/in/wide.csv"
    run csv_million_columns 131072 15 -- $J "$T/in/wide.csv" "$GOOD"
    expect 2 'wide\.csv:[0-9]+: row has more than 100000 columns' "$GOOD_RE"
fi

if want max_columns_option; then
    printf 'a,b,c,d,e\n1,2,3,4,col.person@example.com\n' >"$T/in/five.csv"
    run max_columns_option 65536 10 -- $J --max-columns 4 "$T/in/five.csv"
    expect 2 'five\.csv:[0-9]+: row has more than 4 columns'
fi

# ---- bytes that are not what they claim -------------------------------------

if want invalid_utf8_nul; then
    printf 'caf\351;\000\000;\377\376x\nname;mail\nJ\351r\364me;nul.person@example.com\000\n\200\201\202\n' >"$T/in/bad.csv"
    printf 'line \000 with NUL and \303\050 bad UTF-8 utf.person@example.com\n\377\n' >"$T/in/bad.txt"
    printf '{"a":"\351t\351","mail":"js.person@example.com"}\n{"b":"\000"}\n\377\376\n' >"$T/in/bad.jsonl"
    run invalid_utf8_nul 65536 10 -- $J "$T/in/bad.csv" "$T/in/bad.txt" "$T/in/bad.jsonl"
    # malformed JSONL lines make the scan incomplete; nothing crashes, all is read
    expect 2 'bad\.jsonl:[23]:' '"file":"[^"]*bad\.csv"'
    grep -q '"file":"[^"]*bad\.txt"' "$out" || { echo "FAIL invalid_utf8_nul_text: nothing found in bad.txt"; fail=$((fail + 1)); }
fi

if want utf16; then
    printf '\377\376e\000:\000 \000u\000@\000e\000x\000a\000m\000p\000l\000e\000.\000c\000o\000m\000\n\000\000\330' >"$T/in/u16.txt"
    run utf16 65536 10 -- $J --show-values "$T/in/u16.txt"
    expect 1 '' '"value":"u@example.com"'
fi

# ---- truncated and corrupt containers ----------------------------------------

if want truncated; then
    B=$ROOT/fixtures/archives/broken
    printf 'a,b\n1,2\n' | gzip | head -c 8 >"$T/in/tiny.csv.gz"
    head -c 100 "$ROOT/fixtures/archives/all.tar.zst" >"$T/in/cut.tar.zst"
    run truncated 65536 10 -- $J "$B/truncated.csv.gz" "$B/truncated.csv.zst" "$B/truncated.zip" \
        "$T/in/tiny.csv.gz" "$T/in/cut.tar.zst" "$GOOD"
    expect 2 'truncated\.csv\.gz: .*(truncated|corrupt)' "$GOOD_RE"
    for f in 'truncated\.csv\.zst' 'truncated\.zip' 'tiny\.csv\.gz' 'cut\.tar\.zst'; do
        grep -Eq "$f.*(truncated|corrupt|short|damaged|unexpected|EOF)" "$err" || problems="$problems; no error for $f"
    done
    [ -z "$problems" ] || { pass=$((pass - 1)); fail=$((fail + 1)); echo "FAIL truncated$problems"; }
fi

if want hidden_by_zeros; then
    # a compressed CSV whose data starts with NULs is still read as a CSV
    { head -c 1024 /dev/zero; cat "$GOOD"; } | gzip >"$T/in/zeros.csv.gz"
    run hidden_by_zeros 65536 10 -- $J "$T/in/zeros.csv.gz"
    expect 1 '' 'zeros\.csv\.gz'
fi

# ---- archive member names are labels, nothing is extracted --------------------

if [ $have_py = 1 ] && want evil_names; then
    python3 - "$T/in" <<'EOF'
import io, sys, tarfile, zipfile
d = sys.argv[1]
body = b"name,email\nA,evil.person@example.com\n"
names = ["../../etc/passwd.csv", "/etc/abs.csv", "a/../../../up.csv",
         "ctl\x01\x1b[31m\nname.csv", "n" * 3000 + ".csv", "dir/./x/../ok.csv"]
with tarfile.open(d + "/evil.tar", "w", format=tarfile.PAX_FORMAT) as t:
    for n in names:
        info = tarfile.TarInfo(n)
        info.size = len(body)
        t.addfile(info, io.BytesIO(body))
    link = tarfile.TarInfo("link.csv")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    t.addfile(link)
with zipfile.ZipFile(d + "/evil.zip", "w") as z:
    for n in names:
        z.writestr(n, body)
EOF
    run evil_names 65536 10 -- $J "$T/in/evil.tar" "$T/in/evil.zip"
    expect 1 '' 'evil\.tar!\.\./\.\./etc/passwd\.csv'
    n=$(grep -c '"type":"EMAIL"' "$out")
    # nothing written anywhere: the working directory stays empty, no member
    # name turned into a file
    leftovers=$(ls -A "$T/cwd"; find "$T" /etc -maxdepth 3 \( -name passwd.csv -o -name abs.csv -o -name up.csv -o -name ok.csv \) 2>/dev/null)
    problems=
    [ "$n" -ge 10 ] || problems="$problems; $n findings, expected one per member"
    grep -q 'ctl??\[31m?name\.csv' "$out" || problems="$problems; control characters not masked"
    [ -z "$leftovers" ] || problems="$problems; files appeared: $leftovers"
    if [ -z "$problems" ]; then pass=$((pass + 1)); echo "ok   evil_names_labels_only"; else fail=$((fail + 1)); echo "FAIL evil_names_labels_only$problems"; fi
fi

# ---- the filesystem: symlinks, loops, special files --------------------------

if want symlinks; then
    mkdir -p "$T/tree/sub" "$T/outside"
    cp "$GOOD" "$T/outside/secret.csv"
    printf 'x\n' >"$T/tree/sub/a.txt"
    ln -s .. "$T/tree/sub/loop"
    ln -s ../outside "$T/tree/out_dir"
    ln -s ../outside/secret.csv "$T/tree/out_file.csv"
    ln -s self "$T/tree/self"
    ln -s missing "$T/tree/broken"
    run symlinks 65536 10 -- $J --strict "$T/tree"
    expect 2 'out_dir: symbolic link not followed' ''
    problems=
    grep -q 'secret' "$out" && problems="$problems; followed a link out of the tree"
    grep -q 'out_file.csv: symbolic link not followed' "$err" || problems="$problems; out_file.csv not reported"
    if [ -z "$problems" ]; then pass=$((pass + 1)); echo "ok   symlinks_not_followed"; else fail=$((fail + 1)); echo "FAIL symlinks_not_followed$problems"; fi
    run symlink_loops 65536 10 -- $J --strict --follow-symlinks "$T/tree"
    expect 2 'loop: (directory|symbolic link) loop' 'secret\.csv'
    grep -q 'self: symbolic link loop' "$err" || { echo "FAIL symlink_self: $(cat "$err")"; fail=$((fail + 1)); }
fi

if want special_files; then
    mkdir -p "$T/sp"
    cp "$GOOD" "$T/sp/good.csv"
    if mkfifo "$T/sp/fifo" 2>/dev/null; then
        # nobody writes to the FIFO: opening or reading it would hang
        run fifo_in_dir 65536 10 -- $J --strict "$T/sp"
        expect 2 'fifo: special file: fifo' 'good\.csv'
        run fifo_named 65536 10 -- $J "$T/sp/fifo" "$GOOD"
        # named on the command line: skipped, not an error
        expect 1 '' "$GOOD_RE"
    else
        skip_case fifo "mkfifo failed"
    fi
    run char_device 65536 10 -- $J --strict /dev/null /dev/zero
    expect 2 '/dev/zero: special file: character device'
fi

# ---- rules -------------------------------------------------------------------

if want redos_rule; then
    mkdir -p "$T/rules"
    cat >"$T/rules/redos.yml" <<'EOF'
rules:
  - id: redos
    type: EMAIL
    category: personal
    description: catastrophic backtracking on purpose
    severity: low
    confidence: 0.9
    regex: '(a+)+b'
EOF
    awk 'BEGIN { for (i = 0; i < 5000; i++) printf "a"; print "cab" }' >"$T/in/as.txt"
    run redos_rule 65536 10 -- --format jsonl --rules "$T/rules" "$T/in/as.txt"
    expect 2 'as\.txt: PCRE2 match limit reached'
    # many such values: --max-time-per-file bounds the whole file
    awk 'BEGIN { for (j = 0; j < 100000; j++) { for (i = 0; i < 60; i++) printf "a"; print "cab" } }' >"$T/in/many_as.txt"
    run redos_time_limit 65536 12 -- --format jsonl --rules "$T/rules" --max-time-per-file 2 "$T/in/many_as.txt" "$GOOD"
    expect 2 'many_as\.txt: scanning took longer than 2 s'
fi

# ---- outputs -------------------------------------------------------------------

if want output_symlink; then
    if "$DSAUDIT" scan --help 2>/dev/null | grep -q -- '-o, --output'; then
        mkdir -p "$T/o"
        printf 'precious\n' >"$T/o/target"
        ln -s target "$T/o/report.json"
        run output_symlink 65536 10 -- --enable EMAIL -o "json:$T/o/report.json" "$GOOD"
        problems=
        [ "$(cat "$T/o/target")" = precious ] || problems="$problems; wrote through the symlink"
        if [ -f "$T/o/report.json" ] && [ ! -L "$T/o/report.json" ]; then
            m=$(stat -c %a "$T/o/report.json")
            [ "$m" = 600 ] || problems="$problems; report mode $m, not 600"
        elif [ "$rc" != 2 ]; then
            problems="$problems; neither replaced the link nor refused (exit $rc)"
        fi
        run output_mode 65536 10 -- --enable EMAIL -o "json:$T/o/fresh.json" "$GOOD"
        m=$(stat -c %a "$T/o/fresh.json" 2>/dev/null || echo none)
        [ "$m" = 600 ] || problems="$problems; new report mode $m, not 600"
        if [ -z "$problems" ]; then pass=$((pass + 1)); echo "ok   output_symlink_0600"; else fail=$((fail + 1)); echo "FAIL output_symlink_0600$problems"; fi
    else
        skip_case output_symlink "no -o in this build"
    fi
fi

# ---- slow cases: make hostile-full ---------------------------------------------

if [ $full = 1 ] && want line_2gb; then
    run line_2gb 131072 300 "head -c 2200000000 /dev/zero | tr '\\0' b; echo ' end.person@example.com'" -- $J -
    expect 1 '' '"type":"EMAIL"'
fi
if [ $full = 1 ] && want gzip_bomb_1g; then
    run gzip_bomb_1g 65536 60 "head -c 1073741824 /dev/zero | gzip -1" -- $J --max-ratio 100000 -
    expect 0
fi

echo "hostile: $pass passed, $fail failed${skipped:+ ($skipped skipped)}"
[ "$fail" -eq 0 ]
