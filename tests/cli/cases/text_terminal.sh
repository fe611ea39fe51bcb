# The terminal summary (--format text): compact per file and field; -q prints only problems,
# one line each (pre-commit friendly), and nothing at all when there is none; control
# characters of hostile names are escaped; colour only on a terminal and never with NO_COLOR
# (the terminal is faked with script(1)).
S="$DSAUDIT scan --no-progress --enable email,iban"
$S -q fixtures/report
echo "exit $?"
$S -q --fail-on high fixtures/report
echo "exit $?"
$S -q fixtures/report/notes.txt
echo "exit $? (nothing printed)"
$S fixtures/report | sed -n '/records)/,/^$/p'
echo "== a field name with an escape sequence"
printf '{"a\\u001b[31mb": "x@example.org"}\n' > $TMP/esc.jsonl
$S -q $TMP/esc.jsonl | sed "s|$TMP/||"
ESC=$(printf '\033')
echo "== on a terminal: colour; with NO_COLOR: none; not a terminal: none"
env -u NO_COLOR sh -c "$(command -v script) -q -e -c '$S -q fixtures/report' /dev/null" | grep -c "$ESC"
NO_COLOR=1 sh -c "$(command -v script) -q -e -c '$S -q fixtures/report' /dev/null" | grep -c "$ESC"
env -u NO_COLOR $S -q fixtures/report | grep -c "$ESC"
