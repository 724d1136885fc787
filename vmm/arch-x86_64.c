// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-vmm on x86: the vCPU starts in 32-bit protected mode with flat
 * segments and paging off, so the guest needs no GDT or page tables in its
 * memory; it signals the end of a run with "outb" to DONE_PORT
 * (KVM_EXIT_IO).
 */
#include <stdio.h>
#include <sys/ioctl.h>

#include "layout.h"
#include "vmm.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_RFLAGS_FIXED (1ULL << 1)

const char arch_name[] = "x86_64";

/* A 4 GiB segment from 0: type 0xb is code (execute/read), 0x3 is data. */
static void flat_segment(struct kvm_segment *seg, __u16 selector, __u8 type)
{
	*seg = (struct kvm_segment) {
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.s = 1,		/* code or data, not a system segment */
		.db = 1,	/* 32-bit */
		.g = 1,		/* limit in pages */
	};
}

void arch_vcpu_init(struct vm *vm, uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = entry,
		.rflags = X86_RFLAGS_FIXED,
	};

	xioctl(vm->vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	flat_segment(&sregs.cs, 0x08, 0xb);
	flat_segment(&sregs.ds, 0x10, 0x3);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	/* No IDT: an exception becomes a triple fault, KVM_EXIT_SHUTDOWN. */
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 |= X86_CR0_PE;
	xioctl(vm->vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	xioctl(vm->vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");
	say("vCPU 0: 32-bit protected mode, flat segments, paging off, RIP %#llx",
	    (unsigned long long)entry);
}

uint64_t arch_pc(struct vm *vm)
{
	struct kvm_regs regs;

	xioctl(vm->vcpu, KVM_GET_REGS, &regs, "KVM_GET_REGS");
	return regs.rip;
}

enum stop arch_exit(struct vm *vm, char *why, size_t len)
{
	struct kvm_run *run = vm->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.port == DONE_PORT && run->io.direction == KVM_EXIT_IO_OUT)
			return STOP_DONE;
		snprintf(why, len, "port I/O to port %#x, not DONE_PORT",
			 run->io.port);
		return STOP_FAULT;
	case KVM_EXIT_SHUTDOWN:
		/* KVM resets the vCPU after a shutdown: its RIP says nothing. */
		snprintf(why, len, "triple fault (KVM_EXIT_SHUTDOWN): an exception, and no IDT to handle it");
		return STOP_FAULT;
	case KVM_EXIT_HLT:
		snprintf(why, len, "hlt at RIP %#llx", (unsigned long long)arch_pc(vm));
		return STOP_FAULT;
	default:
		return STOP_OTHER;
	}
}
