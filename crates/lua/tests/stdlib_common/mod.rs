//! Shared helpers for the `stdlib_*` tests: a fresh state, library functions called
//! through `Lua::call` with arguments written as [`A`], Lua source run through the
//! compiler, and results rendered as one comparable string.

#![allow(dead_code)]

use lua::{Config, Lua, Mode, NoHost, Value};

/// A test argument.
#[derive(Clone, Copy, Debug)]
pub enum A {
    I(i64),
    F(f64),
    S(&'static [u8]),
    N,
    B(bool),
}

/// A state with every library open.
pub fn new_lua() -> Box<Lua> {
    Lua::new(Config::default(), Box::new(NoHost)).expect("state")
}

/// The library function at `path` (`"string.rep"`).
pub fn lib_fn(lua: &mut Lua, path: &str) -> Value {
    let (lib, name) = path.split_once('.').expect("lib.name");
    let Value::Table(t) = lua.get_global(lib.as_bytes()).expect("global") else {
        panic!("no library {lib}")
    };
    let f = lua.get_field(t, name.as_bytes()).expect("field");
    assert!(f.is_function(), "{path} is not a function");
    f
}

pub fn to_value(lua: &mut Lua, a: &A) -> Value {
    match *a {
        A::I(i) => Value::Int(i),
        A::F(f) => Value::Float(f),
        A::S(s) => lua.str_value(s).expect("string"),
        A::N => Value::Nil,
        A::B(b) => Value::Bool(b),
    }
}

/// Renders values as `"str", 3, 2.5, nil, true, table`: strings quoted with escapes, floats
/// as Lua prints them (so `3.0` and `3` differ).
pub fn render(values: &[Value]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::Str(s) => format!("\"{}\"", s.as_bytes().escape_ascii()),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => {
                let mut out = Vec::new();
                lua::numfmt::fmt_float_lua(&mut out, *f).expect("format");
                String::from_utf8(out).expect("ascii")
            }
            Value::Nil => "nil".into(),
            Value::Bool(b) => b.to_string(),
            other => other.type_of().name().into(),
        })
        .collect();
    parts.join(", ")
}

/// Calls `path(args...)`: the rendered results, or the error message.
pub fn call(lua: &mut Lua, path: &str, args: &[A]) -> Result<String, String> {
    let f = lib_fn(lua, path);
    let args: Vec<Value> = args.iter().map(|a| to_value(lua, a)).collect();
    match lua.call(f, &args) {
        Ok(rs) => Ok(render(&rs)),
        Err(e) => Err(String::from_utf8_lossy(&lua.error_message(&e)).into_owned()),
    }
}

/// Compiles and runs `src` (chunk name `t`): the rendered results, or the error message.
pub fn eval(lua: &mut Lua, src: &str) -> Result<String, String> {
    let f = match lua.load(src.as_bytes(), b"=t", Mode::Text, None) {
        Ok(f) => f,
        Err(e) => {
            return Err(format!(
                "compile: {}",
                String::from_utf8_lossy(&lua.error_message(&e))
            ))
        }
    };
    match lua.call(f, &[]) {
        Ok(rs) => Ok(render(&rs)),
        Err(e) => Err(String::from_utf8_lossy(&lua.error_message(&e)).into_owned()),
    }
}

/// A row of a call table: name, function, arguments, expected result or error.
pub type CallRow = (
    &'static str,
    &'static str,
    &'static [A],
    Result<&'static str, &'static str>,
);

/// Runs every row on one state and reports all mismatches at once.
pub fn check_calls(rows: &[CallRow]) {
    let mut lua = new_lua();
    let mut failures = Vec::new();
    for (name, path, args, want) in rows {
        let got = call(&mut lua, path, args);
        // Called from the host, a function is named as `pushglobalfuncname` finds it
        // in `package.loaded` (e.g. 'math.sqrt'), as PUC Lua does.
        let named = |e: &str| e.replace("to '?'", &format!("to '{path}'"));
        let want = want.map(str::to_owned).map_err(named);
        if got != want {
            failures.push(format!(
                "{name}: {path}{args:?}\n   got  {got:?}\n   want {want:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// A row of a source table: name, Lua chunk, expected results or error.
pub type SrcRow = (
    &'static str,
    &'static str,
    Result<&'static str, &'static str>,
);

/// Runs every chunk on one state and reports all mismatches at once.
pub fn check_sources(rows: &[SrcRow]) {
    let mut lua = new_lua();
    let mut failures = Vec::new();
    for (name, src, want) in rows {
        let got = eval(&mut lua, src);
        let want = want.map(str::to_owned).map_err(str::to_owned);
        if got != want {
            failures.push(format!("{name}: {src}\n   got  {got:?}\n   want {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
