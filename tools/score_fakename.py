#!/usr/bin/env python3
"""Column-level scoring of dsaudit on the FakeNameGenerator CSV (presidio-research).

usage: score_fakename.py DSAUDIT [FakeNameGenerator.com_3000.csv] [--min-confidence=X]

Scans the CSV once and prints, per column, the share of non-empty rows with at least one
finding, the type found on most rows and its share. Columns are classed:
  pii     must be found on >= 95 % of rows (names, address parts, e-mail, username,
          phone, birthday, national id, card number)
  non-pii must be flagged on <= 2 % of rows
  other   not scored (password, middle initial, state, CVV, card expiry)
CCNumber is Excel-mangled in this file (5.54563E+15): the digits are gone, so no card
detector can or should find them; it is reported but not counted against the target.
Standard library only.
"""
import csv
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score_common import run_scan  # noqa: E402

PII = ["GivenName", "Surname", "StreetAddress", "City", "ZipCode", "EmailAddress", "Username",
       "TelephoneNumber", "MothersMaiden", "Birthday", "NationalID", "CCNumber"]
OTHER = ["Password", "MiddleInitial", "State", "StateFull", "CVV2", "CCExpires"]
MANGLED = {"CCNumber"}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    path = args[1] if len(args) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval", "real",
        "fakename-3000", "FakeNameGenerator.com_3000.csv")
    minc = float(opts.get("min-confidence", "0"))
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    cols = list(rows[0].keys())
    nonempty = {c: sum(1 for r in rows if (r[c] or "").strip()) for c in cols}
    hit = defaultdict(set)                         # column -> records with a finding
    by_type = defaultdict(lambda: defaultdict(set))  # column -> type -> records
    for o in run_scan(binary, path):
        if float(o.get("confidence", 1)) < minc:
            continue
        c = o.get("field")
        hit[c].add(o["record"])
        by_type[c][o["type"]].add(o["record"])
    print("fakename-3000: %d rows (%s)" % (len(rows), os.path.basename(path)))
    print("%-22s %-7s %6s %7s  %-16s %6s  %s" % ("column", "class", "rows", "flagged", "top type",
                                                 "share", "verdict"))
    ok_pii = bad_non = 0
    npii = nnon = 0
    for c in cols:
        cls = "pii" if c in PII else "other" if c in OTHER else "non-pii"
        n = nonempty[c]
        share = len(hit[c]) / n if n else 0.0
        top, tshare = "-", 0.0
        if by_type[c]:
            top, recs = max(by_type[c].items(), key=lambda kv: len(kv[1]))
            tshare = len(recs) / n if n else 0.0
        if cls == "pii" and c not in MANGLED:
            npii += 1
            good = share >= 0.95
            ok_pii += good
            verdict = "ok" if good else "MISSED (< 95 %)"
        elif cls == "pii":
            verdict = "mangled by Excel (not scored)"
        elif cls == "non-pii":
            nnon += 1
            good = share <= 0.02
            bad_non += not good
            verdict = "ok" if good else "FLAGGED (> 2 %)"
        else:
            verdict = ""
        print("%-22s %-7s %6d %6.1f%%  %-16s %5.1f%%  %s" % (c, cls, n, 100 * share, top,
                                                              100 * tshare, verdict))
    print("fakename: pii_columns_found=%d/%d non_pii_columns_over_2pct=%d/%d"
          % (ok_pii, npii, bad_non, nnon))


if __name__ == "__main__":
    main()
