# The same data gives the same findings (file names aside) plain, compressed
# with every codec, inside tar.gz, zip and 7z, and in a zip inside a tar.gz.
R="--format jsonl --enable email,ipv4,ipv6,credit_card,iban"
d=$TMP/d
mkdir -p "$d/plain"
cp fixtures/cli/people.csv fixtures/cli/notes.txt "$d/plain/"
strip() { sed 's/"file":"[^"]*"/"file":F/' | sort; }
$DSAUDIT scan $R "$d/plain" | strip >"$TMP/ref"
echo "plain: $(wc -l <"$TMP/ref") findings"
for c in "gzip -c" "zstd -q -c" "xz -c" "bzip2 -c" "lz4 -q -c"; do
    ext=$(echo "$c" | awk '{print $1}')
    mkdir -p "$d/$ext"
    for f in people.csv notes.txt; do $c "$d/plain/$f" >"$d/$ext/$f.$ext"; done
    $DSAUDIT scan $R "$d/$ext" | strip >"$TMP/o"
    cmp -s "$TMP/ref" "$TMP/o" && echo "$ext: same findings" || { echo "$ext: differs"; diff "$TMP/ref" "$TMP/o"; }
done
(cd "$d/plain" && tar -czf "$d/both.tar.gz" people.csv notes.txt && bsdtar --format zip -cf "$d/both.zip" people.csv notes.txt \
    && bsdtar --format 7zip -cf "$d/both.7z" people.csv notes.txt)
(cd "$d" && tar -czf "$d/nested.tar.gz" both.zip)
for a in both.tar.gz both.zip both.7z nested.tar.gz; do
    $DSAUDIT scan $R "$d/$a" >"$TMP/raw"
    strip <"$TMP/raw" >"$TMP/o"
    cmp -s "$TMP/ref" "$TMP/o" && echo "$a: same findings" || { echo "$a: differs"; diff "$TMP/ref" "$TMP/o"; }
done
# inner names: outer!member
sed -n 's/.*"file":"\([^"]*\)".*/\1/p' "$TMP/raw" | sed "s#$TMP#TMP#" | sort -u
