//! The `lunatik` module: `lunatik.runtime(script [, context])` and `lunatik._ENV`.
//!
//! ```lua
//! local lunatik = require("lunatik")
//! local rt = lunatik.runtime("examples/echo", "process") -- runs /lib/modules/lua/examples/echo.lua
//! rt:resume(1, "two")  -- resumes a coroutine running the function the script returned
//! rt:stop()            -- stops it and releases everything it created
//! lunatik._ENV.answer = 42 -- shared by every runtime
//! ```

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::context;
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::runtime::{self, Context, Runtime};
use crate::shared::{self, Shared, Unshareable};
use crate::stack::Entry;

/// The class of runtime objects.
pub(crate) static RUNTIME: Class = Class {
    name: "runtime",
    methods: &[(b"resume", resume), (b"stop", stop), (b"stats", stats)],
    metamethods: &[],
    atomic: false,
};

impl Object for Runtime {
    fn class(&self) -> &'static Class {
        &RUNTIME
    }
}

/// Opens the `lunatik` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    lua.set_field(m, b"runtime", Value::NativeFn(new_runtime))?;
    let env = crate::modules::rcu::env().map_err(|_| lua::Error::Memory)?;
    let env = object::push(lua, env)?;
    lua.set_field(m, b"_ENV", env)?;
    Ok(Value::Table(m))
}

/// Raises the error of a binding that may sleep, called from an atomic runtime.
pub(crate) fn may_sleep_error(cx: &mut Ctx<'_>, what: &str) -> lua::Error {
    let ctx = runtime::context_of(cx.lua);
    cx.error(format_args!(
        "{} may sleep: not allowed in a {} runtime",
        what,
        ctx.name()
    ))
}

/// True if a binding that may sleep can run here.
pub(crate) fn is_sleepable(cx: &mut Ctx<'_>) -> bool {
    runtime::context_of(cx.lua) == Context::Process && !context::cannot_sleep()
}

/// `lunatik.runtime(script [, context])`: `context` is `"process"` (the default),
/// `"softirq"` or `"hardirq"`; C Lunatik's boolean form (`true`: process, `false`:
/// softirq) is accepted too.
fn new_runtime(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let script = cx.check_str(1)?;
    let script = lua::tvec::try_copy_of(script.as_bytes())?;
    let ctx = match cx.arg(2) {
        Value::Nil => Context::Process,
        Value::Bool(true) => Context::Process,
        Value::Bool(false) => Context::Softirq,
        Value::Str(s) => match Context::from_name(s.as_bytes()) {
            Some(ctx) => ctx,
            None => {
                let name: Vec<u8> = lua::tvec::try_copy_of(s.as_bytes())?;
                return Err(cx.arg_error(2, format_args!("invalid option '{}'", Bytes(&name))));
            }
        },
        _ => return Err(cx.type_error(2, "string")),
    };
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "runtime"));
    }
    match Runtime::spawn(&script, ctx) {
        Ok(rt) => {
            let v = object::push(cx.lua, rt)?;
            cx.ret1(v)
        }
        Err(message) => {
            let v = cx.lua.str_value(&message)?;
            Err(lua::Error::Lua(v))
        }
    }
}

/// `runtime:resume(...)`: resumes the runtime's coroutine, which runs the callback (the
/// value its script returned), with copies of the arguments, in that runtime and under its
/// lock, and returns copies of what it yields or returns (as C Lunatik's `lua_resume`).
/// A coroutine that returned or failed is replaced by a fresh one at the next resume.
/// Only nil, booleans, numbers, strings and shared objects cross.
fn resume(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let rt = object::check::<Runtime>(cx, 1, &RUNTIME)?;
    let args = shared::args_from(cx, 2)?;
    let entry = match rt.context() {
        Context::Process => Entry::Nested,
        Context::Softirq => Entry::Softirq,
        Context::Hardirq => Entry::Hardirq,
    };
    let outcome = rt.run(entry, |lua| call_shared(lua, &args));
    drop(args);
    match outcome {
        Err(e) => Err(cx.error(format_args!("{}", e.message()))),
        Ok(Err(Failure::Lua(message))) => {
            let v = cx.lua.str_value(&message)?;
            Err(lua::Error::Lua(v))
        }
        Ok(Err(Failure::Unshareable(Unshareable::Type(ty)))) => Err(cx.error(format_args!(
            "cannot share a {} returned by the runtime",
            ty
        ))),
        Ok(Err(Failure::Unshareable(Unshareable::Refused(r)))) => Err(r.raise(cx.lua)),
        Ok(Err(Failure::Memory | Failure::Unshareable(Unshareable::Memory))) => {
            Err(lua::Error::Memory)
        }
        Ok(Ok(results)) => {
            let n = results.len();
            for r in results.iter() {
                let v = r.to_value(cx.lua)?;
                cx.push(v)?;
            }
            Ok(Ret::Values(n))
        }
    }
}

/// Why a call into another runtime failed.
pub(crate) enum Failure {
    /// The callee raised this error message.
    Lua(Vec<u8>),
    /// The callee returned a value that cannot cross.
    Unshareable(Unshareable),
    Memory,
}

/// Resumes the coroutine of the runtime whose state is `lua` with `args` (see
/// `Runtime::coroutine`; a callback that is not a function is called, for its error);
/// copies what it yields or returns.
pub(crate) fn call_shared(lua: &mut Lua, args: &[Shared]) -> Result<Vec<Shared>, Failure> {
    let co = Runtime::coroutine(lua).map_err(|_| Failure::Memory)?;
    let mut values = Vec::new();
    values
        .try_reserve_exact(args.len())
        .map_err(|_| Failure::Memory)?;
    for a in args {
        // Strings and objects made here are not rooted until the call puts them on the
        // stack; nothing collects before that.
        let v = a
            .to_value(lua)
            .map_err(|e| Failure::Lua(lua.error_message(&e)))?;
        values.try_push(v).map_err(|_| Failure::Memory)?;
    }
    let results = match co {
        Some(co) => lua.resume_coroutine(co, &values),
        None => {
            let callback = Runtime::callback(lua);
            lua.call(callback, &values)
        }
    }
    .map_err(|e| Failure::Lua(lua.error_message(&e)))?;
    let mut out = Vec::new();
    out.try_reserve_exact(results.len())
        .map_err(|_| Failure::Memory)?;
    for r in results.iter() {
        match Shared::from_value(r) {
            Ok(s) => out.try_push(s).map_err(|_| Failure::Memory)?,
            Err(e) => return Err(Failure::Unshareable(e)),
        }
    }
    Ok(out)
}

/// `runtime:stop()`: stops the runtime (process context), waiting for a script running in
/// it to finish or abort at its next slice; a signal ends the wait. Stopping a stopped
/// runtime does nothing.
fn stop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let rt = object::check::<Runtime>(cx, 1, &RUNTIME)?;
    match rt.stop_interruptible() {
        Ok(()) => Ok(Ret::Values(0)),
        Err(e) => Err(cx.error(format_args!("{}", e.message()))),
    }
}

/// `runtime:stats()`: a table of the runtime's counters (stats.rs): `script`, `context`,
/// `state` (`"loading"`, `"running"`, `"stopped"`), `memory`, `peak` and `limit` (bytes,
/// as of the last entry), `instructions`, `aborts` (budget), `errors` (raised in hooks),
/// `last_error`, `time_ns` (inside the runtime), `threads`, `packets` (netfilter), and
/// `entries`, a table of entry counts per kind (`control`, `device`, `nested`, `thread`,
/// `hook`, `softirq`, `hardirq`).
fn stats(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let rt = object::check::<Runtime>(cx, 1, &RUNTIME)?;
    let info = rt.info();
    let snap = info.stats.snapshot();
    let (last, last_len) = info.stats.last_error();
    let state = if rt.is_stopped() {
        "stopped"
    } else if rt.is_loading() {
        "loading"
    } else {
        "running"
    };
    let lua = &mut *cx.lua;
    let t = lua.new_table()?;
    let set_str = |lua: &mut Lua, k: &[u8], v: &[u8]| -> LuaResult<()> {
        let v = lua.str_value(v)?;
        lua.set_field(t, k, v)
    };
    set_str(lua, b"script", info.name())?;
    set_str(lua, b"context", rt.context().name().as_bytes())?;
    set_str(lua, b"state", state.as_bytes())?;
    set_str(lua, b"last_error", last.get(..last_len).unwrap_or(&[]))?;
    let count = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let numbers = [
        (&b"memory"[..], snap.memory as u64),
        (b"peak", snap.peak as u64),
        (b"limit", info.memory_limit() as u64),
        (b"instructions", snap.instructions),
        (b"aborts", snap.aborts),
        (b"errors", snap.errors),
        (b"time_ns", snap.time_ns),
        (b"threads", snap.threads as u64),
        (b"packets", snap.packets),
    ];
    for (k, v) in numbers {
        lua.set_field(t, k, count(v))?;
    }
    let entries = lua.new_table()?;
    for entry in Entry::ALL {
        let n = snap.entries.get(entry.index()).copied().unwrap_or(0);
        lua.set_field(entries, entry.name().as_bytes(), count(n))?;
    }
    lua.set_field(t, b"entries", Value::Table(entries))?;
    cx.ret1(Value::Table(t))
}
