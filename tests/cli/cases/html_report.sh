# HTML report (--format html): one self-contained page (no script, no external resource,
# a Content-Security-Policy), verdict, summary cards, two SVG bar charts (by type, by field),
# a table per file, the legal frame, checks, coverage, print styles; hostile field and file
# names escaped. The rendering in a real browser is tests/report/browser.sh.
$DSAUDIT scan --no-progress --enable email,iban -f html fixtures/report > $TMP/r.html
echo "exit $?"
python3 tests/report/html_check.py $TMP/r.html '<img src=x' 'onerror=alert(1)>' \
    oliver.morgan81@exemple.fr 'FR42 3000 6617 5280 5607 8617 530'
grep -c -F '&lt;img src=x onerror=alert(1)&gt;|*[a](b)*' $TMP/r.html
echo "== hostile file name, skipped and unreadable inputs, nothing found"
mkdir -p $TMP/d
printf 'mail\nzoe@example.org\n' > "$TMP/d/<script>alert(1)<\\script>&amp;.csv"
printf '\211PNG\r\n\032\n\000\000' > $TMP/d/pic.png
printf 'x\n' | gzip -c | head -c 12 > $TMP/d/cut.txt.gz
cd $TMP/d
$DSAUDIT scan --no-progress --enable email -f html . > ../s.html 2>/dev/null
echo "exit $?"
python3 "$OLDPWD/tests/report/html_check.py" ../s.html '<script>' zoe@example.org
grep -o -e 'verdict INCOMPLETE' -e 'pic.png</td><td>[^<]*' -e '&lt;script&gt;alert(1)&lt;\\script&gt;&amp;amp;.csv' ../s.html | sort -u
$DSAUDIT scan --no-progress --enable email -f html "$OLDPWD/fixtures/report/notes.txt" > ../n.html
echo "exit $?"
grep -o -e '<p class="pass">[^<]*</p>' -e 'class="verdict [A-Z]*"' ../n.html
