# --sample RATE --seed S keeps the same records whatever -j, --split-min and
# --shard; --max-records N scans records 1..N of each file.
R=$(pwd)
cd "$TMP" || exit 9
for i in 1 2 3 4 5 6; do cat "$R/fixtures/demo/tickets.jsonl"; done > t.jsonl
rec() { sed -n 's/.*"record":\([0-9]*\),.*/\1/p' | uniq | tr '\n' ' '; echo; }
$DSAUDIT scan -j 1 --sample 0.2 --seed 1 --no-progress -f jsonl --enable EMAIL t.jsonl >s1
rec <s1
$DSAUDIT scan -j 1 --sample 0.2 --seed 2 --no-progress -f jsonl --enable EMAIL t.jsonl | rec
$DSAUDIT scan -j 2 --split-min 1 --sample 0.2 --seed 1 --no-progress -f jsonl --enable EMAIL t.jsonl >s2
cmp -s s1 s2 && echo "-j 2 in ranges: same sample"
: >s3
for k in 1 2 3; do
    $DSAUDIT scan --shard $k/3 --sample 0.2 --seed 1 --no-progress -f jsonl --enable EMAIL t.jsonl >>s3
done
cmp -s s1 s3 && echo "3 shards: same sample"
cp "$R/fixtures/jsonl/users.jsonl" u.jsonl
$DSAUDIT scan -j 1 --max-records 3 --no-progress -f jsonl --enable EMAIL t.jsonl u.jsonl 2>&1 | rec
$DSAUDIT scan -j 2 --split-min 1 --max-records 3 --no-progress -f jsonl --enable EMAIL t.jsonl | rec
echo "== every human-facing writer says it is a sample, and by how much to extrapolate"
$DSAUDIT scan -j 1 --sample 0.2 --seed 1 --no-progress --enable EMAIL t.jsonl | sed -n 2p
$DSAUDIT scan -j 1 --sample 0.2 --seed 1 --no-progress -f markdown --enable EMAIL t.jsonl | grep -c '^> \*\*Sample\.\*\* This is a sample'
$DSAUDIT scan -j 1 --sample 0.2 --seed 1 --no-progress -f html --enable EMAIL t.jsonl | grep -c 'id="sample-caveat"'
$DSAUDIT scan -j 1 --sample 0.2 --seed 1 --no-progress -f sarif --enable EMAIL t.jsonl | grep -o '"sample":"This is a sample[^"]*"' | wc -l
$DSAUDIT scan -j 1 --max-records 3 --no-progress --enable EMAIL t.jsonl u.jsonl 2>/dev/null | sed -n 2p
$DSAUDIT scan -j 1 --no-progress --enable EMAIL t.jsonl | grep -c 'sample' 
$DSAUDIT scan --sample 0 x; echo "exit $?"
$DSAUDIT scan --sample 1.5 x; echo "exit $?"
$DSAUDIT scan --max-records 0 x; echo "exit $?"
