# -j 1, -j 2 and -j 4 on one CSV file read in record-aligned ranges
# (--split-min 1 cuts any plain file): quoted cells holding newlines,
# delimiters and escaped quotes, CRLF rows, blank lines, ragged rows and a
# quote left open at the end sit on both sides of the range boundaries; the
# findings (record and line numbers), the JSON report's counts and the exit
# status are those of one whole-file read. A CSV that only libcsv's lenient
# rules read (a quote inside an unquoted cell) is read whole, with the same
# result. --shard K/N of the CSV: the union of the shards is the whole.
R=$(pwd)
. "$R/tests/cli/par_runs.sh"
cd "$TMP" || exit 9
sh "$R/tests/cli/csv_rows.sh" "$R" 6 >big.csv
sed 's/^2002;Bob;Ray/2002;Bob;R"ay/' big.csv > lenient.csv
for f in big.csv lenient.csv; do
    par_runs "$f"
    echo "$f: $(wc -l <out.1) findings, last on line $(tail -1 out.1 | sed 's/.*"line":\([0-9]*\).*/\1/')"
    grep -o '"status": "[a-z]*", "records": [0-9]*' rep.1
    grep -o '"ragged": [0-9]*' rep.1 | head -1
    cat err.1
done
$DSAUDIT scan -j 1 --no-progress -f jsonl big.csv 2>/dev/null | sort >whole
for n in 2 3; do
    k=1
    while [ $k -le $n ]; do
        $DSAUDIT scan --shard $k/$n -j 2 --split-min 1 --no-progress -f jsonl big.csv 2>/dev/null
        k=$((k + 1))
    done | sort >union
    [ -s whole ] && cmp -s whole union && echo "big.csv: $n shards at -j 2: union == whole"
done
# a --max-findings below what one range finds: each range serialises that
# many findings at most, and the report lists the same first ones
par_runs big.csv --max-findings 3
grep -o '"listed": [0-9]*, "total": [0-9]*' rep.1
