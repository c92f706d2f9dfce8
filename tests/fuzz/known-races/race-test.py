#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The known-race corpus tests (tests/fuzz/known-races/meson.build).

  race-test.py found KIND [--crash-ok] -- RACE-FUZZ ARGS...
      the race variant's campaign exits 1 and its --json summary holds a
      failure whose report matches the regular expression KIND; with
      --crash-ok, a crash counts too (a use-after-free that follows a
      freed pointer; the default build has no KASAN to report it first):
      a run's process killed by SIGSEGV/SIGBUS, or, when the campaign
      itself ended (--no-fork), an AddressSanitizer or UBSan report on
      stderr or death by SIGSEGV/SIGBUS
  race-test.py clean -- RACE-FUZZ ARGS...
      the same campaign on the fixed code exits 0 with every run clean
"""
import json
import re
import signal
import subprocess
import sys


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def campaign(argv):
    p = subprocess.run(argv + ['--json'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=600)
    sys.stderr.write(p.stderr[-3000:])
    try:
        s = json.loads(p.stdout)
    except ValueError:
        s = None
    return p, s


def found(kind, crash_ok, argv):
    p, s = campaign(argv)
    san = re.search(r'ERROR: AddressSanitizer.*|runtime error: .*', p.stderr)
    if crash_ok and san:
        print('found by the sanitizer: ' + san.group(0))
        return
    if crash_ok and p.returncode in (-signal.SIGSEGV, -signal.SIGBUS):
        print('found: the campaign died of %s' % signal.Signals(-p.returncode).name)
        return
    if s is None:
        fail('exit status %d and no JSON summary' % p.returncode)
    if p.returncode != 1 or not s['failures']:
        fail('exit status %d after %d runs: the race was not found' % (p.returncode, s['runs']))
    f = s['failures'][0]
    # race-fuzz makes each run in a child process: a crash is a failure.
    if crash_ok and re.search(r'killed by signal (%d|%d) ' % (signal.SIGSEGV, signal.SIGBUS),
                              f['report']):
        print('found in run %d: %s' % (f['run'] + 1, f['report'].splitlines()[0]))
        return
    if not re.search(kind, f['report']):
        fail('found in run %d, but not the expected report (%s):\n%s' %
             (f['run'], kind, f['report'][:2000]))
    print('found in run %d of %d (seed %d): %s' %
          (f['run'] + 1, s['runs'], f['seed'], re.search(kind, f['report']).group(0)))


def clean(argv):
    p, s = campaign(argv)
    if s is None:
        fail('exit status %d and no JSON summary' % p.returncode)
    if p.returncode != 0 or s['failures'] or s['runs'] <= 0:
        fail('exit status %d, %d runs, failures: %s' %
             (p.returncode, s['runs'], [f['report'][:500] for f in s['failures']]))
    print('%s: %d runs clean' % (s['scenario'], s['runs']))


def main():
    args = sys.argv[1:]
    sep = args.index('--')
    opts, argv = args[:sep], args[sep + 1:]
    if opts[0] == 'found':
        found(opts[1], '--crash-ok' in opts[2:], argv)
    elif opts[0] == 'clean':
        clean(argv)
    else:
        fail('unknown mode %s' % opts[0])


if __name__ == '__main__':
    main()
