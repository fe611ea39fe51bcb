# Sourced by tests/cli/cases/par_*.sh: par_runs FILE [ARGS...] scans FILE at
# -j 1, 2 and 4 with ARGS and --split-min 1 (any plain file is cut in
# ranges), keeps out.J (JSONL findings), err.J (stderr and exit status,
# without the "test:" lines DSAUDIT_TEST_BLOCK adds), blocks.J (those lines)
# and rep.J (the JSON report without what names the run), and says which
# -j gave exactly what -j 1 gave.
par_runs() {
    pr_f=$1
    shift
    for j in 1 2 4; do
        $DSAUDIT scan -j $j --split-min 1 --no-progress -f jsonl "$@" "$pr_f" >out.$j 2>err0.$j
        echo "exit $?" >>err0.$j
        grep -v ': test: ' err0.$j >err.$j
        grep ': test: ' err0.$j >blocks.$j
        $DSAUDIT scan -j $j --split-min 1 --no-progress -f json "$@" "$pr_f" 2>/dev/null |
            grep -v '"arguments"' | sed 's/"elapsed[^,]*,//' >rep.$j
    done
    for j in 2 4; do
        cmp -s out.1 out.$j && cmp -s err.1 err.$j && cmp -s rep.1 rep.$j &&
            echo "$pr_f: -j $j same as -j 1"
    done
}
