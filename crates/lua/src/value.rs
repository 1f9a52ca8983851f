//! Lua values: a 16-byte tagged union of the basic types (§2.1 of the manual).

use crate::api::NativeFn;
use crate::func::{LuaClosure, NativeClosure};
use crate::gc::Gc;
use crate::lstr::LStr;
use crate::table::Table;
use crate::thread::Thread;
use crate::userdata::UserData;

/// A Lua value. Collectable variants hold a `Gc` handle.
///
/// `repr(C, u64)`: the tag fills the first word and every payload the second, so a copy
/// is two whole-word moves. With the default layout (a tag byte, a `bool` payload at
/// offset 1) the compiler copied values as fifteen overlapping bytes, which stalled
/// store forwarding on every register move (measured: 2x on method-call workloads).
#[derive(Clone, Copy, Default)]
#[repr(C, u64)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Gc<LStr>),
    Table(Gc<Table>),
    LuaFn(Gc<LuaClosure>),
    /// A native function without upvalues ("light C function").
    NativeFn(NativeFn),
    NativeClosure(Gc<NativeClosure>),
    UserData(Gc<UserData>),
    LightUserData(usize),
    Thread(Gc<Thread>),
    /// A removed table key whose object may be gone: compared by address only, never
    /// visible to Lua (see table.rs).
    DeadKey(usize),
}

const _: () = assert!(core::mem::size_of::<Value>() == 16); // SAFETY-PANIC: evaluated at compile time; a wrong size fails the build, never a running kernel

/// Basic type tags, in the order of `lua_type` (LUA_TNIL ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Nil,
    Boolean,
    LightUserData,
    Number,
    String,
    Table,
    Function,
    UserData,
    Thread,
}

impl Type {
    /// The name `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            Type::Nil => "nil",
            Type::Boolean => "boolean",
            Type::LightUserData | Type::UserData => "userdata",
            Type::Number => "number",
            Type::String => "string",
            Type::Table => "table",
            Type::Function => "function",
            Type::Thread => "thread",
        }
    }
}

impl core::fmt::Debug for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => write!(
                f,
                "{:?}",
                core::str::from_utf8(s.as_bytes()).unwrap_or("<bytes>")
            ),
            other => write!(f, "{}: {:#x}", other.type_of().name(), other.identity()),
        }
    }
}

/// Loads a value as two separate word loads.
///
/// Values are usually written as two words (tag, then payload); a 16-byte vector load of
/// such a pair right after cannot be served by store forwarding and stalls. The VM reads
/// registers and stack slots through this.
///
/// # Safety
/// `p` points to an initialised `Value`.
#[inline(always)]
pub(crate) unsafe fn load_value(p: *const Value) -> Value {
    let w = p as *const u64;
    // SAFETY: `Value` is `repr(C, u64)`: two words, both initialised by the value at `p`, so
    // the transmute rebuilds that value. Volatile keeps them two separate loads.
    unsafe {
        let tag = core::ptr::read_volatile(w);
        let payload = core::ptr::read_volatile(w.add(1));
        core::mem::transmute::<[u64; 2], Value>([tag, payload])
    }
}

impl Value {
    #[inline(always)]
    pub fn type_of(&self) -> Type {
        match self {
            Value::Nil | Value::DeadKey(_) => Type::Nil,
            Value::Bool(_) => Type::Boolean,
            Value::Int(_) | Value::Float(_) => Type::Number,
            Value::Str(_) => Type::String,
            Value::Table(_) => Type::Table,
            Value::LuaFn(_) | Value::NativeFn(_) | Value::NativeClosure(_) => Type::Function,
            Value::UserData(_) => Type::UserData,
            Value::LightUserData(_) => Type::LightUserData,
            Value::Thread(_) => Type::Thread,
        }
    }

    #[inline(always)]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Lua truthiness: only `nil` and `false` are false.
    #[inline(always)]
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    #[inline(always)]
    pub fn is_falsy(&self) -> bool {
        matches!(self, Value::Nil | Value::Bool(false))
    }

    /// Address (or scalar payload) identifying the value; used for hashing and `%p`.
    pub fn identity(&self) -> usize {
        match *self {
            Value::Str(s) => s.addr(),
            Value::Table(t) => t.addr(),
            Value::LuaFn(f) => f.addr(),
            Value::NativeFn(f) => f as usize,
            Value::NativeClosure(f) => f.addr(),
            Value::UserData(u) => u.addr(),
            Value::LightUserData(p) | Value::DeadKey(p) => p,
            Value::Thread(t) => t.addr(),
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => 0,
        }
    }

    /// Header pointer of a collectable value.
    #[inline]
    pub(crate) fn gc_header(&self) -> Option<core::ptr::NonNull<crate::gc::GcHeader>> {
        Some(match *self {
            Value::Str(s) => s.as_header_ptr(),
            Value::Table(t) => t.as_header_ptr(),
            Value::LuaFn(f) => f.as_header_ptr(),
            Value::NativeClosure(f) => f.as_header_ptr(),
            Value::UserData(u) => u.as_header_ptr(),
            Value::Thread(t) => t.as_header_ptr(),
            _ => return None,
        })
    }

    /// Raw equality (`rawequal`): no metamethods; integers and floats compare by
    /// mathematical value.
    #[inline]
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => {
                crate::number::float_to_int(f, crate::number::Rounding::Exact) == Some(i)
            }
            (Value::Str(a), Value::Str(b)) => LStr::equals(a, b),
            (Value::NativeFn(a), Value::NativeFn(b)) => a as usize == b as usize,
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            (a, b) => match (a.gc_header(), b.gc_header()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        }
    }

    /// The string payload's bytes, if a string.
    #[inline]
    pub fn as_str(&self) -> Option<Gc<LStr>> {
        match *self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    #[inline]
    pub fn as_table(&self) -> Option<Gc<Table>> {
        match *self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    #[inline]
    pub fn is_function(&self) -> bool {
        matches!(
            self,
            Value::LuaFn(_) | Value::NativeFn(_) | Value::NativeClosure(_)
        )
    }
}
