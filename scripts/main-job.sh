#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# main-job.sh: the main job (make run). Installs what is missing, makes the work
# tree (base + patches/), builds the patched kernel for ARCH (default: this
# machine's), boots it under QEMU, runs the guest_memfd tests and the demo VMM
# gmem-vmm there and prints a short report. ARCH=arm64 (or x86_64) picks the
# other architecture.
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "main-job.sh takes no arguments: 'make run' or 'make run ARCH=arm64' (see --help)"
arch=${ARCH:-$(uname -m)}
[ "$arch" = aarch64 ] && arch=arm64
[ -r "$TOP/arches/$arch.conf" ] || die "ARCH=$arch: no such architecture (known: $(list_arches | tr '\n' ' '| sed 's/ $//'))"
variant=${VARIANT:-$arch}
load_variant "$variant"
# What this job uses, no more: no mail tools, sparse or the other arch.
"$TOP/scripts/install-deps.sh" build "$ARCH"
"$TOP/scripts/make-tree.sh"

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
log=$BUILD/logs/$variant.log
# A log from an earlier run must not pass for this one's.
rm -f "$log"
out=$("$TOP/scripts/run-variant.sh" "$variant") || status=$?
. "$BASE_CONF"
n=$(series_patches | wc -l)
cat <<REPORT

=== gmem-mmap: $variant ===
base:    Linux $(make -s -C "$LINUX" kernelversion) (Debian $BASE_PKG $(git -C "$LINUX" tag -l --format='%(contents:subject)' base | awk '{print $NF}'))
series:  $n patches from patches/ applied ($(git -C "$LINUX" log -1 --format='%h %s' HEAD))
kernel:  $(if [ -f "$KOBJ/$KIMAGE" ]; then echo "$KOBJ/$KIMAGE"; else echo "none: the build failed (see above)"; fi)
qemu:    $(if [ -f "$log" ]; then echo "$(grep -o 'accel [a-z]*' "$log" | tail -n 1), machine $QEMU_MACHINE$QEMU_MACHINE_EXTRA"; else echo "did not run"; fi)
log:     $(if [ -f "$log" ]; then echo "$log"; else echo "none (no boot)"; fi)
results:
$out
REPORT
vmm=$(vmm_report "$log")
[ -z "$vmm" ] || printf 'gmem-vmm (vmm/: a guest run entirely from mappable guest_memfd):\n%s\n' "$vmm"
if [ $status = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL (see the lines marked FAIL and the log)"; fi
exit $status
