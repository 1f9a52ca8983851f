//! The native-function interface: how Rust functions see their arguments, return
//! results, raise errors and ask the executor to call Lua for them.
//!
//! A native function never calls Lua directly when it needs to stay stackless (pcall,
//! coroutines): it returns a `Ret` telling the executor what to do next, with a
//! continuation to run when that is done. Library functions that call Lua in a loop
//! (`table.sort`, `string.gsub`) use `Lua::call_nested` instead, which recurses on the
//! native stack under the stack guard and forbids yields across it.

use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::error::{Error, LuaResult};
use crate::gc::Gc;
use crate::lstr::LStr;
use crate::state::Lua;
use crate::table::Table;
use crate::tvec::TryVec;
use crate::value::{Type, Value};

/// A native function.
pub type NativeFn = fn(&mut Ctx<'_>) -> LuaResult<Ret>;

/// A continuation: runs after a call requested through `Ret::CallK` finishes (`Ok`) or
/// fails (`Err`, only for protected calls). The callee's results are on top of the stack.
pub type ContFn = fn(&mut Ctx<'_>, LuaResult<()>, usize) -> LuaResult<Ret>;

/// What a native function asks the executor to do when it returns.
pub enum Ret {
    /// The last `n` values below the stack top are the results.
    Values(usize),
    /// Call the function at `top - nargs - 1` with the `nargs` values above it, keeping
    /// `nresults` results (-1: all), then run `k(ctx)`. With `protected`, an error in
    /// the call is passed to `k` instead of propagating.
    CallK {
        nargs: usize,
        nresults: i32,
        k: ContFn,
        ctx: usize,
        protected: bool,
    },
    /// Replace this native by a call to the function at `top - nargs - 1`; its results
    /// become ours.
    TailCall { nargs: usize },
    /// Yield the last `n` values to the resumer (the native is resumed with the values
    /// passed to `resume` as its results).
    Yield(usize),
    /// Yield, and on resume run `k(ctx)` with the resume arguments on top.
    YieldK { n: usize, k: ContFn, ctx: usize },
    /// Resume coroutine `co` with the last `nargs` values; when it yields, returns or
    /// fails, run `k(ctx)` with what it passed back on top (an error as `Err`).
    Resume {
        co: Gc<crate::thread::Thread>,
        nargs: usize,
        k: ContFn,
        ctx: usize,
    },
}

/// A native function's view of its call.
pub struct Ctx<'a> {
    pub lua: &'a mut Lua,
    /// Stack index of the first argument.
    pub(crate) base: usize,
    /// The name argument errors give the function, set by `report_as`.
    pub(crate) report_as: Option<&'static str>,
}

/// Growable byte buffer used for messages; formatting into it never panics and reports
/// allocation failure.
#[derive(Default)]
pub struct Buf {
    pub bytes: Vec<u8>,
    pub failed: bool,
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.bytes.try_extend_from_slice(s.as_bytes()).is_err() {
            self.failed = true;
            return Err(fmt::Error);
        }
        Ok(())
    }
}

impl Buf {
    pub fn push_bytes(&mut self, b: &[u8]) {
        if self.bytes.try_extend_from_slice(b).is_err() {
            self.failed = true;
        }
    }
}

/// Shows bytes in messages (lossy only for invalid UTF-8, as `%s` would print raw bytes).
pub struct Bytes<'a>(pub &'a [u8]);

impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            for &b in chunk.invalid() {
                f.write_char(char::from(b))?;
            }
        }
        Ok(())
    }
}

impl Lua {
    /// Builds a string value from formatted text.
    pub fn format_value(&mut self, args: fmt::Arguments<'_>) -> LuaResult<Value> {
        let mut buf = Buf::default();
        if buf.write_fmt(args).is_err() || buf.failed {
            return Err(Error::Memory);
        }
        self.str_value(&buf.bytes)
    }

    /// A runtime error raised by the VM: prefixed with the position of the running Lua
    /// function, if the top frame is one (`luaG_runerror`).
    pub fn rt_error(&mut self, args: fmt::Arguments<'_>) -> Error {
        self.error_at_level(0, args)
    }

    /// An error prefixed with the position of the function at `level` (0: the running
    /// frame; 1: its caller), as `luaL_error`/`luaL_where` do.
    pub fn error_at_level(&mut self, level: usize, args: fmt::Arguments<'_>) -> Error {
        let mut buf = Buf::default();
        crate::debug::push_where(self, level, &mut buf);
        if buf.write_fmt(args).is_err() || buf.failed {
            return Error::Memory;
        }
        match self.str_value(&buf.bytes) {
            Ok(v) => Error::Lua(v),
            Err(e) => e,
        }
    }

    /// Turns an error into a message for the host (the error object converted as
    /// `tostring` would, without metamethods).
    pub fn error_message(&self, e: &Error) -> Vec<u8> {
        let mut out = Vec::new();
        match e {
            Error::Memory => {
                let _ = out.try_extend_from_slice(b"not enough memory");
            }
            Error::Abort => {
                let _ = out.try_extend_from_slice(b"script aborted");
            }
            Error::Lua(v) => match v {
                Value::Str(s) => {
                    let _ = out.try_extend_from_slice(s.as_bytes());
                }
                Value::Int(_) | Value::Float(_) => {
                    let _ = crate::tostr::number(v, &mut out);
                }
                Value::Nil => {
                    let _ = out.try_extend_from_slice(b"nil");
                }
                other => {
                    let mut b = Buf::default();
                    let _ = write!(
                        b,
                        "(error object is a {} value)",
                        Bytes(self.type_name_of(other).as_bytes())
                    );
                    out = b.bytes;
                }
            },
        }
        out
    }
}

impl<'a> Ctx<'a> {
    /// Number of arguments.
    #[inline]
    pub fn nargs(&self) -> usize {
        self.lua.th().top.saturating_sub(self.base)
    }

    /// Argument `i` (1-based); nil when absent.
    #[inline]
    pub fn arg(&self, i: usize) -> Value {
        if i == 0 || i > self.nargs() {
            return Value::Nil;
        }
        self.lua.th().get(self.base + i - 1)
    }

    /// Replaces argument `i` (used by conversions that cache their result in place).
    pub fn set_arg(&mut self, i: usize, v: Value) {
        if i >= 1 && i <= self.nargs() {
            let base = self.base;
            self.lua.th().set(base + i - 1, v);
        }
    }

    /// Stack index of argument `i`.
    pub fn arg_slot(&self, i: usize) -> usize {
        self.base + i - 1
    }

    /// Pushes a result (or a value to call).
    #[inline]
    pub fn push(&mut self, v: Value) -> LuaResult<()> {
        let lua = &mut *self.lua;
        lua.th()
            .push(&lua.heap, v)
            .map_err(|overflow| stack_error(lua, overflow))
    }

    /// Drops everything above argument `n`.
    pub fn set_top(&mut self, n: usize) -> LuaResult<()> {
        let want = self.base + n;
        let lua = &mut *self.lua;
        let th = lua.th();
        th.ensure_slots(&lua.heap, want)
            .map_err(|o| stack_error(lua, o))?;
        let th = lua.th();
        for i in th.top..want {
            th.set(i, Value::Nil);
        }
        th.top = want;
        Ok(())
    }

    /// Top of the stack as an index relative to the first argument.
    pub fn top(&self) -> usize {
        self.nargs()
    }

    /// Pushes a new string.
    pub fn push_str(&mut self, b: &[u8]) -> LuaResult<()> {
        let v = self.lua.str_value(b)?;
        self.push(v)
    }

    /// Returns `v` as the only result.
    pub fn ret1(&mut self, v: Value) -> LuaResult<Ret> {
        self.push(v)?;
        Ok(Ret::Values(1))
    }

    // ---- errors ----

    /// `luaL_error`: an error at the position of the caller of this native.
    pub fn error(&mut self, args: fmt::Arguments<'_>) -> Error {
        self.lua.error_at_level(1, args)
    }

    /// Makes later argument errors name this function `name`, count every argument from
    /// 1 (`self` included) and carry no position: how the methods of C Lunatik's monitored
    /// objects report them, as their wrapper calls them through `lua_pcall`.
    pub fn report_as(&mut self, name: &'static str) {
        self.report_as = Some(name);
    }

    /// `luaL_argerror`: `bad argument #i to 'name' (msg)`.
    pub fn arg_error(&mut self, i: usize, msg: fmt::Arguments<'_>) -> Error {
        let mut detail = Buf::default();
        if detail.write_fmt(msg).is_err() {
            return Error::Memory;
        }
        if let Some(name) = self.report_as {
            return match self.lua.format_value(format_args!(
                "bad argument #{} to '{}' ({})",
                i,
                name,
                Bytes(&detail.bytes)
            )) {
                Ok(v) => Error::Lua(v),
                Err(e) => e,
            };
        }
        let (i, name, is_method) = crate::debug::native_name(self.lua, i);
        let mut text = Buf::default();
        let name = Bytes(&name);
        let r = if is_method && i == 0 {
            write!(
                text,
                "calling '{}' on bad self ({})",
                name,
                Bytes(&detail.bytes)
            )
        } else {
            write!(
                text,
                "bad argument #{} to '{}' ({})",
                i,
                name,
                Bytes(&detail.bytes)
            )
        };
        if r.is_err() || text.failed {
            return Error::Memory;
        }
        self.lua
            .error_at_level(1, format_args!("{}", Bytes(&text.bytes)))
    }

    /// `luaL_typeerror`: `bad argument #i to 'f' (T expected, got U)`.
    pub fn type_error(&mut self, i: usize, expected: &str) -> Error {
        let got = self.arg(i);
        let tn = if i > self.nargs() {
            crate::state::TypeName::Basic("no value")
        } else if matches!(got, Value::LightUserData(_)) {
            crate::state::TypeName::Basic("light userdata")
        } else {
            self.lua.type_name_of(&got)
        };
        let Ok(got_name) = crate::tvec::try_copy_of(tn.as_bytes()) else {
            return Error::Memory;
        };
        self.arg_error(
            i,
            format_args!("{} expected, got {}", expected, Bytes(&got_name)),
        )
    }

    // ---- argument checks ----

    /// Any value (`luaL_checkany`).
    pub fn check_any(&mut self, i: usize) -> LuaResult<Value> {
        if i > self.nargs() {
            return Err(self.arg_error(i, format_args!("value expected")));
        }
        Ok(self.arg(i))
    }

    /// An integer, converting floats with exact integral values and numeric strings.
    pub fn check_int(&mut self, i: usize) -> LuaResult<i64> {
        let v = self.arg(i);
        match crate::arith::to_integer(&v) {
            Some(n) => Ok(n),
            None => {
                if crate::arith::to_number(&v).is_some() {
                    Err(self.arg_error(i, format_args!("number has no integer representation")))
                } else {
                    Err(self.type_error(i, "number"))
                }
            }
        }
    }

    /// An optional integer.
    pub fn opt_int(&mut self, i: usize, default: i64) -> LuaResult<i64> {
        if self.arg(i).is_nil() {
            Ok(default)
        } else {
            self.check_int(i)
        }
    }

    /// A number (integer or float), converting numeric strings.
    pub fn check_number(&mut self, i: usize) -> LuaResult<Value> {
        let v = self.arg(i);
        match crate::arith::to_number(&v) {
            Some(n) => Ok(n),
            None => Err(self.type_error(i, "number")),
        }
    }

    /// A number as f64.
    pub fn check_float(&mut self, i: usize) -> LuaResult<f64> {
        Ok(match self.check_number(i)? {
            Value::Int(n) => n as f64,
            Value::Float(f) => f,
            _ => 0.0,
        })
    }

    /// A string, converting numbers in place (`luaL_checklstring`).
    pub fn check_str(&mut self, i: usize) -> LuaResult<Gc<LStr>> {
        match self.arg(i) {
            Value::Str(s) => Ok(s),
            v @ (Value::Int(_) | Value::Float(_)) => {
                let mut b = Vec::new();
                crate::tostr::number(&v, &mut b)?;
                let s = self.lua.new_str(&b)?;
                self.set_arg(i, Value::Str(s));
                Ok(s)
            }
            _ => Err(self.type_error(i, "string")),
        }
    }

    /// An optional string.
    pub fn opt_str(&mut self, i: usize) -> LuaResult<Option<Gc<LStr>>> {
        if self.arg(i).is_nil() {
            Ok(None)
        } else {
            self.check_str(i).map(Some)
        }
    }

    /// A table.
    pub fn check_table(&mut self, i: usize) -> LuaResult<Gc<Table>> {
        match self.arg(i) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(i, "table")),
        }
    }

    /// A value of basic type `t` (`luaL_checktype`).
    pub fn check_type(&mut self, i: usize, t: Type) -> LuaResult<Value> {
        let v = self.arg(i);
        if v.type_of() != t || (i > self.nargs()) {
            return Err(self.type_error(i, t.name()));
        }
        Ok(v)
    }

    /// An option name from a list (`luaL_checkoption`); returns its index.
    pub fn check_option(
        &mut self,
        i: usize,
        default: Option<&str>,
        options: &[&str],
    ) -> LuaResult<usize> {
        let name: Vec<u8> = match (self.arg(i), default) {
            (Value::Nil, Some(d)) => crate::tvec::try_copy_of(d.as_bytes())?,
            _ => crate::tvec::try_copy_of(self.check_str(i)?.as_bytes())?,
        };
        if let Some(pos) = options.iter().position(|o| o.as_bytes() == name.as_slice()) {
            return Ok(pos);
        }
        Err(self.arg_error(i, format_args!("invalid option '{}'", Bytes(&name))))
    }
}

/// The error for a failed stack growth: overflow or memory.
pub(crate) fn stack_error(lua: &mut Lua, overflow: bool) -> Error {
    if overflow && lua.th().overflow_in_zone {
        lua.error_in_error_handling()
    } else if overflow {
        lua.rt_error(format_args!("stack overflow"))
    } else {
        Error::Memory
    }
}
