#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# get-base.sh: make sure the pinned base tarball (base/linux-source.conf) is on
# disk and intact; print its Debian version on stdout.
#
# When the pinned version has left Debian's archive (old 6.12.y point releases
# do), this falls back to the newest linux-source-6.12 with a loud warning
# rather than stopping: the series usually still applies, and when it does not,
# `make tree` names the patch. Move the pin as base/linux-source.conf says.
. "$(dirname "$0")/lib.sh"
[ $# = 0 ] || die "$(basename "$0") takes no arguments (see --help)"
. "$BASE_CONF"

installed() { dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true; }

have=$(installed)
if [ "$have" != "$BASE_VERSION" ]; then
	[ "$(id -u)" = 0 ] || die "$BASE_PKG $BASE_VERSION is not installed (have: ${have:-none}); run as root: apt-get install $BASE_PKG=$BASE_VERSION"
	msg "installing $BASE_PKG $BASE_VERSION"
	[ -n "$(apt-cache policy "$BASE_PKG" 2>/dev/null | grep -F "$BASE_VERSION")" ] || apt-get update -qq
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		--allow-downgrades "$BASE_PKG=$BASE_VERSION" >/dev/null; then
		warn "**************************************************************"
		warn "$BASE_PKG $BASE_VERSION is no longer in the archive."
		warn "Falling back to the newest $BASE_PKG; the base is NOT the pinned one."
		warn "Move the pin as base/linux-source.conf explains."
		warn "**************************************************************"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$BASE_PKG" >/dev/null ||
			die "cannot install $BASE_PKG at all"
	fi
	have=$(installed)
fi

[ -r "$BASE_TARBALL" ] || die "$BASE_TARBALL missing although $BASE_PKG is installed; reinstall it: apt-get install --reinstall $BASE_PKG"
if [ "$have" = "$BASE_VERSION" ]; then
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	[ "$sum" = "$BASE_SHA256" ] ||
		die "$BASE_TARBALL has sha256 $sum, base/linux-source.conf pins $BASE_SHA256: reinstall $BASE_PKG=$BASE_VERSION"
fi
echo "$have"
