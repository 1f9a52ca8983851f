# `make demo`: on a fresh Debian 12 machine, installs what is missing, builds, boots Debian's
# 6.12 kernel in QEMU with lunatik.ko and runs tools/demo/demo/run in it, then shows the
# transcript (the guest's commands and their output).
.PHONY: demo
demo: SHELL := /bin/bash
demo: deps
	@$(MAKE) --no-print-directory vm-test KERNEL=6.12 SUITES=tools/demo
	@set -e; env=$$(tools/vm/fetch-kernel.sh 6.12); eval "$$env"; \
	  echo; echo "=== lunatik-rs demo in Linux $$KVER (QEMU) ==="; \
	  grep -a '# demo: ' "build/vm/$$KVER/serial.log" | sed 's/^.*# demo: //'
