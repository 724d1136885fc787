#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# install-deps.sh: install the Debian packages the build, the boots and the
# checks need. Does nothing when all are there; otherwise needs root, and says
# exactly what to install when it is not root.
. "$(dirname "$0")/lib.sh"

pkgs=(git make gcc build-essential flex bison bc libelf-dev libssl-dev ccache cpio xz-utils
      python3 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-x86 qemu-system-arm
      busybox-static rsync sparse perl git-email libmailtools-perl libauthen-sasl-perl b4 python3-aiosmtpd)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The arm64 guest's static busybox is downloaded (not installed: it conflicts
# with the host's) from Debian's arm64 architecture, which dpkg must know.
multiarch=ok
[ "$(dpkg --print-architecture)" = arm64 ] || dpkg --print-foreign-architectures | grep -qx arm64 || multiarch=missing

[ ${#missing[@]} = 0 ] && [ $multiarch = ok ] && exit 0
if [ "$(id -u)" != 0 ]; then
	cmd="apt-get update && apt-get install ${missing[*]}"
	[ $multiarch = ok ] || cmd="dpkg --add-architecture arm64 && $cmd"
	die "missing: ${missing[*]:-} ${multiarch/ok/}${multiarch/missing/(arm64 architecture)}; as root run: $cmd"
fi
[ $multiarch = ok ] || dpkg --add-architecture arm64
msg "installing: ${missing[*]:-(arm64 package lists)}"
apt-get update -qq
[ ${#missing[@]} = 0 ] ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
