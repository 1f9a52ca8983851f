//! The Lua chunks the CLI sends: calls into `lunatik.runner` in the control runtime.
//!
//! User text (a script name) only ever enters a chunk through [`quote`], as a Lua string
//! literal, so no name can change what the chunk does.

use std::fmt;

/// The execution context a runtime is created for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// May sleep (the runner's default).
    Process,
    /// Hooks run under `spin_lock_bh`.
    Softirq,
    /// Hooks run under `spin_lock_irqsave`.
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

/// How a script's runtimes are made: `lunatik run <script> [context] [percpu]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The context; the runner's default (process) when `None`.
    pub context: Option<Context>,
    /// One runtime per CPU (`runner.run`'s third argument).
    pub percpu: bool,
}

/// `runner.<function>(script[, context[, percpu]])`: `nil` holds the context's place when
/// only `percpu` is given.
fn script_call(function: &str, script: &[u8], options: Options) -> Vec<u8> {
    let mut args = vec![quote(script)];
    match options.context {
        Some(context) => args.push(quote(context.to_string().as_bytes())),
        None if options.percpu => args.push(b"nil".to_vec()),
        None => {}
    }
    if options.percpu {
        args.push(b"true".to_vec());
    }
    runner_call(function, &args)
}

/// `runner.run(script[, context[, percpu]])`: creates a runtime (or one per CPU) for `script`.
pub fn run(script: &[u8], options: Options) -> Vec<u8> {
    script_call("run", script, options)
}

/// `runner.spawn(script[, context[, percpu]])`: runs `script` and its returned function in a
/// kernel thread (the runner refuses per-CPU mode).
pub fn spawn(script: &[u8], options: Options) -> Vec<u8> {
    script_call("spawn", script, options)
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

/// Returns `runner.stats()` as text: a line per runtime of tab-separated `key=value`
/// fields (`entries.<kind>` for entry counts; tabs, newlines and `\\` in the last error
/// become spaces), parsed by `crate::stats`.
pub fn stats() -> Vec<u8> {
    br#"local rows = {}
for _, s in ipairs(require("lunatik.runner").stats()) do
  local f = {}
  for _, k in ipairs{"name", "context", "cpu", "state", "memory", "peak", "limit",
      "instructions", "aborts", "errors", "time_ns", "threads", "packets"} do
    if s[k] ~= nil then f[#f + 1] = k .. "=" .. tostring(s[k]) end
  end
  for k, n in pairs(s.entries) do f[#f + 1] = "entries." .. k .. "=" .. n end
  f[#f + 1] = "last_error=" .. string.gsub(s.last_error, "[\t\n\r\\]", " ")
  rows[#rows + 1] = table.concat(f, "\t")
end
return table.concat(rows, "\n")"#
        .to_vec()
}
