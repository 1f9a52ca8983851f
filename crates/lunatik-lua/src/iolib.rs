//! The `io` library on std (host only): standard streams and files as userdata.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};

use lua::api::{Bytes, Ctx, NativeFn, Ret};
use lua::gc::Gc;
use lua::table::Table;
use lua::userdata::UserData;
use lua::{Error, Lua, LuaResult, Value};

/// A Lua file handle.
pub enum Stream {
    Stdin(BufReader<std::io::Stdin>),
    Stdout,
    Stderr,
    Read(BufReader<File>),
    Write(std::io::BufWriter<File>),
    Closed,
}

const FILE_METHODS: &[(&[u8], NativeFn)] = &[
    (b"close", f_close),
    (b"flush", f_flush),
    (b"lines", f_lines),
    (b"read", f_read),
    (b"seek", f_seek),
    (b"setvbuf", f_setvbuf),
    (b"write", f_write),
];

pub fn open(lua: &mut Lua) -> LuaResult<()> {
    let io = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"close", io_close),
        (b"lines", io_lines),
        (b"open", io_open),
        (b"read", io_read),
        (b"type", io_type),
        (b"write", io_write),
        (b"output", io_output),
        (b"input", io_input),
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
    let reg = lua.registry();
    lua.set_field(reg, b"FILE*", Value::Table(mt))?;
    let stdin = new_file(lua, Stream::Stdin(BufReader::new(std::io::stdin())))?;
    let stdout = new_file(lua, Stream::Stdout)?;
    let stderr = new_file(lua, Stream::Stderr)?;
    lua.set_field(io, b"stdin", stdin)?;
    lua.set_field(io, b"stdout", stdout)?;
    lua.set_field(io, b"stderr", stderr)?;
    lua.set_field(reg, b"_IO_output", stdout)?;
    lua.set_field(reg, b"_IO_input", stdin)?;
    lua.set_global(b"io", Value::Table(io))?;
    let loaded = lua.loaded();
    lua.set_field(loaded, b"io", Value::Table(io))
}

fn file_meta(lua: &mut Lua) -> LuaResult<Option<Gc<Table>>> {
    let reg = lua.registry();
    Ok(lua.get_field(reg, b"FILE*")?.as_table())
}

fn new_file(lua: &mut Lua, s: Stream) -> LuaResult<Value> {
    let u = lua.new_userdata(s, 0)?;
    let mt = file_meta(lua)?;
    lua.set_userdata_metatable(u, mt);
    Ok(Value::UserData(u))
}

fn stream_of(v: &Value) -> Option<Gc<UserData>> {
    match v {
        Value::UserData(u) if u.downcast_ref::<Stream>().is_some() => Some(*u),
        _ => None,
    }
}

fn check_file<'a>(cx: &mut Ctx<'_>, i: usize) -> LuaResult<&'a mut Stream> {
    let Some(u) = stream_of(&cx.arg(i)) else {
        return Err(cx.type_error(i, "FILE*"));
    };
    // SAFETY: single-threaded; the stream is used only during this call.
    let s = unsafe { UserData::downcast_mut::<Stream>(u) }.ok_or(Error::Memory)?;
    if matches!(s, Stream::Closed) {
        return Err(cx.error(format_args!("attempt to use a closed file")));
    }
    Ok(s)
}

fn io_error(cx: &mut Ctx<'_>, e: std::io::Error, name: Option<&str>) -> LuaResult<Ret> {
    cx.push(Value::Nil)?;
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    let text = match name {
        Some(n) => format!("{n}: {msg}"),
        None => msg,
    };
    cx.push_str(text.as_bytes())?;
    cx.push(Value::Int(e.raw_os_error().unwrap_or(0) as i64))?;
    Ok(Ret::Values(3))
}

fn write_to(cx: &mut Ctx<'_>, s: &mut Stream, first: usize, file: Value) -> LuaResult<Ret> {
    for i in first..=cx.nargs() {
        let v = cx.arg(i);
        let bytes = match v {
            Value::Str(s) => s.as_bytes().to_vec(),
            Value::Int(_) | Value::Float(_) => {
                let mut b = Vec::new();
                lua::tostr::number(&v, &mut b)?;
                b
            }
            _ => return Err(cx.type_error(i, "string")),
        };
        let r = match s {
            Stream::Stdout => crate::host::write_stdout(&bytes),
            Stream::Stderr => {
                crate::host::flush_stdout();
                std::io::stderr().write_all(&bytes)
            }
            Stream::Write(w) => w.write_all(&bytes),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        };
        if let Err(e) = r {
            return io_error(cx, e, None);
        }
    }
    cx.ret1(file)
}

fn io_write(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let reg = cx.lua.registry();
    let out = cx.lua.get_field(reg, b"_IO_output")?;
    let Some(u) = stream_of(&out) else {
        return Err(Error::Memory);
    };
    // SAFETY: single-threaded; used only during this call.
    let s = unsafe { UserData::downcast_mut::<Stream>(u) }.ok_or(Error::Memory)?;
    write_to(cx, s, 1, out)
}

fn f_write(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let file = cx.arg(1);
    let s = check_file(cx, 1)?;
    write_to(cx, s, 2, file)
}

/// Reads one item in format `fmt` from `s`.
fn read_item(s: &mut Stream, fmt: &[u8]) -> std::io::Result<Option<ReadItem>> {
    let r: &mut dyn BufRead = match s {
        Stream::Stdin(r) => {
            crate::host::flush_stdout();
            r
        }
        Stream::Read(r) => r,
        _ => return Err(std::io::Error::from_raw_os_error(9)),
    };
    let fmt = fmt.strip_prefix(b"*").unwrap_or(fmt);
    match fmt.first() {
        Some(b'l') | Some(b'L') => {
            let mut line = Vec::new();
            let n = r.read_until(b'\n', &mut line)?;
            if n == 0 {
                return Ok(None);
            }
            if fmt.first() == Some(&b'l') && line.last() == Some(&b'\n') {
                line.pop();
            }
            Ok(Some(ReadItem::Bytes(line)))
        }
        Some(b'a') => {
            let mut all = Vec::new();
            r.read_to_end(&mut all)?;
            Ok(Some(ReadItem::Bytes(all)))
        }
        Some(b'n') => {
            let mut text = Vec::new();
            loop {
                let buf = r.fill_buf()?;
                let Some(&c) = buf.first() else { break };
                if text.is_empty() && c.is_ascii_whitespace() {
                    r.consume(1);
                    continue;
                }
                if c.is_ascii_hexdigit()
                    || matches!(c, b'.' | b'-' | b'+' | b'x' | b'X' | b'p' | b'P')
                        && text.len() < 200
                {
                    text.push(c);
                    r.consume(1);
                } else {
                    break;
                }
            }
            Ok(Some(match lua::number::str_to_number(&text) {
                Some(lua::number::Number::Int(i)) => ReadItem::Num(Value::Int(i)),
                Some(lua::number::Number::Float(f)) => ReadItem::Num(Value::Float(f)),
                None => ReadItem::Fail,
            }))
        }
        _ => Ok(Some(ReadItem::Fail)),
    }
}

enum ReadItem {
    Bytes(Vec<u8>),
    Num(Value),
    Fail,
}

fn read_from(cx: &mut Ctx<'_>, s: &mut Stream, first: usize) -> LuaResult<Ret> {
    let n = cx.nargs();
    let mut count = 0;
    let formats: Vec<Value> = if n < first {
        vec![Value::Nil]
    } else {
        (first..=n).map(|i| cx.arg(i)).collect()
    };
    for (k, f) in formats.iter().enumerate() {
        let item = match f {
            Value::Nil => read_item(s, b"l"),
            Value::Int(count) => {
                let r: &mut dyn BufRead = match s {
                    Stream::Stdin(r) => r,
                    Stream::Read(r) => r,
                    _ => return io_error(cx, std::io::Error::from_raw_os_error(9), None),
                };
                let mut buf = vec![0u8; (*count).max(0) as usize];
                let mut got = 0;
                while got < buf.len() {
                    match r.read(&mut buf[got..]) {
                        Ok(0) => break,
                        Ok(m) => got += m,
                        Err(e) => return io_error(cx, e, None),
                    }
                }
                buf.truncate(got);
                if got == 0 && *count > 0 {
                    Ok(None)
                } else {
                    Ok(Some(ReadItem::Bytes(buf)))
                }
            }
            Value::Str(fs) => {
                let fmt = fs.as_bytes().to_vec();
                let ok = matches!(
                    fmt.strip_prefix(b"*").unwrap_or(&fmt).first(),
                    Some(b'l' | b'L' | b'a' | b'n')
                );
                if !ok {
                    return Err(cx.arg_error(first + k, format_args!("invalid format")));
                }
                read_item(s, &fmt)
            }
            _ => return Err(cx.arg_error(first + k, format_args!("invalid format"))),
        };
        match item {
            Ok(Some(ReadItem::Bytes(b))) => cx.push_str(&b)?,
            Ok(Some(ReadItem::Num(v))) => cx.push(v)?,
            Ok(Some(ReadItem::Fail)) | Ok(None) => {
                cx.push(Value::Nil)?;
                count += 1;
                break;
            }
            Err(e) => return io_error(cx, e, None),
        }
        count += 1;
    }
    Ok(Ret::Values(count))
}

fn io_read(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let reg = cx.lua.registry();
    let inp = cx.lua.get_field(reg, b"_IO_input")?;
    let Some(u) = stream_of(&inp) else {
        return Err(Error::Memory);
    };
    // SAFETY: single-threaded; used only during this call.
    let s = unsafe { UserData::downcast_mut::<Stream>(u) }.ok_or(Error::Memory)?;
    read_from(cx, s, 1)
}

fn f_read(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    read_from(cx, s, 2)
}

fn lines_iter(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let th_file = cx.arg(1);
    let Some(u) = stream_of(&th_file) else {
        return cx.ret1(Value::Nil);
    };
    // SAFETY: single-threaded; used only during this call.
    let s = unsafe { UserData::downcast_mut::<Stream>(u) }.ok_or(Error::Memory)?;
    if matches!(s, Stream::Closed) {
        return cx.ret1(Value::Nil);
    }
    match read_item(s, b"l") {
        Ok(Some(ReadItem::Bytes(b))) => {
            cx.push_str(&b)?;
            Ok(Ret::Values(1))
        }
        _ => cx.ret1(Value::Nil),
    }
}

fn f_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    check_file(cx, 1)?;
    let f = cx.arg(1);
    cx.push(Value::NativeFn(lines_iter))?;
    cx.push(f)?;
    Ok(Ret::Values(2))
}

fn io_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        let reg = cx.lua.registry();
        let inp = cx.lua.get_field(reg, b"_IO_input")?;
        cx.push(Value::NativeFn(lines_iter))?;
        cx.push(inp)?;
        return Ok(Ret::Values(2));
    }
    let name = String::from_utf8_lossy(cx.check_str(1)?.as_bytes()).into_owned();
    match File::open(&name) {
        Ok(f) => {
            let v = new_file(cx.lua, Stream::Read(BufReader::new(f)))?;
            cx.push(Value::NativeFn(lines_iter))?;
            cx.push(v)?;
            Ok(Ret::Values(2))
        }
        Err(e) => {
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
            Err(cx.error(format_args!("{}: {}", name, msg)))
        }
    }
}

fn io_open(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = String::from_utf8_lossy(cx.check_str(1)?.as_bytes()).into_owned();
    let mode = match cx.opt_str(2)? {
        Some(m) => String::from_utf8_lossy(m.as_bytes()).into_owned(),
        None => "r".to_string(),
    };
    let m = mode.trim_end_matches('b');
    let r = match m {
        "r" => File::open(&name).map(|f| Stream::Read(BufReader::new(f))),
        "w" => File::create(&name).map(|f| Stream::Write(std::io::BufWriter::new(f))),
        "a" => std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&name)
            .map(|f| Stream::Write(std::io::BufWriter::new(f))),
        "r+" | "w+" | "a+" => std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(m != "r+")
            .truncate(m == "w+")
            .append(m == "a+")
            .open(&name)
            .map(|f| Stream::Write(std::io::BufWriter::new(f))),
        _ => return Err(cx.arg_error(2, format_args!("invalid mode '{}'", Bytes(mode.as_bytes())))),
    };
    match r {
        Ok(s) => {
            let v = new_file(cx.lua, s)?;
            cx.ret1(v)
        }
        Err(e) => io_error(cx, e, Some(&name)),
    }
}

fn io_close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        let reg = cx.lua.registry();
        let out = cx.lua.get_field(reg, b"_IO_output")?;
        cx.set_top(0)?;
        cx.push(out)?;
    }
    f_close(cx)
}

fn f_close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = check_file(cx, 1)?;
    if matches!(s, Stream::Stdout | Stream::Stderr | Stream::Stdin(_)) {
        cx.push(Value::Nil)?;
        cx.push_str(b"cannot close standard file")?;
        return Ok(Ret::Values(2));
    }
    if let Stream::Write(w) = s {
        let _ = w.flush();
    }
    *s = Stream::Closed;
    cx.ret1(Value::Bool(true))
}

fn f_flush(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f = cx.arg(1);
    let s = check_file(cx, 1)?;
    match s {
        Stream::Stdout => crate::host::flush_stdout(),
        Stream::Write(w) => {
            let _ = w.flush();
        }
        _ => {}
    }
    cx.ret1(f)
}

fn f_seek(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let whence = cx.check_option(2, Some("cur"), &["set", "cur", "end"])?;
    let off = cx.opt_int(3, 0)?;
    let s = check_file(cx, 1)?;
    let pos = match whence {
        0 => SeekFrom::Start(off.max(0) as u64),
        1 => SeekFrom::Current(off),
        _ => SeekFrom::End(off),
    };
    let r = match s {
        Stream::Read(r) => r.seek(pos),
        Stream::Write(w) => w.seek(pos),
        _ => Err(std::io::Error::from_raw_os_error(29)),
    };
    match r {
        Ok(p) => cx.ret1(Value::Int(p as i64)),
        Err(e) => io_error(cx, e, None),
    }
}

fn f_setvbuf(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    check_file(cx, 1)?;
    cx.ret1(Value::Bool(true))
}

fn f_tostring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.arg(1);
    let text = match stream_of(&v) {
        Some(u) if matches!(u.downcast_ref::<Stream>(), Some(Stream::Closed)) => {
            "file (closed)".to_string()
        }
        Some(u) => format!("file (0x{:x})", u.addr()),
        None => "file".to_string(),
    };
    cx.push_str(text.as_bytes())?;
    Ok(Ret::Values(1))
}

fn io_type(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    cx.check_any(1)?;
    let r: &[u8] = match stream_of(&cx.arg(1)) {
        Some(u) if matches!(u.downcast_ref::<Stream>(), Some(Stream::Closed)) => b"closed file",
        Some(_) => b"file",
        None => return cx.ret1(Value::Nil),
    };
    cx.push_str(r)?;
    Ok(Ret::Values(1))
}

fn set_default(cx: &mut Ctx<'_>, key: &[u8], write: bool) -> LuaResult<Ret> {
    let reg = cx.lua.registry();
    match cx.arg(1) {
        Value::Nil => {}
        Value::Str(s) => {
            let name = String::from_utf8_lossy(s.as_bytes()).into_owned();
            let r = if write {
                File::create(&name).map(|f| Stream::Write(std::io::BufWriter::new(f)))
            } else {
                File::open(&name).map(|f| Stream::Read(BufReader::new(f)))
            };
            match r {
                Ok(st) => {
                    let v = new_file(cx.lua, st)?;
                    cx.lua.set_field(reg, key, v)?;
                }
                Err(e) => return Err(cx.error(format_args!("{}: {}", name, e))),
            }
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
    set_default(cx, b"_IO_output", true)
}

fn io_input(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    set_default(cx, b"_IO_input", false)
}
