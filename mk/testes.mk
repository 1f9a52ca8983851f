# The official Lua test suite against the host interpreter: tools/lua-testes.sh runs each
# file of LUA_TESTES_DIR as PUC does and fails when a file listed in tools/lua-testes.list
# fails. Without the folder (a user's machine) it says so and passes.
LUA_TESTES_DIR ?= $(CURDIR)/../shared/lua-testes

.PHONY: lua-testes
lua-testes:
	@LUA_TESTES_DIR="$(LUA_TESTES_DIR)" CARGO="$(CARGO)" tools/lua-testes.sh

TEST_TARGETS += lua-testes
