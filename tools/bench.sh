#!/bin/sh
# make bench: dsaudit's throughput next to the reference tools, from one run.
#
# usage: tools/bench.sh [BUILD_DIR]     (make bench BUILD=... calls it)
# env:   BENCH_JSONL_MB (default 300), BENCH_CSV_MB (default 100),
#        BENCH_BIG_MB (default 1000; 0 skips the peak-memory run),
#        BENCH_JOBS (default: nproc), BENCH_RUNS (default 3), RG_PATTERNS
#        (default ../shared/bench/reference_patterns.txt)
#
# The corpus comes from tools/gen-corpus.py (deterministic: same bytes every
# time) and is kept in BUILD_DIR/bench (regenerated when the generator
# changes). Every figure is MB/s of *decompressed* bytes over wall-clock time
# (the fastest of BENCH_RUNS runs of each command, every tool alike, page
# cache warm: a shared virtual machine's steal time only ever slows a run),
# with the peak RSS from /usr/bin/time -v. The 1 GB rows run once.
# Ratios compare dsaudit -j1 with the reference for that form: ripgrep with
# the reference patterns (plain files), zstd -dc (.zst), bsdtar -xOf (.tar.gz).
# "startup" is dsaudit on an empty file (rule compilation); the "net" column
# takes it out.
set -eu
B=${1:-build}
DSAUDIT=$B/dsaudit
DIR=$B/bench
JSONL_MB=${BENCH_JSONL_MB:-300}
CSV_MB=${BENCH_CSV_MB:-100}
BIG_MB=${BENCH_BIG_MB:-1000}
JOBS=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 2)}
RUNS=${BENCH_RUNS:-3}
PAT=${RG_PATTERNS:-../shared/bench/reference_patterns.txt}
TIME=/usr/bin/time

[ -x "$DSAUDIT" ] || { echo "bench: $DSAUDIT not built" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: /usr/bin/time missing (make deps-bench)" >&2; exit 2; }
mkdir -p "$DIR"

# ---- corpus ------------------------------------------------------------------
stamp=$(cat tools/gen-corpus.py | cksum | cut -d' ' -f1)-$JSONL_MB-$CSV_MB
if [ "$(cat "$DIR/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "bench: generating the corpus in $DIR (once)" >&2
    rm -f "$DIR"/web.* "$DIR"/dense.* "$DIR"/big.*
    python3 tools/gen-corpus.py jsonl "$JSONL_MB" "$DIR/web.jsonl"
    python3 tools/gen-corpus.py csv "$CSV_MB" "$DIR/dense.csv"
    for f in web.jsonl dense.csv; do
        zstd -q -3 -f "$DIR/$f" -o "$DIR/$f.zst"
        (cd "$DIR" && tar -czf "${f%.*}.tar.gz" "$f")
    done
    echo "$stamp" >"$DIR/.stamp"
fi

size() { wc -c <"$1" | tr -d ' '; }
startup=0

# run LABEL BYTES CMD...: $RUNS timed runs; prints a row with the fastest
# and the largest peak RSS, and sets $mbs, $secs, $rss_kb.
run() {
    label=$1
    bytes=$2
    shift 2
    # (shell functions share the caller's variables: r_ names only here)
    secs=""
    rss_kb=0
    r_i=0
    while [ "$r_i" -lt "$RUNS" ]; do
        "$TIME" -f '%e %M' -o "$DIR/.time" "$@" >/dev/null 2>"$DIR/.err" || true
        r_t=$(tail -n 1 "$DIR/.time")
        r_s=${r_t% *}
        r_k=${r_t#* }
        if [ -z "$secs" ] || awk -v a="$r_s" -v b="$secs" 'BEGIN { exit !(a < b) }'; then
            secs=$r_s
        fi
        [ "$r_k" -gt "$rss_kb" ] && rss_kb=$r_k
        r_i=$((r_i + 1))
    done
    mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? b / 1e6 / s : 0) }')
    net=$(awk -v b="$bytes" -v s="$secs" -v z="$startup" \
        'BEGIN { d = s - z; printf "%.0f", (d > 0 ? b / 1e6 / d : 0) }')
    printf '| %-44s | %7s | %7s | %7s | %7.1f |\n' "$label" "$secs" "$mbs" "$net" \
        "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "dsaudit bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)," \
    "load average $(cut -d" " -f1-3 /proc/loadavg), best of $RUNS runs"
echo
echo '| what | seconds | MB/s | net MB/s | peak RSS MB |'
echo '|---|---:|---:|---:|---:|'
: >"$DIR/empty.txt"
# the first run may compile the rules and fill the Vectorscan cache (hs_cache.h)
run "dsaudit first run (empty file, may compile)" 0 "$DSAUDIT" scan -j1 --no-progress "$DIR/empty.txt"
run "dsaudit startup (empty file, cached rules)" 0 "$DSAUDIT" scan -j1 --no-progress "$DIR/empty.txt"
startup=$secs

summary=""
for f in web.jsonl dense.csv; do
    P=$DIR/$f
    n=$(size "$P")
    run "cat $f" "$n" cat "$P"
    ref_rg=""
    if command -v rg >/dev/null 2>&1 && [ -f "$PAT" ]; then
        run "rg -j1 --no-unicode -c -f reference_patterns $f" "$n" \
            rg -j1 --no-unicode -c -f "$PAT" "$P"
        ref_rg=$mbs
    fi
    run "dsaudit scan -j1 $f" "$n" "$DSAUDIT" scan -j1 --no-progress "$P"
    d1=$mbs
    run "dsaudit scan -j$JOBS $f" "$n" "$DSAUDIT" scan -j"$JOBS" --no-progress "$P"
    dn=$mbs
    run "zstd -dc $f.zst" "$n" zstd -dc "$P.zst"
    rz=$mbs
    run "dsaudit scan -j1 $f.zst" "$n" "$DSAUDIT" scan -j1 --no-progress "$P.zst"
    dz=$mbs
    run "dsaudit scan -j$JOBS $f.zst (blocks)" "$n" "$DSAUDIT" scan -j"$JOBS" --no-progress "$P.zst"
    dzn=$mbs
    t=${f%.*}.tar.gz
    run "bsdtar -xOf $t" "$n" bsdtar -xOf "$DIR/$t"
    rt=$mbs
    run "dsaudit scan -j1 $t" "$n" "$DSAUDIT" scan -j1 --no-progress "$DIR/$t"
    dt=$mbs
    run "dsaudit scan -j$JOBS $t (blocks)" "$n" "$DSAUDIT" scan -j"$JOBS" --no-progress "$DIR/$t"
    dtn=$mbs
    summary="$summary
$f: dsaudit -j1 $d1 MB/s, -j$JOBS $dn MB/s (x$(ratio "$dn" "$d1"))"
    [ -n "$ref_rg" ] && summary="$summary, $(ratio "$d1" "$ref_rg") x rg"
    summary="$summary; .zst $(ratio "$dz" "$rz") x zstd -dc; .tar.gz $(ratio "$dt" "$rt") x bsdtar -xOf
$f: -j$JOBS on one stream: .zst $dzn MB/s (x$(ratio "$dzn" "$dz"), $(ratio "$dzn" "$rz") x zstd -dc), .tar.gz $dtn MB/s (x$(ratio "$dtn" "$dt"), $(ratio "$dtn" "$rt") x bsdtar -xOf)"
done

if [ "$BIG_MB" -gt 0 ]; then
    # peak memory on a large input: web.jsonl repeated to BIG_MB
    B1=$DIR/big.jsonl
    if [ ! -f "$B1" ] || [ "$(size "$B1")" -lt $((BIG_MB * 1000000)) ]; then
        : >"$B1"
        while [ "$(size "$B1")" -lt $((BIG_MB * 1000000)) ]; do cat "$DIR/web.jsonl" >>"$B1"; done
    fi
    n=$(size "$B1")
    runs_saved=$RUNS
    RUNS=1
    run "dsaudit scan -j1 big.jsonl ($((n / 1000000)) MB)" "$n" \
        "$DSAUDIT" scan -j1 --no-progress "$B1"
    b1=$mbs
    r1=$rss_kb
    run "dsaudit scan -j2 big.jsonl (ranges)" "$n" "$DSAUDIT" scan -j2 --no-progress "$B1"
    RUNS=$runs_saved
    summary="$summary
big.jsonl: -j2 x$(ratio "$mbs" "$b1") over -j1 on one file; peak RSS $((r1 / 1024)) MB at -j1, $((rss_kb / 1024)) MB at -j2"
fi
echo "$summary"
