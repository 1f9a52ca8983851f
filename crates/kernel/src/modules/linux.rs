//! The `linux` module: time, random numbers, sleeping, errno names, interfaces and CPUs.
//! Its constants (`linux.stat`, `linux.signal`, ...) are Lua modules generated from the
//! kernel's headers at build time (tools/autogen), as in C Lunatik.

use core::ffi::c_char;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::error::{name_of, Error};
use crate::ffi;
use crate::modules::lunatik::{is_sleepable, may_sleep_error};

/// Opens the `linux` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    let funcs: &[(&[u8], lua::NativeFn)] = &[
        (b"time", time),
        (b"difftime", difftime),
        (b"random", random),
        (b"schedule", schedule),
        (b"errname", errname),
        (b"ifindex", ifindex),
        (b"numcpus", numcpus),
    ];
    for (name, f) in funcs {
        lua.set_field(m, name, Value::NativeFn(*f))?;
    }
    Ok(Value::Table(m))
}

/// Raises the errno's name as the error value (C Lunatik's `lunatik_throw`).
pub(crate) fn raise(cx: &mut Ctx<'_>, err: Error) -> lua::Error {
    match cx.lua.str_value(err.lua_name().as_bytes()) {
        Ok(v) => lua::Error::Lua(v),
        Err(e) => e,
    }
}

/// `linux.time()`: nanoseconds since the epoch.
fn time(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // SAFETY: reads the clock; any context.
    let ns = unsafe { ffi::lk_time_ns() };
    cx.ret1(Value::Int(ns))
}

/// `linux.difftime(t2, t1)`: `t2 - t1` in nanoseconds.
fn difftime(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t2 = cx.check_int(1)?;
    let t1 = cx.check_int(2)?;
    cx.ret1(Value::Int(t2.wrapping_sub(t1)))
}

/// `linux.random([m [, n]])`, like `math.random` on the kernel's generator.
fn random(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // SAFETY: get_random_u64 may be called from any context.
    let rand = unsafe { ffi::lk_random_u64() };
    let (low, up) = match cx.nargs() {
        0 => return cx.ret1(Value::Int(rand as i64)),
        1 => (1, cx.check_int(1)?),
        2 => (cx.check_int(1)?, cx.check_int(2)?),
        _ => return Err(cx.error(format_args!("wrong number of arguments"))),
    };
    if low > up {
        return Err(cx.arg_error(1, format_args!("interval is empty")));
    }
    if low < 0 && up > i64::MAX.wrapping_add(low) {
        return Err(cx.arg_error(1, format_args!("interval too large")));
    }
    let span = (up as u64).wrapping_sub(low as u64).wrapping_add(1);
    let offset = if span == 0 { rand } else { rand % span };
    cx.ret1(Value::Int(low.wrapping_add(offset as i64)))
}

/// `linux.schedule([ms])`: sleeps (interruptibly) for `ms` milliseconds, or until woken;
/// returns the milliseconds left. Refused in atomic runtimes.
fn schedule(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let forever = cx.arg(1).is_nil();
    let ms = cx.opt_int(1, 0)?;
    if ms < 0 {
        return Err(cx.arg_error(1, format_args!("negative timeout")));
    }
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "schedule"));
    }
    let ms = ms.min(i64::from(i32::MAX));
    // SAFETY: process context, checked above.
    let left = unsafe { ffi::lk_schedule_ms(ms as core::ffi::c_long, forever) };
    cx.ret1(Value::Int(left as i64))
}

/// `linux.errname(n)`: the name of errno `n` (`"ENOENT"` for 2 or -2), or `"unknown"`.
fn errname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(1)?;
    let name = i32::try_from(n.unsigned_abs())
        .ok()
        .and_then(name_of)
        .unwrap_or("unknown");
    let v = cx.lua.str_value(name.as_bytes())?;
    cx.ret1(v)
}

/// `linux.ifindex(name)`: the index of a network interface of the initial namespace;
/// raises `"ENODEV"` if there is none.
fn ifindex(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let Ok(c_name) = crate::file::c_string(name.as_bytes()) else {
        return Err(raise(cx, Error::ENODEV));
    };
    // SAFETY: `c_name` is NUL-terminated and outlives the call; dev_get_by_name takes a
    // RCU read lock only, so any context works.
    let ret = unsafe { ffi::lk_ifindex(c_name.as_ptr().cast::<c_char>()) };
    if ret < 0 {
        return Err(raise(cx, Error::from_errno(ret)));
    }
    cx.ret1(Value::Int(i64::from(ret)))
}

/// `linux.numcpus()`: the number of possible CPU ids.
fn numcpus(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // SAFETY: reads `nr_cpu_ids`.
    let n = unsafe { ffi::lk_numcpus() };
    cx.ret1(Value::Int(i64::from(n)))
}
