#!/usr/bin/env python3
"""Structural checks of a dsaudit HTML report, printed deterministically:
self-contained (no script, no external URL, a CSP), the sections, the SVG
charts and their bars, print styles, and that FORBIDDEN strings (raw values,
unescaped hostile names) do not occur. usage: html_check.py FILE [FORBIDDEN...]"""
import html.parser
import re
import sys


class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}
        self.ids = []
        self.urls = []
        self.bars = {}
        self.svg = None
        self.csp = None
        self.file_tables = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a and tag in ("section", "h2", "p", "svg"):
            self.ids.append(a["id"])
        for k in ("src", "href", "action", "xlink:href", "srcset", "poster", "data"):
            if k in a:
                self.urls.append(a[k])
        if "style" in a and "url(" in a["style"]:
            self.urls.append(a["style"])
        if tag == "table" and a.get("class") == "fields":
            self.file_tables += 1
        if tag == "svg":
            self.svg = a.get("id")
            self.bars[self.svg] = 0
        if tag == "rect" and "bar" in a.get("class", "").split() and self.svg:
            self.bars[self.svg] += 1
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None


text = open(sys.argv[1], encoding="utf-8").read()
p = P()
p.feed(text)
print("doctype:", text.startswith("<!DOCTYPE html>"))
print("script tags:", p.tags.get("script", 0), "| iframes:", p.tags.get("iframe", 0),
      "| img:", p.tags.get("img", 0), "| link:", p.tags.get("link", 0))
print("external URLs:", p.urls or "none",
      "| url() in CSS:", len(re.findall(r"url\(", text)),
      "| http(s) outside the SVG namespace:",
      len(re.findall(r"https?://", text.replace('xmlns="http://www.w3.org/2000/svg"', ""))))
print("CSP:", p.csp)
print("sections:", " ".join(p.ids))
print("charts:", ", ".join("%s %d bars" % kv for kv in p.bars.items()))
print("file tables:", p.file_tables, "| @media print:", "@media print" in text)
for s in sys.argv[2:]:
    print("forbidden %r: %d" % (s, text.count(s)))
