//! The read-eval-print loop of `lunatik-lua -i`, as `lua.c`'s: prompts from `_PROMPT` and
//! `_PROMPT2`, a line tried first as an expression, continuation lines while the chunk is
//! incomplete, results printed with the global `print`.

use lua::{Mode, Value};

use crate::cfile::{self, Std, Stream};
use crate::Cli;

/// Shows the prompt and reads a line from C stdin (shared with `io.read`).
fn read_line(cli: &mut Cli, first: bool) -> Option<Vec<u8>> {
    let p = prompt(cli, first);
    let _ = cfile::write_stdout(&p);
    cfile::flush_stdout();
    let mut s = Stream::standard(Std::In);
    s.begin_read();
    s.read_line()
}

/// `_PROMPT`/`_PROMPT2` converted with `tostring`, or the defaults.
fn prompt(cli: &mut Cli, first: bool) -> Vec<u8> {
    let (name, default): (&[u8], &[u8]) = if first {
        (b"_PROMPT", b"> ")
    } else {
        (b"_PROMPT2", b">> ")
    };
    let v = cli.lua.get_global(name).unwrap_or(Value::Nil);
    if v.is_nil() {
        return default.to_vec();
    }
    let shown = cli
        .lua
        .get_global(b"tostring")
        .and_then(|ts| cli.lua.call(ts, &[v]));
    match shown.ok().and_then(|r| r.first().copied()) {
        Some(Value::Str(s)) => s.as_bytes().to_vec(),
        _ => default.to_vec(),
    }
}

fn is_incomplete(msg: &[u8]) -> bool {
    msg.ends_with(b"<eof>")
}

/// `local` at the start of a line is legal but useless here: say so, as `lua` does.
fn warn_local(line: &[u8]) {
    let t: &[u8] = {
        let start = line
            .iter()
            .position(|&c| c != b' ' && c != b'\t')
            .unwrap_or(line.len());
        &line[start..]
    };
    if t.starts_with(b"local") && matches!(t.get(5), Some(b' ' | b'\t')) {
        cfile::write_stderr(b"warning: locals do not survive across lines in interactive mode\n");
    }
}

/// Reads and compiles one chunk; `None` at end of input, `Some(Err)` after a reported
/// syntax error.
fn read_chunk(cli: &mut Cli) -> Option<Result<Value, ()>> {
    let mut line = read_line(cli, true)?;
    let mut ret = b"return ".to_vec();
    ret.extend_from_slice(&line);
    ret.push(b';');
    if let Ok(f) = cli.lua.enter(|l| l.load(&ret, b"=stdin", Mode::Text, None)) {
        return Some(Ok(f));
    }
    warn_local(&line);
    loop {
        match cli
            .lua
            .enter(|l| l.load(&line, b"=stdin", Mode::Text, None))
        {
            Ok(f) => return Some(Ok(f)),
            Err(e) => {
                let msg = cli.lua.error_message(&e);
                if is_incomplete(&msg) {
                    if let Some(more) = read_line(cli, false) {
                        line.push(b'\n');
                        line.extend_from_slice(&more);
                        continue;
                    }
                }
                cli.report(&msg);
                return Some(Err(()));
            }
        }
    }
}

/// There is no line editing: a readline library asked for by LUA_READLINELIB is never
/// loaded, and the warning says so as `lua` does when it cannot load one.
fn readline_warning(cli: &mut Cli) {
    let Some(lib) = std::env::var_os("LUA_READLINELIB").filter(|_| !cli.no_env) else {
        return;
    };
    let Ok(warn) = cli.lua.get_global(b"warn") else {
        return;
    };
    let parts: [&[u8]; 3] = [
        b"unable to load readline library '",
        lib.as_encoded_bytes(),
        b"'",
    ];
    let mut args = Vec::new();
    for p in parts {
        match cli.lua.str_value(p) {
            Ok(v) => args.push(v),
            Err(_) => return,
        }
    }
    let _ = cli.lua.call(warn, &args);
}

pub fn run(cli: &mut Cli) {
    // Errors in interactive mode carry no program name.
    let progname = cli.progname.take();
    readline_warning(cli);
    while let Some(chunk) = read_chunk(cli) {
        let Ok(f) = chunk else { continue };
        let Ok(results) = cli.call(f, &[]) else {
            continue;
        };
        if results.is_empty() {
            continue;
        }
        let print = cli.lua.get_global(b"print").unwrap_or(Value::Nil);
        if let Err(e) = cli.lua.call(print, &results) {
            let m = cli.lua.error_message(&e);
            let mut msg = b"error calling 'print' (".to_vec();
            msg.extend_from_slice(&m);
            msg.push(b')');
            cli.report(&msg);
        }
    }
    let _ = cfile::write_stdout(b"\n");
    cfile::flush_stdout();
    cli.progname = progname;
}
