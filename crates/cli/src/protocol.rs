//! The control device's protocol, and the only code that talks to `/dev/lunatik`.
//!
//! One write(2) is one request: the bytes of a Lua chunk. The read(2)s that follow return
//! that request's reply, then end of file; a new write replaces a reply not read yet, and
//! each open file keeps its own reply, so one open file can carry a whole REPL session.
//!
//! A reply is `+` followed by the chunk's results converted like `tostring` and separated
//! by tabs (nothing when there are none), or `-` followed by the error message, which may
//! carry a traceback.
//!
//! [`Device`] is generic over `Read + Write` so that tests can stand in for the kernel.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Where the module creates its control device.
pub const DEFAULT_DEVICE: &str = "/dev/lunatik";

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The chunk ran; its results, tab-separated (empty when it returned nothing).
    Values(Vec<u8>),
    /// The chunk failed; the kernel's message, verbatim.
    Error(Vec<u8>),
}

impl Reply {
    /// Parses a whole reply as read from the device.
    ///
    /// # Errors
    /// [`Error::EmptyReply`] for no bytes at all, [`Error::MalformedReply`] when the first
    /// byte is neither `+` nor `-`.
    pub fn parse(mut bytes: Vec<u8>) -> Result<Reply, Error> {
        match bytes.first() {
            None => Err(Error::EmptyReply),
            Some(b'+') => {
                bytes.remove(0);
                Ok(Reply::Values(bytes))
            }
            Some(b'-') => {
                bytes.remove(0);
                Ok(Reply::Error(bytes))
            }
            Some(&first) => Err(Error::MalformedReply(first)),
        }
    }
}

/// Splits a [`Reply::Values`] payload into the chunk's results; none for an empty payload.
pub fn values(payload: &[u8]) -> Vec<&[u8]> {
    if payload.is_empty() {
        Vec::new()
    } else {
        payload.split(|&b| b == b'\t').collect()
    }
}

/// A failure to exchange a request with the device (not a Lua error: that is a
/// [`Reply::Error`]).
#[derive(Debug)]
pub enum Error {
    /// The device could not be opened.
    Open(PathBuf, io::Error),
    /// write(2) of the request failed.
    Write(PathBuf, io::Error),
    /// write(2) took only part of the request; the rest cannot be sent as the same request.
    ShortWrite { written: usize, len: usize },
    /// read(2) of the reply failed.
    Read(PathBuf, io::Error),
    /// The device returned end of file before the reply's first byte.
    EmptyReply,
    /// The reply started with a byte other than `+` or `-`.
    MalformedReply(u8),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Open(path, e) if e.kind() == io::ErrorKind::NotFound => write!(
                f,
                "{}: {} (is the module loaded? `lunatik load` loads it)",
                path.display(),
                os_text(e)
            ),
            Error::Open(path, e) => write!(f, "{}: {}", path.display(), os_text(e)),
            Error::Write(path, e) => {
                write!(f, "{}: request failed: {}", path.display(), os_text(e))
            }
            Error::ShortWrite { written, len } => {
                write!(f, "the device took {written} of the request's {len} bytes")
            }
            Error::Read(path, e) => write!(
                f,
                "{}: reading the reply failed: {}",
                path.display(),
                os_text(e)
            ),
            Error::EmptyReply => f.write_str("the device sent an empty reply"),
            Error::MalformedReply(b) => {
                write!(
                    f,
                    "the device sent a reply starting with byte {b:#04x}, not '+' or '-'"
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// An I/O error's text without std's ` (os error N)` suffix: what `strerror` says.
pub fn os_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if e.raw_os_error().is_some() => text[..at].to_string(),
        _ => text,
    }
}

/// An open control device (or anything that answers like one).
pub struct Device<T> {
    io: T,
    path: PathBuf,
}

impl Device<File> {
    /// Opens the control device at `path` for reading and writing.
    ///
    /// # Errors
    /// [`Error::Open`].
    pub fn open(path: &Path) -> Result<Self, Error> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::Open(path.to_path_buf(), e))?;
        Ok(Device::new(file, path))
    }
}

impl<T: Read + Write> Device<T> {
    /// Wraps `io`; `path` names it in messages.
    pub fn new(io: T, path: &Path) -> Self {
        Device {
            io,
            path: path.to_path_buf(),
        }
    }

    /// Sends `chunk` as one request and returns its reply.
    ///
    /// # Errors
    /// [`Error::Write`], [`Error::ShortWrite`], [`Error::Read`], [`Error::EmptyReply`],
    /// [`Error::MalformedReply`]. A chunk that fails in the kernel is `Ok(Reply::Error(..))`.
    pub fn request(&mut self, chunk: &[u8]) -> Result<Reply, Error> {
        // One write(2) is one request, so the chunk must not be split over several writes.
        let written = loop {
            match self.io.write(chunk) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Write(self.path.clone(), e)),
                Ok(n) => break n,
            }
        };
        if written != chunk.len() {
            return Err(Error::ShortWrite {
                written,
                len: chunk.len(),
            });
        }
        let mut reply = Vec::new();
        self.io
            .read_to_end(&mut reply)
            .map_err(|e| Error::Read(self.path.clone(), e))?;
        Reply::parse(reply)
    }

    /// The wrapped reader-writer (tests inspect what was written).
    pub fn get_ref(&self) -> &T {
        &self.io
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_text_drops_the_os_error_suffix() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(os_text(&e), "No such file or directory");
    }

    #[test]
    fn os_text_keeps_custom_messages() {
        let e = io::Error::other("odd (os error 5)");
        assert_eq!(os_text(&e), "odd (os error 5)");
    }
}
