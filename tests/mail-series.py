#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""mail-series.py MAILDIR OUTDIR VERSION N: check the mails an SMTP server
received for a series of N patches, version VERSION, and write them back as
mbox files for git am and b4 (OUTDIR/all.mbox, OUTDIR/patches.mbox), and the
cover letter's Message-Id (OUTDIR/cover-msgid).

Checked: exactly N + 1 mails; subjects "[PATCH vV i/N] ..." with i = 0..N;
every patch is a reply to the cover letter (In-Reply-To and References);
every mail was delivered to kvm@vger.kernel.org and has it in Cc.
Prints one line per problem; exits 1 if there was any.
"""
import mailbox
import re
import sys

maildir, outdir, version, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
problems = []
subject_re = re.compile(r"^\[PATCH v%s (\d+)/(\d+)\] " % re.escape(version))
by_index = {}
for msg in mailbox.Maildir(maildir, create=False):
    subject = re.sub(r"\s+", " ", str(msg["Subject"]))
    m = subject_re.match(subject)
    if not m or int(m.group(2)) != n:
        problems.append(f"subject is not [PATCH v{version} i/{n}]: {subject}")
        continue
    i = int(m.group(1))
    if i in by_index:
        problems.append(f"mail {i} arrived twice")
    by_index[i] = msg
missing = [i for i in range(n + 1) if i not in by_index]
if missing:
    problems.append(f"mails missing: {missing}")
cover = by_index.get(0)
if cover is not None:
    cover_id = cover["Message-Id"].strip()
    for i, msg in sorted(by_index.items()):
        if i == 0:
            continue
        if (msg["In-Reply-To"] or "").strip() != cover_id:
            problems.append(f"patch {i} is not a reply to the cover letter {cover_id}")
        if cover_id not in (msg["References"] or ""):
            problems.append(f"patch {i} does not reference the cover letter")
for i, msg in sorted(by_index.items()):
    rcpt = msg.get("X-RcptTo", "")
    if "kvm@vger.kernel.org" not in rcpt or "kvm@vger.kernel.org" not in (msg["Cc"] or ""):
        problems.append(f"mail {i} did not go to kvm@vger.kernel.org (X-RcptTo: {rcpt})")

if not problems:
    with open(f"{outdir}/cover-msgid", "w") as f:
        f.write(cover_id.strip("<>") + "\n")
    for name, first in (("all.mbox", 0), ("patches.mbox", 1)):
        box = mailbox.mbox(f"{outdir}/{name}", create=True)
        for i in range(first, n + 1):
            box.add(by_index[i])
        box.close()
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
