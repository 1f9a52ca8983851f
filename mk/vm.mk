# VM test harness: boots Debian's stock kernel under QEMU with lunatik.ko and runs the KTAP
# suites. Included by the top-level Makefile; see tools/vm/README.md.
#
#   make vm-test [KERNEL=6.12|6.1] [SUITES=dir]   one kernel (default 6.12, tests/kernel)
#   make vm-test-6.12 / vm-test-6.1               what `make test` runs
#   make vm-check-log-test                        tests of the log judge (check-log.sh)

KERNEL ?= 6.12
SUITES ?= tests/kernel
# Extra files for the guest's root (e.g. a static `lunatik` CLI in <dir>/bin/); empty: none.
VM_EXTRA ?=

.PHONY: vm-test vm-test-6.12 vm-test-6.1 vm-check-log-test

# The kernel's headers are only known once fetch-kernel.sh has run, so the module is built
# by a sub-make with its KDIR, in build/kmod/<KVER>/.
vm-test: SHELL := /bin/bash
vm-test: deps
	@set -e; env=$$(tools/vm/fetch-kernel.sh $(KERNEL)); eval "$$env"; \
	  start=$$(date +%s); \
	  $(MAKE) --no-print-directory kmod KDIR="$$KDIR" KMOD_BUILD="$(CURDIR)/build/kmod/$$KVER"; \
	  echo "vm-test: module for $$KVER built in $$(( $$(date +%s) - start )) s"; \
	  tools/vm/run.sh --vmlinuz "$$VMLINUZ" --ko "build/kmod/$$KVER/lunatik.ko" \
	    --suites "$(SUITES)" --out "build/vm/$$KVER" $(if $(VM_EXTRA),--extra "$(VM_EXTRA)")

vm-test-6.12:
	@$(MAKE) --no-print-directory vm-test KERNEL=6.12

vm-test-6.1:
	@$(MAKE) --no-print-directory vm-test KERNEL=6.1

# The log judge itself: accepts a clean run, rejects each kind of failure (no VM needed).
vm-check-log-test:
	@tools/vm/test-check-log.sh

TEST_TARGETS += vm-check-log-test vm-test-6.12 vm-test-6.1
