# dsaudit init: a .dsaudit.yml pre-filled from a scan (fields with personal
# data listed to justify, TODOs elsewhere), mode 0600, never overwritten
# without --force; a TODO counts as not stated by the checks.
mkdir "$TMP/ds"
printf 'id;courriel;note\n1;jeanne.martin@mail.example;ok\n2;paul@mail.example;fine\n' >"$TMP/ds/crm.csv"
printf '{"user": {"ip": "192.0.2.10"}, "msg": "hello"}\n' >"$TMP/ds/log.jsonl"
$DSAUDIT init --enable email,ipv4 --scan-date 2026-01-15 "$TMP/ds" >"$TMP/o" 2>&1
echo "exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
cat "$TMP/ds/.dsaudit.yml"
stat -c '%a' "$TMP/ds/.dsaudit.yml"
$DSAUDIT init --enable email,ipv4 "$TMP/ds" >"$TMP/o" 2>&1
echo "again: exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
$DSAUDIT init --enable email,ipv4 --force --scan-date 2026-01-15 "$TMP/ds" >/dev/null
echo "--force: exit $?"
$DSAUDIT scan --no-progress --enable email,ipv4 --scan-date 2026-01-15 "$TMP/ds" >"$TMP/o"
echo "scan with the sidecar: exit $?"
grep -E '^check|^checks' "$TMP/o" | sed "s#$TMP#TMP#g"
$DSAUDIT init "$TMP/ds/crm.csv" >"$TMP/o" 2>&1
echo "not a directory: exit $?"
sed "s#$TMP#TMP#g" "$TMP/o"
