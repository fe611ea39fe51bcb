# Malformed metadata: a clear message with FILE:LINE on stderr, the content
# scan still runs, and META-NO-METADATA says the metadata could not be read.
mkdir "$TMP/d"
printf 'name,email\nA,a@example.org\n' >"$TMP/d/people.csv"
printf 'dsaudit_version: 1\nlicense: [MIT\npurpose:\n  statement: x\n' >"$TMP/d/.dsaudit.yml"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 "$TMP/d" >"$TMP/out" 2>"$TMP/err"
echo "bad YAML: exit $?"
sed "s#$TMP#TMP#g" "$TMP/err"
grep -A1 '^check META-NO-METADATA' "$TMP/out" | sed "s#$TMP#TMP#g"
grep -c 'people.csv' "$TMP/out"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --metadata fixtures/metadata/malformed/bad.json \
    "$TMP/d/people.csv" >"$TMP/out"
echo "bad JSON: exit $?"
printf 'dsaudit_version: 1\nlicense: MIT\npurpose:\n  statement: [a]\nscale:\n  subjects: lots\n' \
    >"$TMP/d/.dsaudit.yml"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --fail-on none "$TMP/d" \
    >/dev/null 2>"$TMP/o"
echo "wrong types: exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
$DSAUDIT scan --no-progress --enable email --metadata "$TMP/missing.yml" "$TMP/d" >/dev/null 2>"$TMP/o"
echo "missing --metadata file: exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
