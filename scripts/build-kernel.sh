#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh VARIANT: configure and build the kernel a variant boots.
#
# The configuration is tinyconfig plus the variant's fragments from configs/
# (configure_kernel in lib.sh checks that every option survived). Objects go
# to build/obj/ARCH-FRAGMENTS, one directory per distinct kernel, shared by the
# variants that boot it.
. "$(dirname "$0")/lib.sh"

load_variant "${1:?usage: build-kernel.sh VARIANT}"
[ -f "$LINUX/Makefile" ] || die "no kernel tree at $LINUX: run 'make tree' first"
need_cmd ccache ccache
need_cmd "${CROSS_COMPILE}gcc" "$GCC_PKG"
need_cmd flex flex
need_cmd bison bison
need_cmd bc bc

msg "configuring $KERNEL_NAME (tinyconfig + $FRAGMENTS)"
configure_kernel

msg "building $KERNEL_NAME ($KIMAGE)"
start=$(date +%s)
kmake -s ${KBUILD_EXTRA:-} "$(basename "$KIMAGE")"
msg "built $KOBJ/$KIMAGE in $(($(date +%s) - start)) s"
