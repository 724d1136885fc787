#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make-outgoing.sh [VERSION]: write one series of the stack as it will be
# mailed: SERIES=mmap (the default) to build/outgoing/vN/, SERIES=no-direct-map
# to build/outgoing/no-direct-map/vN/ (or $OUTGOING): git format-patch with
# the cover letter, subjects "[PATCH vN i/n]", the base-commit trailer (and for
# a stacked series the prerequisite-patch-id of every patch below it), every
# patch threaded under the cover letter, and To/Cc from the base tree's
# scripts/get_maintainer.pl for that series' patches: To the maintainers of
# what it touches, Cc their reviewers and mailing lists (kvm@vger.kernel.org
# among them).
#
# VERSION (a number; default the series' version file, series/version or
# series/NAME/version) > 1 needs a changelog for it in the cover letter text:
# a line "vN:" followed by what changed since v(N-1). When v(N-1) was written
# here before (tag outgoing/v(N-1), or outgoing/NAME/v(N-1), in the work
# tree), the cover letter also gets a range-diff against it. Each run tags the
# series' top as outgoing/[NAME/]vN (and its bottom as ...vN-base). An
# existing output folder is never overwritten (it may hold your edits):
# remove it, or FORCE=1.
. "$(dirname "$0")/lib.sh"

name=${SERIES:-$(stack_first)}
stack_check "$name"
text=$(series_text_dir "$name")
version=${1:-$(cat "$text/version")}
[[ $version =~ ^[1-9][0-9]*$ ]] || die "version must be a number (1, 2, ...), not '$version'"
cover=${COVER:-$text/cover-letter.txt}
if [ "$name" = "$(stack_first)" ]; then tagp=outgoing out=$BUILD/outgoing/v$version
else tagp=outgoing/$name out=$BUILD/outgoing/$name/v$version; fi
out=${OUTGOING:-$out}
# The checks that need no git first: they answer at once.
if [ "$version" -gt 1 ]; then
	grep -q "^v$version:" "$cover" ||
		die "no changelog for v$version in $cover: add a paragraph starting 'v$version:' that says what changed since v$((version - 1))"
fi
if [ -e "$out" ] && [ "${FORCE:-0}" != 1 ]; then
	die "$out already exists (it may hold your edits): remove it, or FORCE=1 to overwrite"
fi
[ -d "$LINUX/.git" ] || die "no work tree at $LINUX: run 'make tree' first"
[ -z "$(git -C "$LINUX" status --porcelain)" ] || die "$LINUX has uncommitted changes: commit and 'make export' first"
unexported=$(tree_unexported)
[ -z "$unexported" ] || die "the work tree has commits that are not in patches/ (run 'make export'):
$unexported"
[ "$(tree_ids)" = "$(file_ids)" ] || die "the work tree is not patches/ (run 'make tree')"
range=$(series_range "$name")
n=$(git -C "$LINUX" rev-list --count "$range")
[ "$n" -gt 0 ] || die "the series $name is empty"

# Recipients: what get_maintainer.pl says for the whole series.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$LINUX" format-patch -q -o "$tmp" "$range"
getmaint() {
	(cd "$LINUX" && perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats \
		--no-multiline --separator '|' "$@" "$tmp"/*.patch)
}
to=$(getmaint --m --no-r --no-l) || die "scripts/get_maintainer.pl failed"
cc=$(getmaint --no-m --r --l) || die "scripts/get_maintainer.pl failed"
[ -n "$to" ] || die "get_maintainer.pl found no maintainer for the series"
grep -q 'kvm@vger.kernel.org' <<<"$cc" || die "get_maintainer.pl did not name kvm@vger.kernel.org: is MAINTAINERS in $LINUX intact?"

args=(-v "$version" --thread=shallow)
IFS='|' read -r -a addrs <<<"$to"
for a in "${addrs[@]}"; do args+=("--to=$a"); done
IFS='|' read -r -a addrs <<<"$cc"
for a in "${addrs[@]}"; do args+=("--cc=$a"); done
prev=$tagp/v$((version - 1))
if [ "$version" -gt 1 ] && git -C "$LINUX" rev-parse -q --verify "refs/tags/$prev" >/dev/null; then
	# Its own bottom: after a base change (make-tree.sh carries the tags
	# over) it is not the tree's; the first series' is its root commit.
	if git -C "$LINUX" rev-parse -q --verify "refs/tags/$prev-base" >/dev/null; then prevbase=$prev-base
	else prevbase=$(git -C "$LINUX" rev-list --max-parents=0 "$prev"); fi
	args+=("--range-diff=$prevbase..$prev")
fi

rm -rf "$out"
mkdir -p "$out"
format_series "$out" "$name" "${args[@]}"
git -C "$LINUX" tag -f "$tagp/v$version" "${range#*..}" >/dev/null
[ "$name" = "$(stack_first)" ] || git -C "$LINUX" tag -f "$tagp/v$version-base" "${range%..*}" >/dev/null
git -C "$LINUX" rev-parse "${range#*..}" > "$out/.series-tip"

bottom=${range%..*} on=
[ "$bottom" = base ] || on=", stacked on ${bottom#refs/heads/} ($(git -C "$LINUX" rev-list --count "base..$bottom") patches)"
msg "wrote $out: cover letter + $n patches ($name), v$version, base $(git -C "$LINUX" rev-parse --short "base^{commit}")$on"
echo "To: ${to//|/, }"
echo "Cc: ${cc//|/, }"
sel=
[ "$name" = "$(stack_first)" ] || sel=" SERIES=$name"
echo "next: 'make send$sel' shows what would be sent (dry run); 'make send$sel SMTP_SERVER=host' sends it"
