//! `lunatik compile`: the chunk it writes loads back in the same engine, and compile
//! errors come back as the compiler's message.

use lua::{Config, Lua, Mode, NoHost, Value};
use lunatik_cli::cmd::compile::chunk;

fn run_binary(bytes: &[u8]) -> Vec<String> {
    let config = Config {
        allow_binary: true,
        ..Config::default()
    };
    let mut lua = Lua::new(config, Box::new(NoHost)).expect("state");
    let f = lua
        .enter(|l| l.load(bytes, b"=chunk", Mode::Binary, None))
        .expect("binary chunk loads");
    let results = lua.call(f, &[]).expect("runs");
    results
        .iter()
        .map(|v| match v {
            Value::Int(n) => n.to_string(),
            Value::Str(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
            other => format!("{:?}", other.type_of()),
        })
        .collect()
}

#[test]
fn a_compiled_chunk_runs_and_keeps_its_behaviour() {
    let src =
        b"local t = {} for i = 1, 10 do t[#t + 1] = i * i end return table.concat(t, ','), #t";
    for strip in [false, true] {
        let bytes = chunk(src, b"@squares.lua", strip).expect("compiles");
        assert!(bytes.starts_with(b"\x1bLua"));
        assert_eq!(run_binary(&bytes), ["1,4,9,16,25,36,49,64,81,100", "10"]);
    }
}

#[test]
fn stripping_makes_the_chunk_smaller() {
    let src = b"local alpha, beta = 1, 2\nreturn alpha + beta\n";
    let full = chunk(src, b"@x.lua", false).expect("compiles");
    let stripped = chunk(src, b"@x.lua", true).expect("compiles");
    assert!(stripped.len() < full.len());
}

#[test]
fn a_syntax_error_is_the_compilers_message() {
    assert_eq!(
        chunk(b"x = = 1", b"@bad.lua", false),
        Err("bad.lua:1: unexpected symbol near '='".to_string())
    );
}
