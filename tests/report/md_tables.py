#!/usr/bin/env python3
"""Check the GitHub-flavoured tables of a Markdown file: every row of a table
has as many cells as its header (cells split on '|' not escaped by a
backslash), and no raw '<' opens an HTML tag. usage: md_tables.py FILE"""
import re
import sys

rows = tables = bad = 0
width = None
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if re.search(r"(?<!\\)<[A-Za-z/!]", line):
        print("line %d: raw HTML tag" % n)
        bad += 1
    if not line.startswith("|"):
        width = None
        continue
    cells = len(re.split(r"(?<!\\)\|", line)) - 2
    if width is None:
        width = cells
        tables += 1
    elif cells != width:
        print("line %d: %d cells, header has %d" % (n, cells, width))
        bad += 1
    rows += 1
print("markdown tables intact, no raw HTML:", "yes" if not bad and tables else "NO")
sys.exit(1 if bad else 0)
