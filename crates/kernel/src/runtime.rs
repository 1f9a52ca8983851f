//! Runtimes: one Lua state each, with its execution context, lock, memory limit and
//! instruction budget.
//!
//! A runtime is created in process context: its state is built and its script body runs
//! there. Afterwards it is entered under its lock: a mutex for `process` runtimes (may sleep,
//! `GFP_KERNEL`), `spin_lock_bh` for `softirq` and `spin_lock_irqsave` for `hardirq` (both
//! `GFP_ATOMIC`, through the lock guard's atomic scope). Stopping a runtime takes its state
//! out under the lock and drops it outside, in process context; every object the script
//! created (devices, threads, references to other runtimes) goes with it.
//!
//! Invariants:
//! - every live runtime is in the registry list until its last `Ref` is dropped, so module
//!   exit can find and stop the runtimes that reference one another;
//! - `owner` holds the task that holds the lock while the state runs, 0 otherwise; a task
//!   never waits for a lock it holds (re-entry raises an error instead).

use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::stack::StackGuard;
use lua::tvec::TryVec;
use lua::{Config, FuelAction, Host, Lua, Mode, Value};

use crate::alloc::try_box;
use crate::context;
use crate::error::{Error, Result};
use crate::ffi;
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::stack::{self, Entry};
use crate::stats::Stats;
use crate::sync::{Mutex, SpinLockBh, SpinLockIrq};
use crate::waits::Waiting;

/// Where script files live.
pub(crate) const SCRIPT_ROOT: &[u8] = b"/lib/modules/lua/";

/// The longest runtime (script) name.
pub(crate) const MAX_NAME_BYTES: usize = 64;

/// Registry key of the runtime's callback: the value its script returned.
const CALLBACK_KEY: &[u8] = b"lunatik.callback";
/// Registry key of the coroutine `runtime:resume` drives (made from the callback).
const COROUTINE_KEY: &[u8] = b"lunatik.coroutine";
/// Registry key of a light userdata pointing to the running `Runtime`.
const RUNTIME_KEY: &[u8] = b"lunatik.runtime";

/// Execution context of a runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// May sleep: mutex, `GFP_KERNEL`.
    Process,
    /// Softirq: `spin_lock_bh`, `GFP_ATOMIC`.
    Softirq,
    /// Hardirq: `spin_lock_irqsave`, `GFP_ATOMIC`.
    Hardirq,
}

impl Context {
    /// The context named `name` (`"process"`, `"softirq"`, `"hardirq"`).
    pub(crate) fn from_name(name: &[u8]) -> Option<Context> {
        match name {
            b"process" => Some(Context::Process),
            b"softirq" => Some(Context::Softirq),
            b"hardirq" => Some(Context::Hardirq),
            _ => None,
        }
    }

    /// The context's name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Context::Process => "process",
            Context::Softirq => "softirq",
            Context::Hardirq => "hardirq",
        }
    }

    /// The stack the engine may use below each entry into a runtime of this context.
    ///
    /// The engine sets its guard from this budget at every outer call (`Lua::enter`), which
    /// replaces the floor computed per entry kind (`stack::floor`): until the engine keeps
    /// an explicit floor, this is the budget that holds. Process and softirq use the
    /// smallest budget of their entries (stack-budget.md). Hardirq uses 4 KiB instead of
    /// 1.5 KiB because its script body runs through the same budget in process context
    /// and needs more (no hardirq hook exists yet to enter it from a hardirq).
    pub(crate) fn stack_budget(self) -> usize {
        match self {
            Context::Process => Entry::ProcessHook.budget(),
            Context::Softirq => Entry::Softirq.budget(),
            Context::Hardirq => 4 * 1024,
        }
    }

    /// True if a runtime of this context may be entered here and now.
    fn is_enterable(self) -> bool {
        match self {
            Context::Process => !context::cannot_sleep(),
            // spin_unlock_bh with interrupts off warns.
            Context::Softirq => !context::irqs_disabled() && !context::in_hardirq(),
            Context::Hardirq => true,
        }
    }
}

/// Why a runtime could not be entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RunError {
    /// The runtime was stopped.
    Stopped,
    /// The runtime's context cannot be entered from here (a process runtime from atomic
    /// context, a softirq runtime with interrupts off).
    WrongContext,
    /// The current task is already running this runtime.
    Busy,
    /// A signal arrived while waiting for the lock.
    Interrupted,
    /// Too little stack left to enter another runtime.
    NoStack,
    /// The runtime is held by a task that waits, directly or not, for this one.
    Deadlock,
}

impl RunError {
    /// The fixed message scripts see.
    pub(crate) fn message(self) -> &'static str {
        match self {
            RunError::Stopped => "runtime is stopped",
            RunError::WrongContext => "runtime cannot be entered from this context",
            RunError::Busy => "runtime is already running in this task",
            RunError::Interrupted => "interrupted while waiting for the runtime",
            RunError::NoStack => "not enough stack to enter the runtime",
            RunError::Deadlock => "runtime is busy: its holder waits for this task (deadlock)",
        }
    }

    /// The errno C callers see.
    pub(crate) fn errno(self) -> Error {
        match self {
            RunError::Stopped => Error::ESHUTDOWN,
            RunError::WrongContext => Error::EPERM,
            RunError::Busy => Error::EDEADLK,
            RunError::Interrupted => Error::EINTR,
            RunError::NoStack => Error::E2BIG,
            RunError::Deadlock => Error::EDEADLK,
        }
    }
}

/// What the host hooks of a state need to know about their runtime. Shared between the
/// runtime and its host, so that a state dropped late (deferred) still has it.
pub(crate) struct Info {
    name: Vec<u8>,
    context: Context,
    /// Set when a stop is requested: a running script aborts at its next slice.
    stopping: AtomicBool,
    /// The state's memory limit (bytes; 0: none).
    memory_limit: usize,
    pub(crate) stats: Stats,
}

impl Info {
    /// The runtime's name (its script, or `control`).
    pub(crate) fn name(&self) -> &[u8] {
        &self.name
    }

    pub(crate) fn memory_limit(&self) -> usize {
        self.memory_limit
    }
}

/// The state inside the lock; `None` once stopped.
struct Slot {
    lua: Option<Box<Lua>>,
}

// SAFETY: the state is reached only through the runtime's lock, by one context at a time.
unsafe impl Send for Slot {}

enum Lock {
    Process(Mutex<Slot>),
    Softirq(SpinLockBh<Slot>),
    Hardirq(SpinLockIrq<Slot>),
}

/// A runtime.
pub(crate) struct Runtime {
    info: Ref<Info>,
    lock: Lock,
    /// Task running the state (see the module invariants).
    owner: AtomicUsize,
    /// Set once the state was taken out.
    stopped: AtomicBool,
    /// Set while its script's body runs.
    loading: AtomicBool,
}

/// The host of a runtime's state.
struct KernelHost {
    info: Ref<Info>,
}

impl Host for KernelHost {
    fn print(&mut self, bytes: &[u8]) {
        let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        pr_info!("{}: {}", Bytes(&self.info.name), Bytes(line));
    }

    fn warn(&mut self, msg: &[u8]) {
        pr_warn!("{}: warning: {}", Bytes(&self.info.name), Bytes(msg));
    }

    fn load_file(&mut self, name: &[u8]) -> core::result::Result<Vec<u8>, Vec<u8>> {
        let message = |text: &[u8]| lua::tvec::try_copy_of(text).unwrap_or_default();
        // An atomic runtime's body runs in process context and may read its modules.
        if context::cannot_sleep() {
            return Err(message(
                b"cannot read files in an atomic runtime: require modules in its script body",
            ));
        }
        crate::file::read_all(name).map_err(|e| message(e.lua_name().as_bytes()))
    }

    fn is_missing(&self, message: &[u8]) -> bool {
        message == Error::ENOENT.lua_name().as_bytes()
    }

    fn out_of_fuel(&mut self) -> FuelAction {
        if self.info.context != Context::Process || context::cannot_sleep() {
            self.info.stats.abort();
            return FuelAction::Abort;
        }
        context::cond_resched();
        if self.info.stopping.load(Ordering::Relaxed)
            || context::fatal_signal_pending()
            || context::kthread_should_stop()
        {
            FuelAction::Abort
        } else {
            FuelAction::Continue
        }
    }

    fn seed(&mut self) -> u64 {
        // SAFETY: get_random_u64 may be called from any context.
        unsafe { ffi::lk_random_u64() }
    }
}

/// A NUL-free name of at most [`MAX_NAME_BYTES`] with no `..` component and no leading `/`.
pub(crate) fn is_valid_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name.contains(&0)
        && name.first() != Some(&b'/')
        && !name.split(|&c| c == b'/').any(|part| part == b"..")
}

impl Runtime {
    /// A runtime named `name` with a fresh state and no script. Process context.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub(crate) fn new(name: &[u8], context: Context) -> Result<Ref<Runtime>> {
        // SAFETY: reads a module parameter.
        let memory_limit = unsafe { ffi::lk_param_memory_limit() } as usize;
        let info = Ref::try_new(Info {
            name: lua::tvec::try_copy_of(name)?,
            context,
            stopping: AtomicBool::new(false),
            memory_limit,
            stats: Stats::new()?,
        })?;
        let slot = Slot { lua: None };
        let lock = match context {
            Context::Process => Lock::Process(Mutex::new(slot)?),
            Context::Softirq => Lock::Softirq(SpinLockBh::new(slot)?),
            Context::Hardirq => Lock::Hardirq(SpinLockIrq::new(slot)?),
        };
        let runtime = Ref::try_new(Runtime {
            info: info.clone(),
            lock,
            owner: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            loading: AtomicBool::new(false),
        })?;
        registry_add(&runtime)?;
        let config = Config {
            memory_limit,
            // SAFETY: reads module parameters.
            fuel_slice: unsafe { ffi::lk_param_fuel_slice() } as i64,
            stack_budget: context.stack_budget(),
            // SAFETY: reads a module parameter.
            allow_binary: unsafe { ffi::lk_param_allow_binary() },
        };
        let host: Box<dyn Host> = try_box(KernelHost { info })?;
        let mut lua = Lua::new(config, host).map_err(|_| Error::ENOMEM)?;
        let me = Value::LightUserData(Ref::as_ptr(&runtime) as usize);
        let registry = lua.registry();
        lua.set_field(registry, RUNTIME_KEY, me)
            .map_err(|_| Error::ENOMEM)?;
        crate::require::open(&mut lua, context).map_err(|_| Error::ENOMEM)?;
        runtime.with_slot(|slot| slot.lua = Some(lua));
        Ok(runtime)
    }

    /// Creates a runtime for `script` (`/lib/modules/lua/<script>.lua`) and runs the
    /// script's body; its result becomes the runtime's callback. Process context.
    ///
    /// # Errors
    /// The message of what failed: a bad name, a missing file, a script error (with
    /// traceback), out of memory.
    pub(crate) fn spawn(
        script: &[u8],
        context: Context,
    ) -> core::result::Result<Ref<Runtime>, Vec<u8>> {
        let fail = |text: &[u8]| lua::tvec::try_copy_of(text).unwrap_or_default();
        if !is_valid_name(script) {
            let mut m = crate::print::StackBuf::<128>::new();
            let _ = core::fmt::Write::write_fmt(
                &mut m,
                format_args!(
                    "invalid script name (1 to {} bytes, no NUL, no leading '/', no '..')",
                    MAX_NAME_BYTES
                ),
            );
            return Err(fail(m.as_bytes()));
        }
        if crate::context::cannot_sleep() {
            return Err(fail(b"runtimes are created in process context"));
        }
        let runtime = Runtime::new(script, context).map_err(|e| fail(e.lua_name().as_bytes()))?;
        let mut path = Vec::new();
        let built = path
            .try_extend_from_slice(SCRIPT_ROOT)
            .and_then(|_| path.try_extend_from_slice(script))
            .and_then(|_| path.try_extend_from_slice(b".lua"));
        if built.is_err() {
            return Err(fail(b"not enough memory"));
        }
        // The body runs on a worker's fresh stack, whatever its creator's depth; a fatal
        // signal to the creator makes it abort at its next slice.
        let abort = || runtime.info.stopping.store(true, Ordering::Relaxed);
        runtime.loading.store(true, Ordering::Release);
        let result = match crate::worker::run(&abort, || runtime.run_body(&path, script)) {
            Ok(result) => result,
            Err(crate::worker::Full) => Err(fail(b"too many runtimes loading at once")),
        };
        runtime.loading.store(false, Ordering::Release);
        match result {
            Ok(()) => Ok(runtime),
            Err(message) => {
                let _ = runtime.stop();
                Err(message)
            }
        }
    }

    /// Loads and runs the script at `path` in the state (in process context, under the
    /// lock: for atomic runtimes the body runs under their spin lock too).
    fn run_body(&self, path: &[u8], script: &[u8]) -> core::result::Result<(), Vec<u8>> {
        let fail = |text: &[u8]| lua::tvec::try_copy_of(text).unwrap_or_default();
        // Read the file before taking a spin lock.
        let source = crate::file::read_all(path).map_err(|e| {
            let mut m = Vec::new();
            let _ = m.try_extend_from_slice(b"cannot open ");
            let _ = m.try_extend_from_slice(path);
            let _ = m.try_extend_from_slice(b": ");
            let _ = m.try_extend_from_slice(e.lua_name().as_bytes());
            m
        })?;
        let mut chunkname = Vec::new();
        chunkname
            .try_push(b'@')
            .map_err(|_| fail(b"not enough memory"))?;
        chunkname
            .try_extend_from_slice(script)
            .map_err(|_| fail(b"not enough memory"))?;
        chunkname
            .try_extend_from_slice(b".lua")
            .map_err(|_| fail(b"not enough memory"))?;
        let context = self.info.context;
        let body = |lua: &mut Lua| -> core::result::Result<(), Vec<u8>> {
            // The body runs in process context: an atomic runtime's body gets the
            // process budget too (its hooks keep their own).
            lua.set_stack_budget(Context::Process.stack_budget());
            let result = run_script(lua, &source, &chunkname);
            lua.set_stack_budget(context.stack_budget());
            result
        };
        let ran = match self.info.context {
            Context::Process => self.run(Entry::Nested, body),
            // Atomic runtimes run their body in process context, outside their spin lock:
            // nothing else reaches the runtime before `spawn` returns it.
            Context::Softirq | Context::Hardirq => self.run_outside_lock(Entry::Nested, body),
        };
        match ran {
            Ok(result) => result,
            Err(e) => Err(fail(e.message().as_bytes())),
        }
    }

    /// The runtime's name and context.
    pub(crate) fn info(&self) -> &Info {
        &self.info
    }

    /// The runtime's context.
    pub(crate) fn context(&self) -> Context {
        self.info.context
    }

    /// True once stopped.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// True once a stop was requested.
    /// True while the runtime's script body runs.
    pub(crate) fn is_loading(&self) -> bool {
        self.loading.load(Ordering::Acquire)
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.info.stopping.load(Ordering::Relaxed)
    }

    /// Runs `f` on the state taken out of the lock (the body of an atomic runtime, in
    /// process context).
    fn run_outside_lock<R>(
        &self,
        entry: Entry,
        f: impl FnOnce(&mut Lua) -> R,
    ) -> core::result::Result<R, RunError> {
        let mut lua = self
            .with_slot(|slot| slot.lua.take())
            .ok_or(RunError::Stopped)?;
        stack::record(entry);
        self.owner.store(context::current_task(), Ordering::Release);
        lua.set_stack_guard(StackGuard::with_floor(stack::floor(entry)));
        let result = self.counted(&mut lua, entry, f);
        self.owner.store(0, Ordering::Release);
        self.with_slot(|slot| slot.lua = Some(lua));
        Ok(result)
    }

    /// Runs `f` on the slot under the lock, whatever the context (used to install and to
    /// take out the state).
    fn with_slot<R>(&self, f: impl FnOnce(&mut Slot) -> R) -> R {
        match &self.lock {
            Lock::Process(m) => f(&mut m.lock()),
            Lock::Softirq(s) => f(&mut s.lock()),
            Lock::Hardirq(s) => f(&mut s.lock()),
        }
    }

    /// Enters the runtime from an entry of kind `entry` and runs `f` on its state under
    /// the lock, with the stack guard set for this entry.
    ///
    /// # Errors
    /// See [`RunError`].
    pub(crate) fn run<R>(
        &self,
        entry: Entry,
        f: impl FnOnce(&mut Lua) -> R,
    ) -> core::result::Result<R, RunError> {
        self.run_or_miss(entry, true, f)
    }

    /// Like [`Runtime::run`], but a lock held elsewhere is not waited for: `RunError::Busy`.
    /// For hooks called with other locks held (a keyboard notifier runs under the
    /// keyboard's lock, with interrupts off), where spinning could close a cycle the wait
    /// table does not see.
    ///
    /// # Errors
    /// See [`RunError`].
    pub(crate) fn try_run<R>(
        &self,
        entry: Entry,
        f: impl FnOnce(&mut Lua) -> R,
    ) -> core::result::Result<R, RunError> {
        self.run_or_miss(entry, false, f)
    }

    fn run_or_miss<R>(
        &self,
        entry: Entry,
        may_wait: bool,
        f: impl FnOnce(&mut Lua) -> R,
    ) -> core::result::Result<R, RunError> {
        if self.is_stopped() {
            return Err(RunError::Stopped);
        }
        if !self.info.context.is_enterable() {
            return Err(RunError::WrongContext);
        }
        let me = context::current_task();
        if self.owner.load(Ordering::Acquire) == me {
            return Err(RunError::Busy);
        }
        // The engine gets its budget below this point or what is left above the kernel
        // functions' reserve, whichever is less (its guard stops it there: `stack::floor`),
        // but no less than `stack::MIN_ENGINE`: a resume from a resume enters with less.
        let needed =
            self.info.context.stack_budget().min(stack::MIN_ENGINE) + stack::CALLEE_RESERVE;
        if stack::left().is_some_and(|left| left < needed) {
            return Err(RunError::NoStack);
        }
        stack::record(entry);
        // A taken lock is waited for only if that cannot close a cycle (waits.rs).
        let wait = || {
            if !may_wait {
                return Err(RunError::Busy);
            }
            Waiting::begin(me, self.address(), owner_of).map_err(|_| RunError::Deadlock)
        };
        match &self.lock {
            Lock::Process(m) => {
                let lock = || m.lock_interruptible().map_err(|_| RunError::Interrupted);
                let mut guard = acquire(m.try_lock(), wait, lock)?;
                self.enter(&mut guard, entry, me, f)
            }
            Lock::Softirq(s) => {
                let mut guard = acquire(s.try_lock(), wait, || Ok(s.lock()))?;
                self.enter(&mut guard, entry, me, f)
            }
            Lock::Hardirq(s) => {
                let mut guard = acquire(s.try_lock(), wait, || Ok(s.lock()))?;
                self.enter(&mut guard, entry, me, f)
            }
        }
    }

    /// The runtime's address, as the wait table names it.
    fn address(&self) -> usize {
        core::ptr::from_ref(self) as usize
    }

    fn enter<R>(
        &self,
        slot: &mut Slot,
        entry: Entry,
        me: usize,
        f: impl FnOnce(&mut Lua) -> R,
    ) -> core::result::Result<R, RunError> {
        let Some(lua) = slot.lua.as_mut() else {
            return Err(RunError::Stopped);
        };
        self.owner.store(me, Ordering::Release);
        lua.set_stack_guard(StackGuard::with_floor(stack::floor(entry)));
        let result = self.counted(lua, entry, f);
        self.owner.store(0, Ordering::Release);
        Ok(result)
    }

    /// Runs `f` as one entry of kind `entry`: with a whole instruction slice (what earlier
    /// entries left does not count against this one), and counted in the statistics.
    /// With the `stats` parameter off (as `kernel.bpf_stats_enabled` for eBPF), the
    /// counters stand still and the entry costs no clock reads.
    fn counted<R>(&self, lua: &mut Lua, entry: Entry, f: impl FnOnce(&mut Lua) -> R) -> R {
        lua.refill_fuel();
        // SAFETY: reads a module parameter.
        if !unsafe { ffi::lk_param_stats() } {
            return f(lua);
        }
        // SAFETY: ktime_get_ns may be called from any context.
        let start = unsafe { ffi::lk_clock_ns() };
        let result = f(lua);
        // SAFETY: as above.
        let ns = unsafe { ffi::lk_clock_ns() }.saturating_sub(start);
        self.info
            .stats
            .entered(entry, ns, lua.instructions(), lua.memory_used());
        result
    }

    /// The runtime's callback (what its script returned), read from the state's registry.
    pub(crate) fn callback(lua: &mut Lua) -> Value {
        let registry = lua.registry();
        lua.get_field(registry, CALLBACK_KEY).unwrap_or(Value::Nil)
    }

    /// The coroutine `runtime:resume` continues: the one kept in the registry while it
    /// can be resumed (it yielded), else a new one running the callback (the first
    /// resume, or the last coroutine returned or failed). `None` when the callback is not
    /// a function.
    ///
    /// # Errors
    /// `Error::Memory`.
    pub(crate) fn coroutine(lua: &mut Lua) -> lua::LuaResult<Option<Value>> {
        let registry = lua.registry();
        let kept = lua.get_field(registry, COROUTINE_KEY)?;
        if lua.is_resumable(&kept) {
            return Ok(Some(kept));
        }
        let callback = Self::callback(lua);
        if !callback.is_function() {
            return Ok(None);
        }
        let co = lua.new_coroutine(callback)?;
        lua.set_field(registry, COROUTINE_KEY, co)?;
        Ok(Some(co))
    }

    /// Stops the runtime: a running script aborts at its next slice, the state is taken
    /// out once it returns, and dropped here. Process context; not from inside itself.
    ///
    /// # Errors
    /// `RunError::WrongContext` in atomic context, `RunError::Busy` from inside the runtime.
    pub(crate) fn stop(&self) -> core::result::Result<(), RunError> {
        self.stop_waiting(false)
    }

    /// Like [`Runtime::stop`], but a signal ends the wait for a script that holds the
    /// runtime (say, a thread sleeping without a timeout); the runtime then stays marked
    /// as stopping, so its script aborts at its next slice.
    ///
    /// # Errors
    /// As for `stop`, and `RunError::Interrupted`.
    pub(crate) fn stop_interruptible(&self) -> core::result::Result<(), RunError> {
        self.stop_waiting(true)
    }

    fn stop_waiting(&self, interruptible: bool) -> core::result::Result<(), RunError> {
        if context::cannot_sleep() {
            return Err(RunError::WrongContext);
        }
        if self.owner.load(Ordering::Acquire) == context::current_task() {
            return Err(RunError::Busy);
        }
        self.info.stopping.store(true, Ordering::Relaxed);
        let lua = match (&self.lock, interruptible) {
            (Lock::Process(m), true) => {
                let mut slot = m.lock_interruptible().map_err(|_| RunError::Interrupted)?;
                slot.lua.take()
            }
            _ => self.with_slot(|slot| slot.lua.take()),
        };
        self.stopped.store(true, Ordering::Release);
        drop(lua);
        Ok(())
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        registry_remove(self);
        let lua = match &mut self.lock {
            Lock::Process(m) => m.get_mut().lua.take(),
            Lock::Softirq(s) => s.get_mut().lua.take(),
            Lock::Hardirq(s) => s.get_mut().lua.take(),
        };
        if let Some(mut lua) = lua {
            // The state outlives this runtime (its drop, which runs its finalizers, may be
            // deferred): they must not find the runtime again, and they abort at the end
            // of their first slice, as in a stopped runtime.
            let registry = lua.registry();
            // The key exists, so this allocates nothing and cannot fail in practice; if it
            // did, leaking the state (reported at unload) beats letting it reach freed
            // memory.
            if lua
                .set_field(registry, RUNTIME_KEY, Value::LightUserData(0))
                .is_err()
            {
                core::mem::forget(lua);
                return;
            }
            self.info.stopping.store(true, Ordering::Relaxed);
            crate::defer::drop_where_sleepable(lua);
        }
    }
}

/// Compiles and runs a script body; what it returns becomes the callback.
fn run_script(lua: &mut Lua, source: &[u8], chunkname: &[u8]) -> core::result::Result<(), Vec<u8>> {
    let f = lua
        .load(source, chunkname, Mode::Both, None)
        .map_err(|e| lua.error_message(&e))?;
    let results = lua.call_traceback(f, &[])?;
    let callback = results.first().copied().unwrap_or(Value::Nil);
    let registry = lua.registry();
    lua.set_field(registry, CALLBACK_KEY, callback)
        .map_err(|e| lua.error_message(&e))
}

/// The guard `try_lock` got, or the one `lock` waits for once `wait` found that waiting
/// closes no cycle (the wait stays recorded until the lock is taken).
fn acquire<G>(
    try_lock: Option<G>,
    wait: impl FnOnce() -> core::result::Result<Waiting, RunError>,
    lock: impl FnOnce() -> core::result::Result<G, RunError>,
) -> core::result::Result<G, RunError> {
    match try_lock {
        Some(guard) => Ok(guard),
        None => {
            let _waiting = wait()?;
            lock()
        }
    }
}

/// The task holding the runtime at `address` (see `waits::OwnerOf`).
fn owner_of(address: usize) -> usize {
    // SAFETY: the wait table only names runtimes that their waiters keep alive, and calls
    // this under its lock, before they can leave.
    unsafe { &*(address as *const Runtime) }
        .owner
        .load(Ordering::Acquire)
}

/// The runtime whose state is `lua`, if any.
pub(crate) fn of(lua: &mut Lua) -> Option<Ref<Runtime>> {
    let registry = lua.registry();
    match lua.get_field(registry, RUNTIME_KEY) {
        // SAFETY: the pointer was stored by `Runtime::new` and the runtime is alive while
        // its state runs (whoever entered it holds a `Ref`).
        Ok(Value::LightUserData(p)) if p != 0 => unsafe { Ref::upgrade_raw(p as *const Runtime) },
        _ => None,
    }
}

/// The context of the runtime whose state is `lua` (process for a bare state).
pub(crate) fn context_of(lua: &mut Lua) -> Context {
    of(lua).map_or(Context::Process, |rt| rt.context())
}

/// The list of live runtimes (see the module invariants).
type List = SpinLockIrq<Vec<usize>>;

static REGISTRY: AtomicPtr<List> = AtomicPtr::new(ptr::null_mut());

fn registry() -> Option<&'static List> {
    let list = REGISTRY.load(Ordering::Acquire);
    // SAFETY: the list lives from `init` to `exit`, and runtimes exist only in between.
    (!list.is_null()).then(|| unsafe { &*list })
}

fn registry_add(runtime: &Ref<Runtime>) -> Result {
    let list = registry().ok_or(Error::ENODEV)?;
    list.lock().try_push(Ref::as_ptr(runtime) as usize)?;
    Ok(())
}

fn registry_remove(runtime: &Runtime) {
    let Some(list) = registry() else { return };
    let me = ptr::from_ref(runtime) as usize;
    let mut list = list.lock();
    if let Some(i) = list.iter().position(|&p| p == me) {
        list.swap_remove(i);
    }
}

/// Creates the registry. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    let list = try_box(SpinLockIrq::new(Vec::new())?)?;
    REGISTRY.store(Box::into_raw(list), Ordering::Release);
    Ok(())
}

/// Stops every runtime still running. Module exit, before `exit`.
pub(crate) fn stop_all() {
    loop {
        let Some(list) = registry() else { return };
        let next = {
            let list = list.lock();
            list.iter().find_map(|&p| {
                let raw = p as *const Runtime;
                // SAFETY: a listed runtime is not freed before it leaves the list, which
                // needs this lock. A stopped one is skipped without taking a reference,
                // so no reference is dropped (possibly the last) under the lock.
                if unsafe { &*raw }.is_stopped() {
                    return None;
                }
                // SAFETY: as above.
                unsafe { Ref::upgrade_raw(raw) }
            })
        };
        let Some(rt) = next else { return };
        // Dropped outside the list lock: this may be the last reference.
        let _ = rt.stop();
        drop(rt);
    }
}

/// Frees the registry. Module exit, once no runtime is left.
pub(crate) fn exit() {
    let list = REGISTRY.swap(ptr::null_mut(), Ordering::AcqRel);
    if list.is_null() {
        return;
    }
    // SAFETY: `list` came from `Box::into_raw` in `init`, taken out exactly once.
    let list = unsafe { Box::from_raw(list) };
    let left = list.lock().len();
    if left != 0 {
        pr_warn!("unload: {} runtimes still referenced", left);
    }
}
