//! Loading chunks: compiles source text and turns the compiler's plain `Proto` tree into
//! collected prototypes, checking every instruction on the way (the VM trusts operands).

use alloc::vec::Vec;

use crate::error::{Error, LuaResult};
use crate::func::{FnProto, LuaClosure, UpVal, UpvalInfo};
use crate::gc::{Gc, Kind};
use crate::lstr::LStr;
use crate::opcode::{ins, Op, OP_NAMES};
use crate::proto::{Constant, Proto};
use crate::state::Lua;
use crate::tvec::TryVec;
use crate::value::Value;

/// Which chunk kinds `load` accepts (`mode` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Text,
    Binary,
    Both,
}

impl Mode {
    /// Parses `"t"`, `"b"` or `"bt"`.
    pub fn parse(s: &[u8]) -> Mode {
        let t = s.contains(&b't');
        let b = s.contains(&b'b');
        match (t, b) {
            (true, false) => Mode::Text,
            (false, true) => Mode::Binary,
            _ => Mode::Both,
        }
    }
}

/// Signature that starts a binary chunk.
const BINARY_SIGNATURE: &[u8] = b"\x1bLua";

impl Lua {
    /// Compiles `source` into a function whose `_ENV` upvalue is `env` (default: the
    /// global table).
    ///
    /// # Errors
    /// A syntax error message (as a Lua string value) or `Error::Memory`.
    pub fn load(
        &mut self,
        source: &[u8],
        chunkname: &[u8],
        mode: Mode,
        env: Option<Value>,
    ) -> LuaResult<Value> {
        if source.starts_with(BINARY_SIGNATURE) {
            if mode == Mode::Text {
                return Err(
                    self.load_error(chunkname, "attempt to load a binary chunk (mode is 't')")
                );
            }
            return Err(self.load_error(chunkname, "binary chunks are not supported"));
        }
        if mode == Mode::Binary {
            return Err(self.load_error(chunkname, "attempt to load a text chunk (mode is 'b')"));
        }
        if self.nested == 0 {
            // Called from the host: a safe point, with `env` the only value in flight.
            self.relieve_pressure(env.as_slice());
        }
        let proto = match crate::parse::compile(source, chunkname, &self.guard) {
            Ok(p) => p,
            Err(crate::parse::CompileError::Memory) => return Err(Error::Memory),
            Err(crate::parse::CompileError::Syntax(msg)) => {
                return Err(Error::Lua(self.str_value(&msg)?))
            }
        };
        let source_str = self.new_str(chunkname)?;
        let p = self.convert(proto, source_str)?;
        let env = env.unwrap_or(Value::Table(self.globals));
        let mut upvals = Vec::new();
        for _ in 0..p.upvals.len() {
            let uv = self.new_closed_upval(Value::Nil)?;
            upvals.try_push(uv)?;
        }
        if let Some(first) = upvals.first() {
            first.set(env);
        }
        self.heap
            .charge(upvals.capacity() * core::mem::size_of::<Gc<UpVal>>())?;
        let cl = self
            .heap
            .alloc_box(Kind::LuaClosure, LuaClosure { proto: p, upvals }, 0)?;
        Ok(Value::LuaFn(cl))
    }

    /// A load error (`checkmode` in ldo.c raises these without a position).
    fn load_error(&mut self, _chunkname: &[u8], msg: &str) -> Error {
        match self.str_value(msg.as_bytes()) {
            Ok(v) => Error::Lua(v),
            Err(e) => e,
        }
    }

    /// A closed upvalue holding `v`.
    pub(crate) fn new_closed_upval(&mut self, v: Value) -> LuaResult<Gc<UpVal>> {
        let uv = self.heap.alloc_box(
            Kind::UpVal,
            UpVal {
                v: core::cell::Cell::new(core::ptr::null_mut()),
                closed: core::cell::Cell::new(v),
                level: core::cell::Cell::new(0),
                open_next: core::cell::Cell::new(None),
            },
            0,
        )?;
        uv.v.set(uv.closed.as_ptr());
        Ok(uv)
    }

    /// Converts a compiled prototype tree into collected prototypes.
    fn convert(&mut self, p: Proto, source: Gc<LStr>) -> LuaResult<Gc<FnProto>> {
        if !self.guard.check() {
            return Err(self.rt_error(format_args!("C stack overflow")));
        }
        if verify(&p).is_err() {
            return Err(self.rt_error(format_args!("bad bytecode")));
        }
        let mut constants = Vec::new();
        constants
            .try_reserve_exact(p.constants.len())
            .map_err(|_| Error::Memory)?;
        for c in p.constants.iter() {
            let v = match c {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(s) => Value::Str(self.new_str(s)?),
            };
            constants.try_push(v)?;
        }
        let mut protos = Vec::new();
        protos
            .try_reserve_exact(p.protos.len())
            .map_err(|_| Error::Memory)?;
        let Proto {
            protos: children,
            upvalues,
            code,
            lines,
            locals,
            line_defined,
            last_line_defined,
            num_params,
            is_vararg,
            max_stack,
            ..
        } = p;
        for child in children {
            let c = self.convert(child, source)?;
            protos.try_push(c)?;
        }
        let mut upvals = Vec::new();
        let mut upval_names = Vec::new();
        upvals
            .try_reserve_exact(upvalues.len())
            .map_err(|_| Error::Memory)?;
        upval_names
            .try_reserve_exact(upvalues.len())
            .map_err(|_| Error::Memory)?;
        for u in upvalues {
            upvals.try_push(UpvalInfo {
                in_stack: u.in_stack,
                index: u.index,
            })?;
            upval_names.try_push(u.name)?;
        }
        let fp = FnProto {
            code,
            constants,
            protos,
            upvals,
            num_params,
            is_vararg,
            max_stack,
            source,
            line_defined,
            last_line_defined,
            lines,
            locals,
            upval_names,
        };
        self.heap.charge(fp.buffer_bytes())?;
        Ok(self.heap.alloc_box(Kind::Proto, fp, 0)?)
    }
}

/// Checks what the VM takes on trust: valid opcodes, register operands inside the
/// frame, constant and prototype indices in range, jumps inside the code.
fn verify(p: &Proto) -> LuaResult<()> {
    let bad = || Error::Lua(Value::Nil);
    let max = p.max_stack as u32;
    let ncode = p.code.len() as i64;
    if p.lines.len() != p.code.len() || p.code.is_empty() {
        return Err(bad());
    }
    for (pc, &i) in p.code.iter().enumerate() {
        let Some(op) = Op::from_u8(ins::op(i)) else {
            return Err(bad());
        };
        if ins::op(i) as usize >= OP_NAMES.len() {
            return Err(bad());
        }
        let a = ins::a(i);
        let in_code = |target: i64| target >= 0 && target < ncode;
        let ok = match op {
            Op::Jmp => in_code(pc as i64 + 1 + ins::sj(i) as i64),
            Op::LoadK => a < max && (ins::bx(i) as usize) < p.constants.len(),
            Op::Closure => a < max && (ins::bx(i) as usize) < p.protos.len(),
            Op::ForLoop | Op::TForLoop => {
                a + 4 <= max.max(a + 4) && pc as i64 + 1 - ins::bx(i) as i64 >= 0
            }
            Op::ForPrep | Op::TForPrep => in_code(pc as i64 + 1 + ins::bx(i) as i64),
            Op::GetUpval | Op::SetUpval => a < max && (ins::b(i) as usize) < p.upvalues.len(),
            Op::GetTabUp => {
                a < max
                    && (ins::b(i) as usize) < p.upvalues.len()
                    && (ins::c(i) as usize) < p.constants.len()
            }
            Op::SetTabUp => {
                (a as usize) < p.upvalues.len() && (ins::b(i) as usize) < p.constants.len()
            }
            Op::ExtraArg | Op::Return0 | Op::VarArgPrep => true,
            // A register operand may name the slot just past the frame when it starts
            // an empty range (e.g. `RETURN A 1`); `precall` keeps one spare slot.
            _ => a <= max,
        };
        if !ok {
            return Err(bad());
        }
    }
    Ok(())
}
