//! Bytes are a binary chunk: the reader (`undump.rs`), the bytecode verifier
//! (`verify.rs`) and the VM running whatever the verifier accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lua_fuzz::harness;

fuzz_target!(|data: &[u8]| {
    harness::execute_binary(
        data,
        harness::Opts {
            gc_stress: harness::stress_for(data, 8),
        },
    );
});
