//! Loading chunks: compiles source text (or reads a binary chunk, `undump.rs`) and turns
//! the plain `Proto` tree into collected prototypes, passing each through the bytecode
//! verifier (`verify.rs`) on the way: the VM trusts operands.

use alloc::vec::Vec;

use crate::error::{Error, LuaResult};
use crate::func::{FnProto, LuaClosure, UpVal, UpvalInfo};
use crate::gc::{Gc, Kind};
use crate::lstr::LStr;
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
    /// Compiles `source`, or reads it as a binary chunk when it starts with `"\x1bLua"`,
    /// into a function whose first upvalue (`_ENV`) is `env` (default: the global
    /// table); other upvalues of a binary chunk's function start as nil.
    ///
    /// # Errors
    /// A message (as a Lua string value): a syntax error, a refused mode, binary chunks
    /// disabled by `Config::allow_binary`, or a malformed binary chunk (`bad binary
    /// format (...)`, including bytecode the verifier rejects); or `Error::Memory`.
    pub fn load(
        &mut self,
        source: &[u8],
        chunkname: &[u8],
        mode: Mode,
        env: Option<Value>,
    ) -> LuaResult<Value> {
        let binary = source.starts_with(BINARY_SIGNATURE);
        if binary && mode == Mode::Text {
            return Err(self.load_error(chunkname, "attempt to load a binary chunk (mode is 't')"));
        }
        if !binary && mode == Mode::Binary {
            return Err(self.load_error(chunkname, "attempt to load a text chunk (mode is 'b')"));
        }
        if binary && !self.allow_binary {
            return Err(self.load_error(
                chunkname,
                "attempt to load a binary chunk (binary chunks are disabled)",
            ));
        }
        if self.nested == 0 {
            // Called from the host: a safe point, with `env` the only value in flight.
            self.relieve_pressure(env.as_slice());
        }
        let (proto, source_name) = if binary {
            match crate::undump::undump(source) {
                Ok((p, _)) => {
                    let name = self.new_str(&p.source)?;
                    (p, name)
                }
                Err(crate::undump::UndumpError::Memory) => return Err(Error::Memory),
                Err(crate::undump::UndumpError::Format(why)) => {
                    return Err(self.bad_format(chunkname, format_args!("{}", why)))
                }
            }
        } else {
            let p = match crate::parse::compile(source, chunkname, &self.guard) {
                Ok(p) => p,
                Err(crate::parse::CompileError::Memory) => return Err(Error::Memory),
                Err(crate::parse::CompileError::Syntax(msg)) => {
                    return Err(Error::Lua(self.str_value(&msg)?))
                }
            };
            (p, self.new_str(chunkname)?)
        };
        let p = match self.convert(proto, source_name) {
            Ok(p) => p,
            Err(Converted::Lua(e)) => return Err(e),
            Err(Converted::Bad(e)) => {
                let at = e.pc.map_or(0, |pc| pc + 1);
                let why = format_args!("invalid bytecode: {} (instruction {})", e.what, at);
                // From source text this is a compiler bug; say so rather than blame a
                // binary format.
                return Err(if binary {
                    self.bad_format(chunkname, why)
                } else {
                    self.rt_error(format_args!("internal compiler error ({})", why))
                });
            }
        };
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

    /// `<chunk>: bad binary format (<why>)`, named as `lundump.c` names the chunk.
    fn bad_format(&mut self, chunkname: &[u8], why: core::fmt::Arguments<'_>) -> Error {
        let name = match chunkname.first() {
            Some(b'@' | b'=') => chunkname.get(1..).unwrap_or_default(),
            // ESC: the signature's first byte (a chunk used as its own name).
            Some(0x1b) => b"binary string",
            _ => chunkname,
        };
        let mut buf = crate::api::Buf::default();
        buf.push_bytes(name);
        let written =
            core::fmt::Write::write_fmt(&mut buf, format_args!(": bad binary format ({})", why));
        if written.is_err() || buf.failed {
            return Error::Memory;
        }
        match self.str_value(&buf.bytes) {
            Ok(v) => Error::Lua(v),
            Err(e) => e,
        }
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

    /// Converts a prototype tree into collected prototypes, verifying each one first.
    /// Depth first, with the prototypes on the path from the root kept in `open` on the
    /// heap, so nested functions take no native stack.
    fn convert(&mut self, p: Proto, source: Gc<LStr>) -> Result<Gc<FnProto>, Converted> {
        let mut open = Vec::new();
        let r = self.convert_tree(p, source, &mut open);
        // After a failure, the prototypes not converted yet go without recursing.
        for o in open {
            crate::proto::drop_nested(o.children);
        }
        r
    }

    fn convert_tree(
        &mut self,
        root: Proto,
        source: Gc<LStr>,
        open: &mut Vec<OpenProto>,
    ) -> Result<Gc<FnProto>, Converted> {
        let mut next = Some(root);
        loop {
            if let Some(p) = next.take() {
                self.open_proto(p, open)?;
            }
            let Some(top) = open.last_mut() else {
                return Err(Converted::Lua(Error::Memory)); // `open_proto` pushed one
            };
            if let Some(child) = top.children.pop() {
                next = Some(child);
                continue;
            }
            let Some(done) = open.pop() else {
                return Err(Converted::Lua(Error::Memory));
            };
            let fp = self.close_proto(done, source)?;
            match open.last_mut() {
                Some(parent) => parent.protos.try_push(fp)?,
                None => return Ok(fp),
            }
        }
    }

    /// Verifies `p` and converts its constants; pushes it on `open` with its children
    /// still to convert (`children` in reverse order, so `pop` takes them in order).
    fn open_proto(&mut self, mut p: Proto, open: &mut Vec<OpenProto>) -> Result<(), Converted> {
        let verified = crate::verify::verify(&p);
        let mut children = core::mem::take(&mut p.protos);
        children.reverse();
        if open.try_reserve(1).is_err() {
            crate::proto::drop_nested(children);
            return Err(Converted::Lua(Error::Memory));
        }
        open.try_push(OpenProto {
            constants: Vec::new(),
            protos: Vec::new(),
            p,
            children,
        })?;
        verified.map_err(Converted::Bad)?;
        let Some(top) = open.last_mut() else {
            return Err(Converted::Lua(Error::Memory));
        };
        let mut constants = Vec::new();
        constants
            .try_reserve_exact(top.p.constants.len())
            .map_err(|_| Error::Memory)?;
        for c in top.p.constants.iter() {
            let v = match c {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(s) => Value::Str(self.new_str(s)?),
            };
            constants.try_push(v)?;
        }
        top.protos
            .try_reserve_exact(top.children.len())
            .map_err(|_| Error::Memory)?;
        top.constants = constants;
        Ok(())
    }

    /// Makes the collected prototype of `o`, whose children are converted.
    fn close_proto(&mut self, o: OpenProto, source: Gc<LStr>) -> Result<Gc<FnProto>, Converted> {
        let OpenProto {
            p,
            constants,
            protos,
            ..
        } = o;
        let Proto {
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

/// A prototype being converted: its constants, its children converted so far and those
/// still to convert.
struct OpenProto {
    p: Proto,
    constants: Vec<Value>,
    protos: Vec<Gc<FnProto>>,
    children: Vec<Proto>,
}

/// Why `convert` failed.
enum Converted {
    Lua(Error),
    Bad(crate::verify::VerifyError),
}

impl From<Error> for Converted {
    fn from(e: Error) -> Self {
        Converted::Lua(e)
    }
}

impl From<crate::tvec::AllocError> for Converted {
    fn from(_: crate::tvec::AllocError) -> Self {
        Converted::Lua(Error::Memory)
    }
}
