#!/bin/sh
# Run every test tier of `make check` and print one closing line that sums them.
# usage: tests/run-all.sh BUILD_DIR
B=${1:-build}
# compiled rule databases are cached per build dir, not in the user's home
: "${DSAUDIT_CACHE_DIR:=$(cd "$B" && pwd)/cache}"
export DSAUDIT_CACHE_DIR
pass=0
fail=0
tally() { # $1 = passed, $2 = failed
    pass=$((pass + $1))
    fail=$((fail + $2))
}

# 1. Criterion unit tests (one binary, all tests/unit/*.c)
out=$("$B/tests/unit" --jobs 2 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^\[----\]' | tail -n 20
line=$(printf '%s\n' "$out" | grep 'Synthesis' | tail -n 1)
up=$(printf '%s\n' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
uf=$(printf '%s\n' "$line" | sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1 \2/p')
if [ -z "$up" ]; then
    echo "unit: no synthesis line (exit $rc)"
    tally 0 1
else
    set -- $uf
    tally "$up" $(($1 + $2))
    [ "$rc" -eq 0 ] || [ $(($1 + $2)) -gt 0 ] || tally 0 1
fi

# 2. rule examples, 3. CLI golden tests
# 4. the HTML report in a headless browser, 5. the pre-commit hook (each skips, with a
# message, when chromium or pre-commit is not installed)
# 6. fuzz regressions replayed, 7. hostile inputs (tests/hostile, ~1 min)
for t in tests/rules/run.sh tests/cli/run.sh tests/report/browser.sh tests/report/precommit.sh \
    tests/fuzz/replay.sh tests/hostile/run.sh; do
    [ -f "$t" ] || continue
    res=$(DSAUDIT="$B/dsaudit" sh "$t" 2>&1)
    printf '%s\n' "$res" | tail -n 30
    l=$(printf '%s\n' "$res" | grep -E '^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    # (the count is the whole digit run before " passed": "cli: 32 passed")
    p=$(printf '%s\n' "$l" | sed -n 's/^[^0-9]*\([0-9][0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$l" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
    if [ -z "$p" ]; then
        echo "$t: no result line"
        tally 0 1
    else
        tally "$p" "$f"
    fi
done

echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
