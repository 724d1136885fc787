#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# send-series.sh [VERSION]: mail one series of the stack with git send-email:
# build/outgoing/vN/ (SERIES=mmap, the default), build/outgoing/NAME/vN/
# (SERIES=NAME, e.g. no-direct-map), or $OUTGOING; default version: the
# newest one written.
#
# A dry run by default: it prints every mail's recipients and subject and
# sends nothing. It sends only when SMTP_SERVER names a server (host name or
# address; SMTP_PORT, SMTP_ENCRYPTION=ssl|tls and SMTP_USER as git
# send-email takes them), so nobody is mailed by accident: not through a
# sendmail on this machine, nor through a server set in your git config.
# The headers written by make-outgoing.sh are sent as they are: Message-Id,
# In-Reply-To (every patch answers the cover letter), To and Cc. It won't
# mail patches from or signed off by the project's placeholder identity
# (PROJECT_EMAIL in lib.sh) to anything but a loopback server.
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] && [[ ${1:-1} =~ ^[1-9][0-9]*$ ]] || die "usage: send-series.sh [VERSION] (a number: make send V=2); see --help"
[ -x "$(git --exec-path)/git-send-email" ] ||
	die "'git send-email' not found: install Debian's 'git-email' (or run 'make deps' as root)"
name=${SERIES:-$(stack_first)}
stack_check "$name"
dir=$BUILD/outgoing sel=
[ "$name" = "$(stack_first)" ] || dir=$BUILD/outgoing/$name sel=" SERIES=$name"
if [ -n "${OUTGOING:-}" ]; then
	out=$OUTGOING
elif [ -n "${1:-}" ]; then
	out=$dir/v$1
else
	out=$(ls -d "$dir"/v* 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$out" ] || die "nothing to send: no series in $dir/; run 'make outgoing$sel' first"
fi
[ -d "$out" ] || die "no outgoing series $out: run 'make outgoing$sel${1:+ V=$1}' first"
mails=("$out"/*.patch)
[ -f "${mails[0]}" ] || die "$out has no .patch files"
top=$(series_top "$name")
if [ -f "$out/.series-tip" ] && [ -d "$LINUX/.git" ] &&
   [ "$(cat "$out/.series-tip")" != "$(git -C "$LINUX" rev-parse -q --verify "$top" || true)" ]; then
	die "$out was written from another state of the series than the work tree's: run make outgoing again (FORCE=1) or send on purpose with OUTGOING=$out after 'make tree' of that state"
fi

args=(--quiet --confirm=never --no-thread --suppress-cc=self --8bit-encoding=UTF-8
      "--from=$(sed -n 's/^From: //p' "${mails[0]}" | head -n 1)")
if [ -z "${SMTP_SERVER:-}" ]; then
	msg "dry run (nothing is sent): SMTP_SERVER=host sends for real"
	args+=(--dry-run --smtp-server=/bin/false)
else
	case "$SMTP_SERVER" in
	/*) die "SMTP_SERVER must be a server's host name or address, not a program: $SMTP_SERVER" ;;
	127.*|localhost|::1) ;;	# loopback: reaches nobody (tests/delivery.sh)
	*) ! grep -qs -e "^From: .*<$PROJECT_EMAIL>" -e "^Signed-off-by: .*<$PROJECT_EMAIL>" "${mails[@]}" ||
		die "$out is signed off by the project's placeholder <$PROJECT_EMAIL>, which can't certify the DCO: set your own user.name and user.email in $LINUX, amend the sign-offs, then make export and make outgoing again (docs/series.md)" ;;
	esac
	msg "sending ${#mails[@]} mails through $SMTP_SERVER${SMTP_PORT:+:$SMTP_PORT}"
	args+=("--smtp-server=$SMTP_SERVER" ${SMTP_PORT:+"--smtp-server-port=$SMTP_PORT"}
	       ${SMTP_ENCRYPTION:+"--smtp-encryption=$SMTP_ENCRYPTION"} ${SMTP_USER:+"--smtp-user=$SMTP_USER"})
fi
git send-email "${args[@]}" "${mails[@]}"
# Who got (or would get) every mail: the cover letter's unfolded To and Cc.
awk '/^$/ { exit } /^[ \t]/ { h = h $0; next } { if (h ~ /^(To|Cc):/) print h; h = $0 }
     END { if (h ~ /^(To|Cc):/) print h }' "${mails[0]}" | tr -s ' \t' ' '
