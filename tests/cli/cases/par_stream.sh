# -j 1, -j 2 and -j 4 on streams that are not plain files (decompressed
# data, archive members, stdin): read by several workers in blocks cut on
# line ends (CSV: on newlines outside quotes, the dialect read from the first
# bytes; a CSV only lenient parsing reads is read in one piece from the
# first construct that is not plain) (DSAUDIT_TEST_BLOCK makes blocks of a few hundred bytes, so these
# small inputs cross dozens of block ends). Findings with their record and
# line numbers, the JSON report, error messages (capped at 10 per file across
# blocks), a read error in the middle of a gzip stream, a line longer than
# 16 blocks (the rest of the stream is read in one piece) and the exit status
# are byte-identical to one read, also for a folder of streams read by
# several producers at once. (With DSAUDIT_TEST_BLOCK, -j 2 and -j 4
# say how many blocks they cut: that line is set apart.)
R=$(pwd)
. "$R/tests/cli/par_runs.sh"
cd "$TMP" || exit 9
export DSAUDIT_TEST_BLOCK=300
for i in 1 2 3; do
    cat "$R/fixtures/demo/tickets.jsonl" "$R/fixtures/jsonl/users.jsonl"
    printf '\n   \n{broken\r\n{"crlf": "crlf.line@example.org"}\r\n{also broken\n'
    cat "$R/fixtures/jsonl/forum_posts.jsonl"
done > big.jsonl
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf '{bad %s\n' $i; done >> big.jsonl
printf '{"long": "%s mail: long.line@example.org"}\n' "$(head -c 30000 /dev/zero | tr '\0' x)" >> big.jsonl
cat "$R/fixtures/demo/tickets.jsonl" >> big.jsonl
zstd -q big.jsonl -o big.jsonl.zst
for i in 1 2 3 4; do cat "$R/fixtures/text/notes.txt" "$R/fixtures/demo/notes.txt"; printf '\r\n\n'; done > notes.txt
printf 'no newline at the end: last.line@example.org' >> notes.txt
gzip -c notes.txt > notes.txt.gz
# half a gzip stream big enough that data comes out before the error
seq 1 8000 | awk '{printf "{\"n\": %d, \"m\": \"user%d@example.org\", \"h\": \"%x-%x\"}\n", $1, $1, ($1 * 2654435761) % 4294967296, $1 * 40503}' >s.jsonl
gzip -c s.jsonl >full.gz && head -c $(($(wc -c <full.gz) / 2)) full.gz >cut.jsonl.gz
sh "$R/tests/cli/csv_rows.sh" "$R" 3 >rows.csv
gzip -c rows.csv >rows.csv.gz
{
    sed -n '1,/^2002/p' rows.csv | sed 's/^2002;Bob;Ray/2002;Bob;R"ay/'
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        tail -n +2 "$R/fixtures/demo/customers.csv"
    done
} | gzip -c >lenient.csv.gz
mkdir t && cp big.jsonl notes.txt t/ && cp "$R/fixtures/demo/customers.csv" t/ && tar -czf mixed.tar.gz -C t .
for f in big.jsonl.zst notes.txt.gz cut.jsonl.gz mixed.tar.gz rows.csv.gz lenient.csv.gz; do
    par_runs "$f"
    cat blocks.1 blocks.2
    echo "$f: $(wc -l <out.1) findings, last on line $(tail -1 out.1 | sed 's/.*"line":\([0-9]*\).*/\1/')"
    cat err.1
done
# a folder of streams: several producers at once, sharing the workers
mkdir streams && cp big.jsonl.zst notes.txt.gz rows.csv.gz cut.jsonl.gz streams/
par_runs streams
cat blocks.2
for j in 1 2; do
    $DSAUDIT scan -j $j --no-progress -f jsonl - <big.jsonl >in.$j 2>inerr0.$j
    echo "exit $?" >>inerr0.$j
    grep -v ': test: ' inerr0.$j >inerr.$j
    grep ': test: ' inerr0.$j
done
cmp -s in.1 in.2 && cmp -s inerr.1 inerr.2 && echo "stdin: -j 2 same as -j 1"
tail -1 in.1
tail -2 inerr.1
