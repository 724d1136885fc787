#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make-outgoing.sh [VERSION]: write the series as it will be mailed, to
# build/outgoing/vN/ (or $OUTGOING): git format-patch with the cover letter,
# subjects "[PATCH vN i/n]", the base-commit trailer, every patch threaded
# under the cover letter, and To/Cc from the base tree's
# scripts/get_maintainer.pl: To the maintainers of what the series touches,
# Cc their reviewers and mailing lists (kvm@vger.kernel.org among them).
#
# VERSION (a number; default series/version) > 1 needs a changelog for it in
# the cover letter text: a line "vN:" followed by what changed since v(N-1).
# When v(N-1) was written here before (tag outgoing/v(N-1) in the work tree),
# the cover letter also gets a range-diff against it. Each run tags the tip it
# wrote as outgoing/vN. An existing output folder is never overwritten
# (it may hold your edits): remove it, or FORCE=1.
. "$(dirname "$0")/lib.sh"

version=${1:-$(cat "$TOP/series/version")}
[[ $version =~ ^[1-9][0-9]*$ ]] || die "version must be a number (1, 2, ...), not '$version'"
cover=${COVER:-$TOP/series/cover-letter.txt}
out=${OUTGOING:-$BUILD/outgoing/v$version}
[ -d "$LINUX/.git" ] || die "no work tree at $LINUX: run 'make tree' first"
[ -z "$(git -C "$LINUX" status --porcelain)" ] || die "$LINUX has uncommitted changes: commit and 'make export' first"
unexported=$(tree_unexported)
[ -z "$unexported" ] || die "the work tree has commits that are not in patches/ (run 'make export'):
$unexported"
[ "$(tree_ids)" = "$(file_ids)" ] || die "the work tree is not patches/ (run 'make tree')"
n=$(git -C "$LINUX" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"
if [ "$version" -gt 1 ]; then
	grep -q "^v$version:" "$cover" ||
		die "no changelog for v$version in $cover: add a paragraph starting 'v$version:' that says what changed since v$((version - 1))"
fi
if [ -e "$out" ] && [ "${FORCE:-0}" != 1 ]; then
	die "$out already exists (it may hold your edits): remove it, or FORCE=1 to overwrite"
fi

# Recipients: what get_maintainer.pl says for the whole series.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$LINUX" format-patch -q -o "$tmp" base..HEAD
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
prev=outgoing/v$((version - 1))
if [ "$version" -gt 1 ] && git -C "$LINUX" rev-parse -q --verify "refs/tags/$prev" >/dev/null; then
	# Its own base: after a base change (make-tree.sh carries the tag over)
	# it is not the tree's.
	args+=("--range-diff=$(git -C "$LINUX" rev-list --max-parents=0 "$prev")..$prev")
fi

rm -rf "$out"
mkdir -p "$out"
format_series "$out" "${args[@]}"
git -C "$LINUX" tag -f "outgoing/v$version" HEAD >/dev/null
git -C "$LINUX" rev-parse HEAD > "$out/.series-tip"

msg "wrote $out: cover letter + $n patches, v$version, base $(git -C "$LINUX" rev-parse --short "base^{commit}")"
echo "To: ${to//|/, }"
echo "Cc: ${cc//|/, }"
echo "next: 'make send' shows what would be sent (dry run); 'make send SMTP_SERVER=host' sends it"
