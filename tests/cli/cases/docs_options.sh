# Every option `dsaudit scan --help` lists is documented in the man page and the README.
$DSAUDIT scan --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r opt; do
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$esc" man/dsaudit.1 || echo "not in man/dsaudit.1: $opt"
    grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" README.md || echo "not in README.md: $opt"
done
echo checked
