#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/read-results.sh: the log reader's tests (scripts/read-results.py fed
# with the sample logs in tests/logs/). tests/harness.sh sources it; run alone it
# needs no build/ and prints its own summary line. READER=PATH runs the
# checks against another read-results.py (e.g. an older one, to see which
# checks it fails).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	standalone=1
	. "$(dirname "$0")/lib.sh"
fi
READER=${READER:-$TOP/scripts/read-results.py}

# judge LOG NAME=EXPECT...: run the reader on a sample, capture output and status.
judge() { local log=$1; shift; out=$("$READER" "$TOP/tests/logs/$log" sample "$@" 2>&1); rc=$?; }
# reader LOG: judge with the expectations most samples are written for.
reader() { judge "$1" set_memory_region_test=pass guest_memfd_test=skip; }
expect_line() { grep -qF -- "$1" <<<"$out"; }

reader pass.log
[ $rc = 0 ] && expect_line "sample: 1 passed, 0 failed, 1 skipped" &&
	! expect_line FAIL && ok "reader: a clean log passes (a test's own 'WARNING' is not the kernel's)" ||
	notok "reader: clean log" "$out"
expect_line "ok   sample: set_memory_region_test (12.3 s)" &&
	ok "reader: a test's line ends with its run time, as the guest printed it" ||
	notok "reader: run time" "$out"
reader fail.log
[ $rc = 1 ] && expect_line "FAIL sample: set_memory_region_test: not ok" &&
	ok "reader: a failing test fails the run and is named" || notok "reader: failing test" "$out"
# CI's log is all there is of a failure there: the test's own lines go with it.
[ $rc = 1 ] && expect_line "  | ==== Test Assertion Failure ====" &&
	expect_line "  |   set_memory_region_test.c:123: r == -1 && errno == EFAULT" &&
	! expect_line "  | 1..1" &&
	ok "reader: a failing test's line comes with its last lines of output, and no other test's" ||
	notok "reader: failing test's output" "$out"
reader crash.log
[ $rc = 1 ] && expect_line "set_memory_region_test: not ok exit=139" &&
	expect_line "guest_memfd_test: missing" && expect_line "kernel: Oops" &&
	expect_line "kernel: Kernel panic" && expect_line "boot: guest did not finish" &&
	ok "reader: a crashed test and a kernel panic are caught" || notok "reader: crash" "$out"
# The test died mid-line: what follows the kernel's message is a line of its own.
[ $rc = 1 ] && expect_line "kernel: general protection fault" &&
	ok "reader: a test line cut by a kernel message and never finished does not hide the next" ||
	notok "reader: unfinished test line" "$out"
reader missing.log
[ $rc = 1 ] && expect_line "set_memory_region_test: missing" &&
	ok "reader: a missing test is a failure" || notok "reader: missing test" "$out"
reader warning.log
[ $rc = 1 ] && expect_line "kernel: WARNING: CPU: 1 PID: 77 at virt/kvm/guest_memfd.c" &&
	expect_line "1 passed, 1 failed, 1 skipped" &&
	ok "reader: a kernel WARNING fails a run whose tests all passed" || notok "reader: warning" "$out"
reader timeout.log
[ $rc = 1 ] && expect_line "boot: boot TIMEOUT" && expect_line "guest_memfd_test: missing" &&
	ok "reader: a boot timeout fails and names the test it stopped in" || notok "reader: timeout" "$out"
judge pass.log set_memory_region_test=pass guest_memfd_test=pass
[ $rc = 1 ] && expect_line "guest_memfd_test: expected pass, got skip" &&
	ok "reader: a pass that became a skip is a failure" || notok "reader: pass became skip" "$out"

judge subskip.log set_memory_region_test=pass guest_memfd_test=pass-all
[ $rc = 1 ] && expect_line "guest_memfd_test: passed, but subtests skipped: mappable: hwpoison no CONFIG_MEMORY_FAILURE" &&
	ok "reader: pass-all fails a test that passed with a skipped subtest" || notok "reader: pass-all" "$out"
judge subskip.log set_memory_region_test=pass guest_memfd_test=pass
[ $rc = 0 ] && ok "reader: pass accepts a test that passed with a skipped subtest" || notok "reader: pass" "$out"

# The serial console interleaves kernel messages with test output: a report
# that starts mid-line is caught, and so is the test line it cut. (The
# sample's kernel log dump leaves these reports out, so that only the
# console's lines can show them.)
reader interleave.log
[ $rc = 1 ] && expect_line "kernel: watchdog: BUG: soft lockup - CPU#1 stuck for 22s!" &&
	ok "reader: a report after a subtest's SKIP on the same line is caught" || notok "reader: report after SKIP" "$out"
[ $rc = 1 ] && expect_line "kernel: INFO: task kworker/0:1:12 blocked for more than 120 seconds." &&
	expect_line "skip sample: guest_memfd_test" &&
	ok "reader: a report after the runner's '# SKIP' is caught, and the skip stays a skip" ||
	notok "reader: report after runner SKIP" "$out"
[ $rc = 1 ] && expect_line "kernel: BUG: KASAN: slab-use-after-free" &&
	expect_line "ok   sample: set_memory_region_test" && ! expect_line "kernel: kvm: a kernel message" &&
	ok "reader: a result line cut by kernel messages is joined again" || notok "reader: cut result line" "$out"
[ $rc = 1 ] && expect_line "kernel: ** 3 printk messages dropped **" &&
	! expect_line "no mappable**" &&
	ok "reader: the console's 'messages dropped' mid-line is caught and cuts the line" ||
	notok "reader: dropped mid-line" "$out"

# Each kernel report rule, on a log whose tests all passed (reports.log); the
# same words in a test's own output, and a memory failure that recovered, are
# no report.
reader reports.log
report() { # report NAME LINE: the reader named LINE as a kernel report
	[ $rc = 1 ] && expect_line "FAIL sample: kernel: $2" && ok "reader: report: $1" ||
		notok "reader: report: $1" "$out"
}
report "RCU self-detected stall" "rcu: INFO: rcu_preempt self-detected stall on CPU"
report "RCU expedited stall" "rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: {"
report "SLUB debug, kmalloc cache" "BUG kmalloc-64 (Not tainted): Right Redzone overwritten"
report "SLUB debug, tainted, other cache" "BUG kvm_mmu_page_header (Tainted: G    B             ): Object already free"
report "page poisoning: memory corruption" "pagealloc: memory corruption"
report "page poisoning: single bit error" "pagealloc: single bit error"
report "hard LOCKUP (watchdog.c)" "watchdog: Watchdog detected hard LOCKUP on cpu 1"
report "hard LOCKUP (NMI watchdog)" "NMI watchdog: Watchdog detected hard LOCKUP on cpu 0"
report "memory failure: Failed" "Memory failure: 0x12345: recovery action for dirty LRU page: Failed"
report "memory failure: Ignored" "Memory failure: 0x12346: recovery action for reserved kernel page: Ignored"
report "printk messages dropped" "** 12 printk messages dropped **"
# Reports the reader knew before, whose patterns now follow 6.12's formats.
report "RCU stall" "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:"
report "RCU tasks stall" "INFO: rcu_tasks detected stalls on tasks:"
report "UBSAN" "UBSAN: array-index-out-of-bounds in arch/x86/kvm/mmu/mmu.c:3456:12"
report "BUG_ON" "kernel BUG at mm/filemap.c:1545!"
report "arm64 kernel fault" "Unable to handle kernel paging request at virtual address"
report "hung task" "INFO: task gmem-vmm:88 blocked for more than 122 seconds."
report "soft lockup" "watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [guest_memfd_tes:90]"
[ $rc = 1 ] && ! expect_line "Recovered" && ! expect_line "Delayed" && ! expect_line "a test's own" &&
	! expect_line "the test's, too" && ! expect_line "Disabling watchdog" && expect_line "18 failed" &&
	ok "reader: report: a recovered memory failure and a test's own words are not reports" ||
	notok "reader: report: no false reports" "$out"

# After its tests the guest dumps its kernel log (scripts/guest/init); the
# reader needs the dump's end marker, and a report on the console and in the
# dump counts once.
reader noend.log
[ $rc = 1 ] && expect_line 'boot: guest did not finish: "harness: done" but no "harness: kernel log end"' &&
	ok "reader: a log without the kernel log dump's end marker: the guest did not finish" ||
	notok "reader: no end marker" "$out"
reader dump.log
[ $rc = 1 ] && [ "$(grep -c "kernel: WARNING: CPU: 0 PID: 12 at mm/slub.c:4567" <<<"$out")" = 1 ] &&
	expect_line "kernel: BUG: Bad page state in process kworker/0:2" &&
	expect_line "kernel: ** 1 printk messages dropped **" && expect_line "1 passed, 3 failed, 1 skipped" &&
	ok "reader: a report after the last test, on the console and in the dump, counts once" ||
	notok "reader: dump" "$out"
reader warning.log
[ $rc = 1 ] && [ "$(grep -c "kernel: WARNING" <<<"$out")" = 1 ] &&
	ok "reader: a report during the tests, seen again in the dump, counts once" || notok "reader: dump dedup" "$out"

# pass:skip=A,B: a pass whose skipped subtests are all named (each a prefix of
# the subtest's line as printed, whitespace written "_"); any other skip fails.
judge skips.log set_memory_region_test=pass guest_memfd_test=pass:skip=default_VM:_mappable:_hwpoison,MTE
[ $rc = 0 ] && expect_line "ok   sample: guest_memfd_test" &&
	ok "reader: pass:skip= accepts a pass whose skipped subtests are all named" || notok "reader: pass:skip all named" "$out"
judge skips.log set_memory_region_test=pass guest_memfd_test=pass:skip=MTE
[ $rc = 1 ] && expect_line "guest_memfd_test: passed, but subtests skipped: default VM: mappable: hwpoison: no CONFIG_MEMORY_FAILURE (may skip: MTE)" &&
	! expect_line "skipped: MTE" &&
	ok "reader: pass:skip= fails a skipped subtest it does not name, and names only that one" ||
	notok "reader: pass:skip other skip" "$out"
judge skips.log set_memory_region_test=pass guest_memfd_test=pass:skip=default_VM:_mappable:_hwpoison:_no_CONFIG_MEMORY_FAILURE_and_more,MTE
[ $rc = 1 ] && expect_line "guest_memfd_test: passed, but subtests skipped: default VM: mappable: hwpoison" &&
	ok "reader: pass:skip= names a prefix: a longer name does not match" || notok "reader: pass:skip prefix" "$out"
judge skips.log set_memory_region_test=pass guest_memfd_test=pass:skip=
[ $rc = 2 ] && expect_line 'bad expectation "guest_memfd_test=pass:skip="' &&
	ok "reader: pass:skip= with no name is a usage error" || notok "reader: pass:skip empty" "$out"
judge skips.log set_memory_region_test=pass guest_memfd_test=pass
[ $rc = 0 ] && ok "reader: plain pass still accepts any skipped subtest" || notok "reader: plain pass" "$out"

# pass-all (and pass:skip=) count the test's own results against its plan.
plan() { judge plan.log set_memory_region_test=pass-all gmem-vmm=pass "$@"; }
plan guest_memfd_test=pass-all
[ $rc = 1 ] && expect_line "FAIL sample: guest_memfd_test: plan 1..3 but 2 results" &&
	expect_line "ok   sample: set_memory_region_test" &&
	ok "reader: pass-all fails a test with fewer results than its plan" || notok "reader: plan count" "$out"
plan guest_memfd_test=pass:skip=MTE
[ $rc = 1 ] && expect_line "FAIL sample: guest_memfd_test: plan 1..3 but 2 results" &&
	ok "reader: pass:skip= checks the plan too" || notok "reader: pass:skip plan" "$out"
plan guest_memfd_test=pass
[ $rc = 0 ] && ok "reader: plain pass does not count against the plan" || notok "reader: pass, no plan check" "$out"
judge plan.log set_memory_region_test=pass guest_memfd_test=pass gmem-vmm=pass-all
[ $rc = 1 ] && expect_line "FAIL sample: gmem-vmm: passed, but printed no plan" &&
	ok "reader: pass-all fails a test that printed no plan of its own" || notok "reader: pass-all, no plan" "$out"

# --log=TEXT (a variant's EXPECT_LOG): a kernel message that must be in the
# log, found in a kernel message only, never in a test's own output.
judge pass.log set_memory_region_test=pass guest_memfd_test=skip "--log=kvm_amd: Nested Virtualization enabled"
[ $rc = 0 ] && expect_line 'ok   sample: log: "kvm_amd: Nested Virtualization enabled"' &&
	expect_line "sample: 2 passed, 0 failed, 1 skipped" &&
	ok "reader: a kernel message the variant expects is found" || notok "reader: expected log" "$out"
judge pass.log set_memory_region_test=pass guest_memfd_test=skip "--log=kvm [1]: Hyp nVHE mode initialized successfully"
[ $rc = 1 ] && expect_line 'FAIL sample: log: "kvm [1]: Hyp nVHE mode initialized successfully" is not in the kernel log' &&
	ok "reader: a missing kernel message the variant expects fails the run" ||
	notok "reader: missing expected log" "$out"
judge pass.log set_memory_region_test=pass guest_memfd_test=skip "--log=this line is a test's own output"
[ $rc = 1 ] && expect_line "FAIL sample: log: \"this line is a test's own output\" is not in the kernel log" &&
	ok "reader: a test's own output is not the kernel message the variant expects" ||
	notok "reader: expected log in test output" "$out"
judge dump.log set_memory_region_test=pass guest_memfd_test=skip "--log=BUG: Bad page state in process kworker/0:2"
[ $rc = 1 ] && expect_line 'ok   sample: log: "BUG: Bad page state in process kworker/0:2"' &&
	ok "reader: a kernel message the variant expects counts in the kernel log dump too" ||
	notok "reader: expected log in dump" "$out"
judge pass.log set_memory_region_test=pass guest_memfd_test=skip "--log="
[ $rc = 2 ] && expect_line "read-results: --log= and --allow= need a TEXT" &&
	ok "reader: --log= with no text is a usage error" || notok "reader: empty --log" "$out"

# --allow=TEXT (a variant's ALLOW_REPORT): that report is a note, not a
# failure; every other report still fails the boot.
judge dump.log set_memory_region_test=pass guest_memfd_test=skip "--allow=BUG: Bad page state in process kworker/0:2"
[ $rc = 1 ] && expect_line "note sample: allowed kernel report: BUG: Bad page state in process kworker/0:2  pfn:12345" &&
	! grep -q "FAIL sample: kernel: BUG: Bad page state" <<<"$out" &&
	expect_line "sample: 1 passed, 2 failed, 1 skipped" &&
	ok "reader: a kernel report the variant allows is a note, not a failure" ||
	notok "reader: allowed report" "$out"
judge reports.log "--allow=recovery action for dirty LRU page: Failed"
[ $rc = 1 ] && expect_line "note sample: allowed kernel report: Memory failure: 0x12345: recovery action for dirty LRU page: Failed" &&
	expect_line "FAIL sample: kernel: Memory failure: 0x12346: recovery action for reserved kernel page: Ignored" &&
	ok "reader: an allowed report does not allow the others" || notok "reader: allowed report, others" "$out"
judge pass.log set_memory_region_test=pass guest_memfd_test=skip "--allow="
[ $rc = 2 ] && expect_line "read-results: --log= and --allow= need a TEXT" &&
	ok "reader: --allow= with no text is a usage error" || notok "reader: empty --allow" "$out"

[ -z "${standalone:-}" ] || finish reader
