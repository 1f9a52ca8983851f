//! The C API for other modules (`include/lunatik.h`; C wrappers in `kmod/shim_capi.c`).

use core::ffi::{c_char, c_int, c_longlong, c_void};

use rust_alloc::vec::Vec;

use lua::tvec::TryVec;
use lua::Value;

use crate::error::Error;
use crate::print::Bytes;
use crate::refcount::Ref;
use crate::runtime::{Context, Runtime};
use crate::stack::Entry;

/// `struct lunatik_arg` of `include/lunatik.h`.
#[repr(C)]
pub struct LunatikArg {
    kind: c_int,
    integer: c_longlong,
    string: *const c_char,
    len: usize,
}

const ARG_INTEGER: c_int = 0;
const ARG_STRING: c_int = 1;

/// `lunatik_runtime_create`.
///
/// # Safety
/// `script` is valid for `len` bytes; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_capi_create(
    script: *const c_char,
    len: usize,
    context: c_int,
    out: *mut *mut c_void,
) -> c_int {
    let context = match context {
        0 => Context::Process,
        1 => Context::Softirq,
        2 => Context::Hardirq,
        _ => return Error::EINVAL.to_errno(),
    };
    // SAFETY: valid for `len` bytes by the contract.
    let script = unsafe { core::slice::from_raw_parts(script.cast::<u8>(), len) };
    if !crate::runtime::is_valid_name(script) {
        return Error::EINVAL.to_errno();
    }
    match Runtime::spawn(script, context) {
        Ok(rt) => {
            // SAFETY: `out` is writable; `lunatik_rs_capi_stop` takes the reference back.
            unsafe { *out = Ref::into_raw(rt).cast_mut().cast() };
            0
        }
        Err(message) => {
            pr_err!("{}: {}", Bytes(script), Bytes(&message));
            Error::ENOEXEC.to_errno()
        }
    }
}

/// `lunatik_runtime_call`.
///
/// # Safety
/// `runtime` came from `lunatik_rs_capi_create` and was not stopped; `func` is valid for
/// `len` bytes; `args` for `nargs` elements whose strings are valid for their lengths;
/// `result` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_capi_call(
    runtime: *mut c_void,
    func: *const c_char,
    len: usize,
    args: *const LunatikArg,
    nargs: usize,
    result: *mut c_longlong,
) -> c_int {
    // SAFETY: the caller's reference keeps the runtime alive during the call.
    let rt = unsafe { &*runtime.cast::<Runtime>().cast_const() };
    // SAFETY: valid for `len` bytes by the contract.
    let name = unsafe { core::slice::from_raw_parts(func.cast::<u8>(), len) };
    let args = if nargs == 0 {
        &[][..]
    } else {
        // SAFETY: valid for `nargs` elements by the contract.
        unsafe { core::slice::from_raw_parts(args, nargs) }
    };
    let outcome = rt.run(Entry::here(), |lua| -> Result<Option<i64>, Error> {
        let f = lua.get_global(name).map_err(|_| Error::ENOMEM)?;
        if !f.is_function() {
            return Err(Error::ENOENT);
        }
        let mut values = Vec::new();
        values.try_reserve_exact(args.len())?;
        for arg in args {
            let v = match arg.kind {
                ARG_INTEGER => Value::Int(arg.integer),
                ARG_STRING => {
                    let bytes = if arg.len == 0 {
                        &[][..]
                    } else {
                        // SAFETY: valid for `len` bytes by the contract.
                        unsafe { core::slice::from_raw_parts(arg.string.cast::<u8>(), arg.len) }
                    };
                    lua.str_value(bytes).map_err(|_| Error::ENOMEM)?
                }
                _ => return Err(Error::EINVAL),
            };
            values.try_push(v)?;
        }
        match lua.call_traceback(f, &values) {
            Ok(results) => Ok(match results.first() {
                Some(Value::Int(i)) => Some(*i),
                _ => None,
            }),
            Err(message) => {
                rt.info().stats.error(&message);
                pr_script_err!(
                    "{}: {}: {}",
                    Bytes(rt.info().name()),
                    Bytes(name),
                    Bytes(&message)
                );
                Err(Error::ECANCELED)
            }
        }
    });
    match outcome {
        Ok(Ok(value)) => {
            if let (Some(v), false) = (value, result.is_null()) {
                // SAFETY: non-null, so writable by the contract.
                unsafe { *result = v };
            }
            0
        }
        Ok(Err(e)) => e.to_errno(),
        Err(e) => e.errno().to_errno(),
    }
}

/// `lunatik_runtime_stop`.
///
/// # Safety
/// `runtime` came from `lunatik_rs_capi_create` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn lunatik_rs_capi_stop(runtime: *mut c_void) {
    // SAFETY: the reference given out by `lunatik_rs_capi_create`, taken back once.
    let rt = unsafe { Ref::from_raw(runtime.cast::<Runtime>().cast_const()) };
    let _ = rt.stop();
    drop(rt);
}
