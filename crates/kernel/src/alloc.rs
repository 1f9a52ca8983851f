//! The global allocator on `kmalloc`/`krealloc`/`kfree`, the GFP context, the live-allocation
//! count, and fallible constructors for the `alloc` types that `no_global_oom_handling`
//! leaves without one.
//!
//! The engine allocates through the global allocator, so flags cannot be passed per call;
//! they come from the context instead. An allocation uses `GFP_ATOMIC` inside an atomic scope
//! ([`with_gfp`] with [`Gfp::Atomic`], or while a spin lock guard from `sync` is held) and
//! wherever the kernel reports that it cannot sleep; everywhere else `GFP_KERNEL`. Every
//! allocation adds `__GFP_NOWARN`: failure is a Lua error, not a kernel warning.
//!
//! Invariant: [`live_allocations`] counts the blocks handed out and not yet freed, so it is 0
//! once everything the module allocated has been dropped; [`memory_in_use`] counts their
//! bytes, and no allocation takes it past the module-wide limit (`total_memory_limit`,
//! default a quarter of RAM): runtimes, what they park in shared tables and their buffers
//! together cannot drive the kernel out of memory.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::ffi;

/// `kmalloc` aligns every block to 8 bytes (`ARCH_KMALLOC_MINALIGN` on x86_64) and every
/// power-of-two size to its size.
const KMALLOC_MINALIGN: usize = 8;

static LIVE_ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);
/// Bytes handed out and not yet freed.
static BYTES: AtomicUsize = AtomicUsize::new(0);
/// The most `BYTES` may reach; set at module load.
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Reads the module-wide memory limit. Module load, before anything is allocated.
pub(crate) fn init() {
    // SAFETY: reads a module parameter (and the RAM size for its default).
    let limit = unsafe { ffi::lk_param_total_memory_limit() } as usize;
    LIMIT.store(limit, Ordering::Relaxed);
}

/// Bytes allocated by the module and not yet freed.
pub fn memory_in_use() -> usize {
    BYTES.load(Ordering::Relaxed)
}

/// Takes `n` bytes from the module-wide budget, if they fit.
fn take(n: usize) -> bool {
    let before = BYTES.fetch_add(n, Ordering::Relaxed);
    if before.saturating_add(n) > LIMIT.load(Ordering::Relaxed) {
        BYTES.fetch_sub(n, Ordering::Relaxed);
        return false;
    }
    true
}

fn give_back(n: usize) {
    BYTES.fetch_sub(n, Ordering::Relaxed);
}

/// How an allocation may wait for memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gfp {
    /// `GFP_KERNEL`: may sleep to reclaim memory. Process context only; inside an atomic
    /// scope the scope wins.
    Kernel,
    /// `GFP_ATOMIC`: never sleeps. Softirq and hardirq runtimes, and under spin locks.
    Atomic,
}

impl Gfp {
    /// The flags an allocation made here and now uses.
    pub fn current() -> Gfp {
        // SAFETY: `lk_cannot_sleep` only reads the preempt count and a per-CPU variable.
        if unsafe { ffi::lk_cannot_sleep() } {
            Gfp::Atomic
        } else {
            Gfp::Kernel
        }
    }
}

/// Runs `f` with every allocation it makes (the engine's included) using `gfp`.
///
/// An atomic scope disables preemption until `f` returns, so `f` must not sleep; the
/// kernel reports "scheduling while atomic" if it does.
pub fn with_gfp<R>(gfp: Gfp, f: impl FnOnce() -> R) -> R {
    match gfp {
        Gfp::Kernel => f(),
        Gfp::Atomic => {
            // SAFETY: paired with the exit below. Entering disables preemption, so both run
            // on the same CPU; panics abort, so the exit is never skipped by unwinding.
            unsafe { ffi::lk_atomic_scope_enter() };
            let result = f();
            // SAFETY: closes the scope entered above, on the same CPU.
            unsafe { ffi::lk_atomic_scope_exit() };
            result
        }
    }
}

/// Blocks allocated through the global allocator and not yet freed.
pub fn live_allocations() -> isize {
    LIVE_ALLOCATIONS.load(Ordering::Relaxed)
}

/// The size to ask `kmalloc` for so that the block satisfies `layout`'s alignment; `None`
/// if that size overflows.
fn kmalloc_size(layout: Layout) -> Option<usize> {
    if layout.align() <= KMALLOC_MINALIGN {
        Some(layout.size())
    } else {
        layout
            .size()
            .max(layout.align())
            .checked_next_power_of_two()
    }
}

struct KernelAllocator;

// SAFETY: blocks come from kmalloc, sized by `kmalloc_size` so that they are aligned as the
// layout asks; they stay valid until `dealloc` frees them; `realloc` keeps the contents.
unsafe impl GlobalAlloc for KernelAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(size) = kmalloc_size(layout) else {
            return ptr::null_mut();
        };
        if !take(size) {
            return ptr::null_mut();
        }
        let atomic = Gfp::current() == Gfp::Atomic;
        // SAFETY: kmalloc accepts any size and returns NULL when it cannot serve it.
        let block = unsafe { ffi::lk_kmalloc(size, atomic) };
        if block.is_null() {
            give_back(size);
        } else {
            LIVE_ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        LIVE_ALLOCATIONS.fetch_sub(1, Ordering::Relaxed);
        give_back(kmalloc_size(layout).unwrap_or(0));
        // SAFETY: the caller passes a block from `alloc`/`realloc` that it no longer uses.
        unsafe { ffi::lk_kfree(block) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= KMALLOC_MINALIGN {
            let old = layout.size();
            if new_size > old && !take(new_size - old) {
                return ptr::null_mut();
            }
            let atomic = Gfp::current() == Gfp::Atomic;
            // SAFETY: `block` came from kmalloc; `new_size` is non-zero (GlobalAlloc's
            // contract), so krealloc returns a new block with the contents or NULL, leaving
            // `block` allocated on failure. The count does not change either way.
            let new_block = unsafe { ffi::lk_krealloc(block, new_size, atomic) };
            match (new_block.is_null(), new_size > old) {
                (true, true) => give_back(new_size - old),
                (false, false) => give_back(old - new_size),
                _ => {}
            }
            return new_block;
        }
        // krealloc knows nothing of the size rounding that gave the block its alignment.
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        // SAFETY: `new_layout` has a non-zero size (`new_size` is non-zero).
        let new_block = unsafe { self.alloc(new_layout) };
        if !new_block.is_null() {
            // SAFETY: both blocks are valid for the smaller of the two sizes and distinct;
            // `block` is freed with the layout it was allocated with.
            unsafe {
                ptr::copy_nonoverlapping(block, new_block, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        new_block
    }
}

#[global_allocator]
static GLOBAL: KernelAllocator = KernelAllocator;

/// Moves `value` into a new `Box`.
///
/// # Errors
/// `ENOMEM` if the allocation fails; `value` is dropped.
pub fn try_box<T>(value: T) -> Result<Box<T>> {
    let layout = Layout::new::<T>();
    let block: *mut T = if layout.size() == 0 {
        NonNull::<T>::dangling().as_ptr()
    } else {
        // SAFETY: `layout` has a non-zero size.
        unsafe { rust_alloc::alloc::alloc(layout) }.cast()
    };
    if block.is_null() {
        return Err(Error::ENOMEM);
    }
    // SAFETY: `block` is valid and aligned for a `T` (allocated with `T`'s layout through
    // the global allocator, or dangling for a zero-sized `T`), so it can own `value`.
    unsafe {
        block.write(value);
        Ok(Box::from_raw(block))
    }
}

/// A new vector holding a copy of `bytes`.
///
/// # Errors
/// `ENOMEM` if the allocation fails.
pub fn try_vec_from_slice(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut vec = Vec::new();
    vec.try_reserve_exact(bytes.len())?;
    // SAFETY: the reserve made room for `bytes.len()` elements; they are initialised by the
    // copy before `set_len` exposes them.
    unsafe {
        ptr::copy_nonoverlapping(bytes.as_ptr(), vec.as_mut_ptr(), bytes.len());
        vec.set_len(bytes.len());
    }
    Ok(vec)
}

/// An uninitialised, 8-byte aligned block of `size` bytes for a C object, counted like every
/// other allocation. Freed by [`free_c_object`].
///
/// # Errors
/// `ENOMEM` if the allocation fails, `EINVAL` for a size of 0.
pub(crate) fn alloc_c_object(size: usize) -> Result<NonNull<u8>> {
    let layout = Layout::from_size_align(size, KMALLOC_MINALIGN).map_err(|_| Error::EINVAL)?;
    if size == 0 {
        return Err(Error::EINVAL);
    }
    // SAFETY: `layout` has a non-zero size.
    NonNull::new(unsafe { rust_alloc::alloc::alloc(layout) }).ok_or(Error::ENOMEM)
}

/// Frees a block from [`alloc_c_object`].
///
/// # Safety
/// `block` came from `alloc_c_object(size)` with this `size`, and is not used afterwards.
pub(crate) unsafe fn free_c_object(block: NonNull<u8>, size: usize) {
    // SAFETY: the same size and alignment as in `alloc_c_object`, where it was checked.
    let layout = unsafe { Layout::from_size_align_unchecked(size, KMALLOC_MINALIGN) };
    // SAFETY: by the caller's contract the block is live and allocated with `layout`.
    unsafe { rust_alloc::alloc::dealloc(block.as_ptr(), layout) }
}
