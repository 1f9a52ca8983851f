//! Module load and unload: the state that lives as long as `lunatik.ko`.

use core::ffi::{c_long, c_void};

use rust_alloc::boxed::Box;

use crate::alloc::{live_allocations, try_box};
use crate::control::{Control, Registration};
use crate::error::Result;
use crate::stack;

/// Everything the module owns.
///
/// Field order is drop order: the device goes before the state its file operations use.
struct Module {
    _registration: Registration,
    _control: Box<Control>,
}

fn load() -> Result<Box<Module>> {
    crate::alloc::init();
    crate::defer::init()?;
    crate::runtime::init()?;
    crate::waits::init()?;
    crate::modules::thread::init()?;
    crate::modules::rcu::init()?;
    crate::modules::device::init()?;
    let control = try_box(Control::new()?)?;
    // SAFETY: `control` is boxed, so it does not move, and `Module` drops the registration
    // before the box.
    let registration = unsafe { Registration::new(&control)? };
    try_box(Module {
        _registration: registration,
        _control: control,
    })
}

/// Stops what scripts left running and frees the module-wide state, in dependency order:
/// threads before the runtimes they hold, runtimes (and their devices) before the shared
/// environment, deferred drops before the lists they use. RCU callbacks free replaced
/// `rcu` entries and run module code: each wait for them (`rcu::barrier`) comes after what
/// may still replace entries, the first before the deferred drops they may queue, the last
/// before the module text goes away.
fn unload() {
    crate::modules::thread::stop_all();
    crate::runtime::stop_all();
    crate::modules::rcu::clear_all();
    crate::modules::rcu::exit();
    crate::modules::thread::stop_all();
    crate::runtime::stop_all();
    crate::modules::rcu::barrier();
    crate::defer::exit();
    crate::modules::rcu::exit_list();
    crate::modules::rcu::barrier();
    crate::modules::device::exit();
    crate::modules::thread::exit();
    crate::waits::exit();
    crate::runtime::exit();
}

/// Module init: loads the module state into `*module`; returns 0 or a negative errno.
///
/// # Safety
/// `module` is writable; on success the caller passes `*module` to `lunatik_rs_exit` once.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_init(module: *mut *mut c_void) -> i32 {
    match load() {
        Err(err) => {
            unload();
            pr_err!("load failed: {}", err);
            err.to_errno()
        }
        Ok(state) => {
            // SAFETY: `module` is writable by the contract; `lunatik_rs_exit` takes it back.
            unsafe { *module = Box::into_raw(state).cast() };
            pr_info!(
                "loaded: /dev/lunatik ready, {} bytes of stack left",
                stack::left().unwrap_or(0)
            );
            0
        }
    }
}

/// Module exit: frees the module state and logs the allocations still live (0 unless
/// something leaked).
///
/// # Safety
/// `module` came from a successful `lunatik_rs_init` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_exit(module: *mut c_void) {
    // SAFETY: `module` is the box `lunatik_rs_init` leaked, freed exactly once.
    drop(unsafe { Box::from_raw(module.cast::<Module>()) });
    unload();
    match live_allocations() {
        0 => pr_info!("unload: 0 live allocations"),
        leaked => pr_warn!("unload: {} live allocations", leaked),
    }
}

/// Allocations made through the global allocator and not yet freed.
#[no_mangle]
pub extern "C" fn lunatik_rs_live_allocations() -> c_long {
    live_allocations() as c_long
}

/// Bytes allocated through the global allocator and not yet freed.
#[no_mangle]
pub extern "C" fn lunatik_rs_memory_in_use() -> core::ffi::c_ulong {
    crate::alloc::memory_in_use() as core::ffi::c_ulong
}
