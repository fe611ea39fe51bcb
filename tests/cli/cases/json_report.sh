# JSON report (--format json, schema dsaudit.report/1): valid against
# schemas/report.schema.json and its invariants (tests/report/report_check.py),
# exact bytes for the summary, files, fields (with distinct-value sketches)
# and findings; the same bytes at -j 1 and -j 4; --max-findings states the cap;
# no raw value anywhere. The rules digest and the checks section (owned by the
# rule library and the checks catalogue) are left out of the golden output.
CHECK="python3 tests/report/report_check.py schemas/report.schema.json"
strip() { sed -e 's/"rules_digest": "[^"]*"/"rules_digest": "..."/' -e '/^  "checks": {/,/^  },$/d'; }
$DSAUDIT scan --no-progress --enable email,iban -j 1 -f json fixtures/report > $TMP/a.json
echo "exit $?"
strip < $TMP/a.json
$CHECK $TMP/a.json
$DSAUDIT scan --no-progress --enable email,iban -j 4 -f json fixtures/report > $TMP/b.json
sed 's/"-j", "4"/"-j", "1"/' $TMP/b.json | cmp - $TMP/a.json && echo "-j 4 gives the same bytes as -j 1"
echo "== --max-findings 2, findings only"
$DSAUDIT scan --no-progress --enable email,iban --max-findings 2 -f json fixtures/report > $TMP/c.json
echo "exit $?"
sed -n '/^  "findings": \[/,$p' $TMP/c.json
$CHECK $TMP/c.json
echo "== --max-findings 0"
$DSAUDIT scan --no-progress --enable email --max-findings 0 -f json fixtures/report | tail -3
echo "== --timestamps"
$DSAUDIT scan --no-progress --enable email --timestamps -f json fixtures/report/notes.txt > $TMP/t.json
grep -c '"started": "[0-9-]*T[0-9:]*Z", "finished": "[0-9-]*T[0-9:]*Z"' $TMP/t.json
$CHECK $TMP/t.json
echo "== no raw value in the report"
for v in oliver.morgan81@exemple.fr "FR42 3000 6617 5280 5607 8617 530" lea.r@example.net; do
    grep -c -F "$v" $TMP/a.json
done
