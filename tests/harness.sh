#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/harness.sh: the harness's own tests. Each check prints "ok - NAME" or
# "not ok - NAME"; the last line is "harness: N passed, N failed, 0 skipped".
# The tree tests need the work tree (make tree) and use a throw-away clone of
# it, so they never touch build/linux or patches/.
. "$(dirname "$0")/lib.sh"
# check NAME CMD...: the command must succeed.
check() { local n=$1; shift; local out; if out=$("$@" 2>&1); then ok "$n"; else notok "$n" "$out"; fi; }

# --- the log reader, fed with sample logs (tests/logs/) -----------------------
. "$TOP/tests/read-results.sh"

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
	# The real tree's outgoing/vN tags are not the scratch tree's.
	git -C "$tmp/linux" tag -l 'outgoing/*' | xargs -r git -C "$tmp/linux" tag -d >/dev/null
	git -C "$tmp/linux" config user.name "harness test"
	git -C "$tmp/linux" config user.email "harness@localhost"
	# One series here (the stack: its own section below).
	export LINUX=$tmp/linux PATCHES=$tmp/patches STACK=mmap
	# No background "git gc --auto" in the scratch trees: it would race
	# with their removal.
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0
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
	rm -f "$PATCHES/0002-harness-broken.patch"

	# Messages count: a reworded changelog that arrives in patches/ (git
	# pull) is applied by make tree, and make export writes it.
	p1=$PATCHES/0001-harness-add-NEWFILE.patch
	sed -i 's/^Body\.$/Body, reworded in patches./' "$p1"
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc = 0 ] && ! grep -q "up to date" <<<"$out" &&
		[ "$(git -C "$LINUX" log -1 --format=%b | head -n 1)" = "Body, reworded in patches." ] &&
		ok "tree: a body reworded in patches/ is applied (not 'up to date')" || notok "tree: reworded body" "$out"
	sed -i 's/^\(Subject: .*\)add NEWFILE$/\1add NEWFILE, reworded/' "$p1"
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc = 0 ] && [ "$(git -C "$LINUX" log -1 --format=%s)" = "harness: add NEWFILE, reworded" ] &&
		ok "tree: a subject reworded in patches/ is applied" || notok "tree: reworded subject" "$out"
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	p1=$PATCHES/0001-harness-add-NEWFILE-reworded.patch
	[ $rc = 0 ] && [ -f "$p1" ] && grep -qx "Body, reworded in patches." "$p1" &&
		[ "$(ls "$PATCHES" | wc -l)" = 2 ] &&
		ok "export: writes the reworded subject and body" || notok "export: reworded" "$out$(ls "$PATCHES")"
	(cd "$LINUX" && git commit -q --amend -m "harness: add NEWFILE, again" -m "Body, reworded in the tree.")
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc != 0 ] && grep -qF "harness: add NEWFILE, again" <<<"$out" &&
		ok "tree: a message reworded in the tree and not exported is refused, not dropped" ||
		notok "tree: unexported reworded message" "$out"
	"$TOP/scripts/export-series.sh" >/dev/null 2>&1
	grep -qx "Body, reworded in the tree." "$PATCHES/0001-harness-add-NEWFILE-again.patch" &&
		ok "export: a message reworded in the tree is written to patches/" || notok "export: tree reword" "$(ls "$PATCHES")"

	# The identities' cache (lib.sh, cached_ids): a cut-short entry is not
	# trusted, and a cached identity is what computing it again gives.
	ids=$(bash -c '. "$1/scripts/lib.sh"; tree_ids; file_ids' _ "$TOP")
	head=$(git -C "$LINUX" rev-parse HEAD)
	sed -i "/^c $head /d" "$LINUX/.git/series-id-cache"
	echo "c $head 1234" >>"$LINUX/.git/series-id-cache"
	again=$(bash -c '. "$1/scripts/lib.sh"; tree_ids; file_ids' _ "$TOP")
	fresh=$(rm -f "$LINUX/.git/series-id-cache"; bash -c '. "$1/scripts/lib.sh"; tree_ids; file_ids' _ "$TOP")
	[ -n "$ids" ] && [ "$ids" = "$again" ] && [ "$ids" = "$fresh" ] && [ "$(wc -l <<<"$ids")" = 2 ] &&
		ok "ids: the cached identities are the computed ones, and a cut-short entry is not used" ||
		notok "ids: cache" "$ids / $again / $fresh"

	# A new base: the old tree is moved aside, named by its base (never
	# over an existing path), with its branches; outgoing/vN tags carry over.
	# (The base tag is made to name another version: the real tarball is
	# then unpacked into a new tree, about a minute.)
	git -C "$LINUX" tag outgoing/v1 HEAD
	git -C "$LINUX" branch harness-work HEAD
	git -C "$LINUX" tag -f -a -m "base: linux-source-6.12 6.12.1-1~old" base "base^{commit}" >/dev/null
	mkdir "$LINUX.6.12.1-1~old" && echo mine > "$LINUX.6.12.1-1~old/mine"
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	aside=$LINUX.6.12.1-1~old.1
	[ $rc = 0 ] && [ "$(cat "$LINUX.6.12.1-1~old/mine" 2>/dev/null)" = mine ] &&
		git -C "$aside" rev-parse -q --verify refs/heads/harness-work >/dev/null &&
		grep -qF "$aside" <<<"$out" &&
		ok "tree: a new base moves the old tree aside, named by its base, never over an existing path" ||
		notok "tree: new base keeps the old tree" "$out"
	[ $rc = 0 ] && git -C "$LINUX" tag -l --format='%(contents:subject)' base | grep -qv '6.12.1-1~old' &&
		[ "$(git -C "$LINUX" rev-parse outgoing/v1^{tree} 2>/dev/null)" = "$(git -C "$aside" rev-parse outgoing/v1^{tree})" ] &&
		[ "$(git -C "$LINUX" log -1 --format=%s)" = "harness: add NEWFILE, again" ] &&
		ok "tree: outgoing/vN tags survive a new base, and patches/ is applied on it" ||
		notok "tree: tags survive a new base" "$out"

	# Two stacked series: make tree marks the first one's top with a branch,
	# export splits base..HEAD there, and git rebase (--autosquash) keeps
	# the mark in place.
	export LINUX=$tmp/stack PATCHES=$tmp/spatches STACK="mmap top" COVER=$TOP/series/cover-letter.txt
	git clone -q --shared --branch series "$BUILD/linux" "$LINUX"
	git -C "$LINUX" checkout -q -B series base
	git -C "$LINUX" tag -l 'outgoing/*' | xargs -r git -C "$LINUX" tag -d >/dev/null
	git -C "$LINUX" config user.name "harness test"
	git -C "$LINUX" config user.email "harness@localhost"
	for f in one two three; do
		(cd "$LINUX" && echo "$f" > "STACK-$f" && git add -A && git commit -q -m "stack: add $f" -s)
		[ $f != two ] || git -C "$LINUX" branch -q mmap HEAD
	done
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	[ $rc = 0 ] && [ "$(ls "$PATCHES"/000[1-9]-*.patch | wc -l)" = 2 ] &&
		[ "$(ls "$PATCHES/top"/000[1-9]-*.patch)" = "$PATCHES/top/0001-stack-add-three.patch" ] &&
		[ "$(grep -c '^prerequisite-patch-id: ' "$PATCHES/top/0000-cover-letter.patch")" = 2 ] &&
		grep -q '^Subject: \[PATCH 0/1\]' "$PATCHES/top/0000-cover-letter.patch" &&
		ok "stack: export writes base..mmap to patches/ and mmap..HEAD to patches/top/, with prerequisite-patch-ids" ||
		notok "stack: export" "$out$(find "$PATCHES")"
	git -C "$LINUX" checkout -q -B series base
	git -C "$LINUX" branch -q -D mmap
	out=$("$TOP/scripts/make-tree.sh" 2>&1); rc=$?
	[ $rc = 0 ] && [ "$(git -C "$LINUX" log -1 --format=%s mmap 2>/dev/null)" = "stack: add two" ] &&
		[ "$(git -C "$LINUX" log -1 --format=%s)" = "stack: add three" ] &&
		[ "$(git -C "$LINUX" config rebase.updateRefs)" = true ] &&
		ok "stack: make tree applies both series in order and marks the first one's top (branch mmap)" ||
		notok "stack: make tree" "$out"
	(cd "$LINUX" && echo "one, fixed" > STACK-one && git commit -q -a --fixup=HEAD~2 &&
		echo "four" > STACK-four && git add -A && git commit -q -m "stack: add four" -s &&
		GIT_SEQUENCE_EDITOR=true git rebase -q -i --autosquash base) >/dev/null 2>&1
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	[ $rc = 0 ] && [ "$(git -C "$LINUX" log -1 --format=%s mmap)" = "stack: add two" ] &&
		grep -q '^+one, fixed$' "$PATCHES/0001-stack-add-one.patch" &&
		[ "$(ls "$PATCHES"/000[1-9]-*.patch | wc -l)" = 2 ] &&
		[ "$(cd "$PATCHES/top" && ls 000[1-9]-*.patch | tr '\n' ' ')" = "0001-stack-add-three.patch 0002-stack-add-four.patch " ] &&
		ok "stack: a fixup squashed into the first series stays there, a new commit on top joins the last" ||
		notok "stack: rebase and export" "$out$(git -C "$LINUX" log --oneline --decorate base..HEAD)"
	git -C "$LINUX" branch -q -D mmap
	out=$("$TOP/scripts/export-series.sh" 2>&1); rc=$?
	[ $rc != 0 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "no branch 'mmap'.*make tree" <<<"$out" &&
		[ -f "$PATCHES/top/0002-stack-add-four.patch" ] &&
		ok "stack: export without the mark is one line that says to run make tree, and deletes nothing" ||
		notok "stack: no mark" "$out"
	export LINUX=$tmp/linux PATCHES=$tmp/patches STACK=mmap
	unset COVER

	# make run with a kernel that does not build (its compiler fails): the
	# report says so and names no image or boot log that does not exist.
	rb=$tmp/run-build
	out=$(BUILD=$rb KBUILD_LOCK=$tmp/lock KBUILD_EXTRA="CC=false" ARCH=x86_64 \
		"$TOP/scripts/main-job.sh" 2>&1); rc=$?
	[ $rc != 0 ] && grep -q '^error: build failed: kernel ' <<<"$out" &&
		grep -qx 'kernel:  none: the build failed (see above)' <<<"$out" &&
		grep -qx 'log:     none (no boot)' <<<"$out" && grep -qx 'RESULT: FAIL.*' <<<"$out" &&
		! grep -q "$rb/obj/.*/bzImage\|$rb/logs/x86_64.log" <<<"$out" &&
		ok "make run: a failed kernel build says 'build failed', and the report names no missing image or log" ||
		notok "make run: failed build report" "$out"

	# That kernel was configured: configuring it again is skipped (the same
	# fragments into the same .config, no Kconfig file newer), and a .config
	# edited by hand is configured anew from the variant's fragments.
	conf() {
		BUILD=$rb KBUILD_LOCK=$tmp/lock bash -c \
			'. "$1/scripts/lib.sh"; load_variant x86_64; configure_kernel && echo "$KOBJ/.config"' _ "$TOP"
	}
	cfg=$(conf 2>&1 | tail -n 1)
	m1=$(stat -c %y "$cfg" 2>&1)
	cfg2=$(conf 2>&1 | tail -n 1)
	[ "$cfg2" = "$cfg" ] && [ "$(stat -c %y "$cfg")" = "$m1" ] &&
		ok "configure: a kernel configured before from the same fragments is not configured again" ||
		notok "configure: skip" "$cfg $m1 / $cfg2"
	echo '# CONFIG_KVM is not set' >>"$cfg"
	cfg2=$(conf 2>&1 | tail -n 1)
	[ "$cfg2" = "$cfg" ] && grep -qx 'CONFIG_KVM=y' "$cfg" && ! grep -qx '# CONFIG_KVM is not set' "$cfg" &&
		ok "configure: a .config edited by hand is configured again from the fragments" ||
		notok "configure: edited .config" "$cfg2"
else
	notok "tree tests: no work tree at $BUILD/linux (run make tree)"
fi

# --- make test and make test-full: which variants, how many kernels ------------
# make test (CI's job, within its time) builds at most two kernels, each
# booted by several variants; the variants marked SUITE=full are make
# test-full's only, and make test-full runs every variant.
suite=$(bash -c '. "$1/scripts/lib.sh"; for v in $(list_suite_variants); do load_variant "$v"; echo "$v $KERNEL_NAME"; done' _ "$TOP" 2>&1)
full=$(FULL=1 bash -c '. "$1/scripts/lib.sh"; list_suite_variants' _ "$TOP" 2>&1)
marked=$(grep -lx 'SUITE=full' "$TOP"/variants/*.conf | sed 's|.*/||; s|\.conf$||')
kernels=$(awk '{ print $2 }' <<<"$suite" | sort -u | wc -l)
[ "$full" = "$(cd "$TOP/variants" && ls -- *.conf | sed 's/\.conf$//')" ] && [ "$kernels" -le 2 ] &&
	grep -q '^x86_64 ' <<<"$suite" && grep -q '^arm64 ' <<<"$suite" &&
	[ -n "$marked" ] && ! grep -qxF -f <(printf '%s\n' "$marked") <(awk '{ print $1 }' <<<"$suite") &&
	ok "suites: make test boots $kernels kernels ($(wc -l <<<"$suite") variants), make test-full every variant" ||
	notok "suites" "$suite
full: $full
marked: $marked"

# --- clear errors at once -------------------------------------------------------
e=$(mktemp -d)
chmod 755 "$e"
# one_line NAME OUT: OUT is one error line (make's own lines aside: its
# directory lines and its "*** [Makefile:N: target] Error 1").
one_line() {
	local lines; lines=$(grep -v -e '^make\(\[[0-9]*\]\)\?: \(Entering\|Leaving\) directory' \
		-e '^make\(\[[0-9]*\]\)\?: \*\*\* \[.*\] Error [0-9]*$' <<<"$2")
	[ "$(grep -c . <<<"$lines")" = 1 ] && grep -q 'error\|\*\*\*' <<<"$lines"
}
# quick SECONDS CMD...: run CMD with an empty build directory and no work
# tree; its output in $out, its status in $rc, over after SECONDS.
quick() {
	local s=$1; shift
	out=$(cd "$TOP" && BUILD=$e/build LINUX=$e/build/linux timeout -k 5 "$s" "$@" 2>&1); rc=$?
}
bad=
for s in "$TOP"/scripts/*.sh "$TOP"/tests/pristine.sh; do
	[ -x "$s" ] && [ "$s" != "$TOP/scripts/lib.sh" ] || continue
	quick 10 "$s" --help
	[ $rc = 0 ] && [ -n "$out" ] && [ ! -e "$e/build" ] || bad+=" ${s#"$TOP"/}($rc)"
done
[ -z "$bad" ] && ok "every script answers --help at once, and does nothing else" ||
	notok "--help" "these did not answer --help (status):$bad"
bad=
for s in boot build-kernel build-programs build-selftests make-rootfs run-variant; do
	quick 10 "scripts/$s.sh"
	one_line "$s" "$out" && [ $rc != 0 ] && grep -q 'usage:' <<<"$out" || bad+=" $s($rc: $out)"
	quick 10 "scripts/$s.sh" no-such-variant
	one_line "$s" "$out" && [ $rc != 0 ] && grep -q 'x86_64-shadow' <<<"$out" || bad+=" $s($rc: $out)"
done
[ -z "$bad" ] && ok "a variant's script without a variant, or with a wrong one: one line naming the variants" ||
	notok "variant arguments" "$bad"
TCG_THREAD=bogus quick 10 scripts/boot.sh x86_64
[ $rc != 0 ] && one_line boot "$out" && grep -q "TCG_THREAD must be single or multi, not 'bogus'" <<<"$out" &&
	ok "TCG_THREAD=bogus: one line naming the two values, before anything runs" || notok "TCG_THREAD=bogus" "$rc: $out"
quick 10 make -s send
[ $rc != 0 ] && one_line send "$out" && grep -q "make outgoing" <<<"$out" &&
	ok "make send before make outgoing: one line saying to run make outgoing" || notok "make send first" "$rc: $out"
quick 10 make -s run ARCH=bogus
[ $rc != 0 ] && [ $rc != 124 ] && one_line run "$out" && grep -q 'x86_64' <<<"$out" && grep -q 'arm64' <<<"$out" &&
	[ ! -e "$e/build/linux" ] &&
	ok "make run ARCH=bogus: one line naming the architectures, at once" || notok "ARCH=bogus" "$rc: $out"
quick 10 make -s test VARIANTS=typo
[ $rc != 0 ] && [ $rc != 124 ] && one_line test "$out" && grep -q 'typo' <<<"$out" && grep -q 'x86_64-shadow' <<<"$out" &&
	[ ! -e "$e/build" ] &&
	ok "make test VARIANTS=typo: one line naming the variants, before anything runs" || notok "VARIANTS=typo" "$rc: $out"
quick 20 make -s -C bench OUT="$e/bench"
[ $rc != 0 ] && one_line bench "$out" && grep -q 'KHDR' <<<"$out" &&
	ok "make -C bench without KHDR: one line about KHDR" || notok "bench KHDR" "$rc: $out"
# Not root: one line with every missing package, the pinned base included.
sed 's/^BASE_VERSION=.*/BASE_VERSION=0.0-harness/' "$TOP/base/linux-source.conf" >"$e/base.conf"
printf 'build: git gmem-harness-missing-a
x86_64: gmem-harness-missing-b
' >"$e/packages.list"
chmod 644 "$e/base.conf" "$e/packages.list"
out=$(HOME=/ BASE_CONF=$e/base.conf PACKAGE_LIST=$e/packages.list \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TOP/scripts/install-deps.sh" 2>&1); rc=$?
[ $rc != 0 ] && one_line deps "$out" && grep -q 'gmem-harness-missing-a gmem-harness-missing-b linux-source-6.12=0.0-harness' <<<"$out" &&
	grep -q 'apt-get install gmem-harness-missing-a gmem-harness-missing-b linux-source-6.12=0.0-harness' <<<"$out" &&
	ok "not root: one line with every missing package (linux-source-6.12 too) and the apt-get command" ||
	notok "non-root missing packages" "$rc: $out"
# A kernel that does not build: a fake kernel tree whose build fails.
mkdir -p "$e/fake/scripts/kconfig"
printf '%s\n' 'tinyconfig olddefconfig:' '	@mkdir -p $(O) && touch $(O)/.config' \
	'%:' '	@echo "fake.c:1: error: this kernel does not build"; exit 2' >"$e/fake/Makefile"
printf '#!/bin/sh\n# merge_config.sh -m -O DIR BASE FRAGMENT...\nd=$3; shift 4; cat "$@" >>"$d/.config"\n' \
	>"$e/fake/scripts/kconfig/merge_config.sh"
chmod +x "$e/fake/scripts/kconfig/merge_config.sh"
out=$(BUILD=$e/kb LINUX=$e/fake KBUILD_LOCK=$e/lock "$TOP/scripts/build-kernel.sh" x86_64 2>&1); rc=$?
klog=$(sed -n 's/.*build failed.*the whole log is \(.*\)$/\1/p' <<<"$out")
[ $rc != 0 ] && [ -n "$klog" ] && grep -q 'this kernel does not build' "$klog" &&
	ok "a kernel that does not build: 'build failed' and the log, which exists" || notok "build failed" "$rc: $out"
rm -rf "$e"

finish harness
