//! The `completion` module: kernel completions, one runtime waking another.
//!
//! ```lua
//! local completion = require("completion")
//! local c = completion.new()
//! c:complete()            -- any context: wakes one waiter, or lets the next wait pass
//! local ok, why = c:wait(100) -- process runtimes: true, or nil and "timeout"/"interrupt"
//! ```

use core::ffi::c_uint;
use core::ptr::NonNull;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::alloc::{alloc_c_object, free_c_object};
use crate::class::Class;
use crate::context;
use crate::ffi;
use crate::modules::lunatik::is_sleepable;
use crate::object::{self, Object};
use crate::runtime;

/// A kernel `struct completion`, owned.
pub(crate) struct Completion {
    raw: NonNull<ffi::Completion>,
}

// SAFETY: completions are made to be completed and waited for from any task and context.
unsafe impl Send for Completion {}
// SAFETY: as above.
unsafe impl Sync for Completion {}

impl Completion {
    fn new() -> crate::error::Result<Self> {
        // SAFETY: a plain size query.
        let raw = alloc_c_object(unsafe { ffi::lk_completion_size() })?.cast::<ffi::Completion>();
        // SAFETY: `raw` is fresh memory of the size the shim asked for.
        unsafe { ffi::lk_completion_init(raw.as_ptr()) };
        Ok(Completion { raw })
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        // SAFETY: the last reference is gone, so nobody waits on it any more (a waiter
        // holds one); the block came from `alloc_c_object` with this size.
        unsafe { free_c_object(self.raw.cast(), ffi::lk_completion_size()) }
    }
}

impl Object for Completion {
    fn class(&self) -> &'static Class {
        &COMPLETION
    }
}

/// The class of completion objects.
pub(crate) static COMPLETION: Class = Class {
    name: "completion",
    methods: &[(b"complete", complete), (b"wait", wait)],
    metamethods: &[],
    atomic: true,
};

/// Opens the `completion` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"new", new)])
}

/// `completion.new()`.
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let c = Completion::new().map_err(|_| lua::Error::Memory)?;
    let v = object::new(cx.lua, c)?;
    cx.ret1(v)
}

/// `c:complete()`.
fn complete(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let c = object::check::<Completion>(cx, 1, &COMPLETION)?;
    // SAFETY: `c` keeps the completion alive; complete() works in every context.
    unsafe { ffi::lk_complete(c.raw.as_ptr()) };
    Ok(Ret::Values(0))
}

/// Longest single sleep of a wait: between two, the waiter checks whether its runtime or
/// kthread is being stopped (a stop does not wake a completion wait).
const SLICE_MS: u64 = 100;

/// `c:wait([ms])`: waits for a `complete()` for `ms` milliseconds (default, or negative:
/// without end; 0 polls).
fn wait(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let c = object::check::<Completion>(cx, 1, &COMPLETION)?;
    let ms = cx.opt_int(2, -1)?;
    if !is_sleepable(cx) {
        return Err(cx.error(format_args!("runtime context mismatch")));
    }
    // As C Lunatik, a negative timeout is (almost) forever.
    let mut left = u64::try_from(ms).ok();
    let outcome = loop {
        let slice = left.map_or(SLICE_MS, |l| l.min(SLICE_MS));
        // SAFETY: `c` keeps the completion alive; process context, checked above.
        let ret = unsafe { ffi::lk_completion_wait(c.raw.as_ptr(), slice as c_uint) };
        if ret > 0 {
            break None;
        }
        if ret < 0 {
            break Some("interrupt");
        }
        if context::kthread_should_stop() || runtime::of(cx.lua).is_some_and(|rt| rt.is_stopping())
        {
            break Some("interrupt");
        }
        match left.as_mut() {
            Some(l) if *l <= slice => break Some("timeout"),
            Some(l) => *l -= slice,
            None => {}
        }
    };
    match outcome {
        None => cx.ret1(Value::Bool(true)),
        Some(why) => {
            cx.push(Value::Nil)?;
            let why = cx.lua.str_value(why.as_bytes())?;
            cx.push(why)?;
            Ok(Ret::Values(2))
        }
    }
}
