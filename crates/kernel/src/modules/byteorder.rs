//! The `byteorder` module: conversions between the CPU's byte order and big or little
//! endian, for 16-, 32- and 64-bit integers (truncated to the width; 64-bit results are
//! signed).
//!
//! ```lua
//! local byteorder = require("byteorder")
//! byteorder.hton16(0x1234) -- 0x3412 on a little-endian CPU
//! ```

use lua::{Ctx, Lua, LuaResult, NativeFn, Ret, Value};

/// Declares `$name(x)`: `x` truncated to `$t`, converted by `$conv`.
macro_rules! conversions {
    ($($name:ident: $t:ty, $conv:ident;)*) => {
        $(
            fn $name(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
                let x = cx.check_int(1)? as $t;
                cx.ret1(Value::Int(<$t>::$conv(x) as i64))
            }
        )*
    };
}

conversions! {
    hton16: u16, to_be;
    hton32: u32, to_be;
    hton64: u64, to_be;
    ntoh16: u16, from_be;
    ntoh32: u32, from_be;
    ntoh64: u64, from_be;
    htole16: u16, to_le;
    htole32: u32, to_le;
    htole64: u64, to_le;
    le16toh: u16, from_le;
    le32toh: u32, from_le;
    le64toh: u64, from_le;
}

const FUNCTIONS: &[(&[u8], NativeFn)] = &[
    (b"hton16", hton16),
    (b"htobe16", hton16),
    (b"hton32", hton32),
    (b"htobe32", hton32),
    (b"hton64", hton64),
    (b"htobe64", hton64),
    (b"ntoh16", ntoh16),
    (b"be16toh", ntoh16),
    (b"ntoh32", ntoh32),
    (b"be32toh", ntoh32),
    (b"ntoh64", ntoh64),
    (b"be64toh", ntoh64),
    (b"htole16", htole16),
    (b"htole32", htole32),
    (b"htole64", htole64),
    (b"le16toh", le16toh),
    (b"le32toh", le32toh),
    (b"le64toh", le64toh),
];

/// Opens the `byteorder` module.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<Value> {
    crate::require::library(lua, FUNCTIONS)
}
