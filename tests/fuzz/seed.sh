#!/bin/sh
# Seed a fuzz corpus from fixtures/ (never committed: build/fuzz/corpus-NAME).
# usage: tests/fuzz/seed.sh NAME DIR
# The reader targets take option bytes before the file (see each fuzz_NAME.c):
# every fixture is copied with a few prefixes (no read cap, 1-byte and 7-byte
# reads; small and default max_field). Another target lists the fixtures it
# wants, one glob a line, in tests/fuzz/fuzz_NAME.seeds (copied as they are);
# without that file its corpus starts empty.
set -eu
name=$1
dir=$2
mkdir -p "$dir"
i=0
# put PREFIX(printf format) FILE...
put() {
    pre=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        { printf "$pre"; cat "$f"; } >"$dir/seed-$i"
    done
}
case $name in
csv)
    files=$(ls fixtures/csv/* fixtures/cli/people.csv fixtures/demo/customers.csv fixtures/archives/src/people.csv)
    put '\000\007\000' $files
    put '\001\000\000' $files
    put '\006\001\000' $files
    put '\011\003\004' $files
    ;;
split_csv)
    # byte 0: ranges and read size; 1: as csv; 2: stream read size
    files=$(ls fixtures/csv/* fixtures/cli/people.csv fixtures/demo/customers.csv fixtures/archives/src/people.csv)
    put '\003\007\000' $files
    put '\101\000\001' $files
    put '\217\001\006' $files
    put '\013\003\016' $files
    ;;
json)
    files=$(ls fixtures/json/* fixtures/jsonl/* fixtures/cli/events.jsonl fixtures/demo/tickets.jsonl)
    put '\000\007' fixtures/json/*
    put '\000\017' fixtures/jsonl/* fixtures/cli/events.jsonl fixtures/demo/tickets.jsonl
    put '\001\000' fixtures/json/*
    put '\006\010' fixtures/jsonl/*
    put '\007\040' $files
    ;;
text)
    files=$(ls fixtures/text/* fixtures/demo/notes.txt fixtures/cli/notes.txt)
    put '\000\007' $files
    put '\001\000' $files
    put '\006\001' $files
    # UTF-16 with BOMs and invalid UTF-8
    printf '\000\007\377\376h\000i\000\n\000=\330\000\336' >"$dir/seed-utf16le"
    printf '\001\000\376\377\000h\000i\000\n\330=' >"$dir/seed-utf16be"
    printf '\000\000caf\351 \303\050 \360\237\230\200\r\n\n\r' >"$dir/seed-latin1"
    ;;
walk)
    # byte 0 selects the file name: 0 .tar 1 .csv.gz 2 .zip 3 .jsonl 4 .json 5 .txt 6 .csv 7 none
    put '\000\000\004' fixtures/archives/*.tar fixtures/archives/*.tar.gz fixtures/archives/*.tar.zst
    put '\001\000\004' fixtures/archives/*.gz fixtures/archives/*.bz2 fixtures/archives/*.xz \
        fixtures/archives/*.zst fixtures/archives/*.lz4 fixtures/archives/broken/*
    put '\002\000\004' fixtures/archives/*.zip
    put '\007\000\004' fixtures/archives/all.a fixtures/archives/all.cpio fixtures/archives/all.7z \
        fixtures/demo/archive.tar.gz
    put '\010\001\004' fixtures/archives/nested.tar.gz fixtures/archives/nested.zip
    put '\006\061\004' fixtures/csv/clients_fr.csv
    ;;
rules)
    put '\000' patterns/*.yml
    put '\001' patterns/*.yml
    ;;
*)
    list=tests/fuzz/fuzz_$name.seeds
    if [ -f "$list" ]; then
        # shellcheck disable=SC2013
        for g in $(grep -v '^#' "$list"); do
            put '' $g
        done
    fi
    ;;
esac
echo "corpus-$name: $(ls "$dir" | wc -l) inputs"
