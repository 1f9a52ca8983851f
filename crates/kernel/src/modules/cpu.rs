//! The `cpu` module: CPU counts, iteration over CPU masks, per-CPU time statistics.
//!
//! ```lua
//! local cpu = require("cpu")
//! cpu.num_online(), cpu.num_possible()
//! cpu.foreach_online(function(n) print(n, cpu.stats(n).idle) end) -- nanoseconds
//! ```
//! Nothing here sleeps; every function works in every context.

use core::ffi::c_int;

use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

use crate::ffi;

/// The fields of `cpu.stats`, in the order `lk_cpu_stats` writes them.
const STATS: &[&[u8]] = &[
    b"user",
    b"nice",
    b"system",
    b"idle",
    b"iowait",
    b"irq",
    b"softirq",
    b"steal",
    b"guest",
    b"guest_nice",
    b"forceidle",
];

/// Declares `$count()` and `$foreach(fn)` for the CPU mask `$mask`.
macro_rules! mask_functions {
    ($($count:ident, $foreach:ident: $mask:expr;)*) => {
        $(
            fn $count(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
                // SAFETY: reads a CPU mask; any context.
                let n = unsafe { ffi::lk_cpu_count($mask) };
                cx.ret1(Value::Int(i64::from(n)))
            }

            fn $foreach(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
                foreach(cx, $mask)
            }
        )*
    };
}

mask_functions! {
    num_possible, foreach_possible: ffi::CPU_POSSIBLE;
    num_present, foreach_present: ffi::CPU_PRESENT;
    num_online, foreach_online: ffi::CPU_ONLINE;
}

const FUNCTIONS: &[(&[u8], NativeFn)] = &[
    (b"num_possible", num_possible),
    (b"num_present", num_present),
    (b"num_online", num_online),
    (b"foreach_possible", foreach_possible),
    (b"foreach_present", foreach_present),
    (b"foreach_online", foreach_online),
    (b"stats", stats),
];

/// Opens the `cpu` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, FUNCTIONS)
}

/// Calls `fn(cpu)` for each CPU of the mask, in order (a CPU leaving or joining the mask
/// meanwhile may be missed or seen). Each call is a continuation, not a nested call, so
/// this works within a hardirq runtime's small stack budget.
fn foreach(cx: &mut Ctx<'_>, mask: c_int) -> LuaResult<Ret> {
    if !cx.arg(1).is_function() {
        return Err(cx.type_error(1, "function"));
    }
    cx.set_top(1)?;
    call_next(cx, mask, -1)
}

/// Calls `fn` (argument 1) for the CPU of `mask` after `prev`, then `foreach_next`.
fn call_next(cx: &mut Ctx<'_>, mask: c_int, prev: c_int) -> LuaResult<Ret> {
    // SAFETY: reads a CPU mask; any context.
    let cpu = unsafe { ffi::lk_cpu_next(mask, prev) };
    // SAFETY: as above.
    if cpu >= unsafe { ffi::lk_numcpus() } {
        return Ok(Ret::Values(0));
    }
    let f = cx.arg(1);
    cx.push(f)?;
    cx.push(Value::Int(i64::from(cpu)))?;
    Ok(Ret::CallK {
        nargs: 1,
        nresults: 0,
        k: foreach_next,
        ctx: (mask as usize) << 32 | cpu as usize,
        protected: false,
    })
}

fn foreach_next(cx: &mut Ctx<'_>, status: LuaResult<()>, ctx: usize) -> LuaResult<Ret> {
    status?;
    cx.set_top(1)?;
    call_next(cx, (ctx >> 32) as c_int, (ctx & 0xffff_ffff) as c_int)
}

/// `cpu.stats(n)`: the cumulative times of online CPU `n`, in nanoseconds.
fn stats(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.check_int(1)?;
    let mut times = [0u64; STATS.len()];
    let written = match u32::try_from(n) {
        // SAFETY: `times` has room for the count passed; any context.
        Ok(cpu) => unsafe { ffi::lk_cpu_stats(cpu, times.as_mut_ptr(), STATS.len() as c_int) },
        Err(_) => 0,
    };
    if written <= 0 {
        return Err(cx.arg_error(1, format_args!("CPU is offline")));
    }
    let t = cx.lua.new_table()?;
    cx.push(Value::Table(t))?;
    for (name, ns) in STATS.iter().zip(times.iter()).take(written as usize) {
        cx.lua.set_field(t, name, Value::Int(*ns as i64))?;
    }
    Ok(Ret::Values(1))
}
