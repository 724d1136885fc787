/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmem-vmm-mainline: gmem-vmm.c built with -DGMEM_VMM_MAINLINE_HEADERS, as a
 * VMM written for mainline Linux (6.18+) would be.  It uses only mainline's
 * spellings, and their values come from here, mainline's numbers written
 * out, not from the kernel's <linux/kvm.h>: so that it running on the series
 * shows that the series speaks mainline's uAPI, not merely that gmem-vmm
 * agrees with the series' own header.
 *
 * A <linux/kvm.h> that lacks them (Linux 6.12's, or mainline's before 6.18)
 * is fine; one that defines them with other values (v1 of the series had
 * KVM_CAP_GUEST_MEMFD_FLAGS 239) stops the build.  The series' own name for
 * bit 0, GUEST_MEMFD_FLAG_MAPPABLE, is poisoned: a VMM for mainline can't
 * use it.  vmm/Makefile builds gmem-vmm.c against a kvm.h without these
 * definitions, and checks that one with v1's number is refused.
 */
#ifndef GMEM_VMM_MAINLINE_UAPI_H
#define GMEM_VMM_MAINLINE_UAPI_H

#include <linux/kvm.h>

/* Since Linux 6.8: guest_memfd itself, unchanged by the series. */
#if !defined(KVM_CREATE_GUEST_MEMFD) || !defined(KVM_MEM_GUEST_MEMFD) || \
	!defined(KVM_SET_USER_MEMORY_REGION2) || !defined(KVM_CAP_USER_MEMORY2)
#error "<linux/kvm.h> has no guest_memfd: build against Linux 6.8+ headers"
#endif

/* Mainline's numbers, include/uapi/linux/kvm.h of Linux 6.18. */
#define MAINLINE_KVM_CAP_GUEST_MEMFD_FLAGS	244
#define MAINLINE_GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#define MAINLINE_GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)

#if defined(KVM_CAP_GUEST_MEMFD_FLAGS) && \
	KVM_CAP_GUEST_MEMFD_FLAGS != MAINLINE_KVM_CAP_GUEST_MEMFD_FLAGS
#error "<linux/kvm.h>'s KVM_CAP_GUEST_MEMFD_FLAGS is not mainline's 244"
#endif
#if defined(GUEST_MEMFD_FLAG_MMAP) && \
	GUEST_MEMFD_FLAG_MMAP != MAINLINE_GUEST_MEMFD_FLAG_MMAP
#error "<linux/kvm.h>'s GUEST_MEMFD_FLAG_MMAP is not mainline's bit 0"
#endif
#if defined(GUEST_MEMFD_FLAG_INIT_SHARED) && \
	GUEST_MEMFD_FLAG_INIT_SHARED != MAINLINE_GUEST_MEMFD_FLAG_INIT_SHARED
#error "<linux/kvm.h>'s GUEST_MEMFD_FLAG_INIT_SHARED is not mainline's bit 1"
#endif

#undef KVM_CAP_GUEST_MEMFD_FLAGS
#undef GUEST_MEMFD_FLAG_MMAP
#undef GUEST_MEMFD_FLAG_INIT_SHARED
#undef GUEST_MEMFD_FLAG_MAPPABLE
#pragma GCC poison GUEST_MEMFD_FLAG_MAPPABLE

#define KVM_CAP_GUEST_MEMFD_FLAGS	MAINLINE_KVM_CAP_GUEST_MEMFD_FLAGS
#define GUEST_MEMFD_FLAG_MMAP		MAINLINE_GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_INIT_SHARED	MAINLINE_GUEST_MEMFD_FLAG_INIT_SHARED

#endif
