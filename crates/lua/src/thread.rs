//! Threads (coroutines): a value stack, a stack of call frames and the open upvalues.
//!
//! The stack is a `Vec<Value>` whose whole length is usable (slots past `top` hold
//! stale values or nil); `ensure` grows it, moving open upvalues along. Frames record
//! stack indices, never pointers, so a reallocation leaves them valid.

use alloc::vec::Vec;
use core::ptr::NonNull;

use crate::api::ContFn;
use crate::func::{LuaClosure, UpVal};
use crate::gc::{free_box, Gc, GcHeader, Heap};
use crate::tvec::TryVec;
use crate::value::Value;

/// Most stack slots a thread may use (`LUAI_MAXSTACK`).
pub const MAX_STACK: usize = 1_000_000;
/// Slots kept free above a native function's arguments (`LUA_MINSTACK`).
pub const MIN_STACK: usize = 20;

/// Coroutine status as `coroutine.status` reports it (plus the states the VM needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    Dead,
}

/// Frame flags.
pub mod flags {
    /// The frame was entered by a host or nested native call: returning from it ends
    /// that `execute`.
    pub const BOUNDARY: u8 = 1 << 0;
    /// A metamethod called by the VM for this (Lua) frame is pending: when the callee
    /// returns, the interrupted instruction is finished (`finish_op`).
    pub const FINISH_OP: u8 = 1 << 1;
    /// Errors raised above this frame stop here (pcall/xpcall continuations).
    pub const PROTECTED: u8 = 1 << 2;
    /// The frame was entered through a tail call (for tracebacks).
    pub const TAIL: u8 = 1 << 3;
    /// The native frame is a coroutine-resume waiting for the coroutine.
    pub const RESUMING: u8 = 1 << 4;
    /// A debug hook runs for this frame (`CIST_HOOKED`): what it calls is named `hook`.
    pub const HOOKED: u8 = 1 << 5;
    /// A finalizer runs above this frame (`CIST_FIN`): it is named `__gc`.
    pub const FINALIZING: u8 = 1 << 6;
    /// The Lua frame had its call hook, or was running when hooks were set: the trap
    /// sees a frame without it as just entered (so calls cost nothing without hooks).
    pub const CALL_HOOKED: u8 = 1 << 7;
}

/// One activation record.
#[derive(Clone, Copy)]
pub struct Frame {
    /// Stack index of the function value.
    pub func: usize,
    /// Stack index of the first register (Lua) or first argument (native).
    pub base: usize,
    /// Saved program counter (Lua frames): index of the next instruction.
    pub pc: usize,
    /// Results the caller wants; -1 for all.
    pub nresults: i32,
    /// Extra arguments of a vararg function, stored below `base`.
    pub nextra: u32,
    pub flags: u8,
    /// Arguments inserted before the original ones by `__call` metamethods (`getinfo`'s
    /// `extraargs`).
    pub extra_args: u8,
    /// The Lua closure, for Lua frames.
    pub closure: Option<Gc<LuaClosure>>,
    /// Continuation of a native frame waiting for a call it requested.
    pub k: Option<ContFn>,
    pub ctx: usize,
    /// Message handler slot (xpcall), or 0.
    pub handler: usize,
}

impl Frame {
    #[inline(always)]
    pub fn is_lua(&self) -> bool {
        self.closure.is_some()
    }
}

/// Slots past `MAX_STACK` lent to a thread that overflowed, for its message handler
/// (PUC's `STACKERRSPACE`).
pub const ERROR_ZONE: usize = 200;

/// A Lua thread.
pub struct Thread {
    pub(crate) stack: Vec<Value>,
    /// First free slot.
    pub(crate) top: usize,
    pub(crate) frames: Vec<Frame>,
    /// Open upvalues, highest level first.
    pub(crate) open_upvals: Option<Gc<UpVal>>,
    /// Stack slots of pending to-be-closed variables, in creation order.
    pub(crate) tbc: Vec<usize>,
    pub(crate) status: CoStatus,
    /// The thread that resumed this one, while it runs.
    pub(crate) resumer: Option<Gc<Thread>>,
    /// Nested `execute` calls that this thread's frames sit under: yielding is only
    /// possible when zero.
    pub(crate) non_yieldable: u32,
    /// Error object of a coroutine that died by error (kept for `coroutine.close`).
    pub(crate) error: Option<Value>,
    /// Native frames of this thread waiting on what they asked for (a call, a resume,
    /// a yield with a continuation): those with `k` set. With `inherited` and the
    /// state's nested calls, this is PUC's C-call count (`nCcalls`).
    pub(crate) waiting: u32,
    /// The resumer chain's count when this coroutine was last resumed.
    pub(crate) inherited: u32,
    /// The last stack overflow happened in the error zone (while handling one).
    pub(crate) overflow_in_zone: bool,
    /// Set when the coroutine closed itself: it is unwinding (as an uncatchable
    /// abort, over `pcall`s and native calls) to end with this error, or none (nil).
    pub(crate) exit: Option<Value>,
    /// Debug hooks of this thread (`debug.sethook`).
    pub(crate) hooks: crate::lib_debug::Hooks,
}

impl Thread {
    pub(crate) fn new() -> Thread {
        Thread {
            stack: Vec::new(),
            top: 0,
            frames: Vec::new(),
            open_upvals: None,
            tbc: Vec::new(),
            status: CoStatus::Suspended,
            resumer: None,
            non_yieldable: 0,
            error: None,
            waiting: 0,
            inherited: 0,
            overflow_in_zone: false,
            exit: None,
            hooks: crate::lib_debug::Hooks::default(),
        }
    }

    /// Sets the continuation of the top frame, keeping `waiting` in step.
    #[inline]
    pub(crate) fn set_k(&mut self, k: Option<ContFn>, ctx: usize) {
        if let Some(f) = self.frames.last_mut() {
            self.waiting = (self.waiting + k.is_some() as u32).saturating_sub(f.k.is_some() as u32);
            f.k = k;
            f.ctx = ctx;
        }
    }

    /// Takes the continuation of the top frame, keeping `waiting` in step.
    #[inline]
    pub(crate) fn take_k(&mut self) -> Option<ContFn> {
        let k = self.frames.last_mut()?.k.take();
        self.waiting = self.waiting.saturating_sub(k.is_some() as u32);
        k
    }

    /// Pops the frames from index `depth` on.
    pub(crate) fn truncate_frames(&mut self, depth: usize) {
        if let Some(gone) = self.frames.get(depth..) {
            let n = gone.iter().filter(|f| f.k.is_some()).count() as u32;
            self.waiting = self.waiting.saturating_sub(n);
            self.frames.truncate(depth);
        }
    }

    /// Bytes held outside the box.
    pub(crate) fn buffer_bytes(&self) -> usize {
        self.stack.capacity() * core::mem::size_of::<Value>()
            + self.frames.capacity() * core::mem::size_of::<Frame>()
            + self.tbc.capacity() * core::mem::size_of::<usize>()
    }

    /// Makes sure slots `..top + n` exist.
    ///
    /// # Errors
    /// `Err(true)` for "stack overflow" (past `MAX_STACK`), `Err(false)` for memory.
    #[inline]
    pub(crate) fn ensure(&mut self, heap: &Heap, n: usize) -> Result<(), bool> {
        let need = self.top.checked_add(n).ok_or(true)?;
        if need <= self.stack.len() {
            return Ok(());
        }
        self.grow(heap, need)
    }

    /// Makes sure slots `..end` exist.
    #[inline]
    pub(crate) fn ensure_slots(&mut self, heap: &Heap, end: usize) -> Result<(), bool> {
        if end <= self.stack.len() {
            return Ok(());
        }
        self.grow(heap, end)
    }

    #[cold]
    fn grow(&mut self, heap: &Heap, need: usize) -> Result<(), bool> {
        if need > MAX_STACK {
            // The first overflow lends the error zone, so that a message handler can
            // run; one inside it is an error in error handling (`stack_error`).
            self.overflow_in_zone = self.stack.len() > MAX_STACK;
            if !self.overflow_in_zone {
                let _ = self.resize(heap, MAX_STACK + ERROR_ZONE);
            }
            return Err(true);
        }
        self.resize(heap, need)
    }

    /// Gives the error zone back once the error that used it was handled, unless a
    /// live frame still reaches into it (a `pcall` inside the message handler).
    pub(crate) fn leave_error_zone(&mut self, heap: &Heap) {
        if self.stack.len() <= MAX_STACK {
            return;
        }
        let extent = self.frames.iter().fold(self.top, |m, f| match f.closure {
            Some(cl) => m.max(f.base + cl.proto.max_stack as usize + 1),
            None => m,
        });
        // Room for a native call from the top frame too (its `MIN_STACK` slots).
        if extent + MIN_STACK <= MAX_STACK {
            heap.release((self.stack.len() - MAX_STACK) * core::mem::size_of::<Value>());
            self.stack.truncate(MAX_STACK);
        }
    }

    fn resize(&mut self, heap: &Heap, need: usize) -> Result<(), bool> {
        // Not `clamp`: it panics when its bounds cross, and this code must not panic.
        #[allow(clippy::manual_clamp)]
        let new_len = need
            .max(self.stack.len() * 2)
            .max(2 * MIN_STACK)
            .min(MAX_STACK.max(need));
        let old_ptr = self.stack.as_ptr();
        let old_cap = self.stack.capacity();
        let extra = new_len - self.stack.len();
        heap.charge(extra * core::mem::size_of::<Value>())
            .map_err(|_| false)?;
        if self.stack.try_resize(new_len, Value::Nil).is_err() {
            heap.release(extra * core::mem::size_of::<Value>());
            return Err(false);
        }
        // Account for over-allocation by the vector, if any.
        let cap_delta = self.stack.capacity().saturating_sub(old_cap + extra);
        let _ = heap.charge(cap_delta * core::mem::size_of::<Value>());
        if !core::ptr::eq(old_ptr, self.stack.as_ptr()) {
            self.fix_upvalues();
        }
        Ok(())
    }

    /// Re-points open upvalues after the stack moved.
    fn fix_upvalues(&mut self) {
        let base = self.stack.as_mut_ptr();
        let mut cur = self.open_upvals;
        while let Some(uv) = cur {
            // SAFETY: `level` is an index below `stack.len()` (open upvalues are only
            // created for live slots and closed before the stack shrinks).
            uv.v.set(unsafe { base.add(uv.level.get()) });
            cur = uv.open_next.get();
        }
    }

    /// Pushes a frame.
    #[inline(always)]
    pub(crate) fn push_frame(&mut self, heap: &Heap, f: Frame) -> Result<(), ()> {
        if self.frames.len() == self.frames.capacity() {
            self.grow_frames(heap)?;
        }
        self.frames.try_push(f).map_err(|_| ())
    }

    #[cold]
    fn grow_frames(&mut self, heap: &Heap) -> Result<(), ()> {
        let before = self.frames.capacity();
        self.frames
            .try_reserve(self.frames.len().max(8))
            .map_err(|_| ())?;
        let grown = (self.frames.capacity() - before) * core::mem::size_of::<Frame>();
        if heap.charge(grown).is_err() {
            // Keep the reservation (it is accounted when freed) but report the limit.
            heap.release(0);
            return Err(());
        }
        Ok(())
    }

    /// Finds or creates the open upvalue for stack slot `level`.
    pub(crate) fn find_upval(
        &mut self,
        heap: &Heap,
        level: usize,
    ) -> Result<Gc<UpVal>, crate::tvec::AllocError> {
        let mut prev: Option<Gc<UpVal>> = None;
        let mut cur = self.open_upvals;
        while let Some(uv) = cur {
            let l = uv.level.get();
            if l == level {
                return Ok(uv);
            }
            if l < level {
                break;
            }
            prev = Some(uv);
            cur = uv.open_next.get();
        }
        let slot: *mut Value = match self.stack.get_mut(level) {
            Some(s) => s,
            None => return Err(crate::tvec::AllocError),
        };
        let uv = heap.alloc_box(
            crate::gc::Kind::UpVal,
            UpVal {
                v: core::cell::Cell::new(slot),
                closed: core::cell::Cell::new(Value::Nil),
                level: core::cell::Cell::new(level),
                open_next: core::cell::Cell::new(cur),
            },
            0,
        )?;
        match prev {
            Some(p) => p.open_next.set(Some(uv)),
            None => self.open_upvals = Some(uv),
        }
        Ok(uv)
    }

    /// Closes every open upvalue at or above `level`.
    pub(crate) fn close_upvals(&mut self, heap: &Heap, level: usize) {
        while let Some(uv) = self.open_upvals {
            if uv.level.get() < level {
                break;
            }
            uv.close();
            // The upvalue may have been traversed while its slot held another value.
            crate::collect::barrier_upval(heap, uv, &uv.get());
            self.open_upvals = uv.open_next.get();
            uv.open_next.set(None);
        }
    }

    /// Value at a stack index (nil past the end).
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Value {
        match self.stack.get(i) {
            // SAFETY: a reference to a live slot.
            Some(v) => unsafe { crate::value::load_value(v) },
            None => Value::Nil,
        }
    }

    /// Stores into a stack index (ignored past the end; callers ensure room first).
    #[inline(always)]
    pub(crate) fn set(&mut self, i: usize, v: Value) {
        if let Some(s) = self.stack.get_mut(i) {
            *s = v;
        }
    }

    /// Pushes a value, growing the stack if needed.
    #[inline]
    pub(crate) fn push(&mut self, heap: &Heap, v: Value) -> Result<(), bool> {
        self.ensure(heap, 1)?;
        self.set(self.top, v);
        self.top += 1;
        Ok(())
    }
}

/// Frees a dead thread.
///
/// # Safety
/// `h` is an unreachable thread.
pub(crate) unsafe fn free(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract. Its open upvalues were closed when the collector found
    // it unreachable (`collect::close_dead_threads`), so none points into this stack.
    let t = unsafe { Gc::<Thread>::from_header(h) };
    heap.release(t.buffer_bytes());
    // SAFETY: per the contract.
    unsafe { free_box::<Thread>(heap, h, 0) };
}
