#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make-tree.sh: make the kernel work tree build/linux from the base and patches/.
#
# The tree is a git repository: the untouched base as its first commit (tagged
# "base", made with a fixed identity and date so that it has the same id on
# every machine), then one commit per patch, applied with git am in order on
# branch "series": the mmap series (patches/), then the series stacked on it
# (patches/no-direct-map/). A branch named after each series but the last
# ("mmap") marks its top commit; rebase.updateRefs is set in the tree, so that
# git rebase (--autosquash included) keeps it there. A patch that does not
# apply stops the run, is named, and leaves the tree at the last patch that did.
#
# Re-running brings an existing tree up to date with patches/ (a patch counts
# as changed when its diff or its message changed). It never drops work: a
# tree with uncommitted changes, or with commits whose patch is not in
# patches/, is refused until you export them ('make export') or move the tree.
# When the base changes (a moved pin, or get-base.sh's fallback), the old tree
# is moved aside to build/linux.OLDVERSION (never over an existing path: .1,
# .2, ... are added), with its branches and stashes; its outgoing/vN tags
# (make-outgoing.sh's range-diff needs them) are carried into the new tree.
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "make-tree.sh takes no arguments (see --help)"
[ ! -e "$LINUX" ] || [ -d "$LINUX/.git" ] ||
	die "$LINUX exists and is not a git work tree: move it away, then retry"
need_cmd git git
need_cmd xz xz-utils
version=$("$TOP/scripts/get-base.sh")
git_id=(-c user.name="gmem series" -c user.email="gmem-series@localhost")

# mark_series_tops: each series but the last gets a branch of its name at its
# top commit, counted from patches/ (the tree is patches/ when this runs).
mark_series_tops() {
	local s n=0 c
	git -C "$LINUX" config rebase.updateRefs true
	for s in $STACK; do
		[ "$s" != "$(stack_last)" ] || break
		n=$((n + $(series_patches "$s" | wc -l)))
		if [ "$n" = 0 ]; then c=base; else c=$(git -C "$LINUX" rev-list --reverse base..HEAD | sed -n "${n}p"); fi
		git -C "$LINUX" update-ref "refs/heads/$s" "$c^{commit}"
	done
}
# series_counts: "N patches (mmap) + M (no-direct-map)".
series_counts() {
	local s out=
	for s in $STACK; do
		out="$out${out:+ + }$(series_patches "$s" | wc -l) ($s)"
	done
	echo "$out patches"
}

if [ -d "$LINUX/.git" ]; then
	if [ -n "$(git -C "$LINUX" status --porcelain)" ]; then
		die "$LINUX has uncommitted changes; commit them and 'make export', or move the tree away, then retry"
	fi
	lost=$(tree_unexported)
	[ -z "$lost" ] || die "$LINUX has commits that are not in patches/:
$lost
run 'make export' to keep them (then commit patches/), or move the tree away, then retry"
	tree_base=$(git -C "$LINUX" tag -l --format='%(contents:subject)' base)
	if [ "$tree_base" != "base: linux-source-6.12 $version" ]; then
		# Everything in it is in patches/ (checked above), but it may hold
		# other branches, stashes and tags: keep it, named by its base.
		old=$(printf '%s' "${tree_base##* }" | tr -c 'A-Za-z0-9.~+_-' _)
		aside=$LINUX.${old:-unknown}
		i=1
		while [ -e "$aside" ]; do aside=$LINUX.${old:-unknown}.$i; i=$((i + 1)); done
		mv "$LINUX" "$aside"
		msg "the tree's base is '$tree_base', not $version: the old tree is now $aside; making a new one"
	elif [ "$(tree_ids)" = "$(file_ids)" ]; then
		mark_series_tops
		record_seen_ids
		msg "$LINUX is up to date with patches/ ($(series_counts) on $version)"
		exit 0
	else
		msg "updating $LINUX: back to base, then patches/"
		git -C "$LINUX" checkout -q -B series base
	fi
fi

if [ ! -d "$LINUX/.git" ]; then
	. "$BASE_CONF"
	msg "unpacking $BASE_TARBALL ($version)"
	rm -rf "$LINUX.tmp"
	mkdir -p "$LINUX.tmp"
	tar -xf "$BASE_TARBALL" -C "$LINUX.tmp" --strip-components=1
	# Debian's tarball ends .gitignore with rules for its packaging repository
	# that ignore every top-level path ("/*" then "!/debian/"): with them git
	# would add nothing, and no new file later. Drop them in the base commit.
	sed -i '/^# Debian packaging: ignore everything at the top level/,$d' "$LINUX.tmp/.gitignore"
	grep -qx '/\*' "$LINUX.tmp/.gitignore" && die "could not drop Debian's '/*' rule from .gitignore"
	(
		cd "$LINUX.tmp"
		git init -q -b series
		git add -A
		export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
		git "${git_id[@]}" commit -q -m "Linux $(make -s kernelversion) from Debian $BASE_PKG $version

Unpacked from $BASE_TARBALL. The only change: the last lines of
.gitignore, which make git ignore every top-level path of Debian's
packaging repository, are dropped."
		git "${git_id[@]}" tag -a -m "base: linux-source-6.12 $version" base
	)
	mv "$LINUX.tmp" "$LINUX"
	msg "base committed and tagged 'base' in $LINUX"
	if [ -n "${aside:-}" ] && [ -n "$(git -C "$aside" tag -l 'outgoing/*')" ]; then
		git -C "$LINUX" fetch -q --no-tags "$aside" 'refs/tags/outgoing/*:refs/tags/outgoing/*'
		msg "carried the outgoing/vN tags over from $aside: $(git -C "$LINUX" tag -l 'outgoing/*' | tr '\n' ' ')"
	fi
fi

# Identity for the commits git am makes, unless the user has one.
if [ -z "$(git -C "$LINUX" config user.email || true)" ]; then
	git -C "$LINUX" config user.name "$PROJECT_NAME"
	git -C "$LINUX" config user.email "$PROJECT_EMAIL"
fi

n=0
while read -r p; do
	[ -n "$p" ] || continue
	if ! git -C "$LINUX" am -q --committer-date-is-author-date "$p" >/dev/null 2>&1; then
		err=$(git -C "$LINUX" apply --check "$p" 2>&1 | head -n 5 || true)
		git -C "$LINUX" am --abort >/dev/null 2>&1 || true
		die "patch ${p#"$TOP"/} does not apply on $(git -C "$LINUX" log -1 --format='%h %s' HEAD):
$err"
	fi
	n=$((n + 1))
done < <(series_patches)
mark_series_tops
record_seen_ids
msg "$LINUX: base $version + $(series_counts)"
