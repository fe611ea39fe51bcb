#!/bin/sh
# The pre-commit hook end to end (SPEC 8): Debian's `pre-commit try-repo` runs the
# repository's .pre-commit-hooks.yaml against a temporary git repository: a staged file with
# personal data fails with one line per problem, a clean file passes, files outside the
# hook's patterns are not passed, compressed forms are. Skipped, with a message, when
# pre-commit or git is not installed (Debian package `pre-commit`).
# usage: tests/report/precommit.sh   (DSAUDIT=path of the binary; prints "pre-commit: N passed, N failed")
DSAUDIT=${DSAUDIT:-build/dsaudit}
if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
    echo "pre-commit: skipped: pre-commit or git is not installed (apt-get install pre-commit)"
    echo "pre-commit: 0 passed, 0 failed"
    exit 0
fi
root=$(pwd)
bin=$(cd "$(dirname "$DSAUDIT")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
G="git -c user.name=dsaudit-test -c user.email=test@invalid -c init.defaultBranch=main -c commit.gpgsign=false"

# the hook repository: this tree's .pre-commit-hooks.yaml, committed
mkdir "$tmp/hooks" "$tmp/data"
cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/"
(cd "$tmp/hooks" && $G init -q && $G add . && $G commit -q -m hooks) || exit 1

# the data repository
cd "$tmp/data" || exit 1
$G init -q
printf 'name,email\nJean Dupont,jean.dupont@example.org\nAnne,anne@example.net\n' >people.csv
printf '{"user": {"mail": "zoe@example.org"}}\n' | gzip -n -c >events.jsonl.gz
printf 'nothing personal in here\n' >clean.txt
printf 'contact: jean.dupont@example.org\n' >notes.md
$G add .

try() { # $1 expected exit status, $2 name, then pre-commit arguments
    want=$1 name=$2
    shift 2
    PATH="$bin:$PATH" PRE_COMMIT_HOME="$tmp/cache" NO_COLOR=1 \
        pre-commit try-repo "$tmp/hooks" dsaudit --color never "$@" >"$tmp/$name.out" 2>&1
    got=$?
    if [ "$got" = "$want" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL pre-commit: $name: exit $got, expected $want"
        sed 's/^/    /' "$tmp/$name.out" | tail -n 20
        fail=$((fail + 1))
    fi
}
expect() { # $1 name, $2 grep -E pattern that must match the output
    if grep -q -E -- "$2" "$tmp/$1.out"; then
        pass=$((pass + 1))
    else
        echo "FAIL pre-commit: $1: no line matching '$2'"
        sed 's/^/    /' "$tmp/$1.out" | tail -n 20
        fail=$((fail + 1))
    fi
}

# (two runs only: each one compiles the whole rule library)
try 0 clean --files clean.txt notes.md
expect clean '^dsaudit .*Passed$'
try 1 all --all-files
expect all '^- exit code: 1$'
expect all '^people\.csv: email: EMAIL: 2 findings in 2/2 records \(medium\)$'
expect all '^events\.jsonl\.gz: user\.mail: EMAIL: 1 finding in 1/1 records \(medium\)$'
if grep -q 'notes\.md' "$tmp/all.out"; then
    echo "FAIL pre-commit: notes.md (not a dataset pattern) was passed to the hook"
    fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
echo "pre-commit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
