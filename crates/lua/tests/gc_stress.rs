//! GC stress mode (`Lua::set_gc_stress`): a collector step at every safe point and a full
//! collection every 64 steps, so that a value the engine forgot to root, or a store
//! without its barrier, is collected while still in use. Runs representative snippets
//! (their results must match the expected ones, and a run without stress), and the
//! conformance scripts (same outcome with and without stress).

mod common;

use common::{run, state_with, TestHost};
use lua::Config;

fn stressed() -> Box<lua::Lua> {
    let mut lua = state_with(Config::default(), TestHost::default());
    lua.set_gc_stress(true);
    lua
}

/// Runs `src` with and without stress; both must give `expected`.
fn check(src: &str, expected: &[&str]) {
    let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    let mut plain = state_with(Config::default(), TestHost::default());
    assert_eq!(
        run(&mut plain, src),
        Ok(expected.clone()),
        "without stress: {src}"
    );
    let mut lua = stressed();
    assert_eq!(run(&mut lua, src), Ok(expected), "under GC stress: {src}");
    // The state survives a full collection and still works.
    lua.collect_garbage().unwrap();
    assert_eq!(run(&mut lua, "return 1 + 1"), Ok(vec!["2".into()]));
}

#[test]
fn tables_grow_rehash_and_survive_steps() {
    check(
        "local t = {} for i = 1, 2000 do t[i] = {i, tostring(i)} t['k' .. i] = t[i] end \
         for i = 1, 2000, 3 do t[i] = nil t['k' .. i] = nil end \
         local n, s = 0, 0 for k, v in pairs(t) do n = n + 1 if type(k) == 'number' then s = s + v[1] end end \
         return n, s, t[2][2], t.k2000[1]",
        &["2666", "1334000", "2", "2000"],
    );
}

#[test]
fn closures_and_upvalues_survive_collections() {
    check(
        "local fs = {} for i = 1, 300 do local box = {i} fs[i] = function(d) box[1] = box[1] + d return box[1] end end \
         local function mk() local c = 0 return function() c = c + 1 local t = {c} return t[1] end end \
         local g = mk() for i = 1, 500 do g() end \
         local s = 0 for i = 1, 300 do s = s + fs[i](1) end return s, g()",
        &["45450", "501"],
    );
}

#[test]
fn coroutines_keep_their_stacks_alive() {
    check(
        "local cos = {} for i = 1, 100 do cos[i] = coroutine.wrap(function(a) local acc = {a} \
           for j = 1, 5 do acc[#acc + 1] = {j} a = coroutine.yield(#acc) end return #acc + a end) end \
         local s = 0 for r = 1, 6 do for i = 1, 100 do s = s + cos[i](i) end end \
         local gen = coroutine.wrap(function() for i = 1, 200 do coroutine.yield(tostring(i) .. '!') end end) \
         local last for i = 1, 200 do last = gen() end return s, last",
        &["7650", "200!"],
    );
}

#[test]
fn strings_concat_and_library_results_are_rooted() {
    check(
        "local parts = {} for i = 1, 500 do parts[#parts + 1] = ('x'):rep(i % 7) .. i .. string.format('%03d', i) end \
         local s = table.concat(parts, ',') local n = 0 for w in s:gmatch('[^,]+') do n = n + #w end \
         local g = s:gsub('x+', function(m) return #m end) \
         local u = {} for i = 1, 200 do u[i] = string.upper('abc' .. i):lower():reverse() end \
         return n, #g, u[200], select('#', string.byte(s, 1, 100))",
        &["4389", "3820", "002cba", "100"],
    );
}

#[test]
fn weak_tables_are_cleared_and_keep_what_is_referenced() {
    check(
        "local wk = setmetatable({}, {__mode = 'k'}) local wv = setmetatable({}, {__mode = 'v'}) \
         local keep = {} for i = 1, 200 do local k = {} wk[k] = {i} wv[i] = {i} if i % 10 == 0 then keep[#keep + 1] = k wv[i] = keep end end \
         local e = setmetatable({}, {__mode = 'k'}) do local k = {} e[k] = {k} end \
         collectgarbage() collectgarbage() \
         local nk, nv, ne = 0, 0, 0 for _ in pairs(wk) do nk = nk + 1 end for _ in pairs(wv) do nv = nv + 1 end for _ in pairs(e) do ne = ne + 1 end \
         return nk, nv, ne, wk[keep[1]][1]",
        &["20", "20", "0", "10"],
    );
}

#[test]
fn finalizers_run_once_and_may_resurrect() {
    check(
        "local count, saved = 0, nil \
         for i = 1, 100 do setmetatable({i}, {__gc = function(o) count = count + 1 if o[1] == 50 then saved = o end end}) end \
         collectgarbage() collectgarbage() \
         local first = count saved = nil collectgarbage() collectgarbage() \
         return first, count, type(saved)",
        &["100", "100", "nil"],
    );
}

#[test]
fn metatables_and_metamethods_under_stress() {
    check(
        "local V = {} V.__index = V V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end \
         V.__tostring = function(v) return 'V(' .. v.x .. ')' end V.__eq = function(a, b) return a.x == b.x end \
         V.__index = function(t, k) return rawget(V, k) or ('miss' .. k) end \
         function V.new(x) return setmetatable({x = x}, V) end \
         local acc = V.new(0) for i = 1, 300 do acc = acc + V.new(i) end \
         local proxy = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, {v}) end}) for i = 1, 100 do proxy[i] = i end \
         return tostring(acc), acc == V.new(45150), acc.zz, proxy[100][1]",
        &["V(45150)", "true", "misszz", "100"],
    );
}

#[test]
fn errors_tbc_and_sort_under_stress() {
    check(
        "local log = {} local function closer(n) return setmetatable({}, {__close = function(_, e) log[#log + 1] = n .. tostring(e ~= nil) end}) end \
         for i = 1, 50 do pcall(function() local c <close> = closer(i) if i % 2 == 0 then error({i}) end end) end \
         local ok, e = pcall(error, setmetatable({}, {__tostring = function() return 'E' end})) \
         local t = {} for i = 1, 300 do t[i] = {k = (i * 7919) % 301, s = tostring(i)} end \
         table.sort(t, function(a, b) return a.k < b.k end) \
         local f = load('local a = {...} return #a, ...') \
         return #log, log[50], tostring(e), t[1].k, t[300].k, f(1, 2, 3)",
        &["50", "50true", "E", "1", "300", "3", "1", "2", "3"],
    );
}

#[test]
fn stress_mode_collects_during_the_run() {
    // 200 safe points (table constructors) include full collections under stress; without
    // stress, these few bytes stay far below the first step's allowance.
    let src = "local w = setmetatable({}, {__mode = 'v'}) w[1] = {} \
               local t = {} for i = 1, 200 do t[i] = {} end return w[1] == nil";
    let mut lua = stressed();
    assert_eq!(run(&mut lua, src), Ok(vec!["true".into()]));
    let mut plain = state_with(Config::default(), TestHost::default());
    assert_eq!(run(&mut plain, src), Ok(vec!["false".into()]));
}

#[test]
fn collector_stopped_by_the_script_stays_stopped() {
    let mut lua = stressed();
    let r = run(&mut lua, "collectgarbage('stop') local t = {} for i = 1, 1000 do t[i] = {} end return collectgarbage('isrunning')");
    assert_eq!(r, Ok(vec!["false".into()]));
    assert_eq!(
        run(
            &mut lua,
            "collectgarbage('restart') return collectgarbage('isrunning')"
        ),
        Ok(vec!["true".into()])
    );
}

/// Every assertion script of the conformance suite (no golden output, no expected
/// error): its outcome under stress must be the outcome without.
#[test]
fn conformance_scripts_have_the_same_outcome_under_stress() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    names.sort();
    let mut ran = 0;
    for path in names {
        let src = std::fs::read_to_string(&path).unwrap();
        let header: Vec<&str> = src
            .lines()
            .take_while(|l| l.trim_start().starts_with("--") || l.trim().is_empty())
            .collect();
        if header.iter().any(|l| {
            l.contains("expect:") || l.contains("expect-error") || l.contains("expect-status")
        }) {
            continue;
        }
        let mut plain = state_with(Config::default(), TestHost::default());
        let want = run(&mut plain, &src);
        let mut lua = stressed();
        let got = run(&mut lua, &src);
        assert_eq!(got, want, "{}", path.display());
        eprintln!(
            "{}: {}",
            path.display(),
            if got.is_ok() {
                "ok"
            } else {
                "error (also without stress)"
            }
        );
        ran += 1;
    }
    assert!(ran >= 20, "only {ran} scripts ran");
}

#[test]
fn open_upvalues_of_collected_coroutines_keep_their_latest_value() {
    // A closure keeps a local of a suspended coroutine that becomes garbage. The local
    // is assigned a fresh table after the upvalue may already have been traversed; the
    // collector must still mark that table before closing the upvalue and freeing the
    // coroutine (lgc.c's `remarkupvals`), or the closure ends up with a freed object.
    check(
        "local keep = {} \
         for i = 1, 300 do \
           local co = coroutine.wrap(function() \
             local x = {} \
             keep[i] = function() return x end \
             coroutine.yield() \
             for _ = 1, i % 7 do local junk = {} end \
             x = {i, tostring(i)} \
             coroutine.yield() \
           end) \
           co() co() \
         end \
         collectgarbage() collectgarbage() \
         local s = 0 for i = 1, 300 do local t = keep[i]() s = s + t[1] + #t[2] end \
         return s",
        &["45942"],
    );
}

#[test]
fn closing_an_upvalue_keeps_the_value_its_slot_got_after_the_upvalue_was_marked() {
    // The upvalue may be traversed while `x` still holds the first table; when the
    // function returns, the upvalue closes over the second one, which nothing else
    // references: closing needs a barrier (as `luaF_closeupval` has).
    check(
        "local keep = {} \
         for i = 1, 300 do \
           (function() \
             local x = {} \
             keep[i] = function() return x end \
             for _ = 1, i % 7 do local junk = {} end \
             x = {i, tostring(i)} \
           end)() \
         end \
         collectgarbage() collectgarbage() \
         local s = 0 for i = 1, 300 do local t = keep[i]() s = s + t[1] + #t[2] end \
         return s",
        &["45942"],
    );
}
