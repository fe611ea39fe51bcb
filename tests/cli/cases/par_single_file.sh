# -j 1, -j 2 and -j 4 on one JSONL file and one text file read in
# record-aligned ranges (--split-min 1 cuts any plain file): findings, the
# text report, error messages (capped at 10 per file across ranges) and the
# exit status are byte-identical. Blank lines, CRLF and malformed lines sit
# on both sides of the range boundaries.
R=$(pwd)
cd "$TMP" || exit 9
for i in 1 2 3 4; do
    cat "$R/fixtures/demo/tickets.jsonl" "$R/fixtures/jsonl/users.jsonl"
    printf '\n   \n{broken\r\n{"crlf": "crlf.line@example.org"}\r\n{also broken\n'
    cat "$R/fixtures/jsonl/forum_posts.jsonl"
    printf '{"x": 1,\n'
done > big.jsonl
for i in 1 2 3 4 5 6; do cat "$R/fixtures/text/notes.txt" "$R/fixtures/demo/notes.txt"; printf '\r\n\n'; done > notes.txt
for f in big.jsonl notes.txt; do
    for j in 1 2 4; do
        $DSAUDIT scan -j $j --split-min 1 --no-progress -f jsonl --enable EMAIL "$f" >out.$j 2>err.$j
        echo "exit $?" >>err.$j
    done
    for j in 1 2; do
        $DSAUDIT scan -j $j --split-min 1 --no-progress "$f" >txt.$j 2>&1
    done
    cmp -s txt.1 txt.2 && echo "$f: text report -j 2 same as -j 1"
    for j in 2 4; do
        cmp -s out.1 out.$j && cmp -s err.1 err.$j && echo "$f: jsonl -j $j same as -j 1"
    done
    cat out.1 err.1
done
