//! Running a closure on a kernel worker, on a fresh stack, while the caller waits.
//!
//! A runtime created from a script loads its own script here, so loads nest by count
//! (at most [`SLOTS`] at once), not by how much of the creator's stack is left. The worker
//! acts for its caller: [`logical_task`] maps it back to the caller's task, so a script
//! on the worker that enters a runtime its creator holds is told "already running in this
//! task" instead of waiting for ever.

use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::ffi;

/// Loads that may run on workers at once, over all tasks.
pub(crate) const SLOTS: usize = 16;

/// A worker and the (logical) task it acts for; both 0 when free.
struct Delegate {
    worker: AtomicUsize,
    creator: AtomicUsize,
}

static DELEGATES: [Delegate; SLOTS] = [const {
    Delegate {
        worker: AtomicUsize::new(0),
        creator: AtomicUsize::new(0),
    }
}; SLOTS];

/// Slots in use: lets [`logical_task`] skip the scan when no load runs.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// The task `task` acts for: its creator if it is a worker running a load, else itself.
pub(crate) fn logical_task(task: usize) -> usize {
    if ACTIVE.load(Ordering::Acquire) == 0 {
        return task;
    }
    DELEGATES
        .iter()
        .find(|d| d.worker.load(Ordering::Acquire) == task)
        .map_or(task, |d| d.creator.load(Ordering::Acquire))
}

/// All slots are taken.
pub(crate) struct Full;

struct Job<'a, F, R> {
    f: Option<F>,
    result: Option<R>,
    abort: &'a (dyn Fn() + Sync),
    slot: &'a Delegate,
}

/// Runs `f` on a worker and returns what it returned. If the caller gets a fatal signal
/// meanwhile, `abort` is called (from the caller) to make `f` finish early, and the wait
/// goes on. Process context.
///
/// # Errors
/// [`Full`] when [`SLOTS`] loads already run.
pub(crate) fn run<F, R>(abort: &(dyn Fn() + Sync), f: F) -> Result<R, Full>
where
    F: FnOnce() -> R + Send,
    R: Send,
{
    let creator = crate::context::current_task();
    let slot = DELEGATES
        .iter()
        .find(|d| {
            d.creator
                .compare_exchange(0, creator, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        })
        .ok_or(Full)?;
    ACTIVE.fetch_add(1, Ordering::AcqRel);
    let mut job = Job {
        f: Some(f),
        result: None,
        abort,
        slot,
    };
    let arg = core::ptr::from_mut(&mut job).cast::<c_void>();
    // SAFETY: `arg` points to `job`, which outlives the call: the shim returns only
    // after the worker finished with it.
    unsafe { ffi::lk_run_on_worker(run_job::<F, R>, abort_job::<F, R>, arg) };
    slot.worker.store(0, Ordering::Release);
    slot.creator.store(0, Ordering::Release);
    ACTIVE.fetch_sub(1, Ordering::AcqRel);
    job.result.take().ok_or(Full)
}

/// The worker's side: records itself as acting for the creator, runs `f`.
unsafe extern "C" fn run_job<F: FnOnce() -> R, R>(arg: *mut c_void) {
    let job = arg.cast::<Job<'_, F, R>>();
    // SAFETY: `arg` is the `Job` of `run`, which waits for this function to return. Only
    // fields are borrowed here, never the whole: `abort_job` may read `abort` meanwhile.
    let (slot, f) = unsafe { ((*job).slot, (*job).f.take()) };
    // SAFETY: reads `current`.
    let me = unsafe { ffi::lk_current_task() } as usize;
    slot.worker.store(me, Ordering::Release);
    let result = f.map(|f| f());
    // SAFETY: as above.
    unsafe { (*job).result = result };
}

/// The caller's side, on a fatal signal.
unsafe extern "C" fn abort_job<F, R>(arg: *mut c_void) {
    // SAFETY: `arg` is the `Job` of `run`; `abort` is never written after `run` made it.
    let abort = unsafe { (*arg.cast::<Job<'_, F, R>>()).abort };
    abort();
}
