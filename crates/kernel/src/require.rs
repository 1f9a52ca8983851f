//! The native modules of lunatik.ko, registered in every state's `package.preload`; the
//! engine's `require` finds them there, and Lua modules on `package.path`
//! (`/lib/modules/lua/?.lua;/lib/modules/lua/?/init.lua`) through the host.

use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

use crate::runtime::Context;

/// Declares a `package.preload` loader that opens a module with `$open(&mut Lua)`.
macro_rules! loader {
    ($name:ident, $open:path) => {
        fn $name(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
            let module: Value = $open(cx.lua)?;
            cx.ret1(module)
        }
    };
}

loader!(load_lunatik, crate::modules::lunatik::open);
loader!(load_linux, crate::modules::linux::open);
loader!(load_device, crate::modules::device::open);
loader!(load_thread, crate::modules::thread::open);
loader!(load_rcu, crate::modules::rcu::open);
loader!(load_byteorder, crate::modules::byteorder::open);
loader!(load_completion, crate::modules::completion::open);
loader!(load_cpu, crate::modules::cpu::open);
loader!(load_crypto, crate::modules::crypto::open);
loader!(load_darken, crate::modules::darken::open);
loader!(load_data, crate::modules::data::open);
loader!(load_fifo, crate::modules::fifo::open);
loader!(load_set, crate::modules::set::open);
loader!(load_signal, crate::modules::signal::open);
loader!(load_netfilter, crate::modules::netfilter::open);
loader!(load_skb, crate::modules::skb::open);
loader!(load_socket, crate::modules::socket::open);
loader!(load_notifier, crate::modules::notifier::open);
loader!(load_hid, crate::modules::hid::open);
loader!(load_syscall, crate::modules::syscall::open);

/// The native modules.
const NATIVE: &[(&[u8], NativeFn)] = &[
    (b"lunatik", load_lunatik),
    (b"linux", load_linux),
    (b"syscall", load_syscall),
    (b"device", load_device),
    (b"thread", load_thread),
    (b"rcu", load_rcu),
    (b"byteorder", load_byteorder),
    (b"completion", load_completion),
    (b"cpu", load_cpu),
    (b"crypto", load_crypto),
    (b"darken", load_darken),
    (b"data", load_data),
    (b"fifo", load_fifo),
    (b"set", load_set),
    (b"signal", load_signal),
    (b"netfilter", load_netfilter),
    (b"skb", load_skb),
    (b"socket", load_socket),
    (b"notifier", load_notifier),
    (b"hid", load_hid),
];

/// `_LUNATIK_VERSION`: the C Lunatik release whose API this implements.
const LUNATIK_VERSION: &[u8] = b"Lunatik 4.4";

/// A module table of native functions.
///
/// # Errors
/// Out of memory.
pub(crate) fn library(lua: &mut Lua, functions: &[(&[u8], NativeFn)]) -> LuaResult<Value> {
    let m = lua.new_table()?;
    for (name, f) in functions {
        lua.set_field(m, name, Value::NativeFn(*f))?;
    }
    Ok(Value::Table(m))
}

/// The table kept in the registry under `key`, made on first use: where a module keeps
/// what must live as long as the state (device drivers, netfilter hooks).
///
/// # Errors
/// Out of memory.
pub(crate) fn registry_table(
    lua: &mut Lua,
    key: &[u8],
) -> LuaResult<lua::gc::Gc<lua::table::Table>> {
    let registry = lua.registry();
    if let Value::Table(t) = lua.get_field(registry, key)? {
        return Ok(t);
    }
    let t = lua.new_table()?;
    lua.set_field(registry, key, Value::Table(t))?;
    Ok(t)
}

/// Registers the native modules in a new state, and `_LUNATIK_VERSION`; a process
/// runtime also gets the `io` library (global and `package.loaded`, as a standard library).
pub(crate) fn open(lua: &mut Lua, context: Context) -> LuaResult<()> {
    for (name, loader) in NATIVE {
        lua.preload(name, *loader)?;
    }
    if context == Context::Process {
        crate::modules::io::open(lua)?;
    }
    let version = lua.str_value(LUNATIK_VERSION)?;
    lua.set_global(b"_LUNATIK_VERSION", version)
}
