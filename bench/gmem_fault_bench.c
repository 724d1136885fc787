// SPDX-License-Identifier: GPL-2.0
/*
 * gmem_fault_bench: what first-touch faults cost the host on a mappable
 * guest_memfd (GUEST_MEMFD_FLAG_MAPPABLE), on one whose pages leave the
 * direct map (GUEST_MEMFD_FLAG_NO_DIRECT_MAP, the second series:
 * "guest_memfd_ndm"), on memfd_secret() memory (the kernel's own memory out of
 * the direct map), on a memfd (shmem) and on anonymous memory, and what a
 * punch-hole plus re-fault cycle costs on the guest_memfds and the memfd
 * (memfd_secret() has no fallocate()).  A source the kernel lacks (no
 * NO_DIRECT_MAP in KVM_CAP_GUEST_MEMFD_FLAGS, no memfd_secret()) is left out
 * with a line that says why.
 *
 * Each run maps a fresh object of -m MiB and writes one byte to every page;
 * the median of -r runs is printed, one line per source and operation:
 *
 *   bench: host src=memfd op=fault mib=256 runs=5 pages=65536 faults=65536
 *          ms=... faults_per_s=... mib_per_s=... thp=never shmem_thp=never
 *
 * "faults" are the minor faults getrusage() counted during the touch: each
 * run must fault every base page exactly once (or, for anonymous memory with
 * THP enabled=always, at most once per page), else the program fails.
 * It does not change the THP settings; it reports them (gmem-bench sets them).
 *
 * The guest_memfd is created with GUEST_MEMFD_FLAG_MAPPABLE |
 * GUEST_MEMFD_FLAG_INIT_SHARED (v2 of the series, as mainline: without
 * INIT_SHARED its memory starts private to the guest and every host access
 * through the mapping is SIGBUS).
 * A kernel whose KVM_CAP_GUEST_MEMFD_FLAGS lacks INIT_SHARED (v1 of the
 * series, where a mappable guest_memfd's memory is always shared) gets
 * MAPPABLE alone.
 *
 * Exit: 0 done, 4 (KSFT_SKIP) no mappable guest_memfd, 1 error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/kvm.h>

#define KSFT_SKIP 4
/*
 * v2's (and mainline's) bit 1; a <linux/kvm.h> from before v2 lacks it, and
 * its kernel does not report it in KVM_CAP_GUEST_MEMFD_FLAGS.
 */
#ifndef GUEST_MEMFD_FLAG_INIT_SHARED
#define GUEST_MEMFD_FLAG_INIT_SHARED (1ULL << 1)
#endif
/* The second series' bit 2; its kernel reports it where it works. */
#ifndef GUEST_MEMFD_FLAG_NO_DIRECT_MAP
#define GUEST_MEMFD_FLAG_NO_DIRECT_MAP (1ULL << 2)
#endif
#define MAX_RUNS 101
#define THP_DIR "/sys/kernel/mm/transparent_hugepage/"
/* A store the compiler may neither drop nor merge. */
#define WRITE_ONCE(x, val) (*(volatile typeof(x) *)&(x) = (val))

enum src { SRC_GMEM, SRC_GMEM_NDM, SRC_SECRET, SRC_MEMFD, SRC_ANON, NR_SRC };

static const char * const src_name[NR_SRC] = {
	[SRC_GMEM] = "guest_memfd",
	[SRC_GMEM_NDM] = "guest_memfd_ndm",
	[SRC_SECRET] = "memfd_secret",
	[SRC_MEMFD] = "memfd",
	[SRC_ANON] = "anon",
};

#define SRC_GMEM_ANY ((1U << SRC_GMEM) | (1U << SRC_GMEM_NDM))
/* Sources that can punch holes. */
#define SRC_PUNCH (SRC_GMEM_ANY | (1U << SRC_MEMFD))

static size_t page_size;
static int vm_fd = -1;
/* KVM_CREATE_GUEST_MEMFD flags: MAPPABLE, and INIT_SHARED if the kernel has it. */
static __u64 gmem_flags = GUEST_MEMFD_FLAG_MAPPABLE;
static char thp_mode[32] = "none";
static char shmem_thp_mode[32] = "none";

struct sample {
	double ms;
	long faults;
};

static void fail(const char *what)
{
	fprintf(stderr, "gmem_fault_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		fail("getrusage");
	return ru.ru_minflt;
}

/* read_mode: the bracketed word of a THP sysfs file, "none" without one. */
static void read_mode(const char *path, char *buf, size_t len)
{
	char line[256], *open, *close;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		open = strchr(line, '[');
		close = open ? strchr(open, ']') : NULL;
		if (close && (size_t)(close - open) < len) {
			*close = '\0';
			snprintf(buf, len, "%s", open + 1);
		}
	}
	fclose(f);
}

static size_t pmd_size(void)
{
	unsigned long sz = 0;
	FILE *f = fopen(THP_DIR "hpage_pmd_size", "r");

	if (f) {
		if (fscanf(f, "%lu", &sz) != 1)
			sz = 0;
		fclose(f);
	}
	return sz ? sz : 2UL << 20;
}

/*
 * open_vm: a VM whose guest_memfd may be mappable, or exit with SKIP; leaves
 * @srcs without guest_memfd_ndm where the flag isn't reported.
 */
static void open_vm(unsigned int *srcs)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int flags;

	if (kvm < 0) {
		printf("gmem_fault_bench: SKIP: no /dev/kvm (%s)\n", strerror(errno));
		exit(KSFT_SKIP);
	}
	flags = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (flags < 0 || !(flags & GUEST_MEMFD_FLAG_MAPPABLE)) {
		printf("gmem_fault_bench: SKIP: %s\n",
		       "KVM_CAP_GUEST_MEMFD_FLAGS lacks GUEST_MEMFD_FLAG_MAPPABLE");
		exit(KSFT_SKIP);
	}
	if (flags & GUEST_MEMFD_FLAG_INIT_SHARED)
		gmem_flags |= GUEST_MEMFD_FLAG_INIT_SHARED;
	if ((*srcs & (1U << SRC_GMEM_NDM)) && !(flags & GUEST_MEMFD_FLAG_NO_DIRECT_MAP)) {
		printf("gmem_fault_bench: guest_memfd_ndm: not measured: %s\n",
		       "KVM_CAP_GUEST_MEMFD_FLAGS lacks GUEST_MEMFD_FLAG_NO_DIRECT_MAP");
		*srcs &= ~(1U << SRC_GMEM_NDM);
	}
	vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		fail("KVM_CREATE_VM");
	close(kvm);
}

/* check_secret: leaves @srcs without memfd_secret where the kernel lacks it. */
static void check_secret(unsigned int *srcs)
{
	int fd = syscall(__NR_memfd_secret, O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return;
	}
	printf("gmem_fault_bench: memfd_secret: not measured: memfd_secret() failed: %s%s\n",
	       strerror(errno), errno == ENOSYS ? " (CONFIG_SECRETMEM, secretmem.enable)" : "");
	*srcs &= ~(1U << SRC_SECRET);
}

/* new_fd: a fresh, empty object of @size bytes; -1 for anonymous memory. */
static int new_fd(enum src src, size_t size)
{
	struct kvm_create_guest_memfd gmem = {
		.size = size,
		.flags = gmem_flags,
	};
	int fd;

	switch (src) {
	case SRC_GMEM_NDM:
		gmem.flags |= GUEST_MEMFD_FLAG_NO_DIRECT_MAP;
		/* fall through */
	case SRC_GMEM:
		fd = ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &gmem);
		if (fd < 0)
			fail("KVM_CREATE_GUEST_MEMFD");
		return fd;
	case SRC_SECRET:
		fd = syscall(__NR_memfd_secret, O_CLOEXEC);
		if (fd < 0)
			fail("memfd_secret");
		if (ftruncate(fd, size))
			fail("ftruncate");
		return fd;
	case SRC_MEMFD:
		fd = memfd_create("gmem_fault_bench", MFD_CLOEXEC);
		if (fd < 0)
			fail("memfd_create");
		if (ftruncate(fd, size))
			fail("ftruncate");
		return fd;
	default:
		return -1;
	}
}

/*
 * map: map @fd (or anonymous memory), aligned to the PMD size so that THP,
 * when enabled, can back all of it.
 */
static char *map(int fd, size_t size)
{
	size_t align = pmd_size();
	char *p, *start;

	if (fd >= 0) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			fail("mmap");
		return p;
	}
	p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap");
	start = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (start != p)
		munmap(p, start - p);
	munmap(start + size, p + align - start);
	return start;
}

static void touch(char *p, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += page_size)
		WRITE_ONCE(p[off], 1);
}

/* check_faults: every page faulted once, or once per huge page with THP. */
static void check_faults(enum src src, const char *op, long faults, size_t pages)
{
	long min = pages;

	if (src == SRC_ANON && !strcmp(thp_mode, "always"))
		min = pages / (pmd_size() / page_size);
	if (faults >= min && faults <= (long)pages + 4)
		return;
	fprintf(stderr, "gmem_fault_bench: %s %s: %ld minor faults for %zu pages",
		src_name[src], op, faults, pages);
	fprintf(stderr, " (expected %ld..%zu)\n", min, pages + 4);
	exit(1);
}

/* fault_run: mmap() a fresh object and first-touch every page. */
static struct sample fault_run(enum src src, size_t size)
{
	struct sample s;
	int fd = new_fd(src, size);
	double t0;
	long f0;
	char *p;

	f0 = minor_faults();
	t0 = now_ms();
	p = map(fd, size);
	touch(p, size);
	s.ms = now_ms() - t0;
	s.faults = minor_faults() - f0;
	check_faults(src, "fault", s.faults, size / page_size);
	munmap(p, size);
	if (fd >= 0)
		close(fd);
	return s;
}

/*
 * punch_run: first-touch a fresh object (untimed), then punch the whole file
 * and touch every page again; @punch times the punch alone, @cycle the punch
 * plus the re-faults.
 */
static void punch_run(enum src src, size_t size, struct sample *punch,
		      struct sample *cycle)
{
	int fd = new_fd(src, size);
	char *p = map(fd, size);
	double t0, t1;
	long f0;

	touch(p, size);
	f0 = minor_faults();
	t0 = now_ms();
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, size))
		fail("fallocate(PUNCH_HOLE)");
	t1 = now_ms();
	touch(p, size);
	cycle->ms = now_ms() - t0;
	cycle->faults = minor_faults() - f0;
	punch->ms = t1 - t0;
	punch->faults = 0;
	check_faults(src, "re-fault", cycle->faults, size / page_size);
	munmap(p, size);
	close(fd);
}

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return (x->ms > y->ms) - (x->ms < y->ms);
}

/* median: the sample with the median time (sorts @s). */
static struct sample median(struct sample *s, int n)
{
	qsort(s, n, sizeof(*s), cmp_sample);
	return s[n / 2];
}

static void report(enum src src, const char *op, size_t mib, int n,
		   struct sample m, const char *extra)
{
	double sec = m.ms / 1e3;

	printf("bench: host src=%s op=%s mib=%zu runs=%d pages=%zu faults=%ld",
	       src_name[src], op, mib, n, mib * (1UL << 20) / page_size, m.faults);
	printf(" ms=%.3f faults_per_s=%.0f mib_per_s=%.1f thp=%s shmem_thp=%s%s\n",
	       m.ms, sec > 0 ? m.faults / sec : 0, sec > 0 ? mib / sec : 0,
	       thp_mode, shmem_thp_mode, extra);
}

/*
 * run_all: @runs rounds, each of which runs every source in @srcs once, so
 * that drift over time (other load, memory state) hits all sources alike.
 */
static void run_all(unsigned int srcs, size_t mib, int runs, int punch)
{
	static struct sample fault[NR_SRC][MAX_RUNS];
	static struct sample pun[NR_SRC][MAX_RUNS], cyc[NR_SRC][MAX_RUNS];
	char extra[64];
	int r, i;

	for (r = 0; r < runs; r++) {
		for (i = 0; i < NR_SRC; i++) {
			if (!(srcs & (1U << i)))
				continue;
			fault[i][r] = fault_run(i, mib << 20);
			if (punch && (SRC_PUNCH & (1U << i)))
				punch_run(i, mib << 20, &pun[i][r], &cyc[i][r]);
		}
	}
	for (i = 0; i < NR_SRC; i++)
		if (srcs & (1U << i))
			report(i, "fault", mib, runs, median(fault[i], runs), "");
	for (i = 0; punch && i < NR_SRC; i++) {
		if (!(srcs & (1U << i) & SRC_PUNCH))
			continue;
		snprintf(extra, sizeof(extra), " punch_ms=%.3f",
			 median(pun[i], runs).ms);
		report(i, "punch_refault", mib, runs, median(cyc[i], runs), extra);
	}
}

static void usage(const char *msg)
{
	fprintf(stderr, "gmem_fault_bench: %s\n"
		"usage: gmem_fault_bench [-m MiB] [-r runs (1..%d)] [-P]\n"
		"       [-s guest_memfd,guest_memfd_ndm,memfd_secret,memfd,anon]\n"
		"  -P: also time punch-hole + re-fault cycles (the guest_memfds, memfd)\n",
		msg, MAX_RUNS);
	exit(1);
}

static unsigned int parse_sources(const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	unsigned int mask = 0;
	int i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_SRC && strcmp(tok, src_name[i]); i++)
			;
		if (i == NR_SRC)
			usage("unknown source (known: guest_memfd, guest_memfd_ndm, memfd_secret, memfd, anon)");
		mask |= 1U << i;
	}
	free(copy);
	return mask;
}

int main(int argc, char **argv)
{
	unsigned int srcs = (1U << NR_SRC) - 1;
	long mib = 256, runs = 5;
	int opt, punch = 0;
	char *end;

	while ((opt = getopt(argc, argv, "m:r:s:P")) != -1) {
		switch (opt) {
		case 'm':
			mib = strtol(optarg, &end, 10);
			if (*end || mib < 1 || mib > 65536)
				usage("-m takes a size in MiB, 1..65536");
			break;
		case 'r':
			runs = strtol(optarg, &end, 10);
			if (*end || runs < 1 || runs > MAX_RUNS)
				usage("-r takes a number of runs");
			break;
		case 's':
			srcs = parse_sources(optarg);
			break;
		case 'P':
			punch = 1;
			break;
		default:
			usage("bad option");
		}
	}
	if (optind != argc)
		usage("unexpected argument");

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	read_mode(THP_DIR "enabled", thp_mode, sizeof(thp_mode));
	read_mode(THP_DIR "shmem_enabled", shmem_thp_mode, sizeof(shmem_thp_mode));
	now_ms();	/* fault in the vDSO and libc paths before counting */
	minor_faults();
	if (srcs & SRC_GMEM_ANY)
		open_vm(&srcs);
	if (srcs & (1U << SRC_SECRET))
		check_secret(&srcs);

	run_all(srcs, mib, runs, punch);
	return 0;
}
