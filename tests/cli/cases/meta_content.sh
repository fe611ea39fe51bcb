# Rules that need content findings (the daggers of the fixtures README):
# the fixture directories hold a small data file, and the metadata is
# discovered at the scanned root (the card and the sidecar are not data).
for d in hf-card/deficient-sensitive sidecar/deficient-expired; do
    echo "== $d"
    $DSAUDIT scan --no-progress --enable email,health,religious-belief --scan-date 2026-01-15 "fixtures/metadata/$d" >"$TMP/out"
    echo "exit $?"
    grep -E -A1 '^check (ART9-UNDECLARED|MIN-DIRECT-IDENTIFIER|MIN-UNDECLARED-PERSONAL-FIELD|REUSE-SENSITIVE-DATA)' "$TMP/out"
    grep '^checks:' "$TMP/out"
done
