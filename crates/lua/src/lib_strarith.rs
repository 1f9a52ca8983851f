//! Arithmetic on strings (§3.4.3): the string metatable's `__add`, `__sub`, ... convert
//! numeric strings and do the operation; anything else is an error naming both types.
//! The VM itself never converts strings in arithmetic, as in PUC Lua 5.4 (lstrlib.c's
//! `stringmetamethods`), so bitwise operators on strings are errors.

use crate::api::{Ctx, NativeFn, Ret};
use crate::arith::{self, ArithError, ArithOp};
use crate::error::LuaResult;
use crate::state::Lua;
use crate::value::Value;

/// Adds the arithmetic metamethods to the string metatable.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let Some(mt) = lua.metatable(&Value::Str(lua.names.n)) else {
        return Ok(());
    };
    let mms: &[(&[u8], NativeFn)] = &[
        (b"__add", add),
        (b"__sub", sub),
        (b"__mul", mul),
        (b"__mod", modulo),
        (b"__pow", pow),
        (b"__div", div),
        (b"__idiv", idiv),
        (b"__unm", unm),
    ];
    for (name, f) in mms {
        lua.set_field(mt, name, Value::NativeFn(*f))?;
    }
    Ok(())
}

fn to_num(v: &Value) -> Option<Value> {
    match v {
        Value::Str(_) => arith::to_number(v),
        Value::Int(_) | Value::Float(_) => Some(*v),
        _ => None,
    }
}

fn string_arith(cx: &mut Ctx<'_>, op: ArithOp) -> LuaResult<Ret> {
    let (a, b) = (cx.arg(1), cx.arg(2));
    if let (Some(x), Some(y)) = (to_num(&a), to_num(&b)) {
        return match arith::arith(op, &x, &y) {
            Ok(v) => cx.ret1(v),
            Err(ArithError::DivByZero) => Err(cx.error(format_args!("attempt to divide by zero"))),
            Err(ArithError::ModByZero) => Err(cx.error(format_args!("attempt to perform 'n%0'"))),
            Err(_) => Err(cx.error(format_args!("number has no integer representation"))),
        };
    }
    // `trymt`: the other operand's metamethod, if it is not a string.
    let tm = op.tag_method();
    if !matches!(b, Value::Str(_)) {
        let mm = cx.lua.metamethod(&b, tm);
        if !mm.is_nil() {
            let r = crate::nested::call1(cx.lua, mm, &[a, b])?;
            return cx.ret1(r);
        }
    }
    let ta = crate::tvec::try_copy_of(cx.lua.type_name_of(&a).as_bytes())?;
    let tb = crate::tvec::try_copy_of(cx.lua.type_name_of(&b).as_bytes())?;
    let verb = &tm.name()[2..];
    Err(cx.error(format_args!(
        "attempt to {} a '{}' with a '{}'",
        verb,
        crate::api::Bytes(&ta),
        crate::api::Bytes(&tb)
    )))
}

fn add(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Add)
}
fn sub(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Sub)
}
fn mul(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Mul)
}
fn modulo(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Mod)
}
fn pow(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Pow)
}
fn div(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Div)
}
fn idiv(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::IDiv)
}
fn unm(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    string_arith(cx, ArithOp::Unm)
}
