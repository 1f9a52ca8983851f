//! The `notifier` module: Lua callbacks on the kernel's netdevice, keyboard and VT
//! notifier chains.
//!
//! ```lua
//! local notifier, notify = require("notifier"), require("linux.notify")
//! notifier.keyboard(function(event, down, shift, value) return notify.OK end)
//! ```
//! `netdevice` belongs to process runtimes (its chain runs in the task that changed the
//! device, usually under RTNL, and may sleep); `keyboard` and `vterm` to hardirq runtimes
//! (the keyboard chain runs in the keyboard's interrupt). Each call passes the event's
//! fields to the callback and its first result, as an integer, back to the chain
//! (`nil`: `NOTIFY_DONE`); an error is logged and answers `NOTIFY_OK`.
//!
//! The netdevice chain replays `NETDEV_REGISTER` and `NETDEV_UP` for every existing device
//! inside the registration call, in the registering task, while the script (usually its
//! body) holds the runtime: those calls run on the registering state itself, lent for the
//! length of that call only (lend.rs). Every other call enters the
//! runtime as a hook: skipped while the body loads and after a stop. Keyboard and VT
//! calls never wait for the lock (`Runtime::try_run`): one that finds it taken is dropped
//! and counted in [`Notifier::missed`].
//!
//! Invariants: the callback and the notifier object are kept in the runtime's registry
//! (`lunatik.notifier`) until the state closes; the kernel's block is unregistered, in
//! process context, before the last reference to [`Notifier`] goes, so the C side never
//! outlives it.

use core::ffi::{c_char, c_int, c_long, c_ulong, c_void};
use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicI64, AtomicPtr, AtomicU64, Ordering};

use lua::gc::Gc;
use lua::table::Table;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::context;
use crate::ffi;
use crate::lend::Lent;
use crate::modules::lunatik::may_sleep_error;
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{self, Context, Runtime};
use crate::stack::Entry;

/// Registry key of the table of notifiers: handle → `{callback, object}`.
const NOTIFIERS_KEY: &[u8] = b"lunatik.notifier";

/// `NOTIFY_DONE` and `NOTIFY_OK` of `linux/notifier.h`.
const NOTIFY_DONE: c_int = 0;
const NOTIFY_OK: c_int = 1;

/// `IFNAMSIZ`: a device name is at most 15 bytes and its NUL.
const IFNAMSIZ: usize = 16;

static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

/// The chain a notifier is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Netdevice,
    Keyboard,
    Vterm,
}

impl Kind {
    fn code(self) -> c_int {
        match self {
            Kind::Netdevice => ffi::LK_NOTIFIER_NETDEVICE,
            Kind::Keyboard => ffi::LK_NOTIFIER_KEYBOARD,
            Kind::Vterm => ffi::LK_NOTIFIER_VTERM,
        }
    }

    /// The runtime context the chain's callbacks need.
    fn context(self) -> Context {
        match self {
            Kind::Netdevice => Context::Process,
            Kind::Keyboard | Kind::Vterm => Context::Hardirq,
        }
    }

    fn class(self) -> &'static Class {
        match self {
            Kind::Netdevice => &NOTIFIER_PROCESS,
            Kind::Keyboard | Kind::Vterm => &NOTIFIER_HARDIRQ,
        }
    }
}

/// The fields of one event, as the shim read them.
struct Event {
    event: c_ulong,
    name: *const c_char,
    a: c_long,
    b: c_long,
    c: c_long,
}

/// A registered notifier.
pub(crate) struct Notifier {
    runtime: Ref<Runtime>,
    kind: Kind,
    /// Key of its entry in the runtime's `lunatik.notifier`.
    handle: i64,
    /// The kernel's block; null once unregistered.
    block: AtomicPtr<ffi::Notifier>,
    /// Set by `n:stop()`: later events answer `NOTIFY_DONE` without entering Lua.
    stopped: AtomicBool,
    /// The registering state while the netdevice chain replays its devices.
    replay: Lent,
    /// Events dropped because the runtime was busy elsewhere.
    missed: AtomicU64,
}

impl Notifier {
    /// Unregisters the kernel's block; returns once no call of it runs. Process context.
    fn unregister(&self) {
        let block = self.block.swap(ptr::null_mut(), Ordering::AcqRel);
        if !block.is_null() {
            // SAFETY: `block` came from `lk_notifier_register`; the swap makes this the
            // only call.
            unsafe { ffi::lk_notifier_unregister(block) };
        }
    }

    /// Calls the callback with `ev`'s fields (in its runtime, which this task holds).
    fn deliver(&self, lua: &mut Lua, ev: &Event) -> c_int {
        if self.stopped.load(Ordering::Acquire) {
            return NOTIFY_DONE;
        }
        let Ok(entry) = entry(lua, self.handle) else {
            return NOTIFY_DONE;
        };
        let f = lua.raw_get(entry, &Value::Int(1));
        let event = Value::Int(ev.event as i64);
        let args = match self.kind {
            Kind::Netdevice => {
                // SAFETY: the shim passes the device's name, NUL-terminated within
                // `IFNAMSIZ`, valid during the call.
                let name = unsafe { c_name(ev.name) };
                match lua.new_str(name) {
                    Ok(s) => [event, Value::Str(s), Value::Nil, Value::Nil],
                    Err(_) => return NOTIFY_DONE,
                }
            }
            Kind::Keyboard => [
                event,
                Value::Bool(ev.a != 0),
                Value::Bool(ev.b != 0),
                Value::Int(ev.c),
            ],
            Kind::Vterm => [event, Value::Int(ev.a), Value::Int(ev.b), Value::Nil],
        };
        let count = if self.kind == Kind::Keyboard { 4 } else { 3 };
        match lua.call_traceback(f, args.get(..count).unwrap_or(&[])) {
            Ok(results) => results
                .first()
                .and_then(lua::arith::to_integer)
                .map_or(NOTIFY_DONE, |n| n as c_int),
            Err(message) => {
                self.runtime.info().stats.error(&message);
                pr_script_err!(
                    "{}: notifier: {}",
                    Bytes(self.runtime.info().name()),
                    Bytes(&message)
                );
                NOTIFY_OK
            }
        }
    }
}

/// The bytes of a device name, up to its NUL.
///
/// # Safety
/// `name` is null or points to `IFNAMSIZ` readable bytes.
unsafe fn c_name<'a>(name: *const c_char) -> &'a [u8] {
    if name.is_null() {
        return &[];
    }
    // SAFETY: the caller's guarantee.
    let bytes = unsafe { core::slice::from_raw_parts(name.cast::<u8>(), IFNAMSIZ) };
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(IFNAMSIZ);
    bytes.get(..len).unwrap_or(&[])
}

/// Called by the shim for each event of a registered notifier.
///
/// # Safety
/// `owner` is the `Notifier` given to `lk_notifier_register`, not yet unregistered; `name`
/// is null or a device name valid during the call.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_notifier_call(
    owner: *mut c_void,
    event: c_ulong,
    name: *const c_char,
    a: c_long,
    b: c_long,
    c: c_long,
) -> c_int {
    // SAFETY: a registered notifier's `Notifier` lives until after its unregistration.
    let n = unsafe { &*owner.cast::<Notifier>().cast_const() };
    if n.stopped.load(Ordering::Acquire) {
        return NOTIFY_DONE;
    }
    let ev = Event {
        event,
        name,
        a,
        b,
        c,
    };
    if let Some(result) = n.replay.with(|lua| n.deliver(lua, &ev)) {
        return result;
    }
    // Not ready yet: the body that registers it is still running.
    if n.runtime.is_loading() {
        return NOTIFY_DONE;
    }
    let ran = match n.kind {
        Kind::Netdevice => n.runtime.run(Entry::here(), |lua| n.deliver(lua, &ev)),
        Kind::Keyboard | Kind::Vterm => n.runtime.try_run(Entry::here(), |lua| n.deliver(lua, &ev)),
    };
    ran.unwrap_or_else(|e| {
        if e == runtime::RunError::Busy {
            n.missed.fetch_add(1, Ordering::Relaxed);
        }
        NOTIFY_DONE
    })
}

/// The payload of a notifier object: unregisters the block when the state closes.
pub(crate) struct NotifierObject(Ref<Notifier>);

impl Drop for NotifierObject {
    fn drop(&mut self) {
        crate::defer::drop_where_sleepable(Unregister(self.0.clone()));
    }
}

/// Unregisters its notifier when dropped (in process context, through `defer`).
struct Unregister(Ref<Notifier>);

impl Drop for Unregister {
    fn drop(&mut self) {
        self.0.unregister();
        let missed = self.0.missed.load(Ordering::Relaxed);
        if missed > 0 {
            pr_info!(
                "{}: notifier: {} events missed (runtime busy)",
                Bytes(self.0.runtime.info().name()),
                missed
            );
        }
    }
}

/// Two classes of one name, as C Lunatik: netdevice notifiers live in process runtimes,
/// keyboard and VT ones in hardirq runtimes.
static NOTIFIER_PROCESS: Class = Class {
    name: "notifier",
    methods: &[(b"stop", stop)],
    metamethods: &[],
    atomic: false,
};

static NOTIFIER_HARDIRQ: Class = Class {
    name: "notifier",
    methods: &[(b"stop", stop)],
    metamethods: &[],
    atomic: true,
};

impl Object for NotifierObject {
    fn class(&self) -> &'static Class {
        self.0.kind.class()
    }

    /// Its callback lives in its runtime's registry.
    fn is_single(&self) -> bool {
        true
    }
}

/// Opens the `notifier` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(
        lua,
        &[
            (b"netdevice", netdevice),
            (b"keyboard", keyboard),
            (b"vterm", vterm),
        ],
    )
}

fn notifiers_table(lua: &mut Lua) -> LuaResult<Gc<Table>> {
    crate::require::registry_table(lua, NOTIFIERS_KEY)
}

fn entry(lua: &mut Lua, handle: i64) -> LuaResult<Gc<Table>> {
    let notifiers = notifiers_table(lua)?;
    match lua.raw_get(notifiers, &Value::Int(handle)) {
        Value::Table(t) => Ok(t),
        _ => Err(lua::Error::Memory),
    }
}

/// `notifier.netdevice(callback)`: `callback(event, devname)`.
fn netdevice(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    register(cx, Kind::Netdevice, "netdevice")
}

/// `notifier.keyboard(callback)`: `callback(event, down, shift, value)`.
fn keyboard(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    register(cx, Kind::Keyboard, "keyboard")
}

/// `notifier.vterm(callback)`: `callback(event, c, vc_num)`.
fn vterm(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    register(cx, Kind::Vterm, "vterm")
}

fn register(cx: &mut Ctx<'_>, kind: Kind, what: &str) -> LuaResult<Ret> {
    let f = cx.arg(1);
    if !f.is_function() {
        return Err(cx.type_error(1, "function"));
    }
    // Checked before registering: a notifier must never be left without its runtime.
    let Some(rt) = runtime::of(cx.lua).filter(|rt| rt.context() == kind.context()) else {
        return Err(cx.error(format_args!("runtime context mismatch")));
    };
    // Registration takes the chain's locks and unregistration waits for a grace period:
    // both belong to the script body (or a process runtime's callback).
    if context::cannot_sleep() {
        return Err(may_sleep_error(cx, what));
    }
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    let n = Ref::try_new(Notifier {
        runtime: rt,
        kind,
        handle,
        block: AtomicPtr::new(ptr::null_mut()),
        stopped: AtomicBool::new(false),
        replay: Lent::new(),
        missed: AtomicU64::new(0),
    })
    .map_err(|_| lua::Error::Memory)?;
    let object = object::new(cx.lua, NotifierObject(n.clone()))?;
    let entry = cx.lua.new_table()?;
    cx.lua.raw_set(entry, Value::Int(1), f)?;
    cx.lua.raw_set(entry, Value::Int(2), object)?;
    let notifiers = notifiers_table(cx.lua)?;
    cx.lua
        .raw_set(notifiers, Value::Int(handle), Value::Table(entry))?;
    let mut err: c_int = 0;
    let owner = Ref::as_ptr(&n).cast_mut().cast();
    // SAFETY: `n` is kept alive by the object until after `lk_notifier_unregister`; the C
    // side only hands it back to `lunatik_rs_notifier_call`.
    let block = n.replay.during(cx.lua, || unsafe {
        ffi::lk_notifier_register(kind.code(), owner, &mut err)
    });
    if block.is_null() {
        cx.lua.raw_set(notifiers, Value::Int(handle), Value::Nil)?;
        return Err(cx.error(format_args!("couldn't create notifier")));
    }
    n.block.store(block, Ordering::Release);
    cx.ret1(object)
}

/// `n:stop()`: later events answer `NOTIFY_DONE`; the block stays on its chain until the
/// runtime closes. Any context; never sleeps.
fn stop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.arg(1);
    let Some(object) = object::of_type::<NotifierObject>(&v) else {
        return Err(cx.type_error(1, "notifier"));
    };
    object.0.stopped.store(true, Ordering::Release);
    Ok(Ret::Values(0))
}
