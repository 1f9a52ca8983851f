//! Replays every reproducer in `fuzz/regressions/` through the fuzz harness (the same
//! code the fuzz targets run, included from `fuzz/src/harness.rs`): compile only, then
//! load and run in a limited state, without and with GC stress. A reproducer is Lua
//! source (for the `gen` target, the program `print-gen` printed), or a binary chunk
//! (`.luac`, for the `undump` target). The test fails on a
//! panic, which is what the fuzzer reported as a crash.

#[path = "../../../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::Path;

#[test]
fn every_fuzz_reproducer_runs_without_crashing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua" || e == "luac"))
        .collect();
    files.sort();
    for path in &files {
        let src = std::fs::read(path).unwrap();
        eprintln!("{}", path.display());
        if path.extension().is_some_and(|e| e == "luac") {
            // A binary chunk, from the `undump` target.
            harness::execute_binary(&src, harness::Opts { gc_stress: false });
            harness::execute_binary(&src, harness::Opts { gc_stress: true });
            continue;
        }
        harness::compile_only(&src);
        harness::execute(&src, harness::Opts { gc_stress: false });
        harness::execute(&src, harness::Opts { gc_stress: true });
    }
    eprintln!("{} reproducers replayed", files.len());
}
