# Markdown report (--format markdown): summary and verdict, findings by type and by field
# with bars, a table per file, the legal frame, checks, coverage, the first findings with
# masked values; hostile file and field names escaped so tables stay intact. The checks
# section (owned by the checks catalogue) is reduced to its headings here.
strip() { sed -e '/^| rules digest/d' -e '/^| checks failed/d' -e '/^## Compliance checks/,/^## Coverage/{/^## Coverage/!d}'; }
$DSAUDIT scan --no-progress --enable email,iban -f markdown fixtures/report > $TMP/r.md
echo "exit $?"
strip < $TMP/r.md
grep -c -e '^## Compliance checks' -e '^| check | status | severity | what | evidence | legal basis | what to do |$' $TMP/r.md
python3 tests/report/md_tables.py $TMP/r.md
echo "== hostile file name, --show-values"
mkdir -p $TMP/d
printf 'e-mail|`x`\n"a`b@example.org"\n' > "$TMP/d/#1 <b>[x](y) *z*.csv"
cd $TMP/d
$DSAUDIT scan --no-progress --enable email --show-values -f markdown . > ../s.md
echo "exit $?"
grep -e '^### ' -e '^| \./' ../s.md
python3 "$OLDPWD/tests/report/md_tables.py" ../s.md
