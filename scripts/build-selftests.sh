#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-selftests.sh VARIANT: build the KVM selftests a variant runs, static,
# against the work tree's own uapi headers (cross-built for arm64).
# Headers go to build/hdr/ARCH, binaries to build/selftests/ARCH.
. "$(dirname "$0")/lib.sh"

variant_arg "$@"
[ -f "$KOBJ/.config" ] || die "kernel $KERNEL_NAME is not configured: run scripts/build-kernel.sh $VARIANT first"

need_cmd rsync rsync      # the kernel's headers_install calls it
need_cmd "${CROSS_COMPILE}gcc" "$GCC_PKG"
hdr=$BUILD/hdr/$ARCH
out=$BUILD/selftests/$ARCH
mkdir -p "$out"
kmake -s headers_install INSTALL_HDR_PATH="$hdr" >/dev/null

targets=()
for t in $(variant_tests); do
	read -r kind file <<<"$(test_file "$t")"
	[ "$kind" != selftest ] || targets+=("$file")
done
[ ${#targets[@]} = 0 ] && exit 0

msg "building ${#targets[@]} KVM selftests for $ARCH"
make -C "$LINUX/tools/testing/selftests/kvm" -s -j"$JOBS" ARCH="$KARCH" \
	${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} CC="ccache ${CROSS_COMPILE:-}gcc" \
	OUTPUT="$out" KHDR_INCLUDES="-isystem $hdr/include" \
	EXTRA_CFLAGS=-static LDFLAGS=-static "${targets[@]}"
