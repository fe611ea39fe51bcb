#!/usr/bin/env python3
"""Precision and recall per type on a labelled set such as fixtures/eval-fr/*.jsonl.

usage: score_evalfr.py DSAUDIT FILE.jsonl... [--min-confidence=X] [--verbose]

Each line is {"text": ..., "expect": [{"type": T, "value": V}, ...], "field": F?, "note": N?}.
"expect" lists what must be found (an empty list makes the line a negative); each value must
occur in text, and its first occurrence after the previous expected value of the same type
is the gold span. "field" (default "text") is the field name the text is scanned under, for
column-name rules. A finding matches a gold span of its type when the two overlap.
Types scored: every type that appears in some "expect" of the given files. Precision: the
findings of a scored type that match a gold span; recall: the gold spans matched.
--verbose lists every miss and every false positive. Standard library only.
"""
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score_common import byte_to_cp, fmt, scan_texts  # noqa: E402


def gold_spans(item):
    spans, pos = [], defaultdict(int)
    for e in item.get("expect", []):
        t, v = e["type"], e["value"]
        i = item["text"].find(v, pos[(t, v)])
        if i < 0:
            raise SystemExit("value %r not in text %r" % (v, item["text"]))
        pos[(t, v)] = i + 1
        spans.append((t, i, i + len(v)))
    return spans


def main():
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    verbose = "--verbose" in sys.argv
    if len(files) < 2:
        sys.exit(__doc__)
    binary, files = files[0], files[1:]
    minc = float(opts.get("min-confidence", "0"))
    items = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            items += [json.loads(l) for l in f if l.strip()]
    scored = sorted({e["type"] for it in items for e in it.get("expect", [])})
    found = scan_texts(binary, [{it.get("field", "text"): it["text"]} for it in items])
    gold_n = defaultdict(int); gold_hit = defaultdict(int)
    pred_n = defaultdict(int); pred_ok = defaultdict(int)
    neg_lines = neg_clean = 0
    for n, it in enumerate(items, 1):
        cp = byte_to_cp(it["text"])
        gold = gold_spans(it)
        preds = [(o["type"], cp(o["start"]), cp(o["end"]), o.get("rule")) for o in found.get(n, [])
                 if o["type"] in scored and float(o.get("confidence", 1)) >= minc]
        for t, s, e, rule in preds:
            pred_n[t] += 1
            if any(gt == t and s < ge and e > gs for gt, gs, ge in gold):
                pred_ok[t] += 1
            elif verbose:
                print("FP %-15s %-22s %r in %r" % (t, rule, it["text"][s:e], it["text"]))
        for gt, gs, ge in gold:
            gold_n[gt] += 1
            if any(t == gt and s < ge and e > gs for t, s, e, _ in preds):
                gold_hit[gt] += 1
            elif verbose:
                print("FN %-15s %r in %r" % (gt, it["text"][gs:ge], it["text"]))
        if not gold:
            neg_lines += 1
            neg_clean += not preds
    print("eval-fr: %d lines (%s), %d negative lines" % (len(items), ", ".join(
        os.path.basename(f) for f in files), neg_lines))
    print("%-18s %6s %6s %9s %7s" % ("type", "gold", "found", "precision", "recall"))
    tg = th = tp = to = 0
    for t in scored:
        p = pred_ok[t] / pred_n[t] if pred_n[t] else float("nan")
        r = gold_hit[t] / gold_n[t] if gold_n[t] else float("nan")
        print("%-18s %6d %6d %9s %7s" % (t, gold_n[t], pred_n[t], fmt(p), fmt(r)))
        tg += gold_n[t]; th += gold_hit[t]; tp += pred_n[t]; to += pred_ok[t]
    print("eval-fr: micro_precision=%s micro_recall=%s negatives_clean=%d/%d"
          % (fmt(to / tp if tp else float("nan")), fmt(th / tg if tg else float("nan")),
             neg_clean, neg_lines))


if __name__ == "__main__":
    main()
