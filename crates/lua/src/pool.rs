//! Free lists of small collected boxes, one per 16-byte size class.
//!
//! Tables, closures, upvalues and short strings die and are born in bursts (a sweep
//! step frees hundreds, the mutator then allocates as many). Keeping the freed blocks
//! on per-state lists turns most of those allocations into a pop, instead of a trip
//! through the system allocator, which on the host consolidates and searches its bins
//! on exactly this pattern. The lists are capped (`set_cap`); blocks past the cap go
//! back to the system, and the owner counts pooled bytes against its memory limit
//! (`Heap::charge` drains the pool before refusing an allocation).

use core::alloc::Layout;
use core::cell::Cell;
use core::ptr::NonNull;

/// Size classes are multiples of this.
const GRAIN: usize = 16;
/// Largest pooled block.
const MAX_BLOCK: usize = 256;
const CLASSES: usize = MAX_BLOCK / GRAIN;
/// Bytes the lists may always hold; the owner may allow more (`set_cap`).
const MIN_CAP: usize = 64 * 1024;
/// Alignment of every pooled block (enough for any collected box).
const ALIGN: usize = 8;

/// A free block, linked through its first word.
struct Free {
    next: Option<NonNull<Free>>,
}

pub(crate) struct Pool {
    heads: [Cell<Option<NonNull<Free>>>; CLASSES],
    /// Bytes held on the lists.
    bytes: Cell<usize>,
    /// Bytes the lists may hold.
    cap: Cell<usize>,
}

/// The size class of a layout, or `None` when it is not pooled.
#[inline(always)]
fn class_of(layout: Layout) -> Option<usize> {
    if layout.size() == 0 || layout.size() > MAX_BLOCK || layout.align() > ALIGN {
        return None;
    }
    Some((layout.size() - 1) / GRAIN)
}

/// The layout every block of `class` is allocated and freed with.
#[inline(always)]
fn class_layout(class: usize) -> Layout {
    // SAFETY: the size is a non-zero multiple of `ALIGN`, a power of two, and far below
    // `isize::MAX`.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRAIN, ALIGN) }
}

impl Pool {
    pub(crate) const fn new() -> Pool {
        Pool {
            heads: [const { Cell::new(None) }; CLASSES],
            bytes: Cell::new(0),
            cap: Cell::new(MIN_CAP),
        }
    }

    /// Bytes the lists hold.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.get()
    }

    /// Allocates room for `layout`: a pooled block when one is free, else from the
    /// system allocator. Null when the system allocator fails (or `layout` is empty).
    #[inline]
    pub(crate) fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            if layout.size() == 0 {
                return core::ptr::null_mut();
            }
            // SAFETY: `layout` has a non-zero size.
            return unsafe { alloc::alloc::alloc(layout) };
        };
        let head = &self.heads[class];
        match head.get() {
            Some(block) => {
                // SAFETY: blocks on the list are free and start with a `Free` link.
                head.set(unsafe { block.as_ref().next });
                self.bytes
                    .set(self.bytes.get() - class_layout(class).size());
                block.as_ptr() as *mut u8
            }
            // SAFETY: class layouts have non-zero sizes.
            None => unsafe { alloc::alloc::alloc(class_layout(class)) },
        }
    }

    /// Frees a block returned by `alloc` for the same `layout`.
    ///
    /// # Safety
    /// `ptr` came from `self.alloc(layout)` and is not used again.
    #[inline]
    pub(crate) unsafe fn free(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            // SAFETY: allocated by the system allocator with this layout (contract).
            unsafe { alloc::alloc::dealloc(ptr, layout) };
            return;
        };
        let size = class_layout(class).size();
        if self.bytes.get() + size > self.cap.get() {
            // SAFETY: pooled sizes are always allocated with their class layout.
            unsafe { alloc::alloc::dealloc(ptr, class_layout(class)) };
            return;
        }
        let block = ptr as *mut Free;
        let head = &self.heads[class];
        // SAFETY: the block is at least `GRAIN` bytes, aligned, and ours again.
        unsafe { block.write(Free { next: head.get() }) };
        head.set(NonNull::new(block));
        self.bytes.set(self.bytes.get() + size);
    }

    /// Lets the lists hold up to `cap` bytes (at least `MIN_CAP`); a pool already
    /// holding more is emptied. The collector sizes it to the live heap at the end of
    /// each cycle, so a program that frees and rebuilds large structures recycles them.
    pub(crate) fn set_cap(&self, cap: usize) {
        self.cap.set(cap.max(MIN_CAP));
        if self.bytes.get() > self.cap.get() {
            self.drain();
        }
    }

    /// Returns every pooled block to the system allocator.
    pub(crate) fn drain(&self) {
        for (class, head) in self.heads.iter().enumerate() {
            let mut cur = head.take();
            while let Some(block) = cur {
                // SAFETY: a free block on the list; read its link before freeing it.
                cur = unsafe { block.as_ref().next };
                // SAFETY: allocated with the class layout.
                unsafe { alloc::alloc::dealloc(block.as_ptr() as *mut u8, class_layout(class)) };
            }
        }
        self.bytes.set(0);
    }
}

/// A fixed-length buffer of `Copy` values allocated from a pool: the parts of a table.
///
/// It has no destructor of its own (it cannot reach the pool): its owner frees it with
/// `free` before dropping it, as `table::free` and `Table::resize` do.
pub(crate) struct PoolBuf<T: Copy> {
    ptr: NonNull<T>,
    len: usize,
}

impl<T: Copy> PoolBuf<T> {
    pub(crate) const fn new() -> PoolBuf<T> {
        PoolBuf {
            ptr: NonNull::dangling(),
            len: 0,
        }
    }

    /// `len` copies of `value`; `None` when the allocation fails.
    pub(crate) fn filled(pool: &Pool, len: usize, value: T) -> Option<PoolBuf<T>> {
        if len == 0 || core::mem::size_of::<T>() == 0 {
            return Some(PoolBuf::new());
        }
        let layout = Layout::array::<T>(len).ok()?;
        let ptr = NonNull::new(pool.alloc(layout) as *mut T)?;
        for i in 0..len {
            // SAFETY: `i < len` slots were allocated for `T`.
            unsafe { ptr.as_ptr().add(i).write(value) };
        }
        Some(PoolBuf { ptr, len })
    }

    /// Changes the length to `len`, filling new slots with `value`; false (and the
    /// buffer unchanged) when the allocation fails. Blocks too large for the pool are
    /// reallocated in place where the system allocator can (a big array part grows
    /// without a copy); others move to a new block.
    pub(crate) fn resize(&mut self, pool: &Pool, len: usize, value: T) -> bool {
        let old_len = self.len;
        let (Ok(old), Ok(new)) = (Layout::array::<T>(old_len), Layout::array::<T>(len)) else {
            return false;
        };
        if class_of(old).is_none() && class_of(new).is_none() && old.size() > 0 && new.size() > 0 {
            // SAFETY: the block was allocated by the system allocator with `old` (pool
            // blocks have pooled sizes), and `new` has a non-zero size.
            let p = unsafe { alloc::alloc::realloc(self.ptr.as_ptr() as *mut u8, old, new.size()) };
            let Some(p) = NonNull::new(p as *mut T) else {
                return false;
            };
            self.ptr = p;
        } else {
            let Some(mut fresh) = PoolBuf::filled(pool, len, value) else {
                return false;
            };
            let keep = old_len.min(len);
            if let (Some(dst), Some(src)) = (fresh.get_mut(..keep), self.get(..keep)) {
                dst.copy_from_slice(src);
            }
            self.free(pool);
            *self = fresh;
            return true;
        }
        for i in old_len..len {
            // SAFETY: slots `old_len..len` of the grown block are allocated for `T`.
            unsafe { self.ptr.as_ptr().add(i).write(value) };
        }
        self.len = len;
        true
    }

    /// Gives the memory back to `pool`, leaving an empty buffer.
    pub(crate) fn free(&mut self, pool: &Pool) {
        let this = core::mem::replace(self, PoolBuf::new());
        if this.len == 0 || core::mem::size_of::<T>() == 0 {
            return;
        }
        if let Ok(layout) = Layout::array::<T>(this.len) {
            // SAFETY: allocated by `filled` from this pool with this layout.
            unsafe { pool.free(this.ptr.as_ptr() as *mut u8, layout) };
        }
    }
}

impl<T: Copy> core::ops::Deref for PoolBuf<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        // SAFETY: `len` initialised values (or a dangling pointer with length 0).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Copy> core::ops::DerefMut for PoolBuf<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` is the only access.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.drain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_reused_within_a_class() {
        let pool = Pool::new();
        let l = Layout::from_size_align(40, 8).unwrap();
        let a = pool.alloc(l);
        unsafe { pool.free(a, l) };
        assert_eq!(pool.bytes(), 48);
        // 33..=48 bytes share the class.
        let b = pool.alloc(Layout::from_size_align(33, 8).unwrap());
        assert_eq!(a, b);
        assert_eq!(pool.bytes(), 0);
        unsafe { pool.free(b, Layout::from_size_align(33, 8).unwrap()) };
        pool.drain();
        assert_eq!(pool.bytes(), 0);
    }

    #[test]
    fn large_blocks_bypass_the_pool() {
        let pool = Pool::new();
        let l = Layout::from_size_align(MAX_BLOCK + 1, 8).unwrap();
        let a = pool.alloc(l);
        unsafe { pool.free(a, l) };
        assert_eq!(pool.bytes(), 0);
    }

    #[test]
    fn the_pool_is_bounded() {
        let pool = Pool::new();
        let l = Layout::from_size_align(MAX_BLOCK, 8).unwrap();
        let blocks: alloc::vec::Vec<_> = (0..MIN_CAP / MAX_BLOCK + 10)
            .map(|_| pool.alloc(l))
            .collect();
        for b in blocks {
            unsafe { pool.free(b, l) };
        }
        assert_eq!(pool.bytes(), MIN_CAP);
    }
}
