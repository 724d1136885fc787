/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's code, embedded in gmem-vmm: GUEST_BIN is the flat binary the
 * Makefile made from guest-$(ARCH).S (objcopy -O binary).
 */
	.section .rodata
	.balign	16
	.globl	guest_image
guest_image:
	.incbin	GUEST_BIN
	.globl	guest_image_end
guest_image_end:

	.section .note.GNU-stack, "", %progbits
