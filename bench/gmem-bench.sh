#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gmem-bench: runs in the test VM (busybox sh). Times first-touch faults on
# mappable guest_memfd against memfd and anonymous memory, on the host side
# (gmem_fault_bench) and from a vCPU (demand_paging_test -s BACKING, without
# userfaultfd), and prints a markdown table with the ratios. Where the kernel
# has GUEST_MEMFD_FLAG_NO_DIRECT_MAP (the second series), a second table
# compares it with plain mappable guest_memfd and with memfd_secret().
#
# Like for like: guest_memfd in 6.12 has only base pages, so the comparisons
# run with THP off (enabled=never, shmem_enabled=never); THP-backed anonymous
# memory is measured separately (enabled=always) as the gap to close.
#
# usage: gmem-bench [-m host MiB] [-g guest MiB] [-r runs]
# Exit: 0 all ran and every number is sane, 4 (skip) no mappable guest_memfd,
# 1 otherwise. It never judges speed: the goals are printed, not enforced.
# It switches THP in /sys and restores it at the end: run it in the test VM
# (GMEM_BENCH_NO_THP_SWITCH=1 leaves THP alone, for a dry run elsewhere).

MIB=256 GMIB=256 RUNS=5
usage() { echo "gmem-bench: $1" >&2; echo "usage: gmem-bench [-m MiB] [-g guest MiB] [-r runs]" >&2; exit 1; }
while getopts m:g:r: opt; do
	case $opt in
	m) MIB=$OPTARG ;;
	g) GMIB=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) usage "bad option" ;;
	esac
done
for n in "$MIB" "$GMIB" "$RUNS"; do
	case $n in ''|*[!0-9]*|0) usage "sizes and runs are positive integers, not '$n'" ;; esac
done

THP=/sys/kernel/mm/transparent_hugepage
OUT=/tmp/gmem-bench.$$
mkdir -p "$OUT"
status=0

# set_thp ENABLED SHMEM_ENABLED: switch THP, say which is in force.
set_thp() {
	[ -z "${GMEM_BENCH_NO_THP_SWITCH:-}" ] || return 1
	[ -w $THP/enabled ] || { echo "gmem-bench: THP: not in this kernel"; return 1; }
	echo "$1" > $THP/enabled && echo "$2" > $THP/shmem_enabled ||
		{ echo "gmem-bench: cannot set THP $1/$2"; status=1; return 1; }
	echo "gmem-bench: THP enabled=$(sed 's/.*\[\(.*\)\].*/\1/' $THP/enabled) shmem_enabled=$(sed 's/.*\[\(.*\)\].*/\1/' $THP/shmem_enabled)"
}

if [ -r $THP/enabled ]; then
	thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $THP/enabled)
	shmem0=$(sed 's/.*\[\(.*\)\].*/\1/' $THP/shmem_enabled)
fi

# ---- host side: mmap() + first touch, punch-hole + re-fault -------------
set_thp never never
gmem_fault_bench -m "$MIB" -r "$RUNS" -P > "$OUT/host" 2>&1
rc=$?
cat "$OUT/host"
if [ $rc = 4 ]; then
	echo "gmem-bench: SKIP: no mappable guest_memfd"
	exit 4
fi
[ $rc = 0 ] || { echo "gmem-bench: gmem_fault_bench failed ($rc)"; status=1; }
if set_thp always never; then
	gmem_fault_bench -m "$MIB" -r "$RUNS" -s anon > "$OUT/host-thp" 2>&1 ||
		{ echo "gmem-bench: gmem_fault_bench (THP) failed"; status=1; }
	cat "$OUT/host-thp"
fi

# ---- guest side: a vCPU first-touches a memslot -------------------------
DPT=$(command -v demand_paging_test || echo /kselftest/kvm/demand_paging_test)
MODE=
[ "$(uname -m)" = aarch64 ] && MODE="-m 3"	# 48-bit PA, 4K pages: one guest mode

# guest_run BACKING: one demand_paging_test run; appends its pages/s.
guest_run() {
	# shellcheck disable=SC2086 # MODE is empty or two words
	if "$DPT" $MODE -v 1 -b "${GMIB}M" -s "$1" > "$OUT/dpt.log" 2>&1; then
		sed -n 's/.*Overall demand paging rate:[[:space:]]*\([0-9.]*\).*/\1/p' \
			"$OUT/dpt.log" >> "$OUT/guest-$1"
	else
		echo "gmem-bench: demand_paging_test -s $1 failed:"
		tail -n 5 "$OUT/dpt.log"
		echo FAIL >> "$OUT/guest-$1"
		status=1
	fi
}

# The NO_DIRECT_MAP memslot where the host side found the flag.
NDM=guest_memfd_no_direct_map
grep -q '^gmem_fault_bench: guest_memfd_ndm: not measured' "$OUT/host" && NDM=
if [ -x "$DPT" ]; then
	set_thp never never
	r=0
	while [ $r -lt "$RUNS" ]; do
		guest_run guest_memfd
		[ -z "$NDM" ] || guest_run "$NDM"
		guest_run anonymous
		r=$((r + 1))
	done
	if set_thp always never; then
		r=0
		while [ $r -lt "$RUNS" ]; do
			guest_run anonymous_thp
			r=$((r + 1))
		done
	fi
	for b in guest_memfd $NDM anonymous anonymous_thp; do
		[ -f "$OUT/guest-$b" ] || continue
		printf 'bench: guest src=%s mib=%s runs=%s pages_per_s=%s\n' "$b" "$GMIB" "$RUNS" \
			"$(sort -n "$OUT/guest-$b" | tr '\n' ' ')"
	done
else
	echo "gmem-bench: no demand_paging_test in the guest: guest side not measured"
	status=1
fi
[ -z "${thp0:-}" ] || set_thp "$thp0" "$shmem0" >/dev/null

# ---- the table -----------------------------------------------------------
cat "$OUT"/host "$OUT"/host-thp 2>/dev/null | grep '^bench: ' > "$OUT/all"
for b in guest_memfd $NDM anonymous anonymous_thp; do
	[ -f "$OUT/guest-$b" ] && printf 'bench: guest src=%s %s\n' "$b" \
		"$(sort -n "$OUT/guest-$b" | tr '\n' ' ')" >> "$OUT/all"
done
echo "gmem-bench: table"
awk -v arch="$(uname -m)" -v kernel="$(uname -r)" -v mib="$MIB" -v gmib="$GMIB" -v runs="$RUNS" '
function kv(k,   i, a) { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return "" }
function fmt(x) { return x == "" ? "n/a" : sprintf("%.0f", x) }
function ratio(a, b, goal,   r) {
	if (a == "" || b == "" || b == 0) return "| n/a | |"
	r = int(a / b * 100 + 0.5) / 100	# judged as shown: 0.996 is 1.00x
	if (goal == 0) return sprintf("| %.2fx | |", r)
	return sprintf("| %.2fx | %s %.2fx: %s |", r, ">=", goal, r >= goal ? "met" : "MISSED")
}
$2 == "host" {
	key = kv("src") "/" kv("op") "/" kv("thp")
	fps[key] = kv("faults_per_s"); mps[key] = kv("mib_per_s"); flt[key] = kv("faults")
	ms[key] = kv("ms"); pms[key] = kv("punch_ms")
	if (kv("faults_per_s") + 0 <= 0 || kv("mib_per_s") + 0 <= 0) bad = bad " host:" key
}
$2 == "guest" {
	n = 0; fail = 0
	for (i = 4; i <= NF; i++) { if ($i == "FAIL") fail = 1; else v[++n] = $i }
	b = substr($3, 5)
	if (fail || n == 0) { bad = bad " guest:" b; next }
	gps[b] = v[int((n + 1) / 2)]
	if (gps[b] + 0 <= 0) bad = bad " guest:" b
}
function host(what, backing, k, base, goal) {
	printf "| %s | %s | %s | %s | %s | %s %s\n", what, backing, flt[k] == "" ? "n/a" : flt[k],
		fmt(fps[k]), fmt(mps[k]), ms[k] == "" ? "n/a" : sprintf("%.1f", ms[k]), k == base ? "| 1.00x | |" : ratio(mps[k], mps[base], goal)
}
# ndm(WHAT, BACKING, KEY, BASE, BASE_NAME, GOAL): a row of the second table.
function ndm(what, backing, k, base, bname, goal) {
	printf "| %s | %s | %s | %s | %s | %s | %s %s\n", what, backing, bname, flt[k] == "" ? "n/a" : flt[k],
		fmt(fps[k]), fmt(mps[k]), ms[k] == "" ? "n/a" : sprintf("%.1f", ms[k]), ratio(mps[k], mps[base], goal)
}
function guest(backing, b, goal) {
	printf "| vCPU first touch | %s | %s | %s | %s | %s %s\n", backing, gmib * 256, fmt(gps[b]),
		fmt(gps[b] == "" ? "" : gps[b] / 256), (gps[b] > 0 ? sprintf("%.1f", gmib * 256 / gps[b] * 1000) : "n/a"),
		b == "anonymous" ? "| 1.00x | |" : ratio(gps[b], gps["anonymous"], goal)
}
END {
	g = "guest_memfd/fault/never"; m = "memfd/fault/never"; pg = "guest_memfd/punch_refault/never"
	pm = "memfd/punch_refault/never"
	printf "arch %s, kernel %s; host: %s MiB, guest: %s MiB per run; median of %s runs\n", arch, kernel, mib, gmib, runs
	printf "THP off (enabled=never, shmem_enabled=never) except the rows marked THP (enabled=always)\n\n"
	print "| measurement | backing | faults (vCPU: pages) per run | faults/s (vCPU: pages/s) | MiB/s | ms per run | ratio | goal |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
	host("host mmap + first touch", "guest_memfd (mappable)", g, m, 1.0)
	host("host mmap + first touch", "memfd (shmem)", m, m)
	host("host mmap + first touch", "anonymous", "anon/fault/never", m, 0)
	host("host mmap + first touch", "anonymous, THP", "anon/fault/always", m, 0)
	host("host punch-hole + re-fault (punch " sprintf("%.1f", pms[pg]) " ms)", "guest_memfd", pg, pm, 1.0)
	host("host punch-hole + re-fault (punch " sprintf("%.1f", pms[pm]) " ms)", "memfd", pm, pm)
	guest("guest_memfd-only memslot", "guest_memfd", 0.95)
	guest("anonymous memslot", "anonymous")
	guest("anonymous memslot, THP", "anonymous_thp", 0)
	printf "\nratio: MiB/s against memfd (host rows) or the anonymous memslot (vCPU rows)\n"
	n = "guest_memfd_ndm/fault/never"; s = "memfd_secret/fault/never"; pn = "guest_memfd_ndm/punch_refault/never"
	if (flt[n] != "") {
		printf "\nGUEST_MEMFD_FLAG_NO_DIRECT_MAP (second series), THP off; ratio: MiB/s (vCPU: pages/s) against the row named\n\n"
		print "| measurement | backing | against | faults (vCPU: pages) per run | faults/s (vCPU: pages/s) | MiB/s | ms per run | ratio | goal |"
		print "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
		ndm("host mmap + first touch", "guest_memfd, NO_DIRECT_MAP", n, g, "guest_memfd", 0.9)
		ndm("host mmap + first touch", "guest_memfd, NO_DIRECT_MAP", n, s, "memfd_secret", 1.0)
		ndm("host mmap + first touch", "memfd_secret", s, g, "guest_memfd", 0)
		ndm("host punch-hole + re-fault (punch " sprintf("%.1f", pms[pn]) " ms)", "guest_memfd, NO_DIRECT_MAP", pn, pg, "guest_memfd", 0.9)
		b = "guest_memfd_no_direct_map"
		printf "| vCPU first touch | guest_memfd-only memslot, NO_DIRECT_MAP | guest_memfd | %s | %s | %s | %s %s\n", gmib * 256, fmt(gps[b]),
			fmt(gps[b] == "" ? "" : gps[b] / 256), (gps[b] > 0 ? sprintf("%.1f", gmib * 256 / gps[b] * 1000) : "n/a"),
			ratio(gps[b], gps["guest_memfd"], 0.9)
		if (gps[b] == "") bad = bad " guest:" b
	}
	if (bad != "") { printf "\ngmem-bench: missing or non-positive results:%s\n", bad; exit 1 }
}' "$OUT/all" || status=1
echo "gmem-bench: end"
rm -rf "$OUT"
exit $status
