//! The kernel module itself: whether it is loaded, and loading and unloading it with the
//! system's `modprobe`, `insmod` and `rmmod` (kmod on Debian, busybox in the test VM).

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// The module's name, as modprobe and /proc/modules spell it.
pub const NAME: &str = "lunatik";
/// The module file looked for next to the binary.
pub const FILE_NAME: &str = "lunatik.ko";

/// A module tool that could not be run or failed.
#[derive(Debug)]
pub enum Error {
    /// The program could not be started.
    Spawn(String, io::Error),
    /// The program ran and failed (it has said why on stderr).
    Failed(String, ExitStatus),
    /// /proc/modules could not be read.
    ProcModules(io::Error),
    /// modprobe failed and no module file was found to insmod instead.
    NoModuleFile,
    /// The module loaded but its control device did not appear.
    NoDevice(PathBuf),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spawn(cmd, e) => write!(f, "cannot run {cmd}: {}", crate::protocol::os_text(e)),
            Error::Failed(cmd, status) => match status.code() {
                Some(code) => write!(f, "{cmd} failed with exit status {code}"),
                None => write!(f, "{cmd} was killed by a signal"),
            },
            Error::ProcModules(e) => {
                write!(
                    f,
                    "cannot read /proc/modules: {}",
                    crate::protocol::os_text(e)
                )
            }
            Error::NoModuleFile => write!(
                f,
                "modprobe could not load {NAME} and no {FILE_NAME} was found next to this \
                 program; give its path with --module or LUNATIK_MODULE"
            ),
            Error::NoDevice(path) => {
                write!(f, "the module loaded but {} did not appear", path.display())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Whether the module is loaded, from `/proc/modules`.
///
/// # Errors
/// [`Error::ProcModules`].
pub fn is_loaded() -> Result<bool, Error> {
    let modules = std::fs::read_to_string("/proc/modules").map_err(Error::ProcModules)?;
    Ok(lists_module(&modules))
}

/// Whether a `/proc/modules` text has a line for this module.
pub fn lists_module(proc_modules: &str) -> bool {
    proc_modules
        .lines()
        .any(|line| line.split(' ').next() == Some(NAME))
}

fn run(program: &str, args: &[&OsStr]) -> Result<(), Error> {
    let mut shown = program.to_string();
    for arg in args {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| Error::Spawn(shown.clone(), e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed(shown, status))
    }
}

/// `modprobe lunatik`.
///
/// # Errors
/// [`Error::Spawn`], [`Error::Failed`].
pub fn modprobe() -> Result<(), Error> {
    run("modprobe", &[OsStr::new(NAME)])
}

/// `insmod <file>`.
///
/// # Errors
/// [`Error::Spawn`], [`Error::Failed`].
pub fn insmod(file: &Path) -> Result<(), Error> {
    run("insmod", &[file.as_os_str()])
}

/// `rmmod lunatik`.
///
/// # Errors
/// [`Error::Spawn`], [`Error::Failed`].
pub fn rmmod() -> Result<(), Error> {
    run("rmmod", &[OsStr::new(NAME)])
}

/// The module file installed next to the program at `exe`: `<dir>/lunatik.ko`, or
/// `<dir>/../lib/modules/lunatik.ko` (a program in `/sbin` finds `/lib/modules/lunatik.ko`).
pub fn file_next_to(exe: &Path) -> Option<PathBuf> {
    let dir = exe.parent()?;
    [
        dir.join(FILE_NAME),
        dir.join("../lib/modules").join(FILE_NAME),
    ]
    .into_iter()
    .find(|path| path.is_file())
}

/// Waits up to a second for the control device to appear after loading (udev may create it
/// a moment after the module's init returns).
///
/// # Errors
/// [`Error::NoDevice`].
pub fn wait_for_device(device: &Path) -> Result<(), Error> {
    let start = Instant::now();
    while !device.exists() {
        if start.elapsed() > Duration::from_secs(1) {
            return Err(Error::NoDevice(device.to_path_buf()));
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}
