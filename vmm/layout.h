/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's memory layout and the protocol between gmem-vmm and its guest.
 * Included by the VMM (C) and by the guest code (assembly): #defines only.
 *
 * All of guest memory is one guest_memfd, bound to one memslot at guest
 * physical address 0.  Offsets into the guest_memfd are therefore also guest
 * physical addresses, and offsets into the VMM's mmap() of it.
 *
 *   0x00000  code     the guest image (guest-ARCH.S), loaded by the VMM
 *   0x04000  mailbox  commands from the VMM, results from the guest
 *   0x0f000  stack    (x86 only; grows down from 0x10000)
 *   0x10000  data     64 KiB the VMM writes and the guest checksums
 *   0x20000  fill     64 KiB the guest fills with a pattern
 *   0x30000  end      the size of the guest_memfd
 *
 * Every region is 64 KiB aligned except the code and mailbox, so that the
 * VMM can punch a hole into data whatever the host's page size.
 */
#ifndef GMEM_VMM_LAYOUT_H
#define GMEM_VMM_LAYOUT_H

#define CODE_GPA	0x00000
#define CODE_MAX	0x04000
#define MAILBOX_GPA	0x04000
#define STACK_TOP	0x10000
#define DATA_GPA	0x10000
#define DATA_SIZE	0x10000
#define FILL_GPA	0x20000
#define FILL_SIZE	0x10000
#define GUEST_MEM_SIZE	0x30000

/* Mailbox fields: 32-bit words at these offsets from MAILBOX_GPA. */
#define MB_CMD		0x00	/* VMM -> guest: one of GUEST_CMD_* */
#define MB_FILL_SEED	0x04	/* VMM -> guest: first word of the fill pattern */
#define MB_RUNS		0x08	/* guest: counts its runs, kept in guest memory */
#define MB_SUM		0x0c	/* guest -> VMM: checksum of the data region */
#define MB_NONZERO	0x10	/* guest -> VMM: non-zero words seen in data */
#define MB_FAULT	0x20	/* guest -> VMM (arm64): vector, ESR, ELR, FAR */
#define MB_MSG		0x100	/* guest -> VMM: a NUL-terminated message */
#define MB_MSG_MAX	0x100

#define GUEST_CMD_WORK	0	/* checksum data, fill, write message, signal done */
#define GUEST_CMD_FAULT	1	/* take an exception (a guest that crashes) */
#define GUEST_CMD_HANG	2	/* spin forever (a guest that never finishes) */

/*
 * The checksum: sum = sum * 31 + word over the data region's 32-bit words,
 * starting from 0.  The fill pattern: word i = seed + i * FILL_STEP.
 */
#define FILL_STEP	0x9e3779b9

/* How the guest signals the VMM: port I/O on x86, MMIO on arm64. */
#define DONE_PORT	0x0f0		/* x86: outb to it when a run is done */
#define MMIO_GPA	0x10000000	/* arm64: outside every memslot */
#define DONE_MMIO	(MMIO_GPA + 0x0)	/* arm64: store here when done */
#define FAULT_MMIO	(MMIO_GPA + 0x8)	/* arm64: store here on exceptions */

#endif
