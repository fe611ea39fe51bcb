# The checks each metadata fixture fires (fixtures/metadata, metadata-only:
# an empty data directory), at a pinned scan date, with the exit status.
mkdir "$TMP/empty"
for f in croissant/compliant.json croissant/deficient-undocumented-scrape.json \
         croissant/deficient-breach-origin.json datapackage/compliant/datapackage.json \
         datapackage/deficient-nosource/datapackage.json \
         datapackage/deficient-criminal/datapackage.json hf-card/compliant/README.md \
         hf-card/deficient-minimal/README.md hf-card/deficient-sensitive/README.md \
         sidecar/compliant/.dsaudit.yml sidecar/deficient-incomplete/.dsaudit.yml \
         sidecar/deficient-expired/.dsaudit.yml; do
    echo "== $f"
    $DSAUDIT scan --no-progress --enable email --scan-date 2026-01-15 --metadata "fixtures/metadata/$f" \
        "$TMP/empty" >"$TMP/out"
    echo "exit $?"
    grep -E '^(check |dpia:)' "$TMP/out"
done
