#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/delivery.sh: both series go out by mail and come back whole.
# On a throw-away clone of the work tree: make-outgoing.sh writes v1 of each
# series of the stack (and refuses bad input), a real SMTP server from Debian
# (python3-aiosmtpd), listening on 127.0.0.1 only and started and stopped
# here, receives them from send-series.sh (git send-email); the mails must be
# threaded under their cover letter with "[PATCH v1 i/n]" subjects and
# addressed to the KVM list, the stacked series' cover letter must name the
# patches it needs (prerequisite-patch-id); then git am and b4 am each apply
# them to a fresh base tree, series after series, which must end with the
# work tree's tree at each series' top. Prints "ok - NAME" lines and
# "delivery: N passed, N failed, 0 skipped". Nothing leaves this machine:
# the server accepts every recipient and only writes a maildir.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3     # Debian's, which has aiosmtpd (not a pyenv's)

[ -d "$BUILD/linux/.git" ] || { notok "delivery: no work tree at $BUILD/linux (run make tree)"; finish delivery; }
tmp=$(mktemp -d)
server=
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
git clone -q --shared --branch series "$BUILD/linux" "$tmp/linux"
export LINUX=$tmp/linux
. "$TOP/scripts/lib.sh"   # STACK, series_range, series_top
set +e
for s in $STACK; do
	[ "$s" = "$(stack_last)" ] || git -C "$LINUX" branch -q "$s" "origin/$s" ||
		{ notok "delivery: the work tree has no branch $s (run make tree)"; finish delivery; }
done
first=$(stack_first)
n=$(git -C "$LINUX" rev-list --count "$(series_range "$first")")

# --- make-outgoing: bad input first ------------------------------------------
# The version after series/version has no changelog entry yet.
next=$(($(cat "$TOP/series/version") + 1))
out=$(OUTGOING=$tmp/v$next "$TOP/scripts/make-outgoing.sh" $next 2>&1); rc=$?
[ $rc != 0 ] && grep -q "no changelog for v$next" <<<"$out" && [ ! -e "$tmp/v$next" ] &&
	ok "outgoing: v$next without a changelog entry for v$next is refused" ||
	notok "outgoing: v$next changelog" "$out"
out=$(OUTGOING=$tmp/x "$TOP/scripts/make-outgoing.sh" 1.5 2>&1); rc=$?
[ $rc != 0 ] && grep -q "version must be a number" <<<"$out" &&
	ok "outgoing: a version that is not a number is refused" || notok "outgoing: bad version" "$out"
out=$(SERIES=nosuch OUTGOING=$tmp/x "$TOP/scripts/make-outgoing.sh" 1 2>&1); rc=$?
[ $rc != 0 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "no series 'nosuch'" <<<"$out" && [ ! -e "$tmp/x" ] &&
	ok "outgoing: an unknown SERIES is refused in one line" || notok "outgoing: bad SERIES" "$out"

out=$(OUTGOING=$tmp/v1 "$TOP/scripts/make-outgoing.sh" 1 2>&1); rc=$?
[ $rc = 0 ] && [ "$(ls "$tmp/v1"/*.patch | wc -l)" = $((n + 1)) ] &&
	grep -q '^Subject: \[PATCH v1 00/'"$n"'\]' "$tmp/v1"/v1-0000-cover-letter.patch &&
	grep -q '^base-commit: ' "$tmp/v1"/v1-0000-cover-letter.patch &&
	grep -q 'kvm@vger.kernel.org' "$tmp/v1"/v1-0001-*.patch &&
	ok "outgoing: v1 is the cover letter + $n patches, with base-commit and the KVM list" ||
	notok "outgoing: v1" "$out"
touch "$tmp/v1/my-notes"
out=$(OUTGOING=$tmp/v1 "$TOP/scripts/make-outgoing.sh" 1 2>&1); rc=$?
[ $rc != 0 ] && grep -q "already exists" <<<"$out" && [ -e "$tmp/v1/my-notes" ] &&
	ok "outgoing: an existing output folder is not overwritten" || notok "outgoing: overwrite" "$out"
rm -f "$tmp/v1/my-notes"
out=$(SMTP_SERVER=/usr/sbin/sendmail OUTGOING=$tmp/v1 "$TOP/scripts/send-series.sh" 2>&1); rc=$?
[ $rc != 0 ] && grep -q "not a program" <<<"$out" &&
	ok "send: a program as SMTP server is refused" || notok "send: program" "$out"
out=$(SMTP_SERVER=smtp.invalid OUTGOING=$tmp/v1 "$TOP/scripts/send-series.sh" 2>&1); rc=$?
[ $rc != 0 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "placeholder <$PROJECT_EMAIL>" <<<"$out" &&
	ok "send: the project's placeholder sign-off is not mailed out (one line)" ||
	notok "send: placeholder identity" "$out"
out=$(OUTGOING=$tmp/v1 "$TOP/scripts/send-series.sh" 2>&1); rc=$?
[ $rc = 0 ] && grep -q "dry run" <<<"$out" && [ "$(grep -c '^Dry-Sent \[PATCH v1 ' <<<"$out")" = $((n + 1)) ] &&
	ok "send: without SMTP_SERVER it is a dry run of all $((n + 1)) mails" || notok "send: dry run" "$out"

# The stacked series: its own cover letter, what it needs below it.
for s in $STACK; do
	[ "$s" != "$first" ] || continue
	range=$(series_range "$s")
	m=$(git -C "$LINUX" rev-list --count "$range")
	below=$(git -C "$LINUX" rev-list --count "base..${range%..*}")
	out=$(SERIES=$s OUTGOING=$tmp/$s "$TOP/scripts/make-outgoing.sh" 1 2>&1); rc=$?
	c=$tmp/$s/v1-0000-cover-letter.patch
	[ $rc = 0 ] && [ "$(ls "$tmp/$s"/*.patch | wc -l)" = $((m + 1)) ] &&
		grep -q "^Subject: \[PATCH v1 0*/$m\] $(head -n 1 "$(series_text_dir "$s")/cover-letter.txt" | cut -c1-20)" "$c" &&
		grep -q '^base-commit: ' "$c" && [ "$(grep -c '^prerequisite-patch-id: ' "$c")" = "$below" ] &&
		grep -qF "$(git -C "$LINUX" log -1 --format=%s "$(git -C "$LINUX" rev-list --reverse "$range" | head -n 1)" | cut -c1-30)" "$tmp/$s"/v1-0001-*.patch &&
		ok "outgoing: SERIES=$s is its own cover letter + $m patches, base-commit and $below prerequisite-patch-ids" ||
		notok "outgoing: SERIES=$s" "$out"
done

# --- a real send to a loopback SMTP server, series after series --------------
fresh() { # fresh DIR: a new tree at the base commit
	git clone -q --shared --no-checkout "$LINUX" "$1" && git -C "$1" checkout -q -b applied base &&
	git -C "$1" config user.name "delivery test" && git -C "$1" config user.email "delivery@localhost"
}
# One checkout for both: git am's commits on branch "applied", b4's on
# branch "b4" (a checkout of the other branch rewrites only what the series
# changes).
fresh "$tmp/am"
git -C "$tmp/am" branch -q b4 base
have_b4=1
command -v b4 >/dev/null || { have_b4=0; notok "b4 am: b4 is not installed (Debian's 'b4'; make deps)"; }
for s in $STACK; do
	if [ "$s" = "$first" ]; then o=$tmp/v1; else o=$tmp/$s; fi
	range=$(series_range "$s")
	m=$(git -C "$LINUX" rev-list --count "$range")
	top_tree=$(git -C "$LINUX" rev-parse "${range#*..}^{tree}")
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	$PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$tmp/maildir-$s" \
		>"$tmp/smtpd.log" 2>&1 &
	server=$!
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	out=$(SERIES=$s SMTP_SERVER=127.0.0.1 SMTP_PORT=$port OUTGOING=$o "$TOP/scripts/send-series.sh" 2>&1); rc=$?
	kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=
	[ $rc = 0 ] && ok "send $s: git send-email delivered to a loopback SMTP server" ||
		{ notok "send $s: real send" "$out$(cat "$tmp/smtpd.log")"; finish delivery; }

	rx=$tmp/rx-$s
	mkdir -p "$rx"
	out=$("$TOP/tests/mail-series.py" "$tmp/maildir-$s" "$rx" 1 "$m" 2>&1); rc=$?
	[ $rc = 0 ] && ok "mail $s: $((m + 1)) mails, [PATCH v1 i/$m], every patch a reply to the cover letter, to the KVM list" ||
		{ notok "mail $s: received series" "$out"; finish delivery; }

	# Applied on what the earlier series' mails gave.
	git -C "$tmp/am" checkout -q applied
	out=$(git -C "$tmp/am" am -q "$rx/patches.mbox" 2>&1); rc=$?
	[ $rc = 0 ] && [ "$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')" = "$top_tree" ] &&
		[ "$(git -C "$tmp/am" log --format='%an%n%B' "HEAD~$m..HEAD")" = "$(git -C "$LINUX" log --format='%an%n%B' "$range")" ] &&
		ok "git am $s: the mails apply and give the work tree's tree at ${range#*..} (tree, authors, messages)" ||
		notok "git am $s" "$out"

	if [ $have_b4 = 1 ]; then
		mkdir -p "$tmp/b4-$s"
		git -C "$tmp/am" checkout -q b4
		out=$(cd "$tmp/am" && b4 -q --offline-mode am -m "$rx/all.mbox" -o "$tmp/b4-$s" -n series \
			"$(cat "$rx/cover-msgid")" 2>&1 && git am -q "$tmp/b4-$s/series.mbx" 2>&1); rc=$?
		[ $rc = 0 ] && [ "$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')" = "$top_tree" ] &&
			[ "$(git -C "$tmp/am" rev-list --count "base..HEAD")" = "$(git -C "$LINUX" rev-list --count "base..${range#*..}")" ] &&
			ok "b4 am $s: the thread from the cover letter gives the work tree's tree at ${range#*..}" || notok "b4 am $s" "$out"
	fi
done
finish delivery
