//! The `fifo` module: byte-stream queues (as the kernel's kfifo), shared between runtimes.
//!
//! ```lua
//! local fifo = require("fifo")
//! local q = fifo.new(64)   -- capacity rounded up to a power of two
//! q:push("abc")            -- all or nothing: "not enough space"
//! local s, n = q:pop(2)    -- "ab", 2; "", 0 when empty
//! q:close()                -- frees the buffer now; later use is an error
//! ```
//! Every method works in every context and never sleeps; each takes the queue's lock, so
//! a producer and a consumer in different runtimes are safe.

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::object::{self, Monitor, Object};
use crate::refcount::Ref;

/// A ring of `bytes.len()` (a power of two) bytes holding `len` bytes from `head`.
struct Ring {
    bytes: Vec<u8>,
    head: usize,
    len: usize,
}

impl Ring {
    fn capacity(&self) -> usize {
        self.bytes.len()
    }

    /// Appends all of `src`, or nothing if it does not fit.
    fn push(&mut self, src: &[u8]) -> bool {
        if self.capacity() - self.len < src.len() {
            return false;
        }
        let mask = self.capacity() - 1;
        let tail = (self.head + self.len) & mask;
        let first = src.len().min(self.capacity() - tail);
        let (a, b) = src.split_at(first);
        if let Some(dst) = self.bytes.get_mut(tail..tail + a.len()) {
            dst.copy_from_slice(a);
        }
        if let Some(dst) = self.bytes.get_mut(..b.len()) {
            dst.copy_from_slice(b);
        }
        self.len += src.len();
        true
    }

    /// Moves up to `max` bytes into `out`, which has room for them.
    fn pop(&mut self, out: &mut Vec<u8>, max: usize) {
        let n = self.len.min(max);
        let first = n.min(self.capacity() - self.head);
        for range in [self.head..self.head + first, 0..n - first] {
            if let Some(src) = self.bytes.get(range) {
                // Within the reserved capacity: does not allocate.
                let _ = out.try_extend_from_slice(src);
            }
        }
        self.head = (self.head + n) & (self.capacity() - 1);
        self.len -= n;
    }
}

/// A fifo object; `None` once closed.
pub(crate) struct Fifo {
    ring: Monitor<Option<Ring>>,
}

impl Object for Fifo {
    fn class(&self) -> &'static Class {
        &FIFO
    }
}

/// The class of fifo objects.
pub(crate) static FIFO: Class = Class {
    name: "fifo",
    methods: &[(b"push", push), (b"pop", pop), (b"close", close)],
    metamethods: &[(b"__close", close)],
    atomic: true,
};

/// Opens the `fifo` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"new", new)])
}

/// Largest capacity (kfifo counts in `unsigned int`).
const MAX_CAPACITY: u64 = 1 << 31;

/// `fifo.new(size)`: fails with `failed to allocate kfifo (<errno>)` as C Lunatik.
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let size = cx.check_int(1)?;
    let capacity = match u64::try_from(size) {
        Ok(n) if n >= 2 => n.checked_next_power_of_two().filter(|&c| c <= MAX_CAPACITY),
        _ => return Err(cx.error(format_args!("failed to allocate kfifo (-22)"))),
    };
    let mut bytes = Vec::new();
    let ok = capacity.is_some_and(|c| bytes.try_resize(c as usize, 0u8).is_ok());
    if !ok {
        return Err(cx.error(format_args!("failed to allocate kfifo (-12)")));
    }
    let n = bytes.len();
    let ring = Ring {
        bytes,
        head: 0,
        len: 0,
    };
    let ring = Monitor::new(&FIFO, false, Some(ring)).map_err(|_| lua::Error::Memory)?;
    let q = object::new(cx.lua, Fifo { ring })?;
    cx.push(q)?;
    if let Value::UserData(u) = q {
        cx.lua.set_userdata_extra::<Ref<dyn Object>>(u, n)?;
    }
    Ok(Ret::Values(1))
}

/// The fifo of argument 1; its argument errors read as C Lunatik's monitored methods.
fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Fifo>> {
    let q = object::check::<Fifo>(cx, 1, &FIFO)?;
    cx.report_as(name);
    Ok(q)
}

fn closed(cx: &mut Ctx<'_>) -> lua::Error {
    cx.arg_error(1, format_args!("null pointer dereference"))
}

/// `q:push(s)`.
fn push(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let q = this(cx, "push")?;
    let s = cx.check_str(2)?;
    match q
        .ring
        .with(|ring| ring.as_mut().map(|r| r.push(s.as_bytes())))
    {
        Some(true) => Ok(Ret::Values(0)),
        Some(false) => Err(cx.arg_error(2, format_args!("not enough space"))),
        None => Err(closed(cx)),
    }
}

/// `q:pop(n)`: up to `n` bytes and their count.
fn pop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let q = this(cx, "pop")?;
    let n = cx.check_int(2)?;
    let Some(capacity) = q.ring.with(|ring| ring.as_ref().map(Ring::capacity)) else {
        return Err(closed(cx));
    };
    // The result's buffer is allocated before taking the lock.
    let max = usize::try_from(n).unwrap_or(0).min(capacity);
    let mut out = lua::tvec::try_with_capacity(max)?;
    if q.ring
        .with(|ring| ring.as_mut().map(|r| r.pop(&mut out, max)))
        .is_none()
    {
        return Err(closed(cx));
    }
    let s = cx.lua.str_value(&out)?;
    cx.push(s)?;
    cx.push(Value::Int(out.len() as i64))?;
    Ok(Ret::Values(2))
}

/// `q:close()`, `__close`: frees the buffer now.
fn close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let q = object::check::<Fifo>(cx, 1, &FIFO)?;
    let ring = q.ring.with(Option::take);
    drop(ring);
    Ok(Ret::Values(0))
}
