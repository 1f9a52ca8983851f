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
