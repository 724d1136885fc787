#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh VARIANT: configure and build the kernel a variant boots.
#
# The configuration is tinyconfig plus the variant's fragments from configs/,
# merged with the kernel's own scripts/kconfig/merge_config.sh. After
# olddefconfig every option a fragment asks for is checked: one that did not
# survive (a missing dependency, a typo) stops the build and is named, so KVM
# can never be dropped silently. Objects go to build/obj/ARCH-FRAGMENTS, one
# directory per distinct kernel, shared by the variants that boot it.
. "$(dirname "$0")/lib.sh"

load_variant "${1:?usage: build-kernel.sh VARIANT}"
[ -f "$LINUX/Makefile" ] || die "no kernel tree at $LINUX: run 'make tree' first"
need_cmd ccache ccache
need_cmd "${CROSS_COMPILE}gcc" "$GCC_PKG"
need_cmd flex flex
need_cmd bison bison
need_cmd bc bc

msg "configuring $KERNEL_NAME (tinyconfig + $FRAGMENTS)"
frag_list=$(configure_kernel)
mapfile -t frags <<<"$frag_list"

# Every line of the fragments must be in the result, "is not set" included.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) want="# ${line%=n} is not set" ;;
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF -- "$want" "$KOBJ/.config"; then
		opt=${want#\# }; opt=${opt%%[= ]*}
		got=$(grep -E "^$opt=|^# $opt is not set" "$KOBJ/.config" || echo "absent")
		printf 'error: %s asked for "%s", the configuration has "%s"\n' "$KERNEL_NAME" "$want" "$got" >&2
		bad=1
	fi
done < <(cat "${frags[@]}")
[ $bad = 0 ] || die "options did not survive olddefconfig (see above): fix configs/ or the dependencies"

msg "building $KERNEL_NAME ($KIMAGE)"
start=$(date +%s)
kmake -s ${KBUILD_EXTRA:-} "$(basename "$KIMAGE")"
msg "built $KOBJ/$KIMAGE in $(($(date +%s) - start)) s"
