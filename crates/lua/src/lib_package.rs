//! The package library (§6.3): `require`, `package.loaded`, `package.preload`,
//! `package.path`, `package.searchers`, `package.searchpath`.
//!
//! There are no dynamic C libraries. Native modules registered by the host (the kernel
//! bindings) are loaders in `package.preload` (`Lua::preload`); Lua modules are found
//! on `package.path` and read through `Host::load_file`.

use alloc::vec::Vec;

use crate::api::{Bytes, Ctx, NativeFn, Ret};
use crate::error::{Error, LuaResult};
use crate::load::Mode;
use crate::state::Lua;
use crate::tvec::{try_copy_of, TryVec};
use crate::value::Value;

/// Default `package.path`: where the kernel's Lua modules are installed.
pub const DEFAULT_PATH: &[u8] = b"/lib/modules/lua/?.lua;/lib/modules/lua/?/init.lua";

pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let package = lua.new_table()?;
    let loaded = lua.loaded;
    lua.set_field(package, b"loaded", Value::Table(loaded))?;
    let preload = lua.new_table()?;
    lua.set_field(package, b"preload", Value::Table(preload))?;
    let path = lua.str_value(DEFAULT_PATH)?;
    lua.set_field(package, b"path", path)?;
    let cpath = lua.str_value(b"")?;
    lua.set_field(package, b"cpath", cpath)?;
    let config = lua.str_value(b"/\n;\n?\n!\n-\n")?;
    lua.set_field(package, b"config", config)?;
    let searchers = lua.new_table()?;
    lua.raw_set_int(searchers, 1, Value::NativeFn(search_preload))?;
    lua.raw_set_int(searchers, 2, Value::NativeFn(search_lua))?;
    lua.set_field(package, b"searchers", Value::Table(searchers))?;
    let funcs: &[(&[u8], NativeFn)] = &[(b"searchpath", searchpath), (b"loadlib", loadlib)];
    for (name, f) in funcs {
        lua.set_field(package, name, Value::NativeFn(*f))?;
    }
    lua.set_field(loaded, b"package", Value::Table(package))?;
    lua.set_global(b"package", Value::Table(package))?;
    lua.set_global(b"require", Value::NativeFn(require))?;
    let reg = lua.registry;
    lua.set_field(reg, b"_PRELOAD", Value::Table(preload))?;
    lua.set_field(reg, b"_PACKAGE", Value::Table(package))
}

impl Lua {
    /// Registers a native module: `require(name)` calls `open` (with the module name as
    /// argument) the first time and caches its result in `package.loaded`.
    pub fn preload(&mut self, name: &[u8], open: NativeFn) -> LuaResult<()> {
        let reg = self.registry;
        let Value::Table(preload) = self.get_field(reg, b"_PRELOAD")? else {
            return Err(Error::Memory);
        };
        self.set_field(preload, name, Value::NativeFn(open))
    }

    /// Sets `package.path`.
    pub fn set_package_path(&mut self, path: &[u8]) -> LuaResult<()> {
        let reg = self.registry;
        let Value::Table(package) = self.get_field(reg, b"_PACKAGE")? else {
            return Err(Error::Memory);
        };
        let v = self.str_value(path)?;
        self.set_field(package, b"path", v)
    }
}

fn package_table(cx: &mut Ctx<'_>) -> LuaResult<crate::gc::Gc<crate::table::Table>> {
    let reg = cx.lua.registry;
    match cx.lua.get_field(reg, b"_PACKAGE")? {
        Value::Table(t) => Ok(t),
        _ => Err(cx.error(format_args!("'package' table is missing"))),
    }
}

fn require(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let loaded = cx.lua.loaded;
    let cached = loaded.get_str(name, cx.lua.seed);
    if cached.truthy() {
        return cx.ret1(cached);
    }
    let package = package_table(cx)?;
    let searchers = match cx.lua.get_field(package, b"searchers")? {
        Value::Table(t) => t,
        _ => return Err(cx.error(format_args!("'package.searchers' must be a table"))),
    };
    let mut notes: Vec<u8> = Vec::new();
    let mut i = 1;
    let (loader, extra) = loop {
        let searcher = searchers.get_int(i);
        if searcher.is_nil() {
            let name = try_copy_of(name.as_bytes())?;
            return Err(cx.error(format_args!(
                "module '{}' not found:{}",
                Bytes(&name),
                Bytes(&notes)
            )));
        }
        // A searcher returns a loader and extra data, or a string explaining the miss.
        let th = cx.lua.th();
        let top = th.top;
        th.ensure(&cx.lua.heap, 3)
            .map_err(|o| crate::api::stack_error(cx.lua, o))?;
        let th = cx.lua.th();
        th.set(top, searcher);
        th.set(top + 1, Value::Str(name));
        th.top = top + 2;
        cx.lua.call_nested(top, 2)?;
        let th = cx.lua.th();
        let (l, x) = (th.get(top), th.get(top + 1));
        th.top = top;
        if l.is_function() {
            break (l, x);
        }
        if let Value::Str(s) = l {
            notes.try_extend_from_slice(s.as_bytes())?;
        }
        i += 1;
    };
    // Call loader(name, extra) as a continuation, not a nested call: a chain of modules
    // requiring modules costs Lua frames, not native stack.
    cx.set_top(1)?;
    cx.push(extra)?;
    cx.push(loader)?;
    cx.push(Value::Str(name))?;
    cx.push(extra)?;
    Ok(Ret::CallK {
        nargs: 2,
        nresults: 1,
        k: finish_require,
        ctx: 0,
        protected: false,
    })
}

/// After the loader: the stack holds the name, the loader data and the loader's result.
/// Records the module (the result, else what the loader stored, else `true`).
fn finish_require(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    status?;
    let Value::Str(name) = cx.arg(1) else {
        return Err(cx.error(format_args!("require: lost the module name")));
    };
    let extra = cx.arg(2);
    let result = cx.arg(3);
    let loaded = cx.lua.loaded;
    if !result.is_nil() {
        cx.lua.raw_set(loaded, Value::Str(name), result)?;
    }
    let mut value = loaded.get_str(name, cx.lua.seed);
    if value.is_nil() {
        value = Value::Bool(true);
        cx.lua.raw_set(loaded, Value::Str(name), value)?;
    }
    cx.set_top(0)?;
    cx.push(value)?;
    cx.push(extra)?;
    Ok(Ret::Values(2))
}

fn search_preload(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?;
    let reg = cx.lua.registry;
    let loader = match cx.lua.get_field(reg, b"_PRELOAD")? {
        Value::Table(t) => t.get_str(name, cx.lua.seed),
        _ => Value::Nil,
    };
    if loader.is_nil() {
        let n = try_copy_of(name.as_bytes())?;
        let msg = cx.lua.format_value(format_args!(
            "\n\tno field package.preload['{}']",
            Bytes(&n)
        ))?;
        return cx.ret1(msg);
    }
    cx.push(loader)?;
    cx.push_str(b":preload:")?;
    Ok(Ret::Values(2))
}

/// A file found on a search path: its name and contents.
type Found = (Vec<u8>, Vec<u8>);

/// Tries each template of `path`; returns the file found, or the list of names tried.
fn find_file(
    lua: &mut Lua,
    name: &[u8],
    path: &[u8],
    sep: &[u8],
    rep: &[u8],
) -> LuaResult<Result<Found, Vec<u8>>> {
    let mut subject = Vec::new();
    let mut i = 0;
    while i < name.len() {
        if !sep.is_empty() && name.get(i..i + sep.len()) == Some(sep) {
            subject.try_extend_from_slice(rep)?;
            i += sep.len();
        } else {
            subject.try_push(name.get(i).copied().unwrap_or(b'?'))?;
            i += 1;
        }
    }
    let mut tried = Vec::new();
    for template in path.split(|&c| c == b';') {
        if template.is_empty() {
            continue;
        }
        let mut file = Vec::new();
        for &c in template {
            if c == b'?' {
                file.try_extend_from_slice(&subject)?;
            } else {
                file.try_push(c)?;
            }
        }
        let why = match lua.host.load_file(&file) {
            Ok(src) => return Ok(Ok((file, src))),
            Err(why) => why,
        };
        tried.try_extend_from_slice(b"\n\tno file '")?;
        tried.try_extend_from_slice(&file)?;
        tried.try_push(b'\'')?;
        if !lua.host.is_missing(&why) {
            tried.try_extend_from_slice(b" (")?;
            tried.try_extend_from_slice(&why)?;
            tried.try_push(b')')?;
        }
    }
    Ok(Err(tried))
}

fn search_lua(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = try_copy_of(cx.check_str(1)?.as_bytes())?;
    let package = package_table(cx)?;
    let path = match cx.lua.get_field(package, b"path")? {
        Value::Str(s) => try_copy_of(s.as_bytes())?,
        _ => return Err(cx.error(format_args!("'package.path' must be a string"))),
    };
    match find_file(cx.lua, &name, &path, b".", b"/")? {
        Ok((file, src)) => {
            let mut chunk = Vec::new();
            chunk.try_push(b'@')?;
            chunk.try_extend_from_slice(&file)?;
            match cx.lua.load(&src, &chunk, Mode::Text, None) {
                Ok(f) => {
                    cx.push(f)?;
                    cx.push_str(&file)?;
                    Ok(Ret::Values(2))
                }
                Err(Error::Lua(msg)) => {
                    let m = match msg {
                        Value::Str(s) => try_copy_of(s.as_bytes())?,
                        _ => Vec::new(),
                    };
                    Err(cx.error(format_args!(
                        "error loading module '{}' from file '{}':\n\t{}",
                        Bytes(&name),
                        Bytes(&file),
                        Bytes(&m)
                    )))
                }
                Err(e) => Err(e),
            }
        }
        Err(tried) => {
            cx.push_str(&tried)?;
            Ok(Ret::Values(1))
        }
    }
}

fn searchpath(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = try_copy_of(cx.check_str(1)?.as_bytes())?;
    let path = try_copy_of(cx.check_str(2)?.as_bytes())?;
    let sep = match cx.opt_str(3)? {
        Some(s) => try_copy_of(s.as_bytes())?,
        None => try_copy_of(b".")?,
    };
    let rep = match cx.opt_str(4)? {
        Some(s) => try_copy_of(s.as_bytes())?,
        None => try_copy_of(b"/")?,
    };
    match find_file(cx.lua, &name, &path, &sep, &rep)? {
        Ok((file, _)) => {
            cx.push_str(&file)?;
            Ok(Ret::Values(1))
        }
        Err(tried) => {
            cx.push(Value::Nil)?;
            cx.push_str(&tried)?;
            Ok(Ret::Values(2))
        }
    }
}

fn loadlib(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    cx.push(Value::Nil)?;
    cx.push_str(b"dynamic libraries not enabled; check your Lua installation")?;
    cx.push_str(b"absent")?;
    Ok(Ret::Values(3))
}
