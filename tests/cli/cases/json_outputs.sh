# Several reports from one pass (-o FMT:PATH, repeatable): each file equals what
# --format FMT prints; files are created 0600 through a temporary file renamed into
# place, so a symlink planted at the output path is replaced, never written through;
# errors (unknown format, no PATH, unwritable directory) are reported.
cd $TMP
R=$OLDPWD
cp -r "$R/fixtures/report" data
echo "secret" > victim
ln -s victim planted.json
umask 022
$DSAUDIT scan --no-progress --enable email,iban -f text -o json:planted.json -o jsonl:f.jsonl \
    -o text:s.txt -o json:copy.json data > stdout.txt
echo "exit $?"
cmp planted.json copy.json && echo "two json outputs, same bytes"
cat victim
[ -L planted.json ] && echo "still a symlink" || echo "planted.json is a regular file now"
stat -c '%a %n' planted.json f.jsonl s.txt copy.json
cmp s.txt stdout.txt && echo "text file == stdout"
$DSAUDIT scan --no-progress --enable email,iban -f jsonl data | cmp - f.jsonl && echo "jsonl file == --format jsonl"
$DSAUDIT scan --no-progress --enable email,iban -f json data | grep -v '"arguments"' > j1
grep -v '"arguments"' copy.json | cmp - j1 && echo "json file == --format json but for run.arguments"
rm j1
ls planted.json copy.json f.jsonl s.txt victim; ls | grep -c tmp-
echo "== errors"
$DSAUDIT scan --no-progress -o xml:x.xml data; echo "exit $?"
$DSAUDIT scan --no-progress -o json data; echo "exit $?"
$DSAUDIT scan --no-progress -o json: data; echo "exit $?"
$DSAUDIT scan --no-progress --enable email -f json -o json:nodir/r.json data >/dev/null; echo "exit $?"
ls planted.json copy.json f.jsonl s.txt victim; ls | grep -c tmp-
