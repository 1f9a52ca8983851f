//! The `signal` module: the signals of `current`, the task running the script (the
//! kthread of a spawned script, the process writing to `/dev/lunatik` for a script body,
//! the interrupted task in a hook).
//!
//! ```lua
//! local signal = require("signal")
//! signal.sigmask(15)                 -- block SIGTERM (how: 0 block, 1 unblock, 2 set)
//! signal.sigstate(15, "pending"), signal.sigpending()
//! signal.kill(pid)                   -- SIGKILL by default; raises "ESRCH" for no such pid
//! ```

use core::ffi::c_int;

use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

use crate::error::{to_result, Error};
use crate::ffi;
use crate::modules::linux::raise;

const FUNCTIONS: &[(&[u8], NativeFn)] = &[
    (b"sigmask", sigmask),
    (b"sigpending", sigpending),
    (b"sigstate", sigstate),
    (b"kill", kill),
];

/// Opens the `signal` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, FUNCTIONS)
}

/// `SIGKILL`, `kill`'s default.
const SIGKILL: i64 = 9;

/// An integer argument as a C `int`; out of range is `EINVAL`, as the kernel would say.
fn int_arg(cx: &mut Ctx<'_>, i: usize, default: Option<i64>) -> LuaResult<c_int> {
    let n = match default {
        Some(d) => cx.opt_int(i, d)?,
        None => cx.check_int(i)?,
    };
    c_int::try_from(n).map_err(|_| raise(cx, Error::EINVAL))
}

/// `signal.sigmask(sig [, how])`.
fn sigmask(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let sig = int_arg(cx, 1, None)?;
    let how = int_arg(cx, 2, Some(0))?;
    // SAFETY: changes the current task's mask; the shim refuses to with IRQs off.
    to_result(unsafe { ffi::lk_signal_mask(sig, how) }).map_err(|e| raise(cx, e))?;
    Ok(Ret::Values(0))
}

/// `signal.sigpending()`: whether any signal is pending for the current task.
fn sigpending(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // SAFETY: reads the current task's flags.
    let pending = unsafe { ffi::lk_signal_pending() };
    cx.ret1(Value::Bool(pending))
}

/// `signal.sigstate(sig [, which])`: `which` is `"blocked"` (default), `"pending"` or
/// `"allowed"`.
fn sigstate(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let sig = int_arg(cx, 1, None)?;
    let which = cx.check_option(2, Some("blocked"), &["blocked", "pending", "allowed"])?;
    let (set, negate) = match which {
        0 => (0, false),
        1 => (1, false),
        _ => (0, true),
    };
    // SAFETY: reads the current task's signal sets.
    let answer = unsafe { ffi::lk_signal_state(sig, set) } != negate;
    cx.ret1(Value::Bool(answer))
}

/// `signal.kill(pid [, sig])`: sends `sig` (default `SIGKILL`) to `pid`; `true`.
fn kill(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let pid = int_arg(cx, 1, None)?;
    let sig = int_arg(cx, 2, Some(SIGKILL))?;
    // SAFETY: looks the pid up under RCU and signals it; any context.
    to_result(unsafe { ffi::lk_signal_kill(pid, sig) }).map_err(|e| raise(cx, e))?;
    cx.ret1(Value::Bool(true))
}
