#!/bin/sh
# Replay every crash the fuzzers found (tests/fuzz/regressions/NAME/*) through
# the target NAME built with the ordinary compiler ($B/tests/replay_NAME); a
# file passes when the target returns without crashing or tripping a check.
# usage: tests/fuzz/replay.sh [BUILD_DIR]  (default: the directory of $DSAUDIT; prints "fuzz-replay: N passed, M failed")
B=${1:-$(dirname "${DSAUDIT:-build/dsaudit}")}
pass=0
fail=0
for d in tests/fuzz/regressions/*/; do
    [ -d "$d" ] || continue
    name=$(basename "$d")
    bin=$B/tests/replay_$name
    for f in "$d"*; do
        [ -f "$f" ] || continue
        if [ ! -x "$bin" ]; then
            echo "FAIL $f: no $bin"
            fail=$((fail + 1))
            continue
        fi
        if ${DSAUDIT_WRAPPER:-} "$bin" "$f" >/dev/null 2>"$B/tests/replay.err"; then
            pass=$((pass + 1))
        else
            echo "FAIL $f"
            tail -n 20 "$B/tests/replay.err"
            fail=$((fail + 1))
        fi
    done
done
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
