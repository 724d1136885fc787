#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-commits.sh: what a maintainer checks before applying the series, so
# that every commit builds and bisection works. For each commit of build/linux
# (base..HEAD, or $RANGE), in order:
#   checkpatch  scripts/checkpatch.pl --strict, no finding allowed but
#               "does MAINTAINERS need updating?" (FILE_PATH_CHANGES: the
#               existing KVM entries cover the new files);
#   ARCH        for each check kernel, a build of the kernel directories the
#               commit touches, virt/ and arch/ARCH/kvm/ always ("-": the commit
#               touches no kernel code, only tools/ or Documentation/);
#   uapi        when the commit touches uapi headers: the kernel's own header
#               test (usr/: every uapi header installed and compiled alone).
# The first commit that fails stops the checks; it is named with its log.
# Then, at the tip (CHECK_TIP=0 skips it): a full build of each check kernel,
# the x86 one with KVM as modules (modpost catches a missing export; arm64 KVM
# can only be built in), and W=1 plus sparse (C=2) over the .c files the
# series touches, at the base and at the tip: a warning the tip has and the
# base has not fails.
# Check kernels (CHECK_ARCHES, default "x86_64 arm64"): the test variants'
# kernels of that name, and at the tip also x86_64 with KVM as modules and the
# SEV code (configs/kvm-modules.config, sev.config: the series touches sev.c,
# which the test kernels don't build). The uapi test has a tiny kernel of its
# own per arch (configs/uapi-test.config).
# CHECK_BUILDS=0 (what make test runs; the builds take 15-25 minutes cold and
# are run before every submission with make check-commits): checkpatch only,
# every commit, no build and nothing at the tip.
# Commits are checked out in a separate worktree, build/check/linux, so that
# build/linux is never touched; objects go to build/check/obj/, laid out like
# build/obj/ so that ccache (relative paths) shares the variants' objects.
. "$(dirname "$0")/lib.sh"
[ $# = 0 ] || die "$(basename "$0") takes no arguments (see --help)"

[ -d "$LINUX/.git" ] || die "no work tree at $LINUX: run 'make tree' first"
need_cmd perl perl
builds=${CHECK_BUILDS:-1}
[ "$builds" = 0 ] || need_cmd sparse sparse
arches=(${CHECK_ARCHES:-x86_64 arm64})
[ "$builds" = 1 ] || arches=()
range=${RANGE:-base..HEAD}
wt=$BUILD/check/linux
logs=$BUILD/check/logs
rm -rf "$logs"
mkdir -p "$logs"
commits=$(git -C "$LINUX" rev-list --reverse "$range") || die "bad RANGE '$range'"
# src: the tree the commits are read (and built) in. checkpatch alone needs
# no checkout: $LINUX itself. The builds use a worktree that belongs to
# build/linux; commits may come from another clone ($LINUX), so they are
# fetched into it first.
src=$LINUX
if [ "$builds" = 1 ]; then
	src=$wt
	[ -d "$wt" ] || git -C "$BUILD/linux" worktree add -q --detach "$wt" base
	git -C "$wt" fetch -q "$LINUX" HEAD
fi

# use_kernel ARCH [FRAGMENTS]: the variant ARCH's kernel (or ARCH with these
# fragments), built from the worktree into build/check/obj/.
use_kernel() {
	load_variant "$1"
	[ -z "${2:-}" ] || FRAGMENTS=$2
	KERNEL_NAME=$ARCH$(printf -- '-%s' $FRAGMENTS)
	KOBJ=$BUILD/check/obj/$KERNEL_NAME LINUX=$wt
}
srcarch() { if [ "$KARCH" = x86_64 ]; then echo x86; else echo "$KARCH"; fi; }
modules_kernel() { use_kernel x86_64 "common x86_64 sw-protected sev kvm-modules"; }

t0=$(date +%s)
[ "$builds" = 0 ] || git -C "$wt" checkout -q --detach base
for a in "${arches[@]}"; do
	(use_kernel "$a"; configure_kernel) || die "cannot configure the $a check kernel"
	(use_kernel "$a" uapi-test; configure_kernel) || die "cannot configure the $a uapi test kernel"
done

# stop N COMMIT WHAT LOG: name the failing commit, show its log, exit 1.
stop() {
	echo "FAIL: commit $1 $(git -C "$LINUX" log -1 --format='%h ("%s")' "$2"): $3"
	[ ! -s "$4" ] || { echo "--- $4 (last lines) ---"; grep -v '^make' "$4" | tail -n 25; }
	echo "checks stopped at commit $1; $(( $(date +%s) - t0 )) s"
	exit 1
}

# checkpatch N COMMIT: the commit's patch through checkpatch, into its log,
# and checkpatch's exit status (0: clean; 1: findings; else it did not run).
# The program comes from a checked-out tree: $src, or build/linux when $src
# is a clone without a checkout.
cp_tree=$src
[ -f "$cp_tree/scripts/checkpatch.pl" ] || cp_tree=$BUILD/linux
checkpatch() {
	local rc=0
	git -C "$src" format-patch -1 --stdout "$2" |
		"$cp_tree/scripts/checkpatch.pl" --strict --ignore FILE_PATH_CHANGES -q --no-summary - \
		>"$logs/$1-checkpatch.log" 2>&1 || rc=$?
	echo "$rc" >"$logs/$1-checkpatch.rc"
}
# Without builds, checkpatch is all the time there is: JOBS commits at once.
if [ "$builds" = 0 ]; then
	n=0
	for c in $commits; do
		n=$((n + 1))
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
		checkpatch "$n" "$c" &
	done
	wait
fi

printf '%-3s %-12s %-58s %-10s' "#" "commit" "subject" "checkpatch"
[ ${#arches[@]} = 0 ] || printf ' %-7s' "${arches[@]}"
[ "$builds" = 0 ] && printf '\n' || printf ' %s\n' uapi
n=0
for c in $commits; do
	n=$((n + 1))
	[ "$builds" = 0 ] || git -C "$wt" checkout -q --detach "$c"
	files=$(git -C "$src" diff-tree --no-commit-id --name-only -r "$c")
	row=$(printf '%-3s %-12s %-58s' "$n" "$(git -C "$src" rev-parse --short=12 "$c")" \
		"$(git -C "$src" log -1 --format=%s "$c" | cut -c1-58)")

	[ "$builds" = 0 ] || checkpatch "$n" "$c"
	found=$(grep -cE '^(ERROR|WARNING|CHECK):' "$logs/$n-checkpatch.log" || true)
	cprc=$(cat "$logs/$n-checkpatch.rc")
	if [ "$cprc" != 0 ] && [ "$found" = 0 ]; then
		printf '%s %-10s\n' "$row" FAIL
		stop "$n" "$c" "checkpatch did not run (exit $cprc)" "$logs/$n-checkpatch.log"
	fi
	if [ "$found" != 0 ]; then
		printf '%s %-10s\n' "$row" "$found"
		stop "$n" "$c" "checkpatch --strict: $found finding(s)" "$logs/$n-checkpatch.log"
	fi
	row+=$(printf ' %-10s' ok)

	kernel=$(grep -vE '^(tools|Documentation)/' <<<"$files" || true)
	generic=$(grep -v '^arch/' <<<"$kernel" || true)
	for a in "${arches[@]}"; do
		# Only the arches whose code the commit touches (all, for generic code).
		if [ -z "$generic" ] && ! (use_kernel "$a"; grep -q "^arch/$(srcarch)/" <<<"$kernel"); then
			row+=$(printf ' %-7s' -)
			continue
		fi
		if ! (
			use_kernel "$a"
			dirs="virt/ arch/$(srcarch)/kvm/"
			for f in $(grep '\.c$' <<<"$kernel" || true); do
				case $f in arch/*) [[ $f == arch/$(srcarch)/* ]] || continue ;; esac
				dirs+=" $(dirname "$f")/"
			done
			kmake -s $(tr ' ' '\n' <<<"$dirs" | sort -u) >"$logs/$n-$a.log" 2>&1
		); then
			printf '%s %-7s\n' "$row" FAIL
			stop "$n" "$c" "the $a build fails" "$logs/$n-$a.log"
		fi
		row+=$(printf ' %-7s' ok)
	done

	if [ "$builds" = 0 ]; then
		:
	elif grep -qE '(^|/)include/uapi/' <<<"$files"; then
		for a in "${arches[@]}"; do
			(use_kernel "$a" uapi-test; kmake -s usr/) >"$logs/$n-uapi-$a.log" 2>&1 || {
				printf '%s %s\n' "$row" FAIL
				stop "$n" "$c" "the uapi headers do not install or compile alone ($a)" "$logs/$n-uapi-$a.log"
			}
		done
		row+=" ok"
	else
		row+=" -"
	fi
	echo "$row"
done
if [ "$builds" = 0 ]; then
	echo "$n commits: checkpatch ok ($(( $(date +%s) - t0 )) s); builds not checked (CHECK_BUILDS=0; make check-commits builds every commit)"
	exit 0
fi
echo "$n commits: checkpatch and builds ok ($(( $(date +%s) - t0 )) s)"
[ "${CHECK_TIP:-1}" = 1 ] || exit 0

# --- at the tip ---------------------------------------------------------------
t1=$(date +%s)
tipk=("${arches[@]}")
[[ " ${arches[*]} " != *" x86_64 "* ]] || tipk+=(modules)
# tip_kernel NAME: use_kernel for an entry of tipk.
tip_kernel() { if [ "$1" = modules ]; then modules_kernel; else use_kernel "$1"; fi; }
for k in "${tipk[@]}"; do
	[ "$k" != modules ] || (modules_kernel; configure_kernel) || die "cannot configure the modules kernel"
	(tip_kernel "$k"; kmake -s) >"$logs/tip-$k.log" 2>&1 ||
		stop "$n" "$c" "the full $k build at the tip fails" "$logs/tip-$k.log"
	case $k in
	modules) echo "tip: full x86_64 build with KVM as modules and SEV: ok (modpost: no missing export)" ;;
	*) echo "tip: full $k build: ok" ;;
	esac
done
echo "tip: full builds ($(( $(date +%s) - t1 )) s)"

t1=$(date +%s)
tip=$(git -C "$wt" rev-parse HEAD)
touched=$(git -C "$wt" diff --name-only "base..$tip" -- '*.c' ':!tools' ':!Documentation' ':!samples')
# warnings LOG: the warnings of a W=1 C=2 build, without line numbers, sorted.
warnings() { grep -E ': (warning|error): ' "$1" | sed -E 's/:[0-9]+:([0-9]+:)? /: /' | sort; }
new_total=0
# W=1 and sparse on x86 in the modules kernel, which also builds sev.c.
# A warning is new when no kernel had it at the base: code the series only
# starts building on one arch (guest_memfd.c on arm64) brings the base's own
# warnings along, and those are not the series'.
wk=("${tipk[@]/x86_64/}")
for rev in base "$tip"; do
	git -C "$wt" checkout -q --detach "$rev"
	for k in ${wk[@]}; do
		# (if, not &&: a last file this kernel doesn't build, e.g.
		# pfncache.c on arm64, must not end the script under set -e)
		objs=$(tip_kernel "$k"; for f in $touched; do if [ -f "$KOBJ/${f%.c}.o" ]; then echo "${f%.c}.o"; fi; done)
		[ "$rev" = base ] || echo "$objs" >"$logs/w1-$k.objs"
		(tip_kernel "$k"; kmake -k W=1 C=2 $objs) >"$logs/w1-$k-${rev:0:7}.log" 2>&1 ||
			[ "$rev" = base ] || stop "$n" "$c" "the W=1 C=2 $k build at the tip fails" "$logs/w1-$k-${rev:0:7}.log"
	done
done
cat "$logs"/w1-*-base.log >"$logs/w1-base.log"
warnings "$logs/w1-base.log" | sort -u >"$logs/w1-base.warnings"
for k in ${wk[@]}; do
	new=$(comm -13 "$logs/w1-base.warnings" <(warnings "$logs/w1-$k-${tip:0:7}.log" | sort -u))
	echo "tip: W=1 + sparse, $k kernel, $(wc -w <"$logs/w1-$k.objs") files ($(tr '\n' ' ' <"$logs/w1-$k.objs")): $(grep -c . <<<"$new") new warning(s)"
	[ -z "$new" ] || { printf '%s\n' "$new" | sed 's/^/  /'; new_total=$((new_total + 1)); }
done
echo "tip: W=1 + sparse ($(( $(date +%s) - t1 )) s)"
[ $new_total = 0 ] || stop "$n" "$c" "new W=1 or sparse warnings (above)" /dev/null
echo "all checks passed: $n commits, $(( $(date +%s) - t0 )) s"
