//! A Lua file handle over C stdio (`FILE*`): the same buffering, update modes (`r+`), pipes,
//! temporary files and one-character push-back that C Lua's `io` is built on, so scripts see
//! the same behaviour (and `print` shares stdout's buffer with `io.write`).

use std::ffi::CStr;

use libc::FILE;

extern "C" {
    // glibc's standard streams (the `libc` crate does not bind them).
    static mut stdin: *mut FILE;
    static mut stdout: *mut FILE;
    static mut stderr: *mut FILE;
}

/// Which standard stream.
#[derive(Clone, Copy)]
pub enum Std {
    In,
    Out,
    Err,
}

/// The C `FILE*` of a standard stream.
pub fn std_stream(s: Std) -> *mut FILE {
    // SAFETY: glibc initialises these before `main` and never changes them afterwards.
    unsafe {
        match s {
            Std::In => stdin,
            Std::Out => stdout,
            Std::Err => stderr,
        }
    }
}

/// How a handle was opened, which decides how it is closed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// stdin/stdout/stderr: never closed.
    Std,
    File,
    Pipe,
}

/// The payload of a `FILE*` userdata. `fp` is null once closed.
pub struct Stream {
    fp: *mut FILE,
    pub kind: Kind,
}

/// An errno value.
pub type Errno = i32;

/// How closing went.
pub enum Closed {
    Ok,
    Failed(Errno),
    /// A pipe's child ended with this `wait` status.
    Status(i32),
}

pub fn errno() -> Errno {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn clear_errno() {
    // SAFETY: errno is thread-local and always writable.
    unsafe { *libc::__errno_location() = 0 };
}

/// `strerror` text of an errno value.
pub fn strerror(e: Errno) -> Vec<u8> {
    // SAFETY: strerror returns a valid C string (its buffer lives until the next call).
    unsafe { CStr::from_ptr(libc::strerror(e)) }
        .to_bytes()
        .to_vec()
}

fn cstring(b: &[u8]) -> Result<std::ffi::CString, Errno> {
    std::ffi::CString::new(b).map_err(|_| libc::EINVAL)
}

impl Stream {
    pub fn standard(s: Std) -> Stream {
        Stream {
            fp: std_stream(s),
            kind: Kind::Std,
        }
    }

    /// `fopen` with an already-checked mode.
    pub fn open(name: &[u8], mode: &[u8]) -> Result<Stream, Errno> {
        let (n, m) = (cstring(name)?, cstring(mode)?);
        clear_errno();
        // SAFETY: both are valid C strings.
        let fp = unsafe { libc::fopen(n.as_ptr(), m.as_ptr()) };
        Self::wrap(fp, Kind::File)
    }

    /// `popen` with mode "r" or "w".
    pub fn popen(cmd: &[u8], mode: &[u8]) -> Result<Stream, Errno> {
        let (c, m) = (cstring(cmd)?, cstring(mode)?);
        // The child inherits our stdout: what we buffered must come out first.
        flush_all();
        clear_errno();
        // SAFETY: both are valid C strings.
        let fp = unsafe { libc::popen(c.as_ptr(), m.as_ptr()) };
        Self::wrap(fp, Kind::Pipe)
    }

    pub fn tmpfile() -> Result<Stream, Errno> {
        clear_errno();
        // SAFETY: no arguments; returns null or a new stream.
        let fp = unsafe { libc::tmpfile() };
        Self::wrap(fp, Kind::File)
    }

    fn wrap(fp: *mut FILE, kind: Kind) -> Result<Stream, Errno> {
        if fp.is_null() {
            Err(errno())
        } else {
            Ok(Stream { fp, kind })
        }
    }

    pub fn is_closed(&self) -> bool {
        self.fp.is_null()
    }

    pub fn addr(&self) -> usize {
        self.fp as usize
    }

    /// Closes the stream (not a standard one: the caller refuses that).
    pub fn close(&mut self) -> Closed {
        let fp = std::mem::replace(&mut self.fp, std::ptr::null_mut());
        if fp.is_null() {
            return Closed::Ok;
        }
        clear_errno();
        match self.kind {
            Kind::Std => Closed::Ok,
            // SAFETY: `fp` came from fopen/tmpfile and is closed only here.
            Kind::File => match unsafe { libc::fclose(fp) } {
                0 => Closed::Ok,
                _ => Closed::Failed(errno()),
            },
            // SAFETY: `fp` came from popen and is closed only here.
            Kind::Pipe => match unsafe { libc::pclose(fp) } {
                -1 => Closed::Failed(errno()),
                st => Closed::Status(st),
            },
        }
    }

    /// Writes all of `b`; on a short write, how much went and the errno.
    pub fn write(&mut self, b: &[u8]) -> Result<(), (usize, Errno)> {
        if b.is_empty() {
            return Ok(());
        }
        clear_errno();
        // SAFETY: `fp` is open (callers check) and `b` is valid for its length.
        let n = unsafe { libc::fwrite(b.as_ptr().cast(), 1, b.len(), self.fp) };
        if n < b.len() {
            Err((n, errno()))
        } else {
            Ok(())
        }
    }

    pub fn flush(&mut self) -> Result<(), Errno> {
        clear_errno();
        // SAFETY: `fp` is open.
        if unsafe { libc::fflush(self.fp) } == 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }

    /// `fseeko` then `ftello`.
    pub fn seek(&mut self, whence: i32, off: i64) -> Result<i64, Errno> {
        clear_errno();
        // SAFETY: `fp` is open.
        if unsafe { libc::fseeko(self.fp, off, whence) } != 0 {
            return Err(errno());
        }
        // SAFETY: `fp` is open.
        match unsafe { libc::ftello(self.fp) } {
            -1 => Err(errno()),
            p => Ok(p),
        }
    }

    pub fn setvbuf(&mut self, mode: i32, size: usize) -> Result<(), Errno> {
        clear_errno();
        // SAFETY: `fp` is open; a null buffer lets stdio allocate its own.
        if unsafe { libc::setvbuf(self.fp, std::ptr::null_mut(), mode, size) } == 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }

    /// Starts a sequence of reads: clears the error flag, as reads report only their own.
    pub fn begin_read(&mut self) {
        clear_errno();
        // SAFETY: `fp` is open.
        unsafe { libc::clearerr(self.fp) };
    }

    /// The errno of a read error since `begin_read`, if any.
    pub fn read_error(&self) -> Option<Errno> {
        // SAFETY: `fp` is open.
        if unsafe { libc::ferror(self.fp) } != 0 {
            Some(errno())
        } else {
            None
        }
    }

    /// The rest of the stream (loading a script).
    pub fn read_all(&mut self) -> Vec<u8> {
        use lua::ioread::Source;
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = self.read(&mut chunk);
            out.extend_from_slice(&chunk[..n]);
            if n < chunk.len() {
                return out;
            }
        }
    }

    /// A line without its newline (the REPL, `debug.debug`); `None` at end of file with
    /// nothing read.
    pub fn read_line(&mut self) -> Option<Vec<u8>> {
        use lua::ioread::Source;
        let mut line = Vec::new();
        loop {
            match self.getc() {
                None if line.is_empty() => return None,
                None | Some(b'\n') => return Some(line),
                Some(c) => line.push(c),
            }
        }
    }
}

/// What `read` formats read from (`lua::ioread`): stdio's own buffer and push-back.
impl lua::ioread::Source for Stream {
    fn getc(&mut self) -> Option<u8> {
        // SAFETY: `fp` is open.
        match unsafe { libc::fgetc(self.fp) } {
            libc::EOF => None,
            c => Some(c as u8),
        }
    }

    fn ungetc(&mut self, c: u8) {
        // SAFETY: `fp` is open; one pushed-back character is always allowed.
        unsafe { libc::ungetc(i32::from(c), self.fp) };
    }

    fn read(&mut self, buf: &mut [u8]) -> usize {
        // SAFETY: `fp` is open and `buf` has room for `buf.len()` bytes.
        unsafe { libc::fread(buf.as_mut_ptr().cast(), 1, buf.len(), self.fp) }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if self.kind != Kind::Std {
            let _ = self.close();
        }
    }
}

/// Flushes every C output stream (before running a child, before exiting).
pub fn flush_all() {
    // SAFETY: fflush(NULL) flushes all open output streams.
    unsafe { libc::fflush(std::ptr::null_mut()) };
}

/// Writes to C stdout (shared by `print` and `io.write`).
pub fn write_stdout(b: &[u8]) -> Result<(), Errno> {
    Stream::standard(Std::Out).write(b).map_err(|(_, e)| e)
}

pub fn flush_stdout() {
    // SAFETY: stdout is a valid stream for the whole process.
    unsafe { libc::fflush(std_stream(Std::Out)) };
}

/// Writes to C stderr (unbuffered; like C Lua, stdout is not flushed first).
pub fn write_stderr(b: &[u8]) {
    let _ = Stream::standard(Std::Err).write(b);
}
