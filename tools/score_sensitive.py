#!/usr/bin/env python3
"""Score dsaudit's special-category (GDPR Art. 9) and criminal (Art. 10) detection.

  tools/score_sensitive.py [DSAUDIT] [FIXTURE] [--min-confidence X]

Defaults: build/dsaudit, fixtures/eval-fr/sensitive.jsonl, 0.5 (the default
threshold). The fixture holds fictitious FR and EN sentences, one JSON object a
line: {"id", "lang", "labels": [TYPE, ...], "text"}. "labels" lists the
sensitive/criminal types the sentence discloses about a person; an empty list
marks a hard negative (a topic-only mention, or commercial-law vocabulary).
Rows with "set": "unseen" were written after the keyword lists and not used to
tune them; the others were (their figure is optimistic by construction).

A sentence counts as predicted TYPE when dsaudit reports at least one finding
of TYPE (category sensitive or criminal) in it. Prints per-type precision and
recall (sentence level) and the false positives / negatives; the exit status is
0 whatever the figures. Python standard library only.
"""
import json
import subprocess
import sys
from collections import defaultdict

CATS = ("sensitive", "criminal")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    minc = "0.5"
    if "--min-confidence" in argv:
        minc = argv[argv.index("--min-confidence") + 1]
        args = [a for a in args if a != minc]
    exe = args[0] if len(args) > 0 else "build/dsaudit"
    fixture = args[1] if len(args) > 1 else "fixtures/eval-fr/sensitive.jsonl"
    rows = [json.loads(l) for l in open(fixture, encoding="utf-8") if l.strip()]
    out = subprocess.run([exe, "scan", "--format", "jsonl", "--no-progress", "--min-confidence",
                          minc, "--fail-on", "none", "--show-values", fixture],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.stderr.write(out.stderr)
        return 2
    pred = defaultdict(set)
    for line in out.stdout.splitlines():
        if not line.startswith("{"):
            continue
        f = json.loads(line)
        if f.get("category") in CATS and f.get("field") == "text":
            pred[f["record"]].add(f["type"])
    types = sorted({t for r in rows for t in r["labels"]} |
                   {t for s in pred.values() for t in s})
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    errors = []
    for i, r in enumerate(rows, 1):
        gold, got = set(r["labels"]), pred.get(i, set())
        for t in gold & got:
            tp[t] += 1
        for t in got - gold:
            fp[t] += 1
            errors.append("FP %-22s #%d %s" % (t, r["id"], r["text"]))
        for t in gold - got:
            fn[t] += 1
            errors.append("FN %-22s #%d %s" % (t, r["id"], r["text"]))
    print("%-22s %4s %4s %4s %6s %6s" % ("type", "tp", "fp", "fn", "P", "R"))
    T = [0, 0, 0]
    for t in types:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
        rc = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 1.0
        print("%-22s %4d %4d %4d %6.2f %6.2f" % (t, tp[t], fp[t], fn[t], p, rc))
        T[0] += tp[t]
        T[1] += fp[t]
        T[2] += fn[t]
    p = T[0] / (T[0] + T[1]) if T[0] + T[1] else 1.0
    rc = T[0] / (T[0] + T[2]) if T[0] + T[2] else 1.0
    neg = [r for r in rows if not r["labels"]]
    clean = sum(1 for i, r in enumerate(rows, 1) if not r["labels"] and not pred.get(i))
    print("%-22s %4d %4d %4d %6.2f %6.2f" % ("all", T[0], T[1], T[2], p, rc))
    print("sentences=%d hard_negatives=%d clean=%d min_confidence=%s" %
          (len(rows), len(neg), clean, minc))
    # rows marked "set": "unseen" were written after the keyword lists, without
    # tuning them: the honest part of the figure
    for name in sorted({r.get("set", "tuned") for r in rows}):
        sub = [(i, r) for i, r in enumerate(rows, 1) if r.get("set", "tuned") == name]
        g = sum(len(r["labels"]) for _, r in sub)
        hit = sum(len(set(r["labels"]) & pred.get(i, set())) for i, r in sub)
        extra = sum(len(pred.get(i, set()) - set(r["labels"])) for i, r in sub)
        print("set=%s sentences=%d labels=%d found=%d false_positives=%d" %
              (name, len(sub), g, hit, extra))
    for e in errors:
        print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
