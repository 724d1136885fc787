#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make-rootfs.sh VARIANT: the initramfs a variant boots: static busybox, the
# kernel's own kselftest runner (tools/testing/selftests/kselftest/runner.sh),
# the variant's tests, and scripts/guest/init as /init, which runs them, dumps
# the kernel log and powers the guest off; kselftest/harness.env tells it
# which, with what arguments.
# Output: build/rootfs/VARIANT.cpio.gz
. "$(dirname "$0")/lib.sh"

variant_arg "$@"
need_cmd cpio cpio

# busybox_for: a static busybox for the guest's architecture: the host's own
# when it is static and of that architecture, else Debian's busybox-static for
# that architecture, downloaded (not installed) into build/busybox/.
busybox_for() {
	local dir=$BUILD/busybox/$DEB_ARCH
	if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ] && [ -x /bin/busybox ] &&
	   ! readelf -l /bin/busybox 2>/dev/null | grep -q INTERP; then
		echo /bin/busybox
		return
	fi
	if [ ! -x "$dir/bin/busybox" ]; then
		mkdir -p "$dir"
		(cd "$dir" && apt-get download -q "busybox-static:$DEB_ARCH" >/dev/null 2>&1) ||
			die "cannot download busybox-static:$DEB_ARCH: as root run 'dpkg --add-architecture $DEB_ARCH && apt-get update' (or 'make deps')"
		dpkg-deb -x "$dir"/busybox-static_*.deb "$dir"
	fi
	echo "$dir/bin/busybox"
}

root=$BUILD/rootfs/$VARIANT
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,kselftest/kvm,kselftest/kselftest}
cp "$(busybox_for)" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

cp "$LINUX/tools/testing/selftests/kselftest/runner.sh" "$root/kselftest/kselftest/"
# The project's own programs (build-programs.sh), on the guest's PATH, so that
# tests/guest/ scripts can call them.
if [ -d "$BUILD/programs/$ARCH" ]; then
	cp -r "$BUILD/programs/$ARCH/." "$root/usr/bin/"
fi
list=() env=()
while read -r t want args; do
	read -r kind file <<<"$(test_file "$t")"
	[ -e "$file" ] || die "variant $VARIANT lists '$t': not a built KVM selftest, tests/guest/$t or a program in $BUILD/programs/$ARCH"
	cp "$file" "$root/kselftest/kvm/$t"
	list+=("./$t")
	# Per-test arguments go where the kselftest runner looks for them.
	[ -z "$args" ] || env+=("export KSELFTEST_$(tr a-z A-Z <<<"$t" | tr -c 'A-Z0-9_\n' _)_ARGS=\"$args\"")
done < <(variant_test_lines)
# A variant that boots with other module parameters proves they took effect.
if [ -n "${EXPECT_PARAMS:-}" ]; then
	cp "$TOP/scripts/guest/module_params" "$root/kselftest/kvm/"
	printf '%s\n' $EXPECT_PARAMS | tr = ' ' >"$root/kselftest/kvm/module_params.list"
	list=("./module_params" "${list[@]}")
fi
printf 'timeout=%s\n' "${TEST_TIMEOUT:-600}" > "$root/kselftest/kvm/settings"
cp "$TOP/scripts/guest/timeout" "$root/usr/bin/timeout"
cp "$TOP/scripts/guest/init" "$root/init"
{
	echo "VARIANT=$VARIANT"
	echo "TESTS=\"${list[*]}\""
	printf '%s\n' "${env[@]}"
} >"$root/kselftest/harness.env"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$BUILD/rootfs/$VARIANT.cpio.gz"
msg "rootfs $BUILD/rootfs/$VARIANT.cpio.gz: ${#list[@]} tests"
