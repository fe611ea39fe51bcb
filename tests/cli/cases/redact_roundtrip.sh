# dsaudit redact: a redacted copy keeps formats, rows and keys, leaves no
# finding of a masked or broken-checksum type, pseudonymises stably per key,
# rebuilds archives and never prints a value.
export DSAUDIT_KEY=redact-test-key-0123456789
cp -r fixtures/demo "$TMP/in"
cp fixtures/cli/people.csv fixtures/cli/notes.txt fixtures/archives/nested.tar.gz \
   fixtures/archives/all.zip fixtures/archives/people.csv.gz "$TMP/in/"
# the same address in two files must get the same pseudonym
printf 'id,email\n1,shared.person@example.org\n' > "$TMP/in/a.csv"
printf '{"contact":"shared.person@example.org"}\n' > "$TMP/in/b.jsonl"

$DSAUDIT redact -j 1 --out "$TMP/o1" "$TMP/in" > "$TMP/log1" 2>&1; echo "run 1: exit $?"
$DSAUDIT redact -j 3 --format json --out "$TMP/o2" "$TMP/in" > "$TMP/log2" 2>&1; echo "run 2: exit $?"
DSAUDIT_KEY=another-key-abcdefghijklmnop $DSAUDIT redact -q --out "$TMP/o3" "$TMP/in" \
  > "$TMP/log3" 2>&1; echo "run 3: exit $?"
sed "s|$TMP|TMP|g" "$TMP/log1"
grep -o '"complete":[a-z]*,"files":[0-9]*' "$TMP/log2"

echo "== same tree, same bytes whatever -j (archives compared by content)"
(cd "$TMP/in" && find . -type f | sort) > "$TMP/l0"
(cd "$TMP/o1" && find . -type f | sort) > "$TMP/l1"
cmp "$TMP/l0" "$TMP/l1" && echo "same files"
for f in $(cat "$TMP/l1"); do
    case $f in
    *.tar.gz|*.zip) bsdtar -xOf "$TMP/o1/$f" > "$TMP/x1"; bsdtar -xOf "$TMP/o2/$f" > "$TMP/x2"
                cmp -s "$TMP/x1" "$TMP/x2" || echo "differs: $f" ;;
    *.gz) gzip -dc "$TMP/o1/$f" > "$TMP/x1"; gzip -dc "$TMP/o2/$f" > "$TMP/x2"
          cmp -s "$TMP/x1" "$TMP/x2" || echo "differs: $f" ;;
    *) cmp -s "$TMP/o1/$f" "$TMP/o2/$f" || echo "differs: $f" ;;
    esac
done
echo "== another key, other pseudonyms"
cmp -s "$TMP/o1/customers.csv" "$TMP/o3/customers.csv" && echo "same with another key!"
p1=$(grep -o 'u[0-9a-f]*@pseudo.invalid' "$TMP/o1/a.csv")
p2=$(grep -o 'u[0-9a-f]*@pseudo.invalid' "$TMP/o1/b.jsonl")
[ -n "$p1" ] && [ "$p1" = "$p2" ] && echo "same pseudonym in a.csv and b.jsonl"
p3=$(grep -o 'u[0-9a-f]*@pseudo.invalid' "$TMP/o3/a.csv")
[ "$p1" != "$p3" ] && echo "another pseudonym with another key"

echo "== rows, columns, keys, line endings and encodings kept"
for f in customers.csv people.csv notes.txt tickets.jsonl; do
    a=$(wc -l < "$TMP/in/$f"); b=$(wc -l < "$TMP/o1/$f")
    echo "$f: $a -> $b lines"
done
[ "$(head -1 "$TMP/in/customers.csv")" = "$(head -1 "$TMP/o1/customers.csv")" ] && echo "same header"
awk -F';' '{print NF}' "$TMP/o1/customers.csv" | sort -u | tr '\n' ' '; echo "fields per row"
k0=$(grep -o '"[a-z_]*":' "$TMP/in/tickets.jsonl" | sort | uniq -c | md5sum)
k1=$(grep -o '"[a-z_]*":' "$TMP/o1/tickets.jsonl" | sort | uniq -c | md5sum)
[ "$k0" = "$k1" ] && echo "same keys, same counts"
bsdtar -tf "$TMP/in/nested.tar.gz" | grep -v '/$' > "$TMP/t0"; bsdtar -tf "$TMP/o1/nested.tar.gz" > "$TMP/t1"
cmp "$TMP/t0" "$TMP/t1" && echo "nested.tar.gz: same members"
bsdtar -xOf "$TMP/o1/nested.tar.gz" dir/inner.zip | bsdtar -tf - | tr '\n' ' '; echo
bsdtar -tf "$TMP/o1/all.zip" | tr '\n' ' '; echo
gzip -t "$TMP/o1/people.csv.gz" && echo "gzip compressed data"

echo "== no value in the logs"
for v in oliver.morgan81@exemple.fr jean.dupont@orange.fr shared.person@example.org 4012888888881881; do
    grep -l "$v" "$TMP/log1" "$TMP/log2" "$TMP/log3" 2>/dev/null
done
echo "checked"

echo "== scan of the copy: masked and checksummed types gone, the rest is pseudonyms"
$DSAUDIT scan --format jsonl --show-values --fail-on none --no-progress "$TMP/o1" > "$TMP/f.jsonl" 2>/dev/null
echo "scan exit $?"
grep -o '"type":"[A-Z_]*"' "$TMP/f.jsonl" | sort | uniq -c
grep '"type":"EMAIL"' "$TMP/f.jsonl" | grep -v 'pseudo.invalid"' | head -3
grep '"type":"IP_ADDRESS"' "$TMP/f.jsonl" | grep -v '0/24"\|/48"' | head -3
grep -c '"type":"\(IBAN\|CREDIT_CARD\|DATE_OF_BIRTH\)"' "$TMP/f.jsonl"
