# Installation. Included by the top-level Makefile.
#
#   sudo make install     lunatik.ko into /lib/modules/$(uname -r)/extra (then depmod), the
#                         Lua modules (lua/), the kernel's generated linux.* modules and
#                         lunatik/config.lua (mk/autogen.mk) and examples into
#                         /lib/modules/lua/, the C API header into $(PREFIX)/include, the CLI
#                         into $(PREFIX)/sbin/lunatik
#   sudo make uninstall   removes all of it
#   make install DESTDIR=/tmp/stage   stages the files (no depmod)
#
# KDIR (see mk/kernel.mk) selects the kernel to build and install for. dkms.conf builds the
# module through `make kmod` for every kernel DKMS manages.

PREFIX ?= /usr/local
DESTDIR ?=
MODULE_DIR = $(DESTDIR)/lib/modules/$(KERNEL_RELEASE)/extra
LUA_DIR = $(DESTDIR)/lib/modules/lua
SBIN_DIR = $(DESTDIR)$(PREFIX)/sbin
INCLUDE_DIR = $(DESTDIR)$(PREFIX)/include

.PHONY: install uninstall install-module install-lua install-cli

install: install-module install-lua install-cli

install-module: kmod
	install -D -m 0644 $(LUNATIK_KO) $(MODULE_DIR)/lunatik.ko
	install -D -m 0644 include/lunatik.h $(INCLUDE_DIR)/lunatik.h
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KERNEL_RELEASE); fi

install-lua: autogen
	install -d $(LUA_DIR)
	cp -R lua/. $(LUA_DIR)/
	cp -R $(AUTOGEN_OUT)/. $(LUA_DIR)/
	install -d $(LUA_DIR)/examples
	cp -R examples/. $(LUA_DIR)/examples/

install-cli: deps
	$(CARGO) build --release -p lunatik-cli
	install -D -m 0755 target/release/lunatik $(SBIN_DIR)/lunatik

uninstall:
	rm -f $(MODULE_DIR)/lunatik.ko $(INCLUDE_DIR)/lunatik.h $(SBIN_DIR)/lunatik
	rm -rf $(LUA_DIR)/lunatik $(LUA_DIR)/examples
	rm -f $(patsubst %,$(LUA_DIR)/linux/%.lua,$(AUTOGEN_MODULES))
	-rmdir $(LUA_DIR)/linux 2>/dev/null
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KERNEL_RELEASE); fi
