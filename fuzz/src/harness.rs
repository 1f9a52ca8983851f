//! What one fuzz input does to the engine, shared by the fuzz targets and by
//! `crates/lua/tests/fuzz_regressions.rs` (which includes this file with `#[path]`), so a
//! reproducer replays exactly as the fuzzer ran it. Depends on the `lua` crate only.
//!
//! An input is Lua source (for the `undump` target, a binary chunk, loaded in mode "b"
//! by a state that allows binary chunks, and dumped and loaded again before it runs).
//! Source is compiled alone (compiler + listing), then loaded and run in a fresh state
//! with all libraries, a small memory limit, an instruction budget that aborts and a
//! native stack budget; then the state must still answer `return 1 + 1`, a
//! full collection runs, and the state is dropped (pending finalizers run, also under
//! the budget). Lua errors are fine; a panic (including a failed debug assertion or
//! arithmetic overflow), a sanitizer report, a hang or a blown memory limit are bugs.

use std::cell::Cell;
use std::rc::Rc;

use lua::stack::StackGuard;
use lua::{Config, FuelAction, Host, Lua, Mode, Value};

/// Memory a fuzzed state may use.
pub const MEMORY_LIMIT: usize = 2 << 20;
/// Instructions per slice.
pub const FUEL_SLICE: i64 = 10_000;
/// Slices a phase (load + call, the check, the collection, the drop) may use.
pub const SLICES: u32 = 20;
/// Under GC stress, every 64th safe point is a full collection, whose cost grows with the
/// heap: a smaller heap and budget keep one input well under libFuzzer's timeout (in the
/// instrumented build, 200,000 instructions over a 1.5 MiB heap took 12 s).
pub const STRESS_MEMORY_LIMIT: usize = 1 << 20;
pub const STRESS_SLICES: u32 = 5;
/// Native stack the engine may use (the parser and a few library functions recurse).
pub const STACK_BUDGET: usize = 256 * 1024;

/// How to run an input.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    /// Collector step at every safe point (`Lua::set_gc_stress`).
    pub gc_stress: bool,
}

/// Aborts the script after `max` slices; ignores output and refuses files.
struct FuzzHost {
    slices: Rc<Cell<u32>>,
    max: u32,
}

impl Host for FuzzHost {
    fn out_of_fuel(&mut self) -> FuelAction {
        let n = self.slices.get() + 1;
        self.slices.set(n);
        if n >= self.max {
            FuelAction::Abort
        } else {
            FuelAction::Continue
        }
    }
}

/// Compiles `src` without a state and renders the listing of what compiled.
pub fn compile_only(src: &[u8]) {
    let guard = StackGuard::with_budget(STACK_BUDGET);
    if let Ok(p) = lua::compile(src, b"=fuzz", &guard) {
        let _ = lua::listing::listing(&p);
    }
}

/// Loads and runs `src` in a fresh limited state (see the module documentation).
pub fn execute(src: &[u8], opts: Opts) {
    execute_as(src, opts, Mode::Text);
}

/// Loads `chunk` as a binary chunk (`string.dump` output, the `undump` target) and runs
/// it as `execute` runs source: the bytecode verifier must stop everything the VM could
/// not run safely. A chunk that loads is also dumped again and reloaded.
pub fn execute_binary(chunk: &[u8], opts: Opts) {
    execute_as(chunk, opts, Mode::Binary);
}

fn execute_as(src: &[u8], opts: Opts, mode: Mode) {
    let slices = Rc::new(Cell::new(0));
    let (memory_limit, max) = if opts.gc_stress {
        (STRESS_MEMORY_LIMIT, STRESS_SLICES)
    } else {
        (MEMORY_LIMIT, SLICES)
    };
    let config = Config {
        memory_limit,
        fuel_slice: FUEL_SLICE,
        stack_budget: STACK_BUDGET,
        allow_binary: mode == Mode::Binary,
    };
    let Ok(mut lua) = Lua::new(
        config,
        Box::new(FuzzHost {
            slices: slices.clone(),
            max,
        }),
    ) else {
        panic!("a fresh state does not fit in {memory_limit} bytes");
    };
    lua.set_gc_stress(opts.gc_stress);
    if mode == Mode::Binary {
        redump(&mut lua, src);
    }
    match lua.enter(|l| l.load(src, b"=fuzz", mode, None)) {
        Ok(f) => {
            // A dumped function may have parameters; give it some.
            let args: &[Value] = match mode {
                Mode::Binary => &[Value::Int(1), Value::Nil, Value::Bool(true)],
                _ => &[],
            };
            if let Err(e) = lua.call(f, args) {
                let _ = lua.error_message(&e);
            }
        }
        Err(e) => {
            let _ = lua.error_message(&e);
        }
    }
    check_limit(&lua, memory_limit);
    // The state must still work. The script may have filled the memory it is allowed or
    // installed a hook that raises, so an error is fine here, but not a wrong answer.
    slices.set(0);
    if let Ok(f) = lua.enter(|l| l.load(b"return 1 + 1", b"=check", Mode::Text, None)) {
        if let Ok(r) = lua.call(f, &[]) {
            assert!(
                matches!(r.as_slice(), [Value::Int(2)]),
                "state broken after the script: {r:?}"
            );
        }
    }
    slices.set(0);
    let _ = lua.collect_garbage();
    check_limit(&lua, memory_limit);
    slices.set(0);
    drop(lua);
}

/// Loads `chunk`, dumps the function (plain and stripped) and loads the results: what
/// loaded once must load again. The chunk goes through a global and the function stays
/// in Lua, as the collector does not see values held only in Rust.
fn redump(lua: &mut Lua, chunk: &[u8]) {
    const REDUMP: &[u8] = b"local f = load(chunk, '=fuzz', 'b') chunk = nil \
        if not f then return true end \
        return load(string.dump(f)) ~= nil and load(string.dump(f, true)) ~= nil";
    let stored = lua.enter(|l| {
        let s = l.str_value(chunk)?;
        l.set_global(b"chunk", s)
    });
    if stored.is_err() {
        return;
    }
    let Ok(g) = lua.enter(|l| l.load(REDUMP, b"=redump", Mode::Text, None)) else {
        return;
    };
    if let Ok(r) = lua.call(g, &[]) {
        assert!(
            matches!(r.as_slice(), [Value::Bool(true)]),
            "a loaded chunk does not load again after string.dump: {r:?}"
        );
    }
}

fn check_limit(lua: &Lua, limit: usize) {
    assert!(
        lua.memory_used() <= limit,
        "memory limit passed: {} bytes",
        lua.memory_used()
    );
}

/// Everything one input is put through: the compiler alone, then a run with or without
/// GC stress (`stress`: the target decides, from the input).
pub fn one_input(src: &[u8], stress: bool) {
    compile_only(src);
    execute(src, Opts { gc_stress: stress });
}

/// A cheap deterministic choice from the input bytes (FNV-1a): about one input in
/// `one_in` runs under GC stress.
pub fn stress_for(data: &[u8], one_in: u32) -> bool {
    let mut h: u32 = 0x811c_9dc5;
    for &b in data {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h.is_multiple_of(one_in)
}
