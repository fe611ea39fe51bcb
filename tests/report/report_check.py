#!/usr/bin/env python3
"""Validate dsaudit JSON reports against schemas/report.schema.json, check the
invariants the schema cannot express, and print one line per report.

usage: report_check.py SCHEMA REPORT...
Exit status 1 when a report is not valid (the errors are printed)."""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is missing (make deps installs it)")
    sys.exit(3)


def invariants(doc):
    s = doc["summary"]
    files = doc["files"]
    bad = []
    read = [f for f in files if f["status"] != "skipped"]
    if s["files"] != len(files) or s["files_read"] != len(read):
        bad.append("summary.files / files_read do not match files")
    if s["records"] != sum(f["records"] for f in read):
        bad.append("summary.records is not the sum of the files' records")
    if s["bytes_scanned"] != sum(f["bytes"] for f in read):
        bad.append("summary.bytes_scanned is not the sum of the files' bytes")
    by_type = {}
    for fld in doc["fields"]:
        for t in fld["types"]:
            by_type[t["type"]] = by_type.get(t["type"], 0) + t["findings"]
            if t["records"] > fld["records"] or t["records"] > t["findings"]:
                bad.append("%s/%s: records hit > records seen or findings" % (fld["file"], fld["field"]))
            if t["distinct"] is not None and t["distinct"] > t["findings"]:
                bad.append("%s/%s: distinct > findings" % (fld["file"], fld["field"]))
            if (t["distinct"] is None) != (t["sketch"] is None):
                bad.append("%s/%s: distinct and sketch disagree" % (fld["file"], fld["field"]))
    if by_type != s["by_type"] or sum(by_type.values()) != s["findings"]:
        bad.append("summary.by_type / findings do not match the fields")
    fl = doc["findings_listed"]
    if fl["listed"] != len(doc["findings"]) or fl["total"] != s["findings"]:
        bad.append("findings_listed does not match")
    if fl["max"] is not None and fl["listed"] > fl["max"]:
        bad.append("more findings listed than --max-findings")
    if fl["truncated"] != (fl["listed"] < fl["total"]):
        bad.append("findings_listed.truncated is wrong")
    order = {f["path"]: i for i, f in enumerate(files)}
    last = -1
    for f in doc["findings"]:
        i = order.get(f["file"], -1)
        if i < last:
            bad.append("findings not in file order")
            break
        last = i
    want = 2 if s["incomplete"] or s["limit_hits"] else 1 if s["fail_on"] != "none" and (
        s["findings_failing"] or s["checks_failing"]) else 0
    if s["exit_status"] != want or s["verdict"] != ["pass", "fail", "incomplete"][want]:
        bad.append("verdict / exit_status inconsistent")
    return bad


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    rc = 0
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:10]:
            print("INVALID at /%s: %s" % ("/".join(map(str, e.path)), e.message[:200]))
        bad = [] if errors else invariants(doc)
        for b in bad:
            print("INCONSISTENT: " + b)
        if errors or bad:
            rc = 1
            continue
        # the schema must reject a broken copy
        broken = copy.deepcopy(doc)
        broken["summary"]["findings"] = -1
        if validator.is_valid(broken):
            print("schema accepted a negative count")
            rc = 1
        s = doc["summary"]
        print("valid: %d files, %d fields, %d findings (%d listed), verdict %s" % (
            s["files"], len(doc["fields"]), s["findings"], len(doc["findings"]), s["verdict"]))
    sys.exit(rc)


main()
