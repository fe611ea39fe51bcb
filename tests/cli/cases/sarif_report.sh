# SARIF 2.1.0 (--format sarif): valid against the official schema (schemas/), one rule per
# rule id, level from severity, messages naming type, field and record but no value,
# relative percent-encoded URIs with regions, archive members as a logical location of the
# outer archive, standard input, the --max-findings cap, -o sarif:PATH equal to stdout.
S=schemas/sarif-schema-2.1.0.json
CHECK="python3 tests/report/sarif_check.py $S"
$DSAUDIT scan --no-progress --enable email,iban -f sarif -o sarif:$TMP/o.sarif fixtures/report \
    > $TMP/a.sarif
echo "exit $?"
$CHECK $TMP/a.sarif
cmp $TMP/a.sarif $TMP/o.sarif && echo "-o sarif:PATH is byte-identical to stdout"
echo "== hostile names, an archive, --max-findings 9"
mkdir -p "$TMP/d/sub dir"
cp fixtures/report/clients.csv "$TMP/d/sub dir/a b%#!é.csv"
(cd $TMP/d && tar -cf pack.tar "sub dir/a b%#!é.csv" && gzip -n pack.tar)
cp fixtures/report/forum.jsonl $TMP/d/z.jsonl
(cd $TMP/d && $DSAUDIT scan --no-progress --enable email,iban -f sarif --max-findings 9 \
    "sub dir" pack.tar.gz z.jsonl > ../b.sarif)
echo "exit $?"
$CHECK $TMP/b.sarif
echo "== standard input"
$DSAUDIT scan --no-progress --enable email -f sarif - < fixtures/report/forum.jsonl > $TMP/c.sarif
echo "exit $?"
$CHECK $TMP/c.sarif | grep -e '^  warning' -e '^valid'
echo "== no value anywhere in the SARIF (masked ones only)"
cd $TMP
for v in oliver.morgan81@exemple.fr "FR42 3000 6617 5280 5607 8617 530" lea.r@example.net; do
    grep -c -F "$v" a.sarif b.sarif c.sarif
done
