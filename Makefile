# gmem-mmap: host mmap() for KVM guest_memfd, as a patch series for Linux 6.12.
# The front door; every target is a script in scripts/ (see README.md).

VARIANT ?= x86_64
.PHONY: run test test-full bench deps tree export outgoing send kernel boot variant harness-test check-commits pristine-test pristine-ci clean help

help:
	@echo "make run      build the patched kernel, boot it, run the guest_memfd tests (ARCH=arm64 for arm64)"
	@echo "make test     the test suite (CI's): harness tests + the variants of variants/ without SUITE=full"
	@echo "make test-full   the same with every variant (before every submission)"
	@echo "make bench    the fault benchmarks (guest_memfd vs memfd/anonymous) in the test VM (ARCH=arm64)"
	@echo "make tree     make/update build/linux from the base, patches/ and patches/no-direct-map/"
	@echo "make export   write build/linux's commits back to patches/ (base..mmap) and patches/no-direct-map/"
	@echo "make variant VARIANT=name   build, boot and judge one variant"
	@echo "make kernel VARIANT=name / make boot VARIANT=name"
	@echo "make check-commits   every commit: checkpatch, builds (x86_64, arm64), uapi; tip: W=1, sparse, modules"
	@echo "make outgoing [V=n] [SERIES=no-direct-map]  a series as mail, vN, To/Cc from get_maintainer.pl:"
	@echo "             build/outgoing/vN/ (the mmap series), build/outgoing/no-direct-map/vN/"
	@echo "make send [V=n] [SERIES=...] [SMTP_SERVER=host]   git send-email: a dry run unless SMTP_SERVER is given"
	@echo "make pristine-test   as root: both commands' parts on a fresh minimal Debian 12 root (before every submission)"
	@echo "make pristine-ci     as root: CI's job (make test) from a clean clone on a fresh Debian 12 root, cold ccache, timed"
	@echo "make clean    remove build outputs (never build/linux)"

run:
	scripts/main-job.sh
test:
	scripts/test-suite.sh $(VARIANTS)
test-full:
	FULL=1 scripts/test-suite.sh
bench:
	scripts/bench.sh $(ARCH)
deps:
	scripts/install-deps.sh
tree:
	scripts/make-tree.sh
export:
	scripts/export-series.sh
kernel:
	scripts/build-kernel.sh $(VARIANT)
boot:
	scripts/make-rootfs.sh $(VARIANT) && scripts/boot.sh $(VARIANT)
variant:
	scripts/run-variant.sh $(VARIANT)
harness-test:
	tests/harness.sh
check-commits:
	scripts/check-commits.sh
pristine-test:
	tests/pristine.sh
pristine-ci:
	PRISTINE_JOB=ci tests/pristine.sh
outgoing:
	SERIES=$(SERIES) scripts/make-outgoing.sh $(V)
send:
	SERIES=$(SERIES) scripts/send-series.sh $(V)
clean:
	rm -rf build/obj build/hdr build/selftests build/programs build/check/obj build/check/logs build/rootfs build/logs build/results build/busybox build/check-*.log
	git -C build/linux worktree remove --force ../check/linux 2>/dev/null || true
