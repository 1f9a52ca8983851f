//! `lunatik load`: loads lunatik.ko.

use std::path::PathBuf;

use crate::cli::Global;
use crate::error::Result;
use crate::{messages, module};

/// Load the kernel module.
///
/// Nothing to do when it is loaded already. Without --module, runs `modprobe lunatik` and, if that fails, `insmod` of a lunatik.ko
/// found next to this program (or in ../lib/modules/ from it). With --module, runs
/// `insmod` of that file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Load this module file with insmod instead of using modprobe.
    #[arg(long, value_name = "FILE", env = "LUNATIK_MODULE")]
    pub module: Option<PathBuf>,
}

/// Loads the module and waits for its control device.
///
/// # Errors
/// What the module tools report, or the device not appearing.
pub fn run(args: &Args, global: &Global) -> Result {
    if module::is_loaded()? {
        return Ok(());
    }
    match &args.module {
        Some(file) => module::insmod(file)?,
        None => {
            if let Err(modprobe_error) = module::modprobe() {
                let exe = std::env::current_exe().ok();
                let Some(file) = exe.as_deref().and_then(module::file_next_to) else {
                    messages::error(modprobe_error);
                    return Err(module::Error::NoModuleFile.into());
                };
                messages::note(format_args!("{modprobe_error}; loading {}", file.display()));
                module::insmod(&file)?;
            }
        }
    }
    module::wait_for_device(&global.device)?;
    Ok(())
}
