#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh VARIANT: configure and build the kernel a variant boots.
#
# The configuration is tinyconfig plus the variant's fragments from configs/
# (configure_kernel in lib.sh checks that every option survived). Objects go
# to build/obj/ARCH-FRAGMENTS, one directory per distinct kernel, shared by the
# variants that boot it.
. "$(dirname "$0")/lib.sh"

variant_arg "$@"
[ -f "$LINUX/Makefile" ] || die "no kernel tree at $LINUX: run 'make tree' first"
need_cmd ccache ccache
need_cmd "${CROSS_COMPILE}gcc" "$GCC_PKG"
need_cmd flex flex
need_cmd bison bison
need_cmd bc bc

msg "configuring $KERNEL_NAME (tinyconfig + $FRAGMENTS)"
configure_kernel

log=$BUILD/logs/build-$KERNEL_NAME.log
mkdir -p "$BUILD/logs"
msg "building $KERNEL_NAME ($KIMAGE), log $log"
start=$(date +%s)
if ! kmake -s ${KBUILD_EXTRA:-} "$(basename "$KIMAGE")" >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	die "build failed: kernel $KERNEL_NAME; the whole log is $log"
fi
[ -f "$KOBJ/$KIMAGE" ] || die "build failed: kernel $KERNEL_NAME has no $KIMAGE; the log is $log"
msg "built $KOBJ/$KIMAGE in $(($(date +%s) - start)) s"
