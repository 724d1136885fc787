#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/run.sh: the harness's own tests. Each check prints "ok - NAME" or
# "not ok - NAME"; the last line is "harness: N passed, N failed, 0 skipped".
# The tree tests need the work tree (make tree) and use a throw-away clone of
# it, so they never touch build/linux or patches/.
. "$(dirname "$0")/lib.sh"
# check NAME CMD...: the command must succeed.
check() { local n=$1; shift; local out; if out=$("$@" 2>&1); then ok "$n"; else notok "$n" "$out"; fi; }

# --- the log reader, fed with sample logs (tests/logs/) -----------------------
reader() { # reader LOG: run read-results.py on a sample, capture output and status
	out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/$1" sample \
		set_memory_region_test=pass guest_memfd_test=skip 2>&1); rc=$?
}
expect_line() { grep -qF -- "$1" <<<"$out"; }

reader pass.log
[ $rc = 0 ] && expect_line "sample: 1 passed, 0 failed, 1 skipped" &&
	! expect_line FAIL && ok "reader: a clean log passes (a test's own 'WARNING' is not the kernel's)" ||
	notok "reader: clean log" "$out"
reader fail.log
[ $rc = 1 ] && expect_line "FAIL sample: set_memory_region_test: not ok" &&
	ok "reader: a failing test fails the run and is named" || notok "reader: failing test" "$out"
reader crash.log
[ $rc = 1 ] && expect_line "set_memory_region_test: not ok exit=139" &&
	expect_line "guest_memfd_test: missing" && expect_line "kernel: Oops" &&
	expect_line "kernel: Kernel panic" && expect_line "boot: guest did not finish" &&
	ok "reader: a crashed test and a kernel panic are caught" || notok "reader: crash" "$out"
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
out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/pass.log" sample set_memory_region_test=pass \
	guest_memfd_test=pass 2>&1); rc=$?
[ $rc = 1 ] && expect_line "guest_memfd_test: expected pass, got skip" &&
	ok "reader: a pass that became a skip is a failure" || notok "reader: pass became skip" "$out"

out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/subskip.log" sample set_memory_region_test=pass \
	guest_memfd_test=pass-all 2>&1); rc=$?
[ $rc = 1 ] && expect_line "guest_memfd_test: passed, but subtests skipped: mappable: hwpoison no CONFIG_MEMORY_FAILURE" &&
	ok "reader: pass-all fails a test that passed with a skipped subtest" || notok "reader: pass-all" "$out"
out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/subskip.log" sample set_memory_region_test=pass \
	guest_memfd_test=pass 2>&1); rc=$?
[ $rc = 0 ] && ok "reader: pass accepts a test that passed with a skipped subtest" || notok "reader: pass" "$out"

# A variant's EXPECT_LOG: a kernel message that must be in the log.
out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/pass.log" sample set_memory_region_test=pass \
	guest_memfd_test=skip "--log=kvm_amd: Nested Virtualization enabled" 2>&1); rc=$?
[ $rc = 0 ] && expect_line 'ok   sample: log: "kvm_amd: Nested Virtualization enabled"' &&
	ok "reader: a kernel message the variant expects is found" || notok "reader: expected log" "$out"
out=$("$TOP/scripts/read-results.py" "$TOP/tests/logs/pass.log" sample set_memory_region_test=pass \
	guest_memfd_test=skip "--log=kvm [1]: Hyp nVHE mode initialized successfully" 2>&1); rc=$?
[ $rc = 1 ] && expect_line 'FAIL sample: log: "kvm [1]: Hyp nVHE mode initialized successfully" is not in the kernel log' &&
	ok "reader: a missing kernel message the variant expects fails the run" ||
	notok "reader: missing expected log" "$out"

# --- the suite's total (sum-results.sh) ------------------------------------------
st=$(mktemp -d)
printf 'ok - a\nharness: 2 passed, 0 failed, 0 skipped\n' > "$st/harness.txt"
# A failing variant: its summary is followed by the guest's last log lines.
printf '  FAIL v1: t: not ok\nv1: 2 passed, 1 failed, 1 skipped\n  --- log ---\n  | not ok 3 selftests: kvm: t\n' > "$st/v1.txt"
printf 'build failed\n' > "$st/v2.txt"
out=$("$TOP/scripts/sum-results.sh" "$st/harness.txt" "$st/v1.txt" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(tail -n 1 <<<"$out")" = "4 passed, 1 failed, 1 skipped" ] &&
	ok "total: a variant's failure counts even with log lines after its summary" ||
	notok "total: failure after summary" "$out"
out=$("$TOP/scripts/sum-results.sh" "$st/harness.txt" "$st/v2.txt" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(tail -n 1 <<<"$out")" = "2 passed, 1 failed, 0 skipped" ] &&
	ok "total: a variant that printed no summary is a failure" || notok "total: no summary" "$out"
rm -rf "$st"

# --- the work tree: apply, refuse, export -------------------------------------
if [ -d "$BUILD/linux/.git" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	git clone -q --shared --branch series "$BUILD/linux" "$tmp/linux"
	git -C "$tmp/linux" checkout -q -B series base
	git -C "$tmp/linux" config user.name "harness test"
	git -C "$tmp/linux" config user.email "harness@localhost"
	export LINUX=$tmp/linux PATCHES=$tmp/patches
	mkdir -p "$PATCHES"

	# A commit that adds a new top-level file and edits one, exported as the series.
	(cd "$LINUX" && echo "harness" > NEWFILE && echo "# harness" >> README &&
		git add -A && git commit -q -m "harness: add NEWFILE" -m "Body." -s)
	check "tree: a new top-level file is committed (Debian's .gitignore trap is gone)" \
		git -C "$LINUX" cat-file -e HEAD:NEWFILE
	"$TOP/scripts/export-series.sh" >/dev/null 2>&1
	cp -r "$PATCHES" "$tmp/first"
	"$TOP/scripts/export-series.sh" >/dev/null 2>&1
	check "export: twice gives byte-identical files" diff -r "$tmp/first" "$PATCHES"
	check "export: the new file is in the exported patch" grep -q '^+++ b/NEWFILE' "$PATCHES/0001-harness-add-NEWFILE.patch"
	subject=$(sed -n '/^Subject:/{N;s/\n / /;p;q}' "$PATCHES/0000-cover-letter.patch")
	check "export: a cover letter with the subject from series/cover-letter.txt" \
		grep -qxF "Subject: [PATCH 0/1] $(head -n 1 "$TOP/series/cover-letter.txt")" <<<"$subject"

	# Amending an exported commit in the tree, then exporting, replaces its patch.
	(cd "$LINUX" && echo "harness amended" > NEWFILE && git commit -q -a --amend --no-edit)
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	[ $rc = 0 ] && grep -q '^+harness amended$' "$PATCHES/0001-harness-add-NEWFILE.patch" &&
		ok "export: a commit amended in the tree replaces its patch" || notok "export: amend" "$out"

	# An unexported commit: make-tree must refuse and keep it.
	(cd "$LINUX" && echo "more" >> NEWFILE && git commit -q -am "harness: unexported work")
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc != 0 ] && grep -qF "harness: unexported work" <<<"$out" &&
		[ "$(git -C "$LINUX" log -1 --format=%s)" = "harness: unexported work" ] &&
		ok "tree: re-running refuses to drop an unexported commit, and names it" ||
		notok "tree: unexported commit" "$out"
	git -C "$LINUX" reset -q --hard HEAD~1

	# Up to date: nothing to do. Then a patch that does not apply, after one that does.
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc = 0 ] && grep -q "up to date" <<<"$out" && ok "tree: up to date with patches/ is a no-op" ||
		notok "tree: up to date" "$out"
	sed 's/^+harness.*$/+harness, changed/' "$PATCHES/0001-harness-add-NEWFILE.patch" > "$PATCHES/0002-harness-broken.patch"
	sed -i 's/^\(Subject: .*\)add NEWFILE/\1broken/' "$PATCHES/0002-harness-broken.patch"
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc != 0 ] && grep -qF "0002-harness-broken.patch does not apply" <<<"$out" &&
		[ "$(git -C "$LINUX" log -1 --format=%s)" = "harness: add NEWFILE" ] &&
		ok "tree: a patch that does not apply stops the run and is named" ||
		notok "tree: patch does not apply" "$out"
	# Exporting now would delete 0002: refused.
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	[ $rc != 0 ] && [ -f "$PATCHES/0002-harness-broken.patch" ] && grep -q "0002-harness-broken.patch" <<<"$out" &&
		ok "export: refuses to delete a patch the tree does not have" || notok "export: refuse" "$out"
else
	notok "tree tests: no work tree at $BUILD/linux (run make tree)"
fi

finish harness
