//! The `os` library on std (host only).

use lua::api::{Ctx, NativeFn, Ret};
use lua::{Lua, LuaResult, Value};

pub fn open(lua: &mut Lua) -> LuaResult<()> {
    let os = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"clock", clock),
        (b"date", date),
        (b"difftime", difftime),
        (b"exit", exit),
        (b"getenv", getenv),
        (b"remove", remove),
        (b"rename", rename),
        (b"time", time),
        (b"tmpname", tmpname),
    ];
    for (n, f) in funcs {
        lua.set_field(os, n, Value::NativeFn(*f))?;
    }
    lua.set_global(b"os", Value::Table(os))?;
    let loaded = lua.loaded();
    lua.set_field(loaded, b"os", Value::Table(os))
}

fn clock(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let mut ts = libc_timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes a timespec; CLOCK_PROCESS_CPUTIME_ID is 2 on Linux.
    unsafe { clock_gettime(2, &mut ts) };
    cx.ret1(Value::Float(ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9))
}

#[repr(C)]
struct libc_timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clk: i32, ts: *mut libc_timespec) -> i32;
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn time(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    if cx.arg(1).is_nil() {
        return cx.ret1(Value::Int(now()));
    }
    let t = cx.check_table(1)?;
    let mut get = |name: &[u8], default: Option<i64>| -> LuaResult<i64> {
        let v = cx.lua.get_field(t, name)?;
        match (lua::arith::to_integer(&v), default) {
            (Some(i), _) => Ok(i),
            (None, Some(d)) if v.is_nil() => Ok(d),
            _ => Err(cx.lua.error_at_level(
                1,
                format_args!(
                    "field '{}' missing in date table",
                    String::from_utf8_lossy(name)
                ),
            )),
        }
    };
    let year = get(b"year", None)?;
    let month = get(b"month", None)?;
    let day = get(b"day", None)?;
    let hour = get(b"hour", Some(12))?;
    let min = get(b"min", Some(0))?;
    let sec = get(b"sec", Some(0))?;
    let days = days_from_civil(year, month, day);
    cx.ret1(Value::Int(days * 86400 + hour * 3600 + min * 60 + sec))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month may be out of range).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = y + (m - 1).div_euclid(12);
    let m = (m - 1).rem_euclid(12) + 1;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn date(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let fmt = match cx.opt_str(1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if cx.arg(2).is_nil() {
        now()
    } else {
        cx.check_int(2)?
    };
    let fmt = fmt.strip_prefix(b"!").unwrap_or(&fmt).to_vec();
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    let wday = (days + 4).rem_euclid(7); // 0 = Sunday
    let yday = days - days_from_civil(y, 1, 1) + 1;
    if fmt.starts_with(b"*t") {
        let tab = cx.lua.new_table()?;
        for (k, v) in [
            (&b"year"[..], y),
            (b"month", m),
            (b"day", d),
            (b"hour", hh),
            (b"min", mm),
            (b"sec", ss),
            (b"wday", wday + 1),
            (b"yday", yday),
        ] {
            cx.lua.set_field(tab, k, Value::Int(v))?;
        }
        cx.lua.set_field(tab, b"isdst", Value::Bool(false))?;
        return cx.ret1(Value::Table(tab));
    }
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut out = String::new();
    let mut it = fmt.iter();
    while let Some(&c) = it.next() {
        if c != b'%' {
            out.push(c as char);
            continue;
        }
        let Some(&k) = it.next() else { break };
        let dname = DAYS[wday as usize];
        let mname = MONTHS[(m - 1) as usize];
        match k {
            b'Y' => out += &y.to_string(),
            b'y' => out += &format!("{:02}", y % 100),
            b'm' => out += &format!("{m:02}"),
            b'd' => out += &format!("{d:02}"),
            b'H' => out += &format!("{hh:02}"),
            b'M' => out += &format!("{mm:02}"),
            b'S' => out += &format!("{ss:02}"),
            b'p' => out += if hh < 12 { "AM" } else { "PM" },
            b'A' => out += dname,
            b'a' => out += &dname[..3],
            b'B' => out += mname,
            b'b' => out += &mname[..3],
            b'j' => out += &format!("{yday:03}"),
            b'c' => {
                out += &format!(
                    "{} {} {:2} {:02}:{:02}:{:02} {}",
                    &dname[..3],
                    &mname[..3],
                    d,
                    hh,
                    mm,
                    ss,
                    y
                )
            }
            b'x' => out += &format!("{:02}/{:02}/{:02}", m, d, y % 100),
            b'X' => out += &format!("{hh:02}:{mm:02}:{ss:02}"),
            b'%' => out.push('%'),
            _ => {
                return Err(cx.arg_error(
                    1,
                    format_args!("invalid conversion specifier '%{}'", k as char),
                ))
            }
        }
    }
    cx.push_str(out.as_bytes())?;
    Ok(Ret::Values(1))
}

fn difftime(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let a = cx.check_float(1)?;
    let b = if cx.arg(2).is_nil() {
        0.0
    } else {
        cx.check_float(2)?
    };
    cx.ret1(Value::Float(a - b))
}

fn exit(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let code = match cx.arg(1) {
        Value::Nil | Value::Bool(true) => 0,
        Value::Bool(false) => 1,
        _ => cx.check_int(1)? as i32,
    };
    crate::host::flush_stdout();
    std::process::exit(code)
}

fn getenv(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = String::from_utf8_lossy(cx.check_str(1)?.as_bytes()).into_owned();
    match std::env::var_os(&name) {
        Some(v) => {
            cx.push_str(v.as_encoded_bytes())?;
            Ok(Ret::Values(1))
        }
        None => cx.ret1(Value::Nil),
    }
}

fn result(cx: &mut Ctx<'_>, r: std::io::Result<()>, name: &str) -> LuaResult<Ret> {
    match r {
        Ok(()) => cx.ret1(Value::Bool(true)),
        Err(e) => {
            cx.push(Value::Nil)?;
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
            cx.push_str(format!("{name}: {msg}").as_bytes())?;
            cx.push(Value::Int(e.raw_os_error().unwrap_or(0) as i64))?;
            Ok(Ret::Values(3))
        }
    }
}

fn remove(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let name = String::from_utf8_lossy(cx.check_str(1)?.as_bytes()).into_owned();
    let r = std::fs::remove_file(&name).or_else(|_| std::fs::remove_dir(&name));
    result(cx, r, &name)
}

fn rename(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let a = String::from_utf8_lossy(cx.check_str(1)?.as_bytes()).into_owned();
    let b = String::from_utf8_lossy(cx.check_str(2)?.as_bytes()).into_owned();
    let r = std::fs::rename(&a, &b);
    result(cx, r, &a)
}

fn tmpname(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = format!(
        "/tmp/lua_{:x}_{:x}",
        std::process::id(),
        now() ^ (cx.nargs() as i64)
    );
    let _ = std::fs::File::create(&n);
    cx.push_str(n.as_bytes())?;
    Ok(Ret::Values(1))
}
