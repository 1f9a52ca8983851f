//! Calls, returns, errors and coroutine switches: the executor around the interpreter.
//!
//! Lua-to-Lua calls, metamethod calls made by the VM, `pcall`, and coroutine resumes
//! and yields never recurse on the native stack: each pushes a `Frame` and the loop in
//! `execute` goes on with the new top frame. A native function that needs Lua to run
//! returns a `Ret` naming what to call and a continuation to run afterwards.
//!
//! Only `call_nested` recurses (natives such as `table.sort` that call Lua in a loop,
//! `__close` and `__gc` handlers, the host): it checks the stack guard first, and it
//! marks the thread non-yieldable while it runs.

use crate::api::{stack_error, ContFn, Ctx, Ret};
use crate::error::{Error, LuaResult};
use crate::gc::Gc;
use crate::opcode::TagMethod;
use crate::state::{Lua, MAX_C_CALLS, MAX_NESTED};
use crate::thread::{flags, CoStatus, Frame, Thread};
use crate::value::Value;

/// Results wanted by a call: all of them.
pub const MULTRET: i32 = -1;

/// The message of an error in error handling.
const ERRERR: &[u8] = b"error in error handling";

/// Longest chain of `__call` metamethods followed for one call.
const MAX_CALL_CHAIN: usize = 15;

impl Lua {
    /// Calls the function at stack index `func` of the running thread with the values
    /// above it (up to `top`) as arguments, leaving `nresults` results (all if
    /// `MULTRET`) from `func` on. Recurses on the native stack.
    ///
    /// # Errors
    /// Any error the call raises; the frames it pushed are gone then.
    pub fn call_nested(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        // Near the C-call limit only handlers (message handlers, `__close`, `__gc`)
        // still run, as in PUC; they get a tenth more room.
        if !self.guard.check()
            || self.nested >= MAX_NESTED
            || self.c_calls() >= MAX_C_CALLS / 10 * 11
        {
            return Err(self.rt_error(format_args!("C stack overflow")));
        }
        let thread = self.current;
        let depth = self.th().frames.len();
        self.nested += 1;
        self.th().non_yieldable += 1;
        // Even a native callee may have switched threads (a resume), so always run the
        // executor until this call's frames are gone.
        let r = match self.precall(func, nresults, flags::BOUNDARY) {
            Ok(_) => self.execute(thread, depth),
            Err(e) => Err(e),
        };
        // SAFETY: `thread` is live: it is the thread this call started on, referenced
        // from the frames below.
        let th = unsafe { thread.get_mut() };
        th.non_yieldable = th.non_yieldable.saturating_sub(1);
        self.nested -= 1;
        match r {
            Ok(()) => Ok(()),
            Err(e) => {
                self.unwind_to(thread, depth);
                // Pending to-be-closed variables of the abandoned frames close now, in
                // order, with the error (the caller may swallow it, as `__gc` runners do).
                if !e.is_catchable() || self.current != thread {
                    return Err(e);
                }
                Err(self.close_pending(func, e))
            }
        }
    }

    /// C calls in progress on the running thread's chain: natives waiting for Lua
    /// (here and in the resumers) and nested native-to-Lua calls.
    pub(crate) fn c_calls(&mut self) -> u32 {
        let th = self.th();
        th.inherited + th.waiting + self.nested
    }

    /// Refuses one more level of C calls past `MAX_C_CALLS` (PUC's `LUAI_MAXCCALLS`):
    /// `pcall`, `xpcall`, coroutines and natives calling Lua use no native stack here,
    /// but without a count a script nests them until memory runs out.
    fn check_c_calls(&mut self) -> LuaResult<()> {
        if self.c_calls() >= MAX_C_CALLS {
            return Err(self.rt_error(format_args!("C stack overflow")));
        }
        Ok(())
    }

    /// Closes pending to-be-closed variables at or above `level` after an error;
    /// returns the error to propagate (replaced if a handler failed).
    fn close_pending(&mut self, level: usize, e: Error) -> Error {
        if self.th().tbc.last().is_none_or(|&s| s < level) {
            return e;
        }
        let errv = crate::lib_base::error_value(self, e);
        match crate::vm::close_tbc_final(self, level, Some(errv), true) {
            Ok(Some(v)) if !v.raw_eq(&errv) => Error::Lua(v),
            Ok(_) => e,
            Err(e2) => e2,
        }
    }

    /// Prepares a call of the value at `func`: a Lua function gets a frame (true: the
    /// caller must run `execute`), a native function runs at once (false).
    pub(crate) fn precall(&mut self, func: usize, nresults: i32, fl: u8) -> LuaResult<bool> {
        let mut chain = 0;
        loop {
            let th = self.th();
            match th.get(func) {
                Value::LuaFn(cl) => {
                    let nargs = th.top.saturating_sub(func + 1);
                    self.push_lua_frame(func, nargs, cl, nresults, fl)?;
                    if chain > 0 {
                        if let Some(f) = self.th().frames.last_mut() {
                            f.extra_args = chain as u8;
                        }
                    }
                    return Ok(true);
                }
                f @ (Value::NativeFn(_) | Value::NativeClosure(_)) => {
                    let nf = match f {
                        Value::NativeFn(nf) => nf,
                        Value::NativeClosure(c) => c.f,
                        _ => return Ok(false),
                    };
                    th.ensure(&self.heap, crate::thread::MIN_STACK)
                        .map_err(|o| stack_error(self, o))?;
                    let frame = Frame {
                        func,
                        base: func + 1,
                        pc: 0,
                        nresults,
                        nextra: 0,
                        flags: fl,
                        extra_args: chain as u8,
                        closure: None,
                        k: None,
                        ctx: 0,
                        handler: 0,
                    };
                    th.push_frame(&self.heap, frame)
                        .map_err(|_| Error::Memory)?;
                    if self.hooked {
                        crate::lib_debug::hook_call(self)?;
                    }
                    let ret = nf(&mut Ctx {
                        lua: self,
                        base: func + 1,
                        report_as: None,
                    })?;
                    if let Ret::Values(n) = ret {
                        self.return_from_native(n)?;
                        return Ok(false);
                    }
                    return self.handle_ret(ret);
                }
                other => {
                    // `__call`: insert the metamethod as the function, shifting arguments.
                    let mm = self.metamethod(&other, TagMethod::Call);
                    chain += 1;
                    if mm.is_nil() || chain > MAX_CALL_CHAIN {
                        if !mm.is_nil() {
                            return Err(self.rt_error(format_args!("'__call' chain too long")));
                        }
                        return Err(crate::debug::call_error(self, func, &other));
                    }
                    th.ensure(&self.heap, 1).map_err(|o| stack_error(self, o))?;
                    let th = self.th();
                    let mut i = th.top;
                    while i > func {
                        th.set(i, th.get(i - 1));
                        i -= 1;
                    }
                    th.top += 1;
                    th.set(func, mm);
                }
            }
        }
    }

    /// Pushes the frame of a call to the Lua function `cl` sitting at `func`, with the
    /// `nargs` arguments above it (the part of `precall` the VM inlines).
    #[inline(always)]
    pub(crate) fn push_lua_frame(
        &mut self,
        func: usize,
        nargs: usize,
        cl: Gc<crate::func::LuaClosure>,
        nresults: i32,
        fl: u8,
    ) -> LuaResult<()> {
        let p = cl.proto;
        let th = self.th();
        let base = func + 1;
        let nparams = p.num_params as usize;
        let need = base + nargs.max(nparams) + p.max_stack as usize + 1;
        th.ensure_slots(&self.heap, need)
            .map_err(|o| stack_error(self, o))?;
        for i in nargs..nparams {
            th.set(base + i, Value::Nil);
        }
        th.top = base
            + if p.is_vararg {
                nargs.max(nparams)
            } else {
                nparams
            };
        let frame = Frame {
            func,
            base,
            pc: 0,
            nresults,
            nextra: 0,
            flags: fl,
            extra_args: 0,
            closure: Some(cl),
            k: None,
            ctx: 0,
            handler: 0,
        };
        th.push_frame(&self.heap, frame).map_err(|_| Error::Memory)
    }

    /// Acts on what a native function returned. True when a Lua frame was pushed and
    /// the caller must run `execute`.
    pub(crate) fn handle_ret(&mut self, ret: Ret) -> LuaResult<bool> {
        match ret {
            Ret::Values(n) => {
                self.return_from_native(n)?;
                Ok(false)
            }
            Ret::CallK {
                nargs,
                nresults,
                k,
                ctx,
                protected,
            } => {
                let th = self.th();
                th.set_k(Some(k), ctx);
                let depth = th.frames.len();
                let func = th.top.saturating_sub(nargs + 1);
                let Some(f) = th.frames.last_mut() else {
                    return Ok(false);
                };
                if protected {
                    f.flags |= flags::PROTECTED;
                }
                // Where the requested call's results start (and, if protected, where
                // the stack is cut back to on error).
                f.pc = func;
                match self
                    .check_c_calls()
                    .and_then(|()| self.precall(func, nresults, 0))
                {
                    Ok(true) => Ok(true),
                    Ok(false) => self.continue_native(Ok(())),
                    Err(e) if protected && e.is_catchable() => {
                        // A native callee fails with its frame still pushed: pop it, so
                        // that this frame's continuation is the one that gets the error.
                        self.th().truncate_frames(depth);
                        let e = self.apply_handler(e);
                        self.th().top = func;
                        self.continue_native(Err(e))
                    }
                    Err(e) => Err(e),
                }
            }
            Ret::TailCall { nargs } => {
                let th = self.th();
                let func = th.top.saturating_sub(nargs + 1);
                th.set_k(Some(pass_results), 0);
                if let Some(f) = th.frames.last_mut() {
                    f.pc = func;
                }
                self.check_c_calls()?;
                match self.precall(func, MULTRET, 0)? {
                    true => Ok(true),
                    false => self.continue_native(Ok(())),
                }
            }
            Ret::Yield(n) => self.yield_values(n, None, 0),
            Ret::YieldK { n, k, ctx } => self.yield_values(n, Some(k), ctx),
            Ret::Resume { co, nargs, k, ctx } => self.resume(co, nargs, k, ctx),
        }
    }

    /// Runs the continuation of the native frame on top after its requested call ended.
    pub(crate) fn continue_native(&mut self, status: LuaResult<()>) -> LuaResult<bool> {
        let th = self.th();
        let Some(k) = th.take_k() else {
            return status.map(|_| false);
        };
        let Some(f) = th.frames.last_mut() else {
            return Ok(false);
        };
        f.flags &= !flags::PROTECTED;
        let ctx = f.ctx;
        let base = f.base;
        let ret = k(
            &mut Ctx {
                lua: self,
                base,
                report_as: None,
            },
            status,
            ctx,
        )?;
        self.handle_ret(ret)
    }

    /// Pops the native frame on top, moving its last `n` values to its function slot.
    ///
    /// This is the collector's safe point for what natives allocate (strings, tables,
    /// coroutines, error messages): when the native was called from a plain Lua frame,
    /// every live value is on the stack below `top`, so a step may run here.
    #[inline]
    pub(crate) fn return_from_native(&mut self, n: usize) -> LuaResult<()> {
        let th = self.th();
        let Some(&Frame {
            func,
            nresults,
            flags: fl,
            ..
        }) = th.frames.last()
        else {
            return Ok(());
        };
        if self.hooked {
            crate::lib_debug::hook_return(self, th.top.saturating_sub(n), n)?;
        }
        let th = self.th();
        th.frames.truncate(th.frames.len() - 1);
        let first = th.top.saturating_sub(n);
        self.move_results(func, first, n, nresults)?;
        if self.heap.should_step() && fl & flags::BOUNDARY == 0 && self.in_plain_lua_frame() {
            crate::collect::step(self)?;
        }
        Ok(())
    }

    /// True when the top frame is a Lua frame between instructions (not finishing an op).
    fn in_plain_lua_frame(&mut self) -> bool {
        self.th()
            .frames
            .last()
            .is_some_and(|f| f.is_lua() && f.flags & flags::FINISH_OP == 0)
    }

    /// Moves `n` results from `first` to `dest`, adjusting to `wanted` (or all), and
    /// sets `top` after them.
    #[inline]
    pub(crate) fn move_results(
        &mut self,
        dest: usize,
        first: usize,
        n: usize,
        wanted: i32,
    ) -> LuaResult<()> {
        let th = self.th();
        let count = if wanted < 0 { n } else { wanted as usize };
        if dest + count > th.stack.len() {
            th.ensure_slots(&self.heap, dest + count)
                .map_err(|o| stack_error(self, o))?;
        }
        let th = self.th();
        for i in 0..count {
            let v = if i < n { th.get(first + i) } else { Value::Nil };
            th.set(dest + i, v);
        }
        th.top = dest + count;
        Ok(())
    }

    /// Runs frames until the frame stack of `entry_thread` is back to `entry_depth`.
    pub(crate) fn execute(
        &mut self,
        entry_thread: Gc<Thread>,
        entry_depth: usize,
    ) -> LuaResult<()> {
        loop {
            if self.current == entry_thread && self.th().frames.len() <= entry_depth {
                return Ok(());
            }
            let r = self.step();
            if let Err(e) = r {
                self.handle_error(e, entry_thread, entry_depth)?;
            }
        }
    }

    /// Makes progress on the top frame of the running thread.
    fn step(&mut self) -> LuaResult<()> {
        let th = self.th();
        match th.frames.last() {
            Some(f) if f.is_lua() => crate::vm::run(self),
            // A native frame on top that is not running: its requested call finished
            // without a frame of its own (cannot happen) or it is a finished coroutine.
            Some(_) => {
                self.continue_native(Ok(()))?;
                Ok(())
            }
            None => self.coroutine_finished(),
        }
    }

    /// After a Lua function returned with results at `dest..top` into a caller that is
    /// not a plain Lua frame: runs the caller's continuation or finishes its op.
    pub(crate) fn after_return(&mut self) -> LuaResult<()> {
        let th = self.th();
        match th.frames.last() {
            None => self.coroutine_finished(),
            Some(f) if f.is_lua() => {
                if f.flags & flags::FINISH_OP != 0 {
                    crate::vm::finish_op(self)?;
                }
                Ok(())
            }
            Some(_) => {
                self.continue_native(Ok(()))?;
                Ok(())
            }
        }
    }

    // ---- errors ----

    /// Unwinds to the nearest protected frame of the running thread above the entry
    /// point and resumes there; otherwise kills the coroutine or returns the error.
    fn handle_error(
        &mut self,
        mut e: Error,
        entry_thread: Gc<Thread>,
        entry_depth: usize,
    ) -> LuaResult<()> {
        loop {
            let th = self.th();
            let floor = if self.current == entry_thread {
                entry_depth
            } else {
                0
            };
            let protected = if e.is_catchable() {
                th.frames
                    .iter()
                    .enumerate()
                    .skip(floor)
                    .rev()
                    .find(|(_, f)| f.flags & flags::PROTECTED != 0)
                    .map(|(i, _)| i)
            } else {
                None
            };
            if let Some(idx) = protected {
                e = self.apply_handler(e);
                let th = self.th();
                let slot = th.frames.get(idx).map_or(0, |f| f.pc);
                let e = self.close_frames_above(idx + 1, slot, e);
                self.th().top = slot;
                self.th().leave_error_zone(&self.heap);
                if matches!(e, Error::Memory) {
                    // The frames that held the garbage are gone: reclaim it now, so the
                    // handler runs with memory to spare (an emergency collection).
                    crate::collect::full(self);
                }
                return self.continue_native(Err(e)).map(|_| ());
            }
            if self.current == entry_thread {
                self.unwind_to(entry_thread, entry_depth);
                return Err(e);
            }
            // An unprotected error ends the coroutine; its resumer gets the error. Its
            // frames stay for the debug library to inspect, as in PUC, until
            // `coroutine.close` (upvalues are closed now).
            let co = self.current;
            // SAFETY: `co` is the running thread, alive.
            let cot = unsafe { co.get_mut() };
            cot.close_upvals(&self.heap, 0);
            if let Some(&last) = cot.tbc.last() {
                cot.top = cot.top.max(last + 1);
            }
            cot.status = CoStatus::Dead;
            if let Error::Lua(v) = e {
                cot.error = Some(v);
            }
            let Some(resumer) = cot.resumer.take() else {
                return Err(e);
            };
            self.set_current(resumer);
            // SAFETY: the resumer is alive (it is waiting in `resume`).
            unsafe { resumer.get_mut() }.status = CoStatus::Running;
            // A coroutine that closed itself ends as if its body returned nothing, or
            // with the error a `__close` handler raised.
            let status = match cot.exit.take() {
                Some(Value::Nil) => Ok(()),
                Some(v) => {
                    cot.error = Some(v);
                    Err(Error::Lua(v))
                }
                None if !e.is_catchable() => continue,
                None => Err(e),
            };
            match self.continue_native(status) {
                Ok(_) => return Ok(()),
                Err(e2) => e = e2,
            }
        }
    }

    /// Calls the message handler of the innermost `xpcall` frame, if any, on `e`; a
    /// nil error object then becomes `"<no error object>"` (`luaG_errormsg`).
    fn apply_handler(&mut self, e: Error) -> Error {
        let e = self.run_handler(e);
        match e {
            Error::Lua(Value::Nil) => self
                .str_value(b"<no error object>")
                .map_or(Error::Memory, Error::Lua),
            e => e,
        }
    }

    fn run_handler(&mut self, e: Error) -> Error {
        let Error::Lua(mut v) = e else { return e };
        let th = self.th();
        let Some(f) = th
            .frames
            .iter()
            .rev()
            .find(|f| f.flags & flags::PROTECTED != 0)
        else {
            return e;
        };
        if f.handler == 0 || self.is_error_in_error_handling(&v) {
            return e;
        }
        let h = th.get(f.handler);
        // An error in the handler goes to the handler too, one C level deeper each
        // time, as in PUC (`depth` counts those levels; they use no native stack);
        // past the C-call limit it is an error in error handling.
        let mut depth = 0;
        loop {
            let level = self.c_calls() + depth;
            if level >= MAX_C_CALLS / 10 * 11 {
                return self.error_in_error_handling();
            }
            depth += 1;
            if level == MAX_C_CALLS {
                // This call is one too many: its failure is handled like any error.
                match self.str_value(b"C stack overflow") {
                    Ok(s) => v = s,
                    Err(e) => return e,
                }
                continue;
            }
            match self.call_handler(h, v) {
                Ok(r) => return Error::Lua(r),
                Err(Error::Lua(v2)) if !self.is_error_in_error_handling(&v2) => v = v2,
                Err(e2) => return e2,
            }
        }
    }

    fn call_handler(&mut self, h: Value, v: Value) -> LuaResult<Value> {
        let th = self.th();
        let top = th.top;
        th.ensure(&self.heap, 3).map_err(|o| stack_error(self, o))?;
        let th = self.th();
        th.set(top, h);
        th.set(top + 1, v);
        th.top = top + 2;
        let r = self.call_nested(top, 1);
        let th = self.th();
        let v = th.get(top);
        th.top = top;
        r.map(|_| v)
    }

    /// The error raised when handling an error fails again (`luaD_errerr`); it is not
    /// passed to a handler.
    pub(crate) fn error_in_error_handling(&mut self) -> Error {
        self.str_value(ERRERR).map_or(Error::Memory, Error::Lua)
    }

    fn is_error_in_error_handling(&self, v: &Value) -> bool {
        matches!(v, Value::Str(s) if s.as_bytes() == ERRERR)
    }

    /// Pops frames of `thread` down to `depth`, closing upvalues (no `__close` calls:
    /// those run in `close_frames_above` for protected unwinds).
    /// Pending to-be-closed variables stay registered: whoever catches the error closes
    /// them (`close_pending`, a protected frame, or `coroutine.close` for a dead
    /// coroutine), so the stack keeps their values below `top`.
    pub(crate) fn unwind_to(&mut self, thread: Gc<Thread>, depth: usize) {
        // SAFETY: `thread` is alive (running, or the one a nested call started on).
        let th = unsafe { thread.get_mut() };
        if th.frames.len() <= depth {
            return;
        }
        let level = th.frames.get(depth).map_or(0, |f| f.func);
        th.truncate_frames(depth);
        th.close_upvals(&self.heap, level);
        if let Some(&last) = th.tbc.last() {
            th.top = th.top.max(last + 1);
        }
    }

    /// Pops frames from index `from` on, closing upvalues and calling `__close` of
    /// pending to-be-closed variables at or above `level` with the error object.
    fn close_frames_above(&mut self, from: usize, level: usize, err: Error) -> Error {
        let th = self.th();
        th.truncate_frames(from);
        th.close_upvals(&self.heap, level);
        self.close_pending(level, err)
    }

    // ---- coroutines ----

    /// Pushes `n` values of `from` (starting at stack index `first`) onto `to`: the
    /// arguments of a resume, the values of a yield, the results of a finished coroutine.
    fn transfer(
        &mut self,
        from: &Thread,
        first: usize,
        n: usize,
        to: &mut Thread,
    ) -> LuaResult<()> {
        to.ensure(&self.heap, n + 1)
            .map_err(|o| stack_error(self, o))?;
        for i in 0..n {
            let t = to.top;
            to.set(t, from.get(first + i));
            to.top += 1;
        }
        Ok(())
    }

    /// Starts or continues coroutine `co` with the last `nargs` values of the running
    /// thread as arguments.
    fn resume(&mut self, co: Gc<Thread>, nargs: usize, k: ContFn, ctx: usize) -> LuaResult<bool> {
        let from = self.current;
        {
            let th = self.th();
            th.set_k(Some(k), ctx);
            if let Some(f) = th.frames.last_mut() {
                f.flags |= flags::RESUMING;
            }
        }
        // SAFETY: `co` is a live thread distinct from the running one (checked by the
        // caller: only suspended coroutines are resumed).
        let cot = unsafe { co.get_mut() };
        self.check_c_calls()?;
        if !self.guard.check() {
            return Err(self.rt_error(format_args!("C stack overflow")));
        }
        let th = self.th();
        cot.inherited = th.inherited + th.waiting;
        let th = self.th();
        let first = th.top.saturating_sub(nargs);
        cot.ensure(&self.heap, crate::thread::MIN_STACK)
            .map_err(|o| stack_error(self, o))?;
        self.transfer(th, first, nargs, cot)?;
        th.top = first;
        th.status = CoStatus::Normal;
        cot.status = CoStatus::Running;
        cot.resumer = Some(from);
        self.set_current(co);
        if cot.frames.is_empty() {
            // First resume: the body function sits at slot 0.
            return match self.precall(0, MULTRET, 0) {
                Ok(pushed) => {
                    if !pushed && self.current == co {
                        self.coroutine_finished()?;
                    }
                    Ok(true)
                }
                Err(e) => Err(e),
            };
        }
        // Resuming a yield: the yielding native frame returns the resume arguments.
        let cot = self.th();
        let Some(f) = cot.frames.last() else {
            return Ok(true);
        };
        if f.k.is_some() {
            self.continue_native(Ok(()))?;
        } else {
            self.return_from_native(nargs)?;
            self.after_return()?;
        }
        Ok(true)
    }

    /// Suspends the running coroutine, passing the last `n` values to its resumer.
    fn yield_values(&mut self, n: usize, k: Option<ContFn>, ctx: usize) -> LuaResult<bool> {
        let co = self.current;
        // SAFETY: the running thread is alive.
        let cot = unsafe { co.get_mut() };
        if co == self.main || cot.resumer.is_none() {
            return Err(self.rt_error(format_args!("attempt to yield from outside a coroutine")));
        }
        if cot.non_yieldable > 0 {
            return Err(self.rt_error(format_args!("attempt to yield across a C-call boundary")));
        }
        cot.set_k(k, ctx);
        let first = cot.top.saturating_sub(n);
        let Some(resumer) = cot.resumer.take() else {
            return Ok(false);
        };
        cot.status = CoStatus::Suspended;
        // SAFETY: the resumer is alive and waiting.
        let rt = unsafe { resumer.get_mut() };
        let moved = self.transfer(cot, first, n, rt);
        cot.top = first;
        rt.status = CoStatus::Running;
        self.set_current(resumer);
        let status = self.results_moved(moved);
        self.continue_native(status)
    }

    /// The running coroutine's body returned: its results (at `0..top`) go to the
    /// resumer.
    fn coroutine_finished(&mut self) -> LuaResult<()> {
        let co = self.current;
        // SAFETY: the running thread is alive.
        let cot = unsafe { co.get_mut() };
        let Some(resumer) = cot.resumer.take() else {
            return Ok(());
        };
        cot.status = CoStatus::Dead;
        let n = cot.top;
        // SAFETY: the resumer is alive and waiting.
        let rt = unsafe { resumer.get_mut() };
        let moved = self.transfer(cot, 0, n, rt);
        cot.top = 0;
        rt.status = CoStatus::Running;
        self.set_current(resumer);
        let status = self.results_moved(moved);
        self.continue_native(status).map(|_| ())
    }

    /// What the resumer gets when the values a coroutine passes back do not fit on
    /// its stack: an error (the coroutine itself has yielded or finished).
    fn results_moved(&mut self, moved: LuaResult<()>) -> LuaResult<()> {
        match moved {
            Ok(()) => Ok(()),
            Err(Error::Memory) => Err(Error::Memory),
            Err(_) => Err(self
                .str_value(b"too many results to resume")
                .map_or(Error::Memory, Error::Lua)),
        }
    }
}

/// Continuation that returns the callee's results unchanged (tail calls from natives).
fn pass_results(cx: &mut Ctx<'_>, status: LuaResult<()>, _: usize) -> LuaResult<Ret> {
    status?;
    let th = cx.lua.th();
    let start = th.frames.last().map_or(0, |f| f.pc);
    Ok(Ret::Values(th.top.saturating_sub(start)))
}
