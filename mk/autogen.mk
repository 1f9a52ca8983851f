# The generated constant modules linux.* (tools/autogen/README.md): one tree per kernel
# release, built from the headers in KDIR (mk/kernel.mk). Included by the top-level Makefile.
#
#   make autogen [KDIR=...]   build/autogen/<release>/linux/*.lua and lunatik/config.lua
#   make autogen-check        generates for Debian 6.12 and 6.1 and checks both trees
#                             (AUTOGEN_LUA=lua5.4 by default; lunatik-lua works too)

AUTOGEN_SPECS := tools/autogen/specs
# The release `uname -r` reports on KDIR's kernel (Debian 6.1's kernel.release is not it).
AUTOGEN_RELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
AUTOGEN_OUT = $(CURDIR)/build/autogen/$(AUTOGEN_RELEASE)
AUTOGEN_STAMP = $(AUTOGEN_OUT)/lunatik/config.lua
AUTOGEN_LUA ?= lua5.4
# The files under linux/ (one per first name of a spec target), for uninstall.
AUTOGEN_MODULES := $(shell awk '/^[^\# \t]/ { split($$1, a, "."); print a[1] }' \
	$(AUTOGEN_SPECS) | sort -u)

.PHONY: autogen autogen-check

# The tree is rewritten only when the generator or the specs are newer than it.
autogen: deps
	@test -f "$(KDIR)/Makefile" || { echo "autogen: no kernel headers in KDIR=$(KDIR)" >&2; exit 1; }
	@if [ -f $(AUTOGEN_STAMP) ] && \
	  [ -z "$$(find tools/autogen/autogen.py $(AUTOGEN_SPECS) -newer $(AUTOGEN_STAMP))" ]; then \
	  echo "autogen: $(AUTOGEN_OUT) is up to date"; \
	else nice python3 tools/autogen/autogen.py --kdir $(KDIR) --specs $(AUTOGEN_SPECS) \
	  --out $(AUTOGEN_OUT) --work $(CURDIR)/build/autogen-kbuild/$(AUTOGEN_RELEASE); fi

autogen-check:
	@set -e; for series in 6.12 6.1; do env=$$(tools/vm/fetch-kernel.sh $$series); eval "$$env"; \
	  $(MAKE) --no-print-directory autogen KDIR="$$KDIR"; \
	  $(AUTOGEN_LUA) tools/autogen/check.lua build/autogen/$$KVER build/autogen/$$KVER/linux/*.lua; \
	done

# The module is never built without the constants of its kernel.
kmod: autogen

TEST_TARGETS += autogen-check
