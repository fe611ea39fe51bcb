# dsaudit merge: the JSON reports of the N shards of a scan (--shard K/N), run
# concurrently, at -j 1 or -j 2, merge into exactly the report of the whole scan
# with the same options (byte-identical: run.arguments lose --shard, run.shard is
# null), with a --max-findings cap too, and whatever order the reports are given
# in. Disjoint sets of paths scanned separately merge into the whole report except
# run.arguments and the checks (which name the scanned directories). -f text and
# -o jsonl give what the whole scan prints.
R=$(pwd)
cd $TMP
mkdir d
cp -r "$R/fixtures/demo" "$R/fixtures/report" "$R/fixtures/jsonl" d/
opts="--no-progress --enable email,iban,ip,credit_card"
for j in 1 2; do
    $DSAUDIT scan $opts -j $j -f json d > whole-$j.json
    echo "whole at -j $j: exit $?"
    for n in 1 2 3 7; do
        rm -f s-*.json
        k=1
        while [ $k -le $n ]; do
            echo "$k"
            k=$((k + 1))
        # {} not a letter: xargs -I replaces it everywhere, even inside $DSAUDIT's path
        done | xargs -P 4 -I {} sh -c "$DSAUDIT scan $opts -j $j --shard {}/$n -f json d > s-{}.json 2>/dev/null"
        $DSAUDIT merge $(ls s-*.json | sort -r) > m.json
        rc=$?
        if cmp -s m.json whole-$j.json; then
            echo "$n shards at -j $j: merge exit $rc, identical"
        else
            echo "$n shards at -j $j: merge exit $rc, DIFFERENT"
            diff whole-$j.json m.json | head -5
        fi
    done
done
python3 "$R/tests/report/report_check.py" "$R/schemas/report.schema.json" m.json
echo "== --max-findings 5"
$DSAUDIT scan $opts --max-findings 5 -f json d > whole5.json 2>/dev/null
for k in 1 2 3; do $DSAUDIT scan $opts --max-findings 5 --shard $k/3 -f json d > c-$k.json 2>/dev/null; done
$DSAUDIT merge c-3.json c-1.json c-2.json | cmp - whole5.json && echo "capped: identical"
grep '"findings_listed"' whole5.json
echo "== -f text, -o json, -o jsonl"
$DSAUDIT merge -f text -o json:mo.json -o jsonl:mo.jsonl s-*.json > mt.txt
echo "merge exit $?"
$DSAUDIT scan $opts -j 2 -f text d 2>/dev/null | cmp - mt.txt && echo "text == the scan's text"
cmp mo.json whole-2.json && echo "-o json == whole"
$DSAUDIT scan $opts -f jsonl d 2>/dev/null | cmp - mo.jsonl && echo "-o jsonl == the scan's jsonl (all listed)"
stat -c '%a' mo.json mo.jsonl
echo "== paths scanned separately"
$DSAUDIT scan $opts -f json d/demo > p1.json
$DSAUDIT scan $opts -f json d/jsonl d/report > p2.json 2>/dev/null
$DSAUDIT merge p2.json p1.json > pm.json
echo "merge exit $?"
strip() { sed -e '/"arguments"/d' -e '/^  "checks": {/,/^  },$/d' "$1"; }
strip pm.json > a
strip whole-1.json > b
cmp a b && echo "identical but for run.arguments and the checks"
grep '"arguments"' pm.json
