//! `/dev/lunatik`, the control device (mode 0600).
//!
//! Protocol: each write(2) is one request (the bytes of a Lua chunk); the read(2)s that follow
//! return its reply, then end of file. The first reply byte is `+` for success or `-` for an
//! error; the payload follows. A new write replaces a reply not yet read. Each open file has
//! its own reply; requests from all files are evaluated one at a time.

use core::ffi::c_void;
use core::fmt::Write;
use core::ptr;

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use crate::alloc::{try_box, try_vec_from_slice};
use crate::error::{Error, Result};
use crate::ffi;
use crate::print::StackBuf;
use crate::sync::Mutex;
use crate::user::{self, UserPtr};

/// The largest request one write(2) may carry.
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// State shared by every open file of the device.
pub(crate) struct Control {
    /// Held while a request is evaluated: requests run one at a time.
    evaluation: Mutex<()>,
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
    /// Creates the shared state. Process context.
    ///
    /// # Errors
    /// `ENOMEM`.
    pub(crate) fn new() -> Result<Self> {
        Ok(Control {
            evaluation: Mutex::new(())?,
        })
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
    /// `EINTR` if a signal came while waiting for another request to finish, `ENOMEM`. A failing chunk is not an error here: its reply starts with `-`.
    pub(crate) fn write(&self, file: &OpenFile, src: UserPtr, len: usize) -> Result<usize> {
        if len > MAX_REQUEST_BYTES {
            return Err(Error::EFBIG);
        }
        let request = user::read_all(src, len)?;
        let reply = {
            let _evaluation = self.evaluation.lock_interruptible()?;
            evaluate(&request)?
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

/// Evaluates one request and returns its reply.
///
/// PLACEHOLDER (issue 4): until the engine has an embedding API, the reply is `+` followed by
/// the request's length in decimal. This becomes: evaluate the chunk in the control runtime.
fn evaluate(request: &[u8]) -> Result<Vec<u8>> {
    let mut reply = StackBuf::<24>::new();
    let _ = write!(reply, "+{}", request.len());
    try_vec_from_slice(reply.as_bytes())
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
