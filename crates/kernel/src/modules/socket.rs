//! The `socket` module: kernel sockets in the initial network namespace (C Lunatik's
//! `luasocket`).
//!
//! ```lua
//! local socket, sk = require("socket"), require("linux.socket")
//! local s <close> = socket.new(sk.af.INET, sk.sock.STREAM, sk.ipproto.TCP)
//! s:bind(0x7f000001, 8080)  -- addresses as the family reads them (below)
//! s:listen()
//! local c = s:accept()      -- blocks; thread:stop() ends the wait (EINTR)
//! c:send(c:receive(1500))
//! ```
//!
//! Addresses are read from consecutive arguments according to the socket's family:
//! `AF_INET` `ip, port` (host-order integers), `AF_UNIX` `path`, `AF_PACKET` `protocol,
//! ifindex` (host order), `AF_NETLINK` `[pid [, groups]]`, any other family one string:
//! the bytes after `sa_family` of a `sockaddr_storage` (for `AF_INET6`, a packed
//! `sockaddr_in6` from `sin6_port` on). Addresses come back the same way; other families
//! give the 126 bytes after `sa_family`.
//!
//! Sockets are a process-context class, monitored: each method takes the socket's mutex,
//! so a blocking call keeps other runtimes out of that socket, as in C Lunatik. Unlike C
//! Lunatik, no call sleeps in the kernel's own socket waits: each is made non-blocking and
//! waits on the socket's wait queue here, in slices of [`SLICE_MS`], honouring
//! `SO_RCVTIMEO`/`SO_SNDTIMEO` (`EAGAIN` when they run out). A `kthread_stop` or a
//! signal ends the wait at once, a stop of the runtime or a `close` from another runtime
//! within a slice; the call then fails with `EINTR`. A call that finds the socket's mutex
//! taken by such a wait retries instead of sleeping in the mutex, so it gives up the same
//! way.

use core::ffi::{c_int, c_long, c_uint};
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, Ordering};

use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::error::{Error, Result};
use crate::ffi;
use crate::modules::lunatik::{is_sleepable, may_sleep_error};
use crate::object::{self, Monitor, Object, Refusal};
use crate::refcount::Ref;
use crate::runtime::{self, Context, Runtime};

// Address families read specially (`linux/socket.h`).
const AF_UNIX: i32 = 1;
const AF_INET: i32 = 2;
const AF_NETLINK: i32 = 16;
const AF_PACKET: i32 = 17;

/// `SOCK_NONBLOCK` in a socket type and `O_NONBLOCK` in `accept`/`connect` flags (x86).
const O_NONBLOCK: i64 = 0o4000;
/// `SOCK_CLOEXEC`: meaningless without a file, dropped.
const SOCK_CLOEXEC: i64 = 0o2000000;
const MSG_DONTWAIT: c_int = 0x40;
const MSG_WAITALL: c_int = 0x100;
/// Always set on sends: a kernel socket must not send `SIGPIPE` to whoever runs the script.
const MSG_NOSIGNAL: c_int = 0x4000;
/// `SOMAXCONN`, the default backlog.
const SOMAXCONN: i64 = 4096;

/// Longest sleep of a wait: between two, the waiter checks for a stop of its runtime and
/// for a `close` of the socket from another runtime.
const SLICE_MS: c_long = 100;

/// Largest `AF_UNIX` path (`sun_path` holds 108 bytes with the NUL).
const UNIX_PATH_MAX: usize = 107;
/// Bytes of a `sockaddr_storage` after `sa_family`.
const RAW_MAX: usize = ffi::SOCKADDR_SIZE - 2;

/// An open kernel socket, owned; released when dropped (which may sleep).
struct Sock(NonNull<ffi::Socket>);

// SAFETY: a kernel socket may be used and released from any task.
unsafe impl Send for Sock {}

impl Sock {
    fn raw(&self) -> *mut ffi::Socket {
        self.0.as_ptr()
    }
}

impl Drop for Sock {
    fn drop(&mut self) {
        // SAFETY: the socket came from `lk_sock_create`/`lk_sock_accept` and is released
        // once; every owner drops it where sleeping is allowed (`defer`).
        unsafe { ffi::lk_sock_release(self.raw()) }
    }
}

/// A socket object; `sock` is `None` once closed.
pub(crate) struct Socket {
    family: i32,
    /// Created with `SOCK_NONBLOCK` (or accepted with `O_NONBLOCK`): no call waits.
    nonblock: bool,
    /// Set by `close`: a call waiting in another runtime gives up at its next slice, so
    /// that `close` gets the lock.
    closing: AtomicBool,
    sock: Monitor<Option<Sock>>,
}

impl Socket {
    fn new(family: i32, nonblock: bool, sock: Sock) -> Result<Socket> {
        Ok(Socket {
            family,
            nonblock,
            closing: AtomicBool::new(false),
            sock: Monitor::new(&SOCKET, false, Some(sock))?,
        })
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let Some(sock) = self.sock.get_mut().take() {
            crate::defer::drop_where_sleepable(sock);
        }
    }
}

impl Object for Socket {
    fn class(&self) -> &'static Class {
        &SOCKET
    }
}

/// The class of socket objects.
pub(crate) static SOCKET: Class = Class {
    name: "socket",
    methods: &[
        (b"send", send),
        (b"receive", receive),
        (b"bind", bind),
        (b"listen", listen),
        (b"accept", accept),
        (b"connect", connect),
        (b"setsockopt", setsockopt),
        (b"getsockname", getsockname),
        (b"getpeername", getpeername),
        (b"close", close),
    ],
    metamethods: &[(b"__close", close)],
    atomic: false,
};

/// Opens the `socket` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"new", new)])
}

/// Where a sleeping call looks for a reason to give up.
struct Waiter<'a> {
    sock: *mut ffi::Socket,
    /// Milliseconds left; `None`: no timeout.
    left: Option<c_long>,
    runtime: Option<&'a Runtime>,
    closing: &'a AtomicBool,
}

impl Waiter<'_> {
    /// Waits until the socket has `events` (or an error or hang-up).
    ///
    /// # Errors
    /// `EAGAIN` when the timeout runs out; `EINTR` for a signal, a `kthread_stop`, a stop
    /// of the runtime or a `close`.
    fn wait(&mut self, events: c_uint) -> Result {
        loop {
            if self.slice(events)? {
                return Ok(());
            }
        }
    }

    /// Sleeps one slice (less if the socket is woken) before a call is tried again.
    ///
    /// # Errors
    /// As [`Waiter::wait`].
    fn nap(&mut self) -> Result {
        self.slice(0).map(drop)
    }

    /// One sleep of at most [`SLICE_MS`]: true if the socket has `events`.
    fn slice(&mut self, events: c_uint) -> Result<bool> {
        if should_give_up(self.runtime, self.closing) {
            return Err(Error::EINTR);
        }
        let slice = self.left.map_or(SLICE_MS, |l| l.min(SLICE_MS));
        let mut ms = slice;
        // SAFETY: the caller holds the socket (under its lock); process context.
        let ret = unsafe { ffi::lk_sock_wait(self.sock, events, &mut ms) };
        if let Some(left) = self.left.as_mut() {
            *left -= slice - ms.clamp(0, slice);
        }
        // A socket that reads as ready while its call still finds nothing must not keep
        // this loop from yielding the CPU.
        crate::context::cond_resched();
        match ret {
            r if r < 0 => Err(Error::EINTR),
            r if r > 0 => Ok(true),
            _ if self.left.is_some_and(|l| l <= 0) => Err(Error::EAGAIN),
            _ => Ok(false),
        }
    }
}

/// An address built from a script's arguments.
struct Address {
    bytes: [u8; ffi::SOCKADDR_SIZE],
    len: usize,
}

impl Address {
    fn new(family: i32) -> Address {
        let mut bytes = [0u8; ffi::SOCKADDR_SIZE];
        bytes[..2].copy_from_slice(&(family as u16).to_ne_bytes());
        Address { bytes, len: 2 }
    }

    fn put(&mut self, at: usize, src: &[u8]) {
        if let Some(dst) = self.bytes.get_mut(at..at + src.len()) {
            dst.copy_from_slice(src);
            self.len = self.len.max(at + src.len());
        }
    }
}

/// An integer argument in `range`, else `out of bounds`.
fn int_in(cx: &mut Ctx<'_>, i: usize, range: core::ops::RangeInclusive<i64>) -> LuaResult<i64> {
    let n = cx.check_int(i)?;
    if !range.contains(&n) {
        return Err(cx.arg_error(i, format_args!("out of bounds")));
    }
    Ok(n)
}

/// Reads an address of `family` from argument `i` on; returns it and the index of the
/// first argument after it.
fn address(cx: &mut Ctx<'_>, family: i32, i: usize) -> LuaResult<(Address, usize)> {
    let mut a = Address::new(family);
    let next = match family {
        AF_INET => {
            let ip = cx.check_int(i)? as u32;
            let port = int_in(cx, i + 1, 0..=0xffff)? as u16;
            a.put(2, &port.to_be_bytes());
            a.put(4, &ip.to_be_bytes());
            // sockaddr_in: 8 bytes of zeros follow.
            a.len = 16;
            i + 2
        }
        AF_UNIX => {
            let path = cx.check_str(i)?;
            if path.as_bytes().len() > UNIX_PATH_MAX {
                return Err(cx.arg_error(i, format_args!("out of bounds")));
            }
            // A C string: a NUL in the path ends it, as in C Lunatik.
            let path = path.as_bytes().split(|&b| b == 0).next().unwrap_or(&[]);
            a.put(2, path);
            a.len = 2 + path.len() + 1;
            i + 1
        }
        AF_PACKET => {
            let proto = int_in(cx, i, 0..=0xffff)? as u16;
            let ifindex = int_in(cx, i + 1, 0..=i64::from(i32::MAX))? as i32;
            a.put(2, &proto.to_be_bytes());
            a.put(4, &ifindex.to_ne_bytes());
            // sockaddr_ll: hatype, pkttype, halen and addr stay zero.
            a.len = 20;
            i + 2
        }
        AF_NETLINK => {
            let pid = cx.opt_int(i, 0)? as u32;
            let groups = cx.opt_int(i + 1, 0)? as u32;
            a.put(4, &pid.to_ne_bytes());
            a.put(8, &groups.to_ne_bytes());
            a.len = 12;
            i + 2
        }
        _ => {
            let raw = cx.check_str(i)?;
            if raw.as_bytes().len() > RAW_MAX {
                return Err(cx.arg_error(i, format_args!("out of bounds")));
            }
            a.put(2, raw.as_bytes());
            a.len = ffi::SOCKADDR_SIZE;
            i + 1
        }
    };
    Ok((a, next))
}

/// Pushes the address in `bytes` (`len` of them valid) as the family returns it.
fn push_address(cx: &mut Ctx<'_>, family: i32, bytes: &[u8], len: usize) -> LuaResult<usize> {
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, u16::from_be_bytes)
    };
    let u32_at = |at: usize, be: bool| {
        let b = bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .unwrap_or_default();
        if be {
            u32::from_be_bytes(b)
        } else {
            u32::from_ne_bytes(b)
        }
    };
    match family {
        AF_INET => {
            cx.push(Value::Int(i64::from(u32_at(4, true))))?;
            cx.push(Value::Int(i64::from(u16_at(2))))?;
            Ok(2)
        }
        AF_UNIX => {
            let path = bytes.get(2..len.clamp(2, bytes.len())).unwrap_or(&[]);
            let path = path.split(|&b| b == 0).next().unwrap_or(&[]);
            cx.push_str(path)?;
            Ok(1)
        }
        AF_NETLINK => {
            cx.push(Value::Int(i64::from(u32_at(4, false))))?;
            cx.push(Value::Int(i64::from(u32_at(8, false))))?;
            Ok(2)
        }
        _ => {
            cx.push_str(bytes.get(2..).unwrap_or(&[]))?;
            Ok(1)
        }
    }
}

/// Why a method failed inside the lock.
enum Fail {
    Closed,
    Kernel(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Kernel(e)
    }
}

/// The error a script sees for `fail`.
fn raise(cx: &mut Ctx<'_>, fail: Fail) -> lua::Error {
    match fail {
        Fail::Closed => cx.arg_error(1, format_args!("null pointer dereference")),
        Fail::Kernel(e) => crate::modules::linux::raise(cx, e),
    }
}

/// A C return value: its count, or the error it names.
fn count(ret: c_int) -> Result<usize> {
    if ret < 0 {
        Err(Error::from_errno(ret))
    } else {
        Ok(ret as usize)
    }
}

/// The socket of argument 1, for method `name` (argument errors counted as C Lunatik's
/// monitored methods: `self` is #1); refused where sleeping is not allowed.
fn this(cx: &mut Ctx<'_>, name: &'static str) -> LuaResult<Ref<Socket>> {
    let s = object::check::<Socket>(cx, 1, &SOCKET)?;
    cx.report_as(name);
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, name));
    }
    Ok(s)
}

/// How long a call waiting for the lock of a socket that another call holds (say, one
/// blocked in `accept`) sleeps between two tries.
const LOCK_RETRY_MS: c_long = 10;

/// True if a call should give up: its kthread is being stopped, its task has a signal,
/// its runtime is being stopped or the socket is being closed.
fn should_give_up(runtime: Option<&Runtime>, closing: &AtomicBool) -> bool {
    closing.load(Ordering::Relaxed)
        || runtime.is_some_and(Runtime::is_stopping)
        || crate::context::kthread_should_stop()
        // SAFETY: reads `current`'s signal state.
        || unsafe { ffi::lk_signal_pending() }
}

/// Runs `f` on the open socket under its lock, with a [`Waiter`] whose timeout is the
/// socket's receive (`send` false) or send timeout. While another call holds the lock
/// (blocked, maybe for long), this one retries every [`LOCK_RETRY_MS`] instead of sleeping
/// in the mutex, so that a stop ends its wait too (`EINTR`).
fn with_sock<R>(
    cx: &mut Ctx<'_>,
    s: &Socket,
    send: bool,
    f: impl FnOnce(&Sock, &mut Waiter<'_>) -> core::result::Result<R, Fail>,
) -> core::result::Result<R, Fail> {
    let rt = runtime::of(cx.lua);
    let rt = rt.as_deref();
    let run = |sock: &mut Option<Sock>| {
        let sock = sock.as_ref().ok_or(Fail::Closed)?;
        // SAFETY: `sock` is open and held under the lock.
        let timeout = unsafe { ffi::lk_sock_timeout(sock.raw(), send) };
        let mut waiter = Waiter {
            sock: sock.raw(),
            left: (timeout >= 0).then_some(timeout),
            runtime: rt,
            closing: &s.closing,
        };
        f(sock, &mut waiter)
    };
    let Monitor::Mutex(lock) = &s.sock else {
        return s.sock.with(run);
    };
    loop {
        if let Some(mut guard) = lock.try_lock() {
            return run(&mut guard);
        }
        if should_give_up(rt, &s.closing) {
            return Err(Fail::Kernel(Error::EINTR));
        }
        // SAFETY: process context (checked by `this`); an interruptible sleep, which a
        // kthread_stop or a signal ends early.
        unsafe { ffi::lk_schedule_ms(LOCK_RETRY_MS, false, -1) };
    }
}

/// `socket.new(family, type, protocol)`.
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let family = cx.check_int(1)?;
    let kind = cx.check_int(2)?;
    let proto = cx.check_int(3)?;
    if runtime::context_of(cx.lua) != Context::Process {
        return Err(Refusal::Context(SOCKET.name).raise(cx.lua));
    }
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "new"));
    }
    let nonblock = kind & O_NONBLOCK != 0;
    let kind = kind & !(O_NONBLOCK | SOCK_CLOEXEC);
    let (Ok(family), Ok(kind), Ok(proto)) = (
        c_int::try_from(family),
        c_int::try_from(kind),
        c_int::try_from(proto),
    ) else {
        return Err(crate::modules::linux::raise(cx, Error::EINVAL));
    };
    let mut raw = ptr::null_mut();
    // SAFETY: process context, checked above; `raw` receives the new socket.
    let ret = unsafe { ffi::lk_sock_create(family, kind, proto, &mut raw) };
    if ret < 0 {
        return Err(crate::modules::linux::raise(cx, Error::from_errno(ret)));
    }
    let Some(raw) = NonNull::new(raw) else {
        return Err(crate::modules::linux::raise(cx, Error::EINVAL));
    };
    push_socket(cx, family, nonblock, Sock(raw))
}

/// Pushes a new socket object owning `sock`.
fn push_socket(cx: &mut Ctx<'_>, family: i32, nonblock: bool, sock: Sock) -> LuaResult<Ret> {
    // On failure `sock` is dropped here, in process context: released.
    let object = Socket::new(family, nonblock, sock).map_err(|_| lua::Error::Memory)?;
    let v = object::new(cx.lua, object)?;
    cx.ret1(v)
}

/// `s:bind(address...)`.
fn bind(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "bind")?;
    let (addr, _) = address(cx, s.family, 2)?;
    let r = with_sock(cx, &s, false, |sock, _| {
        // SAFETY: an open socket; `addr` holds `len` bytes.
        let ret = unsafe { ffi::lk_sock_bind(sock.raw(), addr.bytes.as_ptr(), addr.len as c_int) };
        Ok(count(ret)?)
    });
    r.map_err(|f| raise(cx, f))?;
    Ok(Ret::Values(0))
}

/// `s:listen([backlog])`.
fn listen(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "listen")?;
    let backlog = cx.opt_int(2, SOMAXCONN)?.clamp(0, i64::from(c_int::MAX)) as c_int;
    let r = with_sock(cx, &s, false, |sock, _| {
        // SAFETY: an open socket.
        Ok(count(unsafe { ffi::lk_sock_listen(sock.raw(), backlog) })?)
    });
    r.map_err(|f| raise(cx, f))?;
    Ok(Ret::Values(0))
}

/// `s:accept([flags])`: the connection as a new socket.
fn accept(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "accept")?;
    let flags = cx.opt_int(2, 0)?;
    let nonblock = s.nonblock || flags & O_NONBLOCK != 0;
    let r = with_sock(cx, &s, false, |sock, waiter| loop {
        let mut raw = ptr::null_mut();
        // SAFETY: an open socket; `raw` receives the new one.
        let ret = unsafe { ffi::lk_sock_accept(sock.raw(), &mut raw, O_NONBLOCK as c_int) };
        match count(ret) {
            Err(Error::EAGAIN) if !nonblock => waiter.wait(ffi::SOCK_READ)?,
            Err(e) => return Err(Fail::Kernel(e)),
            Ok(_) => {
                return NonNull::new(raw)
                    .map(Sock)
                    .ok_or(Fail::Kernel(Error::EINVAL))
            }
        }
    });
    let new = r.map_err(|f| raise(cx, f))?;
    push_socket(cx, s.family, flags & O_NONBLOCK != 0, new)
}

/// `s:connect(address... [, flags])`: `flags` is the argument after the address (C
/// Lunatik reads it from argument 4 or else 3, so there a port could be taken as flags).
fn connect(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "connect")?;
    let (addr, next) = address(cx, s.family, 2)?;
    let flags = cx.opt_int(next, 0)?;
    let nonblock = s.nonblock || flags & O_NONBLOCK != 0;
    let flags = (flags as c_int) | O_NONBLOCK as c_int;
    let r = with_sock(cx, &s, true, |sock, waiter| loop {
        // SAFETY: an open socket; `addr` holds `len` bytes.
        let ret = unsafe {
            ffi::lk_sock_connect(sock.raw(), addr.bytes.as_ptr(), addr.len as c_int, flags)
        };
        match count(ret) {
            Err(e) if nonblock => return Err(Fail::Kernel(e)),
            // In progress (TCP): a second connect once writable gives the outcome.
            Err(Error::EINPROGRESS | Error::EALREADY) => match waiter.wait(ffi::SOCK_WRITE) {
                Err(Error::EAGAIN) => return Err(Fail::Kernel(Error::EINPROGRESS)),
                r => r?,
            },
            // No room at the peer (AF_UNIX backlog): try again after a slice.
            Err(Error::EAGAIN) => waiter.nap()?,
            Err(e) => return Err(Fail::Kernel(e)),
            Ok(_) => return Ok(()),
        }
    });
    r.map_err(|f| raise(cx, f))?;
    Ok(Ret::Values(0))
}

/// `s:send(msg [, address...])`: bytes sent. The address is read when a third argument
/// is given, or always for `AF_NETLINK` (default: the kernel).
fn send(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "send")?;
    let msg = cx.check_str(2)?;
    let to = if cx.nargs() >= 3 || s.family == AF_NETLINK {
        Some(address(cx, s.family, 3)?.0)
    } else {
        None
    };
    let (addr, addrlen) = to
        .as_ref()
        .map_or((ptr::null(), 0), |a| (a.bytes.as_ptr(), a.len as c_int));
    let nonblock = s.nonblock;
    let bytes = msg.as_bytes();
    let r = with_sock(cx, &s, true, |sock, waiter| {
        let mut sent = 0;
        loop {
            let rest = bytes.get(sent..).unwrap_or(&[]);
            let flags = MSG_DONTWAIT | MSG_NOSIGNAL;
            // SAFETY: an open socket; `rest` and the address are valid for their lengths.
            let ret = unsafe {
                ffi::lk_sock_send(sock.raw(), rest.as_ptr(), rest.len(), addr, addrlen, flags)
            };
            match count(ret) {
                Ok(n) => {
                    sent += n;
                    if sent >= bytes.len() || n == 0 || nonblock {
                        return Ok(sent);
                    }
                }
                Err(Error::EAGAIN) if !nonblock => match waiter.wait(ffi::SOCK_WRITE) {
                    Err(_) if sent > 0 => return Ok(sent),
                    r => r?,
                },
                Err(_) if sent > 0 => return Ok(sent),
                Err(e) => return Err(Fail::Kernel(e)),
            }
        }
    });
    let sent = r.map_err(|f| raise(cx, f))?;
    cx.ret1(Value::Int(sent as i64))
}

/// `s:receive(len [, flags [, from]])`: the data, and the sender's address with `from`.
fn receive(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "receive")?;
    let len = cx.check_int(2)?;
    let flags = cx.opt_int(3, 0)? as c_int;
    let from = cx.arg(4).truthy();
    let Ok(len) = usize::try_from(len) else {
        return Err(cx.arg_error(2, format_args!("out of bounds")));
    };
    let mut buf = lua::tvec::try_with_capacity(len)?;
    buf.try_resize(len, 0u8)?;
    let mut addr = [0u8; ffi::SOCKADDR_SIZE];
    let mut addrlen: c_int = 0;
    let nonblock = s.nonblock || flags & MSG_DONTWAIT != 0;
    let waitall = flags & MSG_WAITALL != 0;
    let r = with_sock(cx, &s, false, |sock, waiter| {
        let mut got = 0;
        loop {
            let rest = buf.get_mut(got..).unwrap_or(&mut []);
            // SAFETY: an open socket; `rest` and `addr` are valid for their lengths.
            let ret = unsafe {
                ffi::lk_sock_recv(
                    sock.raw(),
                    rest.as_mut_ptr(),
                    rest.len(),
                    (flags & !MSG_WAITALL) | MSG_DONTWAIT,
                    addr.as_mut_ptr(),
                    &mut addrlen,
                )
            };
            match count(ret) {
                Ok(n) => {
                    got += n;
                    if !waitall || n == 0 || got >= len || nonblock {
                        return Ok(got);
                    }
                }
                Err(Error::EAGAIN) if !nonblock => match waiter.wait(ffi::SOCK_READ) {
                    Err(_) if got > 0 => return Ok(got),
                    r => r?,
                },
                Err(_) if got > 0 => return Ok(got),
                Err(e) => return Err(Fail::Kernel(e)),
            }
        }
    });
    let got = r.map_err(|f| raise(cx, f))?;
    cx.push_str(buf.get(..got).unwrap_or(&[]))?;
    if !from {
        return Ok(Ret::Values(1));
    }
    let n = push_address(cx, s.family, &addr, addrlen.max(0) as usize)?;
    Ok(Ret::Values(1 + n))
}

/// `s:setsockopt(level, name, value)`: `value` an integer (a C `int`) or a string (the
/// option's bytes, e.g. a packed `struct`).
fn setsockopt(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = this(cx, "setsockopt")?;
    let level = cx.check_int(2)? as c_int;
    let name = cx.check_int(3)? as c_int;
    let (int, text);
    let value: &[u8] = match cx.arg(4) {
        Value::Str(v) => {
            text = v;
            text.as_bytes()
        }
        _ => {
            int = (cx.check_int(4)? as c_int).to_ne_bytes();
            &int
        }
    };
    let r = with_sock(cx, &s, false, |sock, _| {
        // SAFETY: an open socket; `value` is valid for its length.
        let ret = unsafe {
            ffi::lk_sock_setsockopt(
                sock.raw(),
                level,
                name,
                value.as_ptr(),
                value.len() as c_uint,
            )
        };
        Ok(count(ret)?)
    });
    r.map_err(|f| raise(cx, f))?;
    Ok(Ret::Values(0))
}

/// `getsockname`/`getpeername`.
fn name_of(cx: &mut Ctx<'_>, peer: bool) -> LuaResult<Ret> {
    let s = this(cx, if peer { "getpeername" } else { "getsockname" })?;
    let mut addr = [0u8; ffi::SOCKADDR_SIZE];
    let r = with_sock(cx, &s, false, |sock, _| {
        // SAFETY: an open socket; `addr` has the size the shim fills.
        Ok(count(unsafe {
            ffi::lk_sock_name(sock.raw(), peer, addr.as_mut_ptr())
        })?)
    });
    let len = r.map_err(|f| raise(cx, f))?;
    let n = push_address(cx, s.family, &addr, len)?;
    Ok(Ret::Values(n))
}

/// `s:getsockname()`.
fn getsockname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    name_of(cx, false)
}

/// `s:getpeername()`.
fn getpeername(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    name_of(cx, true)
}

/// `s:close()`, `__close`: shuts the socket down and releases it now; a call waiting in
/// another runtime gives up first (at its next slice).
fn close(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let s = object::check::<Socket>(cx, 1, &SOCKET)?;
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "close"));
    }
    s.closing.store(true, Ordering::Relaxed);
    let sock = s.sock.with(Option::take);
    drop(sock);
    Ok(Ret::Values(0))
}
