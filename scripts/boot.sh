#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh VARIANT: boot the variant's kernel and initramfs under QEMU and keep
# the whole serial log in build/logs/VARIANT.log. The guest runs its tests and
# reboots; -no-reboot turns that into QEMU's exit. BOOT_TIMEOUT (seconds) ends
# a hung guest. ACCEL=auto (default) uses KVM when /dev/kvm works for the
# guest's architecture (see kvm_usable), else TCG; ACCEL=kvm or tcg forces one.
# TCG still gives the guest hardware virtualisation (SVM with NPT on x86, EL2
# on arm64), so KVM runs inside the guest either way. TCG_THREAD=multi (one
# host thread per vCPU) or single (all vCPUs in one thread, taking turns):
# the architecture record or the variant chooses, see arches/x86_64.conf.
. "$(dirname "$0")/lib.sh"

variant_arg "$@"
case "${TCG_THREAD:=multi}" in
single|multi) ;;
*) die "TCG_THREAD must be single or multi, not '$TCG_THREAD'" ;;
esac
need_cmd "$QEMU" "$QEMU_PKG"
image=$KOBJ/$KIMAGE
initrd=$BUILD/rootfs/$VARIANT.cpio.gz
[ -f "$image" ] || die "no kernel image $image: run scripts/build-kernel.sh $VARIANT"
[ -f "$initrd" ] || die "no initramfs $initrd: run scripts/make-rootfs.sh $VARIANT"

# kvm_usable: /dev/kvm is there, the guest has the host's architecture, and
# QEMU can really start a vCPU with it (a stub /dev/kvm that fails to set up
# a vCPU makes QEMU abort at once; a working one keeps it waiting at -S).
kvm_usable() {
	local host_arch; host_arch=$(uname -m)
	[ "$host_arch" = aarch64 ] && host_arch=arm64
	[ "$host_arch" = "$ARCH" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	# In a shell of its own, so that its "Aborted" message goes nowhere.
	[ "$(sh -c '"$@" </dev/null >/dev/null 2>&1; echo $?' probe timeout 2 "$QEMU" \
		-M "$QEMU_MACHINE" -accel kvm -cpu host -S -nographic -monitor none -serial none \
		2>/dev/null)" = 124 ]
}
case "${ACCEL:-auto}" in
auto) if kvm_usable; then ACCEL=kvm; else ACCEL=tcg; fi ;;
kvm|tcg) ACCEL=${ACCEL} ;;
*) die "ACCEL must be auto, kvm or tcg, not '$ACCEL'" ;;
esac
if [ "$ACCEL" = kvm ]; then
	accel=(-accel kvm -cpu host)
else
	accel=(-accel "tcg,thread=$TCG_THREAD" -cpu "$QEMU_CPU")
	ACCEL="tcg ($TCG_THREAD-threaded)"
fi

# An x86 kernel measures its TSC's frequency against the PIT; on a busy host,
# TCG can make that fail ("Unable to calibrate against PIT"), and with no TSC
# frequency KVM in the guest never enters a vCPU (it retries its clock update
# forever). QEMU's guest TSC counts at the host's rate: tell the kernel that.
tsc=
if [ "$ARCH" = x86_64 ]; then
	khz=$(awk -F': *' '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo 2>/dev/null || true)
	# tsc=reliable: the clocksource watchdog would compare it against
	# timers that a busy host delays, and mark it unstable mid-run.
	[ -z "$khz" ] || tsc=" tsc_early_khz=$khz tsc=reliable"
fi

log=$BUILD/logs/$VARIANT.log
mkdir -p "$BUILD/logs"
msg "booting $VARIANT ($ACCEL, timeout ${BOOT_TIMEOUT:-1800} s), log $log"
start=$(date +%s)
rc=0
timeout --foreground -k 10 "${BOOT_TIMEOUT:-1800}" \
	"$QEMU" -M "$QEMU_MACHINE$QEMU_MACHINE_EXTRA" "${accel[@]}" \
	-smp "${SMP:-2}" -m "${MEM:-2G}" -nographic -no-reboot $QEMU_EXTRA \
	-kernel "$image" -initrd "$initrd" \
	-append "console=$CONSOLE panic=-1 oops=panic loglevel=7$tsc $CMDLINE_EXTRA" \
	</dev/null >"$log" 2>&1 || rc=$?
echo "harness: qemu exit $rc after $(($(date +%s) - start)) s, accel $ACCEL" >>"$log"
[ $rc != 124 ] || echo "harness: boot TIMEOUT after ${BOOT_TIMEOUT:-1800} s" >>"$log"
