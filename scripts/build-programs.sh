#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-programs.sh VARIANT: build the project's own guest programs (the demo
# VMM, the benchmarks, the fuzzer: every top-level directory listed in
# PROGRAM_DIRS that exists) for the variant's architecture, static, against
# the work tree's uapi headers (installed by build-selftests.sh).
# Output: build/programs/ARCH/, all of which make-rootfs.sh puts in the guest.
#
# A program directory's Makefile takes OUT (absolute output directory), ARCH
# (x86_64 or arm64), CROSS_COMPILE, CC and KHDR (absolute uapi include dir)
# and builds static executables into OUT.
. "$(dirname "$0")/lib.sh"

PROGRAM_DIRS=${PROGRAM_DIRS:-"vmm bench hardening"}
variant_arg "$@"
hdr=$BUILD/hdr/$ARCH/include
[ -d "$hdr/linux" ] || die "no uapi headers in $hdr: run scripts/build-selftests.sh $VARIANT first"
out=$BUILD/programs/$ARCH
mkdir -p "$out"
for d in $PROGRAM_DIRS; do
	[ -f "$TOP/$d/Makefile" ] || continue
	msg "building $d/ for $ARCH"
	make -C "$TOP/$d" -s -j"$JOBS" OUT="$out" ARCH="$KARCH" \
		CROSS_COMPILE="${CROSS_COMPILE:-}" CC="ccache ${CROSS_COMPILE:-}gcc" KHDR="$hdr"
done
