#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run iaa-sweep with --json and the given arguments; check the output.

usage: iaa-sweep-check.py SWEEP [ARGS...]

Checks: exit status 0, one JSON object, "errors" 0, a "results" entry
per (op, batch) with exactly op, batch, p50_ns, p99_ns, ratio, pages,
overflows, sane values (p50 <= p99, ratio > 1 for compressible pages),
and the IAA settings present exactly when the compressor is an IAA one.
"""
import json
import subprocess
import sys

KEYS = {"op", "batch", "p50_ns", "p99_ns", "ratio", "pages", "overflows"}
IAA_KEYS = {"devices", "wqs", "freq_mhz", "mode", "huffman", "verify", "distribute"}


def fail(msg):
    print("iaa-sweep-check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    cmd = sys.argv[1:] + ["--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        fail("exit status %d from %s" % (proc.returncode, " ".join(cmd)))
    try:
        doc = json.loads(proc.stdout)
    except ValueError as e:
        fail("not one JSON object: %s" % e)
    print(json.dumps(doc, indent=1))
    if doc.get("errors") != 0:
        fail("errors: %r" % doc.get("errors"))
    iaa = doc["compressor"].startswith("deflate-iaa")
    if iaa != IAA_KEYS.issubset(doc) or (not iaa and IAA_KEYS & set(doc)):
        fail("IAA settings present for %s: %s" % (doc["compressor"], sorted(doc)))
    results = doc.get("results")
    if not results:
        fail("no results")
    batches = {}
    for r in results:
        if set(r) != KEYS:
            fail("result keys %s" % sorted(r))
        if r["op"] not in ("compress", "decompress"):
            fail("op %r" % r["op"])
        batches.setdefault(r["batch"], set()).add(r["op"])
        if not 0 < r["p50_ns"] <= r["p99_ns"]:
            fail("p50 %d, p99 %d" % (r["p50_ns"], r["p99_ns"]))
        if r["ratio"] <= 1.0 or r["pages"] <= 0 or r["overflows"] < 0:
            fail("implausible %r" % r)
    for b, ops in batches.items():
        if ops != {"compress", "decompress"}:
            fail("batch %d has %s" % (b, sorted(ops)))


main()
