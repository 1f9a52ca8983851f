//! The kernel's pure-Lua libraries (`lua/`, installed as `/lib/modules/lua/`) run on the
//! host: each `tests/lua/<library>.lua` requires its library from `lua/` (the kernel modules
//! it needs are stand-ins in `tests/lua/fakes.lua` or the test itself) and prints
//! `N passed, M failed`.

mod common;

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `tests/lua/<name>.lua`; it must exit 0 after passing at least one case.
fn library_test(name: &str) {
    let command = format!(
        "LUA_PATH='lua/?.lua;lua/?/init.lua;tests/lua/?.lua' \"$LUA\" tests/lua/{name}.lua"
    );
    let o = common::sh(&command, b"", &repo());
    let passed = o
        .stdout
        .lines()
        .last()
        .and_then(|l| l.strip_suffix(" passed, 0 failed"))
        .and_then(|n| n.parse::<u32>().ok());
    assert!(
        o.status == Some(0) && !o.timed_out && passed.is_some_and(|n| n > 0),
        "{name}: status {:?}\nstdout: {}\nstderr: {}",
        o.status,
        o.stdout,
        o.stderr
    );
}

#[test]
fn class() {
    library_test("class");
}

#[test]
fn util() {
    library_test("util");
}

#[test]
fn net() {
    library_test("net");
}

#[test]
fn struct_codec() {
    library_test("struct");
}

#[test]
fn mailbox() {
    library_test("mailbox");
}

#[test]
fn runner() {
    library_test("runner");
}
