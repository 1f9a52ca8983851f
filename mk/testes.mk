# The official Lua test suite against the host interpreter: tools/lua-testes.sh runs each
# file of LUA_TESTES_DIR as PUC does and fails when a file listed in tools/lua-testes.list
# fails. Without the folder (a user's machine) it says so and passes.
LUA_TESTES_DIR ?= $(CURDIR)/../shared/lua-testes

.PHONY: lua-testes
lua-testes:
	@LUA_TESTES_DIR="$(LUA_TESTES_DIR)" CARGO="$(CARGO)" tools/lua-testes.sh

TEST_TARGETS += lua-testes

# PUC Lua 5.5 from the reference sources, the oracle of the differential test (make
# host-test passes it as LUNATIK_REFERENCE). Without the sources it stays empty and the
# test falls back to Debian's lua5.4.
REFERENCE_LUA_SRC ?= $(CURDIR)/../shared/reference/lua-5.5-src
REFERENCE_LUA = $(CURDIR)/build/reference-lua/lua
REFERENCE_LUA_BIN = $(if $(wildcard $(REFERENCE_LUA_SRC)/onelua.c),$(REFERENCE_LUA))

.PHONY: reference-lua
reference-lua:
	@if [ -f "$(REFERENCE_LUA_SRC)/onelua.c" ]; then \
	  mkdir -p $(dir $(REFERENCE_LUA)); \
	  [ -x "$(REFERENCE_LUA)" ] || gcc -std=c99 -O2 -DLUA_USE_LINUX -Wl,-E -I"$(REFERENCE_LUA_SRC)" \
	    -o "$(REFERENCE_LUA)" "$(REFERENCE_LUA_SRC)/onelua.c" -lm -ldl; \
	else echo "reference-lua: $(REFERENCE_LUA_SRC) not found; the differential test uses lua5.4"; fi
