#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of scripts/test.sh that `meson test` runs, with stand-ins for
meson, ninja and dpkg-query that log their arguments (nothing is built or
installed).

usage: test-sh-check.py SCRIPTS/TEST.SH

--help and -h print the usage and run nothing; a new build directory is
set up with -Dknown_races=true before the extra options; an existing one
without known_races (scripts/quickstart.sh's) gets it through meson
configure, one with it gets only the extra options.
"""
import os
import subprocess
import sys
import tempfile

# meson introspect answers with known_races as $FAKE_KNOWN_RACES says.
FAKES = {
    "meson": """#!/bin/sh
echo "meson $*" >> "$FAKE_LOG"
if [ "$1" = introspect ]; then
	echo '[{"name": "lockdep", "value": true}, {"name": "known_races", "value": '"$FAKE_KNOWN_RACES"'}]'
fi
""",
    "ninja": """#!/bin/sh
echo "ninja $*" >> "$FAKE_LOG"
""",
    "dpkg-query": """#!/bin/sh
printf installed
""",
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    script = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        for name, text in FAKES.items():
            path = os.path.join(bindir, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        build = os.path.join(tmp, "build")
        log = os.path.join(tmp, "log")

        def run(args, known_races="false", existing=True, status=0):
            if os.path.exists(log):
                os.remove(log)
            os.makedirs(os.path.join(build, "meson-private"), exist_ok=True)
            core = os.path.join(build, "meson-private", "coredata.dat")
            if existing:
                open(core, "w").close()
            elif os.path.exists(core):
                os.remove(core)
            env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
                       BUILD_DIR=build, CI="true", FAKE_LOG=log,
                       FAKE_KNOWN_RACES=known_races)
            p = subprocess.run(["bash", script] + args, env=env, capture_output=True,
                               text=True, stdin=subprocess.DEVNULL, timeout=60)
            if p.returncode != status:
                sys.exit(f"test.sh {args}: exit {p.returncode}, want {status}\n"
                         f"{p.stdout}{p.stderr}")
            calls = open(log).read().splitlines() if os.path.exists(log) else []
            return p, calls

        def want_calls(args, want, **kw):
            calls = run(args, **kw)[1]
            calls = [c for c in calls if not c.startswith("meson introspect")]
            if calls != want:
                sys.exit(f"test.sh {args} ({kw}) ran\n  " + "\n  ".join(calls) +
                         "\nwant\n  " + "\n  ".join(want))

        for args in (["--help"], ["-h"], ["--deps-only", "--help"], ["-Dlockdep=false", "-h"]):
            p, calls = run(args)
            if not p.stdout.startswith("usage: scripts/test.sh") or "BUILD_DIR" not in p.stdout \
                    or "--deps-only" not in p.stdout:
                sys.exit(f"test.sh {args}: no usage on stdout:\n{p.stdout}{p.stderr}")
            if calls:
                sys.exit(f"test.sh {args} ran {calls}")

        build_and_test = [f"ninja -C {build}", f"meson test -C {build} --print-errorlogs"]
        want_calls([], [f"meson setup {build} -Dknown_races=true"] + build_and_test,
                   existing=False)
        want_calls(["-Dlockdep=false"],
                   [f"meson setup {build} -Dknown_races=true -Dlockdep=false"] + build_and_test,
                   existing=False)
        want_calls([], [f"meson configure {build} -Dknown_races=true"] + build_and_test)
        want_calls(["-Dlockdep=false"],
                   [f"meson configure {build} -Dknown_races=true -Dlockdep=false"]
                   + build_and_test)
        want_calls([], build_and_test, known_races="true")
        want_calls(["-Dlockdep=false"], [f"meson configure {build} -Dlockdep=false"]
                   + build_and_test, known_races="true")


if __name__ == "__main__":
    main()
