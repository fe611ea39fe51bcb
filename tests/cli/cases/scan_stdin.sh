# '-' reads stdin; the format is sniffed from the bytes.
R="--format jsonl --enable email,ipv4,ipv6,credit_card,iban"
$DSAUDIT scan $R - <fixtures/cli/people.csv >"$TMP/o"
echo "exit $?"
sed 's/"file":"[^"]*"/"file":F/' "$TMP/o"
$DSAUDIT scan $R - <fixtures/cli/notes.txt
echo "exit $?"
