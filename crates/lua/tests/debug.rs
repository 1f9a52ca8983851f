//! The debug library: hooks (line, count, call, return, per thread), `getinfo`,
//! `getlocal`/`setlocal` on frames and coroutines, and tracebacks. Each program's
//! expected answer is what PUC Lua 5.5 gives.

mod common;

use common::{run, state, state_with, TestHost};
use lua::Config;

fn check(src: &str, want: &[&str]) {
    let (mut lua, _) = state();
    let got = run(&mut lua, src);
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, Ok(want), "{src}");
}

/// `check` in a state that loads binary chunks (for stripped code).
fn check_binary(src: &str, want: &[&str]) {
    let config = Config {
        allow_binary: true,
        ..Config::default()
    };
    let mut lua = state_with(config, TestHost::default());
    let got = run(&mut lua, src);
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, Ok(want), "{src}");
}

#[test]
fn a_line_hook_reports_the_condition_of_an_if_on_the_line_it_ends() {
    check(
        "local t = {}\ndebug.sethook(function(e, l) t[#t + 1] = l end, \"l\"); load(\"if\\nmath.sin(1)\\nthen\\n  a=1\\nelse\\n  a=2\\nend\\n\")(); debug.sethook()\nreturn table.concat(t, \",\")",
        &["2,4,7"],
    );
}

#[test]
fn a_line_hook_fires_again_when_a_loop_jumps_back_on_the_same_line() {
    check(
        "local t = {}\ndebug.sethook(function(e, l) t[#t + 1] = l end, \"l\"); load(\"for i=1,4 do a=1 end\")(); debug.sethook()\nreturn table.concat(t, \",\")",
        &["1,1,1,1"],
    );
}

#[test]
fn a_line_hook_does_not_repeat_the_line_a_call_returns_to() {
    check(
        "local t = {}\ndebug.sethook(function(e, l) t[#t + 1] = l end, \"l\"); load(\"local function foo()\\nend\\nfoo()\\nA = 1\\nA = 2\\nA = 3\\n\")(); debug.sethook()\nreturn table.concat(t, \",\")",
        &["2,3,2,4,5,6"],
    );
}

#[test]
fn call_and_return_hooks_see_tail_calls_and_natives() {
    check(
        "local b = {}\nlocal function f (x) end\nfunction g(x) return f(x) end\nfunction g1(x) g(x) end\nlocal function h (x) local f=g1; return f(x) end\ndebug.sethook(function (e) b[#b + 1] = e end, \"cr\")\nh(false)\ndebug.sethook()\nreturn table.concat(b, \",\")",
        &["return,call,tail call,call,tail call,return,return,call"],
    );
}

#[test]
fn a_hook_set_on_a_coroutine_runs_only_in_that_coroutine() {
    check(
        "local co = coroutine.create(function () coroutine.yield(10) return 20 end)\nlocal trace = {}\ndebug.sethook(co, function (e) trace[#trace + 1] = e end, \"clr\")\nrepeat until not coroutine.resume(co)\nreturn table.concat(trace, \",\"), debug.gethook(co) ~= nil, debug.gethook() == nil",
        &["call,line,call,return,return", "true", "true"],
    );
}

#[test]
fn gethook_of_a_coroutine_returns_its_function_mask_and_count() {
    check(
        "local co = coroutine.create(function () end)\nlocal function f() end\ndebug.sethook(co, f, \"lc\", 7)\nlocal h, m, c = debug.gethook(co)\nreturn h == f, m, c, debug.gethook()",
        &["true", "cl", "7", "nil"],
    );
}

#[test]
fn a_count_hook_counts_the_instructions_of_the_hook_too() {
    check(
        "local a = 0\ndebug.sethook(function (e) a = a + 1; for i = 1, 10 do end end, \"\", 4)\na = 0; for i = 1, 1000 do end; debug.sethook()\nreturn a",
        &["503"],
    );
}

#[test]
fn getinfo_r_gives_the_values_a_call_or_return_transfers() {
    check(
        "local inp, out\nlocal on = false\nlocal function hook (event)\n  if not on then return end\n  local ar = debug.getinfo(2, \"ruS\")\n  local t = {}\n  for i = ar.ftransfer, ar.ftransfer + ar.ntransfer - 1 do\n    local _, v = debug.getlocal(2, i)\n    t[#t + 1] = v\n  end\n  if event == \"return\" then out = t else inp = t end\nend\ndebug.sethook(hook, \"cr\")\non = true; select(2, 10, 20, 30, 40); on = false\nlocal r1 = table.concat(inp, \" \") .. \"/\" .. table.concat(out, \" \")\nlocal function foo (a, ...) return ... end\nlocal function foo1 () on = not on; return foo(20, 10, 0) end\nfoo1(); on = false\ndebug.sethook()\nreturn r1, table.concat(inp, \" \") .. \"/\" .. table.concat(out, \" \")",
        &["2 10 20 30 40/20 30 40", "20/10 0"],
    );
}

#[test]
fn a_function_called_by_a_hook_is_named_hook() {
    check(
        "local r\ndebug.sethook(function ()\n  local i = debug.getinfo(1, \"n\")\n  r = i.namewhat .. \" \" .. tostring(i.name) .. \" \" .. tostring(string.find(debug.traceback(), \"in hook '%?'\") ~= nil)\nend, \"l\")\nlocal a = 1\ndebug.sethook()\nreturn r",
        &["hook ? true"],
    );
}

#[test]
fn getinfo_counts_the_extra_arguments_of_call_metamethods() {
    check(
        "local function f() return debug.getinfo(1, \"t\").extraargs end\nlocal o = setmetatable({}, {__call = f})\nlocal o2 = setmetatable({}, {__call = o})\nreturn f(), o(), o2(), debug.getinfo(print, \"t\").extraargs",
        &["0", "1", "2", "0"],
    );
}

#[test]
fn getinfo_getlocal_and_setlocal_reach_into_a_suspended_coroutine() {
    check(
        "local co = coroutine.create(function (x)\n  local a = 1\n  coroutine.yield(debug.getinfo(1, \"l\").currentline)\n  return a\nend)\nlocal _, l = coroutine.resume(co, 10)\nlocal x = debug.getinfo(co, 1, \"lS\")\nlocal n0 = debug.getinfo(co, 0, \"n\").name\nlocal a, b = debug.getlocal(co, 1, 1)\nlocal c, d = debug.getlocal(co, 1, 2)\ndebug.setlocal(co, 1, 2, \"hi\")\nreturn x.currentline == l, n0, a, b, c, d, select(2, coroutine.resume(co)), debug.getinfo(co, 1) == nil",
        &["true", "yield", "x", "10", "a", "1", "hi", "true"],
    );
}

#[test]
fn getlocal_names_temporaries_of_lua_and_native_frames() {
    check(
        "local n1, v1 = debug.getlocal(0, 1)\nlocal n2 = debug.getlocal(0, 3)\nlocal function f() local x = 1; return debug.getlocal(1, 2) end\nreturn n1, v1, n2, f()",
        &["(C temporary)", "0", "nil", "nil"],
    );
}

#[test]
fn traceback_of_a_coroutine_starts_at_its_top() {
    check(
        "local function f(n) if n > 0 then f(n - 1) else coroutine.yield() end end\nlocal co = coroutine.create(f)\ncoroutine.resume(co, 1)\nreturn debug.traceback(co), debug.traceback(co, \"m\", 1)",
        &["stack traceback:\n\t[C]: in field 'yield'\n\tt:1: in upvalue 'f'\n\tt:1: in function <t:1>", "m\nstack traceback:\n\tt:1: in upvalue 'f'\n\tt:1: in function <t:1>"],
    );
}

#[test]
fn traceback_names_globals_and_natives_as_5_5_does() {
    check(
        "function gf() return debug.traceback(\"x\", 1) end\nlocal st, msg = (function () return pcall end)()(debug.traceback)\nreturn (gf():match(\"^[^\\n]*\\n[^\\n]*\\n[^\\n]*\")), (msg:match(\"^[^\\n]*\\n[^\\n]*\"))",
        &["x\nstack traceback:\n\tt:1: in global 'gf'", "stack traceback:\n\t[C]: in function 'pcall'"],
    );
}

#[test]
fn activelines_of_a_vararg_function_skip_its_varargprep() {
    check(
        "local f = load(\"\\n\\nlocal x = 1\\nreturn x\")\nlocal t = {}\nfor l in pairs(debug.getinfo(f, \"L\").activelines) do t[#t + 1] = l end\ntable.sort(t)\nreturn table.concat(t, \",\")",
        &["3,4"],
    );
}

#[test]
fn a_coroutine_dead_by_error_keeps_its_frames_for_the_debug_library() {
    check(
        "local function f(i) if i == 0 then error(\"x\") else f(i - 1) end end\nlocal co = coroutine.create(function () f(1) end)\ncoroutine.resume(co)\nreturn debug.traceback(co), debug.getinfo(co, 0, \"n\").name, (debug.getlocal(co, 2, 1))",
        &["stack traceback:\n\t[C]: in global 'error'\n\tt:1: in upvalue 'f'\n\tt:1: in upvalue 'f'\n\tt:2: in function <t:2>", "error", "i"],
    );
}

#[test]
fn a_finalizer_is_named_gc_as_a_metamethod() {
    check(
        "local name\nsetmetatable({}, {__gc = function ()\n  local t = debug.getinfo(1, \"n\")\n  name = t.namewhat .. \" \" .. t.name\nend})\nrepeat local a = {} until name\nreturn name",
        &["metamethod __gc"],
    );
}

#[test]
fn setupvalue_of_stripped_code_answers_no_name() {
    check_binary(
        "local f = load(string.dump(load(\"local a = 1; return function() return a end\")(), true))\nreturn debug.setupvalue(f, 1, 2), (debug.getupvalue(f, 1))",
        &["(no name)", "(no name)"],
    );
}

#[test]
fn getlocal_counts_the_hidden_vararg_table_of_a_vararg_function() {
    check(
        "local r = {}\nlocal function g(a, ...)\n  local b = 2\n  for i = 1, 4 do r[#r + 1] = tostring(debug.getlocal(1, i)) end\nend\ng(1, 9)\nreturn table.concat(r, \" \"), debug.getlocal(g, 2) == nil",
        &["a (vararg table) b (for state)", "true"],
    );
}

#[test]
fn upvalueid_answers_fail_for_an_upvalue_that_does_not_exist() {
    check(
        "local a = 1\nlocal function f() return a end\nreturn debug.upvalueid(f, 2), debug.upvalueid(f, 0), debug.upvalueid(print, 1), debug.upvalueid(f, 1) ~= nil, pcall(debug.upvalueid, {}, 1)",
        &[
            "nil",
            "nil",
            "nil",
            "true",
            "false",
            "bad argument #1 to 'debug.upvalueid' (function expected, got table)",
        ],
    );
}
