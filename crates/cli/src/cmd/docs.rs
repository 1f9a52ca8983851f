//! `lunatik completions <shell>` and `lunatik manpage`: shell completions and the man page,
//! generated from the command-line definition itself (so they never drift from it);
//! `make install` installs both.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, Global};
use crate::error::{Error, Result};

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: Shell,
}

/// Print the lunatik(8) man page (roff).
#[derive(Debug, clap::Args)]
pub struct ManpageArgs {}

/// Writes the completion script for `args.shell` to stdout.
///
/// # Errors
/// Never fails except on a closed stdout, which exits quietly.
pub fn completions(args: &CompletionsArgs, _global: &Global) -> Result {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "lunatik", &mut std::io::stdout());
    Ok(())
}

/// Writes the man page to stdout.
///
/// # Errors
/// Writing stdout failed.
pub fn manpage(_args: &ManpageArgs, _global: &Global) -> Result {
    let page = render_manpage().map_err(|e| Error::Message(format!("man page: {}", e)))?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&page)
        .map_err(|e| Error::Message(format!("stdout: {}", e)))
}

/// The man page, section 8 (system administration).
///
/// # Errors
/// Rendering failed (an I/O error of the in-memory buffer: not expected).
pub fn render_manpage() -> std::io::Result<Vec<u8>> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command).section("8");
    let mut out = Vec::new();
    man.render(&mut out)?;
    Ok(out)
}
