#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""read-results.py LOG NAME=EXPECT... [--log=TEXT...] [--allow=TEXT...]: judge one boot from
its serial log.

The guest's kselftest runner prints KTAP: one "ok N selftests: kvm: NAME"
or "not ok ..." line per test, "# SKIP" for a skip, and the test's own KTAP
indented by "# ". Each expected test must appear with the result
that EXPECT names:

  pass                 it passed; its own subtests may have skipped
  skip                 it skipped as a whole (the runner's "# SKIP")
  pass-all             it passed, printed its own plan "1..N" and N
                       subtest results, and none of them skipped
  pass:skip=NAME,...   as pass-all, but the named subtests may skip.
                       NAME is the start of the skipped subtest's line
                       as the test prints it after "ok N ", "# SKIP"
                       left out (for ksft_test_result_skip(), its
                       message), each run of whitespace written "_":
                       pass:skip=default_VM:_mappable:_hwpoison,MTE

A subtest is a line "# ok N ..." or "# not ok N ..." of the test's own
output. After its tests the guest prints "harness: done", waits, and
dumps its kernel log between "harness: kernel log begin" and "harness:
kernel log end" (scripts/guest/init): a report printed just after the
last test is in the log too, and a report the console saw as well counts
once. Also failing the boot: a test that is missing, a guest that did not
finish (no "harness: kernel log end": timeout, panic, hang, an old rootfs),
and any kernel report in the log (BUG, WARNING, Oops, panic, lockdep, KASAN,
UBSAN, SLUB debug, page poisoning, RCU stall, hard and soft lockup, hung
task, a memory failure that did not recover, lost console messages),
whoever caused it.

An argument --log=TEXT names a kernel message that must be in the log (a
variant's EXPECT_LOG, e.g. the mode KVM came up in): TEXT must be part of a
kernel message, on the console or in the kernel log dump; it is a result
"log" of its own, a failure when no kernel message has it.

An argument --allow=TEXT (a variant's ALLOW_REPORT) names a kernel report
that the variant causes on purpose and that is not a failure there: a report
whose message contains TEXT is printed as a "note" line, not counted. E.g.
6.12's memory_failure() counts guest_memfd's delayed recovery of a page
poisoned with MADV_HWPOISON as "Failed"; only the variants that poison pages
allow it, every other report still fails them.

The serial console interleaves kernel messages with the tests' output: a
kernel message can start in the middle of a test's line, and the rest of
that line then follows the message. Every line is first split where its kernel
output starts (a printk timestamp, or the console's "** N printk messages
dropped **"): the kernel part is checked for reports before any other rule
looks at the line, and the test's part is joined with the line that
continues it before the test rules read it.

Prints one line per result and, last, "NAME: N passed, N failed, N skipped".
A test's line ends with its run time when the guest printed it ("harness:
took NAME SECONDS", scripts/guest/init). A failed test's line is followed
by its last lines of output (its "# " lines), so that a failure in CI's log
says which check failed and why.
Exit status 1 when anything failed.
"""
import collections
import re
import sys

# How many of a failed test's own last output lines are printed with it.
OUTPUT_LINES = 30

KTAP = re.compile(r'^(not ok|ok) \d+ selftests: \S+: (\S+)(?:\s+#\s*(\S+)(.*))?$')
DONE = 'harness: done'
DUMP_BEGIN = 'harness: kernel log begin'
DUMP_END = 'harness: kernel log end'
HEADER = re.compile(r'^# selftests: \S+: (\S+)$')
TOOK = re.compile(r'^harness: took (\S+) (\d+\.\d)$')
SUBRESULT = re.compile(r'^# (?:not )?ok \d+\b')
SUBPLAN = re.compile(r'^# 1\.\.(\d+)\b')
SUBSKIP = re.compile(r'^# (?:not )?ok \d+ (.*?)\s*# SKIP\s*(.*)$', re.IGNORECASE)
# Where kernel output starts in a line: its printk timestamp (tests' own
# output never has one), with the caller id if CONFIG_PRINTK_CALLER, or the
# console's "** N printk messages dropped **", which has no timestamp
# (kernel/printk/printk.c, console_prepend_dropped()).
TIMESTAMP = re.compile(r'\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?\s')
KERNEL = re.compile(TIMESTAMP.pattern + r'|\*\* \d+ printk messages dropped \*\*')

# Kernel reports: a kernel message (the part of a line from its timestamp on)
# that matches any of these fails the boot, whatever test was running. The
# message formats are Linux 6.12's.
REPORTS = [re.compile(p) for p in (
    # __warn(), kernel/panic.c: "WARNING: CPU: 1 PID: 77 at FILE:LINE ..."; also
    # lockdep's "WARNING: possible circular locking dependency detected".
    r'WARNING:',
    # "BUG: KASAN: ...", "BUG: unable to handle page fault", "BUG: soft lockup",
    # "BUG: sleeping function called from invalid context", ...
    r'BUG:',
    # BUG() and BUG_ON(): "kernel BUG at FILE:LINE!" (lib/bug.c).
    r'kernel BUG',
    # Oops (arch/x86/kernel/dumpstack.c, arch/arm64/kernel/traps.c).
    r'Oops',
    # panic(), kernel/panic.c: "Kernel panic - not syncing: ...".
    r'Kernel panic',
    # x86 #GP in the kernel (arch/x86/kernel/traps.c).
    r'general protection fault',
    # arm64 kernel faults (arch/arm64/mm/fault.c).
    r'Unable to handle kernel',
    # The sanitizers' reports (mm/kasan/report.c, lib/ubsan.c).
    r'KASAN:',
    r'UBSAN:',
    # lockdep (kernel/locking/lockdep.c).
    r'possible circular locking',
    r'possible recursive locking',
    r'inconsistent lock state',
    r'suspicious RCU usage',
    # RCU CPU stall, another CPU's or task's: "rcu: INFO: rcu_preempt detected
    # stalls on CPUs/tasks:" and "... detected stall, but suppressed full
    # report" (kernel/rcu/tree_stall.h), "INFO: rcu_tasks detected stalls on
    # tasks:" (kernel/rcu/tasks.h).
    r'INFO: \S+ detected stall',
    # RCU CPU stall seen by the stalled CPU itself: "rcu: INFO: rcu_preempt
    # self-detected stall on CPU" (kernel/rcu/tree_stall.h, print_cpu_stall()).
    r'INFO: \S+ self-detected stall',
    # Expedited grace period stall: "rcu: INFO: rcu_preempt detected expedited
    # stalls on CPUs/tasks: {" (kernel/rcu/tree_exp.h).
    r'INFO: \S+ detected expedited stalls',
    # SLUB debug (slub_debug, CONFIG_SLUB_DEBUG_ON): "BUG kmalloc-64 (Not
    # tainted): Right Redzone overwritten", "BUG CACHE (Tainted: G B ): Object
    # already free" (mm/slub.c, __slab_bug(); the taint from print_tainted()).
    r'BUG \S+ \((?:Not tainted|Tainted: [^)]*)\): ',
    # Page poisoning found a free page written to: "pagealloc: memory
    # corruption", "pagealloc: single bit error" (mm/page_poison.c).
    r'pagealloc: (?:memory corruption|single bit error)',
    # Hard lockup: "watchdog: Watchdog detected hard LOCKUP on cpu 1"
    # (kernel/watchdog.c, watchdog_hardlockup_check(); "NMI watchdog: ..."
    # before 6.6), "CPU 1 self-detected hard LOCKUP" (arch/powerpc/kernel/watchdog.c).
    r'hard LOCKUP',
    # Soft lockup: "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [comm:pid]"
    # (kernel/watchdog.c, watchdog_timer_fn()).
    r'soft lockup - CPU#\d+ stuck',
    # Hung task: "INFO: task COMM:PID blocked for more than 120 seconds."
    # (kernel/hung_task.c, check_hung_task()).
    r'INFO: task .+ blocked for more than \d+ seconds',
    # Memory failure that did not recover the page: "Memory failure: 0x1234:
    # recovery action for dirty LRU page: Failed" or "...: Ignored"
    # (mm/memory-failure.c, action_result()). "Recovered" and "Delayed" are
    # its successes: a test that poisons a page on purpose expects Recovered.
    r'Memory failure: \S+: recovery action for .*: (?:Failed|Ignored)',
    # The console could not keep up and lost messages, a report among them
    # perhaps: "** 12 printk messages dropped **" (kernel/printk/printk.c).
    r'\*\* \d+ printk messages dropped \*\*',
)]


def kernel_report(kernel_text):
    """True when a kernel message is one of REPORTS."""
    return any(p.search(kernel_text) for p in REPORTS)


def split_kernel(line):
    """(test part, kernel part or None): the kernel part starts at the
    line's printk timestamp, wherever it is in the line."""
    k = KERNEL.search(line)
    if not k:
        return line, None
    return line[:k.start()], line[k.start():]


def message(kernel_text):
    """A kernel line without its timestamp, as the results name it."""
    return TIMESTAMP.sub('', kernel_text, count=1).strip()


class Log:
    """What the serial log says: the tests' results and the kernel's reports."""

    def __init__(self, wanted=(), allow=()):
        self.got = {}        # test name -> (pass/fail/skip, why)
        self.subskips = {}   # test name -> skipped subtests, as printed
        self.subresults = {}  # test name -> how many subtest results
        self.plans = {}      # test name -> N of its own plan "1..N"
        self.output = {}     # test name -> its last OUTPUT_LINES lines of output
        self.took = {}       # test name -> its run time in seconds, as printed
        self.reports = {}    # kernel line -> its report, in order
        self.current = None  # the test whose output is being read
        self.done = False    # the tests are done
        self.in_dump = False  # between DUMP_BEGIN and DUMP_END
        self.finished = False  # DUMP_END seen: the guest finished
        self.timeout = None
        self.wanted = wanted  # --log=TEXT: kernel messages that must appear
        self.seen = set()     # those of them seen
        self.allow = allow    # --allow=TEXT: reports that are no failure
        self.allowed = {}     # kernel line -> an allowed report, in order

    def kernel_line(self, kernel_text):
        # The same line on the console and in the dump is one report.
        if kernel_report(kernel_text):
            seen = self.allowed if any(a in kernel_text for a in self.allow) else self.reports
            seen.setdefault(kernel_text.strip(), message(kernel_text))
        self.seen.update(t for t in self.wanted if t in kernel_text)

    def test_line(self, line):
        """Reads one line of the tests' output; False when no rule knew it."""
        if self.harness_line(line):
            return True
        if self.in_dump:
            return False
        h = HEADER.match(line)
        if h:
            self.current = h.group(1)
            self.output[self.current] = collections.deque(maxlen=OUTPUT_LINES)
            return True
        if self.current and line.startswith('# '):
            self.output[self.current].append(line[2:])
        if self.current and self.subtest_line(line):
            return True
        m = KTAP.match(line)
        if m:
            status, name, directive, rest = m.groups()
            if status == 'not ok':
                why = (directive or '') + (rest or '')
                self.got[name] = ('fail', why.strip() or 'not ok')
            elif directive and directive.upper() == 'SKIP':
                self.got[name] = ('skip', (rest or '').strip())
            else:
                self.got[name] = ('pass', '')
            self.current = None
            return True
        return False

    def subtest_line(self, line):
        """A line of the current test's own KTAP: its plan or a result."""
        p = SUBPLAN.match(line)
        if p:
            self.plans.setdefault(self.current, int(p.group(1)))
            return True
        if not SUBRESULT.match(line):
            return False
        self.subresults[self.current] = self.subresults.get(self.current, 0) + 1
        sk = SUBSKIP.match(line)
        if sk:
            self.subskips.setdefault(self.current, []).append(' '.join(sk.groups()).strip())
        return True

    def harness_line(self, line):
        """The guest's and boot.sh's own lines that say how far it got."""
        if line.startswith(DONE):
            self.done = True
        elif line.startswith(DUMP_BEGIN):
            self.in_dump = True
        elif line.startswith(DUMP_END):
            self.in_dump, self.finished = False, True
        elif line.startswith('harness: boot TIMEOUT'):
            self.timeout = line[len('harness: '):]
        elif TOOK.match(line):
            name, seconds = TOOK.match(line).groups()
            self.took[name] = seconds
        else:
            return False
        return True

    def joined_line(self, cut, line):
        """A test line that a kernel message cut: CUT is its start, LINE what
        followed the message. When LINE is a whole line of its own, the test
        stopped mid-line (it crashed): the two are read apart."""
        if line and known_line(line):
            self.test_line(cut)
            self.test_line(line)
        else:
            self.test_line(cut + line)


def known_line(line):
    """A line that the runner, a test's KTAP or the harness starts."""
    return (any(r.match(line) for r in (KTAP, HEADER, SUBRESULT, SUBPLAN))
            or line.startswith('harness: '))


def read_log(log_path, wanted=(), allow=()):
    log, cut = Log(wanted, allow), ''
    with open(log_path, errors='replace') as f:
        for raw in f:
            test_text, kernel_text = split_kernel(raw.rstrip('\r\n'))
            if kernel_text is not None:
                # The report check comes first, on every line.
                log.kernel_line(kernel_text)
                cut += test_text
                continue
            if cut:
                log.joined_line(cut, test_text)
                cut = ''
            else:
                log.test_line(test_text)
    if cut:
        log.test_line(cut)
    return log


def not_finished(log):
    if not log.done:
        return 'guest did not finish (crash, panic or hang)'
    return (f'guest did not finish: "{DONE}" but no "{DUMP_END}" (it stopped '
            'while dumping its kernel log, or its rootfs predates the dump: '
            'rebuild it)')


class Expect:
    """One NAME=EXPECT argument: pass, skip, pass-all or pass:skip=A,B."""

    def __init__(self, arg):
        self.name, _, self.text = arg.partition('=')
        want, _, skips = self.text.partition(':skip=')
        self.allowed = skips.split(',') if skips else []
        if self.text in ('pass', 'skip'):
            self.want, self.strict = self.text, False
        elif self.text == 'pass-all' or (want == 'pass' and skips and all(self.allowed)):
            self.want, self.strict = 'pass', True
        else:
            raise ValueError(f'bad expectation "{arg}" (want NAME=pass, pass-all, '
                             'pass:skip=SUBTEST,... or skip)')

    def may_skip(self, subtest):
        """A skipped subtest, as printed, is one that may skip: its text,
        each run of whitespace written "_", starts with an allowed name."""
        text = re.sub(r'\s+', '_', subtest)
        return any(text.startswith(a) for a in self.allowed)


def judge_test(log, exp):
    """(verdict, detail) of one expected test."""
    if exp.name not in log.got:
        return 'fail', ('missing: not run' if log.done
                        else 'missing: no result (guest did not get to it)')
    have, why = log.got[exp.name]
    if have == 'fail':
        return 'fail', 'not ok ' + why
    if have != exp.want:
        return 'fail', (f'expected {exp.want}, got {have}' + (f' ({why})' if why else '')
                        + ': a regression, or update the expectation in variants/')
    if exp.strict:
        plan, results = log.plans.get(exp.name), log.subresults.get(exp.name, 0)
        if plan is None:
            return 'fail', (f'passed, but printed no plan "1..N" of its own: {exp.text} '
                            'cannot tell that all its subtests ran (expect pass)')
        if results != plan:
            return 'fail', f'plan 1..{plan} but {results} results'
        skipped = [s for s in log.subskips.get(exp.name, []) if not exp.may_skip(s)]
        if skipped:
            allowed = f' (may skip: {", ".join(exp.allowed)})' if exp.allowed else ''
            return 'fail', 'passed, but subtests skipped: ' + '; '.join(skipped) + allowed
    return have, why


def judge(log, expected):
    results = []  # (verdict, name, detail), verdict in pass/fail/skip
    for exp in expected:
        verdict, why = judge_test(log, exp)
        results.append((verdict, exp.name, why))
    for name in sorted(set(log.got) - {e.name for e in expected}):
        results.append(('fail', name, 'ran but is not in the expected list'))
    for text in log.wanted:
        if text in log.seen:
            results.append(('pass', 'log', f'"{text}"'))
        else:
            results.append(('fail', 'log', f'"{text}" is not in the kernel log'))
    if not log.finished:
        results.append(('fail', 'boot', log.timeout or not_finished(log)))
    for r in log.reports.values():
        results.append(('fail', 'kernel', r))
    return results


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    log_path, variant = argv[1], argv[2]
    args = argv[3:]
    wanted = [a[len('--log='):] for a in args if a.startswith('--log=')]
    allow = [a[len('--allow='):] for a in args if a.startswith('--allow=')]
    if not all(wanted) or not all(allow):
        sys.stderr.write('read-results: --log= and --allow= need a TEXT (a kernel message)\n')
        return 2
    try:
        expected = [Expect(arg) for arg in args if not arg.startswith(('--log=', '--allow='))]
    except ValueError as e:
        sys.stderr.write(f'read-results: {e}\n')
        return 2
    log = None
    try:
        log = read_log(log_path, wanted, allow)
        results = judge(log, expected)
        for r in log.allowed.values():
            print(f'  note {variant}: allowed kernel report: {r}')
    except OSError as e:
        results = [('fail', 'boot', f'no log: {e.strerror}')]
        results += [('fail', 'log', f'"{t}": no log') for t in wanted]
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    for verdict, name, why in results:
        counts[verdict] += 1
        label = {'pass': 'ok  ', 'skip': 'skip', 'fail': 'FAIL'}[verdict]
        took = f' ({log.took[name]} s)' if log and name in log.took else ''
        print(f'  {label} {variant}: {name}{took}' + (f': {why}' if why else ''))
        if verdict == 'fail' and log and log.output.get(name):
            print(f'  --- {name}: its last lines of output ---')
            for line in log.output[name]:
                print(f'  | {line}')
    print(f"{variant}: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts['fail'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
