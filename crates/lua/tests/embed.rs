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

/// A method that raises an argument error as C Lunatik's monitored methods do.
fn monitored_push(cx: &mut lua::Ctx<'_>) -> lua::LuaResult<lua::Ret> {
    cx.report_as("push");
    Err(cx.arg_error(2, format_args!("not enough space")))
}

#[test]
fn report_as_names_the_method_counts_self_and_has_no_position() {
    let (mut lua, _) = state();
    let obj = lua.new_table().unwrap();
    lua.set_field(obj, b"push", Value::NativeFn(monitored_push))
        .unwrap();
    lua.set_global(b"q", Value::Table(obj)).unwrap();
    let r = common::run(
        &mut lua,
        "local ok, e = pcall(function() local v = q:push('x'); return v end); return e",
    );
    assert_eq!(r.unwrap(), ["bad argument #2 to 'push' (not enough space)"]);
}

/// `new(bytes)`: a userdata whose payload owns `bytes` outside the heap.
fn new_buffer(cx: &mut lua::Ctx<'_>) -> lua::LuaResult<lua::Ret> {
    let n = cx.check_int(1)? as usize;
    let u = cx.lua.new_userdata(0u64, 0)?;
    cx.push(Value::UserData(u))?;
    cx.lua.set_userdata_extra::<u64>(u, n)?;
    Ok(lua::Ret::Values(1))
}

#[test]
fn memory_a_userdata_owns_counts_against_the_limit_and_paces_the_collector() {
    let mut lua = common::state_with(
        lua::Config {
            memory_limit: 1 << 20,
            ..lua::Config::default()
        },
        common::TestHost::default(),
    );
    lua.set_global(b"new", Value::NativeFn(new_buffer)).unwrap();
    // More than the limit at once fails; 64 MiB of garbage in 64 KiB pieces does not.
    let r = common::run(&mut lua, "return pcall(new, 2 << 20)");
    assert_eq!(r.unwrap(), ["false", "not enough memory"]);
    let r = common::run(
        &mut lua,
        "for i = 1, 1024 do local b = new(65536) end; return collectgarbage('count') < 1024",
    );
    assert_eq!(r.unwrap(), ["true"]);
}

/// A method of a userdata's class, as a binding defines one.
fn bad_method(cx: &mut lua::Ctx<'_>) -> lua::LuaResult<lua::Ret> {
    Err(cx.arg_error(2, format_args!("out of bounds")))
}

#[test]
fn a_method_called_through_pcall_is_named_after_its_metatable_entry() {
    let (mut lua, _) = state();
    let u = lua.new_userdata(0u8, 0).unwrap();
    let mt = lua.new_table().unwrap();
    let methods = lua.new_table().unwrap();
    lua.set_field(methods, b"peek", Value::NativeFn(bad_method))
        .unwrap();
    lua.set_field(mt, b"__index", Value::Table(methods))
        .unwrap();
    lua.set_userdata_metatable(u, Some(mt));
    lua.set_global(b"obj", Value::UserData(u)).unwrap();
    let r = common::run(&mut lua, "local ok, e = pcall(obj.peek, obj, 9); return e");
    assert_eq!(r.unwrap(), ["bad argument #2 to 'peek' (out of bounds)"]);
}

#[test]
fn calls_share_a_slice_unless_the_host_refills_it() {
    let src = "return function() local s = 0 for i = 1, 100 do s = s + i end return s end";
    let (mut lua, _host) = budgeted(5_000, 1);
    let f = load(&mut lua, src);
    let aborted = (0..100).any(|_| matches!(lua.call(f, &[]), Err(lua::Error::Abort)));
    assert!(aborted, "100 calls of ~300 instructions fit no 5 000 slice");

    let (mut lua, _host) = budgeted(5_000, 1);
    let f = load(&mut lua, src);
    let before = lua.instructions();
    for _ in 0..100 {
        lua.refill_fuel();
        assert_eq!(show(&lua.call(f, &[]).unwrap()[0]), "5050");
    }
    let ran = lua.instructions() - before;
    assert!((20_000..100_000).contains(&ran), "{ran} instructions");
}
