//! `require` for kernel states: native modules of lunatik.ko first, then Lua files under
//! `/lib/modules/lua/` (`a.b` is `a/b.lua`, then `a/b/init.lua`), read through the host.
//!
//! Stop-gap until the engine's `package` library lands: it then replaces this file by
//! `lua.preload(name, open)` for each entry of [`NATIVE`].

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Mode, Ret, Value};

use crate::print::Bytes;
use crate::runtime::SCRIPT_ROOT;

/// Opens a native module: returns its value.
type Opener = fn(&mut Lua) -> LuaResult<Value>;

/// The native modules.
const NATIVE: &[(&[u8], Opener)] = &[
    (b"lunatik", crate::lunatik::open),
    (b"linux", crate::linux::open),
    (b"linux.stat", crate::linux::open_stat),
    (b"device", crate::device::open),
    (b"thread", crate::thread::open),
    (b"rcu", crate::shared::open_rcu),
];

/// Installs `require` in a new state.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    if lua.get_global(b"require")?.is_nil() {
        lua.set_global(b"require", Value::NativeFn(require))?;
    }
    Ok(())
}

fn require(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let loaded = cx.lua.loaded();
    let cached = cx.lua.raw_get(loaded, &Value::Str(name));
    if cached.truthy() {
        return cx.ret1(cached);
    }
    if let Some((_, open)) = NATIVE.iter().find(|(n, _)| *n == name.as_bytes()) {
        let module = open(cx.lua)?;
        cx.lua.raw_set(loaded, Value::Str(name), module)?;
        return cx.ret1(module);
    }
    let name_bytes: Vec<u8> = lua::tvec::try_copy_of(name.as_bytes())?;
    let mut tried = Vec::new();
    for suffix in [&b".lua"[..], &b"/init.lua"[..]] {
        let mut path = Vec::new();
        path.try_extend_from_slice(SCRIPT_ROOT)?;
        for &c in name_bytes.iter() {
            path.try_push(if c == b'.' { b'/' } else { c })?;
        }
        path.try_extend_from_slice(suffix)?;
        let source = match cx.lua.host().load_file(&path) {
            Ok(source) => source,
            Err(_) => {
                tried.try_extend_from_slice(b"\n\tno file '")?;
                tried.try_extend_from_slice(&path)?;
                tried.try_push(b'\'')?;
                continue;
            }
        };
        let mut chunkname = Vec::new();
        chunkname.try_push(b'@')?;
        chunkname.try_extend_from_slice(&path)?;
        let f = match cx.lua.load(&source, &chunkname, Mode::Text, None) {
            Ok(f) => f,
            Err(e) => {
                let msg = cx.lua.error_message(&e);
                return Err(cx.error(format_args!(
                    "error loading module '{}' from file '{}':\n\t{}",
                    Bytes(&name_bytes),
                    Bytes(&path),
                    Bytes(&msg)
                )));
            }
        };
        cx.set_top(1)?;
        cx.push(f)?;
        cx.push(Value::Str(name))?;
        let path = cx.lua.str_value(&path)?;
        cx.push(path)?;
        return Ok(Ret::CallK { nargs: 2, nresults: 1, k: finish, ctx: 0, protected: false });
    }
    Err(cx.error(format_args!(
        "module '{}' not found:\n\tno field package.preload['{}']{}",
        Bytes(&name_bytes),
        Bytes(&name_bytes),
        Bytes(&tried)
    )))
}

/// After the module's chunk ran: stores and returns its value (`true` for none).
fn finish(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    status?;
    let name = cx.arg(1);
    let result = cx.arg(2);
    let loaded = cx.lua.loaded();
    let value = if !result.is_nil() {
        result
    } else {
        let existing = cx.lua.raw_get(loaded, &name);
        if existing.is_nil() {
            Value::Bool(true)
        } else {
            existing
        }
    };
    cx.lua.raw_set(loaded, name, value)?;
    cx.set_top(1)?;
    cx.ret1(value)
}
