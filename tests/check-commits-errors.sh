#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/check-commits-errors.sh: check-commits.sh stops at a bad commit and names it.
# Runs after check-commits.sh (it reuses its worktree and warm objects) on
# commits made on top of the series in a throw-away clone of the work tree,
# without a checkout (plumbing only), so it takes seconds, not minutes:
#   - a patch with a whitespace error after a clean one: checkpatch (make
#     test's mode, CHECK_BUILDS=0, commits checked in parallel) stops the
#     checks at it;
#   - a commit that breaks the build in the middle of two: the build stops
#     at it, and the commit after it is never checked.
# (A patch of patches/ that does not apply is make-tree.sh's to name: see
# tests/harness.sh.) Prints "ok - NAME" lines and "commit-checks: N passed, ...".
. "$(dirname "$0")/lib.sh"

[ -d "$BUILD/linux/.git" ] || { notok "commit-checks: no work tree at $BUILD/linux (run make tree)"; finish commit-checks; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --shared --no-checkout --branch series "$BUILD/linux" "$tmp/linux"
export LINUX=$tmp/linux
export GIT_AUTHOR_NAME="harness test" GIT_AUTHOR_EMAIL=harness@localhost
export GIT_COMMITTER_NAME="harness test" GIT_COMMITTER_EMAIL=harness@localhost

# commit_edit SUBJECT FILE SED-EXPR: a commit on HEAD that edits FILE with sed,
# through an index of its own (not exported: check-commits.sh's git must not
# see it).
commit_edit() {
	local blob tree GIT_INDEX_FILE=$tmp/index
	export GIT_INDEX_FILE
	git -C "$LINUX" read-tree HEAD
	blob=$(git -C "$LINUX" show "HEAD:$2" | sed "$3" | git -C "$LINUX" hash-object -w --stdin)
	git -C "$LINUX" update-index --cacheinfo "100644,$blob,$2"
	tree=$(git -C "$LINUX" write-tree)
	git -C "$LINUX" update-ref HEAD "$(printf '%s\n\n%s\n\nSigned-off-by: harness test <harness@localhost>\n' \
		"$1" "A commit made by tests/check-commits-errors.sh." | git -C "$LINUX" commit-tree "$tree" -p HEAD)"
}
check() { CHECK_BUILDS=1 CHECK_TIP=0 CHECK_ARCHES=x86_64 RANGE=$1 "$TOP/scripts/check-commits.sh" 2>&1; }
f=virt/kvm/guest_memfd.c
tip=$(git -C "$LINUX" rev-parse HEAD)

# make test's mode: checkpatch alone, JOBS commits at once; the finding must
# be reported against its own commit, the second.
commit_edit "KVM: guest_memfd: harness clean comment" "$f" '0,/^#include/s//\/* harness *\/\n#include/'
commit_edit "KVM: guest_memfd: harness whitespace error" "$f" '0,/^#include/s//\/* harness *\/ \n#include/'
out=$(CHECK_BUILDS=0 RANGE=HEAD~2..HEAD "$TOP/scripts/check-commits.sh" 2>&1); rc=$?
[ $rc != 0 ] && grep -q '^FAIL: commit 2 .*harness whitespace error.*checkpatch' <<<"$out" &&
	grep -q 'trailing whitespace' <<<"$out" && grep -q '^1 .*harness clean comment *ok' <<<"$out" &&
	ok "a patch with a whitespace error stops the checks at checkpatch and is named (checkpatch only, in parallel)" ||
	notok "whitespace error" "$out"

git -C "$LINUX" update-ref HEAD "$tip"
commit_edit "KVM: guest_memfd: harness build break" "$f" \
	'0,/^static inline void kvm_gmem_mark_prepared/s//static int harness_breaks(void) { return harness_undefined(); }\n&/'
commit_edit "KVM: guest_memfd: harness after the break" "$f" '0,/^#include/s//\/* harness *\/\n#include/'
out=$(check HEAD~2..HEAD); rc=$?
[ $rc != 0 ] && grep -q '^FAIL: commit 1 .*harness build break.*x86_64 build fails' <<<"$out" &&
	grep -q 'harness_undefined' <<<"$out" && ! grep -q 'harness after the break' <<<"$out" &&
	ok "a commit that breaks the build stops the checks there and is named; later commits are not checked" ||
	notok "build break" "$out"
finish commit-checks
