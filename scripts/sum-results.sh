#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sum-results.sh FILE...: add up the "NAME: N passed, N failed, N skipped"
# summary lines of the given result files (one per variant, plus the
# harness's) and print the total as the suite's last line. A file without a
# summary line counts as one failure: whatever produced it did not finish.
# Exits 1 when anything failed.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '3,7s/^# //p' "$0"; exit 0 ;; esac
[ $# -gt 0 ] || { echo "usage: sum-results.sh FILE... (see --help)" >&2; exit 1; }
pass=0 fail=0 skip=0
for f in "$@"; do
	line=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$f" 2>/dev/null | tail -n 1 || true)
	if [ -z "$line" ]; then
		echo "$(basename "$f"): no summary line, counted as a failure" >&2
		fail=$((fail + 1))
		continue
	fi
	read -r p f2 s < <(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/' <<<"$line")
	pass=$((pass + p)) fail=$((fail + f2)) skip=$((skip + s))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
