//! The `thread` module: kernel threads that run a runtime's callback.
//!
//! ```lua
//! local thread = require("thread")
//! local t = thread.run(runtime, "name") -- kthread calling runtime's callback, under its lock
//! thread.shouldstop()                   -- in that callback: true once asked to stop
//! t:stop()                              -- kthread_stop: waits for the callback to return
//! ```
//! The thread holds the runtime's lock while the callback runs; a loop in the callback
//! should check `thread.shouldstop()` (a runtime being stopped also makes it true) and sleep
//! with `linux.schedule(ms)`. A loop that does neither is aborted at its next slice once
//! asked to stop.

use core::ffi::{c_char, c_void};
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::tvec::TryVec;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::alloc::try_box;
use crate::class::Class;
use crate::context;
use crate::error::{to_result, Error, Result};
use crate::ffi;
use crate::modules::lunatik::{is_sleepable, may_sleep_error, RUNTIME};
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{self, Runtime};
use crate::stack::Entry;
use crate::sync::SpinLockIrq;

/// A task pointer with a reference held (null: none).
struct TaskPtr(*mut ffi::Task);

// SAFETY: a task reference may be dropped from any task.
unsafe impl Send for TaskPtr {}

/// A kernel thread started by `thread.run`, or a task seen through `thread.current()`.
pub(crate) struct KThread {
    /// The task, null once stopped; locked so that `task()` can take its own reference
    /// before a stop drops this one.
    task: SpinLockIrq<TaskPtr>,
    /// Started by `thread.run`: ours to stop.
    owned: bool,
}

impl KThread {
    fn new(task: *mut ffi::Task, owned: bool) -> Result<KThread> {
        Ok(KThread {
            task: SpinLockIrq::new(TaskPtr(task))?,
            owned,
        })
    }

    /// Takes the task (and its reference) out.
    fn take_task(&self) -> *mut ffi::Task {
        core::mem::replace(&mut self.task.lock().0, ptr::null_mut())
    }

    /// True if the thread is the task running now.
    fn is_current(&self) -> bool {
        // SAFETY: reads `current`.
        let me = unsafe { ffi::lk_current_task() };
        self.task.lock().0.cast::<c_void>() == me
    }

    fn is_stopped(&self) -> bool {
        self.task.lock().0.is_null()
    }

    /// Stops the thread and waits for it. Process context.
    fn stop(&self) {
        if !self.owned {
            pr_warn!("thread wasn't created by us");
            return;
        }
        let task = self.take_task();
        if !task.is_null() {
            // SAFETY: `task` came from `lk_thread_run`, whose task reference this gives
            // back; taking it out makes this the only stop.
            unsafe { ffi::lk_thread_stop(task) };
        }
    }
}

impl Drop for KThread {
    fn drop(&mut self) {
        let task = self.take_task();
        if self.owned {
            list_remove(self);
            crate::defer::drop_where_sleepable(TaskStopper(task));
        } else if !task.is_null() {
            // SAFETY: the reference taken by `lk_task_get_current`, given back once.
            unsafe { ffi::lk_task_put(task) };
        }
    }
}

/// Stops a task when dropped; the stop waits, so this is dropped in process context.
struct TaskStopper(*mut ffi::Task);

impl Drop for TaskStopper {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from `lk_thread_run` and was taken out of its
            // `KThread`, so this is the only stop.
            unsafe { ffi::lk_thread_stop(self.0) };
        }
    }
}

/// The class of thread objects.
pub(crate) static THREAD: Class = Class {
    name: "thread",
    methods: &[(b"stop", stop), (b"task", task)],
    metamethods: &[],
    atomic: false,
};

impl Object for KThread {
    fn class(&self) -> &'static Class {
        &THREAD
    }
}

/// Opens the `thread` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    lua.set_field(m, b"run", Value::NativeFn(run))?;
    lua.set_field(m, b"shouldstop", Value::NativeFn(shouldstop))?;
    lua.set_field(m, b"current", Value::NativeFn(current))?;
    Ok(Value::Table(m))
}

/// `thread.run(runtime [, name])`: starts a kernel thread named `name` (default: the
/// runtime's name) that calls the runtime's callback once.
fn run(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let rt = object::check::<Runtime>(cx, 1, &RUNTIME)?;
    let name = match cx.opt_str(2)? {
        Some(s) => lua::tvec::try_copy_of(s.as_bytes())?,
        None => lua::tvec::try_copy_of(rt.info().name())?,
    };
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "run"));
    }
    // As C Lunatik: a script body may not start threads (its runtime is not ready).
    if runtime::of(cx.lua).is_some_and(|me| me.is_loading()) {
        return Err(cx.arg_error(1, format_args!("not allowed during module load")));
    }
    if rt.context() != runtime::Context::Process {
        return Err(cx.arg_error(1, format_args!("IRQ runtime cannot spawn threads")));
    }
    // A thread of a runtime whose script returned no function would only log an error.
    let runnable = rt.run(Entry::Nested, |lua| Runtime::callback(lua).is_function());
    if runnable.is_ok_and(|f| !f) {
        return Err(cx.arg_error(1, format_args!("script returned no function to run")));
    }
    if rt.is_stopped() {
        return Err(cx.arg_error(1, format_args!("runtime is stopped")));
    }
    let c_name =
        crate::file::c_string(&name).map_err(|_| cx.arg_error(2, format_args!("invalid name")))?;
    let thread = KThread::new(ptr::null_mut(), true)
        .and_then(Ref::try_new)
        .map_err(|_| lua::Error::Memory)?;
    let object = object::push(cx.lua, thread.clone())?;
    cx.push(object)?;
    let cookie = Ref::into_raw(rt).cast_mut().cast::<c_void>();
    let mut task: *mut ffi::Task = ptr::null_mut();
    // SAFETY: `cookie` is a `Ref<Runtime>` that `lunatik_rs_thread` takes back (or we do,
    // below, if the thread was not created); `c_name` is NUL-terminated.
    let ret = unsafe { ffi::lk_thread_run(cookie, c_name.as_ptr().cast::<c_char>(), &mut task) };
    if let Err(err) = to_result(ret) {
        // SAFETY: the thread was not created, so the reference is still ours.
        drop(unsafe { Ref::from_raw(cookie.cast::<Runtime>()) });
        return Err(crate::modules::linux::raise(cx, err));
    }
    thread.task.lock().0 = task;
    if list_add(&thread).is_err() {
        thread.stop();
        return Err(lua::Error::Memory);
    }
    Ok(Ret::Values(1))
}

/// `thread.shouldstop()`: true in a kernel thread asked to stop, or whose runtime is being
/// stopped.
fn shouldstop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let stopping =
        context::kthread_should_stop() || runtime::of(cx.lua).is_some_and(|rt| rt.is_stopping());
    cx.ret1(Value::Bool(stopping))
}

/// `thread:stop()`: stops the thread and waits for it.
fn stop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let thread = object::check::<KThread>(cx, 1, &THREAD)?;
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "stop"));
    }
    // kthread_stop on itself would wait for ever: the thread ends when its function returns.
    if thread.owned && thread.is_current() {
        return Err(cx.error(format_args!(
            "a thread cannot stop itself (return from its function instead)"
        )));
    }
    thread.stop();
    Ok(Ret::Values(0))
}

/// `thread.current()`: the task running the script, as a thread object that `stop` leaves
/// alone.
fn current(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if runtime::context_of(cx.lua) != runtime::Context::Process {
        return Err(crate::object::Refusal::Context(THREAD.name).raise(cx.lua));
    }
    // SAFETY: takes a reference to `current`, dropped with the object.
    let task = unsafe { ffi::lk_task_get_current() };
    let thread = KThread::new(task, false).map_err(|_| {
        // SAFETY: the reference just taken, not stored anywhere.
        unsafe { ffi::lk_task_put(task) };
        lua::Error::Memory
    })?;
    let v = object::new(cx.lua, thread)?;
    cx.ret1(v)
}

/// `thread:task()`: `{cpu =, command =, pid =, tgid =}` of the thread's task.
fn task(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let thread = object::check::<KThread>(cx, 1, &THREAD)?;
    let (mut pid, mut tgid, mut cpu) = (0, 0, 0);
    let mut comm = [0u8; 16];
    let guard = thread.task.lock();
    if guard.0.is_null() {
        drop(guard);
        return Err(cx.error(format_args!("thread has stopped")));
    }
    // SAFETY: the lock keeps a stop from dropping the task's reference meanwhile; the
    // shim only reads fields and copies the command (no sleeping).
    unsafe {
        ffi::lk_task_info(
            guard.0,
            &mut pid,
            &mut tgid,
            &mut cpu,
            comm.as_mut_ptr().cast::<c_char>(),
            comm.len(),
        )
    };
    drop(guard);
    let command = comm.split(|&c| c == 0).next().unwrap_or(&[]);
    let t = cx.lua.new_table()?;
    cx.push(Value::Table(t))?;
    let command = cx.lua.str_value(command)?;
    cx.lua.set_field(t, b"command", command)?;
    for (name, v) in [(&b"cpu"[..], cpu), (b"pid", pid), (b"tgid", tgid)] {
        cx.lua.set_field(t, name, Value::Int(i64::from(v)))?;
    }
    Ok(Ret::Values(1))
}

/// Body of a thread from `thread.run`: calls the runtime's callback once; C then waits
/// for `kthread_stop`.
///
/// # Safety
/// `cookie` is a `Ref<Runtime>` from `Ref::into_raw`, given to this thread alone.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_thread(cookie: *mut c_void) -> i32 {
    // SAFETY: by the contract this thread owns the reference.
    let rt = unsafe { Ref::from_raw(cookie.cast::<Runtime>().cast_const()) };
    let stats = &rt.info().stats;
    stats.thread(true);
    let outcome = rt.run(Entry::OwnThread, |lua| {
        let callback = Runtime::callback(lua);
        lua.call_traceback(callback, &[]).map(drop)
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(message)) => {
            stats.error(&message);
            pr_err!("{}: {}", Bytes(rt.info().name()), Bytes(&message));
        }
        Err(e) => pr_err!("{}: {}", Bytes(rt.info().name()), e.message()),
    }
    stats.thread(false);
    drop(rt);
    0
}

/// Live threads, so that module exit can stop them before their runtimes.
type List = SpinLockIrq<Vec<usize>>;

static LIST: AtomicPtr<List> = AtomicPtr::new(ptr::null_mut());

fn list() -> Option<&'static List> {
    let list = LIST.load(Ordering::Acquire);
    // SAFETY: the list lives from `init` to `exit`; threads exist only in between.
    (!list.is_null()).then(|| unsafe { &*list })
}

fn list_add(thread: &Ref<KThread>) -> Result {
    let list = list().ok_or(Error::ENODEV)?;
    list.lock().try_push(Ref::as_ptr(thread) as usize)?;
    Ok(())
}

fn list_remove(thread: &KThread) {
    let Some(list) = list() else { return };
    let me = ptr::from_ref(thread) as usize;
    let mut list = list.lock();
    if let Some(i) = list.iter().position(|&p| p == me) {
        list.swap_remove(i);
    }
}

/// Creates the thread list. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    let list = try_box(SpinLockIrq::new(Vec::new())?)?;
    LIST.store(Box::into_raw(list), Ordering::Release);
    Ok(())
}

/// Stops every thread (module exit, before the runtimes they run are stopped).
pub(crate) fn stop_all() {
    let Some(list) = list() else { return };
    loop {
        let next = {
            let list = list.lock();
            list.iter().find_map(|&p| {
                let raw = p as *const KThread;
                // SAFETY: a listed thread is not freed before it leaves the list, under
                // this lock; a stopped one is skipped without taking a reference.
                if unsafe { &*raw }.is_stopped() {
                    return None;
                }
                // SAFETY: as above.
                unsafe { Ref::upgrade_raw(raw) }
            })
        };
        let Some(thread) = next else { return };
        thread.stop();
        drop(thread);
    }
}

/// Frees the thread list. Module exit.
pub(crate) fn exit() {
    let list = LIST.swap(ptr::null_mut(), Ordering::AcqRel);
    if !list.is_null() {
        // SAFETY: from `Box::into_raw` in `init`, taken back once.
        drop(unsafe { Box::from_raw(list) });
    }
}
