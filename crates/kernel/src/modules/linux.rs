//! The `linux` module: time, random numbers, sleeping, errno names, interfaces and CPUs.
//! Its constants (`linux.stat`, `linux.signal`, ...) are Lua modules generated from the
//! kernel's headers at build time (tools/autogen), as in C Lunatik.

use core::ffi::{c_char, c_int};

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
        (b"ifaddr", ifaddr),
        (b"tracing", tracing),
        (b"lookup", lookup),
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
    // Any interval works, the whole integer range included (C Lunatik refuses those wider
    // than `maxinteger`): a span of 0 stands for 2^64.
    let span = (up as u64).wrapping_sub(low as u64).wrapping_add(1);
    let offset = if span == 0 { rand } else { rand % span };
    cx.ret1(Value::Int(low.wrapping_add(offset as i64)))
}

/// `linux.schedule([ms [, state]])`: sleeps for `ms` milliseconds, or until woken, in
/// `state` (a `linux.task` value; default `INTERRUPTIBLE`); returns the milliseconds left.
/// Refused in atomic runtimes.
fn schedule(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let forever = cx.arg(1).is_nil();
    let ms = cx.opt_int(1, 0)?;
    if ms < 0 {
        return Err(cx.arg_error(1, format_args!("negative timeout")));
    }
    let state = match cx.arg(2) {
        Value::Nil => -1,
        _ => c_int::try_from(cx.check_int(2)?).unwrap_or(c_int::MAX),
    };
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "schedule"));
    }
    let ms = ms.min(i64::from(i32::MAX));
    // SAFETY: process context, checked above.
    let left = unsafe { ffi::lk_schedule_ms(ms as core::ffi::c_long, forever, state) };
    if left < 0 {
        return Err(cx.arg_error(2, format_args!("invalid task state")));
    }
    cx.ret1(Value::Int(left as i64))
}

/// `linux.tracing([on])`: turns the kernel's tracing ring buffer on or off (no argument:
/// leaves it); whether it is on.
fn tracing(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let on = match cx.arg(1) {
        _ if cx.nargs() == 0 => -1,
        v => c_int::from(v.truthy()),
    };
    // SAFETY: flips a flag; any context.
    let now = unsafe { ffi::lk_tracing(on) };
    cx.ret1(Value::Bool(now))
}

/// `linux.lookup(symbol)`: the address of a kernel function as a light userdata (0, still
/// a true value, if there is none). May sleep (it asks kprobes).
fn lookup(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let c_name = crate::file::c_string(name.as_bytes()).ok();
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "lookup"));
    }
    let addr = match c_name {
        // SAFETY: `c_name` is NUL-terminated and outlives the call; process context.
        Some(c_name) => unsafe { ffi::lk_lookup(c_name.as_ptr().cast::<c_char>()) },
        None => 0,
    };
    cx.ret1(Value::LightUserData(addr as usize))
}

/// `linux.ifaddr(ifindex)`: the hardware address of an interface, as a string.
fn ifaddr(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let index = cx.check_int(1)?;
    let mut addr = [0u8; 32];
    let n = match c_int::try_from(index) {
        // SAFETY: `addr` has room for the length passed; dev_get_by_index takes an RCU
        // read lock only, so any context works.
        Ok(index) => unsafe { ffi::lk_ifaddr(index, addr.as_mut_ptr(), addr.len()) },
        Err(_) => -1,
    };
    let Some(bytes) = usize::try_from(n).ok().and_then(|n| addr.get(..n)) else {
        return Err(cx.arg_error(1, format_args!("device not found")));
    };
    let v = cx.lua.str_value(bytes)?;
    cx.ret1(v)
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

/// `linux.ifindex(name)`: the index of a network interface of the initial namespace.
fn ifindex(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let ret = match crate::file::c_string(name.as_bytes()) {
        // SAFETY: `c_name` is NUL-terminated and outlives the call; dev_get_by_name takes
        // an RCU read lock only, so any context works.
        Ok(c_name) => unsafe { ffi::lk_ifindex(c_name.as_ptr().cast::<c_char>()) },
        Err(_) => -1,
    };
    if ret < 0 {
        return Err(cx.arg_error(1, format_args!("device not found")));
    }
    cx.ret1(Value::Int(i64::from(ret)))
}

/// `linux.numcpus()`: the number of possible CPU ids.
fn numcpus(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // SAFETY: reads `nr_cpu_ids`.
    let n = unsafe { ffi::lk_numcpus() };
    cx.ret1(Value::Int(i64::from(n)))
}
