# SPDX-License-Identifier: GPL-2.0
# Shared by every script: paths, messages, and the arch/variant records.
# Source it; it sets TOP, BUILD and LINUX and stops on the first error.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LINUX=${LINUX:-$BUILD/linux}
PATCHES=${PATCHES:-$TOP/patches}
# The pinned base package (which Debian linux-source-6.12, its sha256).
BASE_CONF=${BASE_CONF:-$TOP/base/linux-source.conf}
# ccache keys contain absolute paths unless told a base directory: without
# this, every clone (CI's included) would rebuild the kernels from scratch.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
JOBS=${JOBS:-$(nproc)}
# The identity make tree gives build/linux when it has none: a placeholder
# that can't certify a Signed-off-by (send-series.sh won't mail it out).
PROJECT_NAME="gmem-mmap developers" PROJECT_EMAIL="gmem-mmap@example.org"

msg() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Every script answers -h/--help with its header comment (the lines after the
# SPDX line, up to the first line that is not a comment), before any work.
case "${1:-}" in
-h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
esac

# need_cmd CMD PACKAGE: one line saying what to install when CMD is missing.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found: install Debian's '$2' (or run 'make deps' as root)"
}

# load_arch ARCH: read arches/ARCH.conf (toolchain, QEMU and image record).
load_arch() {
	local f=$TOP/arches/$1.conf
	[ -r "$f" ] || die "no architecture record $f (known: $(cd "$TOP/arches" && ls | sed 's/\.conf$//' | tr '\n' ' '))"
	# shellcheck disable=SC1090
	. "$f"
}

# Every variant starts from the environment's TCG_THREAD (see scripts/boot.sh).
TCG_THREAD_ENV=${TCG_THREAD-}

# load_variant NAME: read variants/NAME.conf, then its architecture record.
# A variant is one boot: which kernel (ARCH + Kconfig fragments), which boot
# parameters and QEMU options (QEMU_CPU overrides the architecture's CPU model
# under TCG), which tests with which expected results, EXPECT_LOG: kernel
# messages (one per line) that must be in the boot's log, and ALLOW_REPORT:
# kernel reports (one per line) the boot causes on purpose, no failure there.
# VARIANTS_DIR (default variants/) lets a job boot records that make test does
# not run (scripts/bench.sh: bench/boots/).
load_variant() {
	local f=${VARIANTS_DIR:-$TOP/variants}/$1.conf
	[ -r "$f" ] || die "no variant $f (known: $(list_variants | tr '\n' ' '))"
	VARIANT=$1
	CMDLINE_EXTRA=
	QEMU_MACHINE_EXTRA=
	QEMU_EXTRA=
	EXPECT_PARAMS=
	EXPECT_LOG=
	ALLOW_REPORT=
	QEMU_CPU=
	SUITE=
	TCG_THREAD=$TCG_THREAD_ENV
	# shellcheck disable=SC1090
	. "$f"
	# A variant may choose the CPU model (e.g. one without VHE or FWB);
	# otherwise the architecture record's QEMU_CPU holds.
	local cpu=$QEMU_CPU
	load_arch "$ARCH"
	[ -z "$cpu" ] || QEMU_CPU=$cpu
	KERNEL_NAME=$ARCH$(printf -- '-%s' $FRAGMENTS)
	KOBJ=$BUILD/obj/$KERNEL_NAME
}

# variant_arg "$@": a script's one argument, a variant's name: loaded, or a
# one-line error before any work.
variant_arg() {
	[ $# = 1 ] || die "usage: $(basename "$0") VARIANT (one of: $(list_variants | tr '\n' ' ' | sed 's/ $//')); see --help"
	load_variant "$1"
}
list_arches() { (cd "$TOP/arches" && ls -- *.conf | sed 's/\.conf$//'); }
list_variants() { (cd "$TOP/variants" && ls -- *.conf | sed 's/\.conf$//'); }
# list_suite_variants: the variants make test runs, all of them but those
# whose file says SUITE=full (their own kernel build, or a long boot: make
# test-full, FULL=1, runs them too).
list_suite_variants() {
	local v
	for v in $(list_variants); do
		[ "${FULL:-0}" = 1 ] || ! grep -qx 'SUITE=full' "$TOP/variants/$v.conf" || continue
		echo "$v"
	done
}

# variant_test_lines: the loaded variant's TESTS, the one parser of a test
# list: "NAME EXPECT [ARGS...]" a line, blank lines and "#" comments dropped.
# EXPECT is one token, passed to read-results.py as it is.
variant_test_lines() { printf '%s\n' "$TESTS" | awk 'NF && $1 !~ /^#/ { $1 = $1; print }'; }
# variant_tests: the test names of the loaded variant, one per line.
variant_tests() { variant_test_lines | awk '{ print $1 }'; }

# test_file NAME: the one test lookup, for the loaded variant: "KIND FILE",
# where the guest's copy of test NAME comes from. KIND guest: tests/guest/NAME;
# selftest: a KVM selftest of the work tree (FILE: where build-selftests.sh
# builds it); program: built by build-programs.sh.
test_file() {
	local kvm=$LINUX/tools/testing/selftests/kvm out=$BUILD/selftests/$ARCH
	if [ -f "$TOP/tests/guest/$1" ]; then echo "guest $TOP/tests/guest/$1"
	elif [ -f "$kvm/$1.c" ]; then echo "selftest $out/$1"
	elif [ -f "$kvm/$SELFTEST_ARCH/$1.c" ]; then echo "selftest $out/$SELFTEST_ARCH/$1"
	else echo "program $BUILD/programs/$ARCH/$1"; fi
}

# kmake ARGS: make in the kernel tree, out of tree, for the loaded arch.
# Kernel builds take the machine's cores: builds started from several clones
# or shells wait for each other on one lock instead of thrashing.
KBUILD_LOCK=${KBUILD_LOCK:-/tmp/gmem-mmap-kbuild.lock}
kmake() {
	flock "$KBUILD_LOCK" make -C "$LINUX" O="$KOBJ" ARCH="$KARCH" ${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} \
		CC="ccache ${CROSS_COMPILE:-}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

# The stacked series, bottom first. The first, "mmap", is patches/ (cover
# letter text series/cover-letter.txt, version series/version); each later
# one, NAME, is patches/NAME/ (series/NAME/cover-letter.txt and version), and
# applies on top of the ones before it. In the work tree they are one branch,
# "series" (base..HEAD); a branch named after each series but the last marks
# its top commit (make-tree.sh sets it, and rebase.updateRefs keeps it in
# place through git rebase), so series NAME is PREVIOUS..NAME, the last one
# PREVIOUS..HEAD.
STACK=${STACK:-mmap no-direct-map}
stack_first() { set -- $STACK; echo "$1"; }
stack_last() { set -- $STACK; eval echo "\${$#}"; }
# stack_check NAME: a one-line error unless NAME is one of the series.
stack_check() { grep -qw -- "$1" <<<"$STACK" || die "no series '$1' (the series: $STACK)"; }
series_dir() { if [ "$1" = "$(stack_first)" ]; then echo "$PATCHES"; else echo "$PATCHES/$1"; fi; }
series_text_dir() { if [ "$1" = "$(stack_first)" ]; then echo "$TOP/series"; else echo "$TOP/series/$1"; fi; }
# series_top NAME: the work tree's ref at the top of series NAME.
series_top() { if [ "$1" = "$(stack_last)" ]; then echo HEAD; else echo "refs/heads/$1"; fi; }
# series_bottom NAME: where series NAME starts: base, or the previous top.
series_bottom() {
	local s prev=base
	for s in $STACK; do
		[ "$s" != "$1" ] || { echo "$prev"; return; }
		prev=$(series_top "$s")
	done
}
# series_range NAME: series NAME's commits in the work tree, as a git range;
# a one-line error when the tree has no branch for its top, or the tops are
# not in order on the branch.
series_range() {
	local bottom top
	bottom=$(series_bottom "$1") top=$(series_top "$1")
	git -C "$LINUX" rev-parse -q --verify "$top^{commit}" >/dev/null ||
		die "$LINUX has no branch '$1' marking the top of series $1: run 'make tree', or 'git -C $LINUX branch $1 COMMIT'"
	git -C "$LINUX" merge-base --is-ancestor "$bottom" "$top" ||
		die "in $LINUX, ${bottom#refs/heads/} is not an ancestor of ${top#refs/heads/}: the series must be stacked in order ($STACK) on branch series"
	echo "$bottom..$top"
}

# series_patches [NAME]: the patch files of series NAME (default: of every
# series, in stack order), cover letters excluded.
series_patches() {
	local s d
	for s in ${1:-$STACK}; do
		d=$(series_dir "$s")
		[ -d "$d" ] || continue
		find "$d" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-cover-letter.patch' | sort
	done
}

# A patch's identity: its stable patch-id (the diff) plus a hash of its
# author, subject and message as git am would commit them (git mailinfo), so
# that a reworded changelog is a different patch: "ID-MSGHASH".
# email_id: the identity of the one format-patch email on stdin.
email_id() {
	local t pid meta
	t=$(mktemp -d)
	cat >"$t/mail"
	pid=$(git patch-id --stable <"$t/mail" | awk '{ print $1 }')
	meta=$(git mailinfo "$t/msg" "$t/patch" <"$t/mail" | grep -E '^(Author|Email|Subject): ')
	echo "$pid-$({ printf '%s\n' "$meta"; cat "$t/msg"; } | git hash-object --stdin)"
	rm -rf "$t"
}
# commit_id COMMIT: the identity of a commit of the work tree.
commit_id() { git -C "$LINUX" -c diff.noprefix=false format-patch --stdout -1 "$1" | email_id; }

# Identities are cached in the work tree's .git, one "KIND NAME ID" a line: a
# commit's under "c OBJECTNAME", a patch file's under "b BLOBNAME" (both
# name the content, so an entry never goes stale). Without it every check
# of the stack formats and parses each patch again: 12.7 s for 46 commits
# (tree_ids, file_ids and tree_unexported together), 0.8 s with it.
id_cache() { echo "$LINUX/.git/series-id-cache"; }
# cached_ids KIND CMD: for each object name on stdin, its ID, in order; a
# name not in the cache is given to CMD (commit_id, or email_id of a file
# named by "$1") and its ID added.
cached_ids() {
	local kind=$1 cmd=$2 k n key path id cache; cache=$(id_cache)
	local -A ids=()
	if [ -r "$cache" ]; then
		# Only whole entries: a line cut short (a full disk) is no ID.
		while read -r k n id; do
			[[ $id =~ ^[0-9a-f]{40}-[0-9a-f]{40}$ ]] && ids["$k $n"]=$id
		done <"$cache"
	fi
	while read -r key path; do
		id=${ids["$kind $key"]:-}
		if [ -z "$id" ]; then
			id=$($cmd "${path:-$key}")
			echo "$kind $key $id" >>"$cache"
		fi
		echo "$id"
	done
}
file_email_id() { email_id <"$1"; }

# tree_ids: identities of the work tree's commits since the base, in order.
tree_ids() { git -C "$LINUX" rev-list --reverse base..HEAD | cached_ids c commit_id; }

# file_ids: identities of patches/, in order.
file_ids() {
	local files; files=$(series_patches)
	[ -n "$files" ] || return 0
	paste -d' ' <(git -C "$LINUX" hash-object --no-filters --stdin-paths <<<"$files") - <<<"$files" |
		cached_ids b file_email_id
}

# The patch-ids of patches/ as the work tree last saw them (applied by
# make-tree.sh or written by export-series.sh). A patch of patches/ that is
# neither in the tree nor in this list is new to the tree (e.g. from git pull).
seen_ids_file() { echo "$LINUX/.git/series-patch-ids"; }
record_seen_ids() { file_ids > "$(seen_ids_file)"; }

# tree_unexported: the work tree's commits whose patch is not in patches/ and
# was not there when the tree last saw patches/ (a commit whose patch was
# since changed in patches/, e.g. a reworded message from git pull, is the
# older version of it, not unsaved work).
tree_unexported() {
	local ids; ids=$(file_ids; cat "$(seen_ids_file)" 2>/dev/null || true)
	paste -d' ' <(git -C "$LINUX" rev-list --reverse base..HEAD) <(tree_ids) | while read -r c id; do
		grep -qxF -- "$id" <<<"$ids" || git -C "$LINUX" log -1 --format='  %h %s' "$c"
	done
}

# configure_kernel: write $KOBJ/.config for the loaded variant: tinyconfig,
# then its fragments merged with the kernel's merge_config.sh, then
# olddefconfig. Every option a fragment asks for must be in the result ("is
# not set" included; a later fragment overrides an earlier one): one that did
# not survive (a missing dependency, a typo) stops here and is named, so KVM
# can never be dropped silently.
configure_kernel() {
	local f frags=() bad=0 opt want got
	for f in $FRAGMENTS; do
		[ -r "$TOP/configs/$f.config" ] || die "variant $VARIANT: no fragment configs/$f.config"
		frags+=("$TOP/configs/$f.config")
	done
	mkdir -p "$KOBJ"
	# Configured before from the same fragments into this very .config, and
	# no Kconfig file of the tree is newer: nothing to do (tinyconfig, the
	# merge and olddefconfig take 20 s, for each variant sharing a kernel).
	local stamp=$KOBJ/.configured-from
	if [ -f "$stamp" ] && [ -f "$KOBJ/.config" ] &&
		[ "$(cat "${frags[@]}" "$KOBJ/.config" | sha256sum)" = "$(cat "$stamp")" ] &&
		[ -z "$(find "$LINUX" -path "$LINUX/.git" -prune -o -name 'Kconfig*' -newer "$stamp" -print -quit)" ]; then
		msg "$KERNEL_NAME: configured already, from the same fragments"
		return 0
	fi
	rm -f "$stamp"
	kmake -s tinyconfig >/dev/null
	(cd "$LINUX" && ARCH=$KARCH scripts/kconfig/merge_config.sh -m -O "$KOBJ" "$KOBJ/.config" "${frags[@]}" >/dev/null)
	kmake -s olddefconfig >/dev/null
	while read -r opt want; do
		grep -qxF -- "$want" "$KOBJ/.config" && continue
		got=$(grep -E "^$opt=|^# $opt is not set" "$KOBJ/.config" || echo "absent")
		printf 'error: %s asked for "%s", the configuration has "%s"\n' "$KERNEL_NAME" "$want" "$got" >&2
		bad=1
	done < <(cat "${frags[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=n$/ { o = substr($0, 1, index($0, "=") - 1); w[o] = "# " o " is not set"; next }
		/^CONFIG_[A-Za-z0-9_]+=/ { o = substr($0, 1, index($0, "=") - 1); w[o] = $0; next }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { w[$2] = $0 }
		END { for (o in w) print o, w[o] }')
	[ $bad = 0 ] || die "options did not survive olddefconfig (see above): fix configs/ or the dependencies"
	cat "${frags[@]}" "$KOBJ/.config" | sha256sum >"$stamp"
}

# format_series OUTDIR NAME [FORMAT-PATCH ARGS]: series NAME of the work tree
# (series_range NAME) as git format-patch files in OUTDIR, cover letter first
# (its text: series_text_dir/cover-letter.txt, or $COVER; first paragraph
# the subject), with the base-commit trailer (and, for a series stacked on
# another, the prerequisite-patch-id of each commit below it). Dated and
# signed as the series' top commit, without a git version signature, so the
# same commits give the same bytes. export-series.sh and make-outgoing.sh both
# write the series through here.
format_series() {
	local out=$1 name=$2 range top cover br
	shift 2
	cover=${COVER:-$(series_text_dir "$name")/cover-letter.txt}
	[ -r "$cover" ] || die "no cover letter text $cover"
	git -C "$LINUX" symbolic-ref -q --short HEAD | grep -qx series ||
		die "the work tree must be on branch 'series' (the cover letter text is attached to it)"
	range=$(series_range "$name")
	top=${range#*..}
	# format-patch reads the description of the branch at the range's top.
	br=series
	[ "$top" = HEAD ] || br=${top#refs/heads/}
	GIT_COMMITTER_DATE=$(git -C "$LINUX" log -1 --format=%cI "$top") \
	GIT_COMMITTER_NAME=$(git -C "$LINUX" log -1 --format=%an "$top") \
	GIT_COMMITTER_EMAIL=$(git -C "$LINUX" log -1 --format=%ae "$top") \
	git -C "$LINUX" -c "branch.$br.description=$(cat "$cover")" -c diff.noprefix=false \
		-c diff.algorithm=myers -c core.abbrev=12 -c format.signature= -c format.coverLetter=false \
		format-patch -q --no-signature --base=base --cover-letter --cover-from-description=subject \
		--encode-email-headers -o "$out" "$@" "$range"
}
