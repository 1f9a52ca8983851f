//! Bytes are Lua source: lexer, parser, compiler, loader, VM and all libraries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lua_fuzz::harness;

fuzz_target!(|data: &[u8]| {
    harness::one_input(data, harness::stress_for(data, 8));
});
