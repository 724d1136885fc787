#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/pristine.sh: the README's commands on a pristine Debian 12 (make
# pristine-test; run it before every submission: it takes too long for make
# test). As root:
#   1. a minimal Debian 12 root (mmdebstrap --variant=minbase bookworm, from
#      Debian's archive), made once and kept as build/pristine/debian12.tar;
#      every run unpacks a fresh copy to build/pristine/root (its own
#      directory, replaced every run);
#   2. the repository's files (tracked and new, not ignored ones) copied to
#      /src in it; /proc, /sys and /dev mounted (unmounted on exit, whatever
#      happens);
#   3. tests/pristine/inside.sh run in it with chroot, as root: it installs
#      every package itself through the project's scripts, runs make run for
#      x86_64 (tree, kernel, selftests, gmem-vmm, initramfs, QEMU boot, the
#      report) and the parts of make test that use other programs (arm64
#      configure, headers, selftest, gmem-vmm, initramfs and a QEMU start;
#      the harness tests; the delivery proof; the per-commit checks on one
#      commit). A program missing from scripts/packages.list fails a step,
#      and the scripts' need_cmd lines name it.
# Caches, which install nothing: the downloaded .debs (build/pristine/debs,
# bind-mounted as the root's /var/cache/apt/archives) and the root's ccache
# (build/pristine/ccache). PRISTINE_FRESH=1 makes the root tarball anew;
# PRISTINE_DIR (default build/pristine) moves all of it.
# PRISTINE_IMAGE=FILE: boot FILE, an x86_64 variant kernel image built
# outside with the project's scripts (build/obj/x86_64-.../arch/x86/boot/
# bzImage), instead of building one inside with make run: the kernel's host
# tools are then built inside (make prepare: objtool and libelf) but not the
# kernel (a cold build is 6 minutes or more, and waits for the build lock). Kernel builds inside
# take the same lock as outside (KBUILD_LOCK, see scripts/lib.sh).
# Prints the inside steps' "ok"/"not ok" lines and "pristine: N passed, ...".
# PRISTINE_JOB=ci (make pristine-ci): instead of the steps above, CI's own
# job, timed: a clean clone of the repository's HEAD (committed work only, as
# CI has it) in the new root, and `CI=true bash .ci/run` in it with an empty
# ccache: the cold, fresh-machine make test whose time the README gives.
. "$(dirname "$0")/../scripts/lib.sh"
[ $# = 0 ] || die "pristine.sh takes no arguments (see --help)"
job=${PRISTINE_JOB:-steps}
case $job in steps|ci) ;; *) die "PRISTINE_JOB must be steps or ci, not '$job'" ;; esac
[ "$(id -u)" = 0 ] || die "pristine.sh needs root (mmdebstrap, mounts, chroot): run 'make pristine-test' as root"
"$TOP/scripts/install-deps.sh" pristine
need_cmd mmdebstrap mmdebstrap
need_cmd git git

dir=${PRISTINE_DIR:-$BUILD/pristine}
tarball=$dir/debian12.tar
root=$dir/root
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
mkdir -p "$dir/debs" "$dir/ccache"
start=$(date +%s)
if [ ! -f "$tarball" ] || [ "${PRISTINE_FRESH:-0}" = 1 ]; then
	msg "making a minimal Debian 12 root: $tarball"
	# mmdebstrap picks the output format from the name: it must end in .tar.
	rm -rf "$dir/debian12.tmp.tar"
	mmdebstrap --quiet --variant=minbase --components=main bookworm "$dir/debian12.tmp.tar" \
		"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
		"deb $security bookworm-security main" || die "mmdebstrap failed (is $mirror reachable?)"
	[ -f "$dir/debian12.tmp.tar" ] || die "mmdebstrap did not write a tarball: $dir/debian12.tmp.tar"
	# An earlier version of this script left a directory under that name.
	[ ! -d "$tarball" ] || rm -rf "$tarball"
	mv "$dir/debian12.tmp.tar" "$tarball"
fi

mounts=()
# inside_pids: the processes still running in the root (a background
# "git gc --auto" outlives its command, say): ours, to end before unmounting.
inside_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" != "$root" ] || echo "${p#/proc/}"
	done
}
cleanup() {
	local i pids
	pids=$(inside_pids)
	[ -z "$pids" ] || { kill $pids 2>/dev/null; sleep 2; kill -9 $(inside_pids) 2>/dev/null; } || true
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -R "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap "exit 130" INT TERM HUP
grep -q " $root/" /proc/mounts && die "something is still mounted under $root: unmount it (see /proc/mounts), then retry"
rm -rf "$root"
mkdir -p "$root"
tar -xf "$tarball" -C "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The repository as a clone has it, plus new files not yet committed.
if [ -n "${PRISTINE_IMAGE:-}" ]; then
	[ -f "$PRISTINE_IMAGE" ] || die "PRISTINE_IMAGE=$PRISTINE_IMAGE: no such file"
fi
if [ "$job" = ci ]; then
	git clone -q --no-hardlinks "$TOP" "$root/src" || die "cannot clone $TOP into $root/src"
	# Cold: a ccache of its own, emptied every run.
	rm -rf "$dir/ccache-ci"
	mkdir -p "$dir/ccache-ci"
else
	mkdir -p "$root/src"
	(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -I{} sh -c '[ ! -e "$1" ] || printf "%s\0" "$1"' _ {} |
		tar --null -T - -cf -) | tar -xf - -C "$root/src"
fi

[ -z "${PRISTINE_IMAGE:-}" ] || { mkdir -p "$root/src/build"; cp "$PRISTINE_IMAGE" "$root/src/build/prebuilt-image"; }
bind() { mkdir -p "$root$2"; mount "${@:3}" "$1" "$root$2"; mounts+=("$root$2"); }
mount -t proc proc "$root/proc"; mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys"; mounts+=("$root/sys")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounts+=("$root/dev")
bind "$dir/debs" /var/cache/apt/archives --bind
if [ "$job" = ci ]; then bind "$dir/ccache-ci" /root/.cache/ccache --bind
else bind "$dir/ccache" /root/.cache/ccache --bind; fi
# Kernel builds inside wait for the ones outside (scripts/lib.sh's kmake).
touch "$KBUILD_LOCK"
touch "$root/tmp/kbuild.lock"
mount --bind "$KBUILD_LOCK" "$root/tmp/kbuild.lock"; mounts+=("$root/tmp/kbuild.lock")

inenv=(/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	HOME=/root LANG=C.UTF-8 KBUILD_LOCK=/tmp/kbuild.lock JOBS="$JOBS")
rc=0
if [ "$job" = ci ]; then
	msg "running CI's job (CI=true bash .ci/run) in a clean clone in $root, cold ccache (log: $dir/ci.log)"
	cstart=$(date +%s)
	chroot "$root" "${inenv[@]}" CI=true /bin/bash -c 'cd /src && bash .ci/run' 2>&1 |
		tee "$dir/ci.log" || rc=$?
	msg "CI's job on a pristine Debian 12: exit $rc, $(($(date +%s) - cstart)) s (the root made and copied before it: $((cstart - start)) s)"
	exit $rc
fi
msg "running tests/pristine/inside.sh in $root (log: $dir/inside.log)"
chroot "$root" "${inenv[@]}" \
	GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0 \
	${PRISTINE_IMAGE:+PRISTINE_IMAGE=/src/build/prebuilt-image} \
	/bin/bash /src/tests/pristine/inside.sh 2>&1 | tee "$dir/inside.log" || rc=$?
msg "pristine test: $(($(date +%s) - start)) s"
exit $rc
