//! The state: heap, interned strings, registry, type metatables, threads, host hooks.
//!
//! One `Lua` is one independent interpreter ("runtime" in the kernel). It is not `Send`:
//! the kernel serialises access with the runtime's lock.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::Cell;

use crate::error::{Error, LuaResult};
use crate::gc::{Gc, Heap};
use crate::lstr::{LStr, StringTable};
use crate::opcode::{TagMethod, TM_NAMES};
use crate::stack::StackGuard;
use crate::table::{self, InvalidKey, Table};
use crate::thread::{CoStatus, Thread};
use crate::tvec::{try_box, TryVec};
use crate::value::{Type, Value};

/// What the host decides when a script has used up its instruction slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuelAction {
    /// Grant another slice and go on (after e.g. yielding the CPU).
    Continue,
    /// Stop the script: raises an error `pcall` cannot catch.
    Abort,
}

/// The embedding host: where output goes, how files load, what happens when a script
/// runs out of fuel.
pub trait Host {
    /// Output of `print` (one call per line, with its `\n`).
    fn print(&mut self, _bytes: &[u8]) {}
    /// A `warn` message (already concatenated).
    fn warn(&mut self, _msg: &[u8]) {}
    /// Source of a file for `dofile`/`loadfile`/`require`; `Err` carries the message.
    fn load_file(&mut self, _name: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        Err(Vec::new())
    }
    /// Whether a `load_file` error only says the file is not there: `require` lists such
    /// files as `no file '...'`, and shows any other reason after the name.
    fn is_missing(&self, _message: &[u8]) -> bool {
        true
    }
    /// The instruction slice is used up.
    fn out_of_fuel(&mut self) -> FuelAction {
        FuelAction::Continue
    }
    /// Polled by the VM at each slice boundary (every instruction under debug hooks), not
    /// by library loops: `Some(msg)` raises a catchable error `msg` there, as `lua.c`'s
    /// SIGINT hook does. Needs a fuel slice, or the VM never polls.
    fn interrupt(&mut self) -> Option<&'static [u8]> {
        None
    }
    /// A seed for string hashing and `math.random`.
    fn seed(&mut self) -> u64 {
        0x2545_f491_4f6c_dd1d
    }
}

/// A host that ignores output and refuses files.
pub struct NoHost;
impl Host for NoHost {}

/// Creation parameters.
pub struct Config {
    /// Memory limit in bytes (0: unlimited).
    pub memory_limit: usize,
    /// Instructions per slice before `Host::out_of_fuel` (0: unlimited).
    pub fuel_slice: i64,
    /// Native stack the engine may use below its entry point (recursion guard).
    pub stack_budget: usize,
    /// Allow `load` to accept binary chunks (`string.dump` output). Every loaded
    /// prototype passes the bytecode verifier (`verify.rs`); hosts that run untrusted
    /// scripts (the kernel) keep this off anyway.
    pub allow_binary: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            memory_limit: 0,
            fuel_slice: 0,
            stack_budget: 256 * 1024,
            allow_binary: false,
        }
    }
}

/// A Lua state.
pub struct Lua {
    pub(crate) heap: Heap,
    pub(crate) strings: StringTable,
    pub(crate) seed: u32,
    pub(crate) registry: Gc<Table>,
    pub(crate) globals: Gc<Table>,
    pub(crate) loaded: Gc<Table>,
    /// Metatables of the non-table, non-userdata types, by `Type`.
    pub(crate) type_meta: [Cell<Option<Gc<Table>>>; 9],
    pub(crate) tm_names: Vec<Gc<LStr>>,
    pub(crate) main: Gc<Thread>,
    pub(crate) current: Gc<Thread>,
    /// Every thread, for the collector (pruned when threads die).
    pub(crate) threads: Vec<Gc<Thread>>,
    pub(crate) mem_msg: Gc<LStr>,
    pub(crate) names: Names,
    pub(crate) host: Box<dyn Host>,
    /// Instructions the VM runs before its slow path (`vm::trap`): without debug hooks,
    /// the fuel left in the slice (`NO_BUDGET` when there is no budget); with hooks, 1.
    pub(crate) fuel: i64,
    /// The fuel left in the slice while hooks hold `fuel` at 1.
    pub(crate) hook_fuel: i64,
    pub(crate) fuel_slice: i64,
    /// Fuel of the slices used up or refilled so far (`Lua::instructions`).
    pub(crate) fuel_spent: u64,
    pub(crate) stack_budget: usize,
    /// `Config::allow_binary`.
    pub(crate) allow_binary: bool,
    pub(crate) guard: StackGuard,
    /// A floor the host set with `set_stack_guard`, kept for later entries.
    pub(crate) host_floor: Option<usize>,
    /// Nested `execute` levels (native code calling back into Lua).
    pub(crate) nested: u32,
    pub(crate) warn_on: bool,
    /// True while finalizers run (no nested finalizer runs).
    pub(crate) in_finalizer: bool,
    /// The running thread has debug hooks (`Thread::hooks`): `fuel` is 1 and
    /// `hook_fuel` counts the budget.
    pub(crate) hooked: bool,
    /// Random state for `math.random` (xoshiro256**).
    pub(crate) rng: [u64; 4],
}

/// Nested native-to-Lua calls allowed (`LUAI_MAXCCALLS`).
pub const MAX_NESTED: u32 = 200;

/// C calls allowed on a thread's chain (`LUAI_MAXCCALLS`): natives waiting for a Lua
/// call, a resume or a yield, plus nested native-to-Lua calls.
pub const MAX_C_CALLS: u32 = 200;

/// Elements of a native loop paid for at once (`Lua::meter`).
const METER_BATCH: u64 = 32;

/// `fuel` when there is no budget: the VM never counts down to it.
const NO_BUDGET: i64 = i64::MAX;

/// The fuel of a fresh slice.
fn fresh_fuel(slice: i64) -> i64 {
    if slice > 0 {
        slice
    } else {
        NO_BUDGET
    }
}

impl Lua {
    /// Creates a state with the base and coroutine libraries opened.
    ///
    /// # Errors
    /// `Error::Memory` if the initial objects do not fit.
    pub fn new(config: Config, mut host: Box<dyn Host>) -> Result<Box<Lua>, Error> {
        let seed64 = host.seed();
        let heap = Heap::new();
        heap.set_limit(config.memory_limit);
        let mut strings = StringTable::new(seed64 as u32);
        let registry = table::new_table(&heap, 2, 4)?;
        let globals = table::new_table(&heap, 0, 64)?;
        let loaded = table::new_table(&heap, 0, 16)?;
        let main = heap.alloc_box(crate::gc::Kind::Thread, Thread::new(), 0)?;
        let mem_msg = strings.intern(&heap, b"not enough memory")?;
        heap.fix(mem_msg.header());
        let mut tm_names = Vec::new();
        tm_names
            .try_reserve_exact(TM_NAMES.len())
            .map_err(|_| Error::Memory)?;
        for name in TM_NAMES {
            let s = strings.intern(&heap, name.as_bytes())?;
            heap.fix(s.header());
            tm_names.try_push(s)?;
        }
        let names = Names::new(&heap, &mut strings)?;
        let mut threads = Vec::new();
        threads.try_push(main)?;
        let mut lua = try_box(Lua {
            heap,
            strings,
            seed: seed64 as u32,
            registry,
            globals,
            loaded,
            type_meta: Default::default(),
            tm_names,
            main,
            current: main,
            threads,
            mem_msg,
            names,
            host,
            fuel: fresh_fuel(config.fuel_slice),
            hook_fuel: 0,
            fuel_slice: config.fuel_slice,
            fuel_spent: 0,
            stack_budget: config.stack_budget,
            allow_binary: config.allow_binary,
            guard: StackGuard::unlimited(),
            host_floor: None,
            nested: 0,
            warn_on: false,
            in_finalizer: false,
            hooked: false,
            rng: [0; 4],
        })?;
        lua.rng = crate::rng::seed_state(seed64, 0);
        // SAFETY: the main thread was just created; nothing else borrows it.
        let th = unsafe { main.get_mut() };
        th.status = CoStatus::Running;
        th.ensure(&lua.heap, 2 * crate::thread::MIN_STACK)
            .map_err(|_| Error::Memory)?;
        // registry[1] = main thread, registry[2] = globals (LUA_RIDX_*).
        lua.raw_set_int(registry, 1, Value::Thread(main))?;
        lua.raw_set_int(registry, 2, Value::Table(globals))?;
        lua.set_field(registry, b"_LOADED", Value::Table(loaded))?;
        crate::lib_base::open(&mut lua)?;
        crate::lib_coroutine::open(&mut lua)?;
        crate::lib_package::open(&mut lua)?;
        crate::lib_debug::open(&mut lua)?;
        crate::lib_string::open(&mut lua)?;
        crate::lib_strarith::open(&mut lua)?;
        crate::lib_table::open(&mut lua)?;
        crate::lib_math::open(&mut lua)?;
        crate::lib_utf8::open(&mut lua)?;
        Ok(lua)
    }

    // ---- strings and tables ----

    /// Creates (or finds the interned) string.
    pub fn new_str(&mut self, bytes: &[u8]) -> LuaResult<Gc<LStr>> {
        Ok(self.strings.intern(&self.heap, bytes)?)
    }

    /// A string value.
    pub fn str_value(&mut self, bytes: &[u8]) -> LuaResult<Value> {
        Ok(Value::Str(self.new_str(bytes)?))
    }

    /// Creates a table.
    pub fn new_table(&mut self) -> LuaResult<Gc<Table>> {
        Ok(table::new_table(&self.heap, 0, 0)?)
    }

    /// Creates a table with preallocated parts.
    pub fn new_table_with(&mut self, narray: usize, nhash: usize) -> LuaResult<Gc<Table>> {
        Ok(table::new_table(&self.heap, narray, nhash)?)
    }

    /// The global table.
    pub fn globals(&self) -> Gc<Table> {
        self.globals
    }

    /// The registry.
    pub fn registry(&self) -> Gc<Table> {
        self.registry
    }

    /// `package.loaded` (also `registry._LOADED`).
    pub fn loaded(&self) -> Gc<Table> {
        self.loaded
    }

    /// `t[k] = v` without metamethods, raising Lua errors for invalid keys.
    pub fn raw_set(&mut self, t: Gc<Table>, k: Value, v: Value) -> LuaResult<()> {
        match Table::set(t, &self.heap, self.seed, k, v) {
            Ok(()) => Ok(()),
            Err(table::SetError::Memory) => Err(Error::Memory),
            Err(table::SetError::NilKey) => Err(self.rt_error(format_args!("table index is nil"))),
            Err(table::SetError::NanKey) => Err(self.rt_error(format_args!("table index is NaN"))),
        }
    }

    /// `t[i] = v` without metamethods.
    pub fn raw_set_int(&mut self, t: Gc<Table>, i: i64, v: Value) -> LuaResult<()> {
        Table::set_int(t, &self.heap, self.seed, i, v).map_err(|_| Error::Memory)
    }

    /// `t[k]` without metamethods.
    #[inline]
    pub fn raw_get(&self, t: Gc<Table>, k: &Value) -> Value {
        t.get(k, self.seed)
    }

    /// The entry after `k` in `t` (`next` without metamethods); `None` after the last.
    ///
    /// # Errors
    /// `k` is not a key of `t`.
    pub fn raw_next(&self, t: Gc<Table>, k: &Value) -> Result<Option<(Value, Value)>, InvalidKey> {
        t.next(k, self.seed)
    }

    /// `t.name = v` without metamethods.
    pub fn set_field(&mut self, t: Gc<Table>, name: &[u8], v: Value) -> LuaResult<()> {
        let k = self.str_value(name)?;
        self.raw_set(t, k, v)
    }

    /// `t.name` without metamethods.
    pub fn get_field(&mut self, t: Gc<Table>, name: &[u8]) -> LuaResult<Value> {
        let k = self.new_str(name)?;
        Ok(t.get_str(k, self.seed))
    }

    /// Sets a global variable.
    pub fn set_global(&mut self, name: &[u8], v: Value) -> LuaResult<()> {
        self.set_field(self.globals, name, v)
    }

    /// Reads a global variable (raw).
    pub fn get_global(&mut self, name: &[u8]) -> LuaResult<Value> {
        self.get_field(self.globals, name)
    }

    // ---- metatables ----

    /// The metatable of any value.
    #[inline]
    pub fn metatable(&self, v: &Value) -> Option<Gc<Table>> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable(),
            other => self
                .type_meta
                .get(type_index(other.type_of()))
                .and_then(Cell::get),
        }
    }

    /// Sets the metatable shared by all values of a basic type (strings, numbers, ...).
    pub fn set_type_metatable(&mut self, ty: Type, mt: Option<Gc<Table>>) {
        if let Some(slot) = self.type_meta.get(type_index(ty)) {
            slot.set(mt);
        }
    }

    /// Metamethod `event` of `v`, or nil.
    #[inline]
    pub fn metamethod(&self, v: &Value, event: TagMethod) -> Value {
        match self.metatable(v) {
            Some(mt) => self.tm_from(mt, event),
            None => Value::Nil,
        }
    }

    /// Looks `event` up in a metatable, caching absence for the first eight events.
    #[inline]
    pub(crate) fn tm_from(&self, mt: Gc<Table>, event: TagMethod) -> Value {
        let bit = event as u8;
        if bit < 8 && mt.tm_known_absent(bit) {
            return Value::Nil;
        }
        let Some(&name) = self.tm_names.get(event as usize) else {
            return Value::Nil;
        };
        let v = mt.get_short_str(name);
        if v.is_nil() && bit < 8 {
            mt.set_tm_absent(bit);
        }
        v
    }

    /// The name a value's type shows in messages: `__name` of its metatable when that is
    /// a string, else the basic type name (`luaT_objtypename`).
    pub fn type_name_of(&self, v: &Value) -> TypeName {
        if let Some(mt) = self.metatable(v) {
            if matches!(v, Value::Table(_) | Value::UserData(_)) {
                if let Value::Str(s) = mt.get_str(self.names.name, self.seed) {
                    return TypeName::Named(s);
                }
            }
        }
        TypeName::Basic(v.type_of().name())
    }

    // ---- threads ----

    /// The running thread.
    #[inline(always)]
    pub(crate) fn th(&self) -> &'static mut Thread {
        // SAFETY: the VM is single-threaded, and callers never hold two borrows of the
        // running thread across an operation that takes another one.
        unsafe { self.current.get_mut() }
    }

    /// Memory in use by this state, in bytes.
    pub fn memory_used(&self) -> usize {
        self.heap.bytes()
    }

    /// Live collectable objects.
    pub fn object_count(&self) -> usize {
        self.heap.objects()
    }

    /// Changes the memory limit (0: unlimited).
    pub fn set_memory_limit(&mut self, limit: usize) {
        self.heap.set_limit(limit);
    }

    /// Changes the instruction slice (0: unlimited) and refills it.
    pub fn set_fuel_slice(&mut self, slice: i64) {
        self.fuel_slice = slice;
        *self.fuel_counter() = fresh_fuel(slice);
    }

    /// Starts a whole slice: a host entering the state for a new call (a packet, a
    /// file operation) gives it the full budget, whatever earlier calls left.
    pub fn refill_fuel(&mut self) {
        if self.fuel_slice <= 0 {
            return;
        }
        // What this slice used moves into `fuel_spent`, so `instructions` stays exact.
        self.fuel_spent = self.instructions();
        *self.fuel_counter() = self.fuel_slice;
    }

    /// Instructions run (and library loop units metered) so far; 0 without a budget.
    /// Exact between calls; a native reading it while the VM runs may see a slice's
    /// worth less.
    pub fn instructions(&mut self) -> u64 {
        if self.fuel_slice <= 0 {
            return 0;
        }
        let slice = self.fuel_slice;
        let left = (*self.fuel_counter()).max(0);
        self.fuel_spent
            .saturating_add(slice.saturating_sub(left) as u64)
    }

    /// The counter that holds the fuel left: `fuel`, or `hook_fuel` under hooks.
    fn fuel_counter(&mut self) -> &mut i64 {
        if self.hooked {
            &mut self.hook_fuel
        } else {
            &mut self.fuel
        }
    }

    /// Moves the fuel between `fuel` and `hook_fuel` when hooks are set or cleared, so
    /// that the VM takes its slow path at every instruction exactly while hooks run.
    /// Call it whenever the running thread or its hook mask changes.
    pub(crate) fn update_trap(&mut self) {
        let hooked = self.current.hooks.mask != 0;
        if hooked && !self.hooked {
            self.hook_fuel = self.fuel;
            self.fuel = 1;
        } else if !hooked && self.hooked {
            self.fuel = self.hook_fuel;
        }
        self.hooked = hooked;
    }

    /// Makes `th` the running thread, with its hooks.
    #[inline]
    pub(crate) fn set_current(&mut self, th: Gc<Thread>) {
        self.current = th;
        if self.hooked || th.hooks.mask != 0 {
            self.update_trap();
        }
    }

    /// Charges `units` of the instruction budget (the VM charges one per instruction
    /// itself), asking the host for a new slice when it runs out.
    ///
    /// # Errors
    /// `Error::Abort` when the host stops the script.
    pub(crate) fn charge_fuel(&mut self, units: i64) -> LuaResult<()> {
        if self.fuel_slice <= 0 {
            return Ok(());
        }
        let slice = self.fuel_slice;
        let counter = self.fuel_counter();
        *counter = counter.saturating_sub(units);
        if *counter > 0 {
            return Ok(());
        }
        *counter = slice;
        self.fuel_spent = self.fuel_spent.saturating_add(slice as u64);
        match self.host.out_of_fuel() {
            FuelAction::Continue => Ok(()),
            FuelAction::Abort => Err(Error::Abort),
        }
    }

    /// Charges the `n`-th element of a native's loop (counting from 0): one unit per
    /// element, paid every `METER_BATCH` elements. Library loops over counts a script
    /// controls (`table.move`, `table.insert` with a huge `__len`...) call it, so the
    /// budget stops them as it stops a Lua loop.
    ///
    /// # Errors
    /// `Error::Abort` when the host stops the script.
    #[inline(always)]
    pub fn meter(&mut self, n: u64) -> LuaResult<()> {
        if n == 0 || !n.is_multiple_of(METER_BATCH) {
            return Ok(());
        }
        self.charge_fuel(METER_BATCH as i64)
    }

    /// GC stress mode, for tests and fuzzing (off by default; slow): every safe point of
    /// the VM runs a tiny collector step, and every 64th step is a full collection, so
    /// that a value that is not rooted or a missing write barrier shows up at once.
    /// `collectgarbage("stop")` still stops the collector.
    pub fn set_gc_stress(&mut self, on: bool) {
        self.heap.set_stress(on);
    }

    /// Turns `warn` output on or off (`warn("@on")`).
    pub fn set_warnings(&mut self, on: bool) {
        self.warn_on = on;
    }

    /// The host hooks.
    pub fn host(&mut self) -> &mut dyn Host {
        &mut *self.host
    }
}

/// A type name for messages: static, or the `__name` string of a metatable.
#[derive(Clone, Copy)]
pub enum TypeName {
    Basic(&'static str),
    Named(Gc<LStr>),
}

impl TypeName {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            TypeName::Basic(s) => s.as_bytes(),
            TypeName::Named(s) => s.as_bytes(),
        }
    }
}

fn type_index(t: Type) -> usize {
    match t {
        Type::Nil => 0,
        Type::Boolean => 1,
        Type::LightUserData => 2,
        Type::Number => 3,
        Type::String => 4,
        Type::Table => 5,
        Type::Function => 6,
        Type::UserData => 7,
        Type::Thread => 8,
    }
}

/// Strings the engine looks up often, interned once and never collected.
pub(crate) struct Names {
    pub name: Gc<LStr>,
    pub tostring: Gc<LStr>,
    pub pairs: Gc<LStr>,
    pub metatable: Gc<LStr>,
    pub n: Gc<LStr>,
}

impl Names {
    fn new(heap: &Heap, strings: &mut StringTable) -> Result<Names, Error> {
        let mut make = |s: &[u8]| -> Result<Gc<LStr>, Error> {
            let g = strings.intern(heap, s)?;
            heap.fix(g.header());
            Ok(g)
        };
        Ok(Names {
            name: make(b"__name")?,
            tostring: make(b"__tostring")?,
            pairs: make(b"__pairs")?,
            metatable: make(b"__metatable")?,
            n: make(b"n")?,
        })
    }
}
