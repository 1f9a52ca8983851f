//! The table library (§6.6): `concat`, `create`, `insert`, `move`, `pack`, `remove`,
//! `sort` and `unpack`.
//!
//! Element access honours `__index`, `__newindex` and `__len` exactly where PUC's
//! ltablib.c does (`lua_geti`/`lua_seti`/`luaL_len`); a table without a metatable takes
//! the raw path directly. Metamethods and the `sort` comparator are called through
//! `nested::call1`, which recurses on the native stack under the stack guard.
//!
//! Values the library holds while Lua code runs (the pivot and the elements being
//! compared in `sort`) live in stack slots above the arguments, never only in Rust
//! locals, so the collector sees them.

use alloc::vec::Vec;

use crate::api::{Ctx, NativeFn, Ret};
use crate::debug::Operand;
use crate::error::LuaResult;
use crate::opcode::TagMethod;
use crate::state::Lua;
use crate::tvec::TryVec;
use crate::value::Value;

/// Longest `__newindex` chain followed before giving up (as the VM).
const MAX_TAG_LOOP: usize = 2000;
/// Largest array `sort` and `unpack` accept (C's `INT_MAX`).
const MAX_INT: i64 = i32::MAX as i64;

/// Registers `table`.
pub(crate) fn open(lua: &mut Lua) -> LuaResult<()> {
    let t = lua.new_table()?;
    let funcs: &[(&[u8], NativeFn)] = &[
        (b"concat", concat),
        (b"create", create),
        (b"insert", insert),
        (b"move", move_),
        (b"pack", pack),
        (b"remove", remove),
        (b"sort", sort),
        (b"unpack", unpack),
    ];
    for (name, f) in funcs {
        lua.set_field(t, name, Value::NativeFn(*f))?;
    }
    lua.set_global(b"table", Value::Table(t))?;
    let loaded = lua.loaded;
    lua.set_field(loaded, b"table", Value::Table(t))
}

// ---- element access with metamethods ----

/// `t[i]` with `__index` (`lua_geti`).
pub(crate) fn get_i(lua: &mut Lua, t: Value, i: i64) -> LuaResult<Value> {
    match t {
        Value::Table(tab) if tab.metatable().is_none() => Ok(tab.get_int(i)),
        _ => crate::nested::index_value(lua, t, Value::Int(i)),
    }
}

/// `t[k] = v` with `__newindex` (`lua_settable`).
pub(crate) fn set_value(lua: &mut Lua, t: Value, k: Value, v: Value) -> LuaResult<()> {
    let mut t = t;
    for _ in 0..MAX_TAG_LOOP {
        let tm = match t {
            Value::Table(tab) => {
                let tm = match tab.metatable() {
                    Some(mt) if tab.get(&k, lua.seed).is_nil() => {
                        lua.tm_from(mt, TagMethod::NewIndex)
                    }
                    _ => Value::Nil,
                };
                if tm.is_nil() {
                    return lua.raw_set(tab, k, v);
                }
                tm
            }
            _ => {
                let tm = lua.metamethod(&t, TagMethod::NewIndex);
                if tm.is_nil() {
                    return Err(crate::debug::index_error(lua, &t, &k, Operand::None));
                }
                tm
            }
        };
        if tm.is_function() {
            crate::nested::call1(lua, tm, &[t, k, v])?;
            return Ok(());
        }
        t = tm;
    }
    Err(lua.rt_error(format_args!("'__newindex' chain too long; possible loop")))
}

/// `t[i] = v` with `__newindex` (`lua_seti`).
pub(crate) fn set_i(lua: &mut Lua, t: Value, i: i64, v: Value) -> LuaResult<()> {
    match t {
        Value::Table(tab) if tab.metatable().is_none() => lua.raw_set_int(tab, i, v),
        _ => set_value(lua, t, Value::Int(i), v),
    }
}

/// `#v` as an integer, with `__len` (`luaL_len`).
pub(crate) fn len_of(lua: &mut Lua, v: Value) -> LuaResult<i64> {
    let mm = lua.metamethod(&v, TagMethod::Len);
    let n = if mm.is_nil() {
        match v {
            Value::Table(t) => return Ok(t.length() as i64),
            Value::Str(s) => return Ok(s.len() as i64),
            _ => {
                return Err(crate::debug::type_error(
                    lua,
                    &v,
                    "get length of",
                    Operand::None,
                ))
            }
        }
    } else {
        crate::nested::call1(lua, mm, &[v, v])?
    };
    match crate::arith::to_integer(&n) {
        Some(i) => Ok(i),
        None => Err(lua.error_at_level(1, format_args!("object length is not an integer"))),
    }
}

/// `a < b` with `__lt` (`lua_compare(..., LUA_OPLT)`).
pub(crate) fn less_than(lua: &mut Lua, a: Value, b: Value) -> LuaResult<bool> {
    if let Some(r) = crate::arith::num_lt(&a, &b) {
        return Ok(r);
    }
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return Ok(x.as_bytes() < y.as_bytes());
    }
    let mut mm = lua.metamethod(&a, TagMethod::Lt);
    if mm.is_nil() {
        mm = lua.metamethod(&b, TagMethod::Lt);
    }
    if mm.is_nil() {
        return Err(crate::debug::compare_error(lua, &a, &b));
    }
    Ok(crate::nested::call1(lua, mm, &[a, b])?.truthy())
}

/// Operations a non-table argument must support through its metatable.
const TAB_R: u8 = 1;
const TAB_W: u8 = 2;
const TAB_L: u8 = 4;

/// Accepts a table, or a value whose metatable has the metamethods `what` needs
/// (`checktab`).
fn check_tab(cx: &mut Ctx<'_>, arg: usize, what: u8) -> LuaResult<Value> {
    let v = cx.arg(arg);
    if matches!(v, Value::Table(_)) {
        return Ok(v);
    }
    if let Some(mt) = cx.lua.metatable(&v) {
        let has = |lua: &Lua, tm: TagMethod| !lua.tm_from(mt, tm).is_nil();
        let ok = (what & TAB_R == 0 || has(cx.lua, TagMethod::Index))
            && (what & TAB_W == 0 || has(cx.lua, TagMethod::NewIndex))
            && (what & TAB_L == 0 || has(cx.lua, TagMethod::Len));
        if ok {
            return Ok(v);
        }
    }
    Err(cx.type_error(arg, "table"))
}

/// `check_tab` plus the length (`aux_getn`).
fn check_len(cx: &mut Ctx<'_>, arg: usize, what: u8) -> LuaResult<(Value, i64)> {
    let t = check_tab(cx, arg, what | TAB_L)?;
    let n = len_of(cx.lua, t)?;
    Ok((t, n))
}

// ---- the library ----

/// `table.insert (list, [pos,] value)`
fn insert(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (t, n) = check_len(cx, 1, TAB_R | TAB_W)?;
    let e = n.wrapping_add(1);
    let pos = match cx.nargs() {
        2 => e,
        3 => {
            let pos = cx.check_int(2)?;
            // `pos` must be in [1, e]; unsigned arithmetic also rejects `e` wrapped around.
            if (pos as u64).wrapping_sub(1) >= e as u64 {
                return Err(cx.arg_error(2, format_args!("position out of bounds")));
            }
            let mut i = e;
            while i > pos {
                cx.lua.meter(e.wrapping_sub(i) as u64)?;
                let v = get_i(cx.lua, t, i - 1)?;
                set_i(cx.lua, t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(cx.error(format_args!("wrong number of arguments to 'insert'"))),
    };
    let v = cx.arg(cx.nargs());
    set_i(cx.lua, t, pos, v)?;
    Ok(Ret::Values(0))
}

/// `table.remove (list [, pos])`
fn remove(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (t, size) = check_len(cx, 1, TAB_R | TAB_W)?;
    let mut pos = cx.opt_int(2, size)?;
    // A given `pos` must be in [1, size + 1] (5.5 blames argument 2; 5.4 blamed 1).
    if pos != size && (pos as u64).wrapping_sub(1) > size as u64 {
        return Err(cx.arg_error(2, format_args!("position out of bounds")));
    }
    let result = get_i(cx.lua, t, pos)?;
    cx.push(result)?;
    let first = pos;
    while pos < size {
        cx.lua.meter(pos.wrapping_sub(first) as u64)?;
        let v = get_i(cx.lua, t, pos + 1)?;
        set_i(cx.lua, t, pos, v)?;
        pos += 1;
    }
    set_i(cx.lua, t, pos, Value::Nil)?;
    Ok(Ret::Values(1))
}

/// `table.move (a1, f, e, t [,a2])`
fn move_(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let f = cx.check_int(2)?;
    let e = cx.check_int(3)?;
    let t = cx.check_int(4)?;
    let tt = if cx.arg(5).is_nil() { 1 } else { 5 };
    let src = check_tab(cx, 1, TAB_R)?;
    let dst = check_tab(cx, tt, TAB_W)?;
    if e >= f {
        if !(f > 0 || e < i64::MAX.wrapping_add(f)) {
            return Err(cx.arg_error(3, format_args!("too many elements to move")));
        }
        let n = e - f + 1;
        if t > i64::MAX - n + 1 {
            return Err(cx.arg_error(4, format_args!("destination wrap around")));
        }
        let forward = t > e || t <= f || (tt != 1 && !src.raw_eq(&dst));
        if forward {
            for i in 0..n {
                cx.lua.meter(i as u64)?;
                let v = get_i(cx.lua, src, f + i)?;
                set_i(cx.lua, dst, t + i, v)?;
            }
        } else {
            for i in (0..n).rev() {
                cx.lua.meter((n - i) as u64)?;
                let v = get_i(cx.lua, src, f + i)?;
                set_i(cx.lua, dst, t + i, v)?;
            }
        }
    }
    cx.ret1(dst)
}

/// Appends `t[i]` to a `concat` result (`addfield`).
fn add_field(cx: &mut Ctx<'_>, out: &mut Vec<u8>, t: Value, i: i64) -> LuaResult<()> {
    let v = get_i(cx.lua, t, i)?;
    match v {
        Value::Str(s) => out.try_extend_from_slice(s.as_bytes())?,
        Value::Int(_) | Value::Float(_) => crate::tostr::number(&v, out)?,
        _ => {
            return Err(cx.error(format_args!(
                "invalid value (at index {}) in table for 'concat'",
                i
            )))
        }
    }
    Ok(())
}

/// `table.concat (list [, sep [, i [, j]]])`
fn concat(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (t, n) = check_len(cx, 1, TAB_R)?;
    let sep = cx.opt_str(2)?;
    let sep = sep.as_ref().map_or(&[][..], |s| s.as_bytes());
    let mut i = cx.opt_int(3, 1)?;
    let last = cx.opt_int(4, n)?;
    let mut out = Vec::new();
    let first = i;
    while i < last {
        cx.lua.meter(i.wrapping_sub(first) as u64)?;
        add_field(cx, &mut out, t, i)?;
        out.try_extend_from_slice(sep)?;
        crate::lib_string::check_room(cx.lua, out.len())?;
        i += 1;
    }
    if i == last {
        add_field(cx, &mut out, t, i)?;
    }
    let v = cx.lua.str_value(&out)?;
    cx.ret1(v)
}

/// `table.pack (···)`
fn pack(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let n = cx.nargs();
    let t = cx.lua.new_table_with(n, 1)?;
    for i in 1..=n {
        let v = cx.arg(i);
        cx.lua.raw_set_int(t, i as i64, v)?;
    }
    let key = Value::Str(cx.lua.names.n);
    cx.lua.raw_set(t, key, Value::Int(n as i64))?;
    cx.ret1(Value::Table(t))
}

/// `table.unpack (list [, i [, j]])`
fn unpack(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let t = cx.arg(1);
    let i = cx.opt_int(2, 1)?;
    let e = if cx.arg(3).is_nil() {
        len_of(cx.lua, t)?
    } else {
        cx.check_int(3)?
    };
    if i > e {
        return Ok(Ret::Values(0));
    }
    let n = (e as u64).wrapping_sub(i as u64);
    if n >= MAX_INT as u64
        || n >= (crate::thread::MAX_STACK as u64).saturating_sub(cx.lua.th().top as u64 + 1)
    {
        return Err(cx.error(format_args!("too many results to unpack")));
    }
    let mut k = i;
    loop {
        cx.lua.meter(k.wrapping_sub(i) as u64)?;
        let v = get_i(cx.lua, t, k)?;
        cx.push(v)?;
        if k == e {
            break;
        }
        k += 1;
    }
    Ok(Ret::Values(n as usize + 1))
}

/// `table.create (nseq [, nrec])`
fn create(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let nseq = cx.check_int(1)? as u64;
    if nseq > MAX_INT as u64 {
        return Err(cx.arg_error(1, format_args!("out of range")));
    }
    let nrec = cx.opt_int(2, 0)? as u64;
    if nrec > MAX_INT as u64 {
        return Err(cx.arg_error(2, format_args!("out of range")));
    }
    if nrec > crate::table::MAX_HASH_SIZE as u64 {
        return Err(cx.error(format_args!("table overflow")));
    }
    let t = cx.lua.new_table_with(nseq as usize, nrec as usize)?;
    cx.ret1(Value::Table(t))
}

// ---- sort ----

/// Argument slots `sort` uses as registers: the pivot and two elements.
const R_PIVOT: usize = 3;
const R_A: usize = 4;
const R_B: usize = 5;
/// Intervals at least this long get a randomized pivot once partitions turn unbalanced.
const RANDOM_LIMIT: i64 = 100;

/// The list being sorted and its order.
struct Sorter {
    list: Value,
    comp: Value,
    /// Comparisons made, charged to the budget (`Lua::meter`).
    compared: core::cell::Cell<u64>,
}

impl Sorter {
    /// Register `r` := `list[i]`.
    fn load(&self, cx: &mut Ctx<'_>, r: usize, i: i64) -> LuaResult<()> {
        let v = get_i(cx.lua, self.list, i)?;
        cx.set_arg(r, v);
        Ok(())
    }

    /// `list[i]` := register `r`.
    fn store(&self, cx: &mut Ctx<'_>, i: i64, r: usize) -> LuaResult<()> {
        let v = cx.arg(r);
        set_i(cx.lua, self.list, i, v)
    }

    /// Is register `ra` less than register `rb`? (`sort_comp`)
    fn less(&self, cx: &mut Ctx<'_>, ra: usize, rb: usize) -> LuaResult<bool> {
        let (a, b) = (cx.arg(ra), cx.arg(rb));
        let n = self.compared.get() + 1;
        self.compared.set(n);
        cx.lua.meter(n)?;
        if self.comp.is_nil() {
            less_than(cx.lua, a, b)
        } else {
            Ok(crate::nested::call1(cx.lua, self.comp, &[a, b])?.truthy())
        }
    }

    fn invalid_order(cx: &mut Ctx<'_>) -> crate::error::Error {
        cx.error(format_args!("invalid order function for sorting"))
    }

    /// Partitions `lo..=up` around the pivot (in `R_PIVOT`, also at `up - 1`), given
    /// `a[lo] <= P <= a[up]`. Returns the pivot's final index `p`, with
    /// `a[lo..p] <= a[p] == P <= a[p+1..=up]`.
    ///
    /// An inconsistent order function would run an index out of the interval; that is
    /// detected and reported instead.
    fn partition(&self, cx: &mut Ctx<'_>, lo: i64, up: i64) -> LuaResult<i64> {
        let mut i = lo;
        let mut j = up - 1;
        loop {
            // Repeat ++i while a[i] < P.
            loop {
                i += 1;
                self.load(cx, R_A, i)?;
                if !self.less(cx, R_A, R_PIVOT)? {
                    break;
                }
                if i == up - 1 {
                    return Err(Self::invalid_order(cx));
                }
            }
            // Repeat --j while P < a[j].
            loop {
                j -= 1;
                self.load(cx, R_B, j)?;
                if !self.less(cx, R_PIVOT, R_B)? {
                    break;
                }
                if j < i {
                    return Err(Self::invalid_order(cx));
                }
            }
            if j < i {
                // No elements out of place: put the pivot (at up - 1) at i.
                self.store(cx, up - 1, R_A)?;
                self.store(cx, i, R_PIVOT)?;
                return Ok(i);
            }
            self.store(cx, i, R_B)?;
            self.store(cx, j, R_A)?;
        }
    }

    /// Sorts `lo..=up`: median of three, partition, recurse into the smaller half and
    /// loop on the larger, so the native recursion is at most log2(n) deep.
    fn sort(&self, cx: &mut Ctx<'_>, mut lo: i64, mut up: i64, mut rnd: u64) -> LuaResult<()> {
        if !cx.lua.guard.check() {
            return Err(cx.lua.rt_error(format_args!("C stack overflow")));
        }
        while lo < up {
            self.load(cx, R_A, lo)?;
            self.load(cx, R_B, up)?;
            if self.less(cx, R_B, R_A)? {
                self.store(cx, lo, R_B)?;
                self.store(cx, up, R_A)?;
            }
            if up - lo == 1 {
                return Ok(());
            }
            let p = if up - lo < RANDOM_LIMIT || rnd == 0 {
                lo + (up - lo) / 2
            } else {
                let r4 = (up - lo) / 4;
                (rnd % (r4 as u64 * 2)) as i64 + lo + r4
            };
            self.load(cx, R_A, p)?;
            self.load(cx, R_B, lo)?;
            if self.less(cx, R_A, R_B)? {
                self.store(cx, p, R_B)?;
                self.store(cx, lo, R_A)?;
            } else {
                self.load(cx, R_B, up)?;
                if self.less(cx, R_B, R_A)? {
                    self.store(cx, p, R_B)?;
                    self.store(cx, up, R_A)?;
                }
            }
            if up - lo == 2 {
                return Ok(());
            }
            // Move the pivot out of the way, to up - 1.
            self.load(cx, R_PIVOT, p)?;
            self.load(cx, R_B, up - 1)?;
            self.store(cx, p, R_B)?;
            self.store(cx, up - 1, R_PIVOT)?;
            let p = self.partition(cx, lo, up)?;
            let smaller;
            if p - lo < up - p {
                self.sort(cx, lo, p - 1, rnd)?;
                smaller = p - lo;
                lo = p + 1;
            } else {
                self.sort(cx, p + 1, up, rnd)?;
                smaller = up - p;
                up = p - 1;
            }
            if (up - lo) / 128 > smaller {
                // Badly unbalanced: switch to randomized pivots.
                rnd = pivot_seed(cx.lua, lo, up);
            }
        }
        Ok(())
    }
}

/// A pseudo-random, nonzero pivot seed (PUC mixes the clock; we have none, so mix the
/// state's hash seed with the interval).
fn pivot_seed(lua: &Lua, lo: i64, up: i64) -> u64 {
    let mut x = u64::from(lua.seed) ^ (lo as u64).rotate_left(17) ^ (up as u64).rotate_left(41);
    x = (x ^ (x >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x | 1
}

/// `table.sort (list [, comp])`
fn sort(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    let (list, n) = check_len(cx, 1, TAB_R | TAB_W)?;
    if n > 1 {
        if n >= MAX_INT {
            return Err(cx.arg_error(1, format_args!("array too big")));
        }
        let comp = cx.arg(2);
        if !comp.is_nil() && !comp.is_function() {
            return Err(cx.type_error(2, "function"));
        }
        cx.set_top(R_B)?;
        Sorter {
            list,
            comp,
            compared: core::cell::Cell::new(0),
        }
        .sort(cx, 1, n, 0)?;
    }
    Ok(Ret::Values(0))
}
