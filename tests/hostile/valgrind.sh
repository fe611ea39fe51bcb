#!/bin/sh
# `make valgrind`: the CLI on every fixture (plain, compressed, archives,
# broken, stdin, threads, windows, hostile shapes) and every fuzz regression
# and seed, under memcheck: no error and no definite or indirect leak.
# Rules are limited to EMAIL (--enable): Vectorscan compiling the whole
# library under memcheck takes minutes per run and is not what is tested.
# usage: DSAUDIT=build/valgrind/dsaudit tests/hostile/valgrind.sh
#   env VALGRIND: the memcheck command (default below); a run fails when it
#   exits 99 (memcheck error or leak) or not with the expected status.
#   env FULL_CLI=1: also the golden CLI tests (tests/cli/run.sh) under it (slow).
set -u
DSAUDIT=${DSAUDIT:-build/valgrind/dsaudit}
case $DSAUDIT in /*) ;; *) DSAUDIT=$(pwd)/$DSAUDIT ;; esac
B=$(dirname "$DSAUDIT")
VALGRIND=${VALGRIND:-valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect}
T=$(mktemp -d "${TMPDIR:-/tmp}/dsaudit-vg.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

# vg NAME EXPECTED_STATUS [STDIN_FILE] -- ARGS...
vg() {
    name=$1 want=$2
    shift 2
    in=/dev/null
    if [ "$1" != "--" ]; then
        in=$1
        shift
    fi
    shift
    $VALGRIND "$@" <"$in" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = "$want" ]; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $rc, expected $want"
        grep -E '==[0-9]+==|^dsaudit' "$T/err" | head -n 40
    fi
}

S="$DSAUDIT scan -q --no-progress --enable EMAIL"
vg plain_fixtures 2 -- $S fixtures/csv fixtures/json fixtures/jsonl fixtures/text fixtures/demo fixtures/cli
vg archives 2 -- $S fixtures/archives
vg read_size_7 2 -- $S --read-size 7 --max-field 256 fixtures/archives/nested.tar.gz fixtures/cli
vg jsonl_out 1 -- $S --format jsonl fixtures/archives/all.zip fixtures/archives/all.cpio fixtures/archives/all.a
vg stdin_tar_gz 1 fixtures/archives/all.tar.gz -- $S -
vg stdin_text 1 fixtures/cli/notes.txt -- $S -
vg threads 2 -- $S -j 3 fixtures
vg max_depth_0 1 -- $S --max-depth 0 fixtures/archives/nested.zip fixtures/cli/people.csv
# the gated path (windows around digits, PCRE2 offset limits) and a keyword rule
vg gated_rules 1 -- $DSAUDIT scan --no-progress --format jsonl --enable IBAN,FR_NIR,HEALTH fixtures/demo fixtures/eval-fr
vg max_entries 2 -- $S --max-entries 1 fixtures/archives/all.tar fixtures/cli/people.csv
vg max_bytes 2 -- $S --max-bytes 1K fixtures/archives/all.tar.gz fixtures/cli/people.csv
vg time_limit 2 -- $S --max-time-per-file 0.000001 fixtures/cli/people.csv

# hostile shapes, small
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "["; for (i = 0; i < 20000; i++) printf "]"; print "" }' >"$T/deep.json"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "c%d,", i; print "x"; for (i = 0; i < 20000; i++) printf "v,"; print "a@example.com" }' >"$T/wide.csv"
printf 'caf\351 \000 \303\050 u@example.com\n' >"$T/bad.txt"
{ head -c 1024 /dev/zero; cat fixtures/cli/people.csv; } | gzip >"$T/zeros.gz"
mkdir -p "$T/tree" && ln -s .. "$T/tree/loop" && ln -s self "$T/tree/self" && cp fixtures/cli/people.csv "$T/tree/"
vg deep_json 2 -- $S "$T/deep.json"
vg wide_csv 2 -- $S --max-columns 1000 "$T/wide.csv"
vg invalid_utf8 1 -- $S "$T/bad.txt"
vg zeros_first_gz 2 -- $S "$T/zeros.gz"
vg symlink_loops 2 -- $S --strict --follow-symlinks "$T/tree"
vg special_files 0 -- $S /dev/null
if "$DSAUDIT" scan --help 2>/dev/null | grep -q -- '-o, --output'; then
    vg output_file 1 -- $S -o "json:$T/report.json" fixtures/cli/people.csv
fi

# every fuzz regression and seed through the replay runners, but the
# detector's: it loads the whole rule library twice (Vectorscan compiling it
# under memcheck takes minutes on a cold cache, as above), and memcheck
# reports a branch on an undefined value inside PCRE2's JIT-compiled code for
# one pattern (phone_national run over a whole value, which only the no_gate
# test configuration does); the same input is clean with JIT off. Not
# resolved: most likely the JIT's own stack use, not confirmed. make check
# replays it, make sanitize under ASan+UBSan, and fuzzing runs it.
for r in "$B"/tests/replay_*; do
    [ -x "$r" ] || continue
    n=${r##*/replay_}
    [ "$n" = detect ] && continue
    dirs=
    [ -d "tests/fuzz/regressions/$n" ] && dirs="tests/fuzz/regressions/$n"
    sh tests/fuzz/seed.sh "$n" "$T/corpus-$n" >/dev/null 2>&1 && dirs="$dirs $T/corpus-$n"
    [ -n "$dirs" ] || continue
    vg "replay_$n" 0 -- "$r" $dirs
done

if [ "${FULL_CLI:-0}" = 1 ]; then
    res=$(VALGRIND="$VALGRIND" DSAUDIT="$DSAUDIT" sh tests/cli/run.sh 2>&1)
    printf '%s\n' "$res" | tail -n 20
    l=$(printf '%s\n' "$res" | grep -E '^cli: [0-9]+ passed' | tail -n 1)
    pass=$((pass + $(printf '%s\n' "$l" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p')))
    fail=$((fail + $(printf '%s\n' "$l" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')))
fi

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
