//! The Lua chunks the CLI sends: calls into `lunatik.runner` in the control runtime.
//!
//! User text (a script name) only ever enters a chunk through [`quote`], as a Lua string
//! literal, so no name can change what the chunk does.

use std::fmt;

/// The execution context a runtime is created for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Context {
    /// Process context: may sleep (the default).
    Process,
    /// Softirq context, for hooks such as netfilter's.
    Softirq,
    /// Hardirq context.
    Hardirq,
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Context::Process => "process",
            Context::Softirq => "softirq",
            Context::Hardirq => "hardirq",
        })
    }
}

/// `bytes` as a double-quoted Lua string literal that evaluates to exactly `bytes`.
///
/// `"` and `\` are escaped, and every control byte (NUL and newline included) becomes a
/// three-digit decimal escape, so the literal is one line and a digit that follows an
/// escape cannot extend it. Other bytes, UTF-8 included, are copied unchanged.
pub fn quote(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0..=31 | 127 => out.extend_from_slice(format!("\\{b:03}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// A chunk that calls `require("lunatik.runner").<function>(args...)` and returns nothing.
///
/// The control runtime first tries a chunk as `return <chunk>`; a chunk that starts with
/// `local` cannot be compiled that way, so the call's results (a runtime object) are not
/// converted and sent back.
fn runner_call(function: &str, args: &[Vec<u8>]) -> Vec<u8> {
    let mut chunk = b"local runner = require(\"lunatik.runner\")\nrunner.".to_vec();
    chunk.extend_from_slice(function.as_bytes());
    chunk.push(b'(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            chunk.extend_from_slice(b", ");
        }
        chunk.extend_from_slice(arg);
    }
    chunk.push(b')');
    chunk
}

/// `runner.run(script[, context])`: creates a runtime for `script`.
pub fn run(script: &[u8], context: Option<Context>) -> Vec<u8> {
    let mut args = vec![quote(script)];
    if let Some(context) = context {
        args.push(quote(context.to_string().as_bytes()));
    }
    runner_call("run", &args)
}

/// `runner.spawn(script)`: runs `script` and its returned function in a kernel thread.
pub fn spawn(script: &[u8]) -> Vec<u8> {
    runner_call("spawn", &[quote(script)])
}

/// `runner.stop(script)`: stops `script`'s thread and runtime.
pub fn stop(script: &[u8]) -> Vec<u8> {
    runner_call("stop", &[quote(script)])
}

/// `runner.shutdown()`: stops every script.
pub fn shutdown() -> Vec<u8> {
    runner_call("shutdown", &[])
}

/// Returns `runner.list()`: the running scripts' names, comma-separated.
pub fn list() -> Vec<u8> {
    b"return require(\"lunatik.runner\").list()".to_vec()
}
