//! The `io` library of process runtimes (C Lunatik's kernel flavour of Lua's `io`): files
//! through the kernel VFS, with the credentials of the task running the script.
//!
//! ```lua
//! local f <close> = io.open("/tmp/log", "a")  -- r, w, a, each optionally with +
//! f:write("boot ", 42, "\n")                   -- returns f
//! for line in io.lines("/etc/hostname") do print(line) end
//! local g = io.open("/missing")                -- nil, "/missing: ENOENT", 2
//! ```
//!
//! Only process runtimes get it: the global `io` and `package.loaded.io`; softirq and
//! hardirq runtimes have neither, as in C Lunatik. There are no standard files, so no
//! `io.stdin`/`stdout`/`stderr`, `io.read`, `io.write`, `io.input`, `io.output`, `io.popen`,
//! `io.tmpfile`, `io.close()` without a file, nor `file:setvbuf`.
//!
//! A file is a SINGLE object (it never leaves its runtime, whose lock serialises every
//! use). Reads go through a buffer of [`BUFFER_BYTES`], charged to the runtime's memory
//! limit; writes go straight to `kernel_write`, so `flush` has nothing to do. The file
//! keeps its own position: `seek("cur")` reports where the next read or write happens,
//! counting what reads took from the buffer. The `struct file` is closed by `close`, by
//! `__gc`/`__close`, or when the runtime stops and its state goes; where the kernel cannot
//! sleep, the close is deferred to a work item.
//!
//! Failures return `nil, message, errno` as Lua does, with the errno's name for text:
//! `"<path>: ENOENT"` from `io.open`, `"EBADF"` from a read or write. Every function that
//! touches a file may sleep and refuses to run where sleeping is not allowed.

use rust_alloc::vec::Vec;

use lua::ioread::{self, Formats, Source};
use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::error::{Error, Result};
use crate::file::{File, OpenFlags, Whence};
use crate::modules::lunatik::{is_sleepable, may_sleep_error};
use crate::object::{self, Monitor, Object};
use crate::refcount::Ref;

/// Bytes a file's read buffer holds (C Lunatik reads 512 bytes at a time).
const BUFFER_BYTES: usize = 512;

/// An open file's state; `file` is `None` once closed.
///
/// Invariant: `head <= end <= buf.len()`, and `buf[head..end]` are the bytes read from the
/// file but not yet by the script, which end at the VFS position `pos`; so the script's
/// position is `pos - (end - head)`.
struct Stream {
    file: Option<File>,
    pos: i64,
    buf: Vec<u8>,
    head: usize,
    end: usize,
    /// The first read error since the current `read` began (C's `ferror`).
    error: Option<Error>,
}

impl Stream {
    /// Where the next read or write happens, for the script.
    fn position(&self) -> i64 {
        self.pos - (self.end - self.head) as i64
    }

    /// Forgets the buffered bytes, moving `pos` back to the script's position.
    fn discard_buffer(&mut self) {
        self.pos = self.position();
        self.head = 0;
        self.end = 0;
    }

    /// Refills the empty buffer; false at end of file or on an error (kept in `error`).
    fn refill(&mut self) -> bool {
        self.head = 0;
        self.end = 0;
        let Some(file) = self.file.as_ref() else {
            return false;
        };
        if self.error.is_some() {
            return false;
        }
        match file.read_at(&mut self.buf, &mut self.pos) {
            Ok(n) => {
                // INVARIANT: `read_at` returns at most `buf.len()`.
                self.end = n;
                n > 0
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    /// Writes all of `bytes`; on a failure, how much went and why.
    fn write(&mut self, bytes: &[u8]) -> core::result::Result<(), (usize, Error)> {
        self.discard_buffer();
        let Some(file) = self.file.as_ref() else {
            return Err((0, Error::EBADF));
        };
        let mut done = 0;
        while let Some(rest) = bytes.get(done..).filter(|r| !r.is_empty()) {
            match file.write_at(rest, &mut self.pos) {
                Ok(0) => return Err((done, Error::EIO)),
                Ok(n) => done += n,
                Err(e) => return Err((done, e)),
            }
        }
        Ok(())
    }

    /// Moves to `offset` from `whence` and returns the new position.
    fn seek(&mut self, whence: usize, offset: i64) -> Result<i64> {
        let Some(file) = self.file.as_ref() else {
            return Err(Error::EBADF);
        };
        let here = self.position();
        let pos = match whence {
            0 => file.seek(offset, Whence::Start),
            1 => match here.checked_add(offset) {
                Some(target) => file.seek(target, Whence::Start),
                None => Err(Error::EINVAL),
            },
            _ => file.seek(offset, Whence::End),
        }?;
        self.pos = pos;
        self.head = 0;
        self.end = 0;
        Ok(pos)
    }

    /// Closes the file (now, or from a work item where the kernel cannot sleep).
    fn close(&mut self) {
        if let Some(file) = self.file.take() {
            crate::defer::drop_where_sleepable(file);
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.close();
    }
}

/// Reads for `lua::ioread`: from the buffer, refilled 512 bytes at a time; large reads
/// go straight into their destination.
impl Source for Stream {
    fn getc(&mut self) -> Option<u8> {
        if self.head == self.end && !self.refill() {
            return None;
        }
        let c = self.buf.get(self.head).copied();
        self.head += 1;
        c
    }

    fn ungetc(&mut self, _c: u8) {
        // The byte `getc` returned is still in the buffer, just before `head`.
        self.head = self.head.saturating_sub(1);
    }

    fn read(&mut self, out: &mut [u8]) -> usize {
        let mut done = 0;
        loop {
            let buffered = self.buf.get(self.head..self.end).unwrap_or(&[]);
            let n = buffered.len().min(out.len() - done);
            if let (Some(dst), Some(src)) = (out.get_mut(done..done + n), buffered.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.head += n;
            done += n;
            let Some(rest) = out.get_mut(done..).filter(|r| !r.is_empty()) else {
                return done;
            };
            if rest.len() < BUFFER_BYTES {
                if !self.refill() {
                    return done;
                }
                continue;
            }
            let (Some(file), None) = (self.file.as_ref(), self.error) else {
                return done;
            };
            match file.read_at(rest, &mut self.pos) {
                Ok(0) => return done,
                Ok(n) => done += n,
                Err(e) => {
                    self.error = Some(e);
                    return done;
                }
            }
        }
    }
}

/// A file object.
pub(crate) struct Handle {
    stream: Monitor<Stream>,
}

impl Object for Handle {
    fn class(&self) -> &'static Class {
        &FILE
    }

    fn is_single(&self) -> bool {
        true
    }
}

/// The class of files; its name is C Lua's (`FILE* expected, got nil`).
pub(crate) static FILE: Class = Class {
    name: "FILE*",
    methods: &[
        (b"close", f_close),
        (b"flush", f_flush),
        (b"lines", f_lines),
        (b"read", f_read),
        (b"seek", f_seek),
        (b"write", f_write),
    ],
    metamethods: &[
        (b"__gc", f_gc),
        (b"__close", f_gc),
        (b"__tostring", f_tostring),
    ],
    atomic: false,
};

/// Makes `io` the global `io` and `package.loaded.io` of a process runtime's state.
///
/// # Errors
/// Out of memory.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let io = crate::require::library(
        lua,
        &[(b"open", io_open), (b"lines", io_lines), (b"type", io_type)],
    )?;
    lua.set_global(b"io", io)?;
    let loaded = lua.loaded();
    lua.set_field(loaded, b"io", io)
}

/// Raises the error of a file function called where it cannot sleep.
fn check_sleepable(cx: &mut Ctx<'_>, name: &str) -> LuaResult<()> {
    if is_sleepable(cx) {
        Ok(())
    } else {
        Err(may_sleep_error(cx, name))
    }
}

/// Argument `i` as a file, open or closed.
fn check_handle(cx: &mut Ctx<'_>, i: usize) -> LuaResult<Ref<Handle>> {
    object::check::<Handle>(cx, i, &FILE)
}

/// Argument 1 as an open file (`tofile`).
///
/// # Errors
/// `FILE* expected`, `attempt to use a closed file`.
fn check_open(cx: &mut Ctx<'_>) -> LuaResult<Ref<Handle>> {
    let h = check_handle(cx, 1)?;
    if h.stream.with(|s| s.file.is_none()) {
        return Err(cx.error(format_args!("attempt to use a closed file")));
    }
    Ok(h)
}

/// Pushes `nil, message, errno` (`luaL_fileresult`), the message `<prefix>: <ENAME>` or
/// `<ENAME>`; returns 3.
fn push_failure(cx: &mut Ctx<'_>, e: Error, prefix: Option<&[u8]>) -> LuaResult<usize> {
    cx.push(Value::Nil)?;
    let name = crate::print::Bytes(e.lua_name().as_bytes());
    let message = match prefix {
        Some(p) => cx
            .lua
            .format_value(format_args!("{}: {}", crate::print::Bytes(p), name))?,
        None => cx.lua.str_value(e.lua_name().as_bytes())?,
    };
    cx.push(message)?;
    cx.push(Value::Int(-i64::from(e.to_errno())))?;
    Ok(3)
}

/// Opens `path` with an `fopen` mode already checked, and pushes the file.
fn open_file(cx: &mut Ctx<'_>, path: &[u8], mode: &[u8]) -> LuaResult<Result<Value>> {
    let update = mode.contains(&b'+');
    let how = match mode.first() {
        Some(b'w') => OpenFlags {
            read: update,
            write: true,
            create: true,
            truncate: true,
            append: false,
        },
        Some(b'a') => OpenFlags {
            read: update,
            write: true,
            create: true,
            truncate: false,
            append: true,
        },
        _ => OpenFlags {
            read: true,
            write: update,
            ..OpenFlags::default()
        },
    };
    let mut buf = Vec::new();
    buf.try_resize(BUFFER_BYTES, 0u8)?;
    let file = match File::open(path, how) {
        Ok(file) => file,
        Err(e) => return Ok(Err(e)),
    };
    // As glibc's `fopen`: `a` starts at the end, `a+` reads from the start.
    let pos = if how.append && !how.read {
        file.seek(0, Whence::End).unwrap_or(0)
    } else {
        0
    };
    let stream = Stream {
        file: Some(file),
        pos,
        buf,
        head: 0,
        end: 0,
        error: None,
    };
    let stream = Monitor::new(&FILE, true, stream).map_err(|_| lua::Error::Memory)?;
    let v = object::new(cx.lua, Handle { stream })?;
    // On the stack before charging the buffer: the charge may collect.
    cx.push(v)?;
    if let Value::UserData(u) = v {
        cx.lua
            .set_userdata_extra::<Ref<dyn Object>>(u, BUFFER_BYTES)?;
    }
    Ok(Ok(v))
}

/// `io.open(path [, mode])`: a file, or `nil, "<path>: <ENAME>", errno`.
fn io_open(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let path = lua::tvec::try_copy_of(cx.check_str(1)?.as_bytes())?;
    let mode = match cx.opt_str(2)? {
        Some(m) => lua::tvec::try_copy_of(m.as_bytes())?,
        None => lua::tvec::try_copy_of(b"r")?,
    };
    if !ioread::is_valid_mode(&mode) {
        return Err(cx.arg_error(2, format_args!("invalid mode")));
    }
    check_sleepable(cx, "open")?;
    match open_file(cx, &path, &mode)? {
        Ok(_) => Ok(Ret::Values(1)),
        Err(e) => Ok(Ret::Values(push_failure(cx, e, Some(&path))?)),
    }
}

/// `io.lines(path, ...)`: an iterator over `path` read with the formats, which closes the
/// file at the end, and the file as the to-be-closed value of a generic `for`.
fn io_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let path = lua::tvec::try_copy_of(cx.check_str(1)?.as_bytes())?;
    check_sleepable(cx, "lines")?;
    let count = check_line_formats(cx)?;
    let f = match open_file(cx, &path, b"r")? {
        Ok(f) => f,
        Err(e) => {
            return Err(cx.error(format_args!(
                "cannot open file '{}' ({})",
                crate::print::Bytes(&path),
                e.lua_name()
            )))
        }
    };
    let it = make_lines(cx, f, count, true)?;
    cx.push(it)?;
    cx.push(Value::Nil)?;
    cx.push(Value::Nil)?;
    cx.push(f)?;
    Ok(Ret::Values(4))
}

/// `io.type(x)`: `"file"`, `"closed file"` or `nil`.
fn io_type(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let Some(h) = object::of_type::<Handle>(&v) else {
        return cx.ret1(Value::Nil);
    };
    let text: &[u8] = if h.stream.with(|s| s.file.is_none()) {
        b"closed file"
    } else {
        b"file"
    };
    cx.push_str(text)?;
    Ok(Ret::Values(1))
}

/// How many formats a `lines` call has (its arguments from 2 on).
///
/// # Errors
/// `bad argument #252 to 'lines' (too many arguments)`, as PUC Lua.
fn check_line_formats(cx: &mut Ctx<'_>) -> LuaResult<usize> {
    let count = cx.nargs().saturating_sub(1);
    if count > ioread::MAX_LINE_FORMATS {
        return Err(cx.arg_error(
            ioread::MAX_LINE_FORMATS + 2,
            format_args!("too many arguments"),
        ));
    }
    Ok(count)
}

/// The iterator over `file` reading `count` arguments from 2 on as formats (upvalues: the
/// file, whether to close it at the end, the number of formats, the formats).
fn make_lines(cx: &mut Ctx<'_>, file: Value, count: usize, to_close: bool) -> LuaResult<Value> {
    let mut up = Vec::new();
    up.try_reserve(3 + count).map_err(|_| lua::Error::Memory)?;
    up.try_push(file)?;
    up.try_push(Value::Bool(to_close))?;
    up.try_push(Value::Int(count as i64))?;
    for i in 2..2 + count {
        up.try_push(cx.arg(i))?;
    }
    cx.lua.new_native_closure(lines_step, &up)
}

/// One step of a `lines` iterator: what the formats read, or nothing at end of file (the
/// file is closed then if `io.lines` opened it); a read error is raised.
fn lines_step(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let Some(h) = object::of_type::<Handle>(&cx.upvalue(1)) else {
        return Err(cx.error(format_args!("file is already closed")));
    };
    if h.stream.with(|s| s.file.is_none()) {
        return Err(cx.error(format_args!("file is already closed")));
    }
    check_sleepable(cx, "lines")?;
    let to_close = matches!(cx.upvalue(2), Value::Bool(true));
    let count = match cx.upvalue(3) {
        Value::Int(n) => usize::try_from(n).unwrap_or(0),
        _ => 0,
    };
    let top = cx.top();
    let formats = Formats::Upvalues { first: 4, count };
    let read = h.stream.with(|s| {
        s.error = None;
        let n = ioread::read(cx, s, formats);
        n.map(|n| (n, s.error))
    });
    let (n, error) = read?;
    if let Some(e) = error {
        return Err(cx.error(format_args!("{}", e.lua_name())));
    }
    if !cx.arg(top + 1).is_nil() {
        return Ok(Ret::Values(n));
    }
    if to_close {
        h.stream.with(Stream::close);
    }
    Ok(Ret::Values(0))
}

/// `file:lines(...)`: an iterator reading the file with the formats (a line by default).
fn f_lines(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    check_open(cx)?;
    let count = check_line_formats(cx)?;
    let f = cx.arg(1);
    let it = make_lines(cx, f, count, false)?;
    cx.ret1(it)
}

/// `file:read(...)`: one value per format (`"n"`, `"l"`, `"L"`, `"a"`, a count), `nil`
/// for the first that finds nothing; `nil, message, errno` on a read error.
fn f_read(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_open(cx)?;
    check_sleepable(cx, "read")?;
    let top = cx.top();
    let read = h.stream.with(|s| {
        s.error = None;
        let n = ioread::read(cx, s, Formats::Args { first: 2 });
        n.map(|n| (n, s.error))
    });
    match read? {
        (_, Some(e)) => {
            cx.set_top(top)?;
            Ok(Ret::Values(push_failure(cx, e, None)?))
        }
        (n, None) => Ok(Ret::Values(n)),
    }
}

/// `file:write(...)`: writes strings and numbers; returns the file, or `nil, message,
/// errno, bytes written`.
fn f_write(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_open(cx)?;
    check_sleepable(cx, "write")?;
    let mut total = 0usize;
    let mut number = Vec::new();
    for i in 2..=cx.nargs() {
        let v = cx.arg(i);
        let written = match v {
            Value::Int(_) | Value::Float(_) => {
                number.clear();
                lua::tostr::number(&v, &mut number).map_err(|_| lua::Error::Memory)?;
                h.stream.with(|s| s.write(&number)).map(|()| number.len())
            }
            _ => {
                let text = cx.check_str(i)?;
                h.stream
                    .with(|s| s.write(text.as_bytes()))
                    .map(|()| text.as_bytes().len())
            }
        };
        match written {
            Ok(n) => total += n,
            Err((n, e)) => {
                let k = push_failure(cx, e, None)?;
                cx.push(Value::Int((total + n) as i64))?;
                return Ok(Ret::Values(k + 1));
            }
        }
    }
    let f = cx.arg(1);
    cx.ret1(f)
}

/// `file:seek([whence [, offset]])`: the new position from the start, or `nil, message,
/// errno`.
fn f_seek(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_open(cx)?;
    let whence = cx.check_option(2, Some("cur"), &["set", "cur", "end"])?;
    let offset = cx.opt_int(3, 0)?;
    check_sleepable(cx, "seek")?;
    match h.stream.with(|s| s.seek(whence, offset)) {
        Ok(pos) => cx.ret1(Value::Int(pos)),
        Err(e) => Ok(Ret::Values(push_failure(cx, e, None)?)),
    }
}

/// `file:flush()`: writes are not buffered, so only checks the file; `true`.
fn f_flush(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    check_open(cx)?;
    cx.ret1(Value::Bool(true))
}

/// `file:close()`: `true`.
fn f_close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_open(cx)?;
    check_sleepable(cx, "close")?;
    h.stream.with(Stream::close);
    cx.ret1(Value::Bool(true))
}

/// `__gc` and `__close`: closes a file the script left open.
fn f_gc(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_handle(cx, 1)?;
    h.stream.with(Stream::close);
    Ok(Ret::Values(0))
}

/// `__tostring`: `file (0x...)` or `file (closed)`.
fn f_tostring(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let h = check_handle(cx, 1)?;
    let v = if h.stream.with(|s| s.file.is_none()) {
        cx.lua.str_value(b"file (closed)")?
    } else {
        let id = cx.arg(1).identity();
        cx.lua.format_value(format_args!("file (0x{:x})", id))?
    };
    cx.ret1(v)
}
