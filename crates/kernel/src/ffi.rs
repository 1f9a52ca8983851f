//! The only `extern "C"` block: the shim functions declared in `kmod/lunatik_rs.h`.
//!
//! Kernel objects are opaque here: Rust holds pointers to zero-sized markers and never sees a
//! kernel struct's layout. Every function is a thin call into the kernel; the safety
//! contracts are on the wrappers that use them.

use core::ffi::{c_char, c_int, c_ulong, c_void};
use core::marker::{PhantomData, PhantomPinned};

/// Declares a zero-sized marker for a C object that is `!Send`, `!Sync` and `!Unpin`.
macro_rules! opaque {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[repr(C)]
        pub(crate) struct $name {
            _data: [u8; 0],
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    };
}

opaque!(
    /// A kernel `struct mutex`.
    Mutex
);
opaque!(
    /// A kernel `spinlock_t`.
    SpinLock
);

/// `enum lk_log_level` in `lunatik_rs.h`.
pub(crate) const LOG_ERR: c_int = 3;
pub(crate) const LOG_WARNING: c_int = 4;
pub(crate) const LOG_INFO: c_int = 6;

extern "C" {
    // shim_alloc.c
    pub(crate) fn lk_kmalloc(size: usize, atomic: bool) -> *mut u8;
    pub(crate) fn lk_krealloc(ptr: *mut u8, size: usize, atomic: bool) -> *mut u8;
    pub(crate) fn lk_kfree(ptr: *const u8);
    pub(crate) fn lk_cannot_sleep() -> bool;
    pub(crate) fn lk_atomic_scope_enter();
    pub(crate) fn lk_atomic_scope_exit();

    // shim_print.c
    pub(crate) fn lk_printk(level: c_int, text: *const c_char, len: usize);
    // Declared as returning although BUG() does not: see panic.rs.
    pub(crate) fn lk_bug();

    // shim_stack.c
    pub(crate) fn lk_stack_bottom() -> c_ulong;

    // shim_sync.c
    pub(crate) fn lk_mutex_size() -> usize;
    pub(crate) fn lk_mutex_init(lock: *mut Mutex);
    pub(crate) fn lk_mutex_destroy(lock: *mut Mutex);
    pub(crate) fn lk_mutex_lock(lock: *mut Mutex);
    pub(crate) fn lk_mutex_lock_interruptible(lock: *mut Mutex) -> c_int;
    pub(crate) fn lk_mutex_unlock(lock: *mut Mutex);
    pub(crate) fn lk_spinlock_size() -> usize;
    pub(crate) fn lk_spin_lock_init(lock: *mut SpinLock);
    pub(crate) fn lk_spin_lock_bh(lock: *mut SpinLock);
    pub(crate) fn lk_spin_unlock_bh(lock: *mut SpinLock);
    pub(crate) fn lk_spin_lock_irqsave(lock: *mut SpinLock) -> c_ulong;
    pub(crate) fn lk_spin_unlock_irqrestore(lock: *mut SpinLock, flags: c_ulong);

    // shim_control.c
    pub(crate) fn lk_control_register(control: *mut c_void) -> c_int;
    pub(crate) fn lk_control_deregister();
    pub(crate) fn lk_copy_from_user(dst: *mut c_void, src: *const c_void, len: c_ulong) -> c_ulong;
    pub(crate) fn lk_copy_to_user(dst: *mut c_void, src: *const c_void, len: c_ulong) -> c_ulong;
}
