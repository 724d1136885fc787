/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What gmem-vmm.c (the steps every architecture shares) and arch-ARCH.c (how
 * a vCPU starts and how the guest signals, per architecture) share.
 */
#ifndef GMEM_VMM_H
#define GMEM_VMM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Two builds of the same source: gmem-vmm, against the series' <linux/kvm.h>
 * with the series' names; gmem-vmm-mainline (-DGMEM_VMM_MAINLINE_HEADERS), as
 * a VMM written for mainline would be: mainline's names, with mainline's
 * numbers from mainline-uapi.h.  PROG starts every line each prints.
 *
 * The KVM_CREATE_GUEST_MEMFD flags gmem-vmm needs, and their names in its
 * messages: MAPPABLE (mainline: MMAP), the host may mmap() the guest_memfd;
 * INIT_SHARED, its memory starts shared, so the host may fault it in
 * (without it every host fault is SIGBUS).
 */
#ifdef GMEM_VMM_MAINLINE_HEADERS
#include "mainline-uapi.h"
#define PROG			"gmem-vmm-mainline"
#define GMEM_FLAG_MAP		GUEST_MEMFD_FLAG_MMAP
#define GMEM_FLAG_MAP_NAME	"GUEST_MEMFD_FLAG_MMAP"
#else
#include <linux/kvm.h>
#define PROG			"gmem-vmm"
#define GMEM_FLAG_MAP		GUEST_MEMFD_FLAG_MAPPABLE
#define GMEM_FLAG_MAP_NAME	"GUEST_MEMFD_FLAG_MAPPABLE"
#endif
#define GMEM_FLAG_SHARED	GUEST_MEMFD_FLAG_INIT_SHARED
#define GMEM_FLAG_SHARED_NAME	"GUEST_MEMFD_FLAG_INIT_SHARED"
#define GMEM_FLAGS		(GMEM_FLAG_MAP | GMEM_FLAG_SHARED)
#define GMEM_FLAGS_NAME		GMEM_FLAG_MAP_NAME "|" GMEM_FLAG_SHARED_NAME
/*
 * Not in mainline yet: the second series (docs/direct-map-removal.md) uses
 * bit 2, as does the posting under review upstream.  --no-direct-map.
 */
#ifndef GUEST_MEMFD_FLAG_NO_DIRECT_MAP
#define GUEST_MEMFD_FLAG_NO_DIRECT_MAP	(1ULL << 2)
#endif
#define GMEM_FLAG_NDM_NAME	"GUEST_MEMFD_FLAG_NO_DIRECT_MAP"

#define KSFT_SKIP 4	/* exit status: this kernel can't do it */
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

struct vm {
	int kvm;		/* /dev/kvm */
	int fd;			/* the VM, KVM_CREATE_VM */
	int gmem;		/* its guest_memfd, KVM_CREATE_GUEST_MEMFD */
	uint8_t *mem;		/* the VMM's MAP_SHARED mmap() of the guest_memfd */
	size_t mem_size;
	int hva_zero;		/* the memslot's userspace_addr is 0, not mem */
	int vcpu;		/* vCPU 0, KVM_CREATE_VCPU */
	struct kvm_run *run;	/* the vCPU's mmap()ed kvm_run */
};

/* How a KVM_RUN ended, as arch_exit() reads the exit. */
enum stop {
	STOP_DONE,		/* the guest signalled the end of a run */
	STOP_FAULT,		/* the guest took an exception it can't handle */
	STOP_OTHER,		/* an exit arch_exit() does not know */
};

void die(int status, const char *fmt, ...) __printf(2, 3) __noreturn;
void say(const char *fmt, ...) __printf(1, 2);
void xioctl(int fd, unsigned long request, void *arg, const char *name);
uint32_t mailbox_get(struct vm *vm, unsigned int field);
uint64_t mailbox_get64(struct vm *vm, unsigned int field);

extern const char arch_name[];
/* Make vCPU 0 ready to run the guest from entry; print what was set. */
void arch_vcpu_init(struct vm *vm, uint64_t entry);
/* Read an exit: STOP_DONE, or a one-line description in why. */
enum stop arch_exit(struct vm *vm, char *why, size_t len);
/* The guest's program counter, for messages. */
uint64_t arch_pc(struct vm *vm);

#endif
