#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""read-results.py LOG NAME=EXPECT...: judge one boot from its serial log.

The guest's kselftest runner prints KTAP: one "ok N selftests: kvm: NAME"
or "not ok ..." line per test, "# SKIP" for a skip, and the test's own KTAP
indented by "# ". Each expected test (EXPECT is "pass", "skip", or
"pass-all": a pass none of whose own subtests skipped) must appear with
that result. An argument --log=TEXT names a kernel message that must be in
the log (e.g. the mode KVM came up in). Also failing the
boot: a test that is missing, a guest that did not finish (timeout, panic),
and any kernel report in the log (BUG, WARNING, Oops, panic, lockdep, KASAN,
UBSAN, RCU stall, hung task), whoever caused it.

Prints one line per result and, last, "NAME: N passed, N failed, N skipped".
Exit status 1 when anything failed.
"""
import re
import sys

KTAP = re.compile(r'^(not ok|ok) \d+ selftests: \S+: (\S+)(?:\s+#\s*(\S+)(.*))?$')
# Kernel messages carry a printk timestamp; tests' own output never does.
HEADER = re.compile(r'^# selftests: \S+: (\S+)$')
SUBSKIP = re.compile(r'^# (?:not )?ok \d+ (.*?)\s*# SKIP\s*(.*)$', re.IGNORECASE)
KERNEL = re.compile(r'\[\s*\d+\.\d+\]\s(.*)$')
REPORT = re.compile(
    r'(WARNING:|BUG:|kernel BUG|Oops|Kernel panic|general protection fault|'
    r'Unable to handle kernel|KASAN:|UBSAN:|possible circular locking|'
    r'possible recursive locking|inconsistent lock state|suspicious RCU usage|'
    r'detected stalls|blocked for more than|WARNING: .* lock)')


def read(log_path, expected, wanted_logs=()):
    got, reports, done, timeout = {}, [], False, None
    seen_logs = set()
    current, subskips = None, {}
    with open(log_path, errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\r\n')
            h = HEADER.match(line)
            if h:
                current = h.group(1)
                continue
            sk = SUBSKIP.match(line)
            if sk and current:
                subskips.setdefault(current, []).append(' '.join(sk.groups()).strip())
                continue
            m = KTAP.match(line)
            if m:
                status, name, directive, rest = m.groups()
                if status == 'not ok':
                    why = (directive or '') + (rest or '')
                    got[name] = ('fail', why.strip() or 'not ok')
                elif directive and directive.upper() == 'SKIP':
                    got[name] = ('skip', (rest or '').strip())
                else:
                    got[name] = ('pass', '')
                continue
            k = KERNEL.search(line)
            if k and REPORT.search(k.group(1)):
                reports.append(k.group(1).strip())
            if k:
                seen_logs.update(t for t in wanted_logs if t in k.group(1))
            if line.startswith('harness: done'):
                done = True
            if line.startswith('harness: boot TIMEOUT'):
                timeout = line[len('harness: '):]

    results = []  # (verdict, name, detail), verdict in pass/fail/skip
    for name, want in expected:
        if name not in got:
            why = 'missing: no result (guest did not get to it)' if not done else 'missing: not run'
            results.append(('fail', name, why))
            continue
        have, why = got[name]
        if have == 'fail':
            results.append(('fail', name, 'not ok ' + why))
        elif want == 'pass-all' and have == 'pass' and subskips.get(name):
            results.append(('fail', name, 'passed, but subtests skipped: '
                            + '; '.join(subskips[name])))
        elif want == 'pass-all' and have == 'pass':
            results.append(('pass', name, ''))
        elif have == want:
            results.append((have, name, why))
        else:
            results.append(('fail', name, f'expected {want}, got {have}'
                            + (f' ({why})' if why else '')
                            + ': a regression, or update the expectation in variants/'))
    for name in sorted(set(got) - {n for n, _ in expected}):
        results.append(('fail', name, 'ran but is not in the expected list'))
    for text in wanted_logs:
        if text in seen_logs:
            results.append(('pass', 'log', f'"{text}"'))
        else:
            results.append(('fail', 'log', f'"{text}" is not in the kernel log'))
    if not done:
        results.append(('fail', 'boot', timeout or 'guest did not finish (crash, panic or hang)'))
    for r in reports:
        results.append(('fail', 'kernel', r))
    return results


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    log_path, variant = argv[1], argv[2]
    expected, wanted_logs = [], []
    for arg in argv[3:]:
        if arg.startswith('--log='):
            wanted_logs.append(arg[len('--log='):])
            continue
        name, _, want = arg.partition('=')
        if want not in ('pass', 'pass-all', 'skip'):
            sys.stderr.write(f'read-results: bad expectation "{arg}" (want NAME=pass, pass-all or skip)\n')
            return 2
        expected.append((name, want))
    try:
        results = read(log_path, expected, wanted_logs)
    except OSError as e:
        results = [('fail', 'boot', f'no log: {e.strerror}')]
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    for verdict, name, why in results:
        counts[verdict] += 1
        label = {'pass': 'ok  ', 'skip': 'skip', 'fail': 'FAIL'}[verdict]
        print(f'  {label} {variant}: {name}' + (f': {why}' if why else ''))
    print(f"{variant}: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts['fail'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
