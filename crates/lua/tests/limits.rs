//! The kernel-safety limits: memory, instruction budget, native stack.

mod common;

use common::{budgeted, on_small_stack, run, state, state_with, TestHost};
use lua::Config;

/// A state whose memory limit is `bytes`.
fn limited(bytes: usize) -> Box<lua::Lua> {
    state_with(
        Config {
            memory_limit: bytes,
            ..Config::default()
        },
        TestHost::default(),
    )
}

#[test]
fn allocating_past_the_memory_limit_is_a_catchable_error_and_the_state_survives() {
    let mut lua = limited(512 * 1024);
    let r = run(&mut lua, "local t = {} local ok, e = pcall(function() for i = 1, 1e9 do t[i] = {i} end end) t = nil return ok, e");
    assert_eq!(r, Ok(vec!["false".into(), "not enough memory".into()]));
    assert_eq!(run(&mut lua, "return 1 + 1"), Ok(vec!["2".into()]));
    assert!(lua.memory_used() <= 512 * 1024);
}

#[test]
fn uncaught_memory_error_reaches_the_host() {
    let mut lua = limited(256 * 1024);
    let r = run(
        &mut lua,
        "local s = 'x' for i = 1, 40 do s = s .. s end return #s",
    );
    assert_eq!(r, Err("not enough memory".into()));
    assert_eq!(
        run(&mut lua, "return 'still alive'"),
        Ok(vec!["still alive".into()])
    );
}

#[test]
fn garbage_is_reclaimed_so_a_loop_within_the_limit_keeps_running() {
    let mut lua = limited(1024 * 1024);
    let r = run(
        &mut lua,
        "local n = 0 for i = 1, 200000 do local t = {i, i, i} n = n + #t end return n",
    );
    assert_eq!(r, Ok(vec!["600000".into()]));
}

#[test]
fn strings_made_by_library_calls_in_a_loop_are_reclaimed_within_a_small_limit() {
    // Issue 13: this used to fail with "not enough memory" with 125 KiB live, after
    // 60 398 iterations, for want of a collection before refusing.
    let mut lua = limited(1024 * 1024);
    let r = run(
        &mut lua,
        "local t = {} for i = 1, 300000 do t[i % 1000 + 1] = tostring(i) end \
         for i = 1, 100000 do t[i % 1000 + 1] = string.rep('x', 100) .. string.format('%d', i) end \
         return #t",
    );
    assert_eq!(r, Ok(vec!["1000".into()]));
}

#[test]
fn endless_loop_returns_to_the_host_when_the_budget_aborts() {
    let (mut lua, host) = budgeted(10_000, 3);
    assert_eq!(
        run(&mut lua, "while true do end"),
        Err("script aborted".into())
    );
    assert_eq!(*host.fuel_calls.borrow(), 3);
}

#[test]
fn work_done_in_called_functions_is_charged_to_the_budget() {
    // Each call of `f` runs about 110 instructions (the loop body is ADD and FORLOOP)
    // and returns long before a slice ends: 1000 calls must still use up about 11
    // slices of 10 000.
    let (mut lua, host) = budgeted(10_000, 0);
    let r = run(
        &mut lua,
        "local function f() local x = 0 for i = 1, 50 do x = x + i end return x end
         local s = 0 for k = 1, 1000 do s = s + f() end return s",
    );
    assert_eq!(r, Ok(vec!["1275000".into()]));
    let slices = *host.fuel_calls.borrow();
    assert!((10..=13).contains(&slices), "{slices} slices");
}

#[test]
fn the_budget_runs_out_with_count_hooks_set_and_after_they_are_cleared() {
    let (mut lua, _host) = budgeted(20_000, 2);
    let r = run(
        &mut lua,
        "local n = 0 debug.sethook(function() n = n + 1 end, '', 1000)
         for i = 1, 5000 do end debug.sethook()
         while true do end",
    );
    assert_eq!(r, Err("script aborted".into()));
    let r = run(
        &mut lua,
        "debug.sethook(function() end, '', 1) while true do end",
    );
    assert_eq!(r, Err("script aborted".into()));
}

#[test]
fn pcall_cannot_catch_a_budget_abort() {
    let (mut lua, _host) = budgeted(5_000, 2);
    let r = run(
        &mut lua,
        "while true do pcall(function() while true do end end) end",
    );
    assert_eq!(r, Err("script aborted".into()));
}

#[test]
fn exhausted_slices_continue_when_the_host_says_so() {
    let (mut lua, host) = budgeted(1_000, 0);
    assert_eq!(
        run(
            &mut lua,
            "local n = 0 for i = 1, 100000 do n = n + i end return n"
        ),
        Ok(vec!["5000050000".into()])
    );
    assert!(*host.fuel_calls.borrow() >= 100);
}

#[test]
fn deep_lua_recursion_does_not_use_the_native_stack() {
    let r = on_small_stack(256 * 1024, || {
        let (mut lua, _) = state();
        run(&mut lua, "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(150000)")
    });
    assert_eq!(r, Ok(vec!["150000".into()]));
}

#[test]
fn pcall_nesting_is_stackless_and_stops_at_the_c_call_limit() {
    let r = on_small_stack(256 * 1024, || {
        let (mut lua, _) = state();
        run(&mut lua, "local function f(n) if n == 0 then return 'bottom' end local ok, v = pcall(f, n - 1) return v end return f(190)")
    });
    assert_eq!(r, Ok(vec!["bottom".into()]));
    // Past LUAI_MAXCCALLS (200) levels of pcall the innermost one fails, as in PUC,
    // instead of nesting until memory runs out.
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "local depth, msg = 0 \
         local function l(n) depth = depth + 1 if n == 0 then error'x' end \
           local ok, e = pcall(l, n - 1) if not ok then msg = msg or e error(e, 0) end end \
         local ok = pcall(l, 20000) \
         return ok, depth > 190 and depth < 200, msg, collectgarbage('count') < 1024",
    );
    assert_eq!(
        r,
        Ok(vec![
            "false".into(),
            "true".into(),
            "C stack overflow".into(),
            "true".into()
        ])
    );
}

#[test]
fn xpcall_and_natives_calling_lua_count_toward_the_c_call_limit() {
    let (mut lua, _) = state();
    for src in [
        "local function g() return xpcall(g, function(m) return m end) end return g()",
        "local function g(s) return (s:gsub('.', g)) end return pcall(g, 'x')",
        "local function g() return select(2, coroutine.resume(coroutine.create(g))) end return g()",
    ] {
        let r = run(&mut lua, src).unwrap_or_else(|e| vec![e]);
        assert!(
            r.iter().any(|v| v.contains("C stack overflow")),
            "{src}: {r:?}"
        );
    }
    assert_eq!(
        run(&mut lua, "return 'still alive'"),
        Ok(vec!["still alive".into()])
    );
}

#[test]
fn deep_metamethod_chains_are_stackless() {
    let r = on_small_stack(256 * 1024, || {
        let (mut lua, _) = state();
        run(
            &mut lua,
            "local t = {} for i = 1, 5000 do local inner = t t = setmetatable({}, {__index = function(_, k) return inner[k] end}) end \
             local base = t while getmetatable(base) do base = nil break end return t.missing == nil",
        )
    });
    assert_eq!(r, Ok(vec!["true".into()]));
}

#[test]
fn coroutines_resumed_inside_coroutines_are_stackless_and_bounded() {
    let r = on_small_stack(256 * 1024, || {
        let (mut lua, _) = state();
        run(
            &mut lua,
            "local function nest(n) if n == 0 then return 0 end \
               local co = coroutine.create(function() return nest(n - 1) + 1 end) \
               local ok, v = coroutine.resume(co) return v end return nest(190)",
        )
    });
    assert_eq!(r, Ok(vec!["190".into()]));
    // Endless nesting of coroutines stops at the C-call limit, not at the memory limit.
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "local d = 0 local function f() d = d + 1 coroutine.wrap(f)() end \
         local ok, e = pcall(f) return ok, d > 190 and d < 200, e:match('C stack overflow$') ~= nil",
    );
    assert_eq!(r, Ok(vec!["false".into(), "true".into(), "true".into()]));
}

#[test]
fn results_that_do_not_fit_the_resumer_are_a_resume_error() {
    // The resumer holds 50 values, so 999 990 more do not fit under the stack limit.
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "local co = coroutine.create(function() return table.unpack({}, 1, 999990) end) \
         local function resume(...) return coroutine.resume(co) end \
         return pcall(resume, table.unpack({}, 1, 50))",
    );
    assert_eq!(
        r,
        Ok(vec![
            "true".into(),
            "false".into(),
            "too many results to resume".into()
        ])
    );
    // A yield with that many values overflows the coroutine's own stack first (as PUC).
    let r = run(
        &mut lua,
        "local co = coroutine.create(function() coroutine.yield(table.unpack({}, 1, 999990)) return 'after' end) \
         local function resume(...) return coroutine.resume(co) end \
         local ok, e = resume(table.unpack({}, 1, 50)) \
         return ok, e, coroutine.status(co), coroutine.resume(co)",
    );
    assert_eq!(
        r,
        Ok(vec![
            "false".into(),
            "t:1: stack overflow".into(),
            "dead".into(),
            "false".into(),
            "cannot resume dead coroutine".into()
        ])
    );
}

#[test]
fn stack_overflow_of_lua_calls_is_an_error() {
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "local function f() return 1 + f() end local ok, e = pcall(f) return ok, e",
    );
    let r = r.unwrap();
    assert_eq!(r[0], "false");
    assert!(r[1].ends_with("stack overflow"), "{}", r[1]);
}

fn nested(open: &str, mid: &str, close: &str, depth: usize) -> String {
    format!(
        "return {}{}{}",
        open.repeat(depth),
        mid,
        close.repeat(depth)
    )
}

#[test]
fn pathological_nesting_under_a_6k_budget_gives_errors_not_crashes() {
    let cases = [
        ("parentheses", nested("(", "1", ")", 300)),
        ("tables", nested("{", "1", "}", 300)),
        ("functions", nested("function() return ", "1", " end", 300)),
        ("unary", format!("return {}1", "- ".repeat(300))),
        (
            "calls",
            format!("return {}1{}", "f(".repeat(300), ")".repeat(300)),
        ),
        (
            "ifs",
            format!("{} x = 1 {}", "if x then ".repeat(300), "end ".repeat(300)),
        ),
    ];
    for (name, src) in cases {
        let r = on_small_stack(64 * 1024, move || {
            let mut lua = state_with(
                Config {
                    stack_budget: 6 * 1024,
                    ..Config::default()
                },
                TestHost::default(),
            );
            run(&mut lua, &src)
        });
        let e = r.expect_err(name);
        assert!(
            e.contains("C stack overflow") || e.contains("too many"),
            "{name}: {e}"
        );
    }
}

#[test]
fn moderate_nesting_compiles_within_10k() {
    let src = nested("(", "1", ")", 100);
    let r = on_small_stack(64 * 1024, move || {
        let mut lua = state_with(
            Config {
                stack_budget: 10 * 1024,
                ..Config::default()
            },
            TestHost::default(),
        );
        run(&mut lua, &src)
    });
    assert_eq!(r, Ok(vec!["1".into()]));
}

/// A program nesting `construct` `depth` times, with the value it returns when run.
fn nested_program(construct: &str, depth: usize) -> (String, &'static str) {
    let n = depth;
    let wrap = |open: &str, mid: &str, close: &str| {
        format!("{}{}{}", open.repeat(n), mid, close.repeat(n))
    };
    match construct {
        "do" => (
            format!("local r = 0 {} return r", wrap("do ", "r = 1", " end")),
            "1",
        ),
        "while" => (
            format!(
                "local n = 0 {} return n",
                wrap("while n < 1 do ", "n = n + 1", " end")
            ),
            "1",
        ),
        "repeat" => (
            format!(
                "local n = 0 {} return n",
                wrap("repeat ", "n = n + 1", " until true")
            ),
            "1",
        ),
        "if" => (
            format!(
                "local r {} return r",
                wrap("if true then ", "r = 1", " end")
            ),
            "1",
        ),
        "if_else" => (
            format!(
                "local r {} return r",
                wrap("if false then else ", "r = 1", " end")
            ),
            "1",
        ),
        "function_statements" => (
            format!(
                "{} return f()",
                wrap(
                    "local function f() ",
                    "local function f() return 1 end",
                    " return f() end"
                )
            ),
            "1",
        ),
        "function_expressions" => (
            format!(
                "local f = {} for i = 1, {n} do f = f() end return f",
                wrap("function() return ", "1", " end")
            ),
            "1",
        ),
        "tables" => (
            format!(
                "local t = {} for i = 1, {n} do t = t[1] end return t",
                wrap("{", "1", "}")
            ),
            "1",
        ),
        "record_fields" => (
            format!(
                "local t = {} for i = 1, {n} do t = t.a end return t",
                wrap("{a = ", "1", "}")
            ),
            "1",
        ),
        "table_keys" => (
            format!(
                "local t = {} return next(t) ~= nil",
                wrap("{[", "1", "] = 1}")
            ),
            "true",
        ),
        "parentheses" => (format!("return {}", wrap("(", "1", ")")), "1"),
        "calls" => (
            format!(
                "local function f(x) return x end return {}",
                wrap("f(", "1", ")")
            ),
            "1",
        ),
        "table_call_arguments" => (
            format!(
                "local function f(t) return t[1] end return {}",
                wrap("f{", "1", "}")
            ),
            "1",
        ),
        "method_calls" => (
            format!(
                "local o = {{}} function o:m(x) return x end return {}",
                wrap("o:m(", "1", ")")
            ),
            "1",
        ),
        "indexes" => (
            format!("local t = {{[1] = 1}} return {}", wrap("t[", "1", "]")),
            "1",
        ),
        "tables_of_functions" => (
            format!(
                "local t = {} for i = 1, {n} do t = t[1]() end return t",
                wrap("{function() return ", "1", " end}")
            ),
            "1",
        ),
        _ => unreachable!("{construct}"),
    }
}

const CONSTRUCTS: [&str; 16] = [
    "do",
    "while",
    "repeat",
    "if",
    "if_else",
    "function_statements",
    "function_expressions",
    "tables",
    "record_fields",
    "table_keys",
    "parentheses",
    "calls",
    "table_call_arguments",
    "method_calls",
    "indexes",
    "tables_of_functions",
];

/// Nesting of `construct` within what Lua's limits allow (see compile_depth.rs): 200
/// levels (`LUAI_MAXCCALLS`), of which a function expression takes two (its `return`
/// statement and the expression) and a table of functions three; a pending call with a
/// table argument holds two of the 255 registers.
fn deepest_allowed(construct: &str) -> usize {
    match construct {
        "function_expressions" => 98,
        "tables_of_functions" => 65,
        "table_call_arguments" | "method_calls" => 126,
        _ => 196,
    }
}

/// The error past that depth.
fn past_the_limit(construct: &str) -> &'static str {
    match construct {
        "table_call_arguments" => "function or expression needs too many registers near '{'",
        "method_calls" => "function or expression needs too many registers near '('",
        _ => "C stack overflow",
    }
}

fn run_within_10k(src: String) -> Result<Vec<String>, String> {
    on_small_stack(64 * 1024, move || {
        let mut lua = state_with(
            Config {
                stack_budget: 10 * 1024,
                ..Config::default()
            },
            TestHost::default(),
        );
        run(&mut lua, &src)
    })
}

#[test]
fn every_construct_nests_to_the_level_limit_within_10k_and_runs() {
    // Nested functions included: loading walks the prototype tree without recursing.
    for construct in CONSTRUCTS {
        for depth in [
            100.min(deepest_allowed(construct)),
            deepest_allowed(construct),
        ] {
            let (src, expected) = nested_program(construct, depth);
            assert_eq!(
                run_within_10k(src),
                Ok(vec![expected.to_string()]),
                "{construct} nested {depth} deep"
            );
        }
    }
}

#[test]
fn nesting_past_the_level_limit_within_10k_is_a_clean_error() {
    for construct in CONSTRUCTS {
        for depth in [deepest_allowed(construct) + 5, 1000] {
            let (src, _) = nested_program(construct, depth);
            let err = run_within_10k(src).expect_err(construct);
            assert!(
                err.starts_with("t:1: ") && err.ends_with(past_the_limit(construct)),
                "{construct} nested {depth} deep: {err}"
            );
        }
    }
}

#[test]
fn a_budget_abort_inside_a_coroutine_is_not_caught_by_resume() {
    let (mut lua, _host) = budgeted(5_000, 1);
    let r = run(
        &mut lua,
        "local ok = coroutine.resume(coroutine.create(function() while true do end end)) \
         return 'caught', ok",
    );
    assert_eq!(r, Err("script aborted".into()));
}

#[test]
fn nested_functions_round_trip_through_a_binary_chunk_within_10k() {
    // Reading a chunk keeps the open prototypes on the heap, as compiling does.
    for construct in ["function_expressions", "tables_of_functions"] {
        let depth = deepest_allowed(construct);
        let (src, expected) = nested_program(construct, depth);
        let chunk = format!(
            "local f = assert(load({src:?})) \
             local g = assert(load(string.dump(f), 'dumped', 'b')) \
             return g()"
        );
        let r = on_small_stack(64 * 1024, move || {
            let mut lua = state_with(
                Config {
                    stack_budget: 10 * 1024,
                    allow_binary: true,
                    ..Config::default()
                },
                TestHost::default(),
            );
            run(&mut lua, &chunk)
        });
        assert_eq!(
            r,
            Ok(vec![expected.to_string()]),
            "{construct} nested {depth} deep"
        );
    }
}

#[test]
fn library_loops_over_script_counts_are_charged_to_the_budget() {
    // Each would run for centuries uncharged; the budget (1000 per slice, abort at the
    // third exhausted slice) must stop each one like a Lua loop.
    for src in [
        "table.move({}, 1, math.maxinteger, 1)",
        "table.move({}, 1, math.maxinteger - 1, 2)",
        "local t = setmetatable({}, {__len = function() return math.maxinteger - 1 end}) table.insert(t, 1, 'x')",
        "local t = setmetatable({}, {__len = function() return math.maxinteger end}) table.remove(t, 1)",
        "local t = setmetatable({}, {__index = function() return '' end}) table.concat(t, '', 1, math.maxinteger)",
        "local t = setmetatable({}, {__len = function() return 1e6 end, __index = function() return 1 end}) table.sort(t)",
    ] {
        let (mut lua, host) = budgeted(1000, 3);
        let r = run(&mut lua, src);
        assert_eq!(r, Err("script aborted".into()), "{src}");
        assert_eq!(*host.fuel_calls.borrow(), 3, "{src}");
    }
}

#[test]
fn a_chain_of_requires_costs_no_native_stack_per_module() {
    // Module i requires module i + 1 from its body, as libraries built on libraries do
    // (netlink → netlink.rt → netlink.session → socket ...).
    let src = "for i = 1, 60 do
            package.preload['m' .. i] = function()
                return i < 60 and require('m' .. (i + 1)) + 1 or 1
            end
        end
        return require('m1'), package.loaded.m30";
    let r = on_small_stack(64 * 1024, move || {
        let mut lua = state_with(
            Config {
                stack_budget: 8 * 1024,
                ..Config::default()
            },
            TestHost::default(),
        );
        run(&mut lua, src)
    });
    assert_eq!(r, Ok(vec!["60".into(), "31".into()]));
}
