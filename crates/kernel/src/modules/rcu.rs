//! The `rcu` module: string-keyed hash tables shared between runtimes, read without a lock
//! (RCU) and written under one spin lock per table; and `lunatik._ENV`, the table every
//! runtime shares.
//!
//! ```lua
//! local rcu = require("rcu")
//! local t = rcu.table()             -- 256 buckets; rcu.table(n) rounds n up to 2^k
//! t.key = 42                        -- nil (delete), booleans, numbers, strings, objects
//! t[1] = true                       -- numeric keys are strings: t[1] is t["1"]
//! rcu.map(t, function(k, v) print(k, v) end)
//! ```
//!
//! Layout and invariants:
//! - A table is an array of `2^k` bucket heads (`kvcalloc`), each the start of a singly
//!   linked list of entries. An entry is the value of a `Ref<Entry>` block, and every link
//!   (a bucket head or an entry's `next`) holds one reference, "the list's reference", to
//!   the entry it points to.
//! - Readers walk a list inside an RCU read section with acquire loads, taking no lock.
//!   Writers take the table's spin lock (irqsave: hardirq runtimes write too), build a new
//!   entry completely before publishing it with a release store, and never change a
//!   published entry except its `next` link.
//! - Unlinking an entry leaves its `next` as it was, so a reader standing on it walks on.
//!   The list's reference to it is dropped by an RCU callback ([`lunatik_rs_rcu_free`]),
//!   after every read section that could have reached it has ended; until then its count
//!   cannot fall to 0, so a reader may take its own reference with a plain increment.
//! - Dropping the table frees its entries at once: a reader holds a reference to the
//!   table, so none can be inside it then.
//! - Entries may hold the last reference to a runtime or a thread, and may be freed in
//!   softirq (the callback) or under a hardirq runtime's lock: their objects are dropped
//!   through `defer::drop_where_sleepable`. Module exit waits for pending callbacks
//!   ([`barrier`]) before the code they run goes away.

use core::any::Any;
use core::cell::{Cell, UnsafeCell};
use core::ffi::c_void;
use core::marker::PhantomData;
use core::mem::{offset_of, ManuallyDrop};
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::gc::Gc;
use lua::lstr::LStr;
use lua::tvec::TryVec;
use lua::userdata::UserData;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::alloc::{try_vec_from_slice, Gfp};
use crate::class::Class;
use crate::error::{Error, Result};
use crate::ffi;
use crate::object::{self, Object, Refusal};
use crate::refcount::Ref;
use crate::shared::{Shared, Unshareable};
use crate::sync::SpinLockIrq;

/// Buckets of `rcu.table()` without an argument, and of `lunatik._ENV`.
const DEFAULT_BUCKETS: usize = 256;

/// Keys are shorter than this many bytes (C Lunatik's `LUARCU_MAXKEY`).
const MAX_KEY: usize = 256;

/// One key and its value, linked into a bucket's list.
///
/// # Invariants
/// `head` is only written by the RCU core, once `call_rcu` got it, after the entry was
/// unlinked; nothing reads it in Rust. `key` and `value` never change once the entry is
/// published.
#[repr(C)]
struct Entry {
    /// The `struct rcu_head` of `call_rcu`, as opaque 8-aligned bytes.
    head: UnsafeCell<[u64; ffi::RCU_HEAD_SIZE / 8]>,
    /// The next entry of the bucket (null: the last), from `Ref::into_raw`.
    next: AtomicPtr<Entry>,
    key: Vec<u8>,
    value: Shared,
}

// SAFETY: `head` is written by the RCU core alone, after the entry left every list (type
// invariant), and never read by Rust; every other field is immutable once published, or
// atomic (`next`).
unsafe impl Sync for Entry {}

impl Entry {
    fn head(&self) -> *mut ffi::RcuHead {
        self.head.get().cast()
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        // The last reference to a runtime or a thread must go where sleeping is allowed,
        // and entries are freed in RCU callbacks (softirq) and by readers in any context.
        // Deferring the whole object (not only, as a runtime does itself, its state) also
        // keeps a runtime alive while its state closes, for finalizers that look it up.
        if let Shared::Object(_) = self.value {
            let object = core::mem::replace(&mut self.value, Shared::Nil);
            crate::defer::drop_where_sleepable(object);
        }
    }
}

/// The RCU callback: drops the list's reference to an unlinked entry, once no reader can
/// reach it any more.
///
/// # Safety
/// `head` is the `head` of an entry that was unlinked and handed to `lk_call_rcu` once.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_rcu_free(head: *mut ffi::RcuHead) {
    let entry = head
        .cast::<u8>()
        .wrapping_sub(offset_of!(Entry, head))
        .cast::<Entry>();
    // SAFETY: `head` lies in an entry whose link came from `Ref::into_raw` (contract); the
    // writer that unlinked it gave the list's reference to this callback.
    drop(unsafe { Ref::from_raw(entry) });
}

/// Waits for every queued RCU callback (`rcu_barrier`). Process context; module exit.
pub(crate) fn barrier() {
    // SAFETY: module exit runs in process context, where `rcu_barrier` may sleep.
    unsafe { ffi::lk_rcu_barrier() };
}

/// An RCU read section: while it lives, no entry reached through a link is freed.
struct ReadSection {
    _not_send: PhantomData<*mut ()>,
}

impl ReadSection {
    fn enter() -> Self {
        // SAFETY: `rcu_read_lock` nests and may be taken in any context; `Drop` ends it on
        // the same task (the section is `!Send`).
        unsafe { ffi::lk_rcu_read_lock() };
        ReadSection {
            _not_send: PhantomData,
        }
    }
}

impl Drop for ReadSection {
    fn drop(&mut self) {
        // SAFETY: ends the section `enter` began. Nothing in a section sleeps: readers
        // neither allocate nor call Lua inside one.
        unsafe { ffi::lk_rcu_read_unlock() };
    }
}

/// Follows a link inside a read section (`rcu_dereference`).
///
/// An acquire load: it orders the reads of the entry after the load of its address, as the
/// writer's release store ordered the entry's initialisation before publishing it. The
/// kernel's `rcu_dereference` relies on the address dependency instead and so needs no
/// barrier on any CPU but Alpha; on x86 (total store order) an acquire load is a plain
/// `mov` too, so this costs nothing more. (Rust has no usable `Consume` ordering.)
fn dereference<'r>(link: &AtomicPtr<Entry>, _rcu: &'r ReadSection) -> Option<&'r Entry> {
    // SAFETY: a link is null or points to an entry that the list holds a reference to;
    // the reference is dropped after a grace period, which cannot end while `_rcu` lives.
    unsafe { link.load(Ordering::Acquire).as_ref() }
}

/// The bucket heads of a table.
///
/// # Invariants
/// `heads` points to `count` zero-initialised (null) `AtomicPtr`s from `lk_kvcalloc`, freed
/// only by `Drop`; `count` is a power of two.
struct Buckets {
    heads: NonNull<AtomicPtr<Entry>>,
    count: usize,
}

// SAFETY: the heads are atomics, and the entries they reach are `Send + Sync`.
unsafe impl Send for Buckets {}
// SAFETY: as above.
unsafe impl Sync for Buckets {}

impl Buckets {
    /// `count` (a power of two) empty buckets, allocated as the context allows.
    ///
    /// # Errors
    /// `ENOMEM`.
    fn new(count: usize) -> Result<Self> {
        let atomic = Gfp::current() == Gfp::Atomic;
        // SAFETY: `lk_kvcalloc` checks `count * size` for overflow and returns NULL when
        // it cannot serve the array.
        let heads = unsafe { ffi::lk_kvcalloc(count, size_of::<AtomicPtr<Entry>>(), atomic) };
        let heads = NonNull::new(heads.cast::<AtomicPtr<Entry>>()).ok_or(Error::ENOMEM)?;
        // INVARIANT: zeroed memory is `count` null `AtomicPtr`s; the callers pass a power
        // of two.
        Ok(Buckets { heads, count })
    }

    /// The head of the bucket of `hash`.
    fn head(&self, hash: u64) -> &AtomicPtr<Entry> {
        let i = (hash as usize) & (self.count - 1);
        // SAFETY: `i < count` (a power of two, so the mask keeps `i` below it), and the
        // array lives as long as `self`.
        unsafe { &*self.heads.as_ptr().add(i) }
    }

    /// Every head, in order.
    fn all(&self) -> &[AtomicPtr<Entry>] {
        // SAFETY: `count` initialised heads (type invariant), living as long as `self`.
        unsafe { core::slice::from_raw_parts(self.heads.as_ptr(), self.count) }
    }
}

impl Drop for Buckets {
    fn drop(&mut self) {
        for head in self.all() {
            let mut next = head.swap(ptr::null_mut(), Ordering::Relaxed);
            while !next.is_null() {
                // SAFETY: every link holds the list's reference to its entry, taken back
                // here exactly once; no reader is inside the table (module invariants).
                let entry = unsafe { Ref::from_raw(next) };
                next = entry.next.load(Ordering::Relaxed);
                drop(entry);
            }
        }
        // SAFETY: the array came from `lk_kvcalloc` (type invariant) and is freed once.
        // `kvfree` of a vmalloc'd array may sleep: a table is dropped where sleeping is
        // allowed (see `SharedTable::drop`).
        unsafe { ffi::lk_kvfree(self.heads.as_ptr().cast::<c_void>()) };
    }
}

/// A hash table of shared values keyed by strings.
pub(crate) struct SharedTable {
    buckets: ManuallyDrop<Buckets>,
    /// A random seed per table, so that scripts cannot pick keys that collide in advance.
    seed: u64,
    /// Serialises writers; readers never take it.
    writer: SpinLockIrq<()>,
    /// Entries linked, for the size of `rcu.map`'s snapshot.
    entries: AtomicUsize,
}

/// What a read found.
enum Found {
    Nil,
    /// A scalar or an object: copied out of the read section.
    Value(Shared),
    /// A string: the entry, kept alive so that the bytes can be copied outside.
    Str(Ref<Entry>),
}

impl SharedTable {
    /// An empty table of at least `buckets` buckets (rounded up to a power of two).
    ///
    /// # Errors
    /// `ENOMEM`, also for a count whose array cannot be allocated.
    pub(crate) fn new(buckets: usize) -> Result<Ref<SharedTable>> {
        let count = buckets
            .max(1)
            .checked_next_power_of_two()
            .ok_or(Error::ENOMEM)?;
        let buckets = Buckets::new(count)?;
        let table = Ref::try_new(SharedTable {
            buckets: ManuallyDrop::new(buckets),
            // SAFETY: `get_random_u64` may be called in any context but NMI.
            seed: unsafe { ffi::lk_random_u64() },
            writer: SpinLockIrq::new(())?,
            entries: AtomicUsize::new(0),
        })?;
        live_add(&table)?;
        Ok(table)
    }

    /// Removes every entry (module exit: breaks reference cycles between tables).
    fn clear(&self) {
        let Ok(entries) = self.snapshot() else {
            return;
        };
        for entry in entries.iter() {
            // Removing never allocates, so it cannot fail.
            let _ = self.set(&entry.key, Shared::Nil);
        }
    }

    /// FNV-1a over the key, from the table's seed, with the high half folded into the low
    /// bits the bucket mask keeps.
    fn hash(&self, key: &[u8]) -> u64 {
        let mut h = self.seed ^ 0xcbf2_9ce4_8422_2325;
        for &b in key {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h ^ (h >> 32)
    }

    /// The value of `key`. Takes no lock, never sleeps, allocates nothing.
    fn get(&self, key: &[u8]) -> Found {
        let rcu = ReadSection::enter();
        let mut link = self.buckets.head(self.hash(key));
        while let Some(entry) = dereference(link, &rcu) {
            if entry.key == key {
                return match &entry.value {
                    Shared::Nil => Found::Nil,
                    Shared::Bool(b) => Found::Value(Shared::Bool(*b)),
                    Shared::Int(i) => Found::Value(Shared::Int(*i)),
                    Shared::Float(f) => Found::Value(Shared::Float(*f)),
                    // The entry holds a reference to the object until its grace period
                    // ends, so the count is above 0: a plain increment is safe.
                    Shared::Object(o) => Found::Value(Shared::Object(o.clone())),
                    // SAFETY: `entry` came from `Ref::into_raw` (a link), and the list's
                    // reference is dropped only after `rcu` has ended.
                    Shared::Str(_) => Found::Str(unsafe { Ref::clone_raw(ptr::from_ref(entry)) }),
                };
            }
            link = &entry.next;
        }
        Found::Nil
    }

    /// Sets `key` to `value` (nil removes it). The replaced or removed entry is freed after
    /// a grace period.
    ///
    /// # Errors
    /// `ENOMEM`: the table is unchanged.
    fn set(&self, key: &[u8], value: Shared) -> Result {
        // Built before the lock, with the caller's allocation flags.
        let new = match value {
            Shared::Nil => None,
            value => Some(Ref::try_new(Entry {
                head: UnsafeCell::new([0; ffi::RCU_HEAD_SIZE / 8]),
                next: AtomicPtr::new(ptr::null_mut()),
                key: try_vec_from_slice(key)?,
                value,
            })?),
        };
        let hash = self.hash(key);
        let old = {
            let _writer = self.writer.lock();
            // Under the lock no linked entry is unlinked, so none is freed: plain loads
            // and references are safe, and `Relaxed` suffices for what only writers read.
            let mut link = self.buckets.head(hash);
            let mut found = None;
            loop {
                // SAFETY: a link is null or holds the list's reference to its entry, which
                // only a writer (holding the lock) can give up.
                match unsafe { link.load(Ordering::Relaxed).as_ref() } {
                    None => break,
                    Some(entry) if entry.key == key => {
                        found = Some(entry);
                        break;
                    }
                    Some(entry) => link = &entry.next,
                }
            }
            match (found, new) {
                (Some(old), Some(new)) => {
                    // In place, so that a walk sees either the old entry or the new one.
                    new.next
                        .store(old.next.load(Ordering::Relaxed), Ordering::Relaxed);
                    link.store(Ref::into_raw(new).cast_mut(), Ordering::Release);
                }
                (Some(old), None) => {
                    link.store(old.next.load(Ordering::Relaxed), Ordering::Release);
                    self.entries.fetch_sub(1, Ordering::Relaxed);
                }
                (None, Some(new)) => {
                    // At the head: a walk already inside the bucket does not see it, so
                    // one walk never meets a key twice.
                    let head = self.buckets.head(hash);
                    new.next
                        .store(head.load(Ordering::Relaxed), Ordering::Relaxed);
                    head.store(Ref::into_raw(new).cast_mut(), Ordering::Release);
                    self.entries.fetch_add(1, Ordering::Relaxed);
                }
                (None, None) => {}
            }
            found.map(|old| old.head())
        };
        if let Some(head) = old {
            // SAFETY: the entry left its list above and is handed over once; the callback
            // takes the list's reference back after a grace period. `call_rcu` may be
            // called in any context.
            unsafe { ffi::lk_call_rcu(head) };
        }
        Ok(())
    }

    /// The entries, each with a reference of its own. Allocates outside the read section
    /// (with the caller's flags) and retries with more room if writers added entries in
    /// between.
    ///
    /// # Errors
    /// `ENOMEM`.
    fn snapshot(&self) -> Result<Vec<Ref<Entry>>> {
        let mut room = self.entries.load(Ordering::Relaxed);
        loop {
            let mut out: Vec<Ref<Entry>> = Vec::new();
            out.try_reserve_exact(room)?;
            let complete = {
                let rcu = ReadSection::enter();
                'walk: {
                    for head in self.buckets.all() {
                        let mut link = head;
                        while let Some(entry) = dereference(link, &rcu) {
                            if out.len() == out.capacity() {
                                break 'walk false;
                            }
                            // SAFETY: as in `get`: the list's reference outlives `rcu`.
                            let entry_ref = unsafe { Ref::clone_raw(ptr::from_ref(entry)) };
                            // Within capacity: no allocation in the read section.
                            if out.try_push(entry_ref).is_err() {
                                break 'walk false;
                            }
                            link = &entry.next;
                        }
                    }
                    true
                }
            };
            if complete {
                return Ok(out);
            }
            room = room
                .saturating_mul(2)
                .max(self.entries.load(Ordering::Relaxed))
                .max(8);
        }
    }
}

impl Drop for SharedTable {
    fn drop(&mut self) {
        live_remove(self);
        // SAFETY: `buckets` is not used after this.
        let buckets = unsafe { ManuallyDrop::take(&mut self.buckets) };
        // `kvfree` of a vmalloc'd array may sleep, and entries may hold last references.
        crate::defer::drop_where_sleepable(buckets);
    }
}

/// The class of shared tables (C Lunatik's `rcu`: no methods, not monitored).
pub(crate) static TABLE: Class = Class {
    name: "rcu",
    methods: &[],
    metamethods: &[(b"__index", table_index), (b"__newindex", table_newindex)],
    atomic: true,
};

impl Object for SharedTable {
    fn class(&self) -> &'static Class {
        &TABLE
    }
}

/// The table userdata `u` holds, borrowed without taking a reference: the caller keeps
/// `u` rooted (it is an argument of the running native).
fn table_of(u: &Gc<UserData>) -> Option<&SharedTable> {
    let object: &Ref<dyn Object> = u.downcast_ref()?;
    let any: &dyn Any = &**object;
    any.downcast_ref::<SharedTable>()
}

/// Runs `f` on the table that is argument 1.
///
/// # Errors
/// `bad argument #1 to 'f' (rcu expected, got <type>)`, `(invalid object)` for another
/// userdata, and `f`'s.
fn with_table(
    cx: &mut Ctx<'_>,
    f: impl FnOnce(&mut Ctx<'_>, &SharedTable) -> LuaResult<Ret>,
) -> LuaResult<Ret> {
    let Value::UserData(u) = cx.arg(1) else {
        return Err(cx.type_error(1, TABLE.name));
    };
    match table_of(&u) {
        Some(table) => f(cx, table),
        // A userdata of another class, or with rcu's metatable put on it.
        None => Err(cx.arg_error(1, format_args!("invalid object"))),
    }
}

/// `not enough memory`, at the caller's position (C Lunatik's `luaL_error`).
fn no_memory(cx: &mut Ctx<'_>) -> lua::Error {
    cx.error(format_args!("not enough memory"))
}

/// Argument `i` as a key: a string, or a number in its string form; a float with an
/// integral value is the integer first, so `t[1.0]` is `t[1]`, as in Lua tables.
fn key_arg(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Gc<LStr>> {
    let v = cx.arg(i);
    if let (Value::Float(_), Some(n)) = (v, lua::arith::to_integer(&v)) {
        cx.set_arg(i, Value::Int(n));
    }
    cx.check_str(i)
}

/// `t[key]`: the value of `key` (a string, or a number in its string form), nil if
/// absent; an object comes back as a new userdata.
///
/// # Errors
/// `bad argument #2 to 'index' (string expected, got <type>)`; the class guard of an
/// object (`'<class>': process-context class in interrupt-context runtime`).
fn table_index(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    with_table(cx, |cx, table| {
        let key = key_arg(cx, 2)?;
        let v = match table.get(key.as_bytes()) {
            Found::Nil => Value::Nil,
            Found::Value(value) => value.to_value(cx.lua)?,
            Found::Str(entry) => match &entry.value {
                Shared::Str(s) => cx.lua.str_value(s)?,
                _ => Value::Nil,
            },
        };
        cx.ret1(v)
    })
}

/// `t[key] = value`: sets (or, with nil, removes) `key`.
///
/// # Errors
/// `bad argument #2 to 'newindex' (string expected, got <type>)`; `not enough memory`
/// for a key of 256 bytes or more, or when allocation fails; for the value,
/// `bad argument #3 to 'newindex' (cannot share a table)` (functions, threads, light
/// userdata alike), `(invalid object)` for a userdata that is no kernel object and
/// `(cannot share SINGLE object)`.
fn table_newindex(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    with_table(cx, |cx, table| {
        let key = key_arg(cx, 2)?;
        if key.len() >= MAX_KEY {
            return Err(no_memory(cx));
        }
        let v = cx.arg(3);
        if matches!(v, Value::UserData(_)) && object::of(&v).is_none() {
            return Err(cx.arg_error(3, format_args!("invalid object")));
        }
        let value = match Shared::from_value(&v) {
            Ok(value) => value,
            Err(Unshareable::Refused(Refusal::Single(_))) => {
                return Err(cx.arg_error(3, format_args!("cannot share SINGLE object")))
            }
            Err(e) => return Err(e.raise(cx, 3)),
        };
        if table.set(key.as_bytes(), value).is_err() {
            return Err(no_memory(cx));
        }
        Ok(Ret::Values(0))
    })
}

/// `rcu.table([size])`: a new table of `size` buckets (default 256; rounded up to a power
/// of two, and at least 1).
///
/// # Errors
/// `not enough memory`, e.g. for a count whose bucket array cannot be allocated.
fn rcu_table(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let size = cx.opt_int(1, DEFAULT_BUCKETS as i64)?;
    let size = usize::try_from(size.max(1)).unwrap_or(usize::MAX);
    let table = match SharedTable::new(size) {
        Ok(table) => table,
        Err(_) => return Err(no_memory(cx)),
    };
    let v = object::push(cx.lua, table)?;
    cx.ret1(v)
}

/// The entries `rcu.map` walks, kept in a userdata on the stack between its calls.
struct Snapshot {
    entries: Cell<Vec<Ref<Entry>>>,
}

/// Stack slots of `rcu.map`: the table, the function, the snapshot.
const MAP_FN: usize = 2;
const MAP_SNAPSHOT: usize = 3;

/// `rcu.map(t, f)`: calls `f(key, value)` for each entry of a snapshot of `t`, in no
/// particular order (entries set or removed meanwhile may or may not be seen; a key that
/// stays is seen once). Each call is a continuation, not a nested call, so this works
/// within a hardirq runtime's stack budget.
///
/// # Errors
/// `bad argument #1 to 'map' (rcu expected, got <type>)`,
/// `bad argument #2 to 'map' (function expected, got <type>)`; `not enough memory`;
/// errors raised by `f` propagate.
fn rcu_map(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    with_table(cx, |cx, table| {
        if !cx.arg(MAP_FN).is_function() {
            return Err(cx.type_error(MAP_FN, "function"));
        }
        let entries = match table.snapshot() {
            Ok(entries) => entries,
            Err(_) => return Err(no_memory(cx)),
        };
        // The walk is charged to the budget like a Lua loop over the buckets and entries.
        let work = (table.buckets.count as u64).saturating_add(entries.len() as u64);
        for n in 0..work {
            cx.lua.meter(n)?;
        }
        let extra = entries.capacity() * size_of::<Ref<Entry>>();
        cx.set_top(MAP_FN)?;
        let u = cx.lua.new_userdata(
            Snapshot {
                entries: Cell::new(entries),
            },
            0,
        )?;
        cx.push(Value::UserData(u))?;
        cx.lua.set_userdata_extra::<Snapshot>(u, extra)?;
        map_call(cx, 0)
    })
}

/// Calls `f` for entry `i` of the snapshot, then [`map_next`]; frees the snapshot after
/// the last.
fn map_call(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Ret> {
    let Value::UserData(u) = cx.arg(MAP_SNAPSHOT) else {
        return Ok(Ret::Values(0));
    };
    let Some(snapshot) = u.downcast_ref::<Snapshot>() else {
        return Ok(Ret::Values(0));
    };
    let entries = snapshot.entries.take();
    let entry = entries.get(i).cloned();
    snapshot.entries.set(entries);
    let Some(entry) = entry else {
        drop(snapshot.entries.take());
        return Ok(Ret::Values(0));
    };
    let f = cx.arg(MAP_FN);
    cx.push(f)?;
    // Each value is on the stack (rooted) before the next allocation.
    let key = cx.lua.str_value(&entry.key)?;
    cx.push(key)?;
    let value = entry.value.to_value(cx.lua)?;
    cx.push(value)?;
    Ok(Ret::CallK {
        nargs: 2,
        nresults: 0,
        k: map_next,
        ctx: i + 1,
        protected: false,
    })
}

fn map_next(cx: &mut Ctx<'_>, status: LuaResult<()>, next: usize) -> LuaResult<Ret> {
    status?;
    cx.set_top(MAP_SNAPSHOT)?;
    map_call(cx, next)
}

/// Opens the `rcu` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    lua.set_field(m, b"table", Value::NativeFn(rcu_table))?;
    lua.set_field(m, b"map", Value::NativeFn(rcu_map))?;
    Ok(Value::Table(m))
}

/// `lunatik._ENV`, shared by every runtime.
static ENV: AtomicPtr<SharedTable> = AtomicPtr::new(ptr::null_mut());

/// Creates `lunatik._ENV`. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    let live = crate::alloc::try_box(SpinLockIrq::new(Vec::new())?)?;
    LIVE.store(Box::into_raw(live), Ordering::Release);
    let env = SharedTable::new(DEFAULT_BUCKETS)?;
    ENV.store(Ref::into_raw(env).cast_mut(), Ordering::Release);
    Ok(())
}

/// Drops `lunatik._ENV` (and what it holds), then waits for the entries replaced before.
/// Module exit, after every runtime stopped.
pub(crate) fn exit() {
    let env = ENV.swap(ptr::null_mut(), Ordering::AcqRel);
    if !env.is_null() {
        // SAFETY: `env` came from `Ref::into_raw` in `init`, taken back exactly once.
        drop(unsafe { Ref::from_raw(env) });
    }
    barrier();
}

/// Every table alive, so that module exit can break the cycles tables holding each other
/// (or themselves) would leak.
type Live = SpinLockIrq<Vec<usize>>;

static LIVE: AtomicPtr<Live> = AtomicPtr::new(ptr::null_mut());

fn live() -> Option<&'static Live> {
    let live = LIVE.load(Ordering::Acquire);
    // SAFETY: the list lives from `init` to `exit`, and tables are made in between.
    (!live.is_null()).then(|| unsafe { &*live })
}

fn live_add(table: &Ref<SharedTable>) -> Result {
    if let Some(live) = live() {
        live.lock().try_push(Ref::as_ptr(table) as usize)?;
    }
    Ok(())
}

fn live_remove(table: &SharedTable) {
    let Some(live) = live() else { return };
    let me = ptr::from_ref(table) as usize;
    let mut list = live.lock();
    if let Some(i) = list.iter().position(|&p| p == me) {
        list.swap_remove(i);
    }
}

/// Empties every table still alive once no runtime is left (module exit, before
/// [`exit`]): what only a cycle kept alive is then freed.
pub(crate) fn clear_all() {
    let Some(live) = live() else { return };
    // Each pass empties one table; emptying may free others, so the list is read again.
    loop {
        let next = {
            let list = live.lock();
            list.iter().find_map(|&p| {
                let raw = p as *const SharedTable;
                // SAFETY: a listed table is not freed before it leaves the list, under
                // this lock; one whose count already reached 0 is skipped.
                let table = unsafe { Ref::upgrade_raw(raw) }?;
                (table.entries.load(Ordering::Relaxed) > 0).then_some(table)
            })
        };
        let Some(table) = next else { return };
        let before = table.entries.load(Ordering::Relaxed);
        table.clear();
        let stuck = table.entries.load(Ordering::Relaxed) >= before;
        crate::defer::drop_where_sleepable(table);
        if stuck {
            // Out of memory for the snapshot: what is left leaks (and unload says so).
            return;
        }
    }
}

/// Frees the list of live tables. Module exit, once deferred drops have run.
pub(crate) fn exit_list() {
    let live = LIVE.swap(ptr::null_mut(), Ordering::AcqRel);
    if !live.is_null() {
        // SAFETY: from `Box::into_raw` in `init`, taken back once; no table is dropped
        // any more (deferred drops have run).
        drop(unsafe { Box::from_raw(live) });
    }
}

/// A new reference to `lunatik._ENV`.
///
/// # Errors
/// `ENODEV` outside load..exit.
pub(crate) fn env() -> Result<Ref<SharedTable>> {
    let env = ENV.load(Ordering::Acquire);
    if env.is_null() {
        return Err(Error::ENODEV);
    }
    // SAFETY: `env` holds the reference from `init` until `exit`.
    Ok(unsafe { Ref::clone_raw(env) })
}
