//! Classes of kernel objects seen by scripts: a userdata whose payload is a Rust value and
//! whose metatable (one per state and class, kept in the registry under the class name)
//! holds the methods. Methods are bound once, when the metatable is made (DESIGN.md rule 6).

use core::any::Any;

use lua::gc::Gc;
use lua::table::Table;
use lua::{Ctx, LuaResult, NativeFn, Value};

use lua::Lua;

/// A class: its `__name` and its methods and metamethods.
pub(crate) struct Class {
    /// `__name`, shown in type errors (`runtime expected, got nil`).
    pub(crate) name: &'static str,
    /// Methods, reached through `__index`.
    pub(crate) methods: &'static [(&'static [u8], NativeFn)],
    /// Metamethods (`__index` here replaces the method table).
    pub(crate) metamethods: &'static [(&'static [u8], NativeFn)],
}

/// The metatable of `class` in `lua`, made on first use.
///
/// # Errors
/// Out of memory.
pub(crate) fn metatable(lua: &mut Lua, class: &Class) -> LuaResult<Gc<Table>> {
    let registry = lua.registry();
    if let Value::Table(mt) = lua.get_field(registry, class.name.as_bytes())? {
        return Ok(mt);
    }
    let mt = lua.new_table()?;
    let name = lua.str_value(class.name.as_bytes())?;
    lua.set_field(mt, b"__name", name)?;
    if !class.methods.is_empty() {
        let methods = lua.new_table()?;
        lua.set_field(mt, b"__index", Value::Table(methods))?;
        for (method, f) in class.methods {
            lua.set_field(methods, method, Value::NativeFn(*f))?;
        }
    }
    for (event, f) in class.metamethods {
        lua.set_field(mt, event, Value::NativeFn(*f))?;
    }
    lua.set_field(registry, class.name.as_bytes(), Value::Table(mt))?;
    Ok(mt)
}

/// A new object of `class` holding `payload`.
///
/// # Errors
/// Out of memory.
pub(crate) fn new_object<T: Any>(lua: &mut Lua, class: &Class, payload: T) -> LuaResult<Value> {
    let object = lua.new_userdata(payload, 0)?;
    let mt = metatable(lua, class)?;
    lua.set_userdata_metatable(object, Some(mt));
    Ok(Value::UserData(object))
}

/// A copy of the payload of argument `i` if it is an object of `class` (`T` payload).
///
/// # Errors
/// `bad argument #i to 'f' (<class> expected, got <type>)`.
pub(crate) fn check<T: Any + Clone>(cx: &mut Ctx<'_>, i: usize, class: &Class) -> LuaResult<T> {
    if let Value::UserData(u) = cx.arg(i) {
        if let Some(payload) = u.downcast_ref::<T>() {
            return Ok(payload.clone());
        }
    }
    Err(cx.type_error(i, class.name))
}

/// The payload of `v` if it is a `T`.
pub(crate) fn payload<T: Any + Clone>(v: &Value) -> Option<T> {
    match v {
        Value::UserData(u) => u.downcast_ref::<T>().cloned(),
        _ => None,
    }
}
