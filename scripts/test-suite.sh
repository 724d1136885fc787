#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test-suite.sh [VARIANT...]: the test suite (make test). Installs what is
# missing, makes the work tree from the base and patches/, runs the harness's
# own tests, then the variants (default: those of variants/ without
# SUITE=full; FULL=1, make test-full, all of them), one kernel build at a
# time. Ends with one line: "N passed, N failed, N skipped".
. "$(dirname "$0")/lib.sh"

# Every name first: a typo stops here, before anything runs.
for v in "$@"; do
	[ -r "$TOP/variants/$v.conf" ] || die "no variant '$v' (known: $(list_variants | tr '\n' ' ' | sed 's/ $//'))"
done
case ${FULL:-0} in 0|1) ;; *) die "FULL must be 0 or 1 (make test-full), not '$FULL'" ;; esac
start=$(date +%s)
"$TOP/scripts/install-deps.sh"
"$TOP/scripts/make-tree.sh"

mkdir -p "$BUILD/results"

rm -f "$BUILD"/results/*.txt
"$TOP/tests/harness.sh" 2>&1 | tee "$BUILD/results/harness.txt" || true
results=("$BUILD/results/harness.txt")
# The series by mail: outgoing, git send-email to a loopback SMTP server, git am/b4 am.
"$TOP/tests/delivery.sh" 2>&1 | tee "$BUILD/results/delivery.txt" || true
results+=("$BUILD/results/delivery.txt")

variants=("$@")
[ ${#variants[@]} -gt 0 ] || mapfile -t variants < <(list_suite_variants)
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

# Every commit of both series: checkpatch (CHECK_BUILDS=1 also builds every
# commit on both arches, W=1/sparse/modules at the tip: 15-25 minutes cold,
# so that is make check-commits, run before every submission). Then the
# checks' own bad-input tests (a build break is found on x86_64).
if [ "${CHECK_COMMITS:-1}" = 1 ]; then
	cstart=$(date +%s)
	out=$BUILD/results/check-commits.txt
	# Bounded: CHECK_TIMEOUT seconds (measured cold: see README).
	if CHECK_BUILDS=${CHECK_BUILDS:-0} timeout -k 10 "${CHECK_TIMEOUT:-2700}" "$TOP/scripts/check-commits.sh" \
		>"$out" 2>"$BUILD/results/check-commits.err"; then
		echo "check-commits: 1 passed, 0 failed, 0 skipped" >>"$out"
	else
		tail -n 20 "$BUILD/results/check-commits.err" >>"$out"
		echo "check-commits: 0 passed, 1 failed, 0 skipped" >>"$out"
	fi
	cat "$out"
	results+=("$out")
	"$TOP/tests/check-commits-errors.sh" 2>&1 | tee "$BUILD/results/commit-checks.txt" || true
	results+=("$BUILD/results/commit-checks.txt")
	msg "check-commits: $(($(date +%s) - cstart)) s"
fi

msg "test suite: $(($(date +%s) - start)) s"
exec "$TOP/scripts/sum-results.sh" "${results[@]}"
