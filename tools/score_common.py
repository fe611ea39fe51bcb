"""Helpers shared by the tools/score_*.py conformance scorers (stdlib only)."""
import json
import os
import subprocess
import sys
import tempfile


def run_scan(binary, path, extra=()):
    """Run `dsaudit scan --format jsonl PATH` and return the findings (dicts)."""
    cmd = [binary, "scan", "--format", "jsonl", "--no-progress"] + list(extra) + [path]
    p = subprocess.run(cmd, capture_output=True, timeout=1800)
    if p.returncode not in (0, 1):
        sys.stderr.write("%s exited %d: %s\n" % (" ".join(cmd), p.returncode,
                                                 p.stderr.decode(errors="replace")[-400:]))
    out = []
    for line in p.stdout.decode("utf-8", errors="replace").splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if isinstance(o, dict) and "record" in o and "type" in o:
            out.append(o)
    return out


def scan_texts(binary, records, extra=()):
    """Write records (dicts field -> text) as JSONL, scan them; findings by record (1-based)."""
    by_rec = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        for o in run_scan(binary, path, extra):
            by_rec.setdefault(int(o["record"]), []).append(o)
    return by_rec


def byte_to_cp(text):
    """A function mapping a byte offset in text's UTF-8 to a code point offset."""
    raw = text.encode("utf-8")

    def cp(b):
        return len(raw[:max(int(b), 0)].decode("utf-8", errors="ignore"))
    return cp


def prf(tp_pred, npred, tp_gold, ngold):
    p = tp_pred / npred if npred else float("nan")
    r = tp_gold / ngold if ngold else float("nan")
    return p, r


def fmt(x):
    return "  -  " if x != x else "%.3f" % x
