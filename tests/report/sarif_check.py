#!/usr/bin/env python3
"""Validate a dsaudit SARIF file against the official SARIF 2.1.0 JSON Schema
and print a deterministic digest of it for golden tests.

usage: sarif_check.py SCHEMA SARIF
Exit status 1 when the document is not valid (the errors are printed)."""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is missing (make deps installs it)")
    sys.exit(3)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:10]:
        print("INVALID at /%s: %s" % ("/".join(map(str, e.path)), e.message[:200]))
    if errors:
        sys.exit(1)
    print("valid against the SARIF 2.1.0 schema")
    broken = copy.deepcopy(doc)
    broken["runs"][0]["results"].append({"ruleId": 3})
    print("a broken copy is rejected:", "yes" if not validator.is_valid(broken) else "NO")

    run = doc["runs"][0]
    print("version %s, %d run, columnKind %s" % (doc["version"], len(doc["runs"]),
                                                 run.get("columnKind")))
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    print("rules:", " ".join(ids), "(unique: %s)" % ("yes" if len(set(ids)) == len(ids) else "NO"))
    for r in rules:
        ok = all(r.get(k, {}).get("text") for k in ("shortDescription", "fullDescription", "help"))
        print("  rule %s: level %s, descriptions and help: %s" % (
            r["id"], r["defaultConfiguration"]["level"], "yes" if ok else "NO"))
    results = run["results"]
    levels = {}
    for r in results:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    print("results: %d (%s)" % (len(results),
                                ", ".join("%s %d" % kv for kv in sorted(levels.items()))))
    print("ruleIndex matches ruleId:", "yes" if all(
        rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results) else "NO")
    fps = [r["partialFingerprints"]["dsaudit/v1"] for r in results]
    print("fingerprints: %d, distinct %d" % (len(fps), len(set(fps))))
    for r in results:
        loc = r["locations"][0]
        phys = loc.get("physicalLocation", {})
        uri = phys.get("artifactLocation", {}).get("uri", "-")
        reg = phys.get("region")
        region = "%d:%d" % (reg["startLine"], reg["startColumn"]) if reg else "-"
        logical = ",".join(l["fullyQualifiedName"] for l in loc.get("logicalLocations", [])) or "-"
        print("  %s %s %s %s %s | %s" % (r["level"], r["ruleId"], uri, region, logical,
                                         r["message"]["text"]))
    inv = run["invocations"][0]
    print("invocation: executionSuccessful %s, exitCode %d, %d notifications" % (
        inv["executionSuccessful"], inv["exitCode"], len(inv["toolExecutionNotifications"])))
    for n in inv["toolExecutionNotifications"]:
        print("  %s: %s" % (n["level"], n["message"]["text"]))
    p = run["properties"]
    print("properties: verdict %s, findings %d, listed %d, truncated %s, fingerprints %s" % (
        p["verdict"], p["findings"], p["findingsListed"], p["findingsTruncated"],
        p["fingerprints"]))


main()
