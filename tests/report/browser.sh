#!/bin/sh
# The HTML report in a real browser (Debian `chromium`, headless): the demo
# dataset's report and a hostile-names report render, the DOM after rendering
# holds both SVG charts with their bars and every section, and the browser
# logs no console message (a blocked resource, a CSP violation or a script
# error would be one). Skipped, with a message, when chromium is not installed
# (`make deps-browser`).
# usage: tests/report/browser.sh [BUILD_DIR]   (prints "browser: N passed, N failed")
B=${1:-build}
DSAUDIT=${DSAUDIT:-$B/dsaudit}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$CHROMIUM" ]; then
    echo "browser: skipped: chromium is not installed (make deps-browser installs it)"
    echo "browser: 0 passed, 0 failed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { echo "FAIL browser: $*"; fail=$((fail + 1)); }

render() { # $1 html file, $2 dom output, $3 log output
    DBUS_SESSION_BUS_ADDRESS=disabled: timeout 120 "$CHROMIUM" --headless --no-sandbox \
        --disable-gpu --no-first-run --disable-extensions --disable-background-networking \
        --disable-component-update --user-data-dir="$tmp/profile" \
        --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$2" 2>"$3"
}

check_page() { # $1 name, $2 html, $3 expected bars in chart-types, $4 in chart-fields
    if ! render "$2" "$tmp/$1.dom" "$tmp/$1.log"; then
        ko "$1: chromium failed: $(tail -n 3 "$tmp/$1.log")"
        return
    fi
    for id in verdict summary chart-types chart-fields files law coverage; do
        grep -q "id=\"$id\"" "$tmp/$1.dom" || ko "$1: rendered page lacks #$id"
    done
    n=$(sed -n '/id="chart-types"/,/<\/svg>/p' "$tmp/$1.dom" | grep -c '<rect class="bar')
    [ "$n" = "$3" ] || ko "$1: chart-types has $n bars, expected $3"
    n=$(sed -n '/id="chart-fields"/,/<\/svg>/p' "$tmp/$1.dom" | grep -c '<rect class="bar')
    [ "$n" = "$4" ] || ko "$1: chart-fields has $n bars, expected $4"
    if grep -q -e ':CONSOLE' -e 'Refused to' "$tmp/$1.log"; then
        ko "$1: console messages: $(grep -e ':CONSOLE' -e 'Refused to' "$tmp/$1.log" | head -3)"
    fi
    if grep -q '<script' "$tmp/$1.dom"; then
        ko "$1: a script element in the rendered DOM"
    fi
    ok
}

# 1. the demo dataset (charts sized from the findings themselves)
"$DSAUDIT" scan --no-progress -f html -o json:"$tmp/demo.json" fixtures/demo >"$tmp/demo.html"
types=$(python3 -c '
import json, sys
r = json.load(sys.stdin)
t = {}; f = {}
for fl in r["fields"]:
    for ty in fl["types"]:
        if ty.get("findings", 1):
            t[ty["type"]] = 1; f[fl["field"]] = 1
print(min(len(t), 20), min(len(f), 20) + (1 if len(f) > 20 else 0))' <"$tmp/demo.json")
if [ -n "$types" ]; then
    set -- $types
    check_page demo "$tmp/demo.html" "$1" "$2"
else
    ko "demo: could not count the types and fields from the JSON report"
fi
# 2. hostile names: a field that is an HTML payload
"$DSAUDIT" scan --no-progress --enable email,iban -f html fixtures/report >"$tmp/hostile.html"
check_page hostile "$tmp/hostile.html" 2 6
# 3. the page is printable: chromium prints it to PDF
if DBUS_SESSION_BUS_ADDRESS=disabled: timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --no-first-run --user-data-dir="$tmp/profile" --print-to-pdf="$tmp/demo.pdf" \
    "file://$tmp/demo.html" >/dev/null 2>&1 && head -c 5 "$tmp/demo.pdf" | grep -q '%PDF-'; then
    ok
else
    ko "print to PDF failed"
fi
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
