/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 guest of gmem-vmm.  gmem-vmm starts it in 32-bit protected mode
 * with flat 4 GiB segments and paging off (arch-x86_64.c), at CODE_GPA, so
 * guest physical addresses are used as they are.  There is no IDT: any
 * exception ends in a triple fault, which KVM reports as KVM_EXIT_SHUTDOWN.
 *
 * One run: count the run, do what the mailbox's command says, and for
 * GUEST_CMD_WORK checksum the data region, fill the fill region, write a
 * message, then "outb" to DONE_PORT.  The next KVM_RUN continues after the
 * outb, which jumps back to the start: every KVM_RUN is one run.
 */
#include "layout.h"

	.code32
	.text
	.globl	_start
_start:
	mov	$STACK_TOP, %esp
	mov	$MAILBOX_GPA, %ebx
	incl	MB_RUNS(%ebx)
	mov	MB_CMD(%ebx), %eax
	cmp	$GUEST_CMD_FAULT, %eax
	je	crash
	cmp	$GUEST_CMD_HANG, %eax
	je	hang
	call	checksum
	call	fill
	call	message
	outb	%al, $DONE_PORT
	jmp	_start

crash:
	ud2			/* invalid opcode: no IDT, so a triple fault */
hang:
	jmp	hang

/* MB_SUM = checksum of the data region, MB_NONZERO = its non-zero words. */
checksum:
	mov	$DATA_GPA, %esi
	mov	$DATA_SIZE / 4, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
1:	imul	$31, %eax, %eax
	mov	(%esi), %edi
	add	%edi, %eax
	test	%edi, %edi
	jz	2f
	inc	%edx
2:	add	$4, %esi
	loop	1b
	mov	%eax, MB_SUM(%ebx)
	mov	%edx, MB_NONZERO(%ebx)
	ret

/* The fill region: word i = MB_FILL_SEED + i * FILL_STEP. */
fill:
	mov	$FILL_GPA, %edi
	mov	$FILL_SIZE / 4, %ecx
	mov	MB_FILL_SEED(%ebx), %eax
1:	mov	%eax, (%edi)
	add	$FILL_STEP, %eax
	add	$4, %edi
	loop	1b
	ret

/* Copy the message, with its NUL, to MB_MSG. */
message:
	mov	$msg, %esi
	lea	MB_MSG(%ebx), %edi
	mov	$msg_end - msg, %ecx
	rep	movsb
	ret

msg:	.asciz	"hello from the x86 guest, running from guest_memfd only"
msg_end:

	.section .note.GNU-stack, "", @progbits
