/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 guest of gmem-vmm.  gmem-vmm starts it at EL1 with the MMU off
 * (KVM's vCPU reset state), at CODE_GPA (arch-arm64.c), so guest physical
 * addresses are used as they are.  With the MMU off, data accesses are to
 * Device memory: every access here is naturally aligned.
 *
 * One run: install the vector table, count the run, do what the mailbox's
 * command says, and for GUEST_CMD_WORK checksum the data region, fill the
 * fill region, write a message, then store to DONE_MMIO, which is outside
 * every memslot: KVM exits with KVM_EXIT_MMIO.  The next KVM_RUN completes
 * the store and continues with the branch back to the start: every KVM_RUN
 * is one run.  An exception stores its details in the mailbox and then to
 * FAULT_MMIO.
 */
#include "layout.h"

	.text
	.globl	_start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x19, #MAILBOX_GPA
	ldr	w0, [x19, #MB_RUNS]
	add	w0, w0, #1
	str	w0, [x19, #MB_RUNS]
	ldr	w0, [x19, #MB_CMD]
	cmp	w0, #GUEST_CMD_FAULT
	b.eq	crash
	cmp	w0, #GUEST_CMD_HANG
	b.eq	hang
	bl	checksum
	bl	fill
	bl	message
	mov	x1, #DONE_MMIO
	mov	w0, #1
	str	w0, [x1]
	b	_start

crash:
	udf	#0			/* undefined instruction */
hang:
	b	hang

/* MB_SUM = checksum of the data region, MB_NONZERO = its non-zero words. */
checksum:
	mov	x1, #DATA_GPA
	mov	x2, #(DATA_SIZE / 4)
	mov	w0, #0
	mov	w3, #0
	mov	w5, #31
1:	ldr	w4, [x1], #4
	madd	w0, w0, w5, w4
	cbz	w4, 2f
	add	w3, w3, #1
2:	subs	x2, x2, #1
	b.ne	1b
	str	w0, [x19, #MB_SUM]
	str	w3, [x19, #MB_NONZERO]
	ret

/* The fill region: word i = MB_FILL_SEED + i * FILL_STEP. */
fill:
	mov	x1, #FILL_GPA
	mov	x2, #(FILL_SIZE / 4)
	ldr	w0, [x19, #MB_FILL_SEED]
	ldr	w3, =FILL_STEP
1:	str	w0, [x1], #4
	add	w0, w0, w3
	subs	x2, x2, #1
	b.ne	1b
	ret

/* Copy the message, with its NUL, to MB_MSG. */
message:
	adr	x1, msg
	add	x2, x19, #MB_MSG
1:	ldrb	w0, [x1], #1
	strb	w0, [x2], #1
	cbnz	w0, 1b
	ret

	.ltorg
msg:	.asciz	"hello from the arm64 guest, running from guest_memfd only"

/*
 * The vector table: 16 entries of 128 bytes, 2 KiB aligned.  Each entry
 * passes its number to report, which stores the vector number, ESR_EL1,
 * ELR_EL1 and FAR_EL1 in the mailbox (MB_FAULT) and then stores to
 * FAULT_MMIO, and stops there.
 */
	.balign	2048
vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	mov	x0, #\n
	b	report
	.endr

report:
	mov	x19, #MAILBOX_GPA
	str	w0, [x19, #MB_FAULT]
	mrs	x1, esr_el1
	str	x1, [x19, #MB_FAULT + 8]
	mrs	x1, elr_el1
	str	x1, [x19, #MB_FAULT + 16]
	mrs	x1, far_el1
	str	x1, [x19, #MB_FAULT + 24]
	ldr	x1, =FAULT_MMIO
	str	w0, [x1]
	b	.
	.ltorg

	.section .note.GNU-stack, "", %progbits
