//! The panic handler. A panic should be unreachable (DESIGN.md, rule 1); if one happens, it
//! is logged and turned into `BUG()`: an oops that kills the calling task. Locks that task
//! holds stay held.

use core::panic::PanicInfo;

use crate::ffi;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    // The stack buffer alone: no allocation on this path.
    let mut line = crate::print::StackBuf::<160>::new();
    let _ = core::fmt::Write::write_fmt(&mut line, format_args!("rust panic: {}", info));
    crate::print::log(ffi::LOG_ERR, line.as_bytes());
    // SAFETY: `lk_bug` takes no arguments and only executes BUG().
    unsafe { ffi::lk_bug() };
    // `lk_bug` never returns, but objtool cannot see into C: ending in a trap keeps it from
    // reporting that this function falls off its end.
    // SAFETY: `ud2` raises an invalid-opcode exception and touches no memory.
    unsafe { core::arch::asm!("ud2", options(noreturn)) }
}
