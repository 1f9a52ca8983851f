//! `lunatik test [suite...]`: runs KTAP suites installed on this machine.
//!
//! A suite is a directory holding a `run` script (POSIX sh) that prints KTAP, as in the
//! repository's `tests/kernel/<suite>/`, or C Lunatik's layout: a `run.sh` run with bash.
//! Each runs in its directory, with stdin from /dev/null; its output (stdout and stderr) is
//! shown indented as a KTAP subtest while it runs, and judged by [`crate::ktap::judge`]. A
//! last diagnostic line gives the totals of suites and of their cases.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::Global;
use crate::error::{Error, Result};
use crate::ktap::{self, Verdict};
use crate::messages;
use crate::protocol::os_text;

/// Where suites are looked for when neither --dir nor LUNATIK_TESTS says.
pub const DEFAULT_DIR: &str = "/usr/local/share/lunatik/tests";

/// Run KTAP test suites.
///
/// Runs every suite of the directory, or the ones named, and prints their results as KTAP;
/// exits with 1 if any fails.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The suites to run, by directory name; all of them when none is given.
    pub suites: Vec<String>,
    /// The directory holding one directory per suite.
    #[arg(long, value_name = "DIR", env = "LUNATIK_TESTS", default_value = DEFAULT_DIR)]
    pub dir: PathBuf,
}

/// Runs the suites in order and prints a KTAP report.
///
/// # Errors
/// An unreadable directory, no suites at all, or any suite failing.
pub fn run(args: &Args, _global: &Global) -> Result {
    let suites = if args.suites.is_empty() {
        all_suites(&args.dir)?
    } else {
        args.suites.clone()
    };
    messages::out("KTAP version 1");
    messages::out(format_args!("1..{}", suites.len()));
    let mut failed = 0;
    let mut cases = ktap::Totals::default();
    for (n, name) in suites.iter().enumerate() {
        let (verdict, output) = run_suite(&args.dir.join(name));
        cases.add(&output);
        match verdict {
            Verdict::Pass => messages::out(format_args!("ok {} {name}", n + 1)),
            Verdict::Fail(reason) => {
                failed += 1;
                messages::out(format_args!("not ok {} {name} # {reason}", n + 1));
            }
        }
    }
    messages::out(format_args!(
        "# totals: suites {} passed, {failed} failed; cases {} passed, {} failed, {} skipped",
        suites.len() - failed,
        cases.passed,
        cases.failed,
        cases.skipped
    ));
    if failed > 0 {
        return Err(Error::Message(format!(
            "{failed} of {} suites failed",
            suites.len()
        )));
    }
    Ok(())
}

/// The shell and script of the suite in `dir`: `sh ./run`, else C Lunatik's `bash ./run.sh`.
fn script_of(dir: &Path) -> Option<(&'static str, &'static str)> {
    if dir.join("run").is_file() {
        Some(("sh", "./run"))
    } else if dir.join("run.sh").is_file() {
        Some(("bash", "./run.sh"))
    } else {
        None
    }
}

/// The names of the directories of `dir` that hold a `run` (or `run.sh`) script, sorted.
fn all_suites(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Error::Message(format!("{}: {}", dir.display(), os_text(&e))))?;
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| script_of(&entry.path()).is_some())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Error::Message(format!(
            "no suites in {} (a suite is a directory with a `run` or `run.sh` script)",
            dir.display()
        )));
    }
    Ok(names)
}

/// Runs one suite, showing its output indented as it comes; its verdict and output.
fn run_suite(dir: &Path) -> (Verdict, String) {
    let Some((shell, script)) = script_of(dir) else {
        return (
            Verdict::Fail(format!("no run script in {}", dir.display())),
            String::new(),
        );
    };
    let fail = |what: &str, e: std::io::Error| {
        (
            Verdict::Fail(format!("{what}: {}", os_text(&e))),
            String::new(),
        )
    };
    let (reader, writer) = match std::io::pipe() {
        Ok(pipe) => pipe,
        Err(e) => return fail("cannot create a pipe", e),
    };
    let stderr = match writer.try_clone() {
        Ok(w) => w,
        Err(e) => return fail("cannot create a pipe", e),
    };
    let mut command = Command::new(shell);
    command
        .arg(script)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(stderr);
    let child = command.spawn();
    // The pipe's write ends must be closed here, or reading never sees end of file.
    drop(command);
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return fail(&format!("cannot run {shell}"), e),
    };
    let mut output = String::new();
    for line in BufReader::new(reader).split(b'\n') {
        let Ok(line) = line else { break };
        let line = String::from_utf8_lossy(&line);
        messages::out(format_args!("    {line}"));
        output.push_str(&line);
        output.push('\n');
    }
    let verdict = match child.wait() {
        Ok(status) => ktap::judge(status.code(), &output),
        Err(e) => Verdict::Fail(format!("waiting for {script} failed: {}", os_text(&e))),
    };
    (verdict, output)
}
