# gmem-mmap: host mmap() for KVM guest_memfd, as a patch series for Linux 6.12.
# The front door; every target is a script in scripts/ (see README.md).

VARIANT ?= x86_64
.PHONY: run test deps tree export kernel boot variant harness-test check-commits clean help

help:
	@echo "make run      build the patched kernel, boot it, run the guest_memfd tests (ARCH=arm64 for arm64)"
	@echo "make test     the whole test suite: harness tests + every variant in variants/"
	@echo "make tree     make/update build/linux from the base and patches/"
	@echo "make export   write build/linux's commits back to patches/"
	@echo "make variant VARIANT=name   build, boot and judge one variant"
	@echo "make kernel VARIANT=name / make boot VARIANT=name"
	@echo "make check-commits   build every commit of the series (KVM dirs, x86_64 and arm64) + checkpatch"
	@echo "make clean    remove build outputs (never build/linux)"

run:
	scripts/run.sh
test:
	scripts/test.sh $(VARIANTS)
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
	tests/run.sh
check-commits:
	scripts/check-commits.sh
clean:
	rm -rf build/obj build/hdr build/selftests build/programs build/rootfs build/logs build/results build/busybox build/check-*.log
	git -C build/linux worktree remove --force ../check 2>/dev/null || true
