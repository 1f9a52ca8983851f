//! The coroutine library (§6.2). Resuming and yielding are requests to the executor
//! (`Ret::Resume`, `Ret::Yield`), so coroutines never nest on the native stack.

use crate::api::{Ctx, NativeFn, Ret};
use crate::error::{Error, LuaResult};
use crate::gc::{Gc, Kind};
use crate::state::Lua;
use crate::thread::{CoStatus, Thread};
use crate::tvec::TryVec;
use crate::value::Value;

pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"close", close),
        (b"create", create),
        (b"isyieldable", isyieldable),
        (b"resume", resume),
        (b"running", running),
        (b"status", status),
        (b"wrap", wrap),
        (b"yield", yield_),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    lua.set_global(b"coroutine", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"coroutine", Value::Table(t))
}

/// Creates a coroutine running `f`.
pub fn new_coroutine(lua: &mut Lua, f: Value) -> LuaResult<Gc<Thread>> {
    let co = lua.heap.alloc_box(Kind::Thread, Thread::new(), 0)?;
    // SAFETY: the thread was just created; nothing else refers to it.
    let t = unsafe { co.get_mut() };
    t.ensure(&lua.heap, crate::thread::MIN_STACK)
        .map_err(|_| Error::Memory)?;
    t.set(0, f);
    t.top = 1;
    // A new thread inherits its creator's hook mask and count (`lua_newthread`), not
    // its hook function: that is looked up per thread.
    t.hooks = crate::lib_debug::Hooks::inherited(&lua.th().hooks);
    lua.threads.try_push(co)?;
    Ok(co)
}

fn create(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f = cx.arg(1);
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    let co = new_coroutine(cx.lua, f)?;
    cx.ret1(Value::Thread(co))
}

fn check_co(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Gc<Thread>> {
    match cx.arg(i) {
        Value::Thread(t) => Ok(t),
        _ => Err(cx.type_error(i, "thread")),
    }
}

/// Why a coroutine cannot be resumed, if it cannot.
pub(crate) fn resume_problem(lua: &Lua, co: Gc<Thread>) -> Option<&'static str> {
    if co == lua.current {
        return Some("cannot resume non-suspended coroutine");
    }
    match co.status {
        CoStatus::Dead => Some("cannot resume dead coroutine"),
        CoStatus::Running | CoStatus::Normal => Some("cannot resume non-suspended coroutine"),
        CoStatus::Suspended if co.frames.is_empty() && co.top == 0 => {
            Some("cannot resume dead coroutine")
        }
        CoStatus::Suspended => None,
    }
}

/// `coroutine.resume`; also how the host drives a coroutine (`Lua::resume_coroutine`).
pub(crate) fn resume(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let co = check_co(cx, 1)?;
    if let Some(msg) = resume_problem(cx.lua, co) {
        cx.push(Value::Bool(false))?;
        cx.push_str(msg.as_bytes())?;
        return Ok(Ret::Values(2));
    }
    let nargs = cx.nargs() - 1;
    Ok(Ret::Resume {
        co,
        nargs,
        k: finish_resume,
        ctx: 0,
    })
}

/// After the coroutine yielded or ended: `true, values...` or `false, error`.
fn finish_resume(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    let first = cx.base + 1; // values were pushed after the coroutine argument
    match status {
        Ok(()) => {
            let th = cx.lua.th();
            let n = th.top.saturating_sub(first);
            th.ensure(&cx.lua.heap, 1)
                .map_err(|o| crate::api::stack_error(cx.lua, o))?;
            let th = cx.lua.th();
            let mut i = th.top;
            while i > first {
                th.set(i, th.get(i - 1));
                i -= 1;
            }
            th.set(first, Value::Bool(true));
            th.top += 1;
            Ok(Ret::Values(n + 1))
        }
        Err(e) => {
            let ev = crate::lib_base::error_value(cx.lua, e);
            cx.lua.th().top = first;
            cx.push(Value::Bool(false))?;
            cx.push(ev)?;
            Ok(Ret::Values(2))
        }
    }
}

fn yield_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    Ok(Ret::Yield(cx.nargs()))
}

fn status(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let co = check_co(cx, 1)?;
    let s: &[u8] = if co == cx.lua.current {
        b"running"
    } else {
        match co.status {
            CoStatus::Suspended if co.frames.is_empty() && co.top == 0 => b"dead",
            CoStatus::Suspended => b"suspended",
            CoStatus::Running => b"running",
            CoStatus::Normal => b"normal",
            CoStatus::Dead => b"dead",
        }
    };
    cx.push_str(s)?;
    Ok(Ret::Values(1))
}

fn running(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let cur = cx.lua.current;
    cx.push(Value::Thread(cur))?;
    cx.push(Value::Bool(cur == cx.lua.main))?;
    Ok(Ret::Values(2))
}

fn isyieldable(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let co = match cx.arg(1) {
        Value::Thread(t) => t,
        Value::Nil => cx.lua.current,
        _ => return Err(cx.type_error(1, "thread")),
    };
    let y = co != cx.lua.main && co.non_yieldable == 0;
    cx.ret1(Value::Bool(y))
}

fn wrap(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f = cx.arg(1);
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    let co = new_coroutine(cx.lua, f)?;
    let mut upvals = alloc::vec::Vec::new();
    upvals.try_push(Value::Thread(co))?;
    cx.lua.heap.charge(core::mem::size_of::<Value>())?;
    let c = cx.lua.heap.alloc_box(
        Kind::NativeClosure,
        crate::func::NativeClosure {
            f: wrap_call,
            upvals,
        },
        0,
    )?;
    cx.ret1(Value::NativeClosure(c))
}

/// The coroutine behind the running `wrap` function.
fn wrapped_coroutine(cx: &mut Ctx<'_>) -> LuaResult<Gc<Thread>> {
    let th = cx.lua.th();
    match th.frames.last().map(|f| th.get(f.func)) {
        Some(Value::NativeClosure(c)) => match c.upvals.first() {
            Some(Value::Thread(t)) => Ok(*t),
            _ => Err(cx.error(format_args!("bad wrapped coroutine"))),
        },
        _ => Err(cx.error(format_args!("bad wrapped coroutine"))),
    }
}

fn wrap_call(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let co = wrapped_coroutine(cx)?;
    if let Some(msg) = resume_problem(cx.lua, co) {
        return Err(cx.error(format_args!("{}", msg)));
    }
    let nargs = cx.nargs();
    Ok(Ret::Resume {
        co,
        nargs,
        k: finish_wrap,
        ctx: 0,
    })
}

fn finish_wrap(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    // An error kills the coroutine: close its pending variables (`auxwrap`).
    let status = match status {
        Err(e) if e.is_catchable() => {
            let co = wrapped_coroutine(cx)?;
            Err(match close_coroutine(cx.lua, co)? {
                Some(v) => Error::Lua(v),
                None => e,
            })
        }
        other => other,
    };
    match status {
        Ok(()) => Ok(Ret::Values(cx.nargs())),
        Err(Error::Lua(Value::Str(s))) => {
            // Like auxwrap: a string error gets the position of the caller prepended.
            let msg = crate::tvec::try_copy_of(s.as_bytes())?;
            Err(cx
                .lua
                .error_at_level(1, format_args!("{}", crate::api::Bytes(&msg))))
        }
        Err(e) => Err(e),
    }
}

/// Kills a suspended or dead coroutine, running its pending `__close` handlers on its
/// own stack; returns the error it died with (or a handler's), if any.
fn close_coroutine(lua: &mut Lua, co: Gc<Thread>) -> LuaResult<Option<Value>> {
    // SAFETY: a suspended or dead coroutine is not running; nothing borrows it.
    let t = unsafe { co.get_mut() };
    let mut err = t.error.take();
    t.truncate_frames(0);
    t.close_upvals(&lua.heap, 0);
    if !t.tbc.is_empty() {
        let caller = lua.current;
        let caller_status = caller.status;
        t.status = CoStatus::Running;
        lua.set_current(co);
        let r = crate::vm::close_tbc_final(lua, 0, err, true);
        lua.set_current(caller);
        // SAFETY: the caller is the running thread, alive.
        unsafe { caller.get_mut() }.status = caller_status;
        match r {
            Ok(v) => err = v,
            Err(e) => err = Some(crate::lib_base::error_value(lua, e)),
        }
    }
    // SAFETY: as above.
    let t = unsafe { co.get_mut() };
    t.tbc.clear();
    t.top = 0;
    t.status = CoStatus::Dead;
    Ok(err)
}

fn close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // Without an argument, the running coroutine (5.5).
    let co = if cx.nargs() == 0 {
        cx.lua.current
    } else {
        check_co(cx, 1)?
    };
    if co == cx.lua.current {
        if co == cx.lua.main {
            return Err(cx.error(format_args!("cannot close main thread")));
        }
        if co.resumer.is_none() {
            // Already being closed (a `__close` handler closing its own coroutine):
            // the closing in progress finishes the job.
            return cx.ret1(Value::Bool(true));
        }
        // Close its variables now, then unwind the whole coroutine, native calls and
        // `pcall`s included; the resumer sees it end (call.rs, `Thread::exit`).
        let closed = crate::vm::close_tbc_final(cx.lua, 0, None, true)?.unwrap_or(Value::Nil);
        // SAFETY: `co` is the running thread, alive; no other borrow of it is live.
        unsafe { co.get_mut() }.exit = Some(closed);
        return Err(crate::error::Error::Abort);
    }
    if matches!(co.status, CoStatus::Normal | CoStatus::Running) {
        let what = if co.status == CoStatus::Running {
            "running"
        } else {
            "normal"
        };
        return Err(cx.error(format_args!("cannot close a {} coroutine", what)));
    }
    match close_coroutine(cx.lua, co)? {
        Some(e) => {
            cx.push(Value::Bool(false))?;
            cx.push(e)?;
            Ok(Ret::Values(2))
        }
        None => cx.ret1(Value::Bool(true)),
    }
}
