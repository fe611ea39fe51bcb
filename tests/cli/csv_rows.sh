#!/bin/sh
# A CSV for the -j tests (tests/cli/cases/par_*.sh): the demo customers N
# times, each time followed by rows that cross the lines a naive cut would
# take: a quoted cell holding a newline, delimiters and escaped quotes, CRLF
# rows, a blank line, a ragged row, a quoted CR LF; a quote left open at the
# end.  usage: sh tests/cli/csv_rows.sh REPO_DIR N
R=$1
head -1 "$R/fixtures/demo/customers.csv"
i=0
while [ "$i" -lt "$2" ]; do
    tail -n +2 "$R/fixtures/demo/customers.csv"
    printf '2001;Ann;Lee;"ann.lee@example.org\nsecond line; with ""quotes""";+33 6 12 34 56 78;;;;\r\n'
    printf '\n2002;Bob;Ray;bob.ray@example.org;"+33 6 98 76 54 32"\r\n'
    printf '2003;"Cy;\r\nCy";cy@example.org;;;;;;;;too;many\n'
    i=$((i + 1))
done
printf '2004;Dee;Fox;"dee.fox@example.org never closed\n2005;x\n'
