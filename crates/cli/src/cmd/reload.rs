//! `lunatik reload`: unload, then load.

use std::path::PathBuf;

use crate::cli::Global;
use crate::cmd::{load, unload};
use crate::error::Result;

/// Unload the kernel module and load it again.
///
/// The same as `lunatik unload` then `lunatik load`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Load this module file with insmod instead of using modprobe.
    #[arg(long, value_name = "FILE", env = "LUNATIK_MODULE")]
    pub module: Option<PathBuf>,
}

/// `unload` then `load`; a failed unload stops there.
///
/// # Errors
/// What `unload` or `load` report.
pub fn run(args: &Args, global: &Global) -> Result {
    unload::run(&unload::Args {}, global)?;
    load::run(
        &load::Args {
            module: args.module.clone(),
        },
        global,
    )
}
