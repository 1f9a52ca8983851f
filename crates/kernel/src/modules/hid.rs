//! The `hid` module: HID drivers whose callbacks are Lua.
//!
//! ```lua
//! local hid = require("hid")
//! local driver = {name = "mouse", id_table = {{vendor = 0x0627, product = 0x0001}}}
//! function driver:raw_event(hdev, report, raw) raw:setbyte(0, 0) end
//! hid.register(driver)
//! ```
//! Drivers are registered from the script body of a softirq runtime and stay until the
//! runtime stops. The hid core calls `driver:probe(id)`, `driver:report_fixup(hdev, rdesc)`
//! and `driver:raw_event(hdev, report, raw)` under the runtime's lock; `rdesc` and `raw` are
//! writable SINGLE `data` views of the kernel's bytes, emptied when the callback returns. A
//! probe error rejects the device (`ECANCELED`), a raw_event error drops the event; errors
//! are logged as `<runtime>: hid: <callback>: <message>`. Missing callbacks are no-ops
//! (without `probe` the core parses and starts the device itself).
//!
//! The hid core is a module: the shim finds it by name when a driver registers, so
//! `failed to register hid driver` until `hid` is loaded. Devices present at registration
//! are probed inside the registration call, while the body holds the runtime: those probes
//! run on the registering state (lend.rs).
//!
//! Invariants: the driver table and the driver object are kept in the runtime's registry
//! (`lunatik.hid`) until the state closes; the kernel's driver is unregistered, in process
//! context, before the last reference to [`Hid`] goes, so the C side never outlives it.

use core::ffi::{c_char, c_int, c_uint, c_ulong, c_void};
use core::ptr;
use core::sync::atomic::{AtomicI64, AtomicPtr, Ordering};

use lua::gc::Gc;
use lua::table::Table;
use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};
use rust_alloc::vec::Vec;

use crate::class::Class;
use crate::context;
use crate::error::Error;
use crate::ffi;
use crate::lend::Lent;
use crate::modules::data::Data;
use crate::modules::lunatik::may_sleep_error;
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{self, Context, Runtime};
use crate::stack::Entry;

/// Registry key of the table of drivers: handle → `{driver, object}`.
const DRIVERS_KEY: &[u8] = b"lunatik.hid";

/// The longest driver name (the shim's buffer holds it and a NUL).
const MAX_NAME_BYTES: usize = 255;

/// `HID_BUS_ANY`, `HID_GROUP_ANY`, `HID_ANY_ID`: what a missing id field matches.
const BUS_ANY: i64 = 0xffff;
const GROUP_ANY: i64 = 0;
const ANY_ID: i64 = 0xffff_ffff;

static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

/// One entry of a driver's id table.
#[derive(Clone, Copy)]
struct Id {
    bus: i64,
    group: i64,
    vendor: i64,
    product: i64,
    driver_data: i64,
}

/// A registered driver.
pub(crate) struct Hid {
    runtime: Ref<Runtime>,
    /// Key of its entry in the runtime's `lunatik.hid`.
    handle: i64,
    ids: Vec<Id>,
    /// The shim's driver; null once freed.
    driver: AtomicPtr<ffi::HidDriver>,
    /// The registering state while the core probes the devices present.
    probing: Lent,
}

impl Hid {
    /// Unregisters and frees the kernel's driver; returns once no callback runs.
    fn free(&self) {
        let driver = self.driver.swap(ptr::null_mut(), Ordering::AcqRel);
        if !driver.is_null() {
            // SAFETY: `driver` came from `lk_hid_new`; the swap makes this the only call.
            unsafe { ffi::lk_hid_free(driver) };
        }
    }

    fn name(&self) -> Bytes<'_> {
        Bytes(self.runtime.info().name())
    }

    /// Runs `f` on the runtime's state: the lent one during registration, else entering
    /// the runtime. `None` when it cannot be entered (stopped, busy, loading).
    fn run<R>(&self, f: impl FnOnce(&mut Lua) -> R) -> Option<R> {
        let mut f = Some(f);
        if let Some(r) = self.probing.with(|lua| f.take().map(|f| f(lua))) {
            return r;
        }
        let f = f?;
        self.runtime.run(Entry::here(), f).ok()
    }

    /// Calls `driver:<callback>(args...)`; `Ok(())` when the callback is missing.
    fn call(&self, lua: &mut Lua, callback: &str, args: &[Value]) -> Result<(), ()> {
        let Ok(entry) = entry(lua, self.handle) else {
            return Err(());
        };
        let driver = lua.raw_get(entry, &Value::Int(1));
        let Value::Table(t) = driver else {
            return Err(());
        };
        let f = lua.get_field(t, callback.as_bytes()).unwrap_or(Value::Nil);
        if !f.is_function() {
            return Ok(());
        }
        let mut all = Vec::new();
        if all.try_reserve_exact(args.len() + 1).is_err() {
            return Err(());
        }
        all.try_push(driver).map_err(|_| ())?;
        for a in args {
            all.try_push(*a).map_err(|_| ())?;
        }
        match lua.call_traceback(f, &all) {
            Ok(_) => Ok(()),
            Err(message) => {
                self.runtime.info().stats.error(&message);
                pr_script_err!("{}: hid: {}: {}", self.name(), callback, Bytes(&message));
                Err(())
            }
        }
    }
}

/// A table of integer fields.
fn int_table(lua: &mut Lua, fields: &[(&[u8], i64)]) -> LuaResult<Value> {
    let t = lua.new_table()?;
    for (name, v) in fields {
        lua.set_field(t, name, Value::Int(*v))?;
    }
    Ok(Value::Table(t))
}

/// `hdev = {bus, group, vendor, product, version, name}`.
///
/// # Safety
/// `hdev` is a device the hid core holds during this call.
unsafe fn device_table(lua: &mut Lua, hdev: *mut ffi::HidDevice) -> LuaResult<Value> {
    let (mut bus, mut group, mut vendor, mut product, mut version) = (0u16, 0u16, 0u32, 0u32, 0u32);
    let mut name: *const c_char = ptr::null();
    // SAFETY: the caller's guarantee; the shim only reads the device's fields.
    unsafe {
        ffi::lk_hid_device_info(
            hdev,
            &mut bus,
            &mut group,
            &mut vendor,
            &mut product,
            &mut version,
            &mut name,
        )
    };
    let t = int_table(
        lua,
        &[
            (b"bus", i64::from(bus)),
            (b"group", i64::from(group)),
            (b"vendor", i64::from(vendor)),
            (b"product", i64::from(product)),
            (b"version", i64::from(version)),
        ],
    )?;
    // SAFETY: `name` is the device's NUL-terminated name (128 bytes), valid during the call.
    let bytes = unsafe { c_str(name) };
    let s = lua.new_str(bytes)?;
    if let Value::Table(tt) = t {
        lua.set_field(tt, b"name", Value::Str(s))?;
    }
    Ok(t)
}

/// The bytes of a NUL-terminated string of at most 128 bytes.
///
/// # Safety
/// `p` is null or such a string.
unsafe fn c_str<'a>(p: *const c_char) -> &'a [u8] {
    if p.is_null() {
        return &[];
    }
    let mut len = 0;
    // SAFETY: the caller's guarantee: the NUL comes within 128 bytes.
    while len < 128 && unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` bytes were just read.
    unsafe { core::slice::from_raw_parts(p.cast::<u8>(), len) }
}

/// Calls `driver:<callback>(..., view)` with a data view of `len` bytes at `bytes` as the
/// last argument, emptied when the callback returns.
///
/// # Safety
/// The bytes are the kernel's for the whole call and reached by nothing else meanwhile.
unsafe fn call_with_view(
    hid: &Hid,
    lua: &mut Lua,
    callback: &str,
    args: &[Value],
    bytes: *mut u8,
    len: usize,
) -> Result<(), ()> {
    // SAFETY: the caller's guarantee; the view is cleared before we return.
    let view = unsafe { Data::view(bytes, len, None) };
    let Ok(value) = object::new(lua, view) else {
        return Err(());
    };
    let mut all = Vec::new();
    if all.try_reserve_exact(args.len() + 1).is_err() {
        return Err(());
    }
    for a in args {
        all.try_push(*a).map_err(|_| ())?;
    }
    all.try_push(value).map_err(|_| ())?;
    let result = hid.call(lua, callback, &all);
    if let Some(view) = object::of_type::<Data>(&value) {
        view.clear();
    }
    result
}

/// # Safety
/// `owner` is the `Hid` given to `lk_hid_new`, not yet freed.
unsafe fn hid_of<'a>(owner: *mut c_void) -> &'a Hid {
    // SAFETY: a registered driver's `Hid` lives until after `lk_hid_free`.
    unsafe { &*owner.cast::<Hid>().cast_const() }
}

/// `probe`: 0 to go on, `-ECANCELED` when the callback failed or the runtime is gone.
///
/// # Safety
/// `owner` as for [`hid_of`]; `hdev` is being probed.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_hid_probe(
    owner: *mut c_void,
    _hdev: *mut ffi::HidDevice,
    id: usize,
) -> c_int {
    // SAFETY: the caller's guarantee.
    let hid = unsafe { hid_of(owner) };
    let Some(id) = hid.ids.get(id).copied() else {
        return Error::ECANCELED.to_errno();
    };
    let accepted = hid.run(|lua| {
        let Ok(t) = int_table(
            lua,
            &[
                (b"bus", id.bus),
                (b"group", id.group),
                (b"vendor", id.vendor),
                (b"product", id.product),
                (b"driver_data", id.driver_data),
            ],
        ) else {
            return false;
        };
        hid.call(lua, "probe", &[t]).is_ok()
    });
    if accepted == Some(true) {
        0
    } else {
        Error::ECANCELED.to_errno()
    }
}

/// `report_fixup`: edits the report descriptor in place.
///
/// # Safety
/// `owner` as for [`hid_of`]; `buf` holds the device's `size`-byte descriptor.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_hid_report_fixup(
    owner: *mut c_void,
    hdev: *mut ffi::HidDevice,
    buf: *mut u8,
    size: c_uint,
) {
    // SAFETY: the caller's guarantee.
    let hid = unsafe { hid_of(owner) };
    hid.run(|lua| {
        // SAFETY: the core holds `hdev` during the call.
        let Ok(dev) = (unsafe { device_table(lua, hdev) }) else {
            return;
        };
        // SAFETY: the core hands us the descriptor for the length of this call.
        let _ = unsafe { call_with_view(hid, lua, "report_fixup", &[dev], buf, size as usize) };
    });
}

/// `raw_event`: 0 passes the (maybe edited) event on, -1 drops it.
///
/// # Safety
/// `owner` as for [`hid_of`]; `data` holds the event's `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_hid_raw_event(
    owner: *mut c_void,
    hdev: *mut ffi::HidDevice,
    id: c_uint,
    kind: c_int,
    bits: c_uint,
    application: c_uint,
    maxfield: c_uint,
    data: *mut u8,
    size: c_int,
) -> c_int {
    // SAFETY: the caller's guarantee.
    let hid = unsafe { hid_of(owner) };
    let Ok(len) = usize::try_from(size) else {
        return 0;
    };
    let passed = hid.run(|lua| {
        // SAFETY: the core holds `hdev` during the call.
        let Ok(dev) = (unsafe { device_table(lua, hdev) }) else {
            return true;
        };
        let Ok(report) = int_table(
            lua,
            &[
                (b"id", i64::from(id)),
                (b"type", i64::from(kind)),
                (b"size", i64::from(bits)),
                (b"application", i64::from(application)),
                (b"maxfield", i64::from(maxfield)),
            ],
        ) else {
            return true;
        };
        // SAFETY: the core hands us the event's bytes for the length of this call.
        unsafe { call_with_view(hid, lua, "raw_event", &[dev, report], data, len) }.is_ok()
    });
    if passed == Some(false) {
        -1
    } else {
        0
    }
}

/// The payload of a driver object: frees the driver when the state closes.
pub(crate) struct HidObject(Ref<Hid>);

impl Drop for HidObject {
    fn drop(&mut self) {
        crate::defer::drop_where_sleepable(Unregister(self.0.clone()));
    }
}

/// Unregisters its driver when dropped (in process context, through `defer`).
struct Unregister(Ref<Hid>);

impl Drop for Unregister {
    fn drop(&mut self) {
        self.0.free();
    }
}

static HID: Class = Class {
    name: "hid",
    methods: &[],
    metamethods: &[],
    atomic: true,
};

impl Object for HidObject {
    fn class(&self) -> &'static Class {
        &HID
    }

    /// Its driver table lives in its runtime's registry.
    fn is_single(&self) -> bool {
        true
    }
}

/// Opens the `hid` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"register", register)])
}

fn drivers_table(lua: &mut Lua) -> LuaResult<Gc<Table>> {
    crate::require::registry_table(lua, DRIVERS_KEY)
}

fn entry(lua: &mut Lua, handle: i64) -> LuaResult<Gc<Table>> {
    let drivers = drivers_table(lua)?;
    match lua.raw_get(drivers, &Value::Int(handle)) {
        Value::Table(t) => Ok(t),
        _ => Err(lua::Error::Memory),
    }
}

/// Integer field `name` of an id entry, `default` when absent.
fn id_field(cx: &mut Ctx<'_>, t: Gc<Table>, name: &str, default: i64) -> LuaResult<i64> {
    let v = cx.lua.get_field(t, name.as_bytes())?;
    if v.is_nil() {
        return Ok(default);
    }
    match lua::arith::to_integer(&v) {
        Some(n) => Ok(n),
        None => {
            let got = v.type_of().name();
            Err(cx.error(format_args!(
                "bad field '{}' (number expected, got {})",
                name, got
            )))
        }
    }
}

/// The entries of `id_table`.
fn ids(cx: &mut Ctx<'_>, table: Gc<Table>) -> LuaResult<Vec<Id>> {
    let n = table.length();
    let mut ids = Vec::new();
    ids.try_reserve_exact(usize::try_from(n).unwrap_or(usize::MAX))
        .map_err(|_| lua::Error::Memory)?;
    for i in 1..=n {
        let Value::Table(t) = cx.lua.raw_get(table, &Value::Int(i as i64)) else {
            return Err(cx.arg_error(1, format_args!("invalid id_table")));
        };
        let id = Id {
            bus: id_field(cx, t, "bus", BUS_ANY)?,
            group: id_field(cx, t, "group", GROUP_ANY)?,
            vendor: id_field(cx, t, "vendor", ANY_ID)?,
            product: id_field(cx, t, "product", ANY_ID)?,
            driver_data: id_field(cx, t, "driver_data", 0)?,
        };
        ids.try_push(id).map_err(|_| lua::Error::Memory)?;
    }
    Ok(ids)
}

/// `hid.register(driver)`.
fn register(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let driver = cx.check_table(1)?;
    let name = cx.lua.get_field(driver, b"name")?;
    let Value::Str(name) = name else {
        let got = name.type_of().name();
        return Err(cx.error(format_args!(
            "bad field 'name' (string expected, got {})",
            got
        )));
    };
    if name.as_bytes().len() > MAX_NAME_BYTES {
        return Err(cx.error(format_args!("'name' is too long")));
    }
    let id_table = cx.lua.get_field(driver, b"id_table")?;
    let Value::Table(id_table) = id_table else {
        let got = id_table.type_of().name();
        return Err(cx.error(format_args!(
            "bad field 'id_table' (table expected, got {})",
            got
        )));
    };
    let ids = ids(cx, id_table)?;
    // Checked before registering: a driver must never be left without its runtime.
    let Some(rt) = runtime::of(cx.lua).filter(|rt| rt.context() == Context::Softirq) else {
        return Err(cx.error(format_args!("runtime context mismatch")));
    };
    if context::cannot_sleep() {
        return Err(may_sleep_error(cx, "register"));
    }
    let mut has = [false; 3];
    for (i, callback) in [&b"probe"[..], b"report_fixup", b"raw_event"]
        .iter()
        .enumerate()
    {
        if let Some(slot) = has.get_mut(i) {
            *slot = cx.lua.get_field(driver, callback)?.is_function();
        }
    }
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    let nids = ids.len();
    let hid = Ref::try_new(Hid {
        runtime: rt,
        handle,
        ids,
        driver: AtomicPtr::new(ptr::null_mut()),
        probing: Lent::new(),
    })
    .map_err(|_| lua::Error::Memory)?;
    let owner = Ref::as_ptr(&hid).cast_mut().cast();
    let bytes = name.as_bytes();
    // SAFETY: the name is copied; `owner` is kept alive by the object until `lk_hid_free`.
    let raw = unsafe {
        ffi::lk_hid_new(
            owner,
            bytes.as_ptr(),
            bytes.len(),
            nids,
            has[0],
            has[1],
            has[2],
        )
    };
    if raw.is_null() {
        return Err(lua::Error::Memory);
    }
    hid.driver.store(raw, Ordering::Release);
    for (i, id) in hid.ids.iter().enumerate() {
        // SAFETY: `raw` is the driver just made, with room for `nids` ids.
        unsafe {
            ffi::lk_hid_set_id(
                raw,
                i,
                id.bus as u16,
                id.group as u16,
                id.vendor as u32,
                id.product as u32,
                id.driver_data as c_ulong,
            )
        };
    }
    let object = object::new(cx.lua, HidObject(hid.clone()))?;
    let entry = cx.lua.new_table()?;
    cx.lua.raw_set(entry, Value::Int(1), Value::Table(driver))?;
    cx.lua.raw_set(entry, Value::Int(2), object)?;
    let drivers = drivers_table(cx.lua)?;
    cx.lua
        .raw_set(drivers, Value::Int(handle), Value::Table(entry))?;
    // SAFETY: `raw` is live until `free`; devices present are probed inside this call.
    let err = hid
        .probing
        .during(cx.lua, || unsafe { ffi::lk_hid_register(raw) });
    if err != 0 {
        cx.lua.raw_set(drivers, Value::Int(handle), Value::Nil)?;
        return Err(cx.error(format_args!(
            "failed to register hid driver: {}",
            Bytes(bytes)
        )));
    }
    cx.ret1(object)
}
