# --shard K/N: the findings of the N shards, put together, are exactly those
# of one run: for one JSONL file (byte ranges aligned on records, numbered as
# in the whole file) and for a folder (by file, round robin over the sorted
# list), at -j 1 and -j 2.
R=$(pwd)
cd "$TMP" || exit 9
for i in 1 2 3 4 5; do
    cat "$R/fixtures/demo/tickets.jsonl" "$R/fixtures/jsonl/users.jsonl"; printf '\n{bad\n'
done > one.jsonl
mkdir d
cp -r "$R/fixtures/demo" "$R/fixtures/jsonl" "$R/fixtures/text" d/
union() { # INPUT N ARGS...: the N shards' findings, sorted
    input=$1
    n=$2
    shift 2
    k=1
    while [ $k -le $n ]; do
        $DSAUDIT scan --shard $k/$n --no-progress -f jsonl "$@" "$input" 2>/dev/null
        k=$((k + 1))
    done | sort
}
for input in one.jsonl d; do
    $DSAUDIT scan -j 1 --no-progress -f jsonl "$input" 2>/dev/null | sort >whole
    union "$input" 3 -j 1 >u3
    [ -s whole ] && cmp -s whole u3 && echo "$input: 3 shards at -j 1: union == whole"
done
union one.jsonl 2 -j 2 --split-min 1 >u2
$DSAUDIT scan -j 1 --no-progress -f jsonl one.jsonl 2>/dev/null | sort >whole
cmp -s whole u2 && echo "one.jsonl: 2 shards at -j 2 in ranges: union == whole"
$DSAUDIT scan --shard 0/3 x; echo "exit $?"
$DSAUDIT scan --shard 4/3 x; echo "exit $?"
$DSAUDIT scan --shard 1 x; echo "exit $?"
