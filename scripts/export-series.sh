#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# export-series.sh: write the work tree's commits (base..HEAD) to patches/ with
# git format-patch, cover letter first (its text: series/cover-letter.txt,
# first paragraph the subject). The output is byte-stable: the same commits
# always give the same files (zero commit ids, no git version signature, the
# cover letter dated and signed as the tip commit), so `git diff patches/` is a
# review of a change to the series.
#
# Refuses when the tree has uncommitted changes, or when patches/ holds a patch
# the tree has never seen (added after the last 'make tree', e.g. by git pull):
# it would be lost. Run 'make tree' first, or FORCE=1. A patch the tree did
# apply and that was since changed there (rebase, --fixup) is simply replaced.
. "$(dirname "$0")/lib.sh"
[ $# = 0 ] || die "$(basename "$0") takes no arguments (see --help)"

[ -d "$LINUX/.git" ] || die "no work tree at $LINUX: run 'make tree' first"
[ -z "$(git -C "$LINUX" status --porcelain)" ] ||
	die "$LINUX has uncommitted changes: commit them (git -C $LINUX commit) before exporting"

if [ "${FORCE:-0}" != 1 ]; then
	known=$(tree_ids; cat "$(seen_ids_file)" 2>/dev/null || true)
	lost=$(series_patches | while read -r p; do
		grep -qxF -- "$(email_id <"$p")" <<<"$known" || echo "  ${p#"$TOP"/}"
	done)
	[ -z "$lost" ] || die "these patches were never applied to $LINUX and exporting would delete them:
$lost
run 'make tree' to apply them first, or FORCE=1 to drop them"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$LINUX" rev-list --count base..HEAD)
[ "$n" = 0 ] || format_series "$tmp" --zero-commit --no-thread
mkdir -p "$PATCHES"
series_patches | xargs -r rm -f
rm -f "$PATCHES/0000-cover-letter.patch"
[ "$n" = 0 ] || mv "$tmp"/*.patch "$PATCHES"/
record_seen_ids
msg "exported $n patches to ${PATCHES#"$TOP"/}/"
git -C "$TOP" status --short -- "$PATCHES" 2>/dev/null | sed 's/^/  /' >&2 || true
