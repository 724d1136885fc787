# SPDX-License-Identifier: GPL-2.0
# Shared by the harness's test scripts (tests/*.sh): source it. Sets TOP and
# BUILD; each check prints "ok - NAME" or "not ok - NAME" with the output
# that explains it, and finish prints the summary line sum-results.sh reads.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
# notok NAME [OUTPUT]: the last 40 lines of OUTPUT, indented.
notok() { fail=$((fail + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 40 | sed 's/^/#   /'; }
# finish NAME: "NAME: N passed, N failed, 0 skipped"; exits 1 if any failed.
finish() { echo "$1: $pass passed, $fail failed, 0 skipped"; [ $fail = 0 ]; exit; }
