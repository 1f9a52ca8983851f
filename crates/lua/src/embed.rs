//! The host's entry points: running chunks and calling functions from Rust.

use alloc::vec::Vec;

use crate::api::stack_error;
use crate::call::MULTRET;
use crate::error::{Error, LuaResult};
use crate::stack::StackGuard;
use crate::state::Lua;
use crate::tvec::TryVec;
use crate::value::Value;

impl Lua {
    /// Calls `f(args...)` and returns all its results.
    ///
    /// # Errors
    /// The error the call raised (the state stays usable).
    pub fn call(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        self.enter(|lua| {
            let th = lua.th();
            let func = th.top;
            th.ensure(&lua.heap, args.len() + 1)
                .map_err(|o| stack_error(lua, o))?;
            let th = lua.th();
            th.set(func, f);
            for (i, a) in args.iter().enumerate() {
                th.set(func + 1 + i, *a);
            }
            th.top = func + 1 + args.len();
            // The function and arguments are on the stack now: a safe point.
            lua.relieve_pressure(&[]);
            let r = lua.call_nested(func, MULTRET);
            let th = lua.th();
            let mut out = Vec::new();
            if r.is_ok() {
                let n = th.top.saturating_sub(func);
                out.try_reserve_exact(n).map_err(|_| Error::Memory)?;
                for i in 0..n {
                    out.try_push(th.get(func + i))?;
                }
            }
            let th = lua.th();
            for i in func..th.top {
                th.set(i, Value::Nil);
            }
            th.top = func;
            if matches!(r, Err(Error::Memory)) && lua.nested == 0 {
                crate::collect::full(lua);
            }
            r.map(|_| out)
        })
    }

    /// A new coroutine (a thread value) that runs `f` when first resumed.
    ///
    /// # Errors
    /// `Error::Memory`.
    pub fn new_coroutine(&mut self, f: Value) -> LuaResult<Value> {
        crate::lib_coroutine::new_coroutine(self, f).map(Value::Thread)
    }

    /// True when `co` is a coroutine that `resume_coroutine` can continue (started or not, not
    /// finished, not running).
    pub fn is_resumable(&self, co: &Value) -> bool {
        matches!(co, Value::Thread(t) if crate::lib_coroutine::resume_problem(self, *t).is_none())
    }

    /// Resumes the coroutine `co` with `args` (`lua_resume`): the values it yields, or
    /// returns when it ends.
    ///
    /// # Errors
    /// The error that ended the coroutine, or why it cannot be resumed; a budget abort
    /// as `Error::Abort`.
    pub fn resume_coroutine(&mut self, co: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let mut all = Vec::new();
        all.try_reserve_exact(args.len() + 1)
            .map_err(|_| Error::Memory)?;
        all.try_push(co)?;
        all.try_extend_from_slice(args)?;
        let mut results = self.call(Value::NativeFn(crate::lib_coroutine::resume), &all)?;
        // `coroutine.resume` answers `true, values...` or `false, error`.
        match results.first() {
            Some(Value::Bool(true)) => {
                results.remove(0);
                Ok(results)
            }
            _ => Err(Error::Lua(results.get(1).copied().unwrap_or(Value::Nil))),
        }
    }

    /// Like `call`, but an error comes back as its message followed by a traceback
    /// taken where it was raised (what `lua.c` prints).
    pub fn call_traceback(&mut self, f: Value, args: &[Value]) -> Result<Vec<Value>, Vec<u8>> {
        let handler = Value::NativeFn(crate::lib_base::traceback_handler);
        let xpcall = Value::NativeFn(crate::lib_base::XPCALL);
        let mut full = Vec::new();
        let fail = |lua: &Lua, e: Error| lua.error_message(&e);
        if full.try_push(f).is_err()
            || full.try_push(handler).is_err()
            || full.try_extend_from_slice(args).is_err()
        {
            return Err(fail(self, Error::Memory));
        }
        match self.call(xpcall, &full) {
            Ok(mut rs) => {
                if matches!(rs.first(), Some(Value::Bool(true))) {
                    rs.remove(0);
                    Ok(rs)
                } else {
                    let e = rs.get(1).copied().unwrap_or(Value::Nil);
                    Err(self.error_message(&Error::Lua(e)))
                }
            }
            Err(e) => Err(fail(self, e)),
        }
    }

    /// Runs `body` as an entry from the host: sets the native stack guard from the
    /// current stack pointer (unless already inside the engine).
    pub fn enter<T>(&mut self, body: impl FnOnce(&mut Lua) -> LuaResult<T>) -> LuaResult<T> {
        let outer = self.nested == 0;
        if outer {
            // The budget below this entry, or the host's floor if that is higher (the
            // kernel knows the real bounds of the stack it runs on).
            let budget = StackGuard::with_budget(self.stack_budget);
            self.guard = match self.host_floor {
                Some(floor) => budget.max_floor(floor),
                None => budget,
            };
        }
        body(self)
    }

    /// Collects garbage when the state is close to its memory limit. Only safe where every
    /// live value is reachable from the roots or listed in `keep` (values the host holds
    /// in Rust locals are not roots: keep them in the registry across calls).
    pub(crate) fn relieve_pressure(&mut self, keep: &[Value]) {
        let limit = self.heap.limit();
        if limit == 0 || self.heap.bytes() <= limit / 4 * 3 {
            return;
        }
        let th = self.th();
        let top = th.top;
        if th.ensure(&self.heap, keep.len()).is_err() {
            return;
        }
        let th = self.th();
        for (i, v) in keep.iter().enumerate() {
            th.set(top + i, *v);
        }
        th.top = top + keep.len();
        crate::collect::full(self);
        let th = self.th();
        for i in top..th.top {
            th.set(i, Value::Nil);
        }
        th.top = top;
    }

    /// Sets the native stack guard explicitly (the kernel computes the real floor). It
    /// also stays in force for later entries through `enter`, combined with the
    /// budget (the higher floor wins), until `clear_stack_floor`.
    pub fn set_stack_guard(&mut self, guard: StackGuard) {
        self.guard = guard;
        self.host_floor = Some(guard.floor());
    }

    /// Forgets a floor set with `set_stack_guard`.
    pub fn clear_stack_floor(&mut self) {
        self.host_floor = None;
    }

    /// Changes the native stack budget used at each entry.
    pub fn set_stack_budget(&mut self, budget: usize) {
        self.stack_budget = budget;
    }

    /// Runs a full garbage collection and pending finalizers.
    pub fn collect_garbage(&mut self) -> LuaResult<()> {
        crate::collect::full(self);
        crate::collect::run_finalizers(self, usize::MAX)
    }
}

impl Drop for Lua {
    fn drop(&mut self) {
        // Pending finalizers run first (as `lua_close` does), then everything is freed.
        self.guard = StackGuard::with_budget(self.stack_budget);
        self.heap.separate_all();
        let _ = crate::collect::run_finalizers(self, usize::MAX);
        crate::collect::free_all(self);
        let threads = core::mem::take(&mut self.threads);
        drop(threads);
    }
}

impl Lua {
    /// A native function with upvalues (`lua_pushcclosure`); it reads them back with
    /// `Ctx::upvalue`. Hosts use it for iterators that carry state (`io.lines`).
    ///
    /// # Errors
    /// `Error::Memory`.
    pub fn new_native_closure(
        &mut self,
        f: crate::api::NativeFn,
        upvals: &[Value],
    ) -> LuaResult<Value> {
        let mut v = Vec::new();
        v.try_extend_from_slice(upvals)?;
        self.heap
            .charge(v.capacity() * core::mem::size_of::<Value>())?;
        let c = self.heap.alloc_box(
            crate::gc::Kind::NativeClosure,
            crate::func::NativeClosure { f, upvals: v },
            0,
        )?;
        Ok(Value::NativeClosure(c))
    }
}

impl crate::api::Ctx<'_> {
    /// Upvalue `i` (from 1) of the running native closure; nil when there is none.
    pub fn upvalue(&self, i: usize) -> Value {
        let th = self.lua.th();
        match th.frames.last().map(|f| th.get(f.func)) {
            Some(Value::NativeClosure(c)) => i
                .checked_sub(1)
                .and_then(|k| c.upvals.get(k).copied())
                .unwrap_or(Value::Nil),
            _ => Value::Nil,
        }
    }
}
