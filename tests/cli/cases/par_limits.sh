# PCRE2 limit hits in a file read in parts (byte ranges of a plain file,
# blocks of a compressed one): one read tells them once for the file, with
# the total count, after the file's other errors and before the count of
# those not shown (11 malformed lines: the limit is the 12th error); -j 2 and -j 4 must say exactly the same (stderr, JSONL
# findings, JSON report), not one message per part.
R=$(pwd)
cd "$TMP" || exit 9
mkdir rules
cat >rules/redos.yml <<'YML'
rules:
  - id: redos
    type: EMAIL
    category: personal
    description: catastrophic backtracking on purpose
    severity: low
    confidence: 0.9
    regex: '(a+)+b'
  - id: plain
    type: EMAIL
    category: personal
    description: an e-mail address
    severity: medium
    confidence: 0.9
    regex: '[a-z]+@example\.org'
YML
awk 'BEGIN {
    for (j = 0; j < 11; j++) {
        printf "{\"n\": %d, \"v\": \"", j
        for (i = 0; i < 3000; i++) printf "a"
        printf "cab\", \"m\": \"user@example.org\"}\n"
        printf "{broken %d\n", j
    }
}' >limits.jsonl
gzip -c limits.jsonl >limits.jsonl.gz
export DSAUDIT_TEST_BLOCK=5000
for f in limits.jsonl limits.jsonl.gz; do
    for j in 1 2 4; do
        $DSAUDIT scan -j $j --split-min 1 --no-progress --rules rules -f jsonl "$f" >out.$j 2>err0.$j
        echo "exit $?" >>err0.$j
        grep -v ': test: ' err0.$j >err.$j
        $DSAUDIT scan -j $j --split-min 1 --no-progress --rules rules -f json "$f" 2>/dev/null |
            grep -v '"arguments"' | sed 's/"elapsed[^,]*,//' >rep.$j
    done
    for j in 2 4; do
        cmp -s out.1 out.$j && cmp -s err.1 err.$j && cmp -s rep.1 rep.$j &&
            echo "$f: -j $j same as -j 1"
    done
    grep -c '"rule":"plain"' out.1
    grep -o '"status": "[a-z]*", "records": [0-9]*' rep.1
    cat err.1
done
