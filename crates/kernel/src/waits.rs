//! Who waits for which runtime, so that runtimes entering each other cannot deadlock.
//!
//! A task that finds a runtime's lock taken records that it waits for it, then follows the
//! chain: the runtime's owner, the runtime that owner waits for, its owner... If the
//! chain comes back to the task, waiting would never end (A holds R1 and waits for R2
//! while B holds R2 and waits for R1), and the task is refused instead. Two tasks closing
//! a cycle at the same moment both see it, so at least one backs off. The table is only
//! touched when a lock is contended.

use core::sync::atomic::{AtomicPtr, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::tvec::TryVec;

use crate::alloc::try_box;
use crate::error::Result;
use crate::sync::SpinLockIrq;

/// (waiting task, address of the runtime it waits for).
type Table = SpinLockIrq<Vec<(usize, usize)>>;

static TABLE: AtomicPtr<Table> = AtomicPtr::new(core::ptr::null_mut());

/// The task holding the runtime at an address (0: none). Only called, under the table's
/// lock, on addresses of runtimes a registered waiter keeps alive.
pub(crate) type OwnerOf = fn(usize) -> usize;

/// Waiting would close a cycle.
pub(crate) struct Deadlock;

/// A recorded wait, removed when dropped.
pub(crate) struct Waiting {
    task: usize,
}

impl Waiting {
    /// Records that `task` waits for the runtime at `runtime` (which the caller keeps
    /// alive until the `Waiting` is dropped).
    ///
    /// # Errors
    /// [`Deadlock`] if the runtime's owner waits, through any chain, for `task`. If the
    /// table cannot grow, the wait is not recorded (and cannot be found in a cycle).
    pub(crate) fn begin(
        task: usize,
        runtime: usize,
        owner_of: OwnerOf,
    ) -> core::result::Result<Waiting, Deadlock> {
        let Some(table) = table() else {
            return Ok(Waiting { task: 0 });
        };
        let mut waits = table.lock();
        if waits.try_push((task, runtime)).is_err() {
            return Ok(Waiting { task: 0 });
        }
        let mut next = runtime;
        // Each hop moves to another waiting task, so the chain is at most the table long.
        for _ in 0..waits.len() {
            let owner = owner_of(next);
            if owner == 0 {
                break;
            }
            if owner == task {
                remove(&mut waits, task);
                return Err(Deadlock);
            }
            match waits.iter().find(|(t, _)| *t == owner) {
                Some((_, r)) => next = *r,
                None => break,
            }
        }
        Ok(Waiting { task })
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if self.task == 0 {
            return;
        }
        if let Some(table) = table() {
            remove(&mut table.lock(), self.task);
        }
    }
}

fn remove(waits: &mut Vec<(usize, usize)>, task: usize) {
    if let Some(i) = waits.iter().position(|(t, _)| *t == task) {
        waits.swap_remove(i);
    }
}

fn table() -> Option<&'static Table> {
    let table = TABLE.load(Ordering::Acquire);
    // SAFETY: the table lives from `init` to `exit`, and runtimes are entered in between.
    (!table.is_null()).then(|| unsafe { &*table })
}

/// Creates the table. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    // Room for the usual number of waiters, so that recording one rarely allocates.
    let mut waits = Vec::new();
    waits.try_reserve(64)?;
    let table = try_box(SpinLockIrq::new(waits)?)?;
    TABLE.store(Box::into_raw(table), Ordering::Release);
    Ok(())
}

/// Frees the table. Module exit, after every runtime stopped.
pub(crate) fn exit() {
    let table = TABLE.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !table.is_null() {
        // SAFETY: from `Box::into_raw` in `init`, taken back once.
        drop(unsafe { Box::from_raw(table) });
    }
}
