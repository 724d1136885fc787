#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run-variant.sh VARIANT: build what the variant needs, boot it, judge it.
# Prints one line per result and "VARIANT: N passed, N failed, N skipped";
# exits 1 when anything failed. The serial log stays in build/logs/.
. "$(dirname "$0")/lib.sh"

variant_arg "$@"
need_cmd python3 python3  # read-results.py
"$TOP/scripts/build-kernel.sh" "$VARIANT"
"$TOP/scripts/build-selftests.sh" "$VARIANT"
"$TOP/scripts/build-programs.sh" "$VARIANT"
"$TOP/scripts/make-rootfs.sh" "$VARIANT"
"$TOP/scripts/boot.sh" "$VARIANT"
expect=()
[ -z "${EXPECT_PARAMS:-}" ] || expect+=(module_params=pass)
# add_lines OPTION TEXT: each non-empty line of TEXT, trimmed, as OPTION=LINE.
add_lines() {
	local line
	while IFS= read -r line; do
		line=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$line")
		[ -z "$line" ] || expect+=("$1=$line")
	done <<<"$2"
}
add_lines --log "${EXPECT_LOG:-}"
add_lines --allow "${ALLOW_REPORT:-}"
while read -r name want _; do
	expect+=("$name=$want")
done < <(variant_test_lines)
log=$BUILD/logs/$VARIANT.log
status=0
"$TOP/scripts/read-results.py" "$log" "$VARIANT" "${expect[@]}" || status=$?
if [ $status != 0 ]; then
	echo "  --- $log: the guest's last lines ---"
	grep -v '^# ' "$log" | tail -n 15 | sed 's/^/  | /'
fi
exit $status
