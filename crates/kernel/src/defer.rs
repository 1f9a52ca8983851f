//! Dropping, in process context, objects released where the kernel cannot sleep.
//!
//! Tearing down a runtime, a device or a thread may sleep (`device_destroy`,
//! `kthread_stop`, a mutex). When the last reference goes away in atomic context (a script's
//! garbage collector running in a softirq runtime), the object is queued here and a work
//! item drops it. Module exit flushes the queue.

use core::any::Any;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::tvec::TryVec;

use crate::alloc::try_box;
use crate::error::Result;
use crate::ffi;
use crate::sync::SpinLockIrq;

/// Something waiting to be dropped.
struct Pending {
    _value: Box<dyn Any>,
}

// SAFETY: a queued object is owned by the queue alone; it is dropped once, by the work
// item, and never shared.
unsafe impl Send for Pending {}

type Queue = SpinLockIrq<Vec<Pending>>;

static QUEUE: AtomicPtr<Queue> = AtomicPtr::new(ptr::null_mut());

/// Creates the queue. Module load.
///
/// # Errors
/// `ENOMEM`.
pub(crate) fn init() -> Result {
    let queue = try_box(SpinLockIrq::new(Vec::new())?)?;
    QUEUE.store(Box::into_raw(queue), Ordering::Release);
    Ok(())
}

/// Drops everything queued, then the queue. Module exit, after the last producer stopped.
pub(crate) fn exit() {
    // SAFETY: the work item only reads the queue; nothing queues any more.
    unsafe { ffi::lk_work_flush() };
    run();
    let queue = QUEUE.swap(ptr::null_mut(), Ordering::AcqRel);
    if !queue.is_null() {
        // SAFETY: `queue` came from `Box::into_raw` in `init`, taken out exactly once.
        drop(unsafe { Box::from_raw(queue) });
    }
}

/// Drops `value` now if this context may sleep, else later from a work item. If even the
/// queue cannot grow (no atomic memory), the value is dropped here, which is what the
/// caller would have done without this module.
pub(crate) fn drop_where_sleepable<T: 'static>(value: T) {
    if !crate::context::cannot_sleep() {
        drop(value);
        return;
    }
    let queue = QUEUE.load(Ordering::Acquire);
    if queue.is_null() {
        drop(value);
        return;
    }
    let boxed: Box<dyn Any> = match try_box(value) {
        Ok(b) => b,
        Err(_) => return,
    };
    // SAFETY: the queue lives from `init` to `exit`; producers run between the two.
    let queue = unsafe { &*queue };
    let rejected = {
        let mut list = queue.lock();
        list.try_push(Pending { _value: boxed }).err().map(|_| ())
    };
    if rejected.is_some() {
        pr_warn!("out of atomic memory: releasing an object in atomic context");
    }
    // SAFETY: schedule_work may be called from any context.
    unsafe { ffi::lk_work_schedule() };
}

/// Drops what was queued. Runs in the work item (process context).
fn run() {
    let queue = QUEUE.load(Ordering::Acquire);
    if queue.is_null() {
        return;
    }
    // SAFETY: as in `drop_where_sleepable`.
    let queue = unsafe { &*queue };
    loop {
        let next = queue.lock().pop();
        match next {
            Some(pending) => drop(pending),
            None => break,
        }
    }
}

/// The work item of `shim_runtime.c`.
#[no_mangle]
pub extern "C" fn lunatik_rs_deferred_work() {
    run();
}
