//! Lua tables: an array part for keys `1..=n` and a hash part for every other key.
//!
//! Invariant: an integer key in `1..=array.len()` is never stored in the hash part, so
//! `get_int` answers from the array without hashing.
//!
//! The hash part is a chained scatter table with Brent's variation (as in PUC Lua's
//! ltable.c): a key lives in its *main position* unless that node is taken by a key of
//! another main position, which is then moved. Collisions chain through `Node::next`
//! (relative offsets). The hash part's size is zero or a power of two.
//!
//! Removing a key only clears its value; the key stays so that `next` can continue a
//! traversal from it. The collector turns such keys into `Value::DeadKey` (address only)
//! so that a freed object is never dereferenced.
//!
//! When an insertion finds no free node, `rehash` recounts the integer keys and picks
//! the largest power-of-two array size `n` for which more than half of `1..=n` is used.

use core::cell::Cell;

use crate::gc::{Gc, Heap};
use crate::lstr::LStr;
use crate::number::{float_to_int, Rounding};
use crate::pool::PoolBuf;
use crate::tvec::AllocError;
use crate::value::Value;

#[derive(Clone, Copy)]
struct Node {
    key: Value,
    val: Value,
    /// Offset to the next node of the chain; 0 ends it.
    next: i32,
}

const EMPTY_NODE: Node = Node {
    key: Value::Nil,
    val: Value::Nil,
    next: 0,
};

/// `next` was given a key that is not in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidKey;

/// Largest array part (2^26 slots, like PUC's `MAXASIZE` bound on 64-bit in spirit).
const MAX_ABITS: u32 = 26;
const MAX_ASIZE: usize = 1 << MAX_ABITS;
/// Largest hash part: 2^26 nodes.
const MAX_HBITS: u32 = 26;
/// Most nodes a hash part may have.
pub(crate) const MAX_HASH_SIZE: usize = 1 << MAX_HBITS;

/// Why a raw set failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetError {
    /// `t[nil] = v`
    NilKey,
    /// `t[0/0] = v`
    NanKey,
    Memory,
}

impl From<AllocError> for SetError {
    fn from(_: AllocError) -> Self {
        SetError::Memory
    }
}

/// A Lua table.
pub struct Table {
    array: PoolBuf<Value>,
    nodes: PoolBuf<Node>,
    /// Nodes at or above this index are known not to be free.
    last_free: usize,
    pub(crate) meta: Cell<Option<Gc<Table>>>,
    /// Bit `e` set: metamethod event `e` (one of the first eight) is known absent from
    /// this table when it serves as a metatable. Cleared whenever a key is added.
    tm_absent: Cell<u8>,
    /// The border `length` found last (PUC's `alimit` in spirit): `#t` in a loop that
    /// appends or removes at the end checks it and its neighbour before searching.
    border_hint: Cell<u32>,
}

impl Table {
    fn empty() -> Table {
        Table {
            array: PoolBuf::new(),
            nodes: PoolBuf::new(),
            last_free: 0,
            meta: Cell::new(None),
            tm_absent: Cell::new(0),
            border_hint: Cell::new(0),
        }
    }

    /// The metatable.
    #[inline(always)]
    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.meta.get()
    }

    /// Length of the array part.
    pub fn array_len(&self) -> usize {
        self.array.len()
    }

    /// Number of hash nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Bytes owned by the table outside its box (for accounting).
    pub(crate) fn buffer_bytes(&self) -> usize {
        self.array.len() * core::mem::size_of::<Value>()
            + self.nodes.len() * core::mem::size_of::<Node>()
    }

    #[inline(always)]
    pub(crate) fn tm_known_absent(&self, bit: u8) -> bool {
        self.tm_absent.get() & (1 << bit) != 0
    }

    #[inline(always)]
    pub(crate) fn set_tm_absent(&self, bit: u8) {
        self.tm_absent.set(self.tm_absent.get() | (1 << bit));
    }

    /// Forgets the absences cached in `tm_absent`: a key was given a value where it
    /// had none (it may be a metamethod name).
    #[inline(always)]
    pub(crate) fn invalidate_tm_cache(&self) {
        self.tm_absent.set(0);
    }

    // ---- lookup ----

    /// `t[i]` without metamethods.
    #[inline(always)]
    pub fn get_int(&self, i: i64) -> Value {
        if let Some(v) = (i as u64)
            .wrapping_sub(1)
            .try_into()
            .ok()
            .and_then(|k: usize| self.array.get(k))
        {
            // SAFETY: a reference to an initialised array slot.
            return unsafe { crate::value::load_value(v) };
        }
        self.get_int_hash(i)
    }

    fn get_int_hash(&self, i: i64) -> Value {
        if self.nodes.is_empty() {
            return Value::Nil;
        }
        let mut idx = self.main_int(i);
        loop {
            let Some(n) = self.nodes.get(idx) else {
                return Value::Nil;
            };
            if let Value::Int(k) = n.key {
                if k == i {
                    return n.val;
                }
            }
            if n.next == 0 {
                return Value::Nil;
            }
            idx = (idx as isize + n.next as isize) as usize;
        }
    }

    /// `t[s]` without metamethods.
    #[inline(always)]
    pub fn get_str(&self, s: Gc<LStr>, seed: u32) -> Value {
        if s.is_short() {
            return self.get_short_str(s);
        }
        self.get_long_str(s, seed)
    }

    /// `t[s]` for a long string: hashed on first use, compared by bytes.
    fn get_long_str(&self, s: Gc<LStr>, seed: u32) -> Value {
        self.str_chain(s.hash(seed), |k| LStr::equals(k, s))
    }

    /// `t[s]` for an interned (short) string: equal short strings are the same object,
    /// so no bytes are compared and the hash was computed when it was interned.
    /// Metamethod names take this directly.
    #[inline(always)]
    pub(crate) fn get_short_str(&self, s: Gc<LStr>) -> Value {
        self.str_chain(s.short_hash(), |k| k == s)
    }

    /// The value of the string key in the collision chain of hash `h` for which `same`
    /// holds, or nil.
    #[inline(always)]
    fn str_chain(&self, h: u32, same: impl Fn(Gc<LStr>) -> bool) -> Value {
        if self.nodes.is_empty() {
            return Value::Nil;
        }
        let mut idx = self.main_hash(h);
        loop {
            let Some(n) = self.nodes.get(idx) else {
                return Value::Nil;
            };
            if matches!(n.key, Value::Str(k) if same(k)) {
                return n.val;
            }
            if n.next == 0 {
                return Value::Nil;
            }
            idx = (idx as isize + n.next as isize) as usize;
        }
    }

    /// `t[k]` without metamethods.
    pub fn get(&self, key: &Value, seed: u32) -> Value {
        match *key {
            Value::Int(i) => self.get_int(i),
            Value::Str(s) => self.get_str(s, seed),
            Value::Nil => Value::Nil,
            Value::Float(f) => match float_to_int(f, Rounding::Exact) {
                Some(i) => self.get_int(i),
                None => self.get_generic(key, seed),
            },
            _ => self.get_generic(key, seed),
        }
    }

    fn get_generic(&self, key: &Value, seed: u32) -> Value {
        match self.find_node(key, seed) {
            Some(i) => self.nodes.get(i).map_or(Value::Nil, |n| n.val),
            None => Value::Nil,
        }
    }

    /// Index of the node holding `key` (normalised: no integral floats), if any.
    fn find_node(&self, key: &Value, seed: u32) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut idx = self.main_position(key, seed);
        loop {
            let n = self.nodes.get(idx)?;
            if keys_equal(&n.key, key) {
                return Some(idx);
            }
            if n.next == 0 {
                return None;
            }
            idx = (idx as isize + n.next as isize) as usize;
        }
    }

    // ---- hashing ----

    #[inline(always)]
    fn mask(&self) -> usize {
        self.nodes.len().wrapping_sub(1)
    }

    #[inline(always)]
    fn main_hash(&self, h: u32) -> usize {
        h as usize & self.mask()
    }

    #[inline(always)]
    fn main_int(&self, i: i64) -> usize {
        // Fold the high bits in so that keys that differ only above the mask spread.
        let u = i as u64;
        ((u ^ (u >> 32)) as usize) & self.mask()
    }

    fn main_position(&self, key: &Value, seed: u32) -> usize {
        match *key {
            Value::Int(i) => self.main_int(i),
            Value::Str(s) => self.main_hash(s.hash(seed)),
            Value::Float(f) => {
                let b = f.to_bits();
                self.main_hash(
                    (b ^ (b >> 32)) as u32 ^ ((b >> 52) as u32).wrapping_mul(0x9e37_79b9),
                )
            }
            Value::Bool(b) => self.main_hash(b as u32),
            other => {
                let p = other.identity() as u64;
                self.main_hash(((p >> 3) ^ (p >> 32)) as u32)
            }
        }
    }

    // ---- insertion ----

    /// `t[k] = v` without metamethods. Keys are normalised (integral floats become
    /// integers). Runs the collector's backward barrier when needed.
    ///
    /// # Errors
    /// `NilKey`/`NanKey` for invalid keys, `Memory` when growing fails (the table is
    /// unchanged then).
    pub fn set(
        t: Gc<Table>,
        heap: &Heap,
        seed: u32,
        key: Value,
        val: Value,
    ) -> Result<(), SetError> {
        let key = match key {
            Value::Nil => return Err(SetError::NilKey),
            Value::Float(f) => match float_to_int(f, Rounding::Exact) {
                Some(i) => Value::Int(i),
                None if f.is_nan() => return Err(SetError::NanKey),
                None => key,
            },
            _ => key,
        };
        // SAFETY: the VM is single-threaded and no other borrow of this table is live
        // during a raw set.
        let this = unsafe { t.get_mut() };
        let slot = match key {
            Value::Int(i) => this.slot_int(i),
            _ => this
                .find_node(&key, seed)
                .and_then(|i| this.nodes.get_mut(i))
                .map(|n| &mut n.val),
        };
        if let Some(slot) = slot {
            let was_nil = slot.is_nil();
            *slot = val;
            if was_nil {
                this.invalidate_tm_cache();
            }
        } else if !val.is_nil() {
            this.new_key(heap, seed, key, val)?;
        }
        barrier(heap, t, &key, &val);
        Ok(())
    }

    /// `t[i] = v` for an integer key.
    pub fn set_int(
        t: Gc<Table>,
        heap: &Heap,
        seed: u32,
        i: i64,
        val: Value,
    ) -> Result<(), SetError> {
        // SAFETY: as in `set`.
        let this = unsafe { t.get_mut() };
        if let Some(slot) = this.slot_int(i) {
            *slot = val;
            barrier(heap, t, &Value::Nil, &val);
            return Ok(());
        }
        Self::set(t, heap, seed, Value::Int(i), val)
    }

    /// Fast path for the VM: the existing slot of an integer key, if present.
    #[inline(always)]
    fn slot_int(&mut self, i: i64) -> Option<&mut Value> {
        let k = (i as u64).wrapping_sub(1);
        if k < self.array.len() as u64 {
            return self.array.get_mut(k as usize);
        }
        if self.nodes.is_empty() {
            return None;
        }
        let mut idx = self.main_int(i);
        loop {
            let n = self.nodes.get(idx)?;
            if matches!(n.key, Value::Int(k) if k == i) {
                return self.nodes.get_mut(idx).map(|n| &mut n.val);
            }
            if n.next == 0 {
                return None;
            }
            idx = (idx as isize + n.next as isize) as usize;
        }
    }

    /// The slot that holds `key`, nil or not: an array slot, or the node of a key that
    /// is present or was removed. `None` when setting `key` needs a new node.
    #[inline]
    pub(crate) fn slot(t: Gc<Table>, key: &Value, seed: u32) -> Option<&'static mut Value> {
        // SAFETY: single-threaded VM; the caller writes through the slot at once and keeps
        // no other borrow of the table.
        let this = unsafe { t.get_mut() };
        match *key {
            Value::Int(i) => this.slot_int(i),
            _ => {
                let i = this.find_node(key, seed)?;
                Some(&mut this.nodes.get_mut(i)?.val)
            }
        }
    }

    fn new_key(&mut self, heap: &Heap, seed: u32, key: Value, val: Value) -> Result<(), SetError> {
        if self.nodes.is_empty() {
            self.rehash(heap, seed, &key)?;
            return self.insert_after_rehash(heap, seed, key, val);
        }
        let mp = self.main_position(&key, seed);
        // A node whose value is nil is free, even if it still holds a removed key.
        let mp_taken = self.nodes.get(mp).is_some_and(|n| !n.val.is_nil());
        if !mp_taken {
            // Free main position (maybe a removed key): take it, keeping its chain link.
            if let Some(n) = self.nodes.get_mut(mp) {
                n.key = key;
                n.val = val;
            }
            self.invalidate_tm_cache();
            return Ok(());
        }
        let Some(free) = self.free_position() else {
            self.rehash(heap, seed, &key)?;
            return self.insert_after_rehash(heap, seed, key, val);
        };
        let Some(colliding_key) = self.nodes.get(mp).map(|n| n.key) else {
            return Err(SetError::Memory);
        };
        let other_mp = self.main_position(&colliding_key, seed);
        if other_mp != mp {
            // The colliding node is out of its main position: move it to the free slot.
            let mut prev = other_mp;
            loop {
                let Some(n) = self.nodes.get(prev) else {
                    return Err(SetError::Memory);
                };
                let next = (prev as isize + n.next as isize) as usize;
                if next == mp {
                    break;
                }
                prev = next;
            }
            let moved = self.nodes.get(mp).copied().unwrap_or(EMPTY_NODE);
            if let Some(p) = self.nodes.get_mut(prev) {
                p.next = (free as isize - prev as isize) as i32;
            }
            if let Some(f) = self.nodes.get_mut(free) {
                *f = moved;
                if moved.next != 0 {
                    f.next = (moved.next as isize + mp as isize - free as isize) as i32;
                }
            }
            if let Some(m) = self.nodes.get_mut(mp) {
                *m = Node { key, val, next: 0 };
            }
        } else {
            // The colliding node is in its own main position: chain the new key after it.
            let mp_next = self.nodes.get(mp).map_or(0, |n| n.next);
            if let Some(f) = self.nodes.get_mut(free) {
                f.key = key;
                f.val = val;
                f.next = if mp_next != 0 {
                    (mp_next as isize + mp as isize - free as isize) as i32
                } else {
                    0
                };
            }
            if let Some(m) = self.nodes.get_mut(mp) {
                m.next = (free as isize - mp as isize) as i32;
            }
        }
        self.invalidate_tm_cache();
        Ok(())
    }

    fn insert_after_rehash(
        &mut self,
        heap: &Heap,
        seed: u32,
        key: Value,
        val: Value,
    ) -> Result<(), SetError> {
        if let Value::Int(i) = key {
            if let Some(slot) = self.slot_int(i) {
                *slot = val;
                self.invalidate_tm_cache();
                return Ok(());
            }
        }
        self.new_key(heap, seed, key, val)
    }

    fn free_position(&mut self) -> Option<usize> {
        while self.last_free > 0 {
            self.last_free -= 1;
            if let Some(n) = self.nodes.get(self.last_free) {
                if n.key.is_nil() {
                    return Some(self.last_free);
                }
            }
        }
        None
    }

    // ---- resizing ----

    /// Recomputes the part sizes counting `extra` as about to be inserted, then resizes.
    fn rehash(&mut self, heap: &Heap, seed: u32, extra: &Value) -> Result<(), SetError> {
        // nums[b]: number of integer keys k with 2^(b-1) < k <= 2^b.
        let mut nums = [0usize; MAX_ABITS as usize + 1];
        let mut total_int = 0usize;
        let count_int = |k: i64, nums: &mut [usize; MAX_ABITS as usize + 1]| {
            if k >= 1 && (k as u64) <= MAX_ASIZE as u64 {
                let b = ceil_log2(k as u64) as usize;
                if let Some(slot) = nums.get_mut(b) {
                    *slot += 1;
                }
                true
            } else {
                false
            }
        };
        for (i, v) in self.array.iter().enumerate() {
            if !v.is_nil() && count_int(i as i64 + 1, &mut nums) {
                total_int += 1;
            }
        }
        let mut total = total_int;
        let mut deleted = false;
        for n in self.nodes.iter() {
            if !n.val.is_nil() {
                total += 1;
                if let Value::Int(k) = n.key {
                    if count_int(k, &mut nums) {
                        total_int += 1;
                    }
                }
            } else if !n.key.is_nil() {
                deleted = true;
            }
        }
        total += 1;
        if let Value::Int(k) = extra {
            if count_int(*k, &mut nums) {
                total_int += 1;
            }
        }
        let (array_size, in_array) = compute_sizes(&nums, total_int);
        let mut hash_size = total - in_array;
        if deleted {
            // Keys were removed since the last resize: insertions and deletions
            // alternate, so leave room (a quarter more) instead of rehashing at once.
            hash_size += hash_size >> 2;
        }
        self.resize(heap, seed, array_size, hash_size)
    }

    /// Makes the array part at least `n` slots, keeping the hash part's size.
    ///
    /// # Errors
    /// `Memory` if the parts cannot be allocated; the table is unchanged then.
    pub(crate) fn grow_array(
        t: Gc<Table>,
        heap: &Heap,
        seed: u32,
        n: usize,
    ) -> Result<(), SetError> {
        // SAFETY: single-threaded; no other borrow of the table is live.
        let this = unsafe { t.get_mut() };
        if n <= this.array.len() {
            return Ok(());
        }
        let live_nodes = this.nodes.iter().filter(|node| !node.val.is_nil()).count();
        this.resize(heap, seed, n.min(MAX_ASIZE), live_nodes)
    }

    /// Resizes both parts. On failure the table is unchanged.
    pub(crate) fn resize(
        &mut self,
        heap: &Heap,
        seed: u32,
        array_size: usize,
        hash_count: usize,
    ) -> Result<(), SetError> {
        let node_size = if hash_count == 0 {
            0
        } else {
            let bits = ceil_log2(hash_count as u64);
            if bits > MAX_HBITS {
                return Err(SetError::Memory);
            }
            1usize << bits
        };
        let new_array_bytes = array_size
            .checked_mul(core::mem::size_of::<Value>())
            .ok_or(SetError::Memory)?;
        let new_node_bytes = node_size
            .checked_mul(core::mem::size_of::<Node>())
            .ok_or(SetError::Memory)?;
        let old_bytes = self.buffer_bytes();
        heap.charge(new_array_bytes + new_node_bytes)?;
        let pool = heap.pool();
        let Some(mut new_nodes) = PoolBuf::filled(pool, node_size, EMPTY_NODE) else {
            heap.release(new_array_bytes + new_node_bytes);
            return Err(SetError::Memory);
        };
        // The array part is resized in place (values past a shrunk array are saved
        // first, to move to the hash part).
        let keep = array_size.min(self.array.len());
        let mut moved = PoolBuf::new();
        if keep < self.array.len() {
            let Some(mut tail) = PoolBuf::filled(pool, self.array.len() - keep, Value::Nil) else {
                new_nodes.free(pool);
                heap.release(new_array_bytes + new_node_bytes);
                return Err(SetError::Memory);
            };
            if let Some(src) = self.array.get(keep..) {
                tail.copy_from_slice(src);
            }
            moved = tail;
        }
        if !self.array.resize(pool, array_size, Value::Nil) {
            moved.free(pool);
            new_nodes.free(pool);
            heap.release(new_array_bytes + new_node_bytes);
            return Err(SetError::Memory);
        }
        let mut old_nodes = core::mem::replace(&mut self.nodes, new_nodes);
        self.last_free = node_size;
        // Reinsert: cannot fail, since the new parts have room for every live key.
        for (i, v) in moved.iter().enumerate() {
            if !v.is_nil() {
                self.reinsert(seed, Value::Int((keep + i) as i64 + 1), *v);
            }
        }
        for n in old_nodes.iter() {
            if !n.val.is_nil() {
                self.reinsert(seed, n.key, n.val);
            }
        }
        moved.free(pool);
        old_nodes.free(pool);
        heap.release(old_bytes.min(heap.bytes()));
        Ok(())
    }

    /// Inserts into parts known to have room (used by `resize`).
    fn reinsert(&mut self, seed: u32, key: Value, val: Value) {
        if let Value::Int(i) = key {
            if let Some(slot) = self.slot_int(i) {
                *slot = val;
                return;
            }
        }
        // A heap with no limit and no accounting: room is guaranteed by the sizing.
        let scratch = Heap::new();
        let _ = self.new_key(&scratch, seed, key, val);
    }

    // ---- length and traversal ----

    /// A border of the table (`#t` without `__len`).
    pub fn length(&self) -> u64 {
        let n = self.array.len();
        if n > 0 && self.array.get(n - 1).is_some_and(Value::is_nil) {
            let is_nil = |k: usize| k > 0 && self.array.get(k - 1).is_none_or(Value::is_nil);
            let hint = self.border_hint.get() as usize;
            // `hint` is a border if `t[hint]` is non-nil (or hint is 0) and `t[hint+1]`
            // nil; after an append or a removal at the end, its neighbour is.
            for b in [hint, hint + 1, hint.wrapping_sub(1)] {
                if b < n && (b == 0 || !is_nil(b)) && is_nil(b + 1) {
                    self.border_hint.set(b as u32);
                    return b as u64;
                }
            }
            // Binary search with 1-based bounds: `t[i]` is non-nil (or i == 0), `t[j]` nil.
            let (mut i, mut j) = (0usize, n);
            while j - i > 1 {
                let m = i + (j - i) / 2;
                if self.array.get(m - 1).is_some_and(Value::is_nil) {
                    j = m;
                } else {
                    i = m;
                }
            }
            self.border_hint.set(i as u32);
            return i as u64;
        }
        if self.nodes.is_empty() {
            return n as u64;
        }
        self.hash_border(n as u64)
    }

    /// Unbounded search for a border past `j` (which is 0 or a non-nil index).
    fn hash_border(&self, j: u64) -> u64 {
        let mut i = j;
        let mut j = j + 1;
        if self.get_int(j as i64).is_nil() {
            return i;
        }
        while !self.get_int(j as i64).is_nil() {
            i = j;
            if j > (i64::MAX as u64) / 2 {
                // Overflow: fall back to a linear search.
                let mut k = 1u64;
                while !self.get_int(k as i64).is_nil() {
                    k += 1;
                }
                return k - 1;
            }
            j *= 2;
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// The entry after `key` in traversal order (`next`). `Ok(None)` ends the traversal.
    ///
    /// # Errors
    /// `InvalidKey` when `key` is not in the table.
    pub fn next(&self, key: &Value, seed: u32) -> Result<Option<(Value, Value)>, InvalidKey> {
        let mut i = self.traversal_index(key, seed)?;
        while i < self.array.len() {
            if let Some(v) = self.array.get(i) {
                if !v.is_nil() {
                    return Ok(Some((Value::Int(i as i64 + 1), *v)));
                }
            }
            i += 1;
        }
        let mut j = i - self.array.len();
        while let Some(n) = self.nodes.get(j) {
            if !n.val.is_nil() {
                return Ok(Some((n.key, n.val)));
            }
            j += 1;
        }
        Ok(None)
    }

    /// Position right after `key` in the array-then-nodes order.
    fn traversal_index(&self, key: &Value, seed: u32) -> Result<usize, InvalidKey> {
        let key = match *key {
            Value::Nil => return Ok(0),
            Value::Float(f) => match float_to_int(f, Rounding::Exact) {
                Some(i) => Value::Int(i),
                None => *key,
            },
            k => k,
        };
        if let Value::Int(i) = key {
            if i >= 1 && (i as u64) <= self.array.len() as u64 {
                return Ok(i as usize);
            }
        }
        if self.nodes.is_empty() {
            return Err(InvalidKey);
        }
        let mut idx = self.main_position(&key, seed);
        loop {
            let n = self.nodes.get(idx).ok_or(InvalidKey)?;
            if keys_equal(&n.key, &key)
                || matches!(n.key, Value::DeadKey(a) if a == key.identity() && key.gc_header().is_some())
            {
                return Ok(self.array.len() + idx + 1);
            }
            if n.next == 0 {
                return Err(InvalidKey);
            }
            idx = (idx as isize + n.next as isize) as usize;
        }
    }

    // ---- collector support ----

    /// Calls `f` on every array value.
    pub(crate) fn array_values(&self) -> &[Value] {
        &self.array
    }

    /// Calls `f(key, value)` on every live entry of the hash part.
    pub(crate) fn for_each_node(&self, mut f: impl FnMut(&Value, &Value)) {
        for n in self.nodes.iter() {
            if !n.val.is_nil() {
                f(&n.key, &n.val);
            }
        }
    }

    /// Turns keys of removed entries into dead keys and clears entries `clear` rejects
    /// (weak tables). `clear(key, val)` returns true to remove the entry.
    pub(crate) fn sweep_entries(
        &mut self,
        mut clear_key: impl FnMut(&Value) -> bool,
        mut clear_val: impl FnMut(&Value) -> bool,
    ) {
        for v in self.array.iter_mut() {
            if clear_val(v) {
                *v = Value::Nil;
            }
        }
        for n in self.nodes.iter_mut() {
            if !n.val.is_nil() && (clear_key(&n.key) || clear_val(&n.val)) {
                n.val = Value::Nil;
            }
            if n.val.is_nil() && n.key.gc_header().is_some() {
                n.key = Value::DeadKey(n.key.identity());
            }
        }
    }
}

/// Key equality inside the hash part (keys are normalised; dead keys match nothing).
#[inline]
fn keys_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => LStr::equals(*x, *y),
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || x == y,
        (Value::DeadKey(_), _) | (_, Value::DeadKey(_)) => false,
        (Value::Nil, _) | (_, Value::Nil) => false,
        _ => a.raw_eq(b),
    }
}

/// Backward barrier after storing `key`/`val` into `t`.
#[inline(always)]
fn barrier(heap: &Heap, t: Gc<Table>, key: &Value, val: &Value) {
    if heap.keeps_invariant() && Heap::is_black(t.header()) {
        let white = |v: &Value| {
            v.gc_header().is_some_and(|h| {
                // SAFETY: a value just stored is live.
                heap.is_white(unsafe { h.as_ref() })
            })
        };
        if white(key) || white(val) {
            heap.barrier_back(t.as_header_ptr());
        }
    }
}

/// `ceil(log2(x))` for `x >= 1`.
fn ceil_log2(x: u64) -> u32 {
    if x <= 1 {
        0
    } else {
        64 - (x - 1).leading_zeros()
    }
}

/// Picks the array size: the largest `2^b` such that more than half of `1..=2^b` is in
/// use. Returns the size and how many integer keys land in the array.
fn compute_sizes(nums: &[usize], total_int: usize) -> (usize, usize) {
    let mut acc = 0usize;
    let mut in_array = 0usize;
    let mut best = 0usize;
    for (b, &count) in nums.iter().enumerate() {
        let twotoi = 1usize << b;
        if twotoi / 2 >= total_int {
            break;
        }
        acc += count;
        if acc > twotoi / 2 {
            best = twotoi;
            in_array = acc;
        }
    }
    (best, in_array)
}

/// Allocates a table with room for `narray` array slots and `nhash` hash entries.
pub fn new_table(heap: &Heap, narray: usize, nhash: usize) -> Result<Gc<Table>, AllocError> {
    let t = heap.alloc_box(crate::gc::Kind::Table, Table::empty(), 0)?;
    if narray > 0 || nhash > 0 {
        // SAFETY: the table was just created; nothing else refers to it.
        let this = unsafe { t.get_mut() };
        if this.resize(heap, 0, narray.min(MAX_ASIZE), nhash).is_err() {
            // The empty table stays valid; report the failure (it is freed by the sweep).
            return Err(AllocError);
        }
    }
    Ok(t)
}

/// Frees a dead table.
///
/// # Safety
/// `h` is an unreachable table.
pub(crate) unsafe fn free(heap: &Heap, h: core::ptr::NonNull<crate::gc::GcHeader>) {
    // SAFETY: `h` is a table header per the contract.
    let t = unsafe { Gc::<Table>::from_header(h) };
    heap.release(t.buffer_bytes());
    // SAFETY: unreachable, so nothing borrows the parts.
    let parts = unsafe { t.get_mut() };
    parts.array.free(heap.pool());
    parts.nodes.free(heap.pool());
    // SAFETY: unreachable table allocated with no extra bytes.
    unsafe { crate::gc::free_box::<Table>(heap, h, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heap() -> Heap {
        Heap::new()
    }

    #[test]
    fn integer_keys_fill_the_array_part() {
        let h = heap();
        let t = new_table(&h, 0, 0).unwrap();
        for i in 1..=100 {
            Table::set(t, &h, 0, Value::Int(i), Value::Int(i * 10)).unwrap();
        }
        assert!(t.array_len() >= 64);
        for i in 1..=100 {
            assert!(matches!(t.get_int(i), Value::Int(v) if v == i * 10));
        }
        assert_eq!(t.length(), 100);
        assert!(t.get_int(101).is_nil());
    }

    #[test]
    fn sparse_and_negative_keys_live_in_the_hash_part() {
        let h = heap();
        let t = new_table(&h, 0, 0).unwrap();
        for i in [-5i64, 0, 1 << 40, i64::MIN, i64::MAX, 7] {
            Table::set(t, &h, 0, Value::Int(i), Value::Bool(true)).unwrap();
        }
        for i in [-5i64, 0, 1 << 40, i64::MIN, i64::MAX, 7] {
            assert!(t.get_int(i).truthy(), "key {i}");
        }
        assert!(t.get_int(8).is_nil());
    }

    #[test]
    fn float_keys_normalise_and_nan_or_nil_fail() {
        let h = heap();
        let t = new_table(&h, 0, 0).unwrap();
        Table::set(t, &h, 0, Value::Float(2.0), Value::Int(1)).unwrap();
        assert!(matches!(t.get_int(2), Value::Int(1)));
        Table::set(t, &h, 0, Value::Float(2.5), Value::Int(2)).unwrap();
        assert!(matches!(t.get(&Value::Float(2.5), 0), Value::Int(2)));
        assert_eq!(
            Table::set(t, &h, 0, Value::Nil, Value::Int(1)),
            Err(SetError::NilKey)
        );
        assert_eq!(
            Table::set(t, &h, 0, Value::Float(f64::NAN), Value::Int(1)),
            Err(SetError::NanKey)
        );
    }

    #[test]
    fn next_visits_every_entry_once_even_while_clearing() {
        let h = heap();
        let t = new_table(&h, 0, 0).unwrap();
        for i in 1..=50 {
            Table::set(t, &h, 0, Value::Int(i * 3), Value::Int(i)).unwrap();
        }
        let mut seen = 0;
        let mut k = Value::Nil;
        while let Ok(Some((nk, _))) = t.next(&k, 0) {
            Table::set(t, &h, 0, nk, Value::Nil).unwrap();
            seen += 1;
            k = nk;
        }
        assert_eq!(seen, 50);
        assert!(matches!(t.next(&Value::Nil, 0), Ok(None)));
    }

    #[test]
    fn border_of_array_with_holes_is_a_border() {
        let h = heap();
        let t = new_table(&h, 8, 0).unwrap();
        for i in 1..=5 {
            Table::set(t, &h, 0, Value::Int(i), Value::Bool(true)).unwrap();
        }
        assert_eq!(t.length(), 5);
        Table::set(t, &h, 0, Value::Int(5), Value::Nil).unwrap();
        assert_eq!(t.length(), 4);
        let e = new_table(&h, 4, 0).unwrap();
        assert_eq!(e.length(), 0);
    }

    #[test]
    fn memory_limit_failure_leaves_table_intact() {
        let h = heap();
        let t = new_table(&h, 0, 0).unwrap();
        for i in 1..=10 {
            Table::set(t, &h, 0, Value::Int(i), Value::Int(i)).unwrap();
        }
        h.set_limit(h.bytes());
        let mut failed = false;
        for i in 11..=1000 {
            if Table::set(t, &h, 0, Value::Int(i * 7), Value::Int(i)).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed);
        for i in 1..=10 {
            assert!(matches!(t.get_int(i), Value::Int(v) if v == i));
        }
    }
}
