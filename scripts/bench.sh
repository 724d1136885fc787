#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh [ARCH]: the fault benchmarks (make bench; ARCH=arm64 for arm64).
# Builds the arch's test kernel, boots it with bench/boots/bench-ARCH.conf,
# whose guest runs gmem-bench (bench/gmem-bench.sh), and prints its table
# with the arch and how QEMU ran (KVM or TCG). The serial log stays in
# build/logs/bench-ARCH.log. Exits 1 when a benchmark failed to run; a missed
# speed goal is reported in the table, not in the exit status.
. "$(dirname "$0")/lib.sh"

arch=${1:-${ARCH:-$(uname -m)}}
[ "$arch" = aarch64 ] && arch=arm64
export VARIANTS_DIR=$TOP/bench/boots
[ -r "$VARIANTS_DIR/bench-$arch.conf" ] || die "no benchmark record for '$arch' (known: x86_64 arm64)"
# Minutes under TCG: the kselftest runner's and the boot's limits.
export TEST_TIMEOUT=${TEST_TIMEOUT:-2400} BOOT_TIMEOUT=${BOOT_TIMEOUT:-3000}
"$TOP/scripts/install-deps.sh" build "$arch"
"$TOP/scripts/make-tree.sh"

status=0
"$TOP/scripts/run-variant.sh" "bench-$arch" || status=$?
log=$BUILD/logs/bench-$arch.log
accel=$(grep -o 'accel [a-z]*' "$log" | tail -n 1 | cut -d' ' -f2)
echo
echo "=== gmem-mmap benchmarks: $arch, QEMU ${accel:-?}$([ "$accel" = tcg ] && echo ' (no KVM for the outer QEMU: absolute numbers are not hardware numbers; ratios from one run are comparable)') ==="
echo "command: make bench${1:+ ARCH=$1}   log: $log   $(date -u '+%Y-%m-%d %H:%M UTC')   boot: $(sed -n 's/.*qemu exit [0-9]* after \([0-9]*\) s.*/\1/p' "$log" | tail -n 1) s"
tr -d '\r' <"$log" | sed -n '/^# gmem-bench: table$/,/^# gmem-bench: end$/p' |
	sed -e 's/^# //' -e '/^gmem-bench: \(table\|end\)$/d'
exit $status
