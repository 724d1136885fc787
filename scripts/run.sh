#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: the main job (make run). Installs what is missing, makes the work
# tree (base + patches/), builds the patched kernel for ARCH (default: this
# machine's), boots it under QEMU, runs the guest_memfd tests and the demo VMM
# gmem-vmm there and prints a short report. ARCH=arm64 (or x86_64) picks the
# other architecture.
. "$(dirname "$0")/lib.sh"

arch=${ARCH:-$(uname -m)}
[ "$arch" = aarch64 ] && arch=arm64
variant=${VARIANT:-$arch}
"$TOP/scripts/install-deps.sh"
"$TOP/scripts/make-tree.sh"
load_variant "$variant"

# What gmem-vmm showed in the guest (the runner prefixes its output with
# "# "): its own lines, the results of both builds (gmem-vmm-mainline: a VMM
# written for mainline's uAPI) in both memslot modes, and of its error-path
# checks (their messages are in the log).
vmm_report() {
	[ -f "$1" ] || return 0
	awk '{ sub(/\r$/, "") }
	     /^# selftests: [^ ]+: / { t = $4; next }
	     /^(not )?ok [0-9]+ selftests: / { t = ""; next }
	     t == "gmem-vmm" && sub(/^# gmem-vmm: /, "  ") { print }
	     t == "gmem-vmm-modes" && /^# (not )?ok / { sub(/^# (not )?ok [0-9]+ /, "  memslot mode: " ($2 == "ok" ? "ok: " : "FAIL: ")); print }
	     t == "gmem-vmm-errors" && /^# (not )?ok / { sub(/^# /, "  error path: "); print }
	     t == "gmem-vmm-errors" && sub(/^# # not tested/, "  not tested") { print }' "$1"
}

status=0
out=$("$TOP/scripts/run-variant.sh" "$variant") || status=$?
. "$TOP/base/linux-source.conf"
n=$(series_patches | wc -l)
cat <<REPORT

=== gmem-mmap: $variant ===
base:    Linux $(make -s -C "$LINUX" kernelversion) (Debian $BASE_PKG $(git -C "$LINUX" tag -l --format='%(contents:subject)' base | awk '{print $NF}'))
series:  $n patches from patches/ applied ($(git -C "$LINUX" log -1 --format='%h %s' HEAD))
kernel:  $KOBJ/$KIMAGE
qemu:    $(grep -o 'accel [a-z]*' "$BUILD/logs/$variant.log" | tail -n 1), machine $QEMU_MACHINE$QEMU_MACHINE_EXTRA
log:     $BUILD/logs/$variant.log
results:
$out
REPORT
vmm=$(vmm_report "$BUILD/logs/$variant.log")
[ -z "$vmm" ] || printf 'gmem-vmm (vmm/: a guest run entirely from mappable guest_memfd):\n%s\n' "$vmm"
if [ $status = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL (see the lines marked FAIL and the log)"; fi
exit $status
