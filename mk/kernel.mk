# Kernel module: crates/kernel (Rust staticlib) + kmod/ (C shim), built against the headers
# in KDIR. Included by the top-level Makefile.
#
#   make kmod [KDIR=...]   build lunatik.ko into build/kmod/<kernel release>/, and the C API
#                          test module (tests/kmod) into build/kmod/<kernel release>/tests/
#   make kernel-check      build only the engine (crates/lua) for the kernel target
#   make kernel-rs         build only the Rust object, lunatik_rs.o_shipped (kernel-independent)

KDIR ?= /lib/modules/$(shell uname -r)/build
# Release of the headers in KDIR; the module is built in its own directory per release.
KERNEL_RELEASE = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
KMOD_BUILD ?= $(CURDIR)/build/kmod/$(KERNEL_RELEASE)
LUNATIK_KO = $(KMOD_BUILD)/lunatik.ko

KERNEL_CRATE_DIR := $(CURDIR)/crates/kernel
# The workspace's version, which the module reports in /sys/module/lunatik/version.
LUNATIK_RS_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(CURDIR)/Cargo.toml | head -n1)
KERNEL_TARGET := x86_64-linux-kmod
KERNEL_TARGET_JSON := $(KERNEL_CRATE_DIR)/$(KERNEL_TARGET).json
KERNEL_TARGET_DIR := $(KERNEL_CRATE_DIR)/target
KERNEL_RS_LIB := $(KERNEL_TARGET_DIR)/$(KERNEL_TARGET)/release/liblunatik_rs.a
KERNEL_RS_OBJ := $(CURDIR)/build/kernel-rs/lunatik_rs.o_shipped
# The only global symbols the Rust object keeps: the entry points C calls.
KERNEL_RS_EXPORTS := lunatik_rs_init lunatik_rs_exit lunatik_rs_live_allocations \
	lunatik_rs_memory_in_use \
	lunatik_rs_open lunatik_rs_release lunatik_rs_read lunatik_rs_write \
	lunatik_rs_deferred_work lunatik_rs_thread lunatik_rs_stack_report \
	lunatik_rs_device_open lunatik_rs_device_release lunatik_rs_device_read \
	lunatik_rs_device_write lunatik_rs_capi_create lunatik_rs_capi_call lunatik_rs_capi_stop \
	lunatik_rs_rcu_free lunatik_rs_nf_hook lunatik_rs_notifier_call \
	lunatik_rs_hid_probe lunatik_rs_hid_report_fixup lunatik_rs_hid_raw_event

# Mitigations the Debian kernels are built with (objtool rejects Rust code without the first
# three), and alloc without its infallible APIs, so that out-of-memory is always an error.
KERNEL_RUSTFLAGS := -Zcf-protection=branch -Zfunction-return=thunk-extern \
	-Zretpoline-external-thunk -Zindirect-branch-cs-prefix -Cjump-tables=n \
	-Zpatchable-function-entry=16,16 -Cforce-unwind-tables=n \
	--cfg no_global_oom_handling
KERNEL_CARGO = cd $(KERNEL_CRATE_DIR) && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(KERNEL_TARGET_DIR) \
	RUSTFLAGS="$(KERNEL_RUSTFLAGS)" nice $(CARGO)

KERNEL_CARGO_ARGS := --release --target $(KERNEL_TARGET_JSON) -Zbuild-std=core,alloc \
	-Zjson-target-spec

.PHONY: kmod kernel-rs kernel-check kernel-toolchain kmod-or-kernel-check

# build-std needs the standard library's sources (rust-toolchain.toml lists rust-src, but a
# toolchain installed earlier without it does not get it by itself).
kernel-toolchain: deps
	@test -d "$$(cd $(KERNEL_CRATE_DIR) && rustc --print sysroot)/lib/rustlib/src/rust/library" || \
	  (cd $(KERNEL_CRATE_DIR) && rustup component add rust-src)

kernel-check: kernel-toolchain
	$(KERNEL_CARGO) build $(KERNEL_CARGO_ARGS) -p lua

# cargo decides what to rebuild; the shipped object is only replaced when its bytes change,
# so Kbuild relinks only then. objcopy drops the embedded bitcode and compiler_builtins'
# second STT_FILE symbol (else objtool on 6.1 reports "Linked object detected").
kernel-rs: kernel-toolchain
	$(KERNEL_CARGO) build $(KERNEL_CARGO_ARGS)
	@mkdir -p $(dir $(KERNEL_RS_OBJ))
	@tmp=$(KERNEL_RS_OBJ).$$$$; set -e; \
	ld -r --gc-sections $(addprefix -u ,$(KERNEL_RS_EXPORTS)) -o $$tmp $(KERNEL_RS_LIB); \
	objcopy -R .llvmbc -R .llvmcmd $$(readelf -sW $$tmp | \
	  awk '$$4 == "FILE" && $$8 ~ /^compiler_builtins/ { print "--strip-symbol=" $$8 }') $$tmp; \
	if cmp -s $$tmp $(KERNEL_RS_OBJ); then rm $$tmp; else mv $$tmp $(KERNEL_RS_OBJ); fi

# Kbuild runs in a directory per kernel release that links to kmod/'s sources, so modules for
# several kernels can coexist. Any objtool or modpost warning, any SSE/AVX instruction and
# any GOTPCREL relocation (the module loader rejects them) fails the build.
kmod: SHELL := /bin/bash
kmod: kernel-rs
	@test -f "$(KDIR)/Makefile" || { echo "kmod: no kernel headers in KDIR=$(KDIR)" >&2; exit 1; }
	@mkdir -p $(KMOD_BUILD)
	@for f in $(CURDIR)/kmod/* $(CURDIR)/include/lunatik.h; do ln -sf $$f $(KMOD_BUILD)/; done
	@echo '#define LUNATIK_RS_VERSION "$(LUNATIK_RS_VERSION)"' > $(KMOD_BUILD)/version.h.tmp; \
	  cmp -s $(KMOD_BUILD)/version.h.tmp $(KMOD_BUILD)/version.h && rm $(KMOD_BUILD)/version.h.tmp || \
	  mv $(KMOD_BUILD)/version.h.tmp $(KMOD_BUILD)/version.h
	@cmp -s $(KERNEL_RS_OBJ) $(KMOD_BUILD)/lunatik_rs.o_shipped || \
	  cp $(KERNEL_RS_OBJ) $(KMOD_BUILD)/lunatik_rs.o_shipped
	@set -o pipefail; nice $(MAKE) --no-print-directory -C $(KDIR) M=$(KMOD_BUILD) modules 2>&1 | \
	  tee $(KMOD_BUILD)/build.log
	@if grep -E 'objtool|WARNING|warning:' $(KMOD_BUILD)/build.log; then \
	  echo "kmod: warnings in the module build (above)" >&2; exit 1; fi
	@if objdump -d $(LUNATIK_KO) | grep -qE '%[xyz]mm'; then \
	  echo "kmod: SSE/AVX instructions in $(LUNATIK_KO)" >&2; exit 1; fi
	@if readelf -rW $(LUNATIK_KO) | grep -q GOTPCREL; then \
	  echo "kmod: GOTPCREL relocations in $(LUNATIK_KO)" >&2; exit 1; fi
	@mkdir -p $(KMOD_BUILD)/tests
	@for f in $(CURDIR)/tests/kmod/* $(CURDIR)/include/lunatik.h; do ln -sf $$f $(KMOD_BUILD)/tests/; done
	@set -o pipefail; nice $(MAKE) --no-print-directory -C $(KDIR) M=$(KMOD_BUILD)/tests \
	  KBUILD_EXTRA_SYMBOLS=$(KMOD_BUILD)/Module.symvers modules 2>&1 | tee $(KMOD_BUILD)/tests/build.log
	@if grep -E 'objtool|WARNING|warning:' $(KMOD_BUILD)/tests/build.log; then \
	  echo "kmod: warnings in the test module build (above)" >&2; exit 1; fi
	@echo "kmod: $(LUNATIK_KO)"

# `make all` builds the module when this machine has headers for its kernel, and otherwise
# proves at least that the engine builds for the kernel target.
kmod-or-kernel-check:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) --no-print-directory kmod; \
	else echo "kmod: no headers in $(KDIR); building the engine for the kernel target only"; \
	  $(MAKE) --no-print-directory kernel-check; fi

ALL_TARGETS += kmod-or-kernel-check
TEST_TARGETS += kernel-check
