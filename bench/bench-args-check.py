#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The command line of a micro-benchmark, as `meson test` checks it.

usage: bench-args-check.py BENCH

--help and -h print "usage: BENCH ..." and one line of what it measures,
and exit 0; an unknown option and an unexpected argument exit 2 with a
message on stderr. None of them may run the benchmark (which takes
seconds to minutes): each must answer within 20 seconds.
"""
import subprocess
import sys


def run(exe, arg, status):
    try:
        p = subprocess.run([exe, arg], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        sys.exit(f"{exe} {arg}: still running after 20 s: it ran the benchmark")
    if p.returncode != status:
        sys.exit(f"{exe} {arg}: exit {p.returncode}, want {status}\n{p.stdout}{p.stderr}")
    return p


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    exe = sys.argv[1]
    for arg in ["--help", "-h"]:
        lines = run(exe, arg, 0).stdout.splitlines()
        if len(lines) != 2 or not lines[0].startswith(f"usage: {exe}") or not lines[1]:
            sys.exit(f"{exe} {arg}: want a usage line and a line of what it measures:\n"
                     + "\n".join(lines))
    for arg in ["--no-such-option", "no-such-argument"]:
        if not run(exe, arg, 2).stderr:
            sys.exit(f"{exe} {arg}: no message on stderr")


if __name__ == "__main__":
    main()
