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

mkdir -p "$BUILD/results"

rm -f "$BUILD"/results/*.txt
"$TOP/tests/run.sh" 2>&1 | tee "$BUILD/results/harness.txt" || true
results=("$BUILD/results/harness.txt")

variants=("$@")
[ ${#variants[@]} -gt 0 ] || mapfile -t variants < <(list_variants)
for v in "${variants[@]}"; do
	vstart=$(date +%s)
	out=$BUILD/results/$v.txt
	if ! "$TOP/scripts/run-variant.sh" "$v" >"$out" 2>"$BUILD/results/$v.err"; then
		grep -qE '^[^ ]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out" ||
			{ tail -n 20 "$BUILD/results/$v.err"; echo "$v: 0 passed, 1 failed, 0 skipped" >>"$out"; }
	fi
	cat "$out"
	results+=("$out")
	msg "$v: $(($(date +%s) - vstart)) s"
done

msg "test suite: $(($(date +%s) - start)) s"
exec "$TOP/scripts/sum-results.sh" "${results[@]}"
