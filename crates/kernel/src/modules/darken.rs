//! `darken.run(ct, iv, key)`: decrypts an AES-256-CTR ciphertext in kernel memory and runs
//! the plaintext as a Lua text chunk (`=darken`) in the calling runtime, returning its
//! results. The plaintext never becomes a Lua string, and its buffer is wiped once
//! compiled. `lighten` (lua/lighten.lua) wraps it for scripts made by `lunatik shade`.

use lua::load::Mode;
use lua::{Ctx, Lua, LuaResult, Ret, Value};

use crate::context;
use crate::error::Error;

const IV_BYTES: usize = 16;
const KEY_BYTES: usize = 32;

/// Opens the `darken` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, &[(b"run", run)])
}

fn run(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let ct = cx.check_str(1)?;
    let iv = cx.check_str(2)?;
    if iv.len() != IV_BYTES {
        return Err(cx.arg_error(2, format_args!("IV must be {IV_BYTES} bytes")));
    }
    let key = cx.check_str(3)?;
    if key.len() != KEY_BYTES {
        return Err(cx.arg_error(3, format_args!("key must be {KEY_BYTES} bytes")));
    }
    // Allocating the transform sleeps (C Lunatik does not check, and may sleep in atomic
    // context); an atomic runtime's body already runs under its spin lock.
    if context::cannot_sleep() {
        return Err(cx.error(format_args!(
            "'darken.run' may sleep: call it from a process runtime"
        )));
    }
    let mut plain = match crate::modules::crypto::decrypt_once(
        b"ctr(aes)\0",
        key.as_bytes(),
        iv.as_bytes(),
        ct.as_bytes(),
    ) {
        Ok(p) => p,
        Err(Error::ENOMEM) => return Err(lua::Error::Memory),
        Err(e) => return Err(crate::modules::linux::raise(cx, e)),
    };
    let chunk = cx.lua.load(&plain, b"=darken", Mode::Text, None);
    wipe(&mut plain);
    let f = chunk?;
    cx.set_top(0)?;
    cx.push(f)?;
    Ok(Ret::TailCall { nargs: 0 })
}

/// Overwrites `bytes` with zeros in a way the compiler keeps.
fn wipe(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, exclusive reference.
        unsafe { core::ptr::write_volatile(b, 0) };
    }
}
