//! The embedding API as a host uses it: coroutines driven from Rust.

mod common;

use common::{budgeted, show, state};
use lua::{Mode, Value};

fn load(lua: &mut lua::Lua, src: &str) -> Value {
    let f = lua
        .enter(|l| l.load(src.as_bytes(), b"=t", Mode::Text, None))
        .unwrap();
    lua.call(f, &[]).unwrap()[0]
}

fn shown(vs: &[Value]) -> Vec<String> {
    vs.iter().map(show).collect()
}

#[test]
fn a_host_driven_coroutine_keeps_its_state_between_resumes() {
    let (mut lua, _) = state();
    let f = load(
        &mut lua,
        "return function(x) local n = 0 while x do n = n + x x = coroutine.yield(n) end return 'done', n end",
    );
    let co = lua.new_coroutine(f).unwrap();
    lua.set_global(b"keep", co).unwrap(); // a root, as a host's registry entry would be
    assert!(lua.is_resumable(&co));
    assert_eq!(
        shown(&lua.resume_coroutine(co, &[Value::Int(1)]).unwrap()),
        ["1"]
    );
    assert_eq!(
        shown(&lua.resume_coroutine(co, &[Value::Int(2)]).unwrap()),
        ["3"]
    );
    assert_eq!(
        shown(&lua.resume_coroutine(co, &[Value::Nil]).unwrap()),
        ["done", "3"]
    );
    assert!(!lua.is_resumable(&co));
    let e = lua.resume_coroutine(co, &[]).unwrap_err();
    assert_eq!(lua.error_message(&e), b"cannot resume dead coroutine");
}

#[test]
fn errors_end_the_coroutine_and_reach_the_host() {
    let (mut lua, _) = state();
    let f = load(
        &mut lua,
        "return function() coroutine.yield(1) error('boom') end",
    );
    let co = lua.new_coroutine(f).unwrap();
    lua.set_global(b"keep", co).unwrap();
    assert_eq!(shown(&lua.resume_coroutine(co, &[]).unwrap()), ["1"]);
    let e = lua.resume_coroutine(co, &[]).unwrap_err();
    assert_eq!(lua.error_message(&e), b"t:1: boom");
    assert!(!lua.is_resumable(&co));
    assert!(!lua.is_resumable(&Value::Int(1)));
}

#[test]
fn a_budget_abort_is_not_turned_into_a_coroutine_error() {
    let (mut lua, _host) = budgeted(5_000, 1);
    let f = load(&mut lua, "return function() while true do end end");
    let co = lua.new_coroutine(f).unwrap();
    lua.set_global(b"keep", co).unwrap();
    assert!(matches!(
        lua.resume_coroutine(co, &[]),
        Err(lua::Error::Abort)
    ));
}
