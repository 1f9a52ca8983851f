//! The `os` library on the host, over libc (time conversions, `strftime`, locales, `system`)
//! so results match C Lua's on the same machine.

use std::ffi::{CStr, CString};

use lua::api::{Bytes, Ctx, NativeFn, Ret};
use lua::{Lua, LuaResult, Value};

use crate::cfile;
use crate::iolib::{exec_result, file_result};

pub fn open(lua: &mut Lua) -> LuaResult<()> {
    let os = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"clock", clock),
        (b"date", date),
        (b"difftime", difftime),
        (b"execute", execute),
        (b"exit", exit),
        (b"getenv", getenv),
        (b"remove", remove),
        (b"rename", rename),
        (b"setlocale", setlocale),
        (b"time", time),
        (b"tmpname", tmpname),
    ];
    for (n, f) in funcs {
        lua.set_field(os, n, Value::NativeFn(*f))?;
    }
    lua.set_global(b"os", Value::Table(os))?;
    let loaded = lua.loaded();
    lua.set_field(loaded, b"os", Value::Table(os))
}

/// A C string from a Lua string argument; an argument error if it holds a zero byte.
fn c_arg(cx: &mut Ctx<'_>, i: usize) -> LuaResult<CString> {
    let s = cx.check_str(i)?;
    match CString::new(s.as_bytes()) {
        Ok(c) => Ok(c),
        Err(_) => Err(cx.arg_error(i, format_args!("string contains zeros"))),
    }
}

fn clear_errno() {
    // SAFETY: errno is thread-local and always writable.
    unsafe { *libc::__errno_location() = 0 };
}

fn clock(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // What C's clock() measures: the CPU time of the process.
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    cx.ret1(Value::Float(ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9))
}

fn execute(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        // SAFETY: system(NULL) only asks whether a shell exists.
        let has_shell = unsafe { libc::system(std::ptr::null()) } != 0;
        return cx.ret1(Value::Bool(has_shell));
    }
    let cmd = c_arg(cx, 1)?;
    // The command writes to our stdout too: what we buffered goes first.
    cfile::flush_all();
    clear_errno();
    // SAFETY: a valid C string.
    let st = unsafe { libc::system(cmd.as_ptr()) };
    let e = cfile::errno();
    if st == -1 && e != 0 {
        return file_result(cx, Err(e), None);
    }
    exec_result(cx, st)
}

fn exit(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let code = match cx.arg(1) {
        Value::Bool(b) => i32::from(!b),
        Value::Nil => 0,
        _ => cx.check_int(1)? as i32,
    };
    if cx.arg(2).truthy() {
        // Closing the state needs it unwound first: the interpreter closes it and exits
        // when this uncatchable error reaches it.
        if let Ok(mut c) = crate::EXIT_CLOSING.lock() {
            *c = Some(code);
        }
        return Err(lua::Error::Abort);
    }
    // `exit` flushes and closes the C streams, as in C Lua.
    // SAFETY: ends the process.
    unsafe { libc::exit(code) }
}

fn getenv(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?.as_bytes().to_vec();
    let name = String::from_utf8_lossy(&name).into_owned();
    match std::env::var_os(&name) {
        Some(v) => {
            cx.push_str(v.as_encoded_bytes())?;
            Ok(Ret::Values(1))
        }
        None => cx.ret1(Value::Nil),
    }
}

fn remove(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = c_arg(cx, 1)?;
    clear_errno();
    // SAFETY: a valid C string.
    let r = match unsafe { libc::remove(name.as_ptr()) } {
        0 => Ok(()),
        _ => Err(cfile::errno()),
    };
    file_result(cx, r, Some(name.as_bytes()))
}

fn rename(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let from = c_arg(cx, 1)?;
    let to = c_arg(cx, 2)?;
    clear_errno();
    // SAFETY: valid C strings.
    let r = match unsafe { libc::rename(from.as_ptr(), to.as_ptr()) } {
        0 => Ok(()),
        _ => Err(cfile::errno()),
    };
    file_result(cx, r, None)
}

fn tmpname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // mkstemp makes the name unique by creating the file; it stays, as with C Lua.
    let mut buf = *b"/tmp/lua_XXXXXX\0";
    // SAFETY: `buf` is a writable template ending in six X and a zero byte.
    let fd = unsafe { libc::mkstemp(buf.as_mut_ptr().cast()) };
    if fd == -1 {
        return Err(cx.error(format_args!("unable to generate a unique filename")));
    }
    // SAFETY: `fd` was just opened by mkstemp.
    unsafe { libc::close(fd) };
    cx.push_str(&buf[..buf.len() - 1])?;
    Ok(Ret::Values(1))
}

fn setlocale(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = match cx.arg(1) {
        Value::Nil => None,
        _ => Some(c_arg(cx, 1)?),
    };
    let cats = [
        libc::LC_ALL,
        libc::LC_COLLATE,
        libc::LC_CTYPE,
        libc::LC_MONETARY,
        libc::LC_NUMERIC,
        libc::LC_TIME,
    ];
    let op = cx.check_option(
        2,
        Some("all"),
        &["all", "collate", "ctype", "monetary", "numeric", "time"],
    )?;
    let cat = cats.get(op).copied().unwrap_or(libc::LC_ALL);
    let p = name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr());
    // SAFETY: `p` is null (query) or a valid C string.
    let r = unsafe { libc::setlocale(cat, p) };
    if r.is_null() {
        return cx.ret1(Value::Nil);
    }
    // SAFETY: setlocale returned a valid C string.
    let b = unsafe { CStr::from_ptr(r) }.to_bytes().to_vec();
    cx.push_str(&b)?;
    Ok(Ret::Values(1))
}

// ---- time ----

fn zero_tm() -> libc::tm {
    // SAFETY: `tm` is plain data; all zeroes (and a null zone name) is a valid value.
    unsafe { std::mem::zeroed() }
}

/// Argument `i` as a `time_t` (integral numbers only).
fn check_time(cx: &mut Ctx<'_>, i: usize) -> LuaResult<libc::time_t> {
    cx.check_int(i)
}

fn now() -> libc::time_t {
    // SAFETY: a null argument is allowed.
    unsafe { libc::time(std::ptr::null_mut()) }
}

/// A field of a date table: `default` when absent (`None`: required), `delta` subtracted,
/// and the result must fit a C `int`.
fn get_field(
    cx: &mut Ctx<'_>,
    t: lua::gc::Gc<lua::table::Table>,
    key: &str,
    default: Option<i32>,
    delta: i64,
) -> LuaResult<i32> {
    let v = cx.lua.get_field(t, key.as_bytes())?;
    let int = match v {
        Value::Int(_) | Value::Float(_) => lua::arith::to_integer(&v),
        Value::Str(s) => match lua::number::str_to_number(s.as_bytes()) {
            Some(lua::number::Number::Int(i)) => Some(i),
            Some(lua::number::Number::Float(f)) => lua::arith::to_integer(&Value::Float(f)),
            None => None,
        },
        _ => None,
    };
    match int {
        Some(i) => {
            let r = i.checked_sub(delta);
            match r.and_then(|r| i32::try_from(r).ok()) {
                Some(r) => Ok(r),
                None => Err(cx.error(format_args!("field '{key}' is out-of-bound"))),
            }
        }
        None if !v.is_nil() => Err(cx.error(format_args!("field '{key}' is not an integer"))),
        None => match default {
            Some(d) => Ok(d),
            None => Err(cx.error(format_args!("field '{key}' missing in date table"))),
        },
    }
}

/// Stores the fields of `tm` in table `t` (`os.date("*t")`, and `os.time` normalising).
fn set_fields(cx: &mut Ctx<'_>, t: lua::gc::Gc<lua::table::Table>, tm: &libc::tm) -> LuaResult<()> {
    let fields: [(&[u8], i64); 8] = [
        (b"year", tm.tm_year as i64 + 1900),
        (b"month", tm.tm_mon as i64 + 1),
        (b"day", tm.tm_mday as i64),
        (b"hour", tm.tm_hour as i64),
        (b"min", tm.tm_min as i64),
        (b"sec", tm.tm_sec as i64),
        (b"yday", tm.tm_yday as i64 + 1),
        (b"wday", tm.tm_wday as i64 + 1),
    ];
    for (k, v) in fields {
        cx.lua.set_field(t, k, Value::Int(v))?;
    }
    if tm.tm_isdst >= 0 {
        cx.lua
            .set_field(t, b"isdst", Value::Bool(tm.tm_isdst != 0))?;
    }
    Ok(())
}

fn time(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        return cx.ret1(Value::Int(now()));
    }
    let t = cx.check_table(1)?;
    let mut tm = zero_tm();
    tm.tm_year = get_field(cx, t, "year", None, 1900)?;
    tm.tm_mon = get_field(cx, t, "month", None, 1)?;
    tm.tm_mday = get_field(cx, t, "day", None, 0)?;
    tm.tm_hour = get_field(cx, t, "hour", Some(12), 0)?;
    tm.tm_min = get_field(cx, t, "min", Some(0), 0)?;
    tm.tm_sec = get_field(cx, t, "sec", Some(0), 0)?;
    tm.tm_isdst = match cx.lua.get_field(t, b"isdst")? {
        Value::Nil => -1,
        Value::Bool(false) => 0,
        _ => 1,
    };
    // SAFETY: `tm` is a valid, initialised struct.
    let r = unsafe { libc::mktime(&mut tm) };
    // mktime has normalised the fields (e.g. month 14): the table shows the result.
    set_fields(cx, t, &tm)?;
    if r == -1 {
        return Err(cx.error(format_args!(
            "time result cannot be represented in this installation"
        )));
    }
    cx.ret1(Value::Int(r))
}

fn difftime(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let a = check_time(cx, 1)?;
    let b = check_time(cx, 2)?;
    cx.ret1(Value::Float(a as f64 - b as f64))
}

/// The conversions `strftime` takes in C99, by length (`%E` and `%O` modify some).
const CONV_1: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
const CONV_E: &[u8] = b"cCxXyY";
const CONV_O: &[u8] = b"deHImMSuUVwWy";

/// The length of the conversion at the start of `s` (after the `%`), if valid.
fn conversion_len(s: &[u8]) -> Option<usize> {
    match s {
        [b'E', c, ..] if CONV_E.contains(c) => Some(2),
        [b'O', c, ..] if CONV_O.contains(c) => Some(2),
        [c, ..] if CONV_1.contains(c) && *c != b'E' && *c != b'O' => Some(1),
        _ => None,
    }
}

fn date(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fmt = match cx.opt_str(1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if cx.arg(2).is_nil() {
        now()
    } else {
        check_time(cx, 2)?
    };
    let (utc, fmt) = match fmt.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, &fmt[..]),
    };
    let mut tm = zero_tm();
    // SAFETY: valid pointers to a time and a struct to fill.
    let ok = unsafe {
        if utc {
            !libc::gmtime_r(&t, &mut tm).is_null()
        } else {
            !libc::localtime_r(&t, &mut tm).is_null()
        }
    };
    if !ok {
        return Err(cx.error(format_args!(
            "date result cannot be represented in this installation"
        )));
    }
    if fmt == b"*t" {
        let tab = cx.lua.new_table()?;
        set_fields(cx, tab, &tm)?;
        return cx.ret1(Value::Table(tab));
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let rest = &fmt[i + 1..];
        let Some(n) = conversion_len(rest) else {
            return Err(cx.arg_error(
                1,
                format_args!("invalid conversion specifier '%{}'", Bytes(rest)),
            ));
        };
        let mut spec = [0u8; 4];
        spec[0] = b'%';
        spec[1..1 + n].copy_from_slice(&rest[..n]);
        let mut buf = [0u8; 256];
        // SAFETY: `spec` is a zero-terminated conversion, `buf` has room for `buf.len()`.
        let len = unsafe {
            libc::strftime(
                buf.as_mut_ptr().cast(),
                buf.len(),
                spec.as_ptr().cast(),
                &tm,
            )
        };
        out.extend_from_slice(&buf[..len.min(buf.len())]);
        i += 1 + n;
    }
    cx.push_str(&out)?;
    Ok(Ret::Values(1))
}
