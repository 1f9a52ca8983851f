//! `lunatik reload`: unload, then load.

use crate::cli::Global;
use crate::cmd::{load, unload};
use crate::error::Result;

/// Unload the kernel module and load it again.
///
/// The same as `lunatik unload` then `lunatik load`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub load: load::Args,
}

/// `unload` then `load`; a failed unload stops there.
///
/// # Errors
/// What `unload` or `load` report.
pub fn run(args: &Args, global: &Global) -> Result {
    unload::run(&unload::Args {}, global)?;
    load::run(&args.load, global)
}
