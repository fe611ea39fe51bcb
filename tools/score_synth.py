#!/usr/bin/env python3
"""Span precision and recall of dsaudit on presidio-research's synthetic sentences.

usage: score_synth.py DSAUDIT [synth_dataset_v2.json] [--min-confidence=X]

Each sentence is scanned as one JSONL record. A gold span and a finding match when they
overlap (code-point offsets) and the finding's type maps to the gold type (table MAP).
Precision counts the findings of a mapped type that overlap a gold span of that type;
recall counts the gold spans that some finding overlaps. "exact" counts gold spans found
with the same start and end. Gold types no dsaudit type maps to are listed, unscored.
DATE_TIME holds every date and time, of which dsaudit reports only dates of birth: its
recall is not a target, its precision is. Standard library only.
"""
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score_common import byte_to_cp, fmt, scan_texts  # noqa: E402

# dsaudit type -> presidio-synth gold types it answers for
MAP = {
    "EMAIL": ["EMAIL_ADDRESS"],
    "PHONE": ["PHONE_NUMBER"],
    "CREDIT_CARD": ["CREDIT_CARD"],
    "IBAN": ["IBAN_CODE"],
    "US_SSN": ["US_SSN"],
    "IP_ADDRESS": ["IP_ADDRESS"],
    "POSTAL_ADDRESS": ["STREET_ADDRESS", "ZIP_CODE"],
    "DATE_OF_BIRTH": ["DATE_TIME"],
    "PERSON_NAME": ["PERSON"],
}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    path = args[1] if len(args) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval", "real",
        "presidio-synth", "synth_dataset_v2.json")
    minc = float(opts.get("min-confidence", "0"))
    data = json.load(open(path, encoding="utf-8"))
    found = scan_texts(binary, [{"text": d["full_text"]} for d in data])
    gold_n = defaultdict(int); gold_hit = defaultdict(int); gold_exact = defaultdict(int)
    pred_n = defaultdict(int); pred_ok = defaultdict(int)
    unscored = defaultdict(int)
    mapped_gold = {g for gs in MAP.values() for g in gs}
    for n, d in enumerate(data, 1):
        cp = byte_to_cp(d["full_text"])
        preds = [(o["type"], cp(o["start"]), cp(o["end"])) for o in found.get(n, [])
                 if float(o.get("confidence", 1)) >= minc and o["type"] in MAP]
        gold = [(s["entity_type"], s["start_position"], s["end_position"]) for s in d["spans"]]
        for gt, gs, ge in gold:
            if gt not in mapped_gold:
                unscored[gt] += 1
        for t, ps, pe in preds:
            pred_n[t] += 1
            if any(gt in MAP[t] and ps < ge and pe > gs for gt, gs, ge in gold):
                pred_ok[t] += 1
        for t, gts in MAP.items():
            for gt, gs, ge in gold:
                if gt not in gts:
                    continue
                gold_n[t] += 1
                hits = [(ps, pe) for pt, ps, pe in preds if pt == t and ps < ge and pe > gs]
                if hits:
                    gold_hit[t] += 1
                if (gs, ge) in hits:
                    gold_exact[t] += 1
    print("presidio-synth: %d sentences (%s)" % (len(data), os.path.basename(path)))
    print("%-16s %-30s %6s %6s %9s %7s %7s" % ("dsaudit type", "gold types", "gold", "found",
                                               "precision", "recall", "exact"))
    for t in MAP:
        p = pred_ok[t] / pred_n[t] if pred_n[t] else float("nan")
        r = gold_hit[t] / gold_n[t] if gold_n[t] else float("nan")
        e = gold_exact[t] / gold_n[t] if gold_n[t] else float("nan")
        print("%-16s %-30s %6d %6d %9s %7s %7s" % (t, ",".join(MAP[t]), gold_n[t], pred_n[t],
                                                   fmt(p), fmt(r), fmt(e)))
    print("unscored gold types: " + ", ".join("%s %d" % kv for kv in sorted(unscored.items())))


if __name__ == "__main__":
    main()
