#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# export-series.sh: write the work tree's commits (base..HEAD) back to the
# patch folders with git format-patch, one folder per series of the stack
# (lib.sh's STACK): base..mmap to patches/, cover letter first (its text:
# series/cover-letter.txt, first paragraph the subject), then mmap..HEAD to
# patches/no-direct-map/ (series/no-direct-map/cover-letter.txt). A commit
# added on top of the tree belongs to the last series; to add one to the
# first, rebase it below branch mmap. The output is byte-stable: the same commits
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
declare -A count
for s in $STACK; do
	range=$(series_range "$s")
	n=$(git -C "$LINUX" rev-list --count "$range")
	mkdir -p "$tmp/$s"
	[ "$n" = 0 ] || format_series "$tmp/$s" "$s" --zero-commit --no-thread
	count[$s]=$n
done
series_patches | xargs -r rm -f
for s in $STACK; do
	d=$(series_dir "$s")
	rm -f "$d/0000-cover-letter.patch"
	n=${count[$s]}
	[ "$n" = 0 ] && continue
	mkdir -p "$d"
	mv "$tmp/$s"/*.patch "$d"/
	msg "exported $n patches ($s) to ${d#"$TOP"/}/"
done
record_seen_ids
git -C "$TOP" status --short -- "$PATCHES" 2>/dev/null | sed 's/^/  /' >&2 || true
