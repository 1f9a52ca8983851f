//! Lua operations for native code that may call metamethods: these recurse through
//! `call_nested` (no yields across them) and are meant for library functions.

use crate::api::stack_error;
use crate::debug::Operand;
use crate::error::LuaResult;
use crate::state::Lua;
use crate::value::Value;
use crate::vm::Lookup;

/// Calls `f(args...)` and returns its first result.
pub fn call1(lua: &mut Lua, f: Value, args: &[Value]) -> LuaResult<Value> {
    let th = lua.th();
    let top = th.top;
    th.ensure(&lua.heap, args.len() + 2)
        .map_err(|o| stack_error(lua, o))?;
    let th = lua.th();
    th.set(top, f);
    for (i, a) in args.iter().enumerate() {
        th.set(top + 1 + i, *a);
    }
    th.top = top + 1 + args.len();
    let r = lua.call_nested(top, 1);
    let th = lua.th();
    let v = th.get(top);
    th.top = top;
    r.map(|_| v)
}

/// `t[k]` with `__index`.
pub fn index_value(lua: &mut Lua, t: Value, k: Value) -> LuaResult<Value> {
    match crate::vm::index_lookup(lua, t, k, Operand::None)? {
        Lookup::Value(v) => Ok(v),
        Lookup::Call(f, obj) => call1(lua, f, &[obj, k]),
    }
}
