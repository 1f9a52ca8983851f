# tools/shade: encrypting scripts for darken/lighten. Included by the top-level Makefile.
#
#   make shade-test   host tests of tools/shade/shade.sh (the kernel side: tests/kernel/darken)

.PHONY: shade-test
shade-test: deps
	@tools/shade/test.sh

TEST_TARGETS += shade-test
