//! A `luac -l -l` style listing of a compiled `Proto`, for tests and debugging.
//!
//! The text follows luac.c's `PrintFunction` of Lua 5.4 line by line (header, code with
//! operand comments, constants, locals, upvalues, then nested functions in order), so
//! that a listing can be compared with `luac5.4 -l -l -p` output once addresses are
//! masked. The 5.5 opcodes print in the same style.

use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::opcode::{ins, Instruction, Op, TagMethod, MAXARG_C};
use crate::proto::{Constant, Proto};
use crate::tvec::{AllocError, TryVec};

/// Output buffer that grows fallibly.
struct Out(Vec<u8>);

impl Write for Out {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0
            .try_extend_from_slice(s.as_bytes())
            .map_err(|_| fmt::Error)
    }
}

/// Fixed buffer for formatting one number.
struct Small {
    buf: [u8; 40],
    len: usize,
}

impl Write for Small {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes `f` as C's `printf("%.14g")` does.
pub fn write_g14(out: &mut impl Write, f: f64) -> fmt::Result {
    let spec = crate::numfmt::Spec {
        precision: Some(14),
        conv: b'g',
        ..crate::numfmt::Spec::default()
    };
    let mut text = Vec::new();
    crate::numfmt::fmt_spec_float(&mut text, &spec, f).map_err(|_| fmt::Error)?;
    out.write_str(core::str::from_utf8(&text).map_err(|_| fmt::Error)?)
}

fn write_string(out: &mut Out, s: &[u8]) -> fmt::Result {
    out.write_char('"')?;
    for &c in s {
        match c {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            0x07 => out.write_str("\\a")?,
            0x08 => out.write_str("\\b")?,
            0x0c => out.write_str("\\f")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            0x0b => out.write_str("\\v")?,
            0x20..=0x7e => out.write_char(c as char)?,
            _ => write!(out, "\\{:03}", c)?,
        }
    }
    out.write_char('"')
}

fn write_constant(out: &mut Out, p: &Proto, i: usize) -> fmt::Result {
    match p.constants.get(i) {
        Some(Constant::Nil) => out.write_str("nil"),
        Some(Constant::Bool(b)) => out.write_str(if *b { "true" } else { "false" }),
        Some(Constant::Float(f)) => {
            let mut s = Small {
                buf: [0; 40],
                len: 0,
            };
            write_g14(&mut s, *f)?;
            let text = s.buf.get(..s.len).unwrap_or(&[]);
            out.write_str(core::str::from_utf8(text).map_err(|_| fmt::Error)?)?;
            if text.iter().all(|c| b"-0123456789".contains(c)) {
                out.write_str(".0")?;
            }
            Ok(())
        }
        Some(Constant::Int(n)) => write!(out, "{}", n),
        Some(Constant::Str(s)) => write_string(out, s),
        None => out.write_str("?"),
    }
}

fn type_char(c: Option<&Constant>) -> char {
    match c {
        Some(Constant::Nil) => 'N',
        Some(Constant::Bool(_)) => 'B',
        Some(Constant::Float(_)) => 'F',
        Some(Constant::Int(_)) => 'I',
        Some(Constant::Str(_)) => 'S',
        None => '?',
    }
}

fn upvalue_name(p: &Proto, i: u32) -> &str {
    p.upvalues
        .get(i as usize)
        .and_then(|u| core::str::from_utf8(&u.name).ok())
        .filter(|s| !s.is_empty())
        .unwrap_or("-")
}

fn event_name(c: u32) -> &'static str {
    TagMethod::from_u8(c as u8).map_or("?", TagMethod::name)
}

fn address(p: &Proto) -> usize {
    p as *const Proto as usize
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn write_header(out: &mut Out, p: &Proto) -> fmt::Result {
    let source = match p.source.split_first() {
        Some((b'@' | b'=', rest)) => core::str::from_utf8(rest).unwrap_or("?"),
        Some((0x1b, _)) => "(bstring)",
        _ => "(string)",
    };
    writeln!(out)?;
    writeln!(
        out,
        "{} <{}:{},{}> ({} instruction{} at 0x{:x})",
        if p.line_defined == 0 {
            "main"
        } else {
            "function"
        },
        source,
        p.line_defined,
        p.last_line_defined,
        p.code.len(),
        plural(p.code.len()),
        address(p)
    )?;
    write!(
        out,
        "{}{} param{}, {} slot{}, {} upvalue{}, ",
        p.num_params,
        if p.is_vararg { "+" } else { "" },
        plural(p.num_params as usize),
        p.max_stack,
        plural(p.max_stack as usize),
        p.upvalues.len(),
        plural(p.upvalues.len())
    )?;
    writeln!(
        out,
        "{} local{}, {} constant{}, {} function{}",
        p.locals.len(),
        plural(p.locals.len()),
        p.constants.len(),
        plural(p.constants.len()),
        p.protos.len(),
        plural(p.protos.len())
    )
}

fn write_instruction(out: &mut Out, p: &Proto, pc: usize, i: Instruction) -> fmt::Result {
    let (a, b, c, k) = (ins::a(i), ins::b(i), ins::c(i), ins::k(i));
    let (sb, sc, bx, sbx) = (ins::sb(i), ins::sc(i), ins::bx(i), ins::sbx(i));
    let isk = if k { "k" } else { "" };
    let next_ax = || p.code.get(pc + 1).map_or(0, |&n| ins::ax(n));
    let Some(op) = Op::from_u8(ins::op(i)) else {
        return write!(out, "{:<9}\t", "?");
    };
    write!(out, "{:<9}\t", op.name())?;
    match op {
        Op::Move
        | Op::LoadNil
        | Op::GetUpval
        | Op::SetUpval
        | Op::Unm
        | Op::BNot
        | Op::Not
        | Op::Len
        | Op::Concat => {
            write!(out, "{} {}", a, b)?;
            match op {
                Op::LoadNil => write!(out, "\t; {} out", b + 1)?,
                Op::GetUpval | Op::SetUpval => write!(out, "\t; {}", upvalue_name(p, b))?,
                _ => {}
            }
        }
        Op::LoadI | Op::LoadF => write!(out, "{} {}", a, sbx)?,
        Op::LoadK => {
            write!(out, "{} {}\t; ", a, bx)?;
            write_constant(out, p, bx as usize)?;
        }
        Op::LoadKX => {
            write!(out, "{}\t; ", a)?;
            write_constant(out, p, next_ax() as usize)?;
        }
        Op::LoadFalse
        | Op::LFalseSkip
        | Op::LoadTrue
        | Op::Close
        | Op::Tbc
        | Op::Return1
        | Op::VarArgPrep => write!(out, "{}", a)?,
        Op::GetTabUp => {
            write!(out, "{} {} {}\t; {} ", a, b, c, upvalue_name(p, b))?;
            write_constant(out, p, c as usize)?;
        }
        Op::GetTable | Op::GetI => write!(out, "{} {} {}", a, b, c)?,
        Op::GetField => {
            write!(out, "{} {} {}\t; ", a, b, c)?;
            write_constant(out, p, c as usize)?;
        }
        Op::SetTabUp => {
            write!(out, "{} {} {}{}\t; {} ", a, b, c, isk, upvalue_name(p, a))?;
            write_constant(out, p, b as usize)?;
            if k {
                out.write_char(' ')?;
                write_constant(out, p, c as usize)?;
            }
        }
        Op::SetTable | Op::SetI | Op::SelfOp => {
            write!(out, "{} {} {}{}", a, b, c, isk)?;
            if k {
                out.write_str("\t; ")?;
                write_constant(out, p, c as usize)?;
            }
        }
        Op::SetField => {
            write!(out, "{} {} {}{}\t; ", a, b, c, isk)?;
            write_constant(out, p, b as usize)?;
            if k {
                out.write_char(' ')?;
                write_constant(out, p, c as usize)?;
            }
        }
        Op::NewTable => {
            let extra = if k { next_ax() * (MAXARG_C + 1) } else { 0 };
            write!(out, "{} {} {}\t; {}", a, b, c, c + extra)?;
        }
        Op::AddI | Op::ShrI | Op::ShlI => write!(out, "{} {} {}", a, b, sc)?,
        Op::AddK
        | Op::SubK
        | Op::MulK
        | Op::ModK
        | Op::PowK
        | Op::DivK
        | Op::IDivK
        | Op::BAndK
        | Op::BOrK
        | Op::BXorK => {
            write!(out, "{} {} {}\t; ", a, b, c)?;
            write_constant(out, p, c as usize)?;
        }
        Op::Add
        | Op::Sub
        | Op::Mul
        | Op::Mod
        | Op::Pow
        | Op::Div
        | Op::IDiv
        | Op::BAnd
        | Op::BOr
        | Op::BXor
        | Op::Shl
        | Op::Shr => write!(out, "{} {} {}", a, b, c)?,
        Op::MmBin => write!(out, "{} {} {}\t; {}", a, b, c, event_name(c))?,
        Op::MmBinI => {
            write!(out, "{} {} {} {}\t; {}", a, sb, c, k as u8, event_name(c))?;
            if k {
                out.write_str(" flip")?;
            }
        }
        Op::MmBinK => {
            write!(out, "{} {} {} {}\t; {} ", a, b, c, k as u8, event_name(c))?;
            write_constant(out, p, b as usize)?;
            if k {
                out.write_str(" flip")?;
            }
        }
        Op::Jmp => {
            let sj = ins::sj(i);
            write!(out, "{}\t; to {}", sj, sj as i64 + pc as i64 + 2)?;
        }
        Op::Eq | Op::Lt | Op::Le => write!(out, "{} {} {}", a, b, k as u8)?,
        Op::EqK => {
            write!(out, "{} {} {}\t; ", a, b, k as u8)?;
            write_constant(out, p, b as usize)?;
        }
        Op::EqI | Op::LtI | Op::LeI | Op::GtI | Op::GeI => write!(out, "{} {} {}", a, sb, k as u8)?,
        Op::Test => write!(out, "{} {}", a, k as u8)?,
        Op::TestSet => write!(out, "{} {} {}", a, b, k as u8)?,
        Op::Call => {
            write!(out, "{} {} {}\t; ", a, b, c)?;
            if b == 0 {
                out.write_str("all in ")?;
            } else {
                write!(out, "{} in ", b - 1)?;
            }
            if c == 0 {
                out.write_str("all out")?;
            } else {
                write!(out, "{} out", c - 1)?;
            }
        }
        Op::TailCall => write!(out, "{} {} {}{}\t; {} in", a, b, c, isk, b as i64 - 1)?,
        Op::Return => {
            write!(out, "{} {} {}{}\t; ", a, b, c, isk)?;
            if b == 0 {
                out.write_str("all out")?;
            } else {
                write!(out, "{} out", b - 1)?;
            }
        }
        Op::Return0 => {}
        Op::ForLoop | Op::TForLoop => {
            write!(out, "{} {}\t; to {}", a, bx, pc as i64 - bx as i64 + 2)?
        }
        Op::ForPrep => write!(out, "{} {}\t; exit to {}", a, bx, pc as i64 + bx as i64 + 3)?,
        Op::TForPrep => write!(out, "{} {}\t; to {}", a, bx, pc as i64 + bx as i64 + 2)?,
        Op::TForCall => write!(out, "{} {}", a, c)?,
        Op::SetList => {
            write!(out, "{} {} {}", a, b, c)?;
            if k {
                write!(out, "\t; {}", c + next_ax() * (MAXARG_C + 1))?;
            }
        }
        Op::Closure => {
            write!(
                out,
                "{} {}\t; 0x{:x}",
                a,
                bx,
                p.protos.get(bx as usize).map_or(0, address)
            )?;
        }
        Op::VarArg => {
            write!(out, "{} {}\t; ", a, c)?;
            if c == 0 {
                out.write_str("all out")?;
            } else {
                write!(out, "{} out", c - 1)?;
            }
        }
        Op::ExtraArg => write!(out, "{}", ins::ax(i))?,
        Op::ErrNNil => {
            write!(out, "{} {}\t; ", a, bx)?;
            write_constant(out, p, bx as usize)?;
        }
        Op::VarArgTab => write!(out, "{}", a)?,
        Op::VarArgT => {
            write!(out, "{} {} {}\t; ", a, b, c)?;
            if c == 0 {
                out.write_str("all out")?;
            } else {
                write!(out, "{} out", c - 1)?;
            }
        }
    }
    Ok(())
}

fn write_function(out: &mut Out, p: &Proto) -> fmt::Result {
    write_header(out, p)?;
    for (pc, &i) in p.code.iter().enumerate() {
        write!(out, "\t{}\t", pc + 1)?;
        match p.lines.get(pc) {
            Some(&line) if line > 0 => write!(out, "[{}]\t", line)?,
            _ => out.write_str("[-]\t")?,
        }
        write_instruction(out, p, pc, i)?;
        out.write_char('\n')?;
    }
    writeln!(
        out,
        "constants ({}) for 0x{:x}:",
        p.constants.len(),
        address(p)
    )?;
    for (i, c) in p.constants.iter().enumerate() {
        write!(out, "\t{}\t{}\t", i, type_char(Some(c)))?;
        write_constant(out, p, i)?;
        out.write_char('\n')?;
    }
    writeln!(out, "locals ({}) for 0x{:x}:", p.locals.len(), address(p))?;
    for (i, l) in p.locals.iter().enumerate() {
        let name = core::str::from_utf8(&l.name).unwrap_or("?");
        writeln!(
            out,
            "\t{}\t{}\t{}\t{}",
            i,
            name,
            l.start_pc + 1,
            l.end_pc + 1
        )?;
    }
    writeln!(
        out,
        "upvalues ({}) for 0x{:x}:",
        p.upvalues.len(),
        address(p)
    )?;
    for (i, u) in p.upvalues.iter().enumerate() {
        writeln!(
            out,
            "\t{}\t{}\t{}\t{}",
            i,
            upvalue_name(p, i as u32),
            u.in_stack as u8,
            u.index
        )?;
    }
    Ok(())
}

/// The listing of `p` and, after it, of every nested function in order, as
/// `luac -l -l` prints them.
///
/// # Errors
/// `AllocError` when the output cannot grow.
pub fn listing(p: &Proto) -> Result<Vec<u8>, AllocError> {
    let mut out = Out(Vec::new());
    // Pre-order walk with an explicit stack: nesting depth costs no native stack.
    let mut pending: Vec<&Proto> = Vec::new();
    pending.try_push(p)?;
    while let Some(f) = pending.pop() {
        write_function(&mut out, f).map_err(|_| AllocError)?;
        for child in f.protos.iter().rev() {
            pending.try_push(child)?;
        }
    }
    Ok(out.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn g14(f: f64) -> String {
        let mut s = String::new();
        write_g14(&mut s, f).unwrap();
        s
    }

    #[test]
    fn floats_print_like_printf_g14() {
        assert_eq!(g14(2.5), "2.5");
        assert_eq!(g14(100000000000.0), "100000000000");
        assert_eq!(g14(9007199254740992.0), "9.007199254741e+15");
        assert_eq!(g14(1e308), "1e+308");
        assert_eq!(g14(core::f64::consts::SQRT_2), "1.4142135623731");
        assert_eq!(g14(0.25), "0.25");
        assert_eq!(g14(-0.5), "-0.5");
        assert_eq!(g14(1e-5), "1e-05");
        assert_eq!(g14(0.0001), "0.0001");
        assert_eq!(g14(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(g14(0.1), "0.1");
        assert_eq!(g14(f64::INFINITY), "inf");
    }
}
