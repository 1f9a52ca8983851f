//! The Lua modules of lunatik.ko, one file per `require` name (as C Lunatik's `lib/`).
//! The runtime machinery they stand on (objects, runtimes, locks, allocation) lives beside
//! this directory, not in it.

pub(crate) mod byteorder;
pub(crate) mod completion;
pub(crate) mod cpu;
pub(crate) mod crypto;
pub(crate) mod darken;
pub(crate) mod data;
pub(crate) mod device;
pub(crate) mod fifo;
pub(crate) mod hid;
pub(crate) mod io;
pub(crate) mod linux;
pub(crate) mod lunatik;
pub(crate) mod netfilter;
pub(crate) mod notifier;
pub(crate) mod rcu;
pub(crate) mod set;
pub(crate) mod signal;
pub(crate) mod skb;
pub(crate) mod socket;
pub(crate) mod syscall;
pub(crate) mod thread;
