# Lint: formatting (rustfmt) of every Rust workspace, and clippy with warnings as errors
# on the host workspace (the engine, the interpreter and the CLI). Part of `make test`.
#
#   make lint
#
# The kernel crate builds only for its own target with build-std, so only its formatting
# is checked here; `make kernel-check` and the module build compile it.

.PHONY: lint
lint: deps
	$(CARGO) fmt --all -- --check
	cd crates/kernel && $(CARGO) fmt -- --check
	cd fuzz && $(CARGO) fmt -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

TEST_TARGETS += lint
