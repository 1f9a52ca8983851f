//! `lunatik compile <script.lua> [-o out] [-s]`: compiles a script on the host into a
//! binary chunk of this engine's format, for runtimes loaded with `allow_binary=1`.

use std::path::PathBuf;

use lua::{Config, Lua, Mode, NoHost, Value};

use crate::cli::Global;
use crate::error::{Error, Result};

/// Compile a script into a binary chunk.
///
/// The chunk is the engine's own format (not PUC Lua's); the kernel checks every function
/// in it with its bytecode verifier before running it, and loads binary scripts only when
/// the module parameter `allow_binary` is 1. Name the output `<name>.lua` under
/// /lib/modules/lua to `lunatik run <name>` it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Lua source file.
    pub script: PathBuf,
    /// Where to write the chunk.
    #[arg(short, long, value_name = "FILE", default_value = "luac.out")]
    pub output: PathBuf,
    /// Leave out debug information (line numbers, local names).
    #[arg(short, long)]
    pub strip: bool,
}

/// Compiles `source` (named `chunkname`) into a binary chunk.
///
/// # Errors
/// The compiler's message, or running out of memory.
pub fn chunk(source: &[u8], chunkname: &[u8], strip: bool) -> std::result::Result<Vec<u8>, String> {
    let config = Config {
        memory_limit: 0,
        ..Config::default()
    };
    let mut lua =
        Lua::new(config, Box::new(NoHost)).map_err(|_| "not enough memory".to_string())?;
    let message =
        |lua: &Lua, e: &lua::Error| String::from_utf8_lossy(&lua.error_message(e)).into_owned();
    let f = lua
        .enter(|l| l.load(source, chunkname, Mode::Text, None))
        .map_err(|e| message(&lua, &e))?;
    // A global keeps the function rooted while the dumping chunk is compiled.
    lua.set_global(b"script", f)
        .map_err(|e| message(&lua, &e))?;
    let dump = lua
        .enter(|l| {
            l.load(
                b"return string.dump(script, ...)",
                b"=compile",
                Mode::Text,
                None,
            )
        })
        .map_err(|e| message(&lua, &e))?;
    let results = lua
        .call(dump, &[Value::Bool(strip)])
        .map_err(|e| message(&lua, &e))?;
    match results.first() {
        Some(Value::Str(s)) => Ok(s.as_bytes().to_vec()),
        _ => Err("string.dump returned no string".to_string()),
    }
}

/// Reads the script, compiles it and writes the chunk.
///
/// # Errors
/// The file not readable or writable, or the compiler's message.
pub fn run(args: &Args, _global: &Global) -> Result {
    let source = std::fs::read(&args.script)
        .map_err(|e| Error::Message(format!("cannot read {}: {}", args.script.display(), e)))?;
    let name = args
        .script
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let chunkname = format!("@{}", name);
    let bytes = chunk(&source, chunkname.as_bytes(), args.strip).map_err(Error::Message)?;
    std::fs::write(&args.output, bytes)
        .map_err(|e| Error::Message(format!("cannot write {}: {}", args.output.display(), e)))?;
    Ok(())
}
