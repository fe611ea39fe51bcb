# -j 1, -j 2 and -j 4 on a folder of files (per file, and with the plain
# files cut in ranges): byte-identical findings, report and messages.
R=$(pwd)
cd "$TMP" || exit 9
mkdir d
cp -r "$R/fixtures/demo" "$R/fixtures/jsonl" "$R/fixtures/text" "$R/fixtures/csv" d/
cp "$R/fixtures/archives/events.jsonl.zst" "$R/fixtures/archives/nested.tar.gz" d/
printf '{"a": "broken\n' > d/bad.jsonl
run() { # NAME ARGS...
    n=$1
    shift
    $DSAUDIT scan --no-progress "$@" d >out.$n 2>err.$n
    echo "exit $?" >>err.$n
}
run 1 -j 1 -f jsonl
run 2 -j 2 -f jsonl
run 2s -j 2 --split-min 1 -f jsonl
run 4s -j 4 --split-min 1 -f jsonl
run t1 -j 1
run t2s -j 2 --split-min 1
for n in 2 2s 4s; do
    cmp -s out.1 out.$n && cmp -s err.1 err.$n && echo "jsonl $n same as -j 1"
done
cmp -s out.t1 out.t2s && cmp -s err.t1 err.t2s && echo "text report 2s same as -j 1"
wc -l <out.1 | tr -d ' '
cat err.1
