//! The `device` module: character devices whose file operations are Lua functions.
//!
//! ```lua
//! local device = require("device")
//! local dev = device.new{name = "echo", mode = require("linux.stat").IRUGO, read = function(drv, len, off)
//!     return "hello\n", off + 6 end}
//! dev:stop() -- removes /dev/echo
//! ```
//! Handlers are called as `open(drv)`, `read(drv, len, off)` (returns a string and,
//! optionally, the new offset), `write(drv, buf, off)` (returns the count written and,
//! optionally, the new offset) and `release(drv)`, in the runtime that created the device,
//! under its lock. A device lives until `dev:stop()` or until its runtime stops, even if
//! the script drops the object; files still open then fail with `ENXIO`.
//!
//! Invariants: a device is in the device list while its node exists; the driver table and
//! the object are kept in the runtime's registry (`lunatik.devices`) until `dev:stop()`.

use core::ffi::{c_char, c_uint, c_void};
use core::ptr;
use core::sync::atomic::{AtomicI64, AtomicPtr, Ordering};

use rust_alloc::boxed::Box;
use rust_alloc::vec::Vec;

use lua::gc::Gc;
use lua::table::Table;
use lua::tvec::TryVec;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::alloc::try_box;
use crate::class::Class;
use crate::error::{to_result, Error, Result};
use crate::ffi;
use crate::modules::lunatik::{is_sleepable, may_sleep_error};
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{self, RunError, Runtime};
use crate::stack::Entry;
use crate::sync::SpinLockIrq;
use crate::user::{self, UserPtr};

/// Registry key of the table that keeps drivers and device objects alive.
const DEVICES_KEY: &[u8] = b"lunatik.devices";

/// The largest write(2) a device passes to its handler at once.
const MAX_WRITE_BYTES: usize = 1 << 20;

/// Default mode of a device node.
const DEFAULT_MODE: i64 = 0o600;

/// A device created by a script.
pub(crate) struct DeviceCore {
    runtime: Ref<Runtime>,
    /// Key of the driver table in the runtime's `lunatik.devices`.
    handle: i64,
    name: Vec<u8>,
    /// The C device; null once stopped.
    node: AtomicPtr<ffi::Device>,
    devt: u32,
}

impl DeviceCore {
    fn is_stopped(&self) -> bool {
        self.node.load(Ordering::Acquire).is_null()
    }

    /// Removes the node. Process context.
    fn stop(&self) {
        let node = self.node.swap(ptr::null_mut(), Ordering::AcqRel);
        if node.is_null() {
            return;
        }
        list_remove(self);
        // SAFETY: `node` came from `lk_device_create`; the swap makes this the only destroy.
        unsafe { ffi::lk_device_destroy(node) };
    }

    /// The driver table and its handler `name` (nil if absent).
    fn handler(&self, lua: &mut Lua, name: &[u8]) -> Result<(Value, Value)> {
        let devices = devices_table(lua).map_err(|_| Error::ENOMEM)?;
        let driver = lua.raw_get(devices, &Value::Int(self.handle));
        let Value::Table(t) = driver else {
            return Err(Error::ENXIO);
        };
        let f = lua.get_field(t, name).map_err(|_| Error::ENOMEM)?;
        Ok((driver, f))
    }

    /// Logs a handler's failure.
    fn log(&self, lua: &Lua, what: &str, e: &lua::Error) {
        let message = lua.error_message(e);
        self.runtime.info().stats.error(&message);
        pr_script_err!("{}: {}: {}", Bytes(&self.name), what, Bytes(&message));
    }

    /// Runs `f` in the device's runtime for a file operation.
    fn run<R>(&self, f: impl FnOnce(&mut Lua) -> Result<R>) -> Result<R> {
        if self.is_stopped() {
            return Err(Error::ENXIO);
        }
        match self.runtime.run(Entry::Device, f) {
            Ok(result) => result,
            Err(RunError::Stopped) => Err(Error::ENXIO),
            Err(e) => Err(e.errno()),
        }
    }
}

impl Drop for DeviceCore {
    fn drop(&mut self) {
        let node = self.node.swap(ptr::null_mut(), Ordering::AcqRel);
        if !node.is_null() {
            list_remove(self);
            crate::defer::drop_where_sleepable(NodeDestroyer(node));
        }
    }
}

/// Destroys a node when dropped (in process context, through `defer`).
struct NodeDestroyer(*mut ffi::Device);

impl Drop for NodeDestroyer {
    fn drop(&mut self) {
        // SAFETY: taken out of its `DeviceCore`, so this is the only destroy.
        unsafe { ffi::lk_device_destroy(self.0) };
    }
}

/// Payload of a device object: stops the device when the object is freed (its runtime
/// stopped, or the object was collected after `dev:stop()`).
pub(crate) struct DeviceObject(Ref<DeviceCore>);

impl Drop for DeviceObject {
    fn drop(&mut self) {
        crate::defer::drop_where_sleepable(Stopper(self.0.clone()));
    }
}

struct Stopper(Ref<DeviceCore>);

impl Drop for Stopper {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The class of device objects.
static DEVICE: Class = Class {
    name: "device",
    methods: &[(b"stop", stop)],
    metamethods: &[],
    atomic: false,
};

impl Object for DeviceObject {
    fn class(&self) -> &'static Class {
        &DEVICE
    }

    /// The device's callbacks live in its runtime's registry.
    fn is_single(&self) -> bool {
        true
    }
}

/// Opens the `device` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    let m = lua.new_table()?;
    lua.set_field(m, b"new", Value::NativeFn(new))?;
    Ok(Value::Table(m))
}

fn devices_table(lua: &mut Lua) -> LuaResult<Gc<Table>> {
    crate::require::registry_table(lua, DEVICES_KEY)
}

static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

/// `device.new(driver)`: creates `/dev/<driver.name>`.
fn new(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let driver = cx.check_table(1)?;
    let name = match cx.lua.get_field(driver, b"name")? {
        Value::Str(s) => lua::tvec::try_copy_of(s.as_bytes())?,
        _ => return Err(cx.arg_error(1, format_args!("field 'name' must be a string"))),
    };
    if name.is_empty()
        || name.len() > runtime::MAX_NAME_BYTES
        || name.contains(&b'/')
        || name.contains(&0)
        || name == b"."
        || name == b".."
    {
        return Err(cx.arg_error(1, format_args!("invalid device name")));
    }
    let mode = match cx.lua.get_field(driver, b"mode")? {
        Value::Nil => DEFAULT_MODE,
        Value::Int(m) if (0..=0o7777).contains(&m) => m,
        _ => return Err(cx.arg_error(1, format_args!("field 'mode' must be a file mode"))),
    };
    for handler in ["open", "read", "write", "release"] {
        let f = cx.lua.get_field(driver, handler.as_bytes())?;
        if !f.is_nil() && !f.is_function() {
            return Err(cx.arg_error(1, format_args!("field '{}' must be a function", handler)));
        }
    }
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "new"));
    }
    let Some(rt) = runtime::of(cx.lua) else {
        return Err(cx.error(format_args!("device.new needs a runtime")));
    };
    let core = match create(rt, &name, mode as c_uint) {
        Ok(core) => core,
        Err(e) => return Err(crate::modules::linux::raise(cx, e)),
    };
    let handle = core.handle;
    // From here the object owns the device: an error below frees it, which stops it.
    let object = object::new(cx.lua, DeviceObject(core))?;
    cx.push(object)?;
    let devices = devices_table(cx.lua)?;
    cx.lua
        .raw_set(devices, Value::Int(handle), Value::Table(driver))?;
    cx.lua.raw_set(devices, object, Value::Bool(true))?;
    Ok(Ret::Values(1))
}

/// Creates the node and lists the device.
fn create(rt: Ref<Runtime>, name: &[u8], mode: c_uint) -> Result<Ref<DeviceCore>> {
    if list_has_name(name) {
        return Err(Error::EEXIST);
    }
    let c_name = crate::file::c_string(name)?;
    let mut node: *mut ffi::Device = ptr::null_mut();
    let mut devt: c_uint = 0;
    // SAFETY: `c_name` is NUL-terminated; `node` and `devt` are writable.
    to_result(unsafe {
        ffi::lk_device_create(c_name.as_ptr().cast::<c_char>(), mode, &mut node, &mut devt)
    })?;
    let core = Ref::try_new(DeviceCore {
        runtime: rt,
        handle: NEXT_HANDLE.fetch_add(1, Ordering::Relaxed),
        name: lua::tvec::try_copy_of(name).unwrap_or_default(),
        node: AtomicPtr::new(node),
        devt,
    });
    let core = match core {
        Ok(core) => core,
        Err(e) => {
            // SAFETY: created above and not published.
            unsafe { ffi::lk_device_destroy(node) };
            return Err(e);
        }
    };
    list_add(&core)?;
    Ok(core)
}

/// The device of argument 1.
fn check_device(cx: &mut Ctx<'_>) -> LuaResult<Ref<DeviceCore>> {
    Ok(object::check::<DeviceObject>(cx, 1, &DEVICE)?.0.clone())
}

/// `dev:stop()`: removes the device node; files still open fail with `ENXIO`.
fn stop(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let core = check_device(cx)?;
    if !is_sleepable(cx) {
        return Err(may_sleep_error(cx, "stop"));
    }
    core.stop();
    let object = cx.arg(1);
    let devices = devices_table(cx.lua)?;
    cx.lua
        .raw_set(devices, Value::Int(core.handle), Value::Nil)?;
    cx.lua.raw_set(devices, object, Value::Nil)?;
    Ok(Ret::Values(0))
}

/// Live devices by device number (see the module invariants).
type List = SpinLockIrq<Vec<(u32, usize)>>;

static LIST: AtomicPtr<List> = AtomicPtr::new(ptr::null_mut());

fn list() -> Option<&'static List> {
    let list = LIST.load(Ordering::Acquire);
    // SAFETY: the list lives from `init` to `exit`; devices exist only in between.
    (!list.is_null()).then(|| unsafe { &*list })
}

fn list_add(core: &Ref<DeviceCore>) -> Result {
    let list = list().ok_or(Error::ENODEV)?;
    list.lock()
        .try_push((core.devt, Ref::as_ptr(core) as usize))?;
    Ok(())
}

fn list_remove(core: &DeviceCore) {
    let Some(list) = list() else { return };
    let me = ptr::from_ref(core) as usize;
    let mut list = list.lock();
    if let Some(i) = list.iter().position(|&(_, p)| p == me) {
        list.swap_remove(i);
    }
}

fn list_has_name(name: &[u8]) -> bool {
    let Some(list) = list() else { return false };
    let list = list.lock();
    // SAFETY: a listed device is not freed before it leaves the list, under this lock.
    list.iter()
        .any(|&(_, p)| unsafe { &*(p as *const DeviceCore) }.name == name)
}

fn lookup(devt: u32) -> Option<Ref<DeviceCore>> {
    let list = list()?;
    let list = list.lock();
    let &(_, p) = list.iter().find(|&&(d, _)| d == devt)?;
    // SAFETY: as in `list_has_name`; a device whose last reference is going away is skipped.
    unsafe { Ref::upgrade_raw(p as *const DeviceCore) }
}

/// Creates the device class and the list. Module load.
///
/// # Errors
/// `ENOMEM`, or what `class_create` reports.
pub(crate) fn init() -> Result {
    let list = try_box(SpinLockIrq::new(Vec::new())?)?;
    // SAFETY: called once at load.
    to_result(unsafe { ffi::lk_device_class_create() })?;
    LIST.store(Box::into_raw(list), Ordering::Release);
    Ok(())
}

/// Frees the list and the class. Module exit, after every runtime stopped.
pub(crate) fn exit() {
    let list = LIST.swap(ptr::null_mut(), Ordering::AcqRel);
    if !list.is_null() {
        // SAFETY: from `Box::into_raw` in `init`, taken back once.
        drop(unsafe { Box::from_raw(list) });
        // SAFETY: every device was destroyed with its runtime.
        unsafe { ffi::lk_device_class_destroy() };
    }
}

/// A file open on a device.
struct OpenDevice {
    core: Ref<DeviceCore>,
}

/// `open` of a device: calls the `open` handler.
///
/// # Safety
/// `file` is writable.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_device_open(devt: c_uint, file: *mut *mut c_void) -> i32 {
    let Some(core) = lookup(devt) else {
        return Error::ENXIO.to_errno();
    };
    let opened = core.run(|lua| {
        let (driver, f) = core.handler(lua, b"open")?;
        if f.is_nil() {
            return Ok(());
        }
        lua.call(f, &[driver]).map(drop).map_err(|e| {
            core.log(lua, "open", &e);
            Error::EIO
        })
    });
    if let Err(e) = opened {
        return e.to_errno();
    }
    match try_box(OpenDevice { core }) {
        Ok(state) => {
            // SAFETY: `file` is writable by the contract; release takes the box back.
            unsafe { *file = Box::into_raw(state).cast() };
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// `release` of a device: calls the `release` handler, frees the file's state.
///
/// # Safety
/// `file` came from `lunatik_rs_device_open` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_device_release(file: *mut c_void) {
    // SAFETY: the box leaked by `lunatik_rs_device_open`, taken back once.
    let state = unsafe { Box::from_raw(file.cast::<OpenDevice>()) };
    let core = &state.core;
    let _ = core.run(|lua| {
        let (driver, f) = core.handler(lua, b"release")?;
        if !f.is_nil() {
            if let Err(e) = lua.call(f, &[driver]) {
                core.log(lua, "release", &e);
            }
        }
        Ok(())
    });
    drop(state);
}

/// `read` of a device.
///
/// # Safety
/// `file` is an open file's state; `buf` a user address; `pos` writable.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_device_read(
    file: *mut c_void,
    buf: *mut c_void,
    len: usize,
    pos: *mut i64,
) -> isize {
    // SAFETY: the file is open, so its state is live; it is only shared.
    let state = unsafe { &*file.cast::<OpenDevice>() };
    // SAFETY: `pos` is the file position, writable by the contract.
    let offset = unsafe { &mut *pos };
    flatten(read(&state.core, UserPtr::new(buf), len, offset))
}

/// `write` of a device.
///
/// # Safety
/// As for `lunatik_rs_device_read`.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_device_write(
    file: *mut c_void,
    buf: *const c_void,
    len: usize,
    pos: *mut i64,
) -> isize {
    // SAFETY: as in `lunatik_rs_device_read`.
    let state = unsafe { &*file.cast::<OpenDevice>() };
    // SAFETY: as in `lunatik_rs_device_read`.
    let offset = unsafe { &mut *pos };
    flatten(write(
        &state.core,
        UserPtr::new(buf.cast_mut()),
        len,
        offset,
    ))
}

fn flatten(result: Result<usize>) -> isize {
    match result {
        Ok(n) => isize::try_from(n).unwrap_or(isize::MAX),
        Err(e) => e.to_errno() as isize,
    }
}

/// An integer result, or `default` for nil.
fn int_or(v: Option<&Value>, default: i64) -> Option<i64> {
    match v {
        None | Some(Value::Nil) => Some(default),
        Some(Value::Int(i)) => Some(*i),
        Some(Value::Float(f)) if *f == (*f as i64) as f64 => Some(*f as i64),
        _ => None,
    }
}

fn read(core: &DeviceCore, dst: UserPtr, len: usize, offset: &mut i64) -> Result<usize> {
    let len = len.min(i64::MAX as usize);
    let (bytes, new_offset) = core.run(|lua| {
        let (driver, f) = core.handler(lua, b"read")?;
        if f.is_nil() {
            return Err(Error::EPERM);
        }
        let results = lua
            .call(f, &[driver, Value::Int(len as i64), Value::Int(*offset)])
            .map_err(|e| {
                core.log(lua, "read", &e);
                Error::EIO
            })?;
        let bytes = match results.first() {
            None | Some(Value::Nil) => Vec::new(),
            Some(Value::Str(s)) => {
                let s = s.as_bytes();
                lua::tvec::try_copy_of(s.get(..len.min(s.len())).unwrap_or(s))?
            }
            Some(other) => {
                pr_script_err!(
                    "{}: read: handler returned a {}",
                    Bytes(&core.name),
                    other.type_of().name()
                );
                return Err(Error::EIO);
            }
        };
        let default = offset.saturating_add(bytes.len() as i64);
        let Some(new_offset) = int_or(results.get(1), default) else {
            pr_script_err!("{}: read: offset is not an integer", Bytes(&core.name));
            return Err(Error::EIO);
        };
        Ok((bytes, new_offset))
    })?;
    user::write_all(dst, &bytes)?;
    *offset = new_offset;
    Ok(bytes.len())
}

fn write(core: &DeviceCore, src: UserPtr, len: usize, offset: &mut i64) -> Result<usize> {
    let len = len.min(MAX_WRITE_BYTES);
    let bytes = user::read_all(src, len)?;
    let (count, new_offset) = core.run(|lua| {
        let (driver, f) = core.handler(lua, b"write")?;
        if f.is_nil() {
            return Err(Error::EPERM);
        }
        let buf = lua.str_value(&bytes).map_err(|_| Error::ENOMEM)?;
        let results = lua
            .call(f, &[driver, buf, Value::Int(*offset)])
            .map_err(|e| {
                core.log(lua, "write", &e);
                Error::EIO
            })?;
        let Some(count) = int_or(results.first(), len as i64) else {
            pr_script_err!("{}: write: count is not an integer", Bytes(&core.name));
            return Err(Error::EIO);
        };
        let count = count.clamp(0, len as i64);
        let Some(new_offset) = int_or(results.get(1), offset.saturating_add(count)) else {
            pr_script_err!("{}: write: offset is not an integer", Bytes(&core.name));
            return Err(Error::EIO);
        };
        Ok((count as usize, new_offset))
    })?;
    *offset = new_offset;
    Ok(count)
}
