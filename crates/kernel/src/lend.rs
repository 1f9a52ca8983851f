//! A state lent to the kernel calls a binding makes: some registrations call their hooks
//! synchronously, in the registering task, while the script that registers holds its
//! runtime (the netdevice chain replays existing devices, a driver probes the devices it
//! matches). Entering the runtime there would find it taken by this very task; instead the
//! registration lends its state for the length of that one call, and the hook runs on it.

use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use lua::Lua;

use crate::context;

/// The state lent by the task making a registration call, if any.
pub(crate) struct Lent {
    lua: AtomicPtr<Lua>,
    task: AtomicUsize,
}

impl Lent {
    pub(crate) const fn new() -> Lent {
        Lent {
            lua: AtomicPtr::new(ptr::null_mut()),
            task: AtomicUsize::new(0),
        }
    }

    /// Runs `call` (the registration) with `lua` lent to the hooks it calls in this task.
    /// `call` must not touch `lua` itself: the hooks may.
    pub(crate) fn during<R>(&self, lua: &mut Lua, call: impl FnOnce() -> R) -> R {
        self.task.store(context::current_task(), Ordering::Release);
        self.lua.store(ptr::from_mut(lua), Ordering::Release);
        let result = call();
        self.lua.store(ptr::null_mut(), Ordering::Release);
        result
    }

    /// Runs `hook` on the lent state if this is the lending task's own call (never from an
    /// interrupt, which may have interrupted that task); `None` otherwise.
    pub(crate) fn with<R>(&self, hook: impl FnOnce(&mut Lua) -> R) -> Option<R> {
        let lua = self.lua.load(Ordering::Acquire);
        if lua.is_null()
            || context::cannot_sleep()
            || self.task.load(Ordering::Acquire) != context::current_task()
        {
            return None;
        }
        // SAFETY: `during` lent the state for the length of the registration call, which
        // is running this hook on its own task and touches the state in no other way
        // meanwhile; the pointer is cleared before `during` returns its borrow.
        Some(hook(unsafe { &mut *lua }))
    }
}
