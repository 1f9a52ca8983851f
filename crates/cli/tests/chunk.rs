//! The chunks sent to the kernel: script names quoted as Lua string literals that the
//! engine reads back as exactly the original bytes.

use lua::{Config, Lua, Mode, NoHost, Value};
use lunatik_cli::chunk::{self, quote, Context, Options};

/// What the engine makes of `return <literal>`.
fn evaluate_literal(literal: &[u8]) -> Vec<u8> {
    let mut lua = Lua::new(Config::default(), Box::new(NoHost)).expect("state");
    let mut source = b"return ".to_vec();
    source.extend_from_slice(literal);
    let f = lua
        .load(&source, b"=literal", Mode::Text, None)
        .expect("literal compiles");
    let results = lua.call(f, &[]).expect("literal evaluates");
    match results.first() {
        Some(Value::Str(s)) => s.as_bytes().to_vec(),
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn quoted_names_evaluate_to_the_same_bytes() {
    let cases: &[(&str, &[u8])] = &[
        ("plain", b"examples/hello"),
        ("empty", b""),
        ("double_quote", b"a\"b"),
        ("single_quote", b"it's"),
        ("backslash", b"a\\b\\"),
        ("backslash_before_quote", b"\\\""),
        ("newline", b"a\nb"),
        ("carriage_return", b"a\rb"),
        ("nul", b"a\0b"),
        ("nul_before_digits", b"\x001234"),
        ("control_before_digit", b"\x019"),
        ("delete", b"\x7f"),
        ("closing_bracket_and_code", b"x\") os.exit() --"),
        ("long_bracket", b"]]--[["),
        ("utf8", "café/ñ".as_bytes()),
        ("invalid_utf8", b"\xff\xfe"),
    ];
    for (name, bytes) in cases {
        assert_eq!(evaluate_literal(&quote(bytes)), *bytes, "{name}");
    }
}

#[test]
fn quoted_names_stay_on_one_line() {
    assert_eq!(quote(b"a\nb\0c"), b"\"a\\010b\\000c\"");
}

#[test]
fn quote_escapes_quotes_and_backslashes() {
    assert_eq!(quote(b"a\"b\\c"), b"\"a\\\"b\\\\c\"");
}

const RUNNER: &str = "local runner = require(\"lunatik.runner\")\n";

/// What a runner chunk looks like: `RUNNER` and then `call`.
fn runner(call: &str) -> Vec<u8> {
    format!("{RUNNER}{call}").into_bytes()
}

fn options(context: Option<Context>, percpu: bool) -> Options {
    Options { context, percpu }
}

#[test]
fn run_without_options_calls_the_runner_with_the_script_only() {
    assert_eq!(
        chunk::run(b"hello", Options::default()),
        runner("runner.run(\"hello\")")
    );
}

#[test]
fn run_with_a_context_passes_its_name_as_a_string() {
    let chunk = chunk::run(b"nf", options(Some(Context::Softirq), false));
    assert_eq!(chunk, runner("runner.run(\"nf\", \"softirq\")"));
}

#[test]
fn run_percpu_passes_true_after_the_context_or_nil() {
    let chunk = chunk::run(b"x", options(Some(Context::Softirq), true));
    assert_eq!(chunk, runner("runner.run(\"x\", \"softirq\", true)"));
    let chunk = chunk::run(b"x", options(None, true));
    assert_eq!(chunk, runner("runner.run(\"x\", nil, true)"));
}

#[test]
fn spawn_stop_and_shutdown_call_the_runner() {
    assert_eq!(
        chunk::spawn(b"t", Options::default()),
        runner("runner.spawn(\"t\")")
    );
    let chunk = chunk::spawn(b"t", options(Some(Context::Process), true));
    assert_eq!(chunk, runner("runner.spawn(\"t\", \"process\", true)"));
    assert_eq!(chunk::stop(b"t"), runner("runner.stop(\"t\")"));
    assert_eq!(chunk::shutdown(), runner("runner.shutdown()"));
}

#[test]
fn list_returns_the_runner_list() {
    assert_eq!(chunk::list(), b"return require(\"lunatik.runner\").list()");
}

#[test]
fn runner_chunks_compile_and_cannot_be_read_as_an_expression() {
    let guard = lua::stack::StackGuard::with_budget(1 << 20);
    let hostile = b"x\")\nos.exit()--";
    for chunk in [
        chunk::run(hostile, options(Some(Context::Hardirq), true)),
        chunk::run(hostile, options(None, true)),
        chunk::spawn(hostile, Options::default()),
        chunk::stop(hostile),
        chunk::shutdown(),
    ] {
        assert!(
            lua::compile(&chunk, b"=cli", &guard).is_ok(),
            "{}",
            String::from_utf8_lossy(&chunk)
        );
        let mut as_expression = b"return ".to_vec();
        as_expression.extend_from_slice(&chunk);
        assert!(lua::compile(&as_expression, b"=cli", &guard).is_err());
    }
}
