//! The `netfilter` module: netfilter hooks whose verdicts are Lua functions.
//!
//! ```lua
//! local netfilter, nf = require("netfilter"), require("linux.nf")
//! netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
//!     priority = nf.ip.pri.FILTER, hook = function(skb) return nf.action.ACCEPT end}
//! ```
//! Hooks are registered in `init_net` from the script body of a softirq runtime and stay
//! until the runtime stops. Each packet whose mark equals the hook's `mark` calls
//! `hook(skb)` under the runtime's lock; `skb` (skb.rs) is one reusable object per hook,
//! valid only during the call. The verdict: an integer 0..5 is taken as is; any other
//! integer accepts; anything that is no integer (nothing, nil, false) drops; an error, a
//! missing `hook`, a stopped or busy runtime accept. A second result sets the mark.
//!
//! Invariants: the hook function, its skb object and the hook object are kept in the
//! runtime's registry (`lunatik.netfilter`) until the state closes; the kernel's hook is
//! unregistered, in process context, before the last reference to [`Hook`] goes, and the
//! C side never outlives it.

use core::ffi::{c_int, c_uint, c_void};
use core::ptr;
use core::sync::atomic::{AtomicI64, AtomicPtr, Ordering};

use lua::gc::Gc;
use lua::table::Table;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::class::Class;
use crate::context;
use crate::ffi;
use crate::modules::skb::Skb;
use crate::object::{self, Object};
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{self, Context, Runtime};
use crate::stack::Entry;

/// Registry key of the table of hooks: handle → `{hook, skb, object}`.
const HOOKS_KEY: &[u8] = b"lunatik.netfilter";

/// `NF_DROP` and `NF_ACCEPT`; verdicts up to `NF_STOP` (5) are passed through.
const NF_DROP: c_uint = 0;
const NF_ACCEPT: c_uint = 1;
const NF_MAX_VERDICT: i64 = 5;

static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

/// A registered hook.
pub(crate) struct Hook {
    runtime: Ref<Runtime>,
    /// Key of its entry in the runtime's `lunatik.netfilter`.
    handle: i64,
    /// The kernel's hook; null once unregistered.
    ops: AtomicPtr<ffi::NfHook>,
}

impl Hook {
    /// Unregisters the kernel's hook; returns once no call of it runs. Process context.
    fn unregister(&self) {
        let ops = self.ops.swap(ptr::null_mut(), Ordering::AcqRel);
        if !ops.is_null() {
            // SAFETY: `ops` came from `lk_nf_register`; the swap makes this the only call.
            unsafe { ffi::lk_nf_unregister(ops) };
        }
    }

    /// Runs the hook's function on `skb` (in its runtime, under the lock).
    fn call(&self, lua: &mut Lua, skb: *mut ffi::SkBuff) -> c_uint {
        let Ok(entry) = entry(lua, self.handle) else {
            return NF_ACCEPT;
        };
        let f = lua.raw_get(entry, &Value::Int(1));
        let skb_value = lua.raw_get(entry, &Value::Int(2));
        let Some(object) = object::of_type::<Skb>(&skb_value) else {
            return NF_ACCEPT;
        };
        if !f.is_function() {
            pr_script_err!("{}: netfilter: operation not defined", self.name());
            return NF_ACCEPT;
        }
        // SAFETY: the kernel holds `skb` for the whole hook call, and `detach` below ends
        // the object's use of it before we return.
        unsafe { object.attach(skb) };
        let results = lua.call_traceback(f, &[skb_value]);
        object.detach(lua, &skb_value);
        match results {
            Ok(results) => {
                let mut values = results.iter();
                let verdict = verdict(values.next().unwrap_or(&Value::Nil));
                if let Some(mark) = values.next().filter(|v| !v.is_nil()) {
                    if let Some(mark) = lua::arith::to_integer(mark) {
                        // SAFETY: the kernel holds `skb` during the hook call.
                        unsafe { ffi::lk_skb_set_mark(skb, mark as u32) };
                    }
                }
                verdict
            }
            Err(message) => {
                self.runtime.info().stats.error(&message);
                pr_script_err!("{}: netfilter: {}", self.name(), Bytes(&message));
                NF_ACCEPT
            }
        }
    }

    fn name(&self) -> Bytes<'_> {
        Bytes(self.runtime.info().name())
    }
}

/// The verdict a hook's first result stands for.
fn verdict(v: &Value) -> c_uint {
    match lua::arith::to_integer(v) {
        None => NF_DROP,
        Some(n @ 0..=NF_MAX_VERDICT) => n as c_uint,
        Some(_) => NF_ACCEPT,
    }
}

/// Called by the C hook for each packet of the hook's mark.
///
/// # Safety
/// `owner` is the `Hook` given to `lk_nf_register`, not yet unregistered; `skb` is the
/// packet the kernel holds during this call.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_nf_hook(owner: *mut c_void, skb: *mut ffi::SkBuff) -> c_uint {
    // SAFETY: a registered hook's `Hook` lives until after its unregistration.
    let hook = unsafe { &*owner.cast::<Hook>().cast_const() };
    hook.runtime.info().stats.packet();
    // Busy (the packet came from the runtime itself), stopped or out of stack: accept.
    hook.runtime
        .run(Entry::here(), |lua| hook.call(lua, skb))
        .unwrap_or(NF_ACCEPT)
}

/// The payload of a hook object: unregisters the hook when the state closes.
pub(crate) struct NetfilterObject(Ref<Hook>);

impl Drop for NetfilterObject {
    fn drop(&mut self) {
        crate::defer::drop_where_sleepable(Unregister(self.0.clone()));
    }
}

/// Unregisters its hook when dropped (in process context, through `defer`).
struct Unregister(Ref<Hook>);

impl Drop for Unregister {
    fn drop(&mut self) {
        self.0.unregister();
    }
}

static NETFILTER: Class = Class {
    name: "netfilter",
    methods: &[],
    metamethods: &[],
    atomic: true,
};

impl Object for NetfilterObject {
    fn class(&self) -> &'static Class {
        &NETFILTER
    }

    /// Its function and skb live in its runtime's registry.
    fn is_single(&self) -> bool {
        true
    }
}

/// Opens the `netfilter` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"register", register)])
}

fn hooks_table(lua: &mut Lua) -> LuaResult<Gc<Table>> {
    crate::require::registry_table(lua, HOOKS_KEY)
}

fn entry(lua: &mut Lua, handle: i64) -> LuaResult<Gc<Table>> {
    let hooks = hooks_table(lua)?;
    match lua.raw_get(hooks, &Value::Int(handle)) {
        Value::Table(t) => Ok(t),
        _ => Err(lua::Error::Memory),
    }
}

/// Integer field `name` of `ops`.
///
/// # Errors
/// `bad field '<name>' (number expected, got <type>)`.
fn int_field(cx: &mut Ctx<'_>, ops: Gc<Table>, name: &str, default: Option<i64>) -> LuaResult<i64> {
    let v = cx.lua.get_field(ops, name.as_bytes())?;
    match (&v, default) {
        (Value::Nil, Some(d)) => Ok(d),
        (Value::Int(_) | Value::Float(_), _) => match lua::arith::to_integer(&v) {
            Some(n) => Ok(n),
            None => Err(cx.error(format_args!(
                "bad field '{}' (number has no integer representation)",
                name
            ))),
        },
        _ => {
            let got = v.type_of().name();
            Err(cx.error(format_args!(
                "bad field '{}' (number expected, got {})",
                name, got
            )))
        }
    }
}

/// `netfilter.register{hook =, pf =, hooknum =, priority =, mark = 0}`.
fn register(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let ops = cx.check_table(1)?;
    let pf = int_field(cx, ops, "pf", None)?;
    let hooknum = int_field(cx, ops, "hooknum", None)?;
    let priority = int_field(cx, ops, "priority", None)?;
    let mark = int_field(cx, ops, "mark", Some(0))?;
    // Checked before registering: a hook must never be left without its runtime.
    if runtime::context_of(cx.lua) != Context::Softirq {
        return Err(cx.error(format_args!("runtime context mismatch")));
    }
    if context::cannot_sleep() {
        return Err(cx.error(format_args!(
            "register may sleep: call it from the script body"
        )));
    }
    let (Ok(pf), Ok(hooknum), Ok(priority)) = (
        c_int::try_from(pf),
        c_int::try_from(hooknum),
        c_int::try_from(priority),
    ) else {
        return Err(cx.error(format_args!("failed to register netfilter hook")));
    };
    let Some(rt) = runtime::of(cx.lua) else {
        return Err(cx.error(format_args!("runtime context mismatch")));
    };
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    let hook = Ref::try_new(Hook {
        runtime: rt,
        handle,
        ops: AtomicPtr::new(ptr::null_mut()),
    })
    .map_err(|_| lua::Error::Memory)?;
    let f = cx.lua.get_field(ops, b"hook")?;
    let skb = crate::modules::skb::new_hook_skb(cx.lua)?;
    let object = object::new(cx.lua, NetfilterObject(hook.clone()))?;
    let entry = cx.lua.new_table()?;
    cx.lua.raw_set(entry, Value::Int(1), f)?;
    cx.lua.raw_set(entry, Value::Int(2), skb)?;
    cx.lua.raw_set(entry, Value::Int(3), object)?;
    let hooks = hooks_table(cx.lua)?;
    cx.lua
        .raw_set(hooks, Value::Int(handle), Value::Table(entry))?;
    let mut err: c_int = 0;
    // SAFETY: `hook` is kept alive by the object until after `lk_nf_unregister`; the
    // C side only hands it back to `lunatik_rs_nf_hook`.
    let ops = unsafe {
        ffi::lk_nf_register(
            pf,
            hooknum,
            priority,
            mark as u32,
            Ref::as_ptr(&hook).cast_mut().cast(),
            &mut err,
        )
    };
    if ops.is_null() {
        cx.lua.raw_set(hooks, Value::Int(handle), Value::Nil)?;
        return Err(cx.error(format_args!("failed to register netfilter hook")));
    }
    hook.ops.store(ops, Ordering::Release);
    cx.ret1(object)
}
