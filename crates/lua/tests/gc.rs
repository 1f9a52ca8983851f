//! The collector: memory comes back, weak tables clear, finalizers run.

mod common;

use common::{run, state};

#[test]
fn unreachable_tables_are_freed_by_a_full_collection() {
    let (mut lua, _) = state();
    run(&mut lua, "collectgarbage()").unwrap();
    let objects = lua.object_count();
    let bytes = lua.memory_used();
    run(
        &mut lua,
        "local x = {} for i = 1, 20000 do x[i] = {} end x = nil",
    )
    .unwrap();
    assert!(lua.object_count() > objects + 10000);
    lua.collect_garbage().unwrap();
    assert!(
        lua.object_count() < objects + 100,
        "objects {} -> {}",
        objects,
        lua.object_count()
    );
    assert!(
        lua.memory_used() < bytes + 64 * 1024,
        "bytes {} -> {}",
        bytes,
        lua.memory_used()
    );
}

#[test]
fn collectgarbage_count_drops_after_a_collection_from_lua() {
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "collectgarbage() local before = collectgarbage('count') \
         do local t = {} for i = 1, 20000 do t[i] = {i} end end \
         collectgarbage() return collectgarbage('count') - before",
    )
    .unwrap();
    let grown: f64 = r[0].parse().unwrap();
    assert!(grown < 64.0, "grew by {grown} KB");
}

#[test]
fn the_incremental_collector_keeps_up_with_big_tables() {
    // Each round builds a table with a 32 Ki-node hash part (one big allocation) and
    // drops it. Steps must do work in proportion to the bytes allocated, big blocks
    // included, or dead rounds pile up far past the pause (200%: twice the live heap).
    let (mut lua, _) = state();
    let r = run(
        &mut lua,
        "local keys = {} for i = 1, 20000 do keys[i] = 'k' .. i end \
         local function round() local t = {} for i = 1, 20000 do t[keys[i]] = i end return t end \
         local keep = round() collectgarbage() \
         local live = collectgarbage('count') local peak = live \
         for r = 1, 30 do round() peak = math.max(peak, collectgarbage('count')) end \
         return peak / live",
    )
    .unwrap();
    let ratio: f64 = r[0].parse().unwrap();
    assert!(ratio < 3.5, "peak heap {ratio:.2} times the live heap");
}

/// Garbage made only by library functions must be collected as it is made: each loop
/// allocates about 20 MB in all, and the heap must stay near its live size.
#[test]
fn library_allocations_pay_their_collection_debt() {
    for body in [
        "local s = string.format('%d-%s', i, ('x'):rep(32))",
        "local s = tostring(i) .. ''",
        "local s = string.rep('y', 40, tostring(i))",
        "local co = coroutine.create(print)",
        "local ok, e = pcall(error, 'failure number ' .. i, 1)",
        "local ok, e = pcall(function() error('failure') end)",
        "local t = table.pack(i, i, i, i, i, i, i, i)",
    ] {
        let (mut lua, _) = state();
        let src = format!(
            "collectgarbage() for i = 1, 200000 do {body} end return collectgarbage('count')"
        );
        let r = run(&mut lua, &src).unwrap();
        let kb: f64 = r[0].parse().unwrap();
        assert!(kb < 2048.0, "{body}: heap at {kb} KB");
    }
}
