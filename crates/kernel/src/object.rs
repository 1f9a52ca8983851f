//! Lunatik objects: kernel objects that scripts hold as userdata and pass between runtimes.
//!
//! An object is a `Ref<T>` to a value whose type implements [`Object`]. Every userdata for
//! it holds one reference (as `Ref<dyn Object>`), and so does every copy in another
//! runtime, in `lunatik._ENV` or in an `rcu` table: the object lives until the last one
//! goes. Its class says where it may go and how its state is protected:
//! - a SINGLE object never leaves the runtime that made it, whose lock serialises every use;
//! - a monitored object keeps its state in a [`Monitor`], so each method takes the object's
//!   own lock and runtimes on several CPUs may share it;
//! - the other classes (rcu tables, completions, sets) are safe by construction.

use core::any::Any;
use core::cell::UnsafeCell;

use lua::{Ctx, Lua, LuaResult, Value};

use crate::class::{self, Class};
use crate::refcount::Ref;
use crate::runtime::{self, Context};
use crate::sync::{Mutex, SpinLockIrq};

/// A kernel object seen by scripts.
pub(crate) trait Object: Any + Send + Sync {
    /// Its class: name, methods, where it may live.
    fn class(&self) -> &'static Class;

    /// True if the object may not leave its runtime.
    fn is_single(&self) -> bool {
        false
    }
}

/// The state of a monitored object, or of a SINGLE instance of a monitored class.
pub(crate) enum Monitor<T> {
    /// Shared, of a class usable in softirq and hardirq runtimes.
    Spin(SpinLockIrq<T>),
    /// Shared, of a class whose methods may sleep.
    Mutex(Mutex<T>),
    /// SINGLE: only its own runtime reaches it, under that runtime's lock.
    Single(UnsafeCell<T>),
}

// SAFETY: the locks make the shared variants `Sync`; a `Single` object is never handed to
// another runtime (`share` refuses it), so its cell is only reached by the one runtime
// that holds it, under that runtime's lock.
unsafe impl<T: Send> Sync for Monitor<T> {}

impl<T> Monitor<T> {
    /// The state of a new object of `class`: SINGLE if `single`, else locked as the
    /// class's context requires.
    ///
    /// # Errors
    /// `ENOMEM` (the lock).
    pub(crate) fn new(class: &Class, single: bool, value: T) -> crate::error::Result<Self> {
        Ok(if single {
            Monitor::Single(UnsafeCell::new(value))
        } else if class.atomic {
            Monitor::Spin(SpinLockIrq::new(value)?)
        } else {
            Monitor::Mutex(Mutex::new(value)?)
        })
    }

    pub(crate) fn is_single(&self) -> bool {
        matches!(self, Monitor::Single(_))
    }

    /// Runs `f` on the state, under the object's lock if it has one. `f` must not call
    /// into Lua (a script could reach the same object again).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        match self {
            Monitor::Spin(lock) => f(&mut lock.lock()),
            Monitor::Mutex(lock) => f(&mut lock.lock()),
            // SAFETY: SINGLE objects stay in one runtime whose lock is held while its code
            // runs, and `f` does not re-enter Lua, so this is the only reference.
            Monitor::Single(cell) => f(unsafe { &mut *cell.get() }),
        }
    }
}

/// A new userdata for `object` in `lua`, with its class's methods.
///
/// # Errors
/// Out of memory.
pub(crate) fn push<T: Object>(lua: &mut Lua, object: Ref<T>) -> LuaResult<Value> {
    push_with_values(lua, object, 0)
}

/// As [`push`], with `nuser` user values (nil) where the binding keeps Lua values the
/// object refers to (the `data` view of an `skb`).
///
/// # Errors
/// Out of memory.
pub(crate) fn push_with_values<T: Object>(
    lua: &mut Lua,
    object: Ref<T>,
    nuser: usize,
) -> LuaResult<Value> {
    let class = object.class();
    let u = lua.new_userdata(Ref::into_object(object), nuser)?;
    let mt = class::metatable(lua, class)?;
    lua.set_userdata_metatable(u, Some(mt));
    Ok(Value::UserData(u))
}

/// Moves a new object into a `Ref` and then into a userdata.
///
/// # Errors
/// Out of memory.
pub(crate) fn new<T: Object>(lua: &mut Lua, object: T) -> LuaResult<Value> {
    let object = Ref::try_new(object).map_err(|_| lua::Error::Memory)?;
    push(lua, object)
}

/// The object in `v`, if it is one.
pub(crate) fn of(v: &Value) -> Option<Ref<dyn Object>> {
    match v {
        Value::UserData(u) => u.downcast_ref::<Ref<dyn Object>>().cloned(),
        _ => None,
    }
}

/// The object in `v` as a `T`, if it is one.
pub(crate) fn of_type<T: Object>(v: &Value) -> Option<Ref<T>> {
    match v {
        Value::UserData(u) => Ref::downcast(u.downcast_ref::<Ref<dyn Object>>()?),
        _ => None,
    }
}

/// Argument `i` as an object of `class` (a `T`).
///
/// # Errors
/// `bad argument #i to 'f' (<class> expected, got <type>)`; for a userdata of another
/// class (or one whose metatable was swapped, so that its name proves nothing), C
/// Lunatik's `(invalid object)`.
pub(crate) fn check<T: Object>(cx: &mut Ctx<'_>, i: usize, class: &Class) -> LuaResult<Ref<T>> {
    let v = cx.arg(i);
    match of_type::<T>(&v) {
        Some(object) => Ok(object),
        None if matches!(v, Value::UserData(_)) => {
            Err(cx.arg_error(i, format_args!("invalid object")))
        }
        None => Err(cx.type_error(i, class.name)),
    }
}

/// Why an object may not go where it was sent.
pub(crate) enum Refusal {
    /// A SINGLE object.
    Single(&'static str),
    /// A process-context class sent to a softirq or hardirq runtime.
    Context(&'static str),
}

impl Refusal {
    /// The message, as C Lunatik words it.
    pub(crate) fn raise(&self, lua: &mut Lua) -> lua::Error {
        let r = match self {
            Refusal::Single(name) => {
                lua.format_value(format_args!("'{}': cannot share SINGLE object", name))
            }
            Refusal::Context(name) => lua.format_value(format_args!(
                "'{}': process-context class in interrupt-context runtime",
                name
            )),
        };
        match r {
            Ok(s) => lua::Error::Lua(s),
            Err(e) => e,
        }
    }
}

/// The object in `v`, to be handed to another runtime.
///
/// # Errors
/// `None` if `v` is no object; a [`Refusal`] for a SINGLE one.
pub(crate) fn share(v: &Value) -> Option<Result<Ref<dyn Object>, Refusal>> {
    let object = of(v)?;
    if object.is_single() {
        return Some(Err(Refusal::Single(object.class().name)));
    }
    Some(Ok(object))
}

/// A new userdata in `lua` for an object that came from another runtime.
///
/// # Errors
/// The class guard: a process-context class in a softirq or hardirq runtime; out of memory.
pub(crate) fn receive(lua: &mut Lua, object: &Ref<dyn Object>) -> LuaResult<Value> {
    let class = object.class();
    if !class.atomic && runtime::context_of(lua) != Context::Process {
        return Err(Refusal::Context(class.name).raise(lua));
    }
    let u = lua.new_userdata(object.clone(), 0)?;
    let mt = class::metatable(lua, class)?;
    lua.set_userdata_metatable(u, Some(mt));
    Ok(Value::UserData(u))
}
