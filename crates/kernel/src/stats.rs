//! Per-runtime counters for `runtime:stats()` and `lunatik list -v`: what entered the
//! runtime and how often, the instructions and time spent inside, budget aborts, errors
//! raised in hooks (and the last one), memory. Relaxed atomics bumped once per entry, so
//! the cost is a few uncontended increments and two clock reads.

use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::stack::{Entry, ENTRY_KINDS};
use crate::sync::SpinLockIrq;

/// The bytes of the last hook error kept (longer messages are cut).
const LAST_ERROR_BYTES: usize = 200;

pub(crate) struct Stats {
    entries: [AtomicU64; ENTRY_KINDS],
    packets: AtomicU64,
    time_ns: AtomicU64,
    instructions: AtomicU64,
    aborts: AtomicU64,
    errors: AtomicU64,
    memory: AtomicUsize,
    peak: AtomicUsize,
    threads: AtomicUsize,
    last_error: SpinLockIrq<LastError>,
}

struct LastError {
    bytes: [u8; LAST_ERROR_BYTES],
    len: usize,
}

/// A copy of the counters.
pub(crate) struct Snapshot {
    pub(crate) entries: [u64; ENTRY_KINDS],
    pub(crate) packets: u64,
    pub(crate) time_ns: u64,
    pub(crate) instructions: u64,
    pub(crate) aborts: u64,
    pub(crate) errors: u64,
    pub(crate) memory: usize,
    pub(crate) peak: usize,
    pub(crate) threads: usize,
}

impl Stats {
    /// # Errors
    /// `ENOMEM` (the lock of the last error).
    pub(crate) fn new() -> crate::error::Result<Stats> {
        Ok(Stats {
            entries: [const { AtomicU64::new(0) }; ENTRY_KINDS],
            packets: AtomicU64::new(0),
            time_ns: AtomicU64::new(0),
            instructions: AtomicU64::new(0),
            aborts: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            memory: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            threads: AtomicUsize::new(0),
            last_error: SpinLockIrq::new(LastError {
                bytes: [0; LAST_ERROR_BYTES],
                len: 0,
            })?,
        })
    }

    /// Counts an entry of kind `entry` that ran for `ns` nanoseconds, leaving the state at
    /// `instructions` run and `memory` bytes in use.
    pub(crate) fn entered(&self, entry: Entry, ns: u64, instructions: u64, memory: usize) {
        if let Some(n) = self.entries.get(entry.index()) {
            n.fetch_add(1, Ordering::Relaxed);
        }
        self.time_ns.fetch_add(ns, Ordering::Relaxed);
        self.instructions.store(instructions, Ordering::Relaxed);
        self.memory.store(memory, Ordering::Relaxed);
        self.peak.fetch_max(memory, Ordering::Relaxed);
    }

    /// A packet reached a netfilter hook of the runtime.
    pub(crate) fn packet(&self) {
        self.packets.fetch_add(1, Ordering::Relaxed);
    }

    /// The instruction budget aborted a script.
    pub(crate) fn abort(&self) {
        self.aborts.fetch_add(1, Ordering::Relaxed);
    }

    /// A thread of the runtime started (`true`) or ended (`false`).
    pub(crate) fn thread(&self, started: bool) {
        if started {
            self.threads.fetch_add(1, Ordering::Relaxed);
        } else {
            self.threads.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// A hook (device operation, netfilter hook, thread, C API call) raised `message`.
    pub(crate) fn error(&self, message: &[u8]) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut last = self.last_error.lock();
        let n = message.len().min(LAST_ERROR_BYTES);
        if let (Some(dst), Some(src)) = (last.bytes.get_mut(..n), message.get(..n)) {
            dst.copy_from_slice(src);
            last.len = n;
        }
    }

    /// A copy of the last hook error (`len` 0 if none), taken out of the lock so that
    /// the caller may allocate.
    pub(crate) fn last_error(&self) -> ([u8; LAST_ERROR_BYTES], usize) {
        let last = self.last_error.lock();
        (last.bytes, last.len)
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Snapshot {
            entries: core::array::from_fn(|i| self.entries.get(i).map_or(0, load)),
            packets: load(&self.packets),
            time_ns: load(&self.time_ns),
            instructions: load(&self.instructions),
            aborts: load(&self.aborts),
            errors: load(&self.errors),
            memory: self.memory.load(Ordering::Relaxed),
            peak: self.peak.load(Ordering::Relaxed),
            threads: self.threads.load(Ordering::Relaxed),
        }
    }
}
