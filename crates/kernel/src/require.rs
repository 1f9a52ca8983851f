//! The native modules of lunatik.ko, registered in every state's `package.preload`; the
//! engine's `require` finds them there, and Lua modules on `package.path`
//! (`/lib/modules/lua/?.lua;/lib/modules/lua/?/init.lua`) through the host.

use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

/// Declares a `package.preload` loader that opens a module with `$open(&mut Lua)`.
macro_rules! loader {
    ($name:ident, $open:path) => {
        fn $name(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
            let module: Value = $open(cx.lua)?;
            cx.ret1(module)
        }
    };
}

loader!(load_lunatik, crate::lunatik::open);
loader!(load_linux, crate::linux::open);
loader!(load_device, crate::device::open);
loader!(load_thread, crate::thread::open);
loader!(load_rcu, crate::shared::open_rcu);

/// The native modules.
const NATIVE: &[(&[u8], NativeFn)] = &[
    (b"lunatik", load_lunatik),
    (b"linux", load_linux),
    (b"device", load_device),
    (b"thread", load_thread),
    (b"rcu", load_rcu),
];

/// Registers the native modules in a new state.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    for (name, loader) in NATIVE {
        lua.preload(name, *loader)?;
    }
    Ok(())
}
