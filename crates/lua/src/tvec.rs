//! Fallible growth for `Vec`.
//!
//! The kernel build compiles `alloc` with `no_global_oom_handling`, which removes every
//! `Vec` method that may abort on allocation failure (`push`, `extend_from_slice`,
//! `with_capacity`, ...). These helpers are the only way the engine grows a vector; each
//! reports failure as [`AllocError`], which callers turn into a Lua memory error.

use alloc::vec::Vec;

/// An allocation failed (or a size computation overflowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocError;

/// Fallible counterparts of the `Vec` methods that `no_global_oom_handling` removes.
pub trait TryVec<T> {
    /// Appends `value`, reserving room first.
    fn try_push(&mut self, value: T) -> Result<(), AllocError>;
    /// Appends a copy of `items`.
    fn try_extend_from_slice(&mut self, items: &[T]) -> Result<(), AllocError>
    where
        T: Clone;
    /// Grows or shrinks to `len`, filling new slots with `value`.
    fn try_resize(&mut self, len: usize, value: T) -> Result<(), AllocError>
    where
        T: Clone;
}

impl<T> TryVec<T> for Vec<T> {
    #[inline]
    fn try_push(&mut self, value: T) -> Result<(), AllocError> {
        if self.len() == self.capacity() {
            self.try_reserve(1).map_err(|_| AllocError)?;
        }
        let len = self.len();
        // SAFETY: `len < capacity` after the reserve above, so slot `len` is allocated and
        // uninitialised; it is written before `set_len` makes it part of the vector.
        unsafe {
            self.as_mut_ptr().add(len).write(value);
            self.set_len(len + 1);
        }
        Ok(())
    }

    fn try_extend_from_slice(&mut self, items: &[T]) -> Result<(), AllocError>
    where
        T: Clone,
    {
        self.try_reserve(items.len()).map_err(|_| AllocError)?;
        for item in items {
            self.try_push(item.clone())?;
        }
        Ok(())
    }

    fn try_resize(&mut self, len: usize, value: T) -> Result<(), AllocError>
    where
        T: Clone,
    {
        if len <= self.len() {
            self.truncate(len);
            return Ok(());
        }
        self.try_reserve(len - self.len()).map_err(|_| AllocError)?;
        while self.len() < len {
            self.try_push(value.clone())?;
        }
        Ok(())
    }
}

/// A vector of `capacity` reserved, empty slots.
pub fn try_with_capacity<T>(capacity: usize) -> Result<Vec<T>, AllocError> {
    let mut v = Vec::new();
    v.try_reserve_exact(capacity).map_err(|_| AllocError)?;
    Ok(v)
}

/// A fresh copy of `items`.
pub fn try_copy_of<T: Clone>(items: &[T]) -> Result<Vec<T>, AllocError> {
    let mut v = try_with_capacity(items.len())?;
    v.try_extend_from_slice(items)?;
    Ok(v)
}

/// `Box::new` without the global out-of-memory handler.
pub fn try_box<T>(value: T) -> Result<alloc::boxed::Box<T>, AllocError> {
    let layout = core::alloc::Layout::new::<T>();
    if layout.size() == 0 {
        // SAFETY: a dangling, aligned pointer is a valid `Box` for zero-sized types.
        return Ok(unsafe {
            alloc::boxed::Box::from_raw(core::ptr::NonNull::<T>::dangling().as_ptr())
        });
    }
    // SAFETY: the layout has non-zero size.
    let ptr = unsafe { alloc::alloc::alloc(layout) } as *mut T;
    if ptr.is_null() {
        return Err(AllocError);
    }
    // SAFETY: `ptr` is a fresh allocation with `T`'s layout; writing initialises it, and
    // `Box` frees it with the same global allocator and layout.
    unsafe {
        ptr.write(value);
        Ok(alloc::boxed::Box::from_raw(ptr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_extend_and_resize_keep_order() {
        let mut v: Vec<u8> = Vec::new();
        v.try_push(1).unwrap();
        v.try_extend_from_slice(&[2, 3]).unwrap();
        v.try_resize(5, 9).unwrap();
        assert_eq!(v, [1, 2, 3, 9, 9]);
        v.try_resize(2, 0).unwrap();
        assert_eq!(v, [1, 2]);
    }

    #[test]
    fn absurd_reservation_fails_instead_of_aborting() {
        let mut v: Vec<u64> = Vec::new();
        assert_eq!(v.try_extend_from_slice(&[]), Ok(()));
        assert!(v.try_reserve(usize::MAX / 2).is_err());
    }
}
