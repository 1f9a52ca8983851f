//! `lunatik status`: is the module loaded, is its device there, what is running.

use crate::cli::Global;
use crate::error::{Error, Result};
use crate::{chunk, messages, module};

/// Show the module's state and the running scripts.
///
/// Prints whether the module is loaded, its control device and the running scripts. Exits with 1 when the module is not loaded or does not answer.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also show each runtime's statistics (as `list -v`).
    #[arg(short, long)]
    pub verbose: bool,
}

/// Prints `module:`, `device:` and `scripts:` lines.
///
/// # Errors
/// The module not being loaded, the device missing or failing, the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    if !module::is_loaded()? {
        messages::out("module: not loaded");
        return Err(Error::Message(format!(
            "module {} is not loaded",
            module::NAME
        )));
    }
    messages::out("module: loaded");
    if !global.device.exists() {
        messages::out(format_args!("device: {} missing", global.device.display()));
        return Err(Error::Message(format!(
            "{} does not exist",
            global.device.display()
        )));
    }
    messages::out(format_args!("device: {}", global.device.display()));
    let names = global.evaluate(&chunk::list())?;
    let mut line = b"scripts: ".to_vec();
    line.extend_from_slice(if names.is_empty() { b"none" } else { &names });
    messages::out_line(&line);
    if args.verbose && !names.is_empty() {
        crate::cmd::list::print_stats(false, global)?;
    }
    Ok(())
}
