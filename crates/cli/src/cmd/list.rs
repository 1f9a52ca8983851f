//! `lunatik list`: the running scripts, and with `-v` or `--json` what each one costs.

use crate::cli::Global;
use crate::error::Result;
use crate::{chunk, messages, stats};

/// List the running scripts.
///
/// Prints `lunatik.runner.list()`: the names, comma-separated; nothing when none runs.
/// With `-v`, a table of each runtime's counters (memory in use, peak and limit,
/// instructions, budget aborts, errors raised in hooks, time inside, threads, entries per
/// kind, the last error); with `--json`, the same as JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show each runtime's statistics as a table.
    #[arg(short, long)]
    pub verbose: bool,
    /// Show each runtime's statistics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prints the runner's list, or the statistics.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn run(args: &Args, global: &Global) -> Result {
    if args.verbose || args.json {
        return print_stats(args.json, global);
    }
    let names = global.evaluate(&chunk::list())?;
    if !names.is_empty() {
        messages::out_line(&names);
    }
    Ok(())
}

/// Prints `runner.stats()` as a table or as JSON.
///
/// # Errors
/// The device failing, or the runner's error.
pub fn print_stats(json: bool, global: &Global) -> Result {
    let rows = stats::parse(&global.evaluate(&chunk::stats())?);
    if json {
        messages::out(stats::json(&rows));
    } else {
        messages::out(stats::table(&rows).trim_end());
    }
    Ok(())
}
