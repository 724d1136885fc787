#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/pristine/inside.sh: run by tests/pristine.sh, as root, inside a fresh
# minimal Debian 12 root with the repository in /src. Installs nothing
# itself: every package comes from the project's scripts. Each step prints
# "ok - STEP" or "not ok - STEP" with its last output lines; the first
# failure stops the run (a later step needs the earlier ones).
cd /src
. tests/lib.sh
step() {
	local name=$1 out rc=0 t0=$(date +%s)
	shift
	echo "--- $name: $*" >&2
	out=$("$@" 2>&1) || rc=$?
	printf '%s\n' "$out" >>/tmp/pristine-steps.log
	if [ $rc = 0 ]; then
		ok "$name ($(($(date +%s) - t0)) s)"
	else
		notok "$name (exit $rc after $(($(date +%s) - t0)) s)" "$out"
		finish pristine
	fi
}
# arm64 without a kernel build: configure (the cross compiler, flex, bison),
# headers_install (rsync), one static KVM selftest and gmem-vmm (the cross
# libc), the initramfs (busybox-static:arm64 from the arm64 dpkg
# architecture, cpio), and QEMU started on the arm64 machine.
arm64_parts() {
	local v=/tmp/variants
	mkdir -p $v
	sed '/^TESTS=/,$d' variants/arm64.conf >$v/arm64.conf
	printf 'TESTS="\nset_memory_region_test pass\ngmem-vmm pass\n"\n' >>$v/arm64.conf
	export VARIANTS_DIR=$v
	(. scripts/lib.sh; load_variant arm64; need_cmd "${CROSS_COMPILE}gcc" "$GCC_PKG"; configure_kernel) &&
	scripts/build-selftests.sh arm64 && scripts/build-programs.sh arm64 &&
	scripts/make-rootfs.sh arm64 && qemu_starts arm64
}
# qemu_starts ARCH: QEMU for the arch's record starts and runs (still running
# after 3 s, with nothing to boot).
qemu_starts() {
	(. scripts/lib.sh; load_arch "$1"; need_cmd "$QEMU" "$QEMU_PKG"
	 rc=0; timeout 3 "$QEMU" -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -nographic -monitor none \
		-serial none -S </dev/null || rc=$?
	 [ $rc = 124 ] || die "$QEMU exited with $rc instead of running")
}

# What make run installs, and only that; then the programs of make run's
# steps that need no kernel build, so that a missing package shows early:
# the tree (git, tar, xz), the kernel's configuration (gcc, flex, bison, bc),
# its uapi headers (rsync), the KVM selftests, gmem-vmm, the initramfs (cpio,
# busybox). The kernel build and the boot come with make run itself.
step "install what make run ARCH=x86_64 needs" scripts/install-deps.sh build x86_64
step "make run installed no mail tools, sparse, arm64 toolchain or arm64 architecture" \
	sh -c '! dpkg-query -W -f="\${Status} \${Package}\n" git-email sparse gcc-aarch64-linux-gnu b4 2>/dev/null | grep "^install ok installed" && ! dpkg --print-foreign-architectures | grep -qx arm64'
step "make tree" make tree
step "x86_64: configure the kernel" bash -c '. scripts/lib.sh; load_variant x86_64; configure_kernel'
step "x86_64: headers and KVM selftests" scripts/build-selftests.sh x86_64
step "x86_64: gmem-vmm and the benchmarks" scripts/build-programs.sh x86_64
step "x86_64: initramfs" scripts/make-rootfs.sh x86_64
# The README's first command: builds the kernel, boots it, runs the tests.
# With a kernel image from outside (PRISTINE_IMAGE): the kernel's host tools
# are built here, and that image boots with the initramfs made here.
boot_outside_image() {
	bash -c '. scripts/lib.sh; load_variant x86_64; kmake -s prepare >/dev/null &&
		mkdir -p "$(dirname "$KOBJ/$KIMAGE")" && cp "$PRISTINE_IMAGE" "$KOBJ/$KIMAGE"' &&
	scripts/boot.sh x86_64 && grep -q '^harness: done' build/logs/x86_64.log &&
	grep -q '^ok [0-9]* selftests: kvm: ' build/logs/x86_64.log
}
if [ -z "${PRISTINE_IMAGE:-}" ]; then
	step "make run ARCH=x86_64" make run ARCH=x86_64
	step "make run's report says PASS" grep -qx 'RESULT: PASS' /tmp/pristine-steps.log
else
	echo "# PRISTINE_IMAGE: make run's kernel build is left out; an image built outside boots instead"
	step "x86_64: kernel host tools (make prepare), boot of the outside image, tests ran" boot_outside_image
fi
# What make test installs more, then its parts that call other programs.
step "make deps (every group)" make deps
step "arm64: configure, headers, selftest, gmem-vmm, initramfs, QEMU start" arm64_parts
step "the harness tests (tests/harness.sh)" tests/harness.sh
step "the delivery proof (tests/delivery.sh: git send-email, aiosmtpd, b4)" tests/delivery.sh
step "per-commit checks on the last commit (checkpatch, perl, sparse present)" \
	env RANGE=HEAD~1..HEAD CHECK_ARCHES=x86_64 CHECK_TIP=0 scripts/check-commits.sh
finish pristine
