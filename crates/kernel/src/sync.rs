//! Locks whose data lives inside them and is reached only through a guard.
//!
//! The lock objects are C's (`struct mutex`, `spinlock_t`), in memory this module allocates
//! and never moves; Rust never sees their layout. Guards are `#[must_use]`, `!Send` (a lock
//! is released by the task that took it) and unlock on drop; there is no bare `unlock`.
//!
//! - [`Mutex`]: process context; may sleep.
//! - [`SpinLockBh`]: `spin_lock_bh`, for data shared with softirq.
//! - [`SpinLockIrq`]: `spin_lock_irqsave`, for data shared with hardirq.
//!
//! A spin lock guard also holds an atomic allocation scope (`alloc`): whatever is allocated
//! under it uses `GFP_ATOMIC`.
//!
//! All mutexes share one lockdep class (one `mutex_init` call site in the shim), and all spin
//! locks another: code that nests two locks of one kind needs subclasses first.

use core::cell::UnsafeCell;
use core::ffi::c_ulong;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use crate::alloc::{alloc_c_object, free_c_object};
use crate::error::{to_result, Result};
use crate::ffi;

/// Makes a guard `!Send` and `!Sync`.
type NotSend = PhantomData<*mut ()>;

/// Data protected by a kernel mutex.
///
/// # Invariants
/// `raw` points to an initialised `struct mutex` of `lk_mutex_size()` bytes from
/// `alloc_c_object`, freed only by `Drop`.
pub struct Mutex<T> {
    raw: NonNull<ffi::Mutex>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex hands `T` to one task at a time, so sending the lock sends the `T`.
unsafe impl<T: Send> Send for Mutex<T> {}
// SAFETY: shared references only reach `T` through a guard, which the mutex makes exclusive.
unsafe impl<T: Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    /// A new mutex holding `data`. Process context.
    ///
    /// # Errors
    /// `ENOMEM` if the lock cannot be allocated.
    pub fn new(data: T) -> Result<Self> {
        // SAFETY: `lk_mutex_size` returns a constant.
        let size = unsafe { ffi::lk_mutex_size() };
        let raw = alloc_c_object(size)?.cast::<ffi::Mutex>();
        // SAFETY: `raw` is a fresh block of the size and alignment C asked for.
        unsafe { ffi::lk_mutex_init(raw.as_ptr()) };
        // INVARIANT: allocated and initialised above.
        Ok(Mutex {
            raw,
            data: UnsafeCell::new(data),
        })
    }

    /// The data, without locking: `&mut self` proves no one else can reach it.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// Waits for the mutex (uninterruptibly) and returns a guard to the data.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // SAFETY: `raw` is a live mutex by the type invariant; `MutexGuard::drop` unlocks it
        // on the same task (the guard is `!Send`).
        unsafe { ffi::lk_mutex_lock(self.raw.as_ptr()) };
        MutexGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }

    /// The mutex if it is free now, without waiting.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        // SAFETY: as in `lock`; on failure the mutex was not taken and no guard exists.
        if unsafe { ffi::lk_mutex_trylock(self.raw.as_ptr()) } == 0 {
            return None;
        }
        Some(MutexGuard {
            lock: self,
            _not_send: PhantomData,
        })
    }

    /// Waits for the mutex unless a signal arrives first.
    ///
    /// # Errors
    /// `EINTR` if a signal interrupted the wait; the mutex is not held then.
    pub fn lock_interruptible(&self) -> Result<MutexGuard<'_, T>> {
        // SAFETY: as in `lock`; on failure the mutex was not taken and no guard exists.
        to_result(unsafe { ffi::lk_mutex_lock_interruptible(self.raw.as_ptr()) })?;
        Ok(MutexGuard {
            lock: self,
            _not_send: PhantomData,
        })
    }
}

impl<T> Drop for Mutex<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self` proves no guard is alive, so the mutex is unlocked; it was
        // allocated with `lk_mutex_size()` bytes (type invariant) and is not used again.
        unsafe {
            ffi::lk_mutex_destroy(self.raw.as_ptr());
            free_c_object(self.raw.cast(), ffi::lk_mutex_size());
        }
    }
}

/// Access to the data of a locked [`Mutex`].
#[must_use = "the mutex unlocks as soon as the guard is dropped"]
pub struct MutexGuard<'a, T> {
    lock: &'a Mutex<T>,
    _not_send: NotSend,
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex, so no one else reaches the data.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only reference.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard's task locked the mutex in `Mutex::lock`.
        unsafe { ffi::lk_mutex_unlock(self.lock.raw.as_ptr()) }
    }
}

/// A C spin lock in memory allocated here.
///
/// # Invariants
/// `raw` points to an initialised `spinlock_t` of `lk_spinlock_size()` bytes from
/// `alloc_c_object`, freed only by `Drop`.
struct RawSpinLock {
    raw: NonNull<ffi::SpinLock>,
}

impl RawSpinLock {
    fn new() -> Result<Self> {
        // SAFETY: `lk_spinlock_size` returns a constant.
        let size = unsafe { ffi::lk_spinlock_size() };
        let raw = alloc_c_object(size)?.cast::<ffi::SpinLock>();
        // SAFETY: `raw` is a fresh block of the size and alignment C asked for.
        unsafe { ffi::lk_spin_lock_init(raw.as_ptr()) };
        // INVARIANT: allocated and initialised above.
        Ok(RawSpinLock { raw })
    }
}

impl Drop for RawSpinLock {
    fn drop(&mut self) {
        // SAFETY: `&mut self` proves the lock is not held; it was allocated with
        // `lk_spinlock_size()` bytes (type invariant) and is not used again.
        unsafe { free_c_object(self.raw.cast(), ffi::lk_spinlock_size()) }
    }
}

/// Defines a spin lock type, its guard and the lock/unlock pair it uses.
macro_rules! spin_lock_type {
    (
        $(#[$doc:meta])* $lock:ident, $(#[$gdoc:meta])* $guard:ident,
        lock($raw:ident) -> $saved:ty $lock_body:block,
        try_lock($traw:ident) -> Option<$tsaved:ty> $try_body:block,
        unlock($uraw:ident, $usaved:ident) $unlock_body:block
    ) => {
        $(#[$doc])*
        pub struct $lock<T> {
            raw: RawSpinLock,
            data: UnsafeCell<T>,
        }

        // SAFETY: the lock hands `T` to one context at a time.
        unsafe impl<T: Send> Send for $lock<T> {}
        // SAFETY: shared references only reach `T` through a guard, which the lock makes
        // exclusive.
        unsafe impl<T: Send> Sync for $lock<T> {}

        impl<T> $lock<T> {
            /// A new lock holding `data`.
            ///
            /// # Errors
            /// `ENOMEM` if the lock cannot be allocated.
            pub fn new(data: T) -> Result<Self> {
                Ok($lock { raw: RawSpinLock::new()?, data: UnsafeCell::new(data) })
            }

            /// The data, without locking: `&mut self` proves no one else can reach it.
            pub fn get_mut(&mut self) -> &mut T {
                self.data.get_mut()
            }

            /// Spins for the lock and returns a guard to the data. Allocations made while
            /// the guard lives use `GFP_ATOMIC`.
            pub fn lock(&self) -> $guard<'_, T> {
                let $raw = self.raw.raw.as_ptr();
                let saved: $saved = $lock_body;
                // SAFETY: the lock disabled preemption, so the scope is entered and (in
                // `drop`, before unlocking) left on this CPU.
                unsafe { ffi::lk_atomic_scope_enter() };
                $guard { lock: self, saved, _not_send: PhantomData }
            }

            /// The lock if it is free now, without spinning.
            pub fn try_lock(&self) -> Option<$guard<'_, T>> {
                let $traw = self.raw.raw.as_ptr();
                let saved: $tsaved = $try_body?;
                // SAFETY: as in `lock`.
                unsafe { ffi::lk_atomic_scope_enter() };
                Some($guard { lock: self, saved, _not_send: PhantomData })
            }
        }

        $(#[$gdoc])*
        #[must_use = "the lock is released as soon as the guard is dropped"]
        pub struct $guard<'a, T> {
            lock: &'a $lock<T>,
            saved: $saved,
            _not_send: NotSend,
        }

        impl<T> Deref for $guard<'_, T> {
            type Target = T;
            fn deref(&self) -> &T {
                // SAFETY: the guard holds the lock, so no one else reaches the data.
                unsafe { &*self.lock.data.get() }
            }
        }

        impl<T> DerefMut for $guard<'_, T> {
            fn deref_mut(&mut self) -> &mut T {
                // SAFETY: as in `deref`, and `&mut self` makes this the only reference.
                unsafe { &mut *self.lock.data.get() }
            }
        }

        impl<T> Drop for $guard<'_, T> {
            fn drop(&mut self) {
                // SAFETY: closes the scope `lock` entered, still on the same CPU because the
                // lock is still held.
                unsafe { ffi::lk_atomic_scope_exit() };
                let $uraw = self.lock.raw.raw.as_ptr();
                let $usaved = self.saved;
                $unlock_body
            }
        }
    };
}

spin_lock_type! {
    /// Data shared with softirq, protected by `spin_lock_bh`.
    SpinLockBh,
    /// Access to the data of a locked [`SpinLockBh`].
    SpinLockBhGuard,
    lock(raw) -> () {
        // SAFETY: `raw` is a live spin lock (RawSpinLock invariant); the guard unlocks it.
        unsafe { ffi::lk_spin_lock_bh(raw) }
    },
    try_lock(raw) -> Option<()> {
        // SAFETY: as for `lock`; on failure nothing is held.
        unsafe { ffi::lk_spin_trylock_bh(raw) }.then_some(())
    },
    unlock(raw, _saved) {
        // SAFETY: this guard's context took the lock with `spin_lock_bh`.
        unsafe { ffi::lk_spin_unlock_bh(raw) }
    }
}

spin_lock_type! {
    /// Data shared with hardirq, protected by `spin_lock_irqsave`.
    SpinLockIrq,
    /// Access to the data of a locked [`SpinLockIrq`]; keeps the saved IRQ flags.
    SpinLockIrqGuard,
    lock(raw) -> c_ulong {
        // SAFETY: `raw` is a live spin lock (RawSpinLock invariant); the guard unlocks it
        // with the flags returned here.
        unsafe { ffi::lk_spin_lock_irqsave(raw) }
    },
    try_lock(raw) -> Option<c_ulong> {
        let mut flags: c_ulong = 0;
        // SAFETY: as for `lock`; on failure nothing is held and the IRQ state is restored.
        unsafe { ffi::lk_spin_trylock_irqsave(raw, &mut flags) }.then_some(flags)
    },
    unlock(raw, flags) {
        // SAFETY: this guard's context took the lock with `spin_lock_irqsave`, which
        // returned `flags`.
        unsafe { ffi::lk_spin_unlock_irqrestore(raw, flags) }
    }
}
