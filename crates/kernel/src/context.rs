//! What the code runs in right now: may it sleep, are interrupts off, which task.

use crate::ffi;

/// True where sleeping is not allowed (spin locks, softirq, hardirq, atomic scopes).
pub(crate) fn cannot_sleep() -> bool {
    // SAFETY: reads the preempt count and a per-CPU variable.
    unsafe { ffi::lk_cannot_sleep() }
}

/// True with local interrupts disabled.
pub(crate) fn irqs_disabled() -> bool {
    // SAFETY: reads the CPU flags.
    unsafe { ffi::lk_irqs_disabled() }
}

/// True in hardirq or NMI context.
pub(crate) fn in_hardirq() -> bool {
    // SAFETY: reads the preempt count.
    unsafe { ffi::lk_in_hardirq() }
}

/// An identifier of the current task (its address), never 0; a worker loading a script
/// for another task counts as that task (worker.rs).
pub(crate) fn current_task() -> usize {
    // SAFETY: reads `current`.
    crate::worker::logical_task(unsafe { ffi::lk_current_task() as usize })
}

/// Yields the CPU if the scheduler wants it. Process context.
pub(crate) fn cond_resched() {
    // SAFETY: only called where sleeping is allowed (checked by the callers).
    unsafe { ffi::lk_cond_resched() }
}

/// True if the current task has been killed.
pub(crate) fn fatal_signal_pending() -> bool {
    // SAFETY: reads `current`'s signal state.
    unsafe { ffi::lk_fatal_signal_pending() }
}

/// True in a kernel thread.
pub(crate) fn is_kthread() -> bool {
    // SAFETY: reads `current->flags`.
    unsafe { ffi::lk_is_kthread() }
}

/// True in a kernel thread asked to stop (`kthread_stop`).
pub(crate) fn kthread_should_stop() -> bool {
    // SAFETY: only called in a kernel thread (`is_kthread`), where it is valid.
    is_kthread() && unsafe { ffi::lk_thread_should_stop() }
}
