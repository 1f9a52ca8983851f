//! The collector's driver: marking from the roots, traversal of each object kind, weak
//! tables, finalizers, and incremental steps.
//!
//! A cycle is `Pause → Propagate → (atomic) → Sweep → Pause`. `Propagate` runs in
//! bounded steps interleaved with the mutator, protected by the barriers. Weak tables
//! are not traversed then: they stay gray on the gray-again list. The atomic part runs
//! at once: it re-marks the roots and every thread (thread stacks have no barrier),
//! converges ephemeron tables, clears weak entries and separates the objects whose
//! finalizers must run (resurrecting them for the call). The sweep is incremental too.

use core::ptr::NonNull;

use crate::error::LuaResult;
use crate::func::{FnProto, LuaClosure, NativeClosure, UpVal};
use crate::gc::{Gc, GcHeader, Heap, Kind, Phase};
use crate::lstr::{LStr, StringTable};
use crate::opcode::TagMethod;
use crate::state::Lua;
use crate::table::Table;
use crate::thread::{flags, Thread};
use crate::userdata::UserData;
use crate::value::Value;

/// Work per step, before scaling by `step_mul` and by the bytes allocated: objects swept,
/// or objects traversed plus the table and stack slots they hold (`traversal_work`).
const WORK_PER_STEP: usize = 400;

#[inline]
fn mark_value(heap: &Heap, v: &Value) {
    if let Some(h) = v.gc_header() {
        heap.mark_header(h);
    }
}

#[inline]
fn mark<T>(heap: &Heap, g: Gc<T>) {
    heap.mark_header(g.as_header_ptr());
}

fn mark_roots(lua: &Lua) {
    let heap = &lua.heap;
    mark(heap, lua.registry);
    mark(heap, lua.globals);
    mark(heap, lua.loaded);
    mark(heap, lua.main);
    mark(heap, lua.current);
    for slot in lua.type_meta.iter() {
        if let Some(mt) = slot.get() {
            mark(heap, mt);
        }
    }
    // Objects waiting for their finalizer stay alive until it has run.
    heap.for_each_tobefnz(&mut |h| heap.mark_header(h));
}

/// Weak mode of a table: (weak keys, weak values).
fn weak_mode(lua: &Lua, t: &Table) -> (bool, bool) {
    let Some(mt) = t.metatable() else {
        return (false, false);
    };
    match lua.tm_from(mt, TagMethod::Mode) {
        Value::Str(s) => (s.as_bytes().contains(&b'k'), s.as_bytes().contains(&b'v')),
        _ => (false, false),
    }
}

/// Traverses one gray object, marking what it refers to. `atomic` is false during the
/// incremental phase, when weak tables are deferred.
fn traverse(lua: &Lua, h: NonNull<GcHeader>, atomic: bool) {
    let heap = &lua.heap;
    // SAFETY: gray objects are live.
    let kind = unsafe { h.as_ref() }.kind();
    match kind {
        Kind::Str => {}
        Kind::Table => {
            // SAFETY: the header says this is a table.
            let t = unsafe { Gc::<Table>::from_header(h) };
            if let Some(mt) = t.metatable() {
                mark(heap, mt);
            }
            let (wk, wv) = weak_mode(lua, &t);
            if wk || wv {
                if atomic {
                    heap.push_weak(h);
                    mark_weak_table_strong_parts(heap, &t, wk, wv);
                } else {
                    heap.defer_to_atomic(h);
                }
                return; // stays gray until cleared
            }
            for v in t.array_values() {
                mark_value(heap, v);
            }
            t.for_each_node(|k, v| {
                mark_value(heap, k);
                mark_value(heap, v);
            });
        }
        Kind::LuaClosure => {
            // SAFETY: the header says this is a Lua closure.
            let c = unsafe { Gc::<LuaClosure>::from_header(h) };
            mark(heap, c.proto);
            for uv in c.upvals.iter() {
                mark(heap, *uv);
            }
        }
        Kind::NativeClosure => {
            // SAFETY: the header says this is a native closure.
            let c = unsafe { Gc::<NativeClosure>::from_header(h) };
            for v in c.upvals.iter() {
                mark_value(heap, v);
            }
        }
        Kind::Proto => {
            // SAFETY: the header says this is a prototype.
            let p = unsafe { Gc::<FnProto>::from_header(h) };
            mark(heap, p.source);
            for v in p.constants.iter() {
                mark_value(heap, v);
            }
            for q in p.protos.iter() {
                mark(heap, *q);
            }
        }
        Kind::UpVal => {
            // SAFETY: the header says this is an upvalue.
            let uv = unsafe { Gc::<UpVal>::from_header(h) };
            mark_value(heap, &uv.get());
        }
        Kind::UserData => {
            // SAFETY: the header says this is a userdata.
            let u = unsafe { Gc::<UserData>::from_header(h) };
            if let Some(mt) = u.metatable() {
                mark(heap, mt);
            }
            for v in u.user_values.iter() {
                mark_value(heap, v);
            }
        }
        Kind::Thread => {
            // SAFETY: the header says this is a thread.
            let t = unsafe { Gc::<Thread>::from_header(h) };
            traverse_thread(heap, &t);
            if !atomic {
                // Stacks change without barriers: look again in the atomic phase.
                heap.defer_to_atomic(h);
                return;
            }
        }
    }
    // SAFETY: `h` is live.
    Heap::make_black(unsafe { h.as_ref() });
}

fn mark_weak_table_strong_parts(heap: &Heap, t: &Table, wk: bool, wv: bool) {
    if !wv {
        for v in t.array_values() {
            mark_value(heap, v);
        }
    }
    t.for_each_node(|k, v| {
        if !wk {
            mark_value(heap, k);
        }
        // Strings are values, never weak (they cannot be recreated by identity).
        if matches!(k, Value::Str(_)) {
            mark_value(heap, k);
        }
        if (!wv || matches!(v, Value::Str(_))) && (!wk || !is_white(heap, k)) {
            mark_value(heap, v);
        }
    });
}

#[inline]
fn is_white(heap: &Heap, v: &Value) -> bool {
    v.gc_header().is_some_and(|h| heap.is_white_value(h))
}

/// Marks a thread's live stack (`0..top`: the VM sets `top` above every live register
/// before a collection step) and what its frames refer to.
fn traverse_thread(heap: &Heap, t: &Thread) {
    for v in t.stack.iter().take(t.top) {
        mark_value(heap, v);
    }
    for f in t.frames.iter() {
        if let Some(c) = f.closure {
            mark(heap, c);
        }
    }
    let mut cur = t.open_upvals;
    while let Some(uv) = cur {
        mark(heap, uv);
        cur = uv.open_next.get();
    }
    if let Some(r) = t.resumer {
        mark(heap, r);
    }
    if let Some(e) = &t.error {
        mark_value(heap, e);
    }
}

/// Traverses gray objects until `budget` objects were done; true when none is left.
fn propagate(lua: &Lua, budget: usize) -> bool {
    let mut done = 0;
    while done < budget {
        match lua.heap.pop_gray() {
            Some(h) => {
                done += traversal_work(h);
                traverse(lua, h, false);
            }
            None => return true,
        }
    }
    !lua.heap.has_gray()
}

/// The work of traversing an object, in the units of a step's budget: one per object,
/// plus one per slot of a table or live slot of a stack (as lgc.c counts), so that a
/// step over a big table counts as the work it is.
fn traversal_work(h: NonNull<GcHeader>) -> usize {
    // SAFETY: gray objects are live, and the header says which payload follows.
    unsafe {
        match h.as_ref().kind() {
            Kind::Table => {
                let t = Gc::<Table>::from_header(h);
                1 + t.array_len() + t.node_count()
            }
            Kind::Thread => 1 + Gc::<Thread>::from_header(h).top,
            _ => 1,
        }
    }
}

fn propagate_atomic(lua: &Lua) {
    loop {
        let mut did = false;
        while let Some(h) = lua.heap.pop_gray() {
            traverse(lua, h, true);
            did = true;
        }
        while let Some(h) = lua.heap.pop_gray_again() {
            traverse(lua, h, true);
            did = true;
        }
        if !did {
            return;
        }
    }
}

/// Marks values of ephemeron entries whose keys are marked, until nothing changes.
fn converge_ephemerons(lua: &Lua) {
    loop {
        let heap = &lua.heap;
        let mut changed = false;
        heap.for_each_weak(&mut |h| {
            // SAFETY: the weak list holds live tables.
            let t = unsafe { Gc::<Table>::from_header(h) };
            let (wk, wv) = weak_mode(lua, &t);
            if wk && !wv {
                t.for_each_node(|k, v| {
                    if !is_white(heap, k) && is_white(heap, v) {
                        mark_value(heap, v);
                        changed = true;
                    }
                });
            }
        });
        propagate_atomic(lua);
        if !changed {
            return;
        }
    }
}

/// Removes entries of weak tables whose weak value (and, with `keys`, weak key) is
/// unmarked. Values are cleared once before objects are resurrected for their
/// finalizers (so a finalizer never sees them through a weak value) and again after;
/// keys only after (a resurrected key keeps its entry), as lgc.c's `atomic` does.
fn clear_weak_tables(lua: &Lua, keys: bool) {
    let heap = &lua.heap;
    heap.for_each_weak(&mut |h| {
        // SAFETY: the weak list holds live tables.
        let t = unsafe { Gc::<Table>::from_header(h) };
        let (wk, wv) = weak_mode(lua, &t);
        // SAFETY: the collector is the only user of the table during the atomic phase.
        let tm = unsafe { t.get_mut() };
        let cleared = |v: &Value| !matches!(v, Value::Str(_)) && is_white(heap, v);
        tm.sweep_entries(|k| keys && wk && cleared(k), |v| wv && cleared(v));
        if keys {
            Heap::make_black(t.header());
        }
    });
    if keys {
        heap.clear_weak();
    }
}

/// Marks the values of reachable open upvalues of unreachable threads (lgc.c's
/// `remarkupvals`). Such an upvalue may have been traversed while its stack slot held
/// another value; the thread, which would have marked the slot, is not traversed, and
/// `close_dead_threads` is about to copy the slot into the upvalue.
fn remark_upvals(lua: &Lua) {
    let heap = &lua.heap;
    for &t in lua.threads.iter() {
        if !heap.is_white(t.header()) {
            continue;
        }
        let mut cur = t.open_upvals;
        while let Some(uv) = cur {
            if !heap.is_white(uv.header()) {
                mark_value(heap, &uv.get());
            }
            cur = uv.open_next.get();
        }
    }
}

/// The atomic phase: finishes marking and prepares the sweep.
fn atomic(lua: &mut Lua) {
    mark_roots(lua);
    for &t in lua.threads.iter() {
        if !lua.heap.is_white(t.header()) {
            lua.heap.mark_header(t.as_header_ptr());
            traverse_thread(&lua.heap, &t);
        }
    }
    traverse_thread(&lua.heap, lua.th());
    propagate_atomic(lua);
    remark_upvals(lua);
    propagate_atomic(lua);
    clear_dead_stack_slots(lua);
    converge_ephemerons(lua);
    clear_weak_tables(lua, false);
    // Objects with finalizers that became unreachable are resurrected for `__gc`.
    if lua.heap.separate_unreachable() > 0 {
        let heap = &lua.heap;
        heap.for_each_tobefnz(&mut |h| heap.mark_header(h));
        propagate_atomic(lua);
        converge_ephemerons(lua);
    }
    clear_weak_tables(lua, true);
    close_dead_threads(lua);
    lua.heap.begin_sweep();
}

/// Stack slots above `top` are not marked: nil them so no stale value outlives the
/// objects it refers to.
fn clear_dead_stack_slots(lua: &mut Lua) {
    for &t in lua.threads.iter() {
        // SAFETY: the collector runs at a safe point; no borrow of the stack is live.
        let th = unsafe { t.get_mut() };
        let top = th.top;
        for slot in th.stack.iter_mut().skip(top) {
            *slot = Value::Nil;
        }
    }
}

/// Closes the open upvalues of threads about to be freed (they may be shared with live
/// closures) and forgets those threads.
fn close_dead_threads(lua: &mut Lua) {
    let heap = &lua.heap;
    let mut keep = 0;
    for i in 0..lua.threads.len() {
        let Some(&t) = lua.threads.get(i) else { break };
        if heap.is_white(t.header()) && t != lua.main {
            // SAFETY: the thread is unreachable; nothing else uses it.
            unsafe { t.get_mut() }.close_upvals(heap, 0);
        } else if let Some(slot) = lua.threads.get_mut(keep) {
            *slot = t;
            keep += 1;
        }
    }
    lua.threads.truncate(keep);
}

/// Frees one dead object.
fn free_object(heap: &Heap, strings: &mut StringTable, h: NonNull<GcHeader>) {
    // SAFETY: the sweep hands over unreachable objects; each arm matches the kind.
    unsafe {
        match h.as_ref().kind() {
            Kind::Str => {
                let s = Gc::<LStr>::from_header(h);
                if s.is_short() {
                    strings.remove(s);
                }
                LStr::free(heap, h);
            }
            Kind::Table => crate::table::free(heap, h),
            Kind::LuaClosure => crate::func::free_lua_closure(heap, h),
            Kind::NativeClosure => crate::func::free_native_closure(heap, h),
            Kind::Proto => crate::func::free_proto(heap, h),
            Kind::UpVal => crate::func::free_upval(heap, h),
            Kind::UserData => crate::userdata::free(heap, h),
            Kind::Thread => crate::thread::free(heap, h),
        }
    }
}

fn sweep(lua: &mut Lua, budget: usize) -> bool {
    let Lua { heap, strings, .. } = lua;
    heap.sweep_step(budget, &mut |h| free_object(heap, strings, h))
}

fn set_pause(lua: &mut Lua) {
    let Lua { heap, strings, .. } = lua;
    strings.shrink_if_sparse(heap);
    let bytes = lua.heap.bytes() as isize;
    let pause = lua.heap.pause.get() as isize;
    // Free blocks up to the size of the live heap are kept for the next cycle to reuse
    // (with the default pause, a cycle allocates about that much).
    lua.heap.pool().set_cap(lua.heap.bytes());
    lua.heap
        .set_debt((bytes * (pause - 100) / 100).max(16 * 1024));
}

/// One incremental step, run at a safe point. Also runs pending finalizers.
pub(crate) fn step(lua: &mut Lua) -> LuaResult<()> {
    if !lua.heap.running.get() {
        lua.heap.set_debt(64 * 1024);
        return Ok(());
    }
    let limit = lua.heap.limit();
    if limit != 0 && lua.heap.bytes() > limit / 4 * 3 {
        full(lua);
        return run_finalizers(lua, usize::MAX);
    }
    let work = match lua.heap.stress_tick() {
        // Work in proportion to what was allocated since the last step: a step that
        // follows one big allocation (a table's new hash part) does that much more.
        None => {
            let step = lua.heap.step_size.get().max(1) as usize;
            let allocated = lua.heap.allocated_since_step(step);
            WORK_PER_STEP * lua.heap.step_mul.get() as usize / 100 * (allocated / step).max(1)
        }
        // GC stress mode: tiny steps, so cycles interleave finely with the mutator (any
        // missing barrier or root shows), and now and then a whole cycle.
        Some(false) => crate::gc::STRESS_WORK,
        Some(true) => {
            full(lua);
            return run_finalizers(lua, usize::MAX);
        }
    };
    match lua.heap.phase.get() {
        Phase::Pause | Phase::CallFin => {
            mark_roots(lua);
            lua.heap.phase.set(Phase::Propagate);
            lua.heap.set_debt(lua.heap.step_size.get() as isize);
        }
        Phase::Propagate => {
            if propagate(lua, work) {
                atomic(lua);
            }
            lua.heap.set_debt(lua.heap.step_size.get() as isize);
        }
        Phase::Sweep => {
            if sweep(lua, work) {
                lua.heap.phase.set(Phase::Pause);
                set_pause(lua);
            } else {
                lua.heap.set_debt(lua.heap.step_size.get() as isize);
            }
        }
    }
    run_finalizers(lua, 4)
}

/// A full collection (`collectgarbage("collect")`): finishes any cycle in progress,
/// then runs a complete one.
pub fn full(lua: &mut Lua) {
    if lua.heap.phase.get() == Phase::Propagate {
        // Finish marking this cycle, then sweep it.
        propagate(lua, usize::MAX);
        atomic(lua);
    }
    if lua.heap.phase.get() == Phase::Sweep {
        sweep(lua, usize::MAX);
    }
    mark_roots(lua);
    lua.heap.phase.set(Phase::Propagate);
    propagate(lua, usize::MAX);
    atomic(lua);
    sweep(lua, usize::MAX);
    lua.heap.phase.set(Phase::Pause);
    set_pause(lua);
}

/// Runs up to `max` pending finalizers (`__gc`), turning their errors into warnings.
pub(crate) fn run_finalizers(lua: &mut Lua, max: usize) -> LuaResult<()> {
    if lua.in_finalizer {
        return Ok(());
    }
    lua.in_finalizer = true;
    let mut n = 0;
    let mut result = Ok(());
    while n < max {
        let Some(h) = lua.heap.pop_tobefnz() else {
            break;
        };
        n += 1;
        // SAFETY: finalizable objects are tables or userdata.
        let obj = unsafe {
            match h.as_ref().kind() {
                Kind::Table => Value::Table(Gc::from_header(h)),
                Kind::UserData => Value::UserData(Gc::from_header(h)),
                _ => continue,
            }
        };
        let gc = lua.metamethod(&obj, TagMethod::Gc);
        if !gc.is_function() {
            continue;
        }
        let th = lua.th();
        let top = th.top;
        if th.ensure(&lua.heap, 3).is_err() {
            continue;
        }
        let th = lua.th();
        th.set(top, gc);
        th.set(top + 1, obj);
        th.top = top + 2;
        // The finalizer is named `__gc` and runs without debug hooks (`GCTM`).
        let fi = th.frames.len().wrapping_sub(1);
        let old_flags = th.frames.get(fi).map_or(0, |f| f.flags);
        if let Some(f) = th.frames.get_mut(fi) {
            f.flags |= flags::FINALIZING;
        }
        let hooks_off = core::mem::replace(&mut th.hooks.running, true);
        let r = lua.call_nested(top, 0);
        let th = lua.th();
        th.hooks.running = hooks_off;
        if let Some(f) = th.frames.get_mut(fi) {
            f.flags = (f.flags & !flags::FINALIZING) | (old_flags & flags::FINALIZING);
        }
        th.top = top;
        match r {
            Ok(()) => {}
            Err(crate::error::Error::Abort) => {
                result = Err(crate::error::Error::Abort);
                break;
            }
            Err(e) => {
                let msg = lua.error_message(&e);
                crate::lib_base::emit_warning(lua, &[b"error in __gc (", &msg, b")"]);
            }
        }
    }
    lua.in_finalizer = false;
    result
}

/// Registers `obj` for finalization when its metatable has `__gc` (`setmetatable`).
pub(crate) fn check_finalizer(lua: &Lua, obj: &Value, mt: Option<Gc<Table>>) {
    let Some(mt) = mt else { return };
    if lua.tm_from(mt, TagMethod::Gc).is_nil() {
        return;
    }
    if let Some(h) = obj.gc_header() {
        lua.heap.register_finalizer(h);
    }
}

/// Forward barrier for `SETUPVAL`: a black upvalue now refers to `v`.
#[inline(always)]
pub(crate) fn barrier_upval(heap: &Heap, uv: Gc<UpVal>, v: &Value) {
    if heap.keeps_invariant() && Heap::is_black(uv.header()) {
        mark_value(heap, v);
    }
}

/// Backward barrier for a store into table `t`.
#[inline(always)]
pub(crate) fn barrier_table(lua: &Lua, t: Gc<Table>, v: &Value) {
    if lua.heap.keeps_invariant() && Heap::is_black(t.header()) && is_white(&lua.heap, v) {
        lua.heap.barrier_back(t.as_header_ptr());
    }
}

/// Forward barrier for a store into a black object other than a table or thread.
#[inline(always)]
pub(crate) fn barrier_forward(lua: &Lua, owner: NonNull<GcHeader>, v: &Value) {
    // SAFETY: `owner` is live.
    if lua.heap.keeps_invariant() && Heap::is_black(unsafe { owner.as_ref() }) {
        mark_value(&lua.heap, v);
    }
}

/// Frees every object (closing the state). Finalizers must have run already.
pub(crate) fn free_all(lua: &mut Lua) {
    let mut cur = lua.heap.take_all();
    // Close open upvalues first: freeing order is arbitrary.
    let mut scan = cur;
    while let Some(h) = scan {
        // SAFETY: every listed object is live until freed below.
        if unsafe { h.as_ref() }.kind() == Kind::Thread {
            // SAFETY: the state is closing; nothing else uses the thread.
            unsafe { Gc::<Thread>::from_header(h).get_mut() }.close_upvals(&lua.heap, 0);
        }
        scan = Heap::next_of(h);
    }
    while let Some(h) = cur {
        cur = Heap::next_of(h);
        free_object(&lua.heap, &mut lua.strings, h);
    }
}
