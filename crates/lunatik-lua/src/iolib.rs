//! The `io` library on the host: files are `FILE*` userdata over C stdio (`cfile.rs`), with
//! the results and error messages of C Lua's `io`.

use lua::api::{Bytes, Ctx, NativeFn, Ret};
use lua::gc::Gc;
use lua::ioread::{self, Formats};
use lua::userdata::UserData;
use lua::{Error, Lua, LuaResult, Value};

use crate::cfile::{self, Closed, Errno, Kind, Std, Stream};

const FILE_METHODS: &[(&[u8], NativeFn)] = &[
    (b"close", f_close),
    (b"flush", f_flush),
    (b"lines", f_lines),
    (b"read", f_read),
    (b"seek", f_seek),
    (b"setvbuf", f_setvbuf),
    (b"write", f_write),
];

const INPUT: &[u8] = b"_IO_input";
const OUTPUT: &[u8] = b"_IO_output";

pub fn open(lua: &mut Lua) -> LuaResult<()> {
    let io = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"close", io_close),
        (b"flush", io_flush),
        (b"input", io_input),
        (b"lines", io_lines),
        (b"open", io_open),
        (b"output", io_output),
        (b"popen", io_popen),
        (b"read", io_read),
        (b"tmpfile", io_tmpfile),
        (b"type", io_type),
        (b"write", io_write),
    ];
    for (n, f) in funcs {
        lua.set_field(io, n, Value::NativeFn(*f))?;
    }
    let mt = lua.new_table()?;
    let methods = lua.new_table()?;
    for (n, f) in FILE_METHODS {
        lua.set_field(methods, n, Value::NativeFn(*f))?;
    }
    lua.set_field(mt, b"__index", Value::Table(methods))?;
    let name = lua.str_value(b"FILE*")?;
    lua.set_field(mt, b"__name", name)?;
    lua.set_field(mt, b"__tostring", Value::NativeFn(f_tostring))?;
    lua.set_field(mt, b"__gc", Value::NativeFn(f_gc))?;
    lua.set_field(mt, b"__close", Value::NativeFn(f_gc))?;
    let reg = lua.registry();
    lua.set_field(reg, b"FILE*", Value::Table(mt))?;
    let stdin = new_file(lua, Stream::standard(Std::In))?;
    let stdout = new_file(lua, Stream::standard(Std::Out))?;
    let stderr = new_file(lua, Stream::standard(Std::Err))?;
    lua.set_field(io, b"stdin", stdin)?;
    lua.set_field(io, b"stdout", stdout)?;
    lua.set_field(io, b"stderr", stderr)?;
    lua.set_field(reg, OUTPUT, stdout)?;
    lua.set_field(reg, INPUT, stdin)?;
    lua.set_global(b"io", Value::Table(io))?;
    let loaded = lua.loaded();
    lua.set_field(loaded, b"io", Value::Table(io))
}

fn new_file(lua: &mut Lua, s: Stream) -> LuaResult<Value> {
    let u = lua.new_userdata(s, 0)?;
    let reg = lua.registry();
    let mt = lua.get_field(reg, b"FILE*")?.as_table();
    lua.set_userdata_metatable(u, mt);
    Ok(Value::UserData(u))
}

/// The stream of a `FILE*` value, closed or not.
fn stream_of(v: &Value) -> Option<&'static mut Stream> {
    match v {
        // SAFETY: single-threaded, and no caller keeps the reference past its native call.
        Value::UserData(u) => unsafe { UserData::downcast_mut::<Stream>(*u) },
        _ => None,
    }
}

/// Argument `i` as an open file (`tofile`).
fn check_file(cx: &mut Ctx<'_>, i: usize) -> LuaResult<&'static mut Stream> {
    let Some(s) = stream_of(&cx.arg(i)) else {
        return Err(cx.type_error(i, "FILE*"));
    };
    if s.is_closed() {
        return Err(cx.error(format_args!("attempt to use a closed file")));
    }
    Ok(s)
}

/// The default input or output file; an error when it was closed.
fn default_file(cx: &mut Ctx<'_>, key: &[u8]) -> LuaResult<(Value, &'static mut Stream)> {
    let reg = cx.lua.registry();
    let v = cx.lua.get_field(reg, key)?;
    match stream_of(&v) {
        Some(s) if !s.is_closed() => Ok((v, s)),
        _ => {
            let which = if key == INPUT { "input" } else { "output" };
            Err(cx.error(format_args!("default {which} file is closed")))
        }
    }
}

/// `fail, message, errno` (`luaL_fileresult`), the message prefixed with `name`.
pub fn push_failure(cx: &mut Ctx<'_>, e: Errno, name: Option<&[u8]>) -> LuaResult<usize> {
    cx.push(Value::Nil)?;
    let mut msg = Vec::new();
    if let Some(n) = name {
        msg.extend_from_slice(n);
        msg.extend_from_slice(b": ");
    }
    if e == 0 {
        msg.extend_from_slice(b"(no extra info)");
    } else {
        msg.extend_from_slice(&cfile::strerror(e));
    }
    cx.push_str(&msg)?;
    cx.push(Value::Int(e as i64))?;
    Ok(3)
}

/// `true`, or `fail, message, errno`.
pub fn file_result(cx: &mut Ctx<'_>, r: Result<(), Errno>, name: Option<&[u8]>) -> LuaResult<Ret> {
    match r {
        Ok(()) => cx.ret1(Value::Bool(true)),
        Err(e) => Ok(Ret::Values(push_failure(cx, e, name)?)),
    }
}

/// What a command's `wait` status means (`luaL_execresult`): `true|fail, "exit"|"signal", n`.
pub fn exec_result(cx: &mut Ctx<'_>, status: i32) -> LuaResult<Ret> {
    let (what, code): (&[u8], i32) = if libc::WIFEXITED(status) {
        (b"exit", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        (b"signal", libc::WTERMSIG(status))
    } else {
        (b"exit", status)
    };
    let ok = what == b"exit" && code == 0;
    cx.push(if ok { Value::Bool(true) } else { Value::Nil })?;
    cx.push_str(what)?;
    cx.push(Value::Int(code as i64))?;
    Ok(Ret::Values(3))
}

fn close_stream(cx: &mut Ctx<'_>, s: &mut Stream) -> LuaResult<Ret> {
    if s.kind == Kind::Std {
        cx.push(Value::Nil)?;
        cx.push_str(b"cannot close standard file")?;
        return Ok(Ret::Values(2));
    }
    match s.close() {
        Closed::Ok => cx.ret1(Value::Bool(true)),
        Closed::Failed(e) => file_result(cx, Err(e), None),
        Closed::Status(st) => exec_result(cx, st),
    }
}

fn io_close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        let (_, s) = default_file(cx, OUTPUT)?;
        return close_stream(cx, s);
    }
    f_close(cx)
}

fn f_close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    close_stream(cx, s)
}

/// `__gc` and `__close`: closes a file the script left open (errors are dropped).
fn f_gc(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    // Called by a script, it checks its argument like any method (`luaL_checkudata`).
    let Some(s) = stream_of(&cx.arg(1)) else {
        return Err(cx.type_error(1, "FILE*"));
    };
    if s.kind != Kind::Std {
        let _ = s.close();
    }
    Ok(Ret::Values(0))
}

fn io_flush(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, s) = default_file(cx, OUTPUT)?;
    let r = s.flush();
    file_result(cx, r, None)
}

fn f_flush(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    let r = s.flush();
    file_result(cx, r, None)
}

// ---- writing ----

fn write_args(cx: &mut Ctx<'_>, s: &mut Stream, first: usize, file: Value) -> LuaResult<Ret> {
    let mut total = 0i64;
    let mut num = Vec::new();
    for i in first..=cx.nargs() {
        let v = cx.arg(i);
        let r = match v {
            Value::Int(_) | Value::Float(_) => {
                num.clear();
                lua::tostr::number(&v, &mut num).map_err(|_| Error::Memory)?;
                s.write(&num).map(|_| num.len())
            }
            _ => {
                let b = cx.check_str(i)?;
                s.write(b.as_bytes()).map(|_| b.as_bytes().len())
            }
        };
        match r {
            Ok(n) => total += n as i64,
            Err((n, e)) => {
                let k = push_failure(cx, e, None)?;
                cx.push(Value::Int(total + n as i64))?;
                return Ok(Ret::Values(k + 1));
            }
        }
    }
    cx.ret1(file)
}

fn io_write(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (f, s) = default_file(cx, OUTPUT)?;
    write_args(cx, s, 1, f)
}

fn f_write(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    let f = cx.arg(1);
    write_args(cx, s, 2, f)
}

// ---- reading ----

/// Reads with `formats` (`g_read`, in `lua::ioread`): the values, or `fail, message,
/// errno` after a read error.
fn read_values(cx: &mut Ctx<'_>, s: &mut Stream, formats: Formats) -> LuaResult<Ret> {
    s.begin_read();
    let top = cx.top();
    let n = ioread::read(cx, s, formats)?;
    match s.read_error() {
        Some(e) => {
            cx.set_top(top)?;
            Ok(Ret::Values(push_failure(cx, e, None)?))
        }
        None => Ok(Ret::Values(n)),
    }
}

fn io_read(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, s) = default_file(cx, INPUT)?;
    read_values(cx, s, Formats::Args { first: 1 })
}

fn f_read(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    read_values(cx, s, Formats::Args { first: 2 })
}

/// The iterator of `lines`; upvalues: the file, whether to close it at the end, the number
/// of formats, the formats.
fn lines_step(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let file = cx.upvalue(1);
    let to_close = matches!(cx.upvalue(2), Value::Bool(true));
    let count = match cx.upvalue(3) {
        Value::Int(n) => n.max(0) as usize,
        _ => 0,
    };
    let s = match stream_of(&file) {
        Some(s) if !s.is_closed() => s,
        _ => return Err(cx.error(format_args!("file is already closed"))),
    };
    s.begin_read();
    let top = cx.top();
    ioread::read(cx, s, Formats::Upvalues { first: 4, count })?;
    if let Some(e) = s.read_error() {
        let m = cfile::strerror(e);
        return Err(cx.error(format_args!("{}", Bytes(&m))));
    }
    if !cx.arg(top + 1).is_nil() {
        return Ok(Ret::Values(cx.top() - top));
    }
    if to_close {
        let _ = s.close();
    }
    Ok(Ret::Values(0))
}

fn args_from(cx: &Ctx<'_>, first: usize) -> Vec<Value> {
    (first..=cx.nargs()).map(|i| cx.arg(i)).collect()
}

/// The iterator over `file` reading the arguments from `first` on as formats.
fn make_lines(cx: &mut Ctx<'_>, file: Value, first: usize, to_close: bool) -> LuaResult<Value> {
    let fmts = args_from(cx, first);
    if fmts.len() > ioread::MAX_LINE_FORMATS {
        return Err(cx.arg_error(
            ioread::MAX_LINE_FORMATS + 2,
            format_args!("too many arguments"),
        ));
    }
    let mut up = vec![file, Value::Bool(to_close), Value::Int(fmts.len() as i64)];
    up.extend_from_slice(&fmts);
    cx.lua.new_native_closure(lines_step, &up)
}

fn f_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    check_file(cx, 1)?;
    let f = cx.arg(1);
    let it = make_lines(cx, f, 2, false)?;
    cx.ret1(it)
}

fn io_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        let (f, _) = default_file(cx, INPUT)?;
        let it = make_lines(cx, f, 2, false)?;
        return cx.ret1(it);
    }
    let name = cx.check_str(1)?.as_bytes().to_vec();
    let f = open_or_raise(cx, &name, b"r")?;
    let it = make_lines(cx, f, 2, true)?;
    cx.push(it)?;
    cx.push(Value::Nil)?;
    cx.push(Value::Nil)?;
    cx.push(f)?;
    Ok(Ret::Values(4))
}

/// Opens `name` or raises "cannot open file" (`io.lines`, `io.input`, `io.output`).
fn open_or_raise(cx: &mut Ctx<'_>, name: &[u8], mode: &[u8]) -> LuaResult<Value> {
    match Stream::open(name, mode) {
        Ok(s) => new_file(cx.lua, s),
        Err(e) => {
            let msg = cfile::strerror(e);
            Err(cx.error(format_args!(
                "cannot open file '{}' ({})",
                Bytes(name),
                Bytes(&msg)
            )))
        }
    }
}

// ---- opening ----

fn io_open(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = cx.check_str(1)?.as_bytes().to_vec();
    let mode = match cx.opt_str(2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if !ioread::is_valid_mode(&mode) {
        return Err(cx.arg_error(2, format_args!("invalid mode")));
    }
    match Stream::open(&name, &mode) {
        Ok(s) => {
            let v = new_file(cx.lua, s)?;
            cx.ret1(v)
        }
        Err(e) => Ok(Ret::Values(push_failure(cx, e, Some(&name))?)),
    }
}

fn io_popen(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let cmd = cx.check_str(1)?.as_bytes().to_vec();
    let mode = match cx.opt_str(2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if mode != b"r" && mode != b"w" {
        return Err(cx.arg_error(2, format_args!("invalid mode")));
    }
    match Stream::popen(&cmd, &mode) {
        Ok(s) => {
            let v = new_file(cx.lua, s)?;
            cx.ret1(v)
        }
        Err(e) => Ok(Ret::Values(push_failure(cx, e, Some(&cmd))?)),
    }
}

fn io_tmpfile(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    match Stream::tmpfile() {
        Ok(s) => {
            let v = new_file(cx.lua, s)?;
            cx.ret1(v)
        }
        Err(e) => Ok(Ret::Values(push_failure(cx, e, None)?)),
    }
}

/// `io.input`/`io.output`: with a name opens it, with a file sets it; returns the current.
fn set_default(cx: &mut Ctx<'_>, key: &[u8], mode: &[u8]) -> LuaResult<Ret> {
    let reg = cx.lua.registry();
    match cx.arg(1) {
        Value::Nil => {}
        Value::Str(s) => {
            let name = s.as_bytes().to_vec();
            let f = open_or_raise(cx, &name, mode)?;
            cx.lua.set_field(reg, key, f)?;
        }
        v => {
            check_file(cx, 1)?;
            cx.lua.set_field(reg, key, v)?;
        }
    }
    let cur = cx.lua.get_field(reg, key)?;
    cx.ret1(cur)
}

fn io_output(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    set_default(cx, OUTPUT, b"w")
}

fn io_input(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    set_default(cx, INPUT, b"r")
}

// ---- the rest ----

fn f_seek(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    let whence = cx.check_option(2, Some("cur"), &["set", "cur", "end"])?;
    let off = cx.opt_int(3, 0)?;
    let w = [libc::SEEK_SET, libc::SEEK_CUR, libc::SEEK_END];
    match s.seek(w.get(whence).copied().unwrap_or(libc::SEEK_CUR), off) {
        Ok(p) => cx.ret1(Value::Int(p)),
        Err(e) => Ok(Ret::Values(push_failure(cx, e, None)?)),
    }
}

fn f_setvbuf(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    let mode = cx.check_option(2, None, &["no", "full", "line"])?;
    let size = cx.opt_int(3, 1024)?;
    let m = [libc::_IONBF, libc::_IOFBF, libc::_IOLBF];
    let r = s.setvbuf(
        m.get(mode).copied().unwrap_or(libc::_IOFBF),
        size.max(0) as usize,
    );
    file_result(cx, r, None)
}

fn f_tostring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let text = match stream_of(&cx.arg(1)) {
        Some(s) if s.is_closed() => "file (closed)".to_string(),
        Some(s) => format!("file (0x{:x})", s.addr()),
        None => "file".to_string(),
    };
    cx.push_str(text.as_bytes())?;
    Ok(Ret::Values(1))
}

fn io_type(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    cx.check_any(1)?;
    let v = cx.arg(1);
    let is_file = match v {
        Value::UserData(u) => is_file_userdata(cx.lua, u),
        _ => false,
    };
    let r: &[u8] = match stream_of(&v) {
        Some(s) if is_file && s.is_closed() => b"closed file",
        Some(_) if is_file => b"file",
        _ => return cx.ret1(Value::Nil),
    };
    cx.push_str(r)?;
    Ok(Ret::Values(1))
}

/// A userdata is a file when it carries the `FILE*` metatable (as `luaL_testudata`).
fn is_file_userdata(lua: &mut Lua, u: Gc<UserData>) -> bool {
    let reg = lua.registry();
    match (lua.get_field(reg, b"FILE*"), u.metatable()) {
        (Ok(Value::Table(mt)), Some(m)) => mt == m,
        _ => false,
    }
}
