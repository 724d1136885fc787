#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps.sh [GROUP...]: install the Debian packages of these groups of
# scripts/packages.list (no GROUP: every group; make run names build and its
# ARCH). Does nothing when all are there. As root it installs what is
# missing; as another user it stops with one line: every missing package
# (the pinned linux-source-6.12 included) and the apt-get command to run.
. "$(dirname "$0")/lib.sh"

list=${PACKAGE_LIST:-$TOP/scripts/packages.list}
groups=$(sed -n 's/^\([a-z0-9_-]*\):.*/\1/p' "$list")
[ $# -gt 0 ] || set -- $groups
pkgs=()
for g in "$@"; do
	grep -qx -- "$g" <<<"$groups" || die "no package group '$g' in $list (groups: $(echo $groups))"
	pkgs+=($(sed -n "s/^$g:[[:space:]]*//p" "$list"))
done
installed() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk -v v="${2:-}" '
	/^install ok installed/ && (v == "" || $4 == v) { f = 1 } END { exit !f }'; }
missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
# The arm64 guest's static busybox is downloaded (not installed: it conflicts
# with the host's) from Debian's arm64 architecture, which dpkg must know.
multiarch=
if [[ " $* " == *" arm64 "* ]] && [ "$(dpkg --print-architecture)" != arm64 ] &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	multiarch=arm64
fi

if [ "$(id -u)" != 0 ]; then
	. "$BASE_CONF"
	installed "$BASE_PKG" "$BASE_VERSION" || missing+=("$BASE_PKG=$BASE_VERSION")
	[ ${#missing[@]} = 0 ] && [ -z "$multiarch" ] && exit 0
	cmd="apt-get update && apt-get install ${missing[*]}"
	[ -z "$multiarch" ] || cmd="dpkg --add-architecture arm64 && $cmd"
	die "missing Debian packages: ${missing[*]:-none}${multiarch:+ (and the arm64 dpkg architecture)}; as root run: $cmd"
fi
[ ${#missing[@]} = 0 ] && [ -z "$multiarch" ] && exit 0
[ -z "$multiarch" ] || dpkg --add-architecture arm64
msg "installing: ${missing[*]:-(arm64 package lists)}"
apt-get update -qq
[ ${#missing[@]} = 0 ] ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
