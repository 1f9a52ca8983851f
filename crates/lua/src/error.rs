//! Errors as values: what `Result::Err` carries while the VM unwinds.

use crate::value::Value;

/// Why execution stopped abnormally.
#[derive(Clone, Copy, Debug)]
pub enum Error {
    /// A Lua error with its error object (any value).
    Lua(Value),
    /// Memory exhausted. Raising it allocates nothing: the message string is
    /// preallocated in the state, and `pcall` receives that string.
    Memory,
    /// The host aborted the script (instruction budget in an atomic context, or a stop
    /// request). Not catchable by `pcall`: it unwinds to the host.
    Abort,
}

/// Result of engine operations.
pub type LuaResult<T = ()> = Result<T, Error>;

impl From<crate::tvec::AllocError> for Error {
    fn from(_: crate::tvec::AllocError) -> Self {
        Error::Memory
    }
}

impl Error {
    /// True for errors `pcall` may catch.
    pub fn is_catchable(&self) -> bool {
        !matches!(self, Error::Abort)
    }
}
