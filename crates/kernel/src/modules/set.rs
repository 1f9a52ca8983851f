//! The `set` module: immutable sets of byte strings, searched without locks from any
//! context and shared between runtimes.
//!
//! ```lua
//! local set = require("set")
//! local s = set.new{"b", "a"}           -- s:has("a"), #s
//! local l = set.labeled{["example.com"] = 1, ["com"] = 2}
//! l:match("www.example.com")             -- 3: the labels of every dotted suffix, or-ed
//! ```

use rust_alloc::vec::Vec;

use lua::gc::Gc;
use lua::table::Table;
use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::object::{self, Object};
use crate::refcount::Ref;

/// Members sorted by their bytes, each with its label (0 in a plain set).
pub(crate) struct Set {
    members: Vec<(Vec<u8>, u32)>,
    labeled: bool,
}

impl Set {
    fn find(&self, key: &[u8]) -> Option<u32> {
        self.members
            .binary_search_by(|(m, _)| m.as_slice().cmp(key))
            .ok()
            .and_then(|i| self.members.get(i))
            .map(|(_, label)| *label)
    }

    /// Bytes the members own, charged to the creating runtime.
    fn bytes(&self) -> usize {
        self.members.iter().map(|(m, _)| m.len()).sum::<usize>()
            + self.members.capacity() * core::mem::size_of::<(Vec<u8>, u32)>()
    }
}

impl Object for Set {
    fn class(&self) -> &'static Class {
        if self.labeled {
            &LABELED
        } else {
            &SET
        }
    }
}

/// The class of plain sets.
pub(crate) static SET: Class = Class {
    name: "set",
    methods: &[(b"has", has)],
    metamethods: &[(b"__len", len)],
    atomic: true,
};

/// The class of labeled sets.
pub(crate) static LABELED: Class = Class {
    name: "set.labeled",
    methods: &[(b"match", matches)],
    metamethods: &[(b"__len", len)],
    atomic: true,
};

/// Opens the `set` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"new", new), (b"labeled", labeled)])
}

fn not_strings(cx: &mut Ctx<'_>) -> lua::Error {
    cx.arg_error(1, format_args!("members must be strings"))
}

/// Sorts the members and makes the object, charging its memory to the runtime.
fn finish(cx: &mut Ctx<'_>, mut members: Vec<(Vec<u8>, u32)>, labeled: bool) -> LuaResult<Ret> {
    members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let set = Set { members, labeled };
    let bytes = set.bytes();
    let v = object::new(cx.lua, set)?;
    cx.push(v)?;
    if let Value::UserData(u) = v {
        cx.lua.set_userdata_extra::<Ref<dyn Object>>(u, bytes)?;
    }
    Ok(Ret::Values(1))
}

/// `set.new(list)`: the strings `list[1..#list]` (duplicates kept).
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let list = cx.check_table(1)?;
    let n = list.length();
    let mut members = Vec::new();
    for i in 1..=n {
        let key = Value::Int(i as i64);
        match cx.lua.raw_get(list, &key) {
            Value::Str(s) => members.try_push((lua::tvec::try_copy_of(s.as_bytes())?, 0))?,
            _ => return Err(not_strings(cx)),
        }
        cx.lua.meter(i)?;
    }
    finish(cx, members, false)
}

/// The entries of `map` as (key, label) pairs.
fn labeled_entries(cx: &mut Ctx<'_>, map: Gc<Table>) -> LuaResult<Vec<(Vec<u8>, u32)>> {
    let mut members = Vec::new();
    let mut key = Value::Nil;
    let mut steps = 0u64;
    loop {
        let Ok(next) = cx.lua.raw_next(map, &key) else {
            return Err(cx.error(format_args!("invalid key to 'next'")));
        };
        let Some((k, v)) = next else {
            return Ok(members);
        };
        let Value::Str(s) = k else {
            return Err(not_strings(cx));
        };
        let label = match v {
            Value::Int(l) => u32::try_from(l).ok().filter(|&l| l > 0),
            _ => None,
        };
        let Some(label) = label else {
            return Err(cx.arg_error(1, format_args!("labels must be integers in [1, 2^32)")));
        };
        members.try_push((lua::tvec::try_copy_of(s.as_bytes())?, label))?;
        key = k;
        steps += 1;
        cx.lua.meter(steps)?;
    }
}

/// `set.labeled(map)`: `map` is `{[string] = label}`, labels in `[1, 2^32)`.
fn labeled(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let map = cx.check_table(1)?;
    let members = labeled_entries(cx, map)?;
    finish(cx, members, true)
}

/// `s:has(str)`: exact membership.
fn has(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let set = object::check::<Set>(cx, 1, &SET)?;
    let key = cx.check_str(2)?;
    let found = set.find(key.as_bytes()).is_some();
    cx.ret1(Value::Bool(found))
}

/// `ls:match(str)`: the labels of `str` and of each suffix after one of its dots, or-ed.
fn matches(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let set = object::check::<Set>(cx, 1, &LABELED)?;
    let key = cx.check_str(2)?;
    let key = key.as_bytes();
    let mut labels = set.find(key).unwrap_or(0);
    for (i, _) in key.iter().enumerate().filter(|(_, &c)| c == b'.') {
        let suffix = key.get(i + 1..).unwrap_or(&[]);
        labels |= set.find(suffix).unwrap_or(0);
    }
    cx.ret1(Value::Int(i64::from(labels)))
}

/// `#s`: the member count.
fn len(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let Some(set) = object::of_type::<Set>(&cx.arg(1)) else {
        return Err(cx.type_error(1, SET.name));
    };
    cx.ret1(Value::Int(set.members.len() as i64))
}
