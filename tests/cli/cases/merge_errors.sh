# dsaudit merge refuses what it cannot merge exactly, naming the report and the
# reason: not JSON, not a report, other settings, other rules, the same shard
# twice, shards of different splits; usage errors exit 2.
cd $TMP
R=$OLDPWD
cp -r "$R/fixtures/report" d
$DSAUDIT scan --no-progress --enable email -f json --shard 1/2 d > a.json
$DSAUDIT scan --no-progress --enable email -f json --shard 2/2 d > b.json
$DSAUDIT scan --no-progress --enable email -f json --shard 1/3 d > c.json
$DSAUDIT scan --no-progress --enable email --min-confidence 0.9 -f json --shard 2/2 d > conf.json
$DSAUDIT scan --no-progress --enable iban -f json --shard 2/2 d > iban.json
$DSAUDIT scan --no-progress --enable email -f json --max-findings 3 --shard 2/2 d > cap.json
echo '{"schema": "other/1"}' > other.json
printf '{"schema": "dsaudit.report/1", "tool": ' > cut.json
$DSAUDIT merge a.json b.json > /dev/null; echo "ok: exit $?"
$DSAUDIT merge a.json nothere.json; echo "exit $?"
$DSAUDIT merge a.json cut.json; echo "exit $?"
$DSAUDIT merge a.json other.json; echo "exit $?"
$DSAUDIT merge a.json conf.json; echo "exit $?"
$DSAUDIT merge a.json iban.json; echo "exit $?"
$DSAUDIT merge a.json cap.json; echo "exit $?"
$DSAUDIT merge a.json a.json; echo "exit $?"
$DSAUDIT merge a.json c.json; echo "exit $?"
$DSAUDIT scan --no-progress --enable email -f jsonl d > f.jsonl
$DSAUDIT merge f.jsonl; echo "exit $?"
echo "== usage"
$DSAUDIT merge; echo "exit $?"
$DSAUDIT merge -f xml a.json; echo "exit $?"
$DSAUDIT merge -o json a.json; echo "exit $?"
$DSAUDIT merge --bogus a.json; echo "exit $?"
$DSAUDIT merge --help | head -2
