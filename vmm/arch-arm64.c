// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-vmm on arm64: the vCPU starts at EL1 with the MMU off, in the reset
 * state KVM_ARM_VCPU_INIT gives it; gmem-vmm only sets the PC.  The guest
 * signals the end of a run with a store to DONE_MMIO and an exception with a
 * store to FAULT_MMIO, both outside every memslot (KVM_EXIT_MMIO).
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "layout.h"
#include "vmm.h"

#define CORE_REG(r) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
		     KVM_REG_ARM_CORE_REG(r))

const char arch_name[] = "arm64";

void arch_vcpu_init(struct vm *vm, uint64_t entry)
{
	struct kvm_vcpu_init init;
	struct kvm_one_reg pc = {
		.id = CORE_REG(regs.pc),
		.addr = (uintptr_t)&entry,
	};

	/* The CPU type KVM emulates on this host, with no optional features. */
	xioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET");
	xioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init, "KVM_ARM_VCPU_INIT");
	xioctl(vm->vcpu, KVM_SET_ONE_REG, &pc, "KVM_SET_ONE_REG(pc)");
	say("vCPU 0: EL1, MMU off, PC %#llx", (unsigned long long)entry);
}

uint64_t arch_pc(struct vm *vm)
{
	uint64_t pc;
	struct kvm_one_reg reg = {
		.id = CORE_REG(regs.pc),
		.addr = (uintptr_t)&pc,
	};

	xioctl(vm->vcpu, KVM_GET_ONE_REG, &reg, "KVM_GET_ONE_REG(pc)");
	return pc;
}

static const char *exception_class(uint64_t esr)
{
	switch (esr >> 26) {
	case 0x00:
		return "unknown reason, e.g. an undefined instruction";
	case 0x21:
		return "instruction abort";
	case 0x22:
		return "PC alignment fault";
	case 0x25:
		return "data abort";
	case 0x26:
		return "SP alignment fault";
	default:
		return "see ESR_EL1.EC in the Arm ARM";
	}
}

/*
 * The guest's vector table stored what happened in the mailbox.  FAR_EL1
 * only means something for aborts (exception classes 0x20 to 0x25).
 */
static void describe_fault(struct vm *vm, char *why, size_t len)
{
	uint64_t esr = mailbox_get64(vm, MB_FAULT + 8);
	uint64_t far = mailbox_get64(vm, MB_FAULT + 24);
	char far_text[32] = "";

	if ((esr >> 26) >= 0x20 && (esr >> 26) <= 0x25)
		snprintf(far_text, sizeof(far_text), ", FAR %#llx",
			 (unsigned long long)far);
	snprintf(why, len, "exception (vector %u, ESR_EL1 %#llx: %s) at PC %#llx%s",
		 mailbox_get(vm, MB_FAULT), (unsigned long long)esr,
		 exception_class(esr),
		 (unsigned long long)mailbox_get64(vm, MB_FAULT + 16), far_text);
}

enum stop arch_exit(struct vm *vm, char *why, size_t len)
{
	struct kvm_run *run = vm->run;

	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write)
		return STOP_OTHER;
	if (run->mmio.phys_addr == DONE_MMIO)
		return STOP_DONE;
	if (run->mmio.phys_addr == FAULT_MMIO) {
		describe_fault(vm, why, len);
		return STOP_FAULT;
	}
	return STOP_OTHER;
}
