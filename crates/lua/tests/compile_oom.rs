//! Allocation failure at every point of a compilation is reported as `Memory`, never a
//! crash, a panic or a wrong error. The global allocator of this test binary fails the
//! `n`th allocation of the compiling thread, for every `n` until the chunk compiles.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use lua::stack::StackGuard;
use lua::CompileError;

struct FailingAllocator;

thread_local! {
    /// Allocations the current thread may still make.
    static LEFT: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn may_allocate() -> bool {
    LEFT.try_with(|left| {
        let n = left.get();
        if n == 0 {
            return false;
        }
        left.set(n - 1);
        true
    })
    .unwrap_or(true)
}

// SAFETY: every call is forwarded to `System` or fails with null, which `GlobalAlloc`
// allows.
unsafe impl GlobalAlloc for FailingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !may_allocate() {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !may_allocate() {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: FailingAllocator = FailingAllocator;

fn compile_with(allocations: usize, source: &str) -> Result<(), CompileError> {
    let guard = StackGuard::with_budget(1 << 20);
    LEFT.with(|left| left.set(allocations));
    let r = lua::compile(source.as_bytes(), b"=oom", &guard).map(drop);
    LEFT.with(|left| left.set(usize::MAX));
    r
}

fn fails_only_with_memory_errors(source: &str) {
    for n in 0.. {
        match compile_with(n, source) {
            Ok(()) => return,
            Err(CompileError::Memory) => {}
            Err(CompileError::Syntax(m)) => {
                panic!("allocation {n} failed: {}", String::from_utf8_lossy(&m))
            }
        }
    }
}

#[test]
fn every_failed_allocation_of_a_nested_chunk_is_a_memory_error() {
    let nest = |open: &str, mid: &str, close: &str| {
        format!("{}{}{}", open.repeat(12), mid, close.repeat(12))
    };
    let source = [
        "local a, b <const>, c = 1, 2, ... do global g = 1 end".to_string(),
        nest("do ", "x = 1", " end"),
        nest("while x do ", "break", " end"),
        nest("repeat ", "local y", " until y"),
        nest("if x then ", "x = 2", " elseif y then else end"),
        nest("for i = 1, 2 do ", "goto c ::c::", " end"),
        nest("for k, v in pairs(t) do ", "t[k] = v", " end"),
        nest("local function f(a, ...) ", "return ...", " end"),
        nest("function t.a:b() ", "return self", " end"),
        format!(
            "return {}",
            nest("{f(function() return t[(", "1", ")] end), a = 1, [2] = 3}")
        ),
    ]
    .join("\n");
    fails_only_with_memory_errors(&source);
}

#[test]
fn every_failed_allocation_while_reporting_a_syntax_error_is_a_memory_error_or_that_error() {
    let source = "do local function f() return {function() x = ( end} end end";
    let expected = "oom:1: unexpected symbol near 'end'";
    for n in 0.. {
        match compile_with(n, source) {
            Err(CompileError::Memory) => {}
            Err(CompileError::Syntax(m)) => {
                assert_eq!(String::from_utf8_lossy(&m), expected);
                return;
            }
            Ok(()) => panic!("compiled"),
        }
    }
}
