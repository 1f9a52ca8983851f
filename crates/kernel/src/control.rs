//! `/dev/lunatik`, the control device (mode 0600).
//!
//! Protocol: each write(2) is one request, a Lua chunk; the read(2)s that follow return its
//! reply, then end of file. The chunk runs in the control runtime (a process runtime named
//! `control` whose state persists between requests; requests from all files run one at a
//! time under its mutex). It is first compiled as `return <chunk>`, so that an expression
//! gives its values, and if that does not compile, as is. The reply is `+` followed by the
//! results converted as `tostring` does and separated by tabs, or `-` followed by the error
//! message and a traceback. A new write replaces a reply not yet read; each open file has
//! its own reply. A killed writer aborts a running chunk at its next instruction slice.

use core::ffi::c_void;
use core::ptr;

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::{Lua, Mode, Value};

use crate::alloc::try_box;
use crate::error::{Error, Result};
use crate::ffi;
use crate::refcount::Ref;
use crate::runtime::{Context, Runtime};
use crate::stack::Entry;
use crate::sync::Mutex;
use crate::user::{self, UserPtr};

/// The largest request one write(2) may carry.
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// Registry key of the function that formats results.
const FORMAT_KEY: &[u8] = b"lunatik.control.format";

/// Joins its arguments converted by `tostring` with tabs (runs in the control state, so
/// that `__tostring` metamethods are honoured).
const FORMAT_SOURCE: &[u8] = b"local tostring, select = tostring, select
return function(...)
  local text = ''
  for i = 1, select('#', ...) do
    if i > 1 then text = text .. '\t' end
    text = text .. tostring((select(i, ...)))
  end
  return text
end";

/// State shared by every open file of the device.
pub(crate) struct Control {
    runtime: Ref<Runtime>,
}

/// The reply of an open file's last request.
struct Reply {
    bytes: Vec<u8>,
    /// How much of `bytes` read(2) has returned already.
    read_bytes: usize,
}

/// State of one open file.
pub(crate) struct OpenFile {
    reply: Mutex<Reply>,
}

impl Control {
    /// Creates the control runtime. Process context.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub(crate) fn new() -> Result<Self> {
        let runtime = Runtime::new(b"control", Context::Process)?;
        let installed = runtime.run(Entry::Syscall, |lua| -> lua::LuaResult<()> {
            let chunk = lua.load(FORMAT_SOURCE, b"=control", Mode::Text, None)?;
            let format = lua.call(chunk, &[])?;
            let f = format.first().copied().unwrap_or(Value::Nil);
            let registry = lua.registry();
            lua.set_field(registry, FORMAT_KEY, f)
        });
        match installed {
            Ok(Ok(())) => Ok(Control { runtime }),
            _ => {
                let _ = runtime.stop();
                Err(Error::ENOMEM)
            }
        }
    }

    /// State for a new open file.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub(crate) fn open(&self) -> Result<Box<OpenFile>> {
        try_box(OpenFile {
            reply: Mutex::new(Reply {
                bytes: Vec::new(),
                read_bytes: 0,
            })?,
        })
    }

    /// Evaluates the request in `src..src+len` and keeps its reply for `file`.
    ///
    /// # Errors
    /// `EFBIG` for a request over [`MAX_REQUEST_BYTES`], `EFAULT` for an unreadable buffer,
    /// `EINTR` if a signal came while waiting for another request to finish, `ENOMEM`. A
    /// failing chunk is not an error here: its reply starts with `-`.
    pub(crate) fn write(&self, file: &OpenFile, src: UserPtr, len: usize) -> Result<usize> {
        if len > MAX_REQUEST_BYTES {
            return Err(Error::EFBIG);
        }
        let request = user::read_all(src, len)?;
        let reply = match self
            .runtime
            .run(Entry::Syscall, |lua| evaluate(lua, &request))
        {
            Ok(reply) => reply?,
            Err(e) => return Err(e.errno()),
        };
        let mut slot = file.reply.lock();
        slot.bytes = reply;
        slot.read_bytes = 0;
        Ok(len)
    }

    /// Copies up to `len` unread bytes of `file`'s reply to `dst`; 0 at the end of the reply
    /// and when there is none.
    ///
    /// # Errors
    /// `EFAULT` for an unwritable buffer.
    pub(crate) fn read(&self, file: &OpenFile, dst: UserPtr, len: usize) -> Result<usize> {
        let mut reply = file.reply.lock();
        let unread = reply.bytes.get(reply.read_bytes..).unwrap_or(&[]);
        let chunk = unread.get(..len.min(unread.len())).unwrap_or(&[]);
        user::write_all(dst, chunk)?;
        let copied = chunk.len();
        reply.read_bytes += copied;
        Ok(copied)
    }
}

impl Drop for Control {
    fn drop(&mut self) {
        let _ = self.runtime.stop();
    }
}

/// A reply: `status` then `payload`.
fn reply(status: u8, payload: &[u8]) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(payload.len() + 1)?;
    bytes.try_push(status)?;
    bytes.try_extend_from_slice(payload)?;
    Ok(bytes)
}

/// Evaluates one request in the control state and returns its reply.
fn evaluate(lua: &mut Lua, request: &[u8]) -> Result<Vec<u8>> {
    let mut as_expression = Vec::new();
    as_expression.try_reserve_exact(request.len() + 7)?;
    as_expression.try_extend_from_slice(b"return ")?;
    as_expression.try_extend_from_slice(request)?;
    let chunk = match lua.load(&as_expression, b"=control", Mode::Text, None) {
        Ok(f) => f,
        Err(lua::Error::Memory) => return reply(b'-', b"not enough memory"),
        Err(_) => match lua.load(request, b"=control", Mode::Text, None) {
            Ok(f) => f,
            Err(e) => return reply(b'-', &lua.error_message(&e)),
        },
    };
    drop(as_expression);
    let results = match lua.call_traceback(chunk, &[]) {
        Ok(results) => results,
        Err(message) => return reply(b'-', &message),
    };
    let registry = lua.registry();
    let format = lua.get_field(registry, FORMAT_KEY).unwrap_or(Value::Nil);
    match lua.call(format, &results) {
        Ok(text) => match text.first() {
            Some(Value::Str(s)) => reply(b'+', s.as_bytes()),
            _ => reply(b'+', b""),
        },
        Err(e) => reply(b'-', &lua.error_message(&e)),
    }
}

/// The device's registration; dropping it removes `/dev/lunatik`.
pub(crate) struct Registration(());

impl Registration {
    /// Creates `/dev/lunatik`, whose file operations use `control`.
    ///
    /// # Safety
    /// `control` must stay valid, and not move, until the registration is dropped.
    ///
    /// # Errors
    /// What `misc_register` reports.
    pub(crate) unsafe fn new(control: &Control) -> Result<Self> {
        let cookie = ptr::from_ref(control).cast_mut().cast::<c_void>();
        // SAFETY: C keeps `cookie` until `lk_control_deregister`, called by `drop`, and by the
        // caller's contract the `Control` outlives that.
        crate::error::to_result(unsafe { ffi::lk_control_register(cookie) })?;
        Ok(Registration(()))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: the device was registered in `new`. Files hold a module reference while
        // open, so none is open when the module exits and drops this.
        unsafe { ffi::lk_control_deregister() }
    }
}

/// `open` of `/dev/lunatik`: stores the new file's state in `*file`.
///
/// # Safety
/// `control` is the cookie given to `lk_control_register`; `file` is writable.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_open(control: *const c_void, file: *mut *mut c_void) -> i32 {
    // SAFETY: by the contract `control` is the live `Control` registered with the device.
    let control = unsafe { &*control.cast::<Control>() };
    match control.open() {
        Ok(state) => {
            // SAFETY: `file` is writable by the contract; `lunatik_rs_release` takes the box back.
            unsafe { *file = Box::into_raw(state).cast() };
            0
        }
        Err(err) => err.to_errno(),
    }
}

/// `release` of `/dev/lunatik`: frees the file's state.
///
/// # Safety
/// `file` came from `lunatik_rs_open` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_release(_control: *const c_void, file: *mut c_void) {
    // SAFETY: `file` is the box `lunatik_rs_open` leaked, released exactly once.
    drop(unsafe { Box::from_raw(file.cast::<OpenFile>()) });
}

/// `read` of `/dev/lunatik`.
///
/// # Safety
/// `control` and `file` are as for `lunatik_rs_release`, still open; `buf` is a user address.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_read(
    control: *const c_void,
    file: *mut c_void,
    buf: *mut c_void,
    len: usize,
) -> isize {
    // SAFETY: both cookies point to live objects by the contract; `OpenFile` is only shared.
    let (control, file) = unsafe { (&*control.cast::<Control>(), &*file.cast::<OpenFile>()) };
    flatten(control.read(file, UserPtr::new(buf), len))
}

/// `write` of `/dev/lunatik`.
///
/// # Safety
/// As for `lunatik_rs_read`.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_write(
    control: *const c_void,
    file: *mut c_void,
    buf: *const c_void,
    len: usize,
) -> isize {
    // SAFETY: as in `lunatik_rs_read`.
    let (control, file) = unsafe { (&*control.cast::<Control>(), &*file.cast::<OpenFile>()) };
    flatten(control.write(file, UserPtr::new(buf.cast_mut()), len))
}

/// A byte count or a negative errno, as `ssize_t` returns carry them.
fn flatten(result: Result<usize>) -> isize {
    match result {
        Ok(n) => isize::try_from(n).unwrap_or(isize::MAX),
        Err(err) => err.to_errno() as isize,
    }
}
