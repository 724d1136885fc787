#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-commits.sh [VARIANT...]: build every commit of the series (base..HEAD
# of build/linux), one by one, for the kernels of the given variants (default:
# x86_64 and arm64), and run checkpatch --strict on each. Only the directories
# a KVM change can break are built per commit (virt/, arch/ARCH/kvm/); the tip
# is built whole by the variants themselves. Each commit is checked out in a
# separate git worktree (build/check), so build/linux is never touched.
# Prints one line per commit and exits 1 if any commit failed.
. "$(dirname "$0")/lib.sh"

variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(x86_64 arm64)
[ -d "$LINUX/.git" ] || die "no work tree at $LINUX: run 'make tree' first"
need_cmd perl perl

wt=$BUILD/check
if [ ! -d "$wt" ]; then
	git -C "$LINUX" worktree add -q --detach "$wt" base
fi

# Configure each variant's kernel once in its own object directory.
for v in "${variants[@]}"; do
	(
		load_variant "$v"
		LINUX=$wt KOBJ=$BUILD/obj/check-$KERNEL_NAME
		configure_kernel >/dev/null
	)
done

fail=0
printf '%-4s %-66s %s\n' "#" "commit" "result"
n=0
for c in $(git -C "$LINUX" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	git -C "$wt" checkout -q --detach "$c"
	subject=$(git -C "$wt" log -1 --format=%s | cut -c1-66)
	result=""
	cp=$(git -C "$wt" format-patch -1 --stdout | "$wt/scripts/checkpatch.pl" --strict -q --no-summary - 2>&1 |
		grep -cE '^(ERROR|WARNING|CHECK):' || true)
	result+="checkpatch:$cp "
	for v in "${variants[@]}"; do
		if (
			load_variant "$v"
			LINUX=$wt KOBJ=$BUILD/obj/check-$KERNEL_NAME
			kmake -s virt/ "arch/$( [ "$KARCH" = x86_64 ] && echo x86 || echo "$KARCH")/kvm/" \
				>"$BUILD/check-$n-$v.log" 2>&1
		); then
			result+="$v:ok "
		else
			result+="$v:FAIL "
			fail=1
		fi
	done
	printf '%-4s %-66s %s\n' "$n" "$subject" "$result"
done
[ $fail = 0 ] || { echo "build logs: $BUILD/check-N-VARIANT.log"; exit 1; }
