//! Why a command failed. `main` reports it through [`crate::messages`] and exits with 1.

use std::fmt;

/// A command's failure.
#[derive(Debug)]
pub enum Error {
    /// Talking to the control device failed.
    Device(crate::protocol::Error),
    /// Loading or unloading the module failed.
    Module(crate::module::Error),
    /// The kernel reported an error for a chunk; its text, verbatim.
    Kernel(Vec<u8>),
    /// Anything else, as a message.
    Message(String),
    /// Already reported (through [`crate::messages`]); only the exit status is left to set.
    Reported,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Device(e) => e.fmt(f),
            Error::Module(e) => e.fmt(f),
            Error::Kernel(text) => f.write_str(&String::from_utf8_lossy(text)),
            Error::Message(text) => f.write_str(text),
            Error::Reported => f.write_str("failed"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::protocol::Error> for Error {
    fn from(e: crate::protocol::Error) -> Self {
        Error::Device(e)
    }
}

impl From<crate::module::Error> for Error {
    fn from(e: crate::module::Error) -> Self {
        Error::Module(e)
    }
}

impl Error {
    /// Reports the error through [`crate::messages`] (the kernel's text verbatim).
    pub fn report(&self) {
        match self {
            Error::Kernel(text) => crate::messages::kernel_error(text),
            Error::Reported => {}
            other => crate::messages::error(other),
        }
    }
}

/// A command's result.
pub type Result<T = ()> = std::result::Result<T, Error>;
