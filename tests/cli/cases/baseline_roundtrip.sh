# Baselines (SPEC 8): --write-baseline records findings by keyed fingerprint (0600, no value,
# no line number); --baseline reports only new findings and takes the exit status from them;
# stable when records move; SARIF fingerprints equal the baseline entries; bad files exit 2.
mkdir $TMP/data
cp fixtures/report/clients.csv fixtures/report/forum.jsonl $TMP/data/
cd $TMP
S="$DSAUDIT scan --no-progress --enable email,iban"
$S --write-baseline base.txt data > /dev/null
echo "write: exit $?"
stat -c '%a' base.txt
grep -v '^#' base.txt | sed -n '1p'
grep -c -v -e '^#' -e '^dsaudit-baseline' -e '^salt ' base.txt
grep -v '^#' base.txt | sed -n '2s/^salt [0-9a-f]\{32\}$/salt OK/p'
grep -v -e '^#' -e '^salt' -e '^dsaudit' base.txt | cut -f 2- | sort | uniq -c
echo "== values or line numbers in the baseline: $(grep -c -i -e '@' -e 'FR42' -e '	2$' base.txt)"
echo "== the same data: nothing new"
$S --baseline base.txt data > out.txt
echo "exit $?"
grep -e 'nothing found' -e '^findings' -e '^baseline' -e '^verdict' out.txt
echo "== records moved (reversed rows, blank lines added): still nothing new"
(head -1 data/clients.csv; tail -n +2 data/clients.csv | tac) > moved.csv
mv moved.csv data/clients.csv
(echo; tac data/forum.jsonl) > moved.jsonl
mv moved.jsonl data/forum.jsonl
$S -q --baseline base.txt data
echo "exit $?"
echo "== one new value in a known field, one known value in a new field"
echo '5,New Person,new.person@example.org,,' >> data/clients.csv
echo '6,Copy,,,oliver.morgan81@exemple.fr' >> data/clients.csv
$S -q --baseline base.txt data
echo "exit $?"
$S --baseline base.txt -f sarif data > new.sarif
echo "sarif: exit $?"
echo "== SARIF fingerprints under the baseline salt are the baseline entries"
$S --write-baseline base2.txt -f sarif data > all.sarif
cmp -s base.txt base2.txt || echo "base2 differs from base (new findings)"
[ "$(sed -n 's/^salt //p' base.txt)" = "$(sed -n 's/^salt //p' base2.txt)" ] && echo "salt kept"
python3 -c '
import json, sys
fps = {r["partialFingerprints"]["dsaudit/v1"] for r in json.load(open("all.sarif"))["runs"][0]["results"]}
base = {l.split("\t")[0] for l in open("base2.txt") if "\t" in l}
print("sarif fingerprints:", len(fps), "baseline entries:", len(base), "equal:", fps == base)
new = [r["properties"]["field"] for r in json.load(open("new.sarif"))["runs"][0]["results"]]
print("new findings in SARIF with --baseline:", new)
'
echo "== errors"
$S --baseline missing.txt data
echo "exit $?"
printf 'not a baseline\n' > bad.txt
$S --baseline bad.txt data
echo "exit $?"
$S --write-baseline bad.txt data
echo "exit $?"
cat bad.txt
