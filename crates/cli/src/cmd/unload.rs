//! `lunatik unload`: stops every script, then unloads lunatik.ko.

use crate::cli::Global;
use crate::error::Result;
use crate::{chunk, messages, module};

/// Stop every script, then unload the kernel module.
///
/// Scripts are stopped with `lunatik.runner.shutdown()`. Nothing to do when the module is
/// not loaded.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Stops the scripts and runs `rmmod lunatik`.
///
/// # Errors
/// What rmmod reports. A failed shutdown is reported and counts for the exit status, but the
/// module is still removed: the kernel side stops what is left on unload.
pub fn run(_args: &Args, global: &Global) -> Result {
    if !module::is_loaded()? {
        return Ok(());
    }
    if global.device.exists() {
        if let Err(e) = global.evaluate(&chunk::shutdown()) {
            e.report();
        }
    }
    module::rmmod()?;
    if messages::errored() {
        Err(crate::error::Error::Reported)
    } else {
        Ok(())
    }
}
