# PCRE2 limit hits in a file read in parts (byte ranges of a plain file,
# blocks of a compressed one): one read tells them once for the file, with
# the total count, after the file's other errors and before the count of
# those not shown (11 malformed lines: the limit is the 12th error); -j 2 and -j 4 must say exactly the same (stderr, JSONL
# findings, JSON report), not one message per part.
R=$(pwd)
. "$R/tests/cli/par_runs.sh"
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
    par_runs "$f" --rules rules
    grep -c '"rule":"plain"' out.1
    grep -o '"status": "[a-z]*", "records": [0-9]*' rep.1
    cat err.1
done
