// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-vmm: a small VMM that runs a guest entirely from mappable guest_memfd.
 *
 * It is an example: main() calls the steps in order, and each step is one
 * function below.
 *
 *  1. open /dev/kvm and check that KVM_CAP_GUEST_MEMFD_FLAGS (244, mainline's
 *     number) reports GUEST_MEMFD_FLAG_MAPPABLE and GUEST_MEMFD_FLAG_INIT_SHARED
 *     (a kernel without the series, or before Linux 6.18, does not);
 *  2. create a VM of the default type and check the capability on it;
 *  3. create a guest_memfd with GUEST_MEMFD_FLAG_MAPPABLE (the host may
 *     mmap() it) and GUEST_MEMFD_FLAG_INIT_SHARED (its memory starts shared,
 *     so the host may fault it in), sized for the guest (layout.h);
 *  4. mmap() it MAP_SHARED and load the guest's code and data through that
 *     mapping: the guest has no other memory;
 *  5. bind it to memslot 0 with KVM_SET_USER_MEMORY_REGION2: flag
 *     KVM_MEM_GUEST_MEMFD, the guest_memfd and offset, and as userspace_addr
 *     the mapping of the same guest_memfd at that offset, as
 *     Documentation/virt/kvm/api.rst recommends for guest_memfd-only
 *     memslots, or 0 (--userspace-addr 0): the guest then runs from the
 *     guest_memfd alone, and the mapping is the VMM's only;
 *  6. create a vCPU, start it at the guest's code (arch-ARCH.c), KVM_RUN;
 *  7. read the guest's results through the mapping and check them;
 *  8. fallocate(PUNCH_HOLE) the data region and run the guest again: it
 *     must see zeroes there, and the rest of its memory unchanged.
 *
 * --no-init-shared creates the guest_memfd without
 * GUEST_MEMFD_FLAG_INIT_SHARED, to show what a VMM that forgets it gets: the
 * mmap() succeeds, and loading the guest through it is SIGBUS, reported as
 * one error line.
 *
 * Built a second time as gmem-vmm-mainline, a VMM written for mainline's
 * uAPI (vmm.h, mainline-uapi.h), it does the same.
 *
 * Every line it prints starts with "gmem-vmm: " ("gmem-vmm-mainline: "); an
 * error is one line "gmem-vmm: error: what is wrong: what to do".  Exit
 * status: 0 when every check passed, 1 on a failure, 2 on bad usage, 4
 * (KSFT_SKIP) when this machine has no KVM or its kernel can't map
 * guest_memfd with its memory shared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layout.h"
#include "vmm.h"

extern const char guest_image[], guest_image_end[];

struct options {
	const char *kvm_path;
	unsigned int guest_cmd;		/* GUEST_CMD_* */
	unsigned int timeout;		/* seconds per run */
	unsigned long long mem_size;
	int hva_zero;			/* --userspace-addr 0 */
	int no_init_shared;		/* --no-init-shared */
	int no_direct_map;		/* --no-direct-map */
};

void die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(PROG ": error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void say(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void xioctl(int fd, unsigned long request, void *arg, const char *name)
{
	if (ioctl(fd, request, arg) < 0)
		die(1, "%s: %s: unexpected from this kernel; see its log (dmesg)",
		    name, strerror(errno));
}

/*
 * The guest changes its memory behind the compiler's back, during KVM_RUN:
 * volatile accesses, like the kernel's READ_ONCE(), so that each is made.
 */
static volatile uint32_t *mailbox(struct vm *vm, unsigned int field)
{
	return (volatile uint32_t *)(vm->mem + MAILBOX_GPA + field);
}

uint32_t mailbox_get(struct vm *vm, unsigned int field)
{
	return *mailbox(vm, field);
}

uint64_t mailbox_get64(struct vm *vm, unsigned int field)
{
	return *(volatile uint64_t *)(vm->mem + MAILBOX_GPA + field);
}

static void mailbox_set(struct vm *vm, unsigned int field, uint32_t val)
{
	*mailbox(vm, field) = val;
}

/* Step 1: /dev/kvm, and whether this kernel can map guest_memfd at all. */
static int open_kvm(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		die(KSFT_SKIP, "%s does not exist: this machine has no KVM; boot a kernel with KVM (make run does) or pass --kvm PATH",
		    path);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		die(1, "%s: %s: run as root or as a member of the group that owns it (usually kvm)",
		    path, strerror(errno));
	if (fd < 0)
		die(1, "%s: %s: check that it is KVM's device", path, strerror(errno));
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die(1, "%s: not KVM API version %d: pass KVM's device to --kvm",
		    path, KVM_API_VERSION);
	return fd;
}

/*
 * KVM_CAP_GUEST_MEMFD_FLAGS returns the mask of KVM_CREATE_GUEST_MEMFD flags:
 * on /dev/kvm those some VM type supports, on a VM fd those that VM accepts.
 * A kernel that does not know the capability returns 0.  gmem-vmm needs both
 * flags: MAPPABLE alone gives a mapping whose every host fault is SIGBUS.
 */
static void check_mappable(int fd, const char *where, const char *fix)
{
	int flags = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	unsigned long long missing;

	if (flags < 0)
		flags = 0;
	missing = GMEM_FLAGS & ~flags;
	if (missing)
		die(KSFT_SKIP, "%s: KVM_CAP_GUEST_MEMFD_FLAGS (%d) is %#x, without %s: %s",
		    where, KVM_CAP_GUEST_MEMFD_FLAGS, flags,
		    missing == GMEM_FLAGS ? GMEM_FLAGS_NAME :
		    missing & GMEM_FLAG_MAP ? GMEM_FLAG_MAP_NAME : GMEM_FLAG_SHARED_NAME,
		    fix);
	say("%s: KVM_CAP_GUEST_MEMFD_FLAGS (%d) = %#x: %s supported",
	    where, KVM_CAP_GUEST_MEMFD_FLAGS, flags, GMEM_FLAGS_NAME);
}

static void check_kvm(struct vm *vm, const char *path)
{
	vm->kvm = open_kvm(path);
	if (ioctl(vm->kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2) <= 0)
		die(KSFT_SKIP, "%s: no KVM_CAP_USER_MEMORY2, so no guest_memfd (Linux 6.8+): boot a kernel with the gmem-mmap series (make run)",
		    path);
	check_mappable(vm->kvm, path,
		       "this kernel can't run a guest from shared, mmap()ed guest_memfd; boot one with the gmem-mmap series v2 (make run) or Linux 6.18+");
}

/*
 * --no-direct-map: the VM must report GUEST_MEMFD_FLAG_NO_DIRECT_MAP too
 * (the second series; x86_64, and arm64 with rodata=full and FEAT_S2FWB).
 */
static void check_no_direct_map(struct vm *vm)
{
	int flags = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);

	if (flags < 0 || !(flags & GUEST_MEMFD_FLAG_NO_DIRECT_MAP))
		die(KSFT_SKIP, "default VM: KVM_CAP_GUEST_MEMFD_FLAGS is %#x, without " GMEM_FLAG_NDM_NAME ": boot a kernel with the no-direct-map series (arm64 also needs rodata=full and FEAT_S2FWB)",
		    flags < 0 ? 0 : flags);
	say("default VM: " GMEM_FLAG_NDM_NAME " supported");
}

/* Step 2: a VM of the default type (0: KVM_X86_DEFAULT_VM, arm64's default). */
static void create_vm(struct vm *vm)
{
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die(1, "KVM_CREATE_VM: %s: KVM is there but refuses VMs; see the kernel log (dmesg)",
		    strerror(errno));
	check_mappable(vm->fd, "default VM",
		       "this VM type can't run from shared, mappable guest_memfd; use the default VM type");
}

static const char *gmem_hint(int err)
{
	switch (err) {
	case EINVAL:
		return "the size must be a non-zero multiple of the page size and the flags ones KVM_CAP_GUEST_MEMFD_FLAGS reports; fix --mem-size";
	case ENOMEM:
		return "the host is short of memory; free some";
	case EMFILE:
	case ENFILE:
		return "too many open files; raise the limit (ulimit -n)";
	default:
		return "see KVM_CREATE_GUEST_MEMFD in Documentation/virt/kvm/api.rst";
	}
}

/*
 * A host access through the mapping that the kernel refuses is SIGBUS: on a
 * guest_memfd created without GUEST_MEMFD_FLAG_INIT_SHARED, every one.  Say
 * so in one error line rather than die of a bare "Bus error": the handler
 * writes it with write(2) only, from what the VMM set beforehand.
 */
static const uint8_t *sigbus_base;
static size_t sigbus_size;
static const char *sigbus_doing = "touching guest memory";
static const char *sigbus_hint;

/* What the VMM does next through the mapping, for the SIGBUS message. */
static void doing(const char *what)
{
	sigbus_doing = what;
	/* Stored before the accesses it describes, as the handler sees it. */
	atomic_signal_fence(memory_order_seq_cst);
}

static void put(const char *s)
{
	ssize_t ret = write(STDERR_FILENO, s, strlen(s));

	(void)ret;
}

static void put_hex(uintptr_t val)
{
	char buf[2 + 2 * sizeof(val) + 1], *p = buf + sizeof(buf) - 1;

	*p = 0;
	do {
		*--p = "0123456789abcdef"[val & 15];
		val >>= 4;
	} while (val);
	*--p = 'x';
	*--p = '0';
	put(p);
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t addr = (uintptr_t)si->si_addr, base = (uintptr_t)sigbus_base;

	(void)sig;
	(void)ctx;
	put(PROG ": error: SIGBUS while ");
	put(sigbus_doing);
	if (addr - base < sigbus_size) {
		put(" at guest_memfd offset ");
		put_hex(addr - base);
	} else {
		put(" at address ");
		put_hex(addr);
	}
	put(" through the VMM's mapping: ");
	put(sigbus_hint);
	put("\n");
	_exit(1);
}

static void catch_sigbus(struct vm *vm, int no_init_shared)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

	sigbus_base = vm->mem;
	sigbus_size = vm->mem_size;
	sigbus_hint = no_init_shared ?
		"the guest_memfd was created without " GMEM_FLAG_SHARED_NAME " (--no-init-shared), so its memory is private to the guest and the host may not fault it in; create it with " GMEM_FLAGS_NAME :
		"the kernel refused a host fault on a guest_memfd created with " GMEM_FLAG_SHARED_NAME "; see the kernel log (dmesg)";
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * Steps 3 and 4: the guest_memfd, and the VMM's mapping of it.  Both flags,
 * unless no_init_shared leaves out GUEST_MEMFD_FLAG_INIT_SHARED.
 */
static void create_guest_memfd(struct vm *vm, unsigned long long size, int no_init_shared,
			       int no_direct_map)
{
	struct kvm_create_guest_memfd gmem = {
		.size = size,
		.flags = (no_init_shared ? GMEM_FLAG_MAP : GMEM_FLAGS) |
			 (no_direct_map ? GUEST_MEMFD_FLAG_NO_DIRECT_MAP : 0),
	};
	const char *flags = no_direct_map ?
		(no_init_shared ? GMEM_FLAG_MAP_NAME "|" GMEM_FLAG_NDM_NAME :
				  GMEM_FLAGS_NAME "|" GMEM_FLAG_NDM_NAME) :
		(no_init_shared ? GMEM_FLAG_MAP_NAME : GMEM_FLAGS_NAME);

	vm->gmem = ioctl(vm->fd, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (vm->gmem < 0)
		die(1, "KVM_CREATE_GUEST_MEMFD (size %llu, %s) refused: %s: %s",
		    size, flags, strerror(errno), gmem_hint(errno));
	vm->mem_size = size;

	/*
	 * Only MAP_SHARED: a private copy would not be the guest's memory.
	 * No PROT_EXEC: the kernel refuses it (EPERM), as mainline does.
	 */
	vm->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->gmem, 0);
	if (vm->mem == MAP_FAILED)
		die(1, "mmap() of the guest_memfd: %s: the kernel refuses to map it (ENODEV: it was created without %s)",
		    strerror(errno), GMEM_FLAG_MAP_NAME);
	catch_sigbus(vm, no_init_shared);
	say("guest_memfd: %llu KiB, %s%s, mmap()ed MAP_SHARED by the VMM",
	    size >> 10, flags,
	    no_init_shared ? " (--no-init-shared: its memory starts private)" : "");
}

/* A fixed pseudo-random sequence (xorshift32): the data the guest checksums. */
static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* pwrite() all of @len, or die saying what was being written. */
static void write_guest(struct vm *vm, const void *buf, size_t len, off_t gpa, const char *what)
{
	ssize_t done = pwrite(vm->gmem, buf, len, gpa);

	if (done != (ssize_t)len)
		die(1, "pwrite() of the guest's %s (%zu bytes at GPA %#llx) to the guest_memfd: %s",
		    what, len, (unsigned long long)gpa,
		    done < 0 ? strerror(errno) : "short write");
}

/*
 * Step 4: everything the guest has, its code included, is written through
 * the mapping, or with pwrite() (use_write: --no-direct-map, as a VMM that
 * keeps guest memory out of the direct map may prefer not to touch it
 * through a mapping).  The writes allocate the guest_memfd's pages.
 */
static void load_guest(struct vm *vm, unsigned int cmd, int use_write)
{
	size_t len = guest_image_end - guest_image;
	uint32_t *data = use_write ? malloc(DATA_SIZE) : (uint32_t *)(vm->mem + DATA_GPA);
	uint32_t state = 0x2545f491;
	size_t i;

	if (len > CODE_MAX)
		die(1, "the guest image is %zu bytes, more than CODE_MAX (%d): grow CODE_MAX in layout.h",
		    len, CODE_MAX);
	if (!data)
		die(1, "out of memory for the guest's data");
	doing("loading the guest");
	if (use_write)
		write_guest(vm, guest_image, len, CODE_GPA, "code");
	else
		memcpy(vm->mem + CODE_GPA, guest_image, len);
	for (i = 0; i < DATA_SIZE / 4; i++)
		data[i] = next_random(&state);
	if (use_write) {
		write_guest(vm, data, DATA_SIZE, DATA_GPA, "data");
		free(data);
	}
	mailbox_set(vm, MB_CMD, cmd);
	mailbox_set(vm, MB_RUNS, 0);
	doing("reading or writing the guest's memory");
	say("loaded %s: %zu bytes of %s guest code at GPA %#x, %d KiB of data at GPA %#x",
	    use_write ? "with pwrite()" : "through the mapping",
	    len, arch_name, CODE_GPA, DATA_SIZE >> 10, DATA_GPA);
}

/*
 * Step 5: memslot 0 covers all of guest memory, from the guest_memfd.
 * Because the guest_memfd is mappable, the memslot is guest_memfd-only: KVM
 * maps every page of it into the guest from the guest_memfd.  KVM still
 * reads and writes guest memory through userspace_addr in some places (x86
 * instruction emulation, arm64 vGIC ITS tables, ...), so by default
 * userspace_addr is the VMM's MAP_SHARED mapping of the same guest_memfd at
 * guest_memfd_offset (KVM does not check that).  With hva_zero it is 0, as
 * mainline allows for a guest_memfd-only memslot: where KVM runs this guest
 * with hardware paging (NPT/EPT, stage 2) it needs none of those paths, so
 * it runs from the guest_memfd alone.
 */
static void bind_memslot(struct vm *vm, int hva_zero)
{
	struct kvm_userspace_memory_region2 region = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = 0,
		.memory_size = vm->mem_size,
		.userspace_addr = hva_zero ? 0 : (uintptr_t)vm->mem,
		.guest_memfd = vm->gmem,
		.guest_memfd_offset = 0,
	};

	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION2, &region) < 0)
		die(1, "KVM_SET_USER_MEMORY_REGION2 (KVM_MEM_GUEST_MEMFD, userspace_addr %#llx): %s: %s",
		    (unsigned long long)region.userspace_addr, strerror(errno),
		    hva_zero ? "the kernel refuses a guest_memfd-only memslot without a host address; use --userspace-addr mapping"
			     : "the kernel refuses guest_memfd memslots for this VM");
	say("memslot 0: GPA 0x0-%#zx, KVM_MEM_GUEST_MEMFD, guest_memfd offset 0, userspace_addr = %s",
	    vm->mem_size - 1,
	    hva_zero ? "0 (the VMM's mapping is not in the memslot)" : "the VMM's mapping of it");
}

/* Step 6: vCPU 0 and its kvm_run, started at the guest's code. */
static void create_vcpu(struct vm *vm)
{
	int size;

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		die(1, "KVM_CREATE_VCPU: %s: see the kernel log (dmesg)", strerror(errno));
	size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(*vm->run))
		die(1, "KVM_GET_VCPU_MMAP_SIZE: %s: see the kernel log (dmesg)", strerror(errno));
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		die(1, "mmap() of the vCPU's kvm_run: %s", strerror(errno));
	arch_vcpu_init(vm, CODE_GPA);
}

/*
 * A guest that never finishes a run: SIGALRM interrupts KVM_RUN (EINTR).
 * immediate_exit covers a signal that comes just before KVM_RUN.
 */
static volatile sig_atomic_t timed_out;
static struct kvm_run *alarm_run;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	alarm_run->immediate_exit = 1;
}

static void set_alarm(struct vm *vm, unsigned int seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	alarm_run = vm->run;
	timed_out = 0;
	vm->run->immediate_exit = 0;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: KVM_RUN returns */
	alarm(seconds);
}

static void describe_exit(struct vm *vm, char *why, size_t len)
{
	struct kvm_run *run = vm->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		snprintf(why, len, "an MMIO %s at GPA %#llx, outside guest memory",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, len, "KVM_EXIT_FAIL_ENTRY, hardware reason %#llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, len, "KVM_EXIT_INTERNAL_ERROR, suberror %u",
			 run->internal.suberror);
		break;
	default:
		snprintf(why, len, "exit reason %u", run->exit_reason);
	}
}

/*
 * A guest still at its first instruction never ran: KVM could not enter it.
 * (An x86 host kernel that found no TSC frequency is one way to get there.)
 */
static void __noreturn timeout_error(struct vm *vm, int nr, unsigned int timeout)
{
	uint64_t pc = arch_pc(vm);

	if (pc == CODE_GPA && !mailbox_get(vm, MB_RUNS))
		die(1, "run %d: the vCPU did not run a single guest instruction in %u s: KVM can't enter guests here; see the kernel log (dmesg)",
		    nr, timeout);
	die(1, "run %d: the guest did not finish within %u s (it is at PC %#llx): it hangs; fix its code, or raise --timeout if it is only slow",
	    nr, timeout, (unsigned long long)pc);
}

/* Run the guest once: KVM_RUN until it signals done; anything else dies. */
static void run_guest(struct vm *vm, int nr, unsigned int timeout)
{
	char why[256];

	set_alarm(vm, timeout);
	for (;;) {
		if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && timed_out)
				timeout_error(vm, nr, timeout);
			if (errno == EINTR)
				continue;
			die(1, "run %d: KVM_RUN: %s: see the kernel log (dmesg)",
			    nr, strerror(errno));
		}
		switch (arch_exit(vm, why, sizeof(why))) {
		case STOP_DONE:
			alarm(0);
			return;
		case STOP_FAULT:
			die(1, "run %d: the guest faulted: %s: its code or data is wrong; see guest-%s.S",
			    nr, why, arch_name);
		case STOP_OTHER:
			/* Emulation needs a host address: see bind_memslot(). */
			if (vm->hva_zero && vm->run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
			    vm->run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
				die(1, "run %d: KVM_EXIT_INTERNAL_ERROR, emulation: KVM could not emulate a guest instruction; emulation reads guest memory through the memslot's userspace_addr, which is 0 (--userspace-addr 0): on a KVM that emulates this guest, bind the memslot to the mapping (--userspace-addr mapping)",
				    nr);
			describe_exit(vm, why, sizeof(why));
			die(1, "run %d: unexpected exit from the guest: %s; see guest-%s.S",
			    nr, why, arch_name);
		}
	}
}

static uint32_t host_checksum(struct vm *vm, uint32_t *nonzero)
{
	const uint32_t *data = (const uint32_t *)(vm->mem + DATA_GPA);
	uint32_t sum = 0;
	size_t i;

	*nonzero = 0;
	for (i = 0; i < DATA_SIZE / 4; i++) {
		sum = sum * 31 + data[i];
		*nonzero += data[i] != 0;
	}
	return sum;
}

/* Poison the results, so that a guest that writes none is caught. */
static void clear_results(struct vm *vm, uint32_t seed)
{
	mailbox_set(vm, MB_FILL_SEED, seed);
	mailbox_set(vm, MB_SUM, 0xdeadbeef);
	mailbox_set(vm, MB_NONZERO, 0xdeadbeef);
	memset(vm->mem + MAILBOX_GPA + MB_MSG, 0, MB_MSG_MAX);
	memset(vm->mem + FILL_GPA, 0, FILL_SIZE);
}

static int check(int nr, int good, const char *fmt, ...) __printf(3, 4);

static int check(int nr, int good, const char *fmt, ...)
{
	va_list ap;

	printf(PROG ": run %d: %s: ", nr, good ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return good ? 0 : 1;
}

static unsigned int bad_fill_words(struct vm *vm, uint32_t seed)
{
	const uint32_t *fill = (const uint32_t *)(vm->mem + FILL_GPA);
	unsigned int i, bad = 0;

	for (i = 0; i < FILL_SIZE / 4; i++)
		bad += fill[i] != seed + i * (uint32_t)FILL_STEP;
	return bad;
}

/*
 * Step 7: the guest's results, read through the VMM's mapping: the checksum
 * of what the VMM wrote, the fill pattern, the message and the run count.
 */
static int check_results(struct vm *vm, int nr, uint32_t seed)
{
	uint32_t nonzero, sum = host_checksum(vm, &nonzero);
	uint32_t gsum = mailbox_get(vm, MB_SUM);
	uint32_t gnonzero = mailbox_get(vm, MB_NONZERO);
	const char *msg = (const char *)vm->mem + MAILBOX_GPA + MB_MSG;
	unsigned int bad = bad_fill_words(vm, seed);
	int fails = 0;

	fails += check(nr, gsum == sum && gnonzero == nonzero,
		       "guest checksum of the %d KiB data region 0x%08x (%u non-zero words), VMM's 0x%08x (%u)",
		       DATA_SIZE >> 10, gsum, gnonzero, sum, nonzero);
	fails += check(nr, !bad, "guest filled %d KiB at GPA %#x: %u of %d words wrong",
		       FILL_SIZE >> 10, FILL_GPA, bad, FILL_SIZE / 4);
	fails += check(nr, strnlen(msg, MB_MSG_MAX) && strnlen(msg, MB_MSG_MAX) < MB_MSG_MAX,
		       "guest's message: \"%.*s\"", MB_MSG_MAX - 1, msg);
	fails += check(nr, mailbox_get(vm, MB_RUNS) == (uint32_t)nr,
		       "guest's run count, kept in its memory: %u",
		       mailbox_get(vm, MB_RUNS));
	return fails;
}

/*
 * Step 8: punching a hole frees the data region's pages and removes them
 * from the VMM's mapping and from the guest.  The guest read them in run 1;
 * in run 2 it must find zeroes, and its code and mailbox still there.
 */
static void punch_data(struct vm *vm)
{
	if (fallocate(vm->gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      DATA_GPA, DATA_SIZE) < 0)
		die(1, "fallocate(PUNCH_HOLE) of the guest_memfd: %s: guest_memfd supports it since Linux 6.8; see the kernel log",
		    strerror(errno));
	say("fallocate(PUNCH_HOLE) of the data region (%d KiB at offset %#x); running the guest again",
	    DATA_SIZE >> 10, DATA_GPA);
}

static int check_punched(struct vm *vm)
{
	uint32_t gnonzero = mailbox_get(vm, MB_NONZERO);

	return check(2, gnonzero == 0 && mailbox_get(vm, MB_SUM) == 0,
		     "guest saw the punched data region as zeroes: %u non-zero words",
		     gnonzero);
}

static void usage(int status) __noreturn;

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [--kvm PATH] [--guest work|fault|hang] [--timeout SECONDS] [--mem-size BYTES]\n"
		"                [--userspace-addr mapping|0] [--no-init-shared] [--no-direct-map]\n"
		"Runs a small guest entirely from a mappable guest_memfd and checks its work.\n"
		"  --kvm PATH        KVM's device (default /dev/kvm)\n"
		"  --guest MODE      work (default); fault or hang: a guest that crashes or never finishes\n"
		"  --timeout SECONDS how long one run of the guest may take (default 30)\n"
		"  --mem-size BYTES  the guest_memfd's size (default %d)\n"
		"  --userspace-addr mapping|0\n"
		"                    the memslot's userspace_addr: the VMM's mapping of the guest_memfd\n"
		"                    (default), or 0 (the guest runs from the guest_memfd alone)\n"
		"  --no-init-shared  create the guest_memfd without " GMEM_FLAG_SHARED_NAME "\n"
		"                    (a VMM's mistake, for the error test: loading the guest is SIGBUS)\n"
		"  --no-direct-map   create it with " GMEM_FLAG_NDM_NAME " too (out of the kernel's\n"
		"                    direct map; exit 4 where not supported) and load the guest with pwrite()\n",
		GUEST_MEM_SIZE);
	exit(status);
}

static unsigned long long number(const char *opt, const char *arg)
{
	char *end;
	unsigned long long val;

	errno = 0;
	val = strtoull(arg, &end, 0);
	if (errno || !*arg || *end || arg[0] == '-')
		die(2, "%s '%s' is not a number: give a positive integer", opt, arg);
	return val;
}

static unsigned int guest_mode(const char *arg)
{
	if (!strcmp(arg, "work"))
		return GUEST_CMD_WORK;
	if (!strcmp(arg, "fault"))
		return GUEST_CMD_FAULT;
	if (!strcmp(arg, "hang"))
		return GUEST_CMD_HANG;
	die(2, "--guest '%s' is not a mode: use work, fault or hang", arg);
}

static int userspace_addr_mode(const char *arg)
{
	if (!strcmp(arg, "mapping"))
		return 0;
	if (!strcmp(arg, "0"))
		return 1;
	die(2, "--userspace-addr '%s' is not a mode: use mapping or 0", arg);
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "kvm", required_argument, NULL, 'k' },
		{ "guest", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "mem-size", required_argument, NULL, 'm' },
		{ "userspace-addr", required_argument, NULL, 'u' },
		{ "no-init-shared", no_argument, NULL, 'n' },
		{ "no-direct-map", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kvm_path = optarg;
			break;
		case 'g':
			o->guest_cmd = guest_mode(optarg);
			break;
		case 't':
			o->timeout = number("--timeout", optarg);
			break;
		case 'm':
			o->mem_size = number("--mem-size", optarg);
			break;
		case 'u':
			o->hva_zero = userspace_addr_mode(optarg);
			break;
		case 'n':
			o->no_init_shared = 1;
			break;
		case 'd':
			o->no_direct_map = 1;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind < argc)
		die(2, "unexpected argument '%s': see " PROG " --help", argv[optind]);
	if (!o->timeout)
		die(2, "--timeout 0: give at least 1 second");
	if (o->mem_size < GUEST_MEM_SIZE)
		die(2, "--mem-size %llu is smaller than the guest's layout: give at least %d",
		    o->mem_size, GUEST_MEM_SIZE);
}

int main(int argc, char **argv)
{
	struct options o = {
		.kvm_path = "/dev/kvm",
		.guest_cmd = GUEST_CMD_WORK,
		.timeout = 30,
		.mem_size = GUEST_MEM_SIZE,
	};
	struct vm vm;
	int fails;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv, &o);
#ifdef GMEM_VMM_MAINLINE_HEADERS
	say("built as a VMM for mainline would be: KVM_CAP_GUEST_MEMFD_FLAGS = %d, GUEST_MEMFD_FLAG_MMAP = %#llx, GUEST_MEMFD_FLAG_INIT_SHARED = %#llx, mainline's numbers (mainline-uapi.h)",
	    KVM_CAP_GUEST_MEMFD_FLAGS, GUEST_MEMFD_FLAG_MMAP, GUEST_MEMFD_FLAG_INIT_SHARED);
#endif
	check_kvm(&vm, o.kvm_path);
	create_vm(&vm);
	if (o.no_direct_map)
		check_no_direct_map(&vm);
	create_guest_memfd(&vm, o.mem_size, o.no_init_shared, o.no_direct_map);
	load_guest(&vm, o.guest_cmd, o.no_direct_map);
	vm.hva_zero = o.hva_zero;
	bind_memslot(&vm, o.hva_zero);
	create_vcpu(&vm);

	clear_results(&vm, 0x1000);
	run_guest(&vm, 1, o.timeout);
	fails = check_results(&vm, 1, 0x1000);

	punch_data(&vm);
	clear_results(&vm, 0x2000);
	run_guest(&vm, 2, o.timeout);
	fails += check_results(&vm, 2, 0x2000);
	fails += check_punched(&vm);

	if (fails)
		die(1, "%d check(s) failed: the lines marked FAIL say which", fails);
	say("PASS: the %s guest ran twice from guest_memfd only; its memory behaved as the VMM's mapping showed",
	    arch_name);
	return 0;
}
