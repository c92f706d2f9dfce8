#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of bench/zswap-ab that `meson test` runs (docs/benchmarks.md).

usage: zswap-ab-check.py ZSWAP_AB CHECK
  options      bad options and values exit 2 with a message (a bad SPEC's
               naming the key and quoting the SPEC), --help and --list-params
               exit 0
  determinism  two modelled runs print identical JSON and tables
  table        a small A/B run prints a block per compressor with every row
  json         the JSON has every metric for every run and the comparisons,
               numbers exact and in plain notation
  csv          the CSV header and one row per run and repetition, numbers
               exact and in plain notation
"""
import json
import re
import subprocess
import sys

METRICS = ["throughput_kbs", "avg_throughput_kbs", "elapsed_s", "sys_s",
           "store_p50_ns", "store_p99_ns", "load_p50_ns", "load_p99_ns",
           "ratio", "zswpout", "zswpin", "pgmajfault", "written_back",
           "pool_bytes", "ctx_bytes"]
ROWS = ["zswap compressor", "compression batch", "Total throughput (KB/s)",
        "Average throughput (KB/s)", "Elapsed time (sec)", "sys time (sec)",
        "zswap_store p50 (ns/page)", "zswap_store p99 (ns/page)",
        "zswap_load p50 (ns/page)", "zswap_load p99 (ns/page)",
        "Compression ratio", "zswpout", "zswpin", "pgmajfault",
        "zswpwb (written back)", "zswap pool (bytes)",
        "acomp ctx, all CPUs (bytes)"]
SMALL = ["--procs", "2", "--mb", "1", "--no-progress"]
# A number as JSON and CSV give it: exact, in plain notation.
PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def check_numbers(where, metrics):
    """Plain notation, and exact: with SMALL's 2 processes the total
    throughput is exactly twice the average."""
    for m in METRICS:
        if not PLAIN.fullmatch(metrics[m]):
            sys.exit(f"{where}: {m} {metrics[m]!r} is not a plain number")
    if float(metrics["throughput_kbs"]) != 2 * float(metrics["avg_throughput_kbs"]):
        sys.exit(f"{where}: throughput_kbs {metrics['throughput_kbs']} is not twice "
                 f"avg_throughput_kbs {metrics['avg_throughput_kbs']}: not exact")


def run(exe, args, status=0):
    p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=300)
    if p.returncode != status:
        sys.exit(f"{args}: exit {p.returncode}, want {status}\n{p.stderr}")
    return p


def check_options(exe):
    bad = [["--workload", "fio"], ["--compressor", "lzo"], ["--compressor", "lz4,"],
           ["--batch", "0"], ["--batch", "1,,8"], ["--batch", "17"],
           ["--folio", "8k"], ["--iaa-devices", "0"], ["--freq-mhz", "50"],
           ["--timing", "fast"], ["--reps", "0"], ["--mode", "poll"],
           ["--baseline", "batch=1"], ["--variant", "batch=x"],
           ["--variant", "colour=red"], ["--variant", "batch"],
           ["--json", "--csv"], ["--corpus", "/nonexistent/zswap-ab"],
           ["--nonsense"], ["--procs"], ["extra"], ["--param", "nodot"],
           ["--param", "vm_cost.no_such_param=1"], ["--param", "a=b.c"]]
    for args in bad:
        p = run(exe, args, 2)
        if "zswap-ab:" not in p.stderr:
            sys.exit(f"{args}: no message on stderr")
    # A bad SPEC key or value is named, and the whole SPEC quoted; a bad
    # --param points at --list-params.
    messages = [
        (["--variant", "batch=8,bogus=1"], 'key "bogus" in "batch=8,bogus=1"'),
        (["--variant", "batch=8,folio=8k"], 'value "folio=8k" in "batch=8,folio=8k"'),
        (["--baseline", "batch=1,bogus=1", "--variant", "batch=8"],
         'key "bogus" in "batch=1,bogus=1"'),
        (["--baseline", "compressor=lz4,batch=x", "--variant", "batch=8"],
         'value "batch=x" in "compressor=lz4,batch=x"'),
        (["--param", "vm_cost.no_such_param=1"], "--list-params")]
    for args, want in messages:
        p = run(exe, args, 2)
        if want not in p.stderr:
            sys.exit(f"{args}: message does not say {want!r}:\n{p.stderr}")
    p = run(exe, ["--help"])
    for opt in ["--workload", "--compressor", "--batch", "--folio", "--baseline",
                "--variant", "--iaa-devices", "--freq-mhz", "--timing", "--reps",
                "--corpus", "--json", "--csv", "--plot", "--param", "--list-params"]:
        if opt not in p.stdout:
            sys.exit(f"--help does not explain {opt}")
    lines = run(exe, ["--list-params"]).stdout.splitlines()
    for want in ["vm_cost.reclaim_page_ns=", "zswap.max_compr_batch_size="]:
        if not any(l.startswith(want) for l in lines):
            sys.exit(f"--list-params does not list {want}")
    for l in lines:
        if not re.fullmatch(r"\w+\.\w+=.*", l):
            sys.exit(f"--list-params: {l!r} is not MOD.NAME=VAL")


def check_determinism(exe):
    args = SMALL + ["--compressor", "deflate-iaa,lz4", "--batch", "1,8"]
    a = run(exe, args + ["--json"]).stdout
    b = run(exe, args + ["--json"]).stdout
    if a != b:
        sys.exit("two modelled runs gave different JSON")
    a = run(exe, args).stdout
    b = run(exe, args).stdout
    if a != b:
        sys.exit("two modelled runs gave different tables")


def check_table(exe):
    out = run(exe, SMALL + ["--compressor", "deflate-iaa,zstd", "--batch", "1,8"]).stdout
    blocks = out.split("\n usemem2, ")[1:]
    if len(blocks) != 2 or not blocks[0].startswith("64K folios, deflate-iaa") \
            or not blocks[1].startswith("64K folios, zstd"):
        sys.exit(f"want a deflate-iaa and a zstd block:\n{out}")
    for blk in blocks:
        lines = blk.splitlines()
        for row in ROWS:
            hits = [l for l in lines if l.startswith(row)]
            if not hits:
                sys.exit(f"no row {row!r} in\n{blk}")
            if row not in ("zswap compressor", "compression batch") \
                    and "%" not in hits[0] and "n/a" not in hits[0]:
                sys.exit(f"row {row!r} has no change column: {hits[0]}")
    tp = [l for l in blocks[0].splitlines() if l.startswith("Total throughput")][0]
    if "+" not in tp.split()[-1]:
        sys.exit(f"IAA batch 8 is not faster than batch 1: {tp}")


def check_json(exe):
    out = run(exe, SMALL + ["--compressor", "lz4", "--baseline", "batch=1",
                            "--variant", "batch=8,folio=4k", "--json"]).stdout
    j = json.loads(out)
    if j["timing"] != "modelled" or j["workload"] != "usemem" or len(j["runs"]) != 2:
        sys.exit(f"bad JSON header: {out[:300]}")
    for r in j["runs"]:
        for m in METRICS:
            if not isinstance(r["metrics"].get(m), (int, float)):
                sys.exit(f"metric {m} missing in {r}")
        if r["metrics"]["throughput_kbs"] <= 0 or r["metrics"]["zswpout"] <= 0 \
                or r["metrics"]["ratio"] <= 1:
            sys.exit(f"implausible metrics: {r['metrics']}")
    if j["runs"][1]["spec"]["folio_kb"] != 4 or j["runs"][1]["spec"]["batch"] != 8:
        sys.exit(f"variant SPEC not applied: {j['runs'][1]['spec']}")
    for i, text in enumerate(out.split('"spec"')[1:]):
        # The run's metrics as printed (they come first), not as parsed.
        check_numbers(f"JSON run {i}", {m: re.search(rf'"{m}": ([^,}}]*)', text)[1]
                                         for m in METRICS})
    c = j["comparisons"]
    if len(c) != 1 or c[0]["baseline"] != 0 or c[0]["variant"] != 1 \
            or set(c[0]["change_pct"]) != set(METRICS):
        sys.exit(f"bad comparisons: {c}")


def check_csv(exe):
    out = run(exe, SMALL + ["--compressor", "lz4", "--batch", "1,8", "--csv",
                            "--reps", "2", "--timing", "measured"]).stdout.splitlines()
    want = ("workload,compressor,batch,folio_kb,devices,wqs,freq_mhz,mode,distribute,"
            "verify,lifetime,zsmalloc,timing,rep," + ",".join(METRICS))
    if out[0] != want:
        sys.exit(f"CSV header\n{out[0]}\nwant\n{want}")
    if len(out) != 5 or any(len(l.split(",")) != len(want.split(",")) for l in out[1:]):
        sys.exit(f"want 4 rows of {len(want.split(','))} fields:\n" + "\n".join(out))
    for line in out[1:]:
        check_numbers(f"CSV row {line}", dict(zip(want.split(","), line.split(","))))


CHECKS = {"options": check_options, "determinism": check_determinism,
          "table": check_table, "json": check_json, "csv": check_csv}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in CHECKS:
        sys.exit(__doc__)
    CHECKS[sys.argv[2]](sys.argv[1])
