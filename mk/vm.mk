# VM test harness: boots Debian's stock kernel under QEMU with lunatik.ko and runs the KTAP
# suites. Included by the top-level Makefile; see tools/vm/README.md.
#
#   make vm-test [KERNEL=6.12|6.1] [SUITES=dir]   one kernel (default 6.12, tests/kernel)
#   make vm-test-6.12 / vm-test-6.1               what `make test` runs
#   make vm-check-log-test                        tests of the log judge (check-log.sh)
#   make cli-static                               the static `lunatik` command for the guest

KERNEL ?= 6.12
SUITES ?= tests/kernel
# Extra files copied into the guest's root; empty: none.
VM_EXTRA ?=

.PHONY: vm-test vm-test-6.12 vm-test-6.1 vm-check-log-test cli-static

# The guest has no libc, so the `lunatik` command it runs is linked statically against glibc
# (libc.a comes with libc6-dev, which build-essential pulls in: no extra target to install).
# --target keeps RUSTFLAGS off build scripts and proc macros, which cannot be static; the
# target directory for it is separate from the host build's, so neither rebuilds the other.
CLI_STATIC_TARGET := x86_64-unknown-linux-gnu
CLI_STATIC_BUILT := $(or $(CARGO_TARGET_DIR),target)/$(CLI_STATIC_TARGET)/release/lunatik
CLI_STATIC := build/cli/lunatik

cli-static: deps
	RUSTFLAGS="-C target-feature=+crt-static" nice $(CARGO) build --release -p lunatik-cli \
	  --bin lunatik --target $(CLI_STATIC_TARGET)
	@mkdir -p $(dir $(CLI_STATIC))
	@strip -o $(CLI_STATIC).tmp $(CLI_STATIC_BUILT) && mv $(CLI_STATIC).tmp $(CLI_STATIC)
	@echo "cli-static: $(CLI_STATIC), $$(stat -c %s $(CLI_STATIC)) bytes"

# The kernel's headers are only known once fetch-kernel.sh has run, so the module is built
# by a sub-make with its KDIR, in build/kmod/<KVER>/; `kmod` also generates the kernel's
# linux.* constant modules into build/autogen/<KVER>/ (mk/autogen.mk), which go into the
# guest's /lib/modules/lua. MODULES (the stock kernel's own modules, unpacked by
# fetch-kernel.sh) gives the guest its network and crypto modules.
vm-test: SHELL := /bin/bash
vm-test: deps cli-static
	@set -e; env=$$(tools/vm/fetch-kernel.sh $(KERNEL)); eval "$$env"; \
	  start=$$(date +%s); \
	  $(MAKE) --no-print-directory kmod KDIR="$$KDIR" KMOD_BUILD="$(CURDIR)/build/kmod/$$KVER"; \
	  echo "vm-test: module for $$KVER built in $$(( $$(date +%s) - start )) s"; \
	  tools/vm/run.sh --vmlinuz "$$VMLINUZ" --ko "build/kmod/$$KVER/lunatik.ko" \
	    --lua "build/autogen/$$KVER" --suites "$(SUITES)" --out "build/vm/$$KVER" \
	    --cli $(CLI_STATIC) $${MODULES:+--kmods "$$MODULES"} $(if $(VM_EXTRA),--extra "$(VM_EXTRA)")

vm-test-6.12:
	@$(MAKE) --no-print-directory vm-test KERNEL=6.12

vm-test-6.1:
	@$(MAKE) --no-print-directory vm-test KERNEL=6.1

# The log judge itself: accepts a clean run, rejects each kind of failure (no VM needed).
vm-check-log-test:
	@tools/vm/test-check-log.sh

TEST_TARGETS += vm-check-log-test vm-test-6.12 vm-test-6.1

# Kernel benchmarks (bench/kernel/): the same harness with the benchmark suites; their
# `# bench:` lines, collected from the serial log, are the results (bench/README.md).
#
#   make bench-kernel [KERNEL=6.12|6.1]
.PHONY: bench-kernel
bench-kernel:
	@$(MAKE) --no-print-directory vm-test KERNEL=$(KERNEL) SUITES=bench/kernel
	@grep -h "# bench:" "$$(ls -t build/vm/*/serial.log | head -1)" | sed 's/^ *# bench: //'
