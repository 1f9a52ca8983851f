//! Native stack guard.
//!
//! The VM and the parser are stackless, but a few library callbacks and the loading of
//! compiled functions still recurse on the native stack (the parser checks the guard at
//! each nesting level all the same). Each such point calls [`StackGuard::check`], which
//! compares the current stack pointer with a floor fixed when the engine was entered.
//! The host chooses the floor: on the host it is `entry_sp - budget`; in the kernel the
//! C shim computes it from the real bounds of the stack the code runs on.

/// Approximate current stack pointer: the address of a local.
#[inline(always)]
pub fn stack_pointer() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

/// Fails once the stack pointer drops below `floor` (stacks grow down on every target we
/// support).
#[derive(Clone, Copy, Debug)]
pub struct StackGuard {
    floor: usize,
}

impl StackGuard {
    /// A guard that allows `budget` bytes below the caller's stack pointer.
    #[inline(never)]
    pub fn with_budget(budget: usize) -> Self {
        Self {
            floor: stack_pointer().saturating_sub(budget),
        }
    }

    /// A guard with an explicit floor address.
    pub fn with_floor(floor: usize) -> Self {
        Self { floor }
    }

    /// A guard that never fires (tests of code that does not recurse).
    pub const fn unlimited() -> Self {
        Self { floor: 0 }
    }

    /// True while the stack pointer is above the floor.
    #[inline(always)]
    pub fn check(&self) -> bool {
        stack_pointer() > self.floor
    }

    /// The floor address.
    pub fn floor(&self) -> usize {
        self.floor
    }

    /// This guard, raised to `floor` if that is higher.
    pub fn max_floor(self, floor: usize) -> Self {
        Self {
            floor: self.floor.max(floor),
        }
    }

    /// Bytes left above the floor.
    pub fn left(&self) -> usize {
        stack_pointer().saturating_sub(self.floor)
    }
}
