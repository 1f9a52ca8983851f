//! Values that cross from one runtime to another.
//!
//! States never share Lua objects: what crosses is copied (nil, booleans, numbers, strings)
//! or is a reference-counted kernel object (object.rs), which each state sees as its own
//! userdata. Shared tables (`rcu`, `lunatik._ENV`) hold these values.

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Value};

use crate::object::{self, Object, Refusal};
use crate::refcount::Ref;

/// A value copied out of a state.
pub(crate) enum Shared {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    Object(Ref<dyn Object>),
}

/// Why a value cannot cross.
pub(crate) enum Unshareable {
    /// A value of this type (tables, functions, foreign userdata).
    Type(&'static str),
    /// An object that may not leave its runtime.
    Refused(Refusal),
    Memory,
}

impl Unshareable {
    /// The error for argument `i` of the running function.
    pub(crate) fn raise(&self, cx: &mut Ctx<'_>, i: usize) -> lua::Error {
        match self {
            Unshareable::Type(ty) => cx.arg_error(i, format_args!("cannot share a {}", ty)),
            Unshareable::Refused(r) => r.raise(cx.lua),
            Unshareable::Memory => lua::Error::Memory,
        }
    }
}

impl Shared {
    /// Copies `v` out of its state.
    ///
    /// # Errors
    /// A value that cannot cross: tables, functions, foreign userdata, SINGLE objects;
    /// out of memory.
    pub(crate) fn from_value(v: &Value) -> core::result::Result<Shared, Unshareable> {
        Ok(match v {
            Value::Nil => Shared::Nil,
            Value::Bool(b) => Shared::Bool(*b),
            Value::Int(i) => Shared::Int(*i),
            Value::Float(f) => Shared::Float(*f),
            Value::Str(s) => {
                Shared::Str(lua::tvec::try_copy_of(s.as_bytes()).map_err(|_| Unshareable::Memory)?)
            }
            Value::UserData(_) => match object::share(v) {
                Some(Ok(object)) => Shared::Object(object),
                Some(Err(refusal)) => return Err(Unshareable::Refused(refusal)),
                None => return Err(Unshareable::Type("userdata")),
            },
            other => return Err(Unshareable::Type(other.type_of().name())),
        })
    }

    /// The value in `lua`.
    ///
    /// # Errors
    /// Out of memory.
    pub(crate) fn to_value(&self, lua: &mut Lua) -> LuaResult<Value> {
        Ok(match self {
            Shared::Nil => Value::Nil,
            Shared::Bool(b) => Value::Bool(*b),
            Shared::Int(i) => Value::Int(*i),
            Shared::Float(f) => Value::Float(*f),
            Shared::Str(s) => lua.str_value(s)?,
            Shared::Object(o) => object::receive(lua, o)?,
        })
    }
}

/// Copies the values `cx.arg(first..=cx.nargs())` out of the state.
///
/// # Errors
/// `bad argument #i to 'f' (cannot share a table)`, a SINGLE object's refusal; out of
/// memory.
pub(crate) fn args_from(cx: &mut Ctx<'_>, first: usize) -> LuaResult<Vec<Shared>> {
    let mut out = Vec::new();
    for i in first..=cx.nargs() {
        let v = cx.arg(i);
        match Shared::from_value(&v) {
            Ok(s) => out.try_push(s)?,
            Err(e) => return Err(e.raise(cx, i)),
        }
    }
    Ok(out)
}
