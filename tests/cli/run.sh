#!/bin/sh
# Golden CLI tests (zstd cli-tests style).
#
# Each case is tests/cli/cases/NAME.sh, a shell snippet run from the
# repository root with $DSAUDIT pointing at the binary under test and $TMP at
# a fresh temporary directory. Its stdout, stderr and exit status must equal
# NAME.out, NAME.err and NAME.exit exactly.
#
# usage: tests/cli/run.sh [--update] [NAME...]
#   --update  rewrite the expectation files from the current behaviour
# env: DSAUDIT (default build/dsaudit), VALGRIND (a command prefix, e.g.
#      "valgrind -q --error-exitcode=99 --leak-check=full")
set -u
DSAUDIT=${DSAUDIT:-build/dsaudit}
case $DSAUDIT in /*) ;; *) DSAUDIT=$(pwd)/$DSAUDIT ;; esac
if [ -n "${VALGRIND:-}" ]; then
    DSAUDIT_CMD="$VALGRIND $DSAUDIT"
else
    DSAUDIT_CMD=$DSAUDIT
fi
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
dir=tests/cli/cases
if [ $# -gt 0 ]; then
    cases=$*
else
    cases=$(ls "$dir" | sed -n 's/\.sh$//p' | sort)
fi
pass=0
fail=0
for name in $cases; do
    tmp=$(mktemp -d)
    out=$tmp/.stdout
    err=$tmp/.stderr
    (cd "$(pwd)" && TMP=$tmp DSAUDIT="$DSAUDIT_CMD" NO_COLOR=1 LC_ALL=C \
        sh "$dir/$name.sh" >"$out" 2>"$err")
    code=$?
    if [ $update -eq 1 ]; then
        cp "$out" "$dir/$name.out"
        cp "$err" "$dir/$name.err"
        echo "$code" >"$dir/$name.exit"
        echo "updated $name"
        pass=$((pass + 1))
    else
        ok=1
        want=$(cat "$dir/$name.exit" 2>/dev/null || echo missing)
        if [ "$code" != "$want" ]; then
            echo "FAIL $name: exit $code, expected $want"
            ok=0
        fi
        if ! cmp -s "$out" "$dir/$name.out"; then
            echo "FAIL $name: stdout differs"
            diff "$dir/$name.out" "$out" | head -20
            ok=0
        fi
        if ! cmp -s "$err" "$dir/$name.err"; then
            echo "FAIL $name: stderr differs"
            diff "$dir/$name.err" "$err" | head -20
            ok=0
        fi
        if [ $ok -eq 1 ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
        fi
    fi
    rm -rf "$tmp"
done
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
