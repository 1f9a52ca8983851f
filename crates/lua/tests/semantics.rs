//! Language behaviour that the official test suite found wrong, each pinned by a small
//! program whose answer PUC Lua 5.5 gives.

mod common;

use common::{run, state};

fn check(src: &str, want: &[&str]) {
    let (mut lua, _) = state();
    let got = run(&mut lua, src);
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, Ok(want), "{src}");
}

#[test]
fn a_metamethod_assigned_after_its_absence_was_cached_is_seen() {
    // `#a` caches "no __len" in the metatable; filling the emptied `__len` slot by a
    // plain store must forget that, as `rawset` does.
    check(
        "local a = setmetatable({}, {}) local mt = getmetatable(a) \
         mt.__len = nil local _ = #a mt.__len = function() return 2 end return #a",
        &["2"],
    );
    check(
        "local mt = {__index = false} local a = setmetatable({}, mt) \
         mt.__index = nil local _ = a.x mt.__index = function() return 'late' end return a.x",
        &["late"],
    );
}

#[test]
fn a_comparison_used_as_a_key_of_an_upvalue_table_indexes_that_table() {
    // The table's load must not fall between the comparison's jump and its target.
    check(
        "local t, a, b = {[true] = 'yes', [false] = 'no'}, 1, 2 \
         local function f() return t[a < b], t[a > b], t[a == b] end return f()",
        &["yes", "no", "no"],
    );
    check(
        "local t, a, b = {}, 1, 2 local function f() t[a < b] = 'set' end f() return t[true]",
        &["set"],
    );
}

#[test]
fn the_closing_value_of_a_generic_for_is_closed_when_a_break_leaves_the_loop() {
    // A closure in the body makes the break close upvalues; it must close from the
    // loop's own level, which holds the closing value.
    let prelude = "local log = {} \
        local function closing() return setmetatable({}, {__close = function() log[#log + 1] = 'closed' end}) end \
        local function iter() return function(_, i) if i < 3 then return i + 1 end end, nil, 0, closing() end ";
    for body in [
        "local h = function() return i end if i == 2 then break end",
        "local x = i local h = function() return x end break",
        "do local y = i local h = function() return y end if y == 1 then break end end",
    ] {
        check(
            &format!(
                "{prelude} for i in iter() do {body} end log[#log + 1] = 'after' return table.concat(log, ',')"
            ),
            &["closed,after"],
        );
    }
}

#[test]
fn message_handlers_handle_their_own_errors_and_stack_overflows() {
    // An error in the handler is handled by the handler again (one level deeper).
    check(
        "return xpcall(error, function(m) if m == 'x' then error('again', 0) end return 'H:' .. m end, 'x')",
        &["false", "H:again"],
    );
    // A handler that always fails ends in an error in error handling.
    check(
        "return xpcall(error, function(m) error('again') end, 'x')",
        &["false", "error in error handling"],
    );
    check(
        "local function loop() assert(pcall(loop)) end return xpcall(loop, loop)",
        &["false", "error in error handling"],
    );
    // A stack overflow lends the handler room to run (a traceback, say).
    check(
        "local function f() return f() + 1 end \
         local ok, m = xpcall(f, function(m) return 'handled: ' .. m end) return ok, m",
        &["false", "handled: t:1: stack overflow"],
    );
    // ... and the room is given back: the next overflow is an ordinary one again.
    check(
        "local function f() return f() + 1 end local h = function(m) return m end \
         xpcall(f, h) return xpcall(f, h)",
        &["false", "t:1: stack overflow"],
    );
}

#[test]
fn a_nil_error_object_becomes_no_error_object() {
    check("return pcall(error)", &["false", "<no error object>"]);
    check(
        "return pcall(assert, nil, nil)",
        &["false", "<no error object>"],
    );
    check(
        "return xpcall(error, function(m) return m end)",
        &["false", "<no error object>"],
    );
    check(
        "return coroutine.resume(coroutine.create(function() error(nil) end))",
        &["false", "<no error object>"],
    );
}

#[test]
fn folded_and_computed_powers_agree() {
    // `(100) ^ -10` is folded by the compiler; `x ^ y` is computed at run time. Both
    // must give the correctly rounded 1e-20.
    check(
        "local f = function(x, y) return x ^ y end \
         return f(100, -10) == (100) ^ -10, f(5.0, -5.0) == (5.0) ^ -5.0, f(-10, -5) == (-10) ^ -5, (100) ^ -10",
        &["true", "true", "true", "1e-20"],
    );
}

#[test]
fn global_is_a_name_unless_it_opens_a_declaration() {
    check("global = 1 return global", &["1"]);
    check(
        "local t = {global = 2} t.global = t.global + 1 return t.global",
        &["3"],
    );
    check(
        "local function global(x) return x end return global(4)",
        &["4"],
    );
    check("global x = 5 return x", &["5"]);
    check("global function gf() return 6 end return gf()", &["6"]);
}

#[test]
fn declarations_without_registers_do_not_count_toward_the_local_limit() {
    let mut src = String::new();
    for i in 1..=1000 {
        src.push_str(&format!("global x{i}; local k{i} <const> = {i};"));
    }
    src.push_str("return k990 + 1");
    check(&src, &["991"]);
}

#[test]
fn a_numeric_for_accepts_numeric_strings() {
    check(
        "local n, last = 0 for i = '10', '1', '-2' do n = n + 1 last = i end return n, last",
        &["5", "2.0"],
    );
    check(
        "local n = 0 for i = 1, '3' do n = n + i end return n",
        &["6"],
    );
    check(
        "return pcall(load('for i = 1, \\'x\\' do end', '=t'))",
        &[
            "false",
            "t:1: bad 'for' limit (number expected, got string)",
        ],
    );
}

#[test]
fn call_errors_name_the_metamethod_and_the_global_past_the_constant_limit() {
    check(
        "local a = setmetatable({}, {__add = 34}) return pcall(function() return a + 1 end)",
        &[
            "false",
            "t:1: attempt to call a number value (metamethod 'add')",
        ],
    );
    check(
        "local a = setmetatable({}, {__lt = {}}) return pcall(function() return a < a end)",
        &[
            "false",
            "t:1: attempt to call a table value (metamethod 'lt')",
        ],
    );
    // With more than 255 constants, `_ENV` and keys come through registers.
    let mut s = String::new();
    for i in 1..=300 {
        s.push_str(&format!("aaa = x{i}; "));
    }
    check(
        &format!("return pcall(load('{s} aaa = bbb + 1', '=t'))"),
        &[
            "false",
            "t:1: attempt to perform arithmetic on a nil value (global 'bbb')",
        ],
    );
}

#[test]
fn runtime_errors_in_stripped_code_say_where_is_unknown() {
    let mut lua = common::state_with(
        lua::Config {
            allow_binary: true,
            ..lua::Config::default()
        },
        common::TestHost::default(),
    );
    let r = run(
        &mut lua,
        "local f = load(string.dump(function(a) return a + 1 end, true)) return pcall(f, {})",
    );
    assert_eq!(
        r,
        Ok(vec![
            "false".into(),
            "?:?: attempt to perform arithmetic on a table value".into()
        ])
    );
}

#[test]
fn errors_are_reported_on_the_right_line() {
    // A call happens on the line of its opening parenthesis.
    check(
        "return pcall(load('local a = {x = 13}\\na\\n.\\nx\\n(\\n23\\n)', '=t'))",
        &["false", "t:5: attempt to call a number value (field 'x')"],
    );
    // A semantic error is on the line of the last token read, not of the lookahead.
    check(
        "return load('::L1::\\n::L1::\\n', '=t')",
        &["nil", "t:2: label 'L1' already defined on line 2"],
    );
}

#[test]
fn handler_errors_nest_until_the_c_call_limit() {
    let err = "local function err(n) if type(n) ~= 'number' then return n \
               elseif n == 0 then return 'END' else error(n - 1) end end ";
    check(
        &format!("{err} return xpcall(error, err, 170)"),
        &["false", "END"],
    );
    check(
        &format!("{err} return xpcall(error, err, 300)"),
        &["false", "C stack overflow"],
    );
    // A pcall inside the handler of a stack overflow has no room left.
    check(
        "local function loop() return 1 + loop() end \
         return xpcall(loop, function(m) local ok, e = pcall(loop) return e end)",
        &["false", "error in error handling"],
    );
}

#[test]
fn a_coroutine_may_close_itself() {
    check(
        "local log = {} \
         local co = coroutine.create(function() \
           local x <close> = setmetatable({}, {__close = function(_, e) log[#log + 1] = tostring(e) end}) \
           coroutine.yield(1) coroutine.close() log[#log + 1] = 'not reached' end) \
         coroutine.resume(co) local ok, n = coroutine.resume(co) \
         return ok, n, coroutine.status(co), table.concat(log, ',')",
        &["true", "nil", "dead", "nil"],
    );
    // ... even inside native calls and pcalls, which it unwinds.
    check(
        "local co = coroutine.create(function() \
           string.gsub('a', 'a', function() assert(pcall(pcall, function() coroutine.close() end)) end) \
           return 'not reached' end) \
         return coroutine.resume(co)",
        &["true"],
    );
    // A failing __close is the coroutine's error.
    check(
        "local co = coroutine.create(function() \
           local y <close> = setmetatable({}, {__close = function() error('in close', 0) end}) \
           coroutine.close() end) \
         return coroutine.resume(co)",
        &["false", "in close"],
    );
    check(
        "return pcall(coroutine.close, coroutine.running())",
        &["false", "cannot close main thread"],
    );
    check(
        "local main = coroutine.running() return coroutine.wrap(function() return pcall(coroutine.close, main) end)()",
        &["false", "cannot close a normal coroutine"],
    );
}

#[test]
fn a_yield_returns_to_the_resumer_even_when_both_run_the_same_function() {
    // Coroutines of one closure: after the inner one yields, the outer one goes on
    // after its resume, not after its own earlier yield.
    check(
        "local log = {} local n = 0 \
         local function body() n = n + 1 local me = n coroutine.yield() \
           log[#log + 1] = 'resumed ' .. me if me == 1 then coroutine.wrap(body)() log[#log + 1] = 'back in 1' end end \
         local f = coroutine.wrap(body) f() f() return table.concat(log, ',')",
        &["resumed 1,back in 1"],
    );
}

#[test]
fn frexp_and_ldexp_split_and_join_floats() {
    check("return math.frexp(8)", &["0.5", "4"]);
    check("return math.frexp(-3.5)", &["-0.875", "2"]);
    check("return math.frexp(0.0)", &["0.0", "0"]);
    check(
        "return math.ldexp(0.5, 4), math.ldexp(1, 1e10), math.ldexp(1, -1e10)",
        &["8.0", "inf", "0.0"],
    );
}

#[test]
fn pack_formats_describe_sizes_up_to_the_integer_limit() {
    check(
        "return string.packsize(string.format('c%d', math.maxinteger - 9))",
        &["9223372036854775798"],
    );
    check(
        "return pcall(string.packsize, string.format('c%dc10', math.maxinteger - 9))",
        &[
            "false",
            "bad argument #1 to 'string.packsize' (format result too large)",
        ],
    );
    check(
        "return pcall(string.pack, string.format('xxxxxxxxxx c%d', math.maxinteger - 9))",
        &[
            "false",
            "bad argument #1 to 'string.pack' (result too long)",
        ],
    );
}

#[test]
fn load_refuses_the_fixed_buffer_mode() {
    check(
        "return pcall(load, '', '', 'B')",
        &["false", "bad argument #3 to 'load' (invalid mode)"],
    );
}

#[test]
fn a_vararg_table_n_beyond_int_max_half_is_not_proper() {
    // `getnumargs` refuses an `n` above `INT_MAX / 2` before it reserves stack.
    check(
        "local function aux (n, ...t) t.n = n; return ... end\nreturn select(2, pcall(aux, math.maxinteger)), select(2, pcall(aux, 1.0)), select(\"#\", aux(3))",
        &[
            "t:1: vararg table has no proper 'n'",
            "t:1: vararg table has no proper 'n'",
            "3",
        ],
    );
}

#[test]
fn close_handlers_get_an_error_argument_only_when_there_is_an_error() {
    check(
        "local function f(how)
           local n
           do
             local a <close> = setmetatable({}, {__close = function(...) n = select('#', ...) end})
             if how == 'ret' then return n end
             if how == 'err' then error('e') end
           end
           return n
         end
         local ok = pcall(f, 'err')
         local n; do
           local b <close> = setmetatable({}, {__close = function(...) n = select('#', ...) end})
         end
         return f('scope'), n",
        &["1", "1"],
    );
    check(
        "local function g()
           local x <close> = setmetatable({}, {__close = print})
           getmetatable(x).__close = nil
         end
         local ok, e = pcall(g)
         return ok, e",
        &[
            "false",
            "t:4: attempt to call a nil value (metamethod 'close')",
        ],
    );
}
