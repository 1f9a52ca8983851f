//! The `rcu` module: tables shared between runtimes (C Lunatik's RCU tables; here a spin
//! lock protects them, so they work from every context), and `lunatik._ENV`, the one all
//! runtimes share.
//!
//! ```lua
//! local rcu = require("rcu")
//! local t = rcu.table()
//! t.key = 42                        -- nil, booleans, numbers, strings, shared objects
//! rcu.map(t, function(k, v) print(k, v) end)
//! ```

use core::sync::atomic::{AtomicPtr, Ordering};

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::error::{Error, Result};
use crate::object::{self, Object};
use crate::refcount::Ref;
use crate::shared::Shared;
use crate::sync::SpinLockIrq;

/// A table of shared values, keyed by booleans, integers, strings or objects.
pub(crate) struct SharedTable {
    entries: SpinLockIrq<Vec<(Shared, Shared)>>,
}

impl SharedTable {
    /// An empty table.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub(crate) fn new() -> Result<Ref<SharedTable>> {
        Ref::try_new(SharedTable {
            entries: SpinLockIrq::new(Vec::new())?,
        })
    }

    fn get(&self, key: &Shared) -> Result<Shared> {
        let entries = self.entries.lock();
        match entries.iter().find(|(k, _)| k.same_key(key)) {
            Some((_, v)) => v.try_clone(),
            None => Ok(Shared::Nil),
        }
    }

    /// Sets `key` to `value` (nil removes it). The old value is dropped after unlocking.
    fn set(&self, key: Shared, value: Shared) -> Result {
        let old = {
            let mut entries = self.entries.lock();
            let found = entries.iter().position(|(k, _)| k.same_key(&key));
            match (found, value) {
                (Some(i), Shared::Nil) => Some(entries.swap_remove(i)),
                (Some(i), value) => match entries.get_mut(i) {
                    Some(entry) => Some((key, core::mem::replace(&mut entry.1, value))),
                    None => None,
                },
                (None, Shared::Nil) => None,
                (None, value) => {
                    entries.try_push((key, value))?;
                    None
                }
            }
        };
        drop(old);
        Ok(())
    }

    fn snapshot(&self) -> Result<Vec<(Shared, Shared)>> {
        let entries = self.entries.lock();
        let mut out = Vec::new();
        out.try_reserve_exact(entries.len())?;
        for (k, v) in entries.iter() {
            out.try_push((k.try_clone()?, v.try_clone()?))?;
        }
        Ok(out)
    }
}

impl Drop for SharedTable {
    fn drop(&mut self) {
        // The entries may hold the last reference to runtimes: drop them where that may
        // sleep.
        let entries = core::mem::take(self.entries.get_mut());
        crate::defer::drop_where_sleepable(entries);
    }
}

/// The class of shared tables.
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

fn key_arg(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Shared> {
    let v = cx.arg(i);
    match Shared::from_value(&v) {
        Ok(Shared::Nil) => Err(cx.arg_error(i, format_args!("index is nil"))),
        Ok(Shared::Float(_)) => Err(cx.arg_error(i, format_args!("float keys are not supported"))),
        Ok(key) => Ok(key),
        Err(e) => Err(e.raise(cx, i)),
    }
}

/// `t[k]`.
fn table_index(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let table = object::check::<SharedTable>(cx, 1, &TABLE)?;
    let key = key_arg(cx, 2)?;
    let value = table.get(&key).map_err(|_| lua::Error::Memory)?;
    let v = value.to_value(cx.lua)?;
    drop(value);
    cx.ret1(v)
}

/// `t[k] = v`.
fn table_newindex(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let table = object::check::<SharedTable>(cx, 1, &TABLE)?;
    let key = key_arg(cx, 2)?;
    let v = cx.arg(3);
    let value = match Shared::from_value(&v) {
        Ok(value) => value,
        Err(e) => return Err(e.raise(cx, 3)),
    };
    table.set(key, value).map_err(|_| lua::Error::Memory)?;
    Ok(Ret::Values(0))
}

/// `rcu.table()`: a new shared table.
fn rcu_table(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let table = SharedTable::new().map_err(|_| lua::Error::Memory)?;
    let v = object::push(cx.lua, table)?;
    cx.ret1(v)
}

/// `rcu.map(t, f)`: calls `f(k, v)` for each entry of a snapshot of `t`.
fn rcu_map(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let table = object::check::<SharedTable>(cx, 1, &TABLE)?;
    let f = cx.arg(2);
    if !f.is_function() {
        return Err(cx.type_error(2, "function"));
    }
    let entries = table.snapshot().map_err(|_| lua::Error::Memory)?;
    for (k, v) in entries.iter() {
        let key = k.to_value(cx.lua)?;
        cx.push(key)?;
        let value = v.to_value(cx.lua)?;
        cx.push(value)?;
        // Both are on the stack (rooted) while `f` runs.
        lua::nested::call1(cx.lua, f, &[key, value])?;
        cx.set_top(2)?;
    }
    Ok(Ret::Values(0))
}

/// Opens the `rcu` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    lua.set_field(m, b"table", Value::NativeFn(rcu_table))?;
    lua.set_field(m, b"map", Value::NativeFn(rcu_map))?;
    Ok(Value::Table(m))
}

/// `lunatik._ENV`, shared by every runtime.
static ENV: AtomicPtr<SharedTable> = AtomicPtr::new(core::ptr::null_mut());

/// Creates `lunatik._ENV`. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    let env = SharedTable::new()?;
    ENV.store(Ref::into_raw(env).cast_mut(), Ordering::Release);
    Ok(())
}

/// Drops `lunatik._ENV` (and what it holds). Module exit, after every runtime stopped.
pub(crate) fn exit() {
    let env = ENV.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !env.is_null() {
        // SAFETY: `env` came from `Ref::into_raw` in `init`, taken back exactly once.
        drop(unsafe { Ref::from_raw(env) });
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
