//! Lua strings: immutable byte strings stored inline after their header.
//!
//! Strings of at most `SHORT_MAX` bytes are interned in a per-state table, so two short
//! strings are equal exactly when they are the same object; this makes them cheap table
//! keys. Longer strings are not interned: they compare by content and hash lazily.
//! The intern table is weak: the sweep removes strings nobody references.

use core::cell::Cell;
use core::ptr::NonNull;

use crate::gc::{free_box, Gc, GcHeader, Heap, Kind};
use crate::tvec::AllocError;
use alloc::vec::Vec;

/// Longest interned string (`LUAI_MAXSHORTLEN`).
pub const SHORT_MAX: usize = 40;

/// Header of a string; `len` bytes follow it in the same allocation.
pub struct LStr {
    hash: Cell<u32>,
    /// Long strings hash on first use.
    hashed: Cell<bool>,
    len: usize,
    /// Next string in the same intern bucket.
    bucket_next: Cell<Option<Gc<LStr>>>,
}

impl LStr {
    /// The string's bytes.
    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: `LStr` is always the payload of a `GcBox<LStr>` allocated by `new_raw`
        // with exactly `len` initialised bytes right after the box.
        unsafe {
            let boxed = (self as *const LStr as *const u8)
                .sub(core::mem::offset_of!(crate::gc::GcBox<LStr>, value))
                as *const crate::gc::GcBox<LStr>;
            core::slice::from_raw_parts(boxed.add(1) as *const u8, self.len)
        }
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    pub fn is_short(&self) -> bool {
        self.len <= SHORT_MAX
    }

    /// The string's hash (seeded per state).
    #[inline]
    pub fn hash(&self, seed: u32) -> u32 {
        if !self.hashed.get() {
            self.hash.set(hash_bytes(self.as_bytes(), seed));
            self.hashed.set(true);
        }
        self.hash.get()
    }

    /// The hash of a short string, computed when it was interned (any other string
    /// answers with whatever its hash cell holds, which only makes lookups miss).
    #[inline(always)]
    pub(crate) fn short_hash(&self) -> u32 {
        self.hash.get()
    }

    /// Equality of two string objects.
    #[inline]
    pub fn equals(a: Gc<LStr>, b: Gc<LStr>) -> bool {
        a == b || (!a.is_short() && a.len == b.len && a.as_bytes() == b.as_bytes())
    }

    /// Frees a dead string.
    ///
    /// # Safety
    /// `h` is an unreachable string already removed from the intern table.
    pub(crate) unsafe fn free(heap: &Heap, h: NonNull<GcHeader>) {
        // SAFETY: `h` is a live string header per the contract.
        let len = unsafe { Gc::<LStr>::from_header(h) }.len;
        // SAFETY: allocated by `new_raw` with `len` extra bytes; unreachable.
        unsafe { free_box::<LStr>(heap, h, len) };
    }
}

/// Seeded string hash (FNV-1a variant mixed with the seed); cheap and good enough for
/// the chained intern table and the table hash parts.
#[inline]
pub fn hash_bytes(bytes: &[u8], seed: u32) -> u32 {
    let mut h: u32 = seed ^ (bytes.len() as u32).wrapping_mul(0x9e37_79b9);
    for &b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h ^ (h >> 15)
}

/// Allocates an uninterned string object holding `bytes`.
fn new_raw(heap: &Heap, bytes: &[u8], hash: u32, hashed: bool) -> Result<Gc<LStr>, AllocError> {
    let s = heap.alloc_box(
        Kind::Str,
        LStr {
            hash: Cell::new(hash),
            hashed: Cell::new(hashed),
            len: bytes.len(),
            bucket_next: Cell::new(None),
        },
        bytes.len(),
    )?;
    // SAFETY: the box was allocated with `bytes.len()` trailing bytes.
    unsafe {
        let dst = s.raw().add(1) as *mut u8;
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, bytes.len());
    }
    Ok(s)
}

/// The intern table for short strings.
pub struct StringTable {
    buckets: Vec<Option<Gc<LStr>>>,
    count: usize,
    pub(crate) seed: u32,
}

impl StringTable {
    pub fn new(seed: u32) -> Self {
        StringTable {
            buckets: Vec::new(),
            count: 0,
            seed,
        }
    }

    /// Returns the string object for `bytes`, interning short strings.
    ///
    /// # Errors
    /// `AllocError` when the memory limit or the allocator refuses.
    pub fn intern(&mut self, heap: &Heap, bytes: &[u8]) -> Result<Gc<LStr>, AllocError> {
        if bytes.len() > SHORT_MAX {
            return new_raw(heap, bytes, 0, false);
        }
        let hash = hash_bytes(bytes, self.seed);
        if let Some(found) = self.find(bytes, hash) {
            // A string found dead-but-unswept is revived by making it current white.
            heap.revive(found.header());
            return Ok(found);
        }
        if self.count >= self.buckets.len() {
            self.grow(heap)?;
        }
        let s = new_raw(heap, bytes, hash, true)?;
        let mask = self.buckets.len() - 1;
        if let Some(slot) = self.buckets.get_mut(hash as usize & mask) {
            s.bucket_next.set(*slot);
            *slot = Some(s);
        }
        self.count += 1;
        Ok(s)
    }

    fn find(&self, bytes: &[u8], hash: u32) -> Option<Gc<LStr>> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut cur = *self.buckets.get(hash as usize & (self.buckets.len() - 1))?;
        while let Some(s) = cur {
            if s.hash.get() == hash && s.as_bytes() == bytes {
                return Some(s);
            }
            cur = s.bucket_next.get();
        }
        None
    }

    fn grow(&mut self, heap: &Heap) -> Result<(), AllocError> {
        self.rehash((self.buckets.len() * 2).max(64), heap)
    }

    /// Halves the bucket array while it is less than a quarter full (`checkSizes`).
    pub(crate) fn shrink_if_sparse(&mut self, heap: &Heap) {
        let mut len = self.buckets.len();
        while len > 64 && self.count < len / 4 {
            len /= 2;
        }
        if len != self.buckets.len() {
            // Failing to shrink is harmless: the table stays as it is.
            let _ = self.rehash(len, heap);
        }
    }

    fn rehash(&mut self, new_len: usize, heap: &Heap) -> Result<(), AllocError> {
        let bytes = new_len * core::mem::size_of::<Option<Gc<LStr>>>();
        heap.charge(bytes)?;
        let mut fresh: Vec<Option<Gc<LStr>>> = Vec::new();
        if crate::tvec::TryVec::try_resize(&mut fresh, new_len, None).is_err() {
            heap.release(bytes);
            return Err(AllocError);
        }
        for head in self.buckets.iter() {
            let mut cur = *head;
            while let Some(s) = cur {
                cur = s.bucket_next.get();
                let i = s.hash.get() as usize & (new_len - 1);
                if let Some(slot) = fresh.get_mut(i) {
                    s.bucket_next.set(*slot);
                    *slot = Some(s);
                }
            }
        }
        heap.release(self.buckets.capacity() * core::mem::size_of::<Option<Gc<LStr>>>());
        self.buckets = fresh;
        Ok(())
    }

    /// Unlinks a string that the sweep is about to free.
    pub(crate) fn remove(&mut self, s: Gc<LStr>) {
        if self.buckets.is_empty() {
            return;
        }
        let i = s.hash.get() as usize & (self.buckets.len() - 1);
        let Some(mut link) = self.buckets.get_mut(i) else {
            return;
        };
        loop {
            match *link {
                Some(cur) if cur == s => {
                    *link = cur.bucket_next.get();
                    self.count -= 1;
                    return;
                }
                Some(cur) => {
                    // SAFETY: `cur` is live (only the sweep frees strings, after removal);
                    // its `bucket_next` cell lives as long as the object.
                    link = unsafe { &mut *cur.bucket_next.as_ptr() };
                }
                None => return,
            }
        }
    }
}
