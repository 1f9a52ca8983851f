//! Classes of kernel objects seen by scripts (object.rs): a name, methods, and where the
//! instances may live. Each state gets the class's metatable, kept in its registry under
//! the class name, on first use: a runtime that receives an object never needs to require
//! its module. Methods are bound once, when the metatable is made (DESIGN.md rule 6).

use lua::gc::Gc;
use lua::table::Table;
use lua::{LuaResult, NativeFn, Value};

use lua::Lua;

/// A class: its `__name` and its methods and metamethods.
pub(crate) struct Class {
    /// `__name`, shown in type errors (`runtime expected, got nil`).
    pub(crate) name: &'static str,
    /// Methods, reached through `__index`.
    pub(crate) methods: &'static [(&'static [u8], NativeFn)],
    /// Metamethods (`__index` here replaces the method table).
    pub(crate) metamethods: &'static [(&'static [u8], NativeFn)],
    /// Instances may live in softirq and hardirq runtimes (their methods never sleep, and
    /// a monitored instance's lock spins); else they stay in process runtimes.
    pub(crate) atomic: bool,
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
