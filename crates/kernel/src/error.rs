//! Kernel errors: a negative errno with a name.
//!
//! Scripts see a failed kernel call as the errno's name (`"EAGAIN"`), exactly as C Lunatik
//! raises it, so the names come from the table below and not from the kernel's `errname()`,
//! which depends on version and configuration.

use core::ffi::c_int;
use core::fmt;

/// A kernel error.
///
/// # Invariants
/// The value is a negative errno in `-4095..=-1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(c_int);

/// The result of a fallible kernel operation.
pub type Result<T = ()> = core::result::Result<T, Error>;

/// One list gives both the constants and the name table, so they cannot drift apart.
macro_rules! errnos {
    ($($name:ident = $value:literal,)*) => {
        impl Error {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                // INVARIANT: every listed value is in 1..=4095.
                pub const $name: Error = Error(-$value);
            )*
        }

        const NAMES: &[(c_int, &str)] = &[$(($value, stringify!($name)),)*];
    };
}

errnos! {
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
    ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
    EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
    ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
    EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36,
    ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOMSG = 42, ENODATA = 61,
    ETIME = 62, ENOLINK = 67, EPROTO = 71, EBADMSG = 74, EOVERFLOW = 75, EILSEQ = 84,
    ENOTSOCK = 88, EDESTADDRREQ = 89, EMSGSIZE = 90, EPROTOTYPE = 91, ENOPROTOOPT = 92,
    EPROTONOSUPPORT = 93, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, EADDRINUSE = 98,
    EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101, ENETRESET = 102,
    ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105, EISCONN = 106, ENOTCONN = 107, ESHUTDOWN = 108,
    ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTDOWN = 112, EHOSTUNREACH = 113, EALREADY = 114,
    EINPROGRESS = 115, ECANCELED = 125, ENOKEY = 126, EOWNERDEAD = 130, ERESTARTSYS = 512,
}

impl Error {
    /// The error for a negative errno returned by the kernel; anything outside
    /// `-4095..=-1` becomes `EINVAL`.
    pub fn from_errno(errno: c_int) -> Error {
        if (-4095..=-1).contains(&errno) {
            // INVARIANT: checked just above.
            Error(errno)
        } else {
            Error::EINVAL
        }
    }

    /// The negative errno, as C returns it.
    pub fn to_errno(self) -> c_int {
        self.0
    }

    /// The errno's name (`"ENOMEM"`), or `None` for one missing from the table.
    pub fn name(self) -> Option<&'static str> {
        name_of(-self.0)
    }
}

/// The name of errno `value` (positive, as `errno` holds it), if the table has it.
pub fn name_of(value: c_int) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(known, _)| *known == value)
        .map(|(_, name)| *name)
}

impl Error {
    /// The name shown to scripts: the table's, or `"unknown"`.
    pub fn lua_name(self) -> &'static str {
        self.name().unwrap_or("unknown")
    }
}

/// `Ok(())` for a C return value of 0 or more, else the error it names.
pub fn to_result(ret: c_int) -> Result {
    if ret < 0 {
        Err(Error::from_errno(ret))
    } else {
        Ok(())
    }
}

impl From<rust_alloc::collections::TryReserveError> for Error {
    fn from(_: rust_alloc::collections::TryReserveError) -> Error {
        Error::ENOMEM
    }
}

impl From<lua::tvec::AllocError> for Error {
    fn from(_: lua::tvec::AllocError) -> Error {
        Error::ENOMEM
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", -self.0),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
