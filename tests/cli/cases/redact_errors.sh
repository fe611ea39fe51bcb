# dsaudit redact: refusals and usage errors (exit 2, no value printed).
$DSAUDIT redact fixtures/cli; echo "exit $?"
$DSAUDIT redact --out "$TMP/o"; echo "exit $?"
$DSAUDIT redact --out "$TMP/o" -; echo "exit $?"
$DSAUDIT redact --out "$TMP/o" --action EMAIL=erase fixtures/cli; echo "exit $?"
$DSAUDIT redact --out "$TMP/o" --action colour:x=mask fixtures/cli; echo "exit $?"
$DSAUDIT redact --out "$TMP/o" --format xml fixtures/cli; echo "exit $?"
printf 'EMAIL: mask\nIBAN: scramble\n' > "$TMP/p.yml"
$DSAUDIT redact --out "$TMP/o" --policy "$TMP/p.yml" fixtures/cli > "$TMP/e" 2>&1; echo "exit $?"
sed "s|$TMP|TMP|g" "$TMP/e"
cp -r fixtures/cli "$TMP/in"
$DSAUDIT redact --out "$TMP/in/clean" "$TMP/in" > "$TMP/e" 2>&1; echo "exit $?"
sed "s|$TMP|TMP|g" "$TMP/e"
$DSAUDIT redact --force --out "$TMP/in" "$TMP/in" > "$TMP/e" 2>&1; echo "exit $?"
sed "s|$TMP|TMP|g" "$TMP/e"
# no key, no default key: nothing is written
unset DSAUDIT_KEY
$DSAUDIT redact --out "$TMP/o" fixtures/cli; echo "exit $?"
[ -e "$TMP/o" ] || echo "nothing written"
# masking only needs no key; --dry-run writes nothing
$DSAUDIT redact --dry-run --action category:personal=mask fixtures/cli; echo "exit $?"
[ -e "$TMP/o" ] || echo "nothing written"
# every option of --help is documented
$DSAUDIT redact --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r opt; do
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$esc" man/dsaudit.1 || echo "not in man/dsaudit.1: $opt"
    grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" README.md || echo "not in README.md: $opt"
done
echo checked
