# lunatik-rs: top-level build. `make demo` and `make test` are the two entry points the
# README starts with; the kernel side lives in mk/*.mk.
CARGO ?= cargo

.DEFAULT_GOAL := all
# Kernel module, VM harness and install rules; each may append to TEST_TARGETS.
-include mk/*.mk

.PHONY: all deps host host-test test clean
all: host $(ALL_TARGETS)

deps:
	tools/install-deps.sh

host: deps
	$(CARGO) build --release --workspace

host-test: deps reference-lua
	LUNATIK_REFERENCE="$(REFERENCE_LUA_BIN)" $(CARGO) test --profile ci --workspace

# Every test: host tests, then whatever the included makefiles add to TEST_TARGETS.
test: host-test $(TEST_TARGETS)

clean:
	$(CARGO) clean

