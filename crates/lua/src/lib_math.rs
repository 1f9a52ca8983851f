//! The mathematical library (§6.7). Integer arguments stay integers where the manual
//! says so (`abs`, `ceil`, `floor`, `fmod`, `modf`, `max`, `min`); float functions come
//! from the `libm` crate, which is pure Rust and so also runs on the kernel's soft-float
//! target.
//!
//! `random` is PUC 5.4's: xoshiro256** (`crate::rng`), floats from the top 53 bits, and
//! integer ranges projected without bias by rejection. `randomseed(n1, n2)` seeds
//! exactly as PUC does, so a seeded sequence matches PUC Lua's.

use crate::api::{Ctx, NativeFn, Ret};
use crate::error::LuaResult;
use crate::number::{float_to_int, Rounding};
use crate::state::Lua;
use crate::value::Value;

/// Registers `math`.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"abs", abs),
        (b"acos", acos),
        (b"asin", asin),
        (b"atan", atan),
        (b"ceil", ceil),
        (b"cos", cos),
        (b"exp", exp),
        (b"floor", floor),
        (b"fmod", fmod),
        (b"frexp", frexp),
        (b"ldexp", ldexp),
        (b"log", log),
        (b"max", max),
        (b"min", min),
        (b"modf", modf),
        (b"random", random),
        (b"randomseed", randomseed),
        (b"sin", sin),
        (b"sqrt", sqrt),
        (b"tan", tan),
        (b"tointeger", tointeger),
        (b"type", type_),
        (b"ult", ult),
        (b"deg", deg),
        (b"rad", rad),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    lua.set_field(t, b"pi", Value::Float(core::f64::consts::PI))?;
    lua.set_field(t, b"huge", Value::Float(f64::INFINITY))?;
    lua.set_field(t, b"maxinteger", Value::Int(i64::MAX))?;
    lua.set_field(t, b"mininteger", Value::Int(i64::MIN))?;
    lua.set_global(b"math", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"math", Value::Table(t))
}

/// An integral float as an integer when it fits, else the float (`pushnumint`).
fn num_int(f: f64) -> Value {
    match float_to_int(f, Rounding::Exact) {
        Some(i) => Value::Int(i),
        None => Value::Float(f),
    }
}

/// `math.abs (x)`: integers wrap (`abs(mininteger) == mininteger`).
fn abs(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    match cx.arg(1) {
        Value::Int(n) => cx.ret1(Value::Int(n.wrapping_abs())),
        _ => {
            let x = cx.check_float(1)?;
            cx.ret1(Value::Float(libm::fabs(x)))
        }
    }
}

/// `math.floor (x)`
fn floor(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    match cx.arg(1) {
        v @ Value::Int(_) => cx.ret1(v),
        _ => {
            let x = cx.check_float(1)?;
            cx.ret1(num_int(crate::number::floor(x)))
        }
    }
}

/// `math.ceil (x)`
fn ceil(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    match cx.arg(1) {
        v @ Value::Int(_) => cx.ret1(v),
        _ => {
            let x = cx.check_float(1)?;
            cx.ret1(num_int(crate::number::ceil(x)))
        }
    }
}

/// `math.fmod (x, y)`: the remainder of the division that rounds toward zero.
fn fmod(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if let (Value::Int(a), Value::Int(b)) = (cx.arg(1), cx.arg(2)) {
        let r = match b {
            0 => return Err(cx.arg_error(2, format_args!("zero"))),
            // Avoids the overflow of `mininteger % -1`.
            -1 => 0,
            _ => a % b,
        };
        return cx.ret1(Value::Int(r));
    }
    let a = cx.check_float(1)?;
    let b = cx.check_float(2)?;
    cx.ret1(Value::Float(libm::fmod(a, b)))
}

/// `math.frexp (x)`: `m, e` with `x == m * 2^e` and `|m|` in [0.5, 1) (or `m == x` for
/// zero, NaN and infinities).
fn frexp(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (m, e) = libm::frexp(cx.check_float(1)?);
    cx.push(Value::Float(m))?;
    cx.push(Value::Int(i64::from(e)))?;
    Ok(Ret::Values(2))
}

/// `math.ldexp (m, e)`: `m * 2^e`. Exponents past `int` saturate (the result is 0 or
/// infinite there anyway).
fn ldexp(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let m = cx.check_float(1)?;
    let e = cx
        .check_int(2)?
        .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    cx.ret1(Value::Float(libm::ldexp(m, e)))
}

/// `math.modf (x)`: integral part (an integer when it fits) and fractional part.
fn modf(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if let v @ Value::Int(_) = cx.arg(1) {
        cx.push(v)?;
        cx.push(Value::Float(0.0))?;
        return Ok(Ret::Values(2));
    }
    let n = cx.check_float(1)?;
    let ip = if n < 0.0 {
        crate::number::ceil(n)
    } else {
        crate::number::floor(n)
    };
    cx.push(num_int(ip))?;
    // `n == ip` catches the infinities, whose difference would be NaN.
    cx.push(Value::Float(if n == ip { 0.0 } else { n - ip }))?;
    Ok(Ret::Values(2))
}

/// Applies a float function to argument 1.
fn float1(cx: &mut Ctx<'_>, f: fn(f64) -> f64) -> LuaResult<Ret> {
    let x = cx.check_float(1)?;
    cx.ret1(Value::Float(f(x)))
}

/// `math.sqrt (x)`
fn sqrt(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::sqrt)
}

/// `math.deg (x)`: radians to degrees.
fn deg(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, |x| x * (180.0 / core::f64::consts::PI))
}

/// `math.rad (x)`: degrees to radians.
fn rad(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, |x| x * (core::f64::consts::PI / 180.0))
}

/// `math.exp (x)`
fn exp(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::exp)
}

/// `math.sin (x)`
fn sin(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::sin)
}

/// `math.cos (x)`
fn cos(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::cos)
}

/// `math.tan (x)`
fn tan(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::tan)
}

/// `math.asin (x)`
fn asin(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::asin)
}

/// `math.acos (x)`
fn acos(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    float1(cx, libm::acos)
}

/// `math.atan (y [, x])`
fn atan(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let y = cx.check_float(1)?;
    let x = if cx.arg(2).is_nil() {
        1.0
    } else {
        cx.check_float(2)?
    };
    cx.ret1(Value::Float(libm::atan2(y, x)))
}

/// `math.log (x [, base])`
fn log(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let x = cx.check_float(1)?;
    let r = if cx.arg(2).is_nil() {
        libm::log(x)
    } else {
        let base = cx.check_float(2)?;
        if base == 2.0 {
            libm::log2(x)
        } else if base == 10.0 {
            libm::log10(x)
        } else {
            libm::log(x) / libm::log(base)
        }
    };
    cx.ret1(Value::Float(r))
}

/// `math.tointeger (x)`: integers, integral floats and strings convertible to an
/// integer; else fail.
fn tointeger(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.arg(1);
    match crate::arith::to_integer(&v) {
        Some(n) => cx.ret1(Value::Int(n)),
        None => {
            cx.check_any(1)?;
            cx.ret1(Value::Nil)
        }
    }
}

/// `math.type (x)`
fn type_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let v = cx.check_any(1)?;
    let name: &[u8] = match v {
        Value::Int(_) => b"integer",
        Value::Float(_) => b"float",
        _ => return cx.ret1(Value::Nil),
    };
    let s = cx.lua.str_value(name)?;
    cx.ret1(s)
}

/// `math.ult (m, n)`
fn ult(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let a = cx.check_int(1)?;
    let b = cx.check_int(2)?;
    cx.ret1(Value::Bool((a as u64) < (b as u64)))
}

/// The argument that wins under `<` (`better(candidate, best)` says when to switch).
fn extreme(cx: &mut Ctx<'_>, max: bool) -> LuaResult<Ret> {
    let n = cx.nargs();
    if n < 1 {
        return Err(cx.arg_error(1, format_args!("value expected")));
    }
    let mut best = 1;
    for i in 2..=n {
        let (a, b) = if max {
            (cx.arg(best), cx.arg(i))
        } else {
            (cx.arg(i), cx.arg(best))
        };
        if crate::lib_table::less_than(cx.lua, a, b)? {
            best = i;
        }
    }
    let v = cx.arg(best);
    cx.ret1(v)
}

/// `math.max (x, ···)`
fn max(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    extreme(cx, true)
}

/// `math.min (x, ···)`
fn min(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    extreme(cx, false)
}

/// Projects random bits into `0..=n` without bias: masks to the smallest `2^b - 1`
/// covering `n` and draws again while the result is above `n`.
fn project(lua: &mut Lua, ran: u64, n: u64) -> u64 {
    if n & n.wrapping_add(1) == 0 {
        return ran & n;
    }
    let lim = u64::MAX >> n.leading_zeros();
    let mut r = ran & lim;
    while r > n {
        r = crate::rng::next(&mut lua.rng) & lim;
    }
    r
}

/// `math.random ([m [, n]])`
fn random(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let rv = crate::rng::next(&mut cx.lua.rng);
    let (low, up) = match cx.nargs() {
        0 => {
            // 53 random bits scaled into [0, 1).
            let f = (rv >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0);
            return cx.ret1(Value::Float(f));
        }
        1 => {
            let up = cx.check_int(1)?;
            if up == 0 {
                return cx.ret1(Value::Int(rv as i64));
            }
            (1, up)
        }
        2 => (cx.check_int(1)?, cx.check_int(2)?),
        _ => return Err(cx.error(format_args!("wrong number of arguments"))),
    };
    if low > up {
        return Err(cx.arg_error(1, format_args!("interval is empty")));
    }
    let p = project(cx.lua, rv, (up as u64).wrapping_sub(low as u64));
    cx.ret1(Value::Int(p.wrapping_add(low as u64) as i64))
}

/// Seeds the generator as PUC does (`setseed`), so seeded sequences match.
fn set_seed(lua: &mut Lua, n1: u64, n2: u64) {
    lua.rng = [n1, 0xff, n2, 0];
    for _ in 0..16 {
        crate::rng::next(&mut lua.rng);
    }
}

/// `math.randomseed ([x [, y]])`: returns the two seed components.
fn randomseed(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (n1, n2) = if cx.nargs() == 0 {
        let a = cx.lua.host.seed();
        let b = crate::rng::next(&mut cx.lua.rng);
        (a as i64, b as i64)
    } else {
        (cx.check_int(1)?, cx.opt_int(2, 0)?)
    };
    set_seed(cx.lua, n1 as u64, n2 as u64);
    cx.push(Value::Int(n1))?;
    cx.push(Value::Int(n2))?;
    Ok(Ret::Values(2))
}
