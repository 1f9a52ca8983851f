//! The `skb` module: the packets netfilter hooks see (`require("skb")` is an empty table).
//!
//! ```lua
//! hook = function(skb)
//!     local ip = skb:data()                  -- a data view from the network header
//!     if ip:getuint8(9) == 17 then return 0 end -- drop UDP
//!     return 1, #skb                         -- accept, and mark with the length
//! end
//! ```
//! A hook's skb object is reused for every packet and valid only during the hook call;
//! then every method raises `skb is not set`, and its data view is empty. `skb:copy()`
//! makes an skb of its own, freed with the object; views of a copy keep it alive.

use core::ffi::c_int;
use core::ptr;

use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::error::Error;
use crate::ffi;
use crate::modules::data::Data;
use crate::object::{self, Monitor, Object};
use crate::refcount::Ref;

/// An skb object: the packet of the running hook call, or a copy it owns.
pub(crate) struct Skb {
    state: Monitor<State>,
}

struct State {
    /// Null outside the hook call (hook objects).
    skb: *mut ffi::SkBuff,
    /// A copy, freed with the object.
    owned: bool,
}

// SAFETY: skb objects are SINGLE: one runtime reaches them, under its lock.
unsafe impl Send for State {}

impl Object for Skb {
    fn class(&self) -> &'static Class {
        &SKB
    }

    fn is_single(&self) -> bool {
        true
    }
}

impl Drop for Skb {
    fn drop(&mut self) {
        let (skb, owned) = self.state.with(|s| (s.skb, s.owned));
        if owned && !skb.is_null() {
            // SAFETY: a copy is ours alone, and this is its last use.
            unsafe { ffi::lk_skb_free(skb) };
        }
    }
}

impl Skb {
    fn new(skb: *mut ffi::SkBuff, owned: bool) -> LuaResult<Ref<Skb>> {
        let state =
            Monitor::new(&SKB, true, State { skb, owned }).map_err(|_| lua::Error::Memory)?;
        Ref::try_new(Skb { state }).map_err(|_| lua::Error::Memory)
    }

    fn skb(&self) -> *mut ffi::SkBuff {
        self.state.with(|s| s.skb)
    }

    fn is_copy(&self) -> bool {
        self.state.with(|s| s.owned)
    }

    /// Sets the packet of a hook call.
    ///
    /// # Safety
    /// `skb` stays valid until [`Skb::detach`].
    pub(crate) unsafe fn attach(&self, skb: *mut ffi::SkBuff) {
        self.state.with(|s| s.skb = skb);
    }

    /// Ends the hook call: the object and its data view (`value`'s user value) let go.
    pub(crate) fn detach(&self, lua: &mut Lua, value: &Value) {
        self.state.with(|s| s.skb = ptr::null_mut());
        if let Some(view) = cached_view(lua, value) {
            view.clear();
        }
    }
}

/// The data view a hook's skb keeps (its first user value), if made.
fn cached_view(lua: &Lua, value: &Value) -> Option<Ref<Data>> {
    match value {
        Value::UserData(u) => object::of_type::<Data>(&lua.user_value(*u, 0)),
        _ => None,
    }
}

static SKB: Class = Class {
    name: "skb",
    methods: &[
        (b"ifindex", ifindex),
        (b"vlan", vlan),
        (b"data", data),
        (b"resize", resize),
        (b"checksum", checksum),
        (b"forward", forward),
        (b"copy", copy),
        (b"connmark", connmark),
    ],
    metamethods: &[(b"__len", len)],
    atomic: true,
};

/// Opens the `skb` module: skb objects come from hooks, so it has no functions.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[])
}

/// A hook's reusable skb object, with room for its data view.
///
/// # Errors
/// Out of memory.
pub(crate) fn new_hook_skb(lua: &mut Lua) -> LuaResult<Value> {
    let skb = Skb::new(ptr::null_mut(), false)?;
    object::push_with_values(lua, skb, 1)
}

/// The skb object of argument 1 and its packet.
///
/// # Errors
/// `skb is not set` outside its hook call.
fn this(cx: &mut Ctx<'_>) -> LuaResult<(Ref<Skb>, *mut ffi::SkBuff)> {
    let s = object::check::<Skb>(cx, 1, &SKB)?;
    let skb = s.skb();
    if skb.is_null() {
        return Err(cx.arg_error(1, format_args!("skb is not set")));
    }
    Ok((s, skb))
}

/// `#skb`: the packet's length, paged data included.
fn len(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    // SAFETY: `this` checked that the packet is set, so the kernel holds it.
    let n = unsafe { ffi::lk_skb_len(skb) };
    cx.ret1(Value::Int(i64::from(n)))
}

/// An index, or nil for the shim's -1.
fn index_or_nil(cx: &mut Ctx<'_>, n: c_int) -> LuaResult<Ret> {
    cx.ret1(if n < 0 {
        Value::Nil
    } else {
        Value::Int(i64::from(n))
    })
}

/// `skb:ifindex()`: the device's index, or nil.
fn ifindex(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    // SAFETY: as in `len`.
    let n = unsafe { ffi::lk_skb_ifindex(skb) };
    index_or_nil(cx, n)
}

/// `skb:vlan()`: the VLAN id, or nil.
fn vlan(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    // SAFETY: as in `len`.
    let n = unsafe { ffi::lk_skb_vlan(skb) };
    index_or_nil(cx, n)
}

/// The linear area of `skb` (linearized first) from the network (or, with `mac`, the MAC)
/// header, or the shim's errno.
fn linear_area(skb: *mut ffi::SkBuff, mac: bool) -> Result<(*mut u8, usize), c_int> {
    let (mut p, mut n) = (ptr::null_mut(), 0usize);
    // SAFETY: callers got `skb` from `this` (the kernel holds it); the out-pointers are ours.
    match unsafe { ffi::lk_skb_linear(skb, c_int::from(mac), &mut p, &mut n) } {
        0 => Ok((p, n)),
        e => Err(e),
    }
}

/// [`linear_area`], its errors as C Lunatik words them.
fn linear(cx: &mut Ctx<'_>, skb: *mut ffi::SkBuff, mac: bool) -> LuaResult<(*mut u8, usize)> {
    linear_area(skb, mac).map_err(|e| {
        if e == Error::EINVAL.to_errno() {
            cx.error(format_args!("MAC header not set"))
        } else {
            cx.error(format_args!("skb linearization failed"))
        }
    })
}

/// `skb:data([layer])`: a writable data view of the linear area, from the network
/// header (`"net"`, the default) or the MAC header (`"mac"`).
fn data(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (s, skb) = this(cx)?;
    let mac = cx.check_option(2, Some("net"), &["net", "mac"])? == 1;
    let (p, n) = linear(cx, skb, mac)?;
    let this_value = cx.arg(1);
    if s.is_copy() {
        let owner = Ref::into_object(s.clone());
        // SAFETY: the view keeps the copy, and so its buffer, alive; the copy is linear,
        // so nothing moves its data.
        let view = unsafe { Data::view(p, n, Some(owner)) };
        let v = object::new(cx.lua, view)?;
        return cx.ret1(v);
    }
    let Value::UserData(u) = this_value else {
        return Err(cx.arg_error(1, format_args!("invalid object")));
    };
    if let Some(view) = cached_view(cx.lua, &this_value) {
        // SAFETY: the hook's packet is held until `detach`, which clears the view.
        unsafe { view.reset(p, n) };
        let v = cx.lua.user_value(u, 0);
        return cx.ret1(v);
    }
    // SAFETY: as above.
    let view = unsafe { Data::view(p, n, None) };
    let v = object::new(cx.lua, view)?;
    cx.lua.set_user_value(u, 0, v);
    cx.ret1(v)
}

/// Points the hook's cached view at the linear area again (after it changed).
fn refresh_view(cx: &mut Ctx<'_>, skb: *mut ffi::SkBuff) {
    let this_value = cx.arg(1);
    if let Some(view) = cached_view(cx.lua, &this_value) {
        match linear_area(skb, false) {
            // SAFETY: as in `data`.
            Ok((p, n)) => unsafe { view.reset(p, n) },
            Err(_) => view.clear(),
        }
    }
}

/// `skb:resize(n)`: grows (within the tailroom) or trims the linear area.
fn resize(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    let n = cx.check_int(2)?;
    let Ok(n) = u32::try_from(n) else {
        return Err(cx.arg_error(2, format_args!("out of bounds")));
    };
    // SAFETY: as in `len`.
    let r = unsafe { ffi::lk_skb_resize(skb, n) };
    refresh_view(cx, skb);
    match r {
        0 => Ok(Ret::Values(0)),
        e if e == Error::ENOSPC.to_errno() => Err(cx.error(format_args!("insufficient tailroom"))),
        _ => Err(cx.error(format_args!("skb linearization failed"))),
    }
}

/// `skb:checksum()`: recomputes the IPv4 header and the TCP/UDP checksums.
fn checksum(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    // SAFETY: as in `len`.
    unsafe { ffi::lk_skb_checksum(skb) };
    refresh_view(cx, skb);
    Ok(Ret::Values(0))
}

/// `skb:forward()`: sends a clone back out of the device it came in on.
fn forward(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    // SAFETY: as in `len`.
    match unsafe { ffi::lk_skb_forward(skb) } {
        0 => Ok(Ret::Values(0)),
        e if e == Error::ENODEV.to_errno() => Err(cx.error(format_args!("skb has no device"))),
        e if e == Error::EINVAL.to_errno() => Err(cx.error(format_args!("MAC header not set"))),
        _ => Err(cx.error(format_args!("not enough memory"))),
    }
}

/// `skb:copy()`: an independent, linear copy.
fn copy(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    let mut err: c_int = 0;
    // SAFETY: as in `len`.
    let copy = unsafe { ffi::lk_skb_copy(skb, &mut err) };
    if copy.is_null() {
        return Err(if err == Error::EINVAL.to_errno() {
            cx.error(format_args!("FRAGLIST GSO skbs cannot be copied"))
        } else {
            cx.error(format_args!("not enough memory"))
        });
    }
    let s = match Skb::new(copy, true) {
        Ok(s) => s,
        Err(e) => {
            // SAFETY: the copy is ours and not yet in an object.
            unsafe { ffi::lk_skb_free(copy) };
            return Err(e);
        }
    };
    let v = object::push(cx.lua, s)?;
    cx.ret1(v)
}

/// `skb:connmark([mark])`: the conntrack mark (set first if given), nil without conntrack.
fn connmark(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (_, skb) = this(cx)?;
    let set = !cx.arg(2).is_nil();
    let mut mark = if set { cx.check_int(2)? as u32 } else { 0 };
    // SAFETY: as in `len`; `mark` is ours.
    match unsafe { ffi::lk_skb_connmark(skb, c_int::from(set), &mut mark) } {
        0 => cx.ret1(Value::Int(i64::from(mark))),
        e if e == Error::ENOENT.to_errno() => cx.ret1(Value::Nil),
        _ => Err(cx.error(format_args!(
            "conntrack marks are not supported by this kernel"
        ))),
    }
}
