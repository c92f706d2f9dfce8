#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of race-fuzz, run by meson test (tests/fuzz/meson.build).

  fuzz-test.py clean  RACE-FUZZ ARGS...  a campaign exits 0 with runs > 0
                                         and no failure in its --json
  fuzz-test.py finds  RACE-FUZZ ARGS...  it exits 1 with a failure whose
                                         seed, schedule, report and replay
                                         line are given, and that replay
                                         (the shrunk one with --shrink)
                                         fails again, three times
  fuzz-test.py usage  RACE-FUZZ ARGS...  exit status 2 and a message
  fuzz-test.py asan   RACE-FUZZ ARGS...  (sanitizer builds) ASan ends a
                                         run's process: the campaign reports
                                         it (exit 1) with ASan's report, and
                                         the replay line; with --no-fork ASan
                                         ends race-fuzz itself, after it
                                         printed the seed and replay line
  fuzz-test.py alone  RACE-FUZZ ARGS...  (ARGS with --seed A --runs N) every
                                         run of the campaign is the run of
                                         its seed alone (steps, schedule
                                         hash, verdict), and each failure's
                                         replay line fails again the same way
  fuzz-test.py replay-options OPT VAL RACE-FUZZ ARGS...
                                         (in a directory of its own) a
                                         failure's replay line fails again
                                         without a warning; with OPT VAL
                                         added, a schedule file's replay is
                                         refused (exit 2, naming OPT) and an
                                         inline string's warns that the run
                                         diverged; a file of the schedule
                                         string alone (the old format)
                                         still replays, and the campaign
                                         with OPT VAL writes a file of
                                         another name
  fuzz-test.py corpus-dir STANDALONE DIR race-fuzz-standalone on DIR runs
                                         each regular file in it, exit 0
  fuzz-test.py crashes RACE-FUZZ ARGS... the same for selftest-crash with
                                         --keep-going: exactly the seeds
                                         that BUG-wedge (seed % 4 == 1) or
                                         crash (3) fail, the others are clean,
                                         and a crash's report has the
                                         faulting thread's backtrace (but
                                         ASan's own report in sanitizer
                                         builds)
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def run(argv, cwd=None):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=600, cwd=cwd)
    sys.stderr.write(p.stderr[-4000:])
    return p


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def summary(p):
    try:
        return json.loads(p.stdout)
    except ValueError:
        fail('no JSON summary on stdout: %r' % p.stdout[:200])


def clean(argv):
    p = run(argv + ['--json'])
    s = summary(p)
    if p.returncode != 0:
        fail('exit status %d, failures: %s' % (p.returncode, s.get('failures')))
    if s['runs'] <= 0 or s['failures']:
        fail('runs %d, failures %s' % (s['runs'], s['failures']))
    print('%s: %d runs, %.1f runs/s, clean' % (s['scenario'], s['runs'], s['runs_per_sec']))


def finds(argv):
    p = run(argv + ['--json'])
    s = summary(p)
    if p.returncode != 1 or not s['failures']:
        fail('exit status %d, %d runs: the failure was not found' % (p.returncode, s['runs']))
    f = s['failures'][0]
    for key in ('seed', 'schedule', 'report', 'replay'):
        if key not in f or f[key] in ('', None):
            fail('failure without %s: %s' % (key, f))
    if 'FAILURE in run' not in p.stderr or 'replay: ' not in p.stderr:
        fail('no failure report on stderr')
    if '--shrink' in argv and not f.get('shrunk', '').endswith(':stay'):
        fail('--shrink gave no shrunk schedule')
    print('found in run %d: %s' % (f['run'], f['report'].splitlines()[0]))
    cmd = shlex.split(f['replay'])
    for i in range(3):
        r = run(cmd + ['--json'])
        rs = summary(r)
        if r.returncode != 1 or len(rs['failures']) != 1:
            fail('replay %d did not fail: %s' % (i, f['replay']))
        if rs['failures'][0]['report'].splitlines()[0] != f['report'].splitlines()[0]:
            fail('replay %d failed otherwise: %s' % (i, rs['failures'][0]['report']))
    print('replayed 3 times: %s' % f['replay'])


def take_opt(argv, name):
    i = argv.index(name)
    val = argv[i + 1]
    return argv[:i] + argv[i + 2:], val


def digests(argv):
    p = run(argv + ['--json-runs', '--keep-going'])
    return p, summary(p)


def replays(f):
    cmd = shlex.split(f['replay'])
    r = run(cmd + ['--json'])
    rs = summary(r)
    if r.returncode != 1 or len(rs['failures']) != 1:
        fail('the replay did not fail: %s' % f['replay'])
    if rs['failures'][0]['report'].splitlines()[0] != f['report'].splitlines()[0]:
        fail('the replay failed otherwise: %s' % rs['failures'][0]['report'])


def alone(argv):
    base, first = take_opt(argv, '--seed')
    base, nr = take_opt(base, '--runs')
    p, s = digests(base + ['--seed', first, '--runs', nr])
    if len(s['run_list']) != int(nr):
        fail('%d runs listed, not %s' % (len(s['run_list']), nr))
    for d in s['run_list']:
        q, one = digests(base + ['--seed', str(d['seed']), '--runs', '1'])
        if one['run_list'] != [d]:
            fail('seed %d in the campaign %s, alone %s' % (d['seed'], d, one['run_list']))
    for f in s['failures']:
        replays(f)
    print('%d runs, %d failures: each run as alone, each failure replays' %
          (s['runs'], len(s['failures'])))
    return s


def crashes(argv):
    s = alone(argv)
    failed = sorted(d['seed'] for d in s['run_list'] if d['failed'])
    want = sorted(d['seed'] for d in s['run_list'] if d['seed'] % 4 in (1, 3))
    if failed != want:
        fail('failed seeds %s, want %s' % (failed, want))
    for f in s['failures']:
        # ASan, unless ASAN_OPTIONS has abort_on_error=1, reports a SEGV
        # itself and exits 1: its report is the crash's.
        crashed = ('killed by signal' in f['report'] or
                   'AddressSanitizer: SEGV' in f['report'])
        if f['seed'] % 4 == 3 and not crashed:
            fail('the crash of seed %d is not reported as one: %s' % (f['seed'], f['report']))
        # Outside sanitizer builds the child prints the faulting stack.
        if f['seed'] % 4 == 3 and 'AddressSanitizer' not in f['report'] and \
           not re.search(r'SIGSEGV in the run\'s process, backtrace of the faulting '
                         r'thread:\n.*\[0x[0-9a-f]+\]', f['report']):
            fail('the crash of seed %d has no backtrace: %s' % (f['seed'], f['report']))
    print('bad seeds %s failed, the other runs stayed clean' % failed)


def replay_options(argv):
    opt, val, argv = argv[0], argv[1], [os.path.abspath(argv[2])] + argv[3:]
    d = tempfile.mkdtemp(prefix='fuzz-replay-')
    p = run(argv + ['--json'], cwd=d)
    s = summary(p)
    if p.returncode != 1 or not s['failures']:
        fail('exit status %d: the failure was not found' % p.returncode)
    f = s['failures'][0]
    cmd = shlex.split(f['replay'])
    first = f['report'].splitlines()[0]

    def replays_clean(cmd, what):
        r = run(cmd + ['--json'], cwd=d)
        rs = summary(r)
        if r.returncode != 1 or rs['failures'][0]['report'].splitlines()[0] != first:
            fail('%s did not fail again: %s' % (what, shlex.join(cmd)))
        if 'diverged' in r.stderr:
            fail('%s warns that it diverged: %s' % (what, shlex.join(cmd)))

    replays_clean(cmd, 'the replay line')
    r = run(cmd + [opt, val], cwd=d)
    if cmd[-1].startswith('@'):
        if r.returncode != 2 or 'recorded with other options' not in r.stderr or \
           opt not in r.stderr:
            fail('the replay with %s %s was not refused (exit %d)' % (opt, val, r.returncode))
        with open(os.path.join(d, cmd[-1][1:])) as sched:
            old = [l for l in sched.read().splitlines() if l.startswith('z1:')]
        with open(os.path.join(d, 'old.schedule'), 'w') as sched:
            sched.write(old[0] + '\n')
        replays_clean(cmd[:-1] + ['@old.schedule'], 'the schedule alone')
        # The program and options are in the file's name: the campaign
        # with OPT VAL writes another file, and this one still replays.
        if os.path.basename(argv[0]) + '-' not in cmd[-1]:
            fail('the program is not in the name of %s' % cmd[-1])
        q = run(argv + [opt, val, '--json'], cwd=d)
        other = shlex.split(summary(q)['failures'][0]['replay'])[-1]
        if other == cmd[-1] or not os.path.exists(os.path.join(d, other[1:])):
            fail('the campaign with %s %s wrote %s too' % (opt, val, other))
        replays_clean(cmd, 'the replay line after the other campaign')
        print('%s %s refused for %s, which %s did not overwrite; the schedule alone replays' %
              (opt, val, cmd[-1], other))
    else:
        if 'diverged' not in r.stderr:
            fail('the replay with %s %s did not warn that it diverged' % (opt, val))
        print('%s %s: the replay warns that it diverged' % (opt, val))
    shutil.rmtree(d)


def corpus_dir(argv):
    prog, d = argv
    p = run([prog, d])
    if p.returncode != 0:
        fail('exit status %d on %s' % (p.returncode, d))
    names = sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n)))
    for n in names:
        if '%s/%s (' % (d, n) not in p.stderr:
            fail('%s/%s was not run' % (d, n))
    print('%d files of %s run' % (len(names), d))


def usage(argv):
    p = run(argv)
    if p.returncode != 2 or 'race-fuzz' not in p.stderr:
        fail('exit status %d for bad usage' % p.returncode)
    print('bad usage refused: %s' % p.stderr.splitlines()[0])


def asan(argv):
    if '--no-fork' not in argv:
        p = run(argv + ['--json'])
        s = summary(p)
        if p.returncode != 1 or not s['failures']:
            fail('exit status %d: no failure reported' % p.returncode)
        f = s['failures'][0]
        if 'AddressSanitizer' not in f['report'] or not f['replay']:
            fail('the failure has no ASan report or replay line: %s' % f)
        replays(f)
        print('ASan ended run %d (seed %d); the campaign reported it and it replays' %
              (f['run'], f['seed']))
        return
    p = run(argv)
    if p.returncode in (0, 1, 2):
        fail('exit status %d: ASan did not end the process' % p.returncode)
    for want in ('AddressSanitizer', 'ASan reported a failure in the run with seed',
                 'race-fuzz: replay: '):
        if want not in p.stderr:
            fail('no "%s" on stderr' % want)
    print('ASan ended the process (status %d) after the replay line' % p.returncode)


def main():
    modes = {'clean': clean, 'finds': finds, 'usage': usage, 'asan': asan,
             'alone': alone, 'crashes': crashes, 'replay-options': replay_options,
             'corpus-dir': corpus_dir}
    if len(sys.argv) < 3 or sys.argv[1] not in modes:
        print(__doc__)
        sys.exit(2)
    modes[sys.argv[1]](sys.argv[2:])


if __name__ == '__main__':
    main()
