# --scan-date, SOURCE_DATE_EPOCH, --large-subjects, --breach-list, --fail-on.
S=fixtures/metadata/sidecar/compliant/.dsaudit.yml
mkdir "$TMP/e"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-13-01 --metadata $S "$TMP/e"
echo "bad date: exit $?"
$DSAUDIT scan --no-progress --enable email --scan-date 2027-07-01 --metadata $S "$TMP/e" >"$TMP/o"
echo "after the end date: exit $?"
grep -E '^check|^verdict' "$TMP/o"
SOURCE_DATE_EPOCH=1830297600 $DSAUDIT scan --no-progress --enable email --metadata $S "$TMP/e" >"$TMP/o"
echo "SOURCE_DATE_EPOCH 2028-01-01: exit $?"
grep -E '^checks|^check' "$TMP/o"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --fail-on high --metadata $S "$TMP/e" >/dev/null
echo "compliant: exit $?"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --large-subjects 20000 --metadata $S "$TMP/e" |
    grep -E '^check|^dpia'
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --large-subjects 0 --metadata $S "$TMP/e"
echo "bad threshold: exit $?"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --metadata fixtures/metadata/breach/.dsaudit.yml \
    --breach-list fixtures/metadata/breach/breaches.json "$TMP/e" | grep -A1 '^check REUSE-BREACH'
$DSAUDIT scan --no-progress --enable email --breach-list "$TMP/none.json" --metadata $S "$TMP/e" \
    >/dev/null 2>"$TMP/o"
echo "missing breach list: exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --fail-on low \
    --metadata fixtures/metadata/hf-card/deficient-minimal/README.md "$TMP/e" >/dev/null
echo "low checks, --fail-on low: exit $?"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --fail-on medium \
    --metadata fixtures/metadata/hf-card/deficient-minimal/README.md "$TMP/e" >/dev/null
echo "medium source check, --fail-on medium: exit $?"
$DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --fail-on high \
    --metadata fixtures/metadata/hf-card/deficient-minimal/README.md "$TMP/e" >/dev/null
echo "--fail-on high: exit $?"
