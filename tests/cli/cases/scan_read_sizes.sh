# Every reader gives the same findings whatever the read size (1 and 7 bytes
# a time vs the default), and whatever the number of worker threads.
R="--format jsonl --enable email,ipv4,ipv6,credit_card,iban"
$DSAUDIT scan $R fixtures/cli fixtures/demo >"$TMP/ref" 2>"$TMP/ref.err"
echo "reference: exit $? $(wc -l <"$TMP/ref") findings"
for rs in 1 7 4096; do
    $DSAUDIT scan $R --read-size $rs fixtures/cli fixtures/demo >"$TMP/o" 2>"$TMP/e"
    echo "read-size $rs: exit $?"
    cmp -s "$TMP/ref" "$TMP/o" && cmp -s "$TMP/ref.err" "$TMP/e" && echo "  identical"
done
for j in 1 2 4; do
    $DSAUDIT scan $R -j $j fixtures/cli fixtures/demo >"$TMP/o" 2>"$TMP/e"
    echo "-j $j: exit $?"
    cmp -s "$TMP/ref" "$TMP/o" && cmp -s "$TMP/ref.err" "$TMP/e" && echo "  identical"
done
