//! `lunatik-lua`: the lunatik-rs engine as a `lua`-style command on the host, with the
//! options, environment variables, messages and exit status of C Lua's `lua`.

mod cfile;
mod debuglib;
mod host;
mod iolib;
mod oslib;
mod repl;

use std::process::ExitCode;

use lua::{Config, Error, Lua, Mode, Value};

// The 5.5 release the engine follows (the manual and test suite of 5.5.1); the language
// itself is PUC-Rio's, and the line ends as `lua -v`'s does (scripts match on it).
const VERSION: &str = concat!(
    "Lua 5.5.1 (lunatik-rs ",
    env!("CARGO_PKG_VERSION"),
    ")  Lua language Copyright (C) 1994-2026 Lua.org, PUC-Rio"
);

/// What the command line asks for before any Lua code runs (`collectargs`).
struct Args {
    interactive: bool,
    version: bool,
    no_env: bool,
    has_exec: bool,
    /// Index in argv of the script (or `-`), if any.
    script: Option<usize>,
}

/// Scans the options; `Err(i)` when argv[i] is a bad one.
fn collect_args(argv: &[String]) -> Result<Args, usize> {
    let mut a = Args {
        interactive: false,
        version: false,
        no_env: false,
        has_exec: false,
        script: None,
    };
    let mut i = 1;
    while i < argv.len() {
        let s = argv[i].as_bytes();
        if s.first() != Some(&b'-') {
            a.script = Some(i);
            return Ok(a);
        }
        let alone = s.len() == 2;
        match s.get(1) {
            None => {
                a.script = Some(i);
                return Ok(a);
            }
            Some(b'-') if alone => {
                a.script = (i + 1 < argv.len()).then_some(i + 1);
                return Ok(a);
            }
            Some(b'E') if alone => a.no_env = true,
            Some(b'W') if alone => {}
            Some(b'i') if alone => {
                a.interactive = true;
                a.version = true;
            }
            Some(b'v') if alone => a.version = true,
            Some(c @ (b'e' | b'l')) => {
                a.has_exec |= *c == b'e';
                if alone {
                    i += 1;
                    match argv.get(i) {
                        Some(v) if !v.starts_with('-') => {}
                        _ => return Err(i - 1),
                    }
                }
            }
            _ => return Err(i),
        }
        i += 1;
    }
    Ok(a)
}

fn print_usage(progname: &str, bad: &str) {
    let why = if matches!(bad.as_bytes().get(1), Some(b'e' | b'l')) {
        format!("'{bad}' needs argument")
    } else {
        format!("unrecognized option '{bad}'")
    };
    let text = format!(
        "{progname}: {why}\n\
usage: {progname} [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin\n"
    );
    cfile::write_stderr(text.as_bytes());
}

/// The interpreter's state between chunks.
pub struct Cli {
    pub lua: Box<Lua>,
    /// `-E`: environment variables are ignored.
    pub no_env: bool,
    /// Prefix of error messages (`None` in the REPL, as `lua.c`).
    pub progname: Option<String>,
}

/// `os.exit(code, true)`: the exit code, once the state is closed.
pub static EXIT_CLOSING: std::sync::Mutex<Option<i32>> = std::sync::Mutex::new(None);

impl Cli {
    /// Prints `msg` on stderr, after the program name.
    pub fn report(&self, msg: &[u8]) {
        let mut b = Vec::with_capacity(msg.len() + 32);
        if let Some(p) = &self.progname {
            b.extend_from_slice(p.as_bytes());
            b.extend_from_slice(b": ");
        }
        b.extend_from_slice(msg);
        b.push(b'\n');
        cfile::write_stderr(&b);
    }

    /// Compiles a chunk; reports a syntax error.
    fn load(&mut self, src: &[u8], name: &[u8]) -> Result<Value, ()> {
        match self.lua.enter(|l| l.load(src, name, Mode::Both, None)) {
            Ok(f) => Ok(f),
            Err(e) => {
                let m = self.lua.error_message(&e);
                self.report(&m);
                Err(())
            }
        }
    }

    /// Calls `f` with a traceback handler and SIGINT as an error (`docall`); reports
    /// errors.
    fn call(&mut self, f: Value, args: &[Value]) -> Result<Vec<Value>, ()> {
        let lua = &mut self.lua;
        match host::with_sigint(|| lua.call_traceback(f, args)) {
            Ok(r) => Ok(r),
            Err(msg) => {
                if let Some(code) = EXIT_CLOSING.lock().ok().and_then(|c| *c) {
                    // `os.exit(code, true)` unwound the script: close the state (its
                    // `__gc`s run), then exit.
                    // SAFETY: the state is never touched again: the process ends here.
                    unsafe { std::ptr::drop_in_place(&mut *self.lua) };
                    cfile::flush_all();
                    // SAFETY: ends the process.
                    unsafe { libc::exit(code) }
                }
                self.report(&msg);
                Err(())
            }
        }
    }

    fn run_string(&mut self, src: &[u8], name: &[u8]) -> Result<(), ()> {
        let f = self.load(src, name)?;
        self.call(f, &[]).map(|_| ())
    }

    /// Loads a file (stdin for `None`) as `luaL_loadfile` does; reports errors.
    fn load_file(&mut self, name: Option<&str>) -> Result<Value, ()> {
        match read_source(name) {
            Ok((src, chunk)) => self.load(&src, &chunk),
            Err(msg) => {
                self.report(&msg);
                Err(())
            }
        }
    }

    /// `-l [g=]mod`: `g = require(mod)`, `g` defaulting to `mod` up to a `-`.
    fn require(&mut self, spec: &str) -> Result<(), ()> {
        let (global, module) = match spec.split_once('=') {
            Some((g, m)) => (g, m),
            None => (spec.split('-').next().unwrap_or(spec), spec),
        };
        let Ok(req) = self.lua.get_global(b"require") else {
            return Err(());
        };
        let Ok(m) = self.lua.str_value(module.as_bytes()) else {
            return Err(());
        };
        let r = self.call(req, &[m])?;
        let v = r.first().copied().unwrap_or(Value::Nil);
        self.lua.set_global(global.as_bytes(), v).map_err(|_| ())
    }
}

/// The source of a file (stdin for `None`) with its chunk name, as `luaL_loadfile` reads it.
pub fn read_source(name: Option<&str>) -> Result<(Vec<u8>, Vec<u8>), Vec<u8>> {
    let (mut s, chunk, shown) = match name {
        None => (
            cfile::Stream::standard(cfile::Std::In),
            b"=stdin".to_vec(),
            "stdin",
        ),
        Some(n) => match cfile::Stream::open(n.as_bytes(), b"r") {
            Ok(s) => (s, format!("@{n}").into_bytes(), n),
            Err(e) => {
                let m = String::from_utf8_lossy(&cfile::strerror(e)).into_owned();
                return Err(format!("cannot open {n}: {m}").into_bytes());
            }
        },
    };
    s.begin_read();
    let src = s.read_all();
    // C Lua names no cause here (errno is lost by then); say the same.
    if s.read_error().is_some() {
        return Err(format!("cannot read {shown}").into_bytes());
    }
    Ok((host::strip_file_prefix(src), chunk))
}

fn make_arg_table(lua: &mut Lua, argv: &[String], script: usize) -> Result<(), Error> {
    let t = lua.new_table()?;
    for (i, a) in argv.iter().enumerate() {
        let v = lua.str_value(a.as_bytes())?;
        lua.raw_set_int(t, i as i64 - script as i64, v)?;
    }
    lua.set_global(b"arg", Value::Table(t))
}

/// The script's arguments: `arg[1..n]` as the global `arg` holds them when the script
/// starts (`-e` may have changed it).
fn script_args(cli: &mut Cli) -> Result<Vec<Value>, ()> {
    let Ok(Value::Table(t)) = cli.lua.get_global(b"arg") else {
        cli.report(b"'arg' is not a table");
        return Err(());
    };
    let mut v = Vec::new();
    let mut i = 1;
    loop {
        let a = cli.lua.raw_get(t, &Value::Int(i));
        if a.is_nil() {
            return Ok(v);
        }
        v.push(a);
        i += 1;
    }
}

const DEFAULT_PATH: &str = "/usr/local/share/lua/5.5/?.lua;/usr/local/share/lua/5.5/?/init.lua;\
/usr/local/lib/lua/5.5/?.lua;/usr/local/lib/lua/5.5/?/init.lua;./?.lua;./?/init.lua";

const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.5/?.so;/usr/local/lib/lua/5.5/loadall.so;./?.so";

/// A search path from `<var>_5_5` or `<var>` (where `;;` stands for the default), unless
/// `-E`. `package.cpath` is only shown: the engine loads no C modules.
fn search_path(var: &str, default: &str, no_env: bool) -> String {
    let env = if no_env {
        None
    } else {
        std::env::var(format!("{var}_5_5"))
            .or_else(|_| std::env::var(var))
            .ok()
    };
    match env {
        Some(p) if p.contains(";;") => {
            let p = p.replacen(";;", &format!(";{default};"), 1);
            p.trim_matches(';').to_string()
        }
        Some(p) => p,
        None => default.to_string(),
    }
}

fn set_paths(lua: &mut Lua, no_env: bool) -> Result<(), Error> {
    lua.set_package_path(search_path("LUA_PATH", DEFAULT_PATH, no_env).as_bytes())?;
    if let Value::Table(pkg) = lua.get_global(b"package")? {
        let c = lua.str_value(search_path("LUA_CPATH", DEFAULT_CPATH, no_env).as_bytes())?;
        lua.set_field(pkg, b"cpath", c)?;
    }
    Ok(())
}

fn print_version() {
    let _ = cfile::write_stdout(format!("{VERSION}\n").as_bytes());
    cfile::flush_stdout();
}

/// LUA_INIT_5_5 or LUA_INIT: code, or `@file`.
fn run_init(cli: &mut Cli) -> Result<(), ()> {
    let (name, init) = match std::env::var("LUA_INIT_5_5") {
        Ok(v) => ("=LUA_INIT_5_5", v),
        Err(_) => match std::env::var("LUA_INIT") {
            Ok(v) => ("=LUA_INIT", v),
            Err(_) => return Ok(()),
        },
    };
    match init.strip_prefix('@') {
        Some(file) => {
            let f = cli.load_file(Some(file))?;
            cli.call(f, &[]).map(|_| ())
        }
        None => cli.run_string(init.as_bytes(), name.as_bytes()),
    }
}

/// Everything after option parsing (`pmain`); `Err` means exit status 1.
fn run(cli: &mut Cli, argv: &[String], args: &Args) -> Result<(), ()> {
    let optlim = args.script.unwrap_or(argv.len());
    let script = args.script.unwrap_or(0);
    make_arg_table(&mut cli.lua, argv, script).map_err(|_| ())?;
    if !args.no_env {
        run_init(cli)?;
    }
    let mut i = 1;
    while i < optlim {
        let a = argv[i].as_str();
        match a.get(..2) {
            Some(o @ ("-e" | "-l")) => {
                let extra = if a.len() > 2 {
                    a[2..].to_string()
                } else {
                    i += 1;
                    argv.get(i).cloned().unwrap_or_default()
                };
                if o == "-e" {
                    cli.run_string(extra.as_bytes(), b"=(command line)")?;
                } else {
                    cli.require(&extra)?;
                }
            }
            Some("-W") => cli.lua.set_warnings(true),
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = args.script {
        let name = argv[s].as_str();
        // `-` is stdin unless it came after `--`.
        let stdin = name == "-" && argv[s - 1] != "--";
        let f = cli.load_file(if stdin { None } else { Some(name) })?;
        let a = script_args(cli)?;
        cli.call(f, &a)?;
    }
    if args.interactive {
        repl::run(cli);
    } else if args.script.is_none() && !args.has_exec && !args.version {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            print_version();
            repl::run(cli);
        } else {
            let f = cli.load_file(None)?;
            cli.call(f, &[])?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let progname = argv
        .first()
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| "lua".into());
    let args = match collect_args(&argv) {
        Ok(a) => a,
        Err(i) => {
            print_usage(&progname, &argv[i]);
            return ExitCode::FAILURE;
        }
    };
    if args.version {
        print_version();
    }
    // Like PUC's `lua`, the host interpreter loads binary chunks (`string.dump` output);
    // the kernel runtime keeps them off. The fuel slice only paces SIGINT polls.
    let config = Config {
        stack_budget: 1024 * 1024,
        allow_binary: true,
        fuel_slice: host::FUEL_SLICE,
        ..Config::default()
    };
    let lua = match Lua::new(config, Box::new(host::StdHost)) {
        Ok(l) => l,
        Err(_) => {
            cfile::write_stderr(
                format!("{progname}: cannot create state: not enough memory\n").as_bytes(),
            );
            return ExitCode::FAILURE;
        }
    };
    let mut cli = Cli {
        lua,
        no_env: args.no_env,
        progname: Some(progname),
    };
    if iolib::open(&mut cli.lua)
        .and_then(|_| oslib::open(&mut cli.lua))
        .and_then(|_| debuglib::open(&mut cli.lua))
        .and_then(|_| set_paths(&mut cli.lua, args.no_env))
        .is_err()
    {
        cli.report(b"cannot open libraries: not enough memory");
        return ExitCode::FAILURE;
    }
    // Warnings start off, as in `lua`; `-W` turns them on in its turn.
    cli.lua.set_warnings(false);
    let status = run(&mut cli, &argv, &args);
    drop(cli);
    cfile::flush_all();
    match status {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}
