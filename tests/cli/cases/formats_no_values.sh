# No report format carries a raw matched value unless --show-values: one pass writes text,
# json, jsonl, sarif, markdown and html (-o) and a baseline for the demo dataset and the
# report fixtures with the whole rule library; every value found (as --show-values prints
# it, 6 bytes or longer) is then searched for in each output. With --show-values the
# per-finding formats do hold them (so the search would notice a leak). Two passes.
cd $TMP
R=$OLDPWD
S="$DSAUDIT scan --no-progress $R/fixtures/demo $R/fixtures/report"
$S -f text -o json:r.json -o jsonl:r.jsonl -o sarif:r.sarif -o markdown:r.md -o html:r.html \
    --write-baseline r.base > r.txt
echo "exit $?"
$S -q --show-values -f jsonl -o sarif:v.sarif -o markdown:v.md -o html:v.html > raw.jsonl
python3 - <<'PY'
import html, json
vals = sorted({json.loads(l)["value"] for l in open("raw.jsonl")})
vals = [v for v in vals if len(v.encode()) >= 6]
print("raw values checked:", "more than 100" if len(vals) > 100 else len(vals))
for f in ("r.txt", "r.json", "r.jsonl", "r.sarif", "r.md", "r.html", "r.base"):
    text = open(f, encoding="utf-8").read()
    # as written, JSON-escaped or HTML-escaped
    hits = [v for v in vals
            if v in text or json.dumps(v)[1:-1] in text or html.escape(v) in text]
    print("%-8s %s" % (f, "no raw value" if not hits else "LEAKS %d: %s" % (len(hits), hits[:3])))
PY
echo "== with --show-values"
python3 - <<'PY'
import json
vals = sorted({json.loads(l)["value"] for l in open("raw.jsonl")})
first = [json.loads(l)["value"] for l in open("raw.jsonl")][0]
for f in ("v.sarif", "v.md", "v.html"):
    text = open(f, encoding="utf-8").read()
    print("%-7s holds the first raw value: %s" % (f, first in text))
PY
