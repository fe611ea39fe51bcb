# The exact findings of the CLI fixtures, with the first rules only (so the
# expectation does not move when rules are added): masked values, 1-based
# records, physical lines (a quoted newline in people.csv shifts record 3 to
# line 5), dotted JSON paths, the malformed JSONL line reported with exit 2
# after everything else was scanned.
$DSAUDIT scan --format jsonl --enable email,ipv4,ipv6,credit_card,iban fixtures/cli
echo "exit $?"
