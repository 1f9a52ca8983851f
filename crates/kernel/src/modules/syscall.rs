//! The `syscall` module: `syscall.address(nr)`, entry `nr` of the kernel's `sys_call_table`
//! (the `__x64_sys_*` function addresses kprobes need; `syscall.table` maps names to them).

use core::ffi::c_long;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::context;
use crate::ffi;

/// Opens the `syscall` module. Finding `sys_call_table` sleeps (kprobes), so the first
/// `require` must come from a context that may sleep; later ones reuse the address.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    if !context::cannot_sleep() {
        // SAFETY: process context, checked above; the lookup is idempotent.
        unsafe { ffi::lk_syscall_resolve() };
    }
    // SAFETY: reads the resolved table pointer (0 if unresolved); any context.
    if unsafe { ffi::lk_syscall_address(0) } == 0 {
        return Err(lua::Error::Lua(
            lua.str_value(b"sys_call_table not found (ENXIO)")?,
        ));
    }
    let m = lua.new_table()?;
    lua.set_field(m, b"address", Value::NativeFn(address))?;
    Ok(Value::Table(m))
}

/// `syscall.address(nr)`: a light userdata, or `out of bounds` outside `0..__NR_syscalls`.
fn address(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let nr = cx.check_int(1)?;
    // SAFETY: a constant.
    let count = unsafe { ffi::lk_syscall_count() };
    let nr = match c_long::try_from(nr) {
        Ok(nr) if (0..count).contains(&nr) => nr,
        _ => return Err(cx.arg_error(1, format_args!("out of bounds"))),
    };
    // SAFETY: `nr` is in range; the table was resolved when the module opened.
    let addr = unsafe { ffi::lk_syscall_address(nr) };
    cx.ret1(Value::LightUserData(addr as usize))
}
