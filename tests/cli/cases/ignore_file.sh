# .dsauditignore (SPEC 8): read from the current directory and from each directory scanned;
# comments, name patterns at any depth, trailing '/', patterns anchored to the ignore file's
# directory, '**'; '!' lines are reported and left out. Ignored inputs are listed as skipped.
mkdir -p $TMP/d/raw/2023 $TMP/d/keep/tmp $TMP/d/deep/x
for f in raw/2023/a.csv raw/b.csv keep/a.csv keep/tmp/c.csv keep/e.log deep/x/f.csv; do
    cp fixtures/report/clients.csv $TMP/d/$f
done
cat > $TMP/d/.dsauditignore <<'IGN'
# exports we are allowed to keep
*.log
/raw/2023/
tmp/
deep/**/f.csv
!keep/a.csv
IGN
cd $TMP
show() { grep -e '^skipped' -e 'records)' -e '^verdict'; }
echo "== dsaudit scan d"
$DSAUDIT scan --no-progress --enable email d | show
echo "== from inside d, files named (as pre-commit passes them)"
cd d
$DSAUDIT scan --no-progress --enable email raw/2023/a.csv raw/b.csv keep/e.log keep/a.csv | show
echo "== an ignore file that cannot be read (a directory)"
mkdir -p $TMP/e/.dsauditignore
cd $TMP/e
$DSAUDIT scan --no-progress --enable email $OLDPWD/raw/b.csv > /dev/null
echo "exit $?"
