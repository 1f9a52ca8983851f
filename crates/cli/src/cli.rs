//! The command line: global options, the verbs, and dispatch to `cmd::<verb>::run`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::error::{Error, Result};
use crate::protocol::{self, Device, Reply};

/// Runs Lua scripts in the Linux kernel through lunatik.ko.
#[derive(Debug, Parser)]
#[command(
    name = "lunatik",
    version = version(),
    about = "Lua scripting in the Linux kernel: load the module, manage scripts, evaluate Lua",
    after_help = "With no command, reads Lua chunks and evaluates them in the kernel's control \
                  runtime: a REPL with line editing on a terminal, or every chunk of stdin when \
                  it is a pipe or a file (`echo 'return 1+1' | lunatik` prints 2).\n\n\
                  Exit status: 0 on success, 1 when anything failed (including an error raised \
                  by Lua in the kernel), 2 for a usage error."
)]
pub struct Cli {
    /// The control device.
    #[arg(long, global = true, value_name = "PATH", env = "LUNATIK_DEVICE", default_value = protocol::DEFAULT_DEVICE)]
    pub device: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The verbs. Variants carry no doc comment on purpose: clap would show it instead of the
/// verb's `Args` doc, which is where each verb's help text lives.
#[derive(Debug, Subcommand)]
pub enum Command {
    Load(cmd::load::Args),
    Unload(cmd::unload::Args),
    Reload(cmd::reload::Args),
    Status(cmd::status::Args),
    List(cmd::list::Args),
    Run(cmd::run::Args),
    Spawn(cmd::spawn::Args),
    Stop(cmd::stop::Args),
    Eval(cmd::eval::Args),
    Compile(cmd::compile::Args),
    #[command(hide = true)]
    Completions(cmd::docs::CompletionsArgs),
    #[command(hide = true)]
    Manpage(cmd::docs::ManpageArgs),
    Test(cmd::test::Args),
}

/// This command's version and that of the loaded module (`/sys/module/lunatik/version`).
fn version() -> &'static str {
    let module = std::fs::read_to_string("/sys/module/lunatik/version")
        .map(|v| format!("module {}", v.trim()))
        .unwrap_or_else(|_| "module not loaded".to_string());
    let text = format!("{} ({})", env!("CARGO_PKG_VERSION"), module);
    // Built once per run, for clap's `--version`.
    Box::leak(text.into_boxed_str())
}

/// What every verb may need besides its own arguments.
#[derive(Debug)]
pub struct Global {
    /// The control device's path.
    pub device: PathBuf,
}

impl Global {
    /// Sends `chunk` on a new open file of the device and returns the values of its reply.
    ///
    /// # Errors
    /// [`Error::Device`], or [`Error::Kernel`] with the kernel's message when the chunk fails.
    pub fn evaluate(&self, chunk: &[u8]) -> Result<Vec<u8>> {
        let mut device = Device::open(&self.device)?;
        match device.request(chunk)? {
            Reply::Values(values) => Ok(values),
            Reply::Error(text) => Err(Error::Kernel(text)),
        }
    }

    /// Sends a command's chunk (`run`, `spawn`, `stop`): like [`Global::evaluate`], with
    /// the error cut to the line a user needs ([`crate::messages::concise`]).
    ///
    /// # Errors
    /// As [`Global::evaluate`].
    pub fn command(&self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.evaluate(chunk).map_err(|e| match e {
            Error::Kernel(text) => Error::Kernel(crate::messages::concise(&text)),
            other => other,
        })
    }
}

/// `--help` and `--version` print to stdout and exit with 0; a usage error is reported
/// through [`crate::messages`] (with clap's usage hint) and exits with 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    crate::messages::error(text.strip_prefix("error: ").unwrap_or(&text).trim_end());
    ExitCode::from(2)
}

/// Parses the command line, runs the verb (or the REPL) and returns the exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let global = Global { device: cli.device };
    let result = match cli.command {
        None => cmd::repl::run(&global),
        Some(Command::Load(args)) => cmd::load::run(&args, &global),
        Some(Command::Unload(args)) => cmd::unload::run(&args, &global),
        Some(Command::Reload(args)) => cmd::reload::run(&args, &global),
        Some(Command::Status(args)) => cmd::status::run(&args, &global),
        Some(Command::List(args)) => cmd::list::run(&args, &global),
        Some(Command::Run(args)) => cmd::run::run(&args, &global),
        Some(Command::Spawn(args)) => cmd::spawn::run(&args, &global),
        Some(Command::Stop(args)) => cmd::stop::run(&args, &global),
        Some(Command::Eval(args)) => cmd::eval::run(&args, &global),
        Some(Command::Compile(args)) => cmd::compile::run(&args, &global),
        Some(Command::Completions(args)) => cmd::docs::completions(&args, &global),
        Some(Command::Manpage(args)) => cmd::docs::manpage(&args, &global),
        Some(Command::Test(args)) => cmd::test::run(&args, &global),
    };
    match result {
        Ok(()) => crate::messages::exit_code(),
        Err(e) => {
            e.report();
            ExitCode::FAILURE
        }
    }
}
