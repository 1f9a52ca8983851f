//! `Ref<T>`: a reference-counted pointer whose allocation can fail (the kernel crate's
//! `Arc`; `alloc::sync::Arc::new` does not exist under `no_global_oom_handling`).
//!
//! Invariant: the count is the number of live `Ref`s to the block; the block and its `T`
//! are freed when the last one is dropped, and `T` never moves in between, so C may keep a
//! pointer to it while a `Ref` is held for C.

use core::any::Any;
use core::ops::Deref;
use core::ptr::NonNull;
use core::sync::atomic::{fence, AtomicUsize, Ordering};

use rust_alloc::boxed::Box;

use crate::alloc::try_box;
use crate::error::Result;
use crate::object::Object;

struct Inner<T: ?Sized> {
    count: AtomicUsize,
    value: T,
}

/// A shared, reference-counted `T`.
///
/// # Invariants
/// `inner` points to a live `Inner<T>` from `try_box` whose count includes this `Ref`.
pub struct Ref<T: ?Sized> {
    inner: NonNull<Inner<T>>,
}

// SAFETY: a `Ref` gives shared access to `T` from any context, and the last drop may
// happen anywhere: like `Arc`, it needs `T: Send + Sync`.
unsafe impl<T: ?Sized + Send + Sync> Send for Ref<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for Ref<T> {}

impl<T> Ref<T> {
    /// Moves `value` into a new shared block with a count of 1.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub fn try_new(value: T) -> Result<Self> {
        let boxed = try_box(Inner {
            count: AtomicUsize::new(1),
            value,
        })?;
        // INVARIANT: a fresh block whose count (1) is this `Ref`.
        Ok(Ref {
            inner: NonNull::from(Box::leak(boxed)),
        })
    }

    /// Gives the reference to C as an opaque pointer; [`Ref::from_raw`] takes it back.
    pub fn into_raw(this: Self) -> *const T {
        let ptr = core::ptr::from_ref(&this.inner().value);
        core::mem::forget(this);
        ptr
    }

    /// Takes back a reference given to C by [`Ref::into_raw`].
    ///
    /// # Safety
    /// `ptr` came from `Ref::<T>::into_raw` and is given back exactly once.
    pub unsafe fn from_raw(ptr: *const T) -> Self {
        let offset = core::mem::offset_of!(Inner<T>, value);
        // SAFETY: `ptr` points to the `value` field of a live `Inner<T>` (contract).
        let inner = unsafe { ptr.cast::<u8>().sub(offset) }
            .cast::<Inner<T>>()
            .cast_mut();
        // SAFETY: derived from a non-null block pointer.
        let inner = unsafe { NonNull::new_unchecked(inner) };
        // INVARIANT: the reference given to C is counted; it comes back here.
        Ref { inner }
    }

    /// A new reference from a borrowed raw pointer, leaving the raw one in place.
    ///
    /// # Safety
    /// `ptr` came from `Ref::<T>::into_raw` and has not been given back yet.
    pub unsafe fn clone_raw(ptr: *const T) -> Self {
        // SAFETY: by the contract the raw reference keeps the block alive.
        let borrowed = core::mem::ManuallyDrop::new(unsafe { Ref::from_raw(ptr) });
        (*borrowed).clone()
    }

    /// A new reference if the count has not dropped to 0 yet (`kref_get_unless_zero`).
    ///
    /// # Safety
    /// `ptr` points to the `T` of a block that is not freed yet (its last `Ref` may be in
    /// the middle of being dropped).
    pub unsafe fn upgrade_raw(ptr: *const T) -> Option<Self> {
        let offset = core::mem::offset_of!(Inner<T>, value);
        // SAFETY: as in `from_raw`; the block is not freed by the contract.
        let inner = unsafe { &*ptr.cast::<u8>().sub(offset).cast::<Inner<T>>() };
        let mut count = inner.count.load(Ordering::Relaxed);
        loop {
            if count == 0 {
                return None;
            }
            match inner.count.compare_exchange_weak(
                count,
                count + 1,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                // INVARIANT: the count now includes the new `Ref`.
                Ok(_) => {
                    return Some(Ref {
                        inner: NonNull::from(inner),
                    })
                }
                Err(now) => count = now,
            }
        }
    }

    /// The address of the shared `T`, for identity checks.
    pub fn as_ptr(this: &Self) -> *const T {
        core::ptr::from_ref(&this.inner().value)
    }
}

impl<T: ?Sized> Ref<T> {
    fn inner(&self) -> &Inner<T> {
        // SAFETY: the block is live while this `Ref` exists (type invariant).
        unsafe { self.inner.as_ref() }
    }
}

impl<T: Object> Ref<T> {
    /// The object as a `dyn Object`, the form userdata and shared values hold (the one
    /// unsizing `Ref` needs: a plain raw-pointer coercion).
    pub(crate) fn into_object(this: Self) -> Ref<dyn Object> {
        let inner: *mut Inner<dyn Object> = this.inner.as_ptr();
        core::mem::forget(this);
        // SAFETY: the same non-null block, now with its vtable.
        let inner = unsafe { NonNull::new_unchecked(inner) };
        // INVARIANT: the forgotten `Ref`'s count moves to this one.
        Ref { inner }
    }
}

impl Ref<dyn Object> {
    /// A new reference to the object as a `T`, if it is one.
    pub(crate) fn downcast<T: Object>(this: &Self) -> Option<Ref<T>> {
        let any: &dyn Any = &**this;
        if !any.is::<T>() {
            return None;
        }
        let clone = core::mem::ManuallyDrop::new(this.clone());
        // INVARIANT: the new count of the clone, which is never dropped, for a block whose
        // value is a `T` (checked above).
        Some(Ref {
            inner: clone.inner.cast::<Inner<T>>(),
        })
    }
}

impl<T: ?Sized> Clone for Ref<T> {
    fn clone(&self) -> Self {
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        // INVARIANT: the count includes the new `Ref`.
        Ref { inner: self.inner }
    }
}

impl<T: ?Sized> Deref for Ref<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner().value
    }
}

impl<T: ?Sized> Drop for Ref<T> {
    fn drop(&mut self) {
        if self.inner().count.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        fence(Ordering::Acquire);
        // SAFETY: this was the last `Ref`, so nothing else reaches the block; it came from
        // `try_box` (type invariant).
        drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
    }
}
