//! The floor for the engine's stack guard (`lua::stack::StackGuard::with_floor`).
//!
//! The engine raises a Lua error once the stack pointer drops below the floor. The floor
//! honours two limits (numbers from shared/reference/stack-budget.md):
//! - the budget of the entry kind, counted from the stack pointer at entry, which leaves the
//!   kernel code that called us the room it was measured to need;
//! - [`CALLEE_RESERVE`] bytes above the real bottom of the stack we run on, when the shim can
//!   tell it (the task stack always; the IRQ stack on 6.12, not on 6.1).

use core::fmt::Write;
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::ffi;
use crate::print::StackBuf;

/// Stack kept free below the floor for the kernel functions the engine calls (kmalloc,
/// printk and snprintf use under 2 KiB on both kernels), plus slack.
pub const CALLEE_RESERVE: usize = 3 * 1024;

/// The least stack a runtime is entered with: enough for the engine to run a callback
/// and raise its errors (the hardirq runtimes' body budget).
pub const MIN_ENGINE: usize = 4 * 1024;

/// Where a runtime was entered from; each kind has its own stack budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Our own kthread or workqueue item.
    OwnThread,
    /// A write(2) on `/dev/lunatik`.
    Syscall,
    /// A file operation on a device made by the `device` module.
    Device,
    /// A runtime entered from another runtime (`runtime:resume`, a script body).
    Nested,
    /// A hook in other kernel code, in process context.
    ProcessHook,
    /// Softirq (netfilter in the receive path, timers).
    Softirq,
    /// Hardirq, and kprobes through int3.
    Hardirq,
}

/// How many kinds of [`Entry`] there are.
pub const ENTRY_KINDS: usize = 7;

impl Entry {
    /// The kind of an entry from other kernel code, made here and now.
    pub fn here() -> Entry {
        if crate::context::in_hardirq() {
            Entry::Hardirq
        } else if crate::context::cannot_sleep() {
            Entry::Softirq
        } else {
            Entry::ProcessHook
        }
    }

    /// The most stack the engine may use below the entry point.
    pub const fn budget(self) -> usize {
        match self {
            Entry::OwnThread => 12 * 1024,
            Entry::Syscall | Entry::Device => 10 * 1024,
            Entry::Nested => 8 * 1024,
            Entry::ProcessHook => 8 * 1024,
            Entry::Softirq => 6 * 1024,
            Entry::Hardirq => 1536,
        }
    }
}

/// The current stack pointer, approximately: the address of a local.
#[inline(always)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

/// The lowest address the engine may use when entered here for `entry`.
pub fn floor(entry: Entry) -> usize {
    let by_budget = stack_pointer().saturating_sub(entry.budget());
    // SAFETY: `lk_stack_bottom` only reads the stack pointer, `current` and a per-CPU value.
    let bottom = unsafe { ffi::lk_stack_bottom() } as usize;
    if bottom == 0 {
        by_budget
    } else {
        by_budget.max(bottom.saturating_add(CALLEE_RESERVE))
    }
}

/// Bytes between the stack pointer and the real bottom of the current stack, if the shim
/// can tell where the bottom is.
pub fn left() -> Option<usize> {
    // SAFETY: as in `floor`.
    let bottom = unsafe { ffi::lk_stack_bottom() } as usize;
    (bottom != 0).then(|| stack_pointer().saturating_sub(bottom))
}

/// Fewest bytes of stack seen left at each entry kind (`usize::MAX`: never entered).
static MIN_LEFT: [AtomicUsize; ENTRY_KINDS] = [
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
    AtomicUsize::new(usize::MAX),
];

impl Entry {
    /// Every kind.
    pub(crate) const ALL: [Entry; ENTRY_KINDS] = [
        Entry::OwnThread,
        Entry::Syscall,
        Entry::Device,
        Entry::Nested,
        Entry::ProcessHook,
        Entry::Softirq,
        Entry::Hardirq,
    ];

    /// The kind's slot in per-kind tables.
    pub(crate) fn index(self) -> usize {
        match self {
            Entry::OwnThread => 0,
            Entry::Syscall => 1,
            Entry::ProcessHook => 2,
            Entry::Softirq => 3,
            Entry::Hardirq => 4,
            Entry::Device => 5,
            Entry::Nested => 6,
        }
    }

    /// The kind's name in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Entry::OwnThread => "thread",
            Entry::Syscall => "control",
            Entry::Device => "device",
            Entry::Nested => "nested",
            Entry::ProcessHook => "hook",
            Entry::Softirq => "softirq",
            Entry::Hardirq => "hardirq",
        }
    }
}

/// Records the stack left at an entry of kind `entry`, for [`lunatik_rs_stack_report`].
pub fn record(entry: Entry) {
    if let (Some(left), Some(slot)) = (left(), MIN_LEFT.get(entry.index())) {
        slot.fetch_min(left, Ordering::Relaxed);
    }
}

/// Writes `kind=bytes` pairs (fewest bytes left seen at each entry kind) into `buf`
/// (`/sys/module/lunatik/parameters/stack_left`); returns the length written.
///
/// # Safety
/// `buf` is writable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_stack_report(buf: *mut u8, len: usize) -> i32 {
    let mut text = StackBuf::<160>::new();
    for entry in Entry::ALL {
        let left = MIN_LEFT
            .get(entry.index())
            .map_or(usize::MAX, |m| m.load(Ordering::Relaxed));
        if left != usize::MAX {
            let _ = write!(text, "{}={} ", entry.name(), left);
        }
    }
    let _ = text.write_str("\n");
    let bytes = text.as_bytes();
    let n = bytes.len().min(len);
    // SAFETY: `buf` is writable for `len` bytes by the contract and `n <= len`.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, n) };
    n as i32
}
