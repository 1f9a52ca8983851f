//! `lunatik-lua`: the lunatik-rs engine as a `lua`-style command on the host.

mod host;
mod iolib;
mod oslib;

use std::io::{BufRead, Write};
use std::process::ExitCode;

use lua::{Config, Lua, Mode, Value};

const USAGE: &str = "usage: lunatik-lua [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin";

const VERSION: &str = concat!("Lua 5.5 (lunatik-rs ", env!("CARGO_PKG_VERSION"), ")");

/// What the command line asks for, in order.
enum Action {
    Exec(String),
    Require(String),
}

struct Options {
    actions: Vec<Action>,
    interactive: bool,
    version: bool,
    warnings: bool,
    /// Index in argv of the script (or `-`), if any.
    script: Option<usize>,
}

fn parse_args(argv: &[String]) -> Result<Options, String> {
    let mut o = Options {
        actions: Vec::new(),
        interactive: false,
        version: false,
        warnings: false,
        script: None,
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "--" => {
                if i + 1 < argv.len() {
                    o.script = Some(i + 1);
                }
                return Ok(o);
            }
            "-" => {
                o.script = Some(i);
                return Ok(o);
            }
            "-i" => {
                o.interactive = true;
                o.version = true;
            }
            "-v" => o.version = true,
            "-W" => o.warnings = true,
            "-E" => {}
            _ if a.starts_with("-e") || a.starts_with("-l") => {
                let rest = &a[2..];
                let val = if !rest.is_empty() {
                    rest.to_string()
                } else {
                    i += 1;
                    match argv.get(i) {
                        Some(v) if !v.starts_with('-') || a.starts_with("-e") => v.clone(),
                        _ => return Err(format!("'{}' needs argument", &a[..2])),
                    }
                };
                o.actions.push(if a.starts_with("-e") {
                    Action::Exec(val)
                } else {
                    Action::Require(val)
                });
            }
            _ if a.starts_with('-') => return Err(format!("unrecognized option '{a}'")),
            _ => {
                o.script = Some(i);
                return Ok(o);
            }
        }
        i += 1;
    }
    Ok(o)
}

fn report(msg: &[u8]) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"lunatik-lua: ");
    let _ = err.write_all(msg);
    let _ = err.write_all(b"\n");
    let _ = err.flush();
}

/// Loads and runs a chunk with a traceback handler; prints errors.
fn run_chunk(lua: &mut Lua, src: &[u8], name: &[u8], args: &[Value]) -> bool {
    host::flush_stdout();
    let f = match lua.enter(|l| l.load(src, name, Mode::Both, None)) {
        Ok(f) => f,
        Err(e) => {
            report(&lua.error_message(&e));
            return false;
        }
    };
    match lua.call_traceback(f, args) {
        Ok(_) => true,
        Err(msg) => {
            host::flush_stdout();
            report(&msg);
            false
        }
    }
}

fn make_arg_table(
    lua: &mut Lua,
    argv: &[String],
    script: Option<usize>,
) -> Result<Vec<Value>, lua::Error> {
    let t = lua.new_table()?;
    let s = script.unwrap_or(argv.len());
    for (i, a) in argv.iter().enumerate() {
        let v = lua.str_value(a.as_bytes())?;
        lua.raw_set_int(t, i as i64 - s as i64, v)?;
    }
    lua.set_global(b"arg", Value::Table(t))?;
    let mut script_args = Vec::new();
    for a in argv.iter().skip(s + 1) {
        script_args.push(lua.str_value(a.as_bytes())?);
    }
    Ok(script_args)
}

fn repl(lua: &mut Lua) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        prompt("> ");
        let Some(Ok(mut chunk)) = lines.next() else {
            break;
        };
        // First try it as an expression, as lua.c does.
        let ret = format!("return {chunk}");
        let f = match lua.enter(|l| l.load(ret.as_bytes(), b"=stdin", Mode::Text, None)) {
            Ok(f) => Some(f),
            Err(_) => loop {
                match lua.enter(|l| l.load(chunk.as_bytes(), b"=stdin", Mode::Text, None)) {
                    Ok(f) => break Some(f),
                    Err(e) => {
                        let msg = lua.error_message(&e);
                        if msg.ends_with(b"<eof>") {
                            prompt(">> ");
                            match lines.next() {
                                Some(Ok(more)) => {
                                    chunk.push('\n');
                                    chunk.push_str(&more);
                                    continue;
                                }
                                _ => return,
                            }
                        }
                        report(&msg);
                        break None;
                    }
                }
            },
        };
        let Some(f) = f else { continue };
        match lua.call_traceback(f, &[]) {
            Ok(results) if !results.is_empty() => {
                if let Ok(print) = lua.get_global(b"print") {
                    let _ = lua.call(print, &results);
                }
            }
            Ok(_) => {}
            Err(msg) => {
                host::flush_stdout();
                report(&msg);
            }
        }
        host::flush_stdout();
    }
    println!();
}

fn prompt(p: &str) {
    host::flush_stdout();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(p.as_bytes());
    let _ = out.flush();
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let opts = match parse_args(&argv) {
        Ok(o) => o,
        Err(msg) => {
            report(msg.as_bytes());
            eprintln!("{USAGE}");
            return ExitCode::from(1);
        }
    };
    // Like PUC's `lua`, the host interpreter loads binary chunks (`string.dump` output);
    // the kernel runtime keeps them off.
    let config = Config {
        stack_budget: 1024 * 1024,
        allow_binary: true,
        ..Config::default()
    };
    let mut lua = match Lua::new(config, Box::new(host::StdHost::new(opts.warnings))) {
        Ok(l) => l,
        Err(_) => {
            report(b"cannot create state: not enough memory");
            return ExitCode::from(1);
        }
    };
    if iolib::open(&mut lua)
        .and_then(|_| oslib::open(&mut lua))
        .is_err()
    {
        report(b"cannot open libraries: not enough memory");
        return ExitCode::from(1);
    }
    lua.set_warnings(opts.warnings);
    let path = std::env::var("LUA_PATH_5_5")
        .or_else(|_| std::env::var("LUA_PATH"))
        .map(|p| p.replace(";;", ";./?.lua;./?/init.lua;"))
        .unwrap_or_else(|_| "/usr/local/share/lua/5.5/?.lua;/usr/local/share/lua/5.5/?/init.lua;./?.lua;./?/init.lua".into());
    if lua.set_package_path(path.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    if opts.version {
        println!("{VERSION}");
    }
    let script_args = match make_arg_table(&mut lua, &argv, opts.script) {
        Ok(a) => a,
        Err(_) => return ExitCode::from(1),
    };
    for action in &opts.actions {
        let ok = match action {
            Action::Exec(code) => run_chunk(&mut lua, code.as_bytes(), b"=(command line)", &[]),
            Action::Require(spec) => {
                let (global, module) = spec.split_once('=').unwrap_or((spec, spec));
                let code = format!("{global} = require('{module}')");
                run_chunk(&mut lua, code.as_bytes(), b"=(command line)", &[])
            }
        };
        if !ok {
            return ExitCode::from(1);
        }
    }
    if let Some(i) = opts.script {
        let name = &argv[i];
        let (src, chunk) = if name == "-" {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf);
            (buf, b"=stdin".to_vec())
        } else {
            match std::fs::read(name) {
                Ok(mut b) => {
                    if b.first() == Some(&b'#') {
                        let nl = b.iter().position(|&c| c == b'\n').unwrap_or(b.len());
                        b.drain(..nl);
                    }
                    (b, format!("@{name}").into_bytes())
                }
                Err(e) => {
                    report(format!("cannot open {name}: {e}").as_bytes());
                    return ExitCode::from(1);
                }
            }
        };
        if !run_chunk(&mut lua, &src, &chunk, &script_args) {
            return ExitCode::from(1);
        }
    } else if opts.actions.is_empty() && !opts.version {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            println!("{VERSION}");
            repl(&mut lua);
        } else {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf);
            if !run_chunk(&mut lua, &buf, b"=stdin", &[]) {
                return ExitCode::from(1);
            }
        }
    }
    if opts.interactive {
        repl(&mut lua);
    }
    host::flush_stdout();
    ExitCode::SUCCESS
}
