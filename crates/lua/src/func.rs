//! Functions: collected prototypes, Lua closures, native closures and upvalues.
//!
//! An upvalue is *open* while the variable it captures is still in a stack slot: `v`
//! points into the owning thread's stack. The thread keeps its open upvalues in a list
//! sorted by stack level (highest first), so a closure creation finds or creates the
//! shared upvalue, and leaving a block closes every upvalue above a level: the value is
//! copied into `closed` and `v` is redirected to it. When a thread's stack is
//! reallocated, `Thread::fix_upvalues` moves the open pointers along.

use alloc::vec::Vec;
use core::cell::Cell;
use core::ptr::NonNull;

use crate::api::NativeFn;
use crate::gc::{free_box, Gc, GcHeader, Heap};
use crate::lstr::LStr;
use crate::opcode::Instruction;
use crate::proto::LocalVar;
use crate::value::Value;

/// How a closure finds an upvalue at creation: a register of the enclosing function or
/// one of its upvalues.
#[derive(Clone, Copy, Debug)]
pub struct UpvalInfo {
    pub in_stack: bool,
    pub index: u8,
}

/// A function prototype in the heap.
pub struct FnProto {
    pub code: Vec<Instruction>,
    pub constants: Vec<Value>,
    pub protos: Vec<Gc<FnProto>>,
    pub upvals: Vec<UpvalInfo>,
    pub num_params: u8,
    pub is_vararg: bool,
    pub max_stack: u8,
    pub source: Gc<LStr>,
    pub line_defined: u32,
    pub last_line_defined: u32,
    pub lines: Vec<u32>,
    pub locals: Vec<LocalVar>,
    pub upval_names: Vec<Vec<u8>>,
}

impl FnProto {
    /// Bytes held outside the box (for accounting).
    pub(crate) fn buffer_bytes(&self) -> usize {
        use core::mem::size_of;
        self.code.capacity() * size_of::<Instruction>()
            + self.constants.capacity() * size_of::<Value>()
            + self.protos.capacity() * size_of::<Gc<FnProto>>()
            + self.upvals.capacity() * size_of::<UpvalInfo>()
            + self.lines.capacity() * size_of::<u32>()
            + self
                .locals
                .iter()
                .map(|l| l.name.capacity() + size_of::<LocalVar>())
                .sum::<usize>()
            + self
                .upval_names
                .iter()
                .map(|n| n.capacity() + size_of::<Vec<u8>>())
                .sum::<usize>()
    }

    /// Source line of the instruction at `pc`.
    pub fn line_at(&self, pc: usize) -> Option<u32> {
        self.lines.get(pc).copied()
    }

    /// Name of the `n`-th (1-based) local variable active at `pc` (`luaF_getlocalname`).
    pub fn local_name(&self, mut n: usize, pc: usize) -> Option<&[u8]> {
        for l in self.locals.iter() {
            if l.start_pc as usize > pc {
                break;
            }
            if pc < l.end_pc as usize {
                n = n.checked_sub(1)?;
                if n == 0 {
                    return Some(&l.name);
                }
            }
        }
        None
    }
}

/// A Lua function value.
pub struct LuaClosure {
    pub proto: Gc<FnProto>,
    pub upvals: Vec<Gc<UpVal>>,
}

/// A native function with upvalues.
pub struct NativeClosure {
    pub f: NativeFn,
    pub upvals: Vec<Value>,
}

/// A captured variable.
pub struct UpVal {
    /// Where the value is: a stack slot while open, `closed` once closed.
    pub(crate) v: Cell<*mut Value>,
    pub(crate) closed: Cell<Value>,
    /// Stack index of the captured slot while open.
    pub(crate) level: Cell<usize>,
    /// Next open upvalue of the same thread (lower level).
    pub(crate) open_next: Cell<Option<Gc<UpVal>>>,
}

impl UpVal {
    #[inline(always)]
    pub fn get(&self) -> Value {
        // SAFETY: `v` points to the live stack slot (open) or to `closed`.
        unsafe { *self.v.get() }
    }

    #[inline(always)]
    pub fn set(&self, v: Value) {
        // SAFETY: as in `get`.
        unsafe { *self.v.get() = v }
    }

    #[inline(always)]
    pub fn is_open(&self) -> bool {
        !core::ptr::eq(self.v.get(), self.closed.as_ptr())
    }

    /// Copies the value in and points `v` at it.
    pub(crate) fn close(&self) {
        self.closed.set(self.get());
        self.v.set(self.closed.as_ptr());
    }
}

/// Frees a dead prototype.
///
/// # Safety
/// `h` is an unreachable prototype.
pub(crate) unsafe fn free_proto(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract.
    let p = unsafe { Gc::<FnProto>::from_header(h) };
    heap.release(p.buffer_bytes());
    // SAFETY: per the contract; allocated without extra bytes.
    unsafe { free_box::<FnProto>(heap, h, 0) };
}

/// Frees a dead Lua closure.
///
/// # Safety
/// `h` is an unreachable Lua closure.
pub(crate) unsafe fn free_lua_closure(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract.
    let c = unsafe { Gc::<LuaClosure>::from_header(h) };
    heap.release(c.upvals.capacity() * core::mem::size_of::<Gc<UpVal>>());
    // SAFETY: per the contract.
    unsafe { free_box::<LuaClosure>(heap, h, 0) };
}

/// Frees a dead native closure.
///
/// # Safety
/// `h` is an unreachable native closure.
pub(crate) unsafe fn free_native_closure(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract.
    let c = unsafe { Gc::<NativeClosure>::from_header(h) };
    heap.release(c.upvals.capacity() * core::mem::size_of::<Value>());
    // SAFETY: per the contract.
    unsafe { free_box::<NativeClosure>(heap, h, 0) };
}

/// Frees a dead upvalue.
///
/// # Safety
/// `h` is an unreachable, closed upvalue.
pub(crate) unsafe fn free_upval(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract.
    unsafe { free_box::<UpVal>(heap, h, 0) };
}
