# Fuzzing: the libFuzzer targets in fuzz/ (run: bytes are Lua source; gen: bytes drive a
# generator of Lua programs; undump: bytes are a binary chunk). Included by the top-level
# Makefile; see fuzz/README.md.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="run gen undump"]   fuzz each target in turn; new
#                         inputs go to fuzz/corpus-work/<target>/, crashes to fuzz/artifacts/
#   make fuzz-ci          what `make test` runs: each target for FUZZ_CI_SECONDS on a copy of
#                         the committed corpus; fails on any crash, timeout or OOM
#   make fuzz-cmin        minimises fuzz/corpus/<target>/ with fuzz/seeds/ and whatever
#                         fuzz/corpus-work/<target>/ found (then commit fuzz/corpus)
#   make fuzz-build       only builds the instrumented targets
#
# No cargo-fuzz and no nightly: the pinned stable toolchain with RUSTC_BOOTSTRAP=1 for
# -Zsanitizer, and the sanitizer-coverage passes set by hand. libfuzzer-sys compiles
# libFuzzer with the C++ compiler of build-essential (tools/apt-packages.txt).

FUZZ_DIR := $(CURDIR)/fuzz
FUZZ_TARGETS ?= run gen undump
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 30
FUZZ_TRIPLE := x86_64-unknown-linux-gnu
FUZZ_BIN := $(FUZZ_DIR)/target/$(FUZZ_TRIPLE)/release
FUZZ_RUSTFLAGS := -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
	-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
	-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address \
	-Cforce-frame-pointers=yes
# The fuzz profile (fuzz/Cargo.toml) keeps debug assertions and overflow checks on. The
# explicit --target keeps build scripts uninstrumented.
FUZZ_CARGO = cd $(FUZZ_DIR) && RUSTC_BOOTSTRAP=1 RUSTFLAGS="$(FUZZ_RUSTFLAGS)" nice $(CARGO)
# Per input: 10 s at most, 1 GiB of RSS at most; the engine's own limits (2 MiB, an
# instruction budget) are far below.
FUZZ_FLAGS := -timeout=10 -rss_limit_mb=1024 -print_final_stats=1
# Longest input: whole test scripts for `run`; for `gen`, 2 KiB already makes programs of
# several KiB (longer ones mostly slow it down).
fuzz_max_len = case $$t in gen) echo 2048;; undump) echo 8192;; *) echo 16384;; esac
# Fake stacks would defeat the engine's stack-pointer guard; a smaller quarantine keeps
# the RSS (default 256 MiB of freed memory held) well under the limit.
FUZZ_ENV := ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1:quarantine_size_mb=64
# Seeds of the corpus: the engine's test scripts, the benchmarks, handwritten edge cases.
FUZZ_SEEDS := $(CURDIR)/crates/lua/tests/scripts $(CURDIR)/bench $(FUZZ_DIR)/seeds

.PHONY: fuzz fuzz-build fuzz-ci fuzz-cmin

fuzz-build: deps
	@start=$$(date +%s); \
	$(FUZZ_CARGO) build --release --target $(FUZZ_TRIPLE) $(addprefix --bin ,$(FUZZ_TARGETS)) && \
	echo "fuzz-build: $$(( $$(date +%s) - start )) s"

# $(1): seconds per target, $(2): corpus directory that receives new inputs.
define fuzz_run
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(2)/$$t $(FUZZ_DIR)/artifacts/$$t; \
	  echo "fuzz: $$t for $(1) s"; \
	  $(FUZZ_ENV) nice $(FUZZ_BIN)/$$t $(FUZZ_FLAGS) -max_len=$$($(fuzz_max_len)) -max_total_time=$(1) \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t/ $(2)/$$t $(FUZZ_DIR)/corpus/$$t \
	    || { echo "fuzz: $$t FAILED; reproducer in fuzz/artifacts/$$t/ (see fuzz/README.md)"; exit 1; }; \
	done
endef

fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_SECONDS),$(FUZZ_DIR)/corpus-work)

fuzz-ci: fuzz-build
	@rm -rf $(FUZZ_DIR)/corpus-ci
	$(call fuzz_run,$(FUZZ_CI_SECONDS),$(FUZZ_DIR)/corpus-ci)
	@rm -rf $(FUZZ_DIR)/corpus-ci

fuzz-cmin: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_DIR)/corpus-new; mkdir -p $(FUZZ_DIR)/corpus-new $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/corpus-work/$$t; \
	  $(FUZZ_ENV) nice $(FUZZ_BIN)/$$t $(FUZZ_FLAGS) -max_len=$$($(fuzz_max_len)) -set_cover_merge=1 -use_counters=0 $(FUZZ_DIR)/corpus-new \
	    $(FUZZ_DIR)/corpus/$$t $(FUZZ_SEEDS) $(FUZZ_DIR)/corpus-work/$$t; \
	  rm -rf $(FUZZ_DIR)/corpus/$$t; mv $(FUZZ_DIR)/corpus-new $(FUZZ_DIR)/corpus/$$t; \
	  echo "fuzz-cmin: $$t: $$(ls $(FUZZ_DIR)/corpus/$$t | wc -l) files, $$(du -sh $(FUZZ_DIR)/corpus/$$t | cut -f1)"; \
	done

TEST_TARGETS += fuzz-ci
