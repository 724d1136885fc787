#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test.sh [VARIANT...]: the whole test suite (make test). Installs what is
# missing, makes the work tree from the base and patches/, runs the harness's
# own tests, then every variant (default: all of variants/), one kernel build
# at a time. Ends with one line: "N passed, N failed, N skipped".
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
"$TOP/scripts/install-deps.sh"
"$TOP/scripts/make-tree.sh"

pass=0 fail=0 skip=0
tally() { # tally FILE: add the counts of the last summary line of FILE
	local p f s
	read -r p f s < <(tail -n 1 "$1" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/')
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}
mkdir -p "$BUILD/results"

"$TOP/tests/run.sh" 2>&1 | tee "$BUILD/results/harness.txt" || true
tally "$BUILD/results/harness.txt"

variants=("$@")
[ ${#variants[@]} -gt 0 ] || mapfile -t variants < <(list_variants)
for v in "${variants[@]}"; do
	vstart=$(date +%s)
	out=$BUILD/results/$v.txt
	if ! "$TOP/scripts/run-variant.sh" "$v" >"$out" 2>"$BUILD/results/$v.err"; then
		grep -q 'passed, .* failed, .* skipped$' "$out" ||
			{ tail -n 20 "$BUILD/results/$v.err"; echo "$v: 0 passed, 1 failed, 0 skipped" >>"$out"; }
	fi
	cat "$out"
	tally "$out"
	msg "$v: $(($(date +%s) - vstart)) s"
done

msg "test suite: $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
