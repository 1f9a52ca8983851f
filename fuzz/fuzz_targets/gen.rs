//! Structure-aware: bytes drive a generator of valid Lua programs (metatables,
//! coroutines, pcall/error, string patterns and format, odd sort comparators, goto,
//! varargs, integer and float edge values), which then run like the `run` target's input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lua_fuzz::{gen, harness};

fuzz_target!(|data: &[u8]| {
    let src = gen::program(data);
    harness::one_input(src.as_bytes(), harness::stress_for(data, 8));
});
