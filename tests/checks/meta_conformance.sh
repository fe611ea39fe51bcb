#!/bin/sh
# Metadata conformance: every real Croissant file and dataset card of the
# shared evaluation set must be read without an error; prints, per file, the
# checks it fires (metadata only, scan date 2026-01-15).
# usage: tests/checks/meta_conformance.sh DSAUDIT SHARED_DIR
set -u
D=$1
S=$2
empty=$(mktemp -d)
pass=0
fail=0
for f in $(find "$S/eval/real/croissant" -name '*.json' | sort) \
         $(ls "$S"/eval/real/hf-dataset-cards/*.md | grep -v '/SOURCE.md$'); do
    out=$("$D" scan --no-progress --enable email --scan-date 2026-01-15 --metadata "$f" "$empty" \
        2>"$empty.err")
    rc=$?
    if [ -s "$empty.err" ] || [ "$rc" -eq 2 ]; then
        echo "FAIL ${f#$S/eval/real/}: exit $rc: $(head -n 1 "$empty.err")"
        fail=$((fail + 1))
        continue
    fi
    pass=$((pass + 1))
    ids=$(printf '%s\n' "$out" | sed -n 's/^check \([A-Z0-9-]*\): .*/\1/p' | tr '\n' ' ')
    echo "${f#$S/eval/real/}: ${ids:-(nothing fired)}"
done
rm -rf "$empty" "$empty.err"
echo "meta-conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
