//! Binary chunks: the bytecode verifier rejects hand-made bad prototypes (one row per
//! rule), `load` reports them as bad binary formats, the configuration switch refuses
//! binary chunks, and damaged dumps (every truncation, every byte changed) give errors
//! or functions that run safely under an instruction budget.

mod common;

use common::{state_with, TestHost};
use lua::opcode::{ins, Op};
use lua::proto::{Constant, Proto, UpvalDesc, VarKind};
use lua::verify::{verify, VerifyError};
use lua::{Config, Lua, Mode, Value};

fn binary_state() -> Box<Lua> {
    let config = Config {
        allow_binary: true,
        fuel_slice: 10_000,
        memory_limit: 8 << 20,
        ..Config::default()
    };
    state_with(
        config,
        TestHost {
            abort_after: 20,
            ..TestHost::default()
        },
    )
}

/// `string.dump` of the main function of chunk `src`, stripped or not.
fn dump_of(lua: &mut Lua, src: &str, strip: bool) -> Vec<u8> {
    let f = lua
        .enter(|l| l.load(src.as_bytes(), b"=sample", Mode::Text, None))
        .expect("compiles");
    let dumper = lua
        .enter(|l| l.load(b"return string.dump(...)", b"=dump", Mode::Text, None))
        .expect("compiles");
    match lua
        .call(dumper, &[f, Value::Bool(strip)])
        .expect("dumps")
        .as_slice()
    {
        [Value::Str(s)] => s.as_bytes().to_vec(),
        other => panic!("string.dump returned {other:?}"),
    }
}

/// `load(chunk)`: Ok(function) or Err(message).
fn load_binary(lua: &mut Lua, chunk: &[u8]) -> Result<Value, String> {
    lua.enter(|l| l.load(chunk, b"=bin", Mode::Binary, None))
        .map_err(|e| String::from_utf8_lossy(&lua.error_message(&e)).into_owned())
}

fn reg(n: u32) -> Proto {
    Proto {
        max_stack: n as u8,
        ..Proto::default()
    }
}

fn with(code: &[u32], max_stack: u32, constants: Vec<Constant>) -> Proto {
    let mut p = reg(max_stack);
    p.code = code.to_vec();
    p.constants = constants;
    p
}

fn abc(op: Op, a: u32, b: u32, c: u32) -> u32 {
    ins::abck(op, a, b, c, false)
}

const RET0: u32 = ins::abck(Op::Return0, 0, 0, 0, false);

fn rejected(p: &Proto) -> &'static str {
    match verify(p) {
        Err(VerifyError { what, .. }) => what,
        Ok(()) => "accepted",
    }
}

#[test]
fn verifier_rejects_each_broken_rule() {
    let env_up = || UpvalDesc {
        name: Vec::new(),
        in_stack: true,
        index: 0,
        kind: VarKind::Regular,
    };
    let mut rows: Vec<(&str, Proto, &str)> = vec![
        (
            "register past max_stack",
            with(&[abc(Op::Move, 5, 0, 0), RET0], 2, vec![]),
            "register out of range",
        ),
        (
            "LOADNIL range past max_stack",
            with(&[abc(Op::LoadNil, 1, 1, 0), RET0], 2, vec![]),
            "register range out of range",
        ),
        (
            "constant index past the constants",
            with(
                &[ins::abx(Op::LoadK, 0, 3), RET0],
                2,
                vec![Constant::Int(1)],
            ),
            "constant out of range",
        ),
        (
            "jump past the end",
            with(&[ins::sj_(Op::Jmp, 100), RET0], 2, vec![]),
            "jump out of range",
        ),
        (
            "jump before the start",
            with(&[ins::sj_(Op::Jmp, -2), RET0], 2, vec![]),
            "jump out of range",
        ),
        (
            "LOADKX without EXTRAARG",
            with(&[abc(Op::LoadKX, 0, 0, 0), RET0], 2, vec![Constant::Nil]),
            "LOADKX without EXTRAARG",
        ),
        (
            "LOADKX whose EXTRAARG names a missing constant",
            with(
                &[abc(Op::LoadKX, 0, 0, 0), ins::ax_(Op::ExtraArg, 9), RET0],
                2,
                vec![],
            ),
            "constant out of range",
        ),
        (
            "EQ not followed by JMP",
            with(&[abc(Op::Eq, 0, 1, 0), RET0, RET0], 2, vec![]),
            "test without JMP",
        ),
        (
            "ADD without its MMBIN",
            with(&[abc(Op::Add, 0, 0, 1), RET0], 2, vec![]),
            "arithmetic without MMBIN",
        ),
        (
            "MMBIN after something else",
            with(&[abc(Op::MmBin, 0, 1, 6), RET0], 2, vec![]),
            "MMBIN without arithmetic",
        ),
        (
            "GETFIELD with an integer key",
            with(
                &[abc(Op::GetField, 0, 0, 0), RET0],
                2,
                vec![Constant::Int(1)],
            ),
            "key is not a string constant",
        ),
        (
            "GETUPVAL of a missing upvalue",
            with(&[abc(Op::GetUpval, 0, 1, 0), RET0], 2, vec![]),
            "upvalue out of range",
        ),
        (
            "code that falls off its end",
            with(&[ins::asbx(Op::LoadI, 0, 1)], 2, vec![]),
            "code ends without a return",
        ),
        (
            "RETURN B=0 with nothing setting top",
            with(
                &[ins::asbx(Op::LoadI, 0, 1), abc(Op::Return, 0, 0, 0)],
                2,
                vec![],
            ),
            "open operand without a preceding multiple-result instruction",
        ),
        (
            "FORPREP without its FORLOOP",
            with(&[ins::abx(Op::ForPrep, 0, 0), RET0, RET0], 4, vec![]),
            "FORPREP without its FORLOOP",
        ),
        (
            "TFORCALL writing past max_stack",
            with(
                &[
                    abc(Op::TForCall, 0, 0, 1),
                    ins::abx(Op::TForLoop, 0, 2),
                    RET0,
                ],
                6,
                vec![],
            ),
            "register range out of range",
        ),
        (
            "CLOSURE of a missing prototype",
            with(&[ins::abx(Op::Closure, 0, 0), RET0], 2, vec![]),
            "prototype out of range",
        ),
        (
            "opcode past the last",
            with(&[0x7f, RET0], 2, vec![]),
            "invalid opcode",
        ),
        (
            "SETLIST storing far past what the code could have flushed",
            with(&[abc(Op::SetList, 0, 1, 200), RET0], 2, vec![]),
            "SETLIST position too large",
        ),
        (
            "NEWTABLE asking for a huge hash part",
            with(
                &[abc(Op::NewTable, 0, 40, 0), ins::ax_(Op::ExtraArg, 0), RET0],
                2,
                vec![],
            ),
            "table size hint too large",
        ),
        (
            "SETTABUP of a missing upvalue",
            with(
                &[ins::abck(Op::SetTabUp, 0, 0, 0, true), RET0],
                2,
                vec![Constant::Float(1.5)],
            ),
            "upvalue out of range",
        ),
        (
            "MMBIN naming a non-arithmetic event",
            with(
                &[abc(Op::Add, 0, 0, 1), abc(Op::MmBin, 0, 1, 0), RET0],
                2,
                vec![],
            ),
            "invalid metamethod",
        ),
        (
            "EXTRAARG on its own",
            with(&[ins::ax_(Op::ExtraArg, 0), RET0], 2, vec![]),
            "EXTRAARG without an instruction that uses it",
        ),
        (
            "VARARG in a fixed-argument function",
            with(&[abc(Op::VarArg, 0, 0, 2), RET0], 2, vec![]),
            "VARARG in a fixed-argument function",
        ),
    ];
    // Rows that need more than code.
    let mut p = with(
        &[ins::abck(Op::SetTabUp, 0, 0, 0, true), RET0],
        2,
        vec![Constant::Float(1.5)],
    );
    p.upvalues.push(env_up());
    rows.push(("SETTABUP key is a float", p, "key is not a string constant"));
    let mut p = with(&[RET0], 2, vec![]);
    p.lines = vec![1, 2];
    rows.push((
        "line information of another length",
        p,
        "line information does not match the code",
    ));
    let mut p = with(&[RET0], 1, vec![]);
    p.num_params = 2;
    rows.push((
        "parameters past max_stack",
        p,
        "more parameters than registers",
    ));
    let mut p = with(&[RET0], 2, vec![]);
    p.is_vararg = true;
    rows.push((
        "vararg function without VARARGPREP",
        p,
        "VARARGPREP must start exactly the vararg functions",
    ));
    let mut p = with(
        &[abc(Op::VarArgPrep, 0, 0, 0), abc(Op::Return, 0, 1, 1)],
        2,
        vec![],
    );
    p.is_vararg = true;
    p.code.insert(1, ins::sj_(Op::Jmp, -2));
    rows.push(("jump back to VARARGPREP", p, "jump to VARARGPREP"));
    let mut p = with(&[abc(Op::VarArgPrep, 0, 0, 0), RET0], 2, vec![]);
    p.is_vararg = true;
    rows.push((
        "RETURN0 in a vararg function",
        p,
        "RETURN0/RETURN1 in a vararg function",
    ));
    let mut p = with(&[ins::abx(Op::Closure, 0, 0), RET0], 2, vec![]);
    let mut child = with(&[RET0], 1, vec![]);
    child.upvalues.push(UpvalDesc {
        index: 2,
        ..env_up()
    });
    p.protos.push(child);
    rows.push((
        "child capturing a register past the parent's frame",
        p,
        "upvalue descriptor out of range",
    ));

    let mut wrong = Vec::new();
    for (name, p, want) in &rows {
        let got = rejected(p);
        if got != *want {
            wrong.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn verifier_accepts_a_minimal_function() {
    assert_eq!(verify(&with(&[RET0], 0, vec![])), Ok(()));
}

#[test]
fn load_reports_rejected_bytecode_as_a_bad_binary_format() {
    let mut lua = binary_state();
    let mut chunk = dump_of(
        &mut lua,
        "return function() local a, b = 1, 2 return a end",
        true,
    );
    // Point the inner function's `RETURN1` at a register past its frame.
    let ret1 = ins::abck(Op::Return1, 0, 2, 0, false).to_ne_bytes();
    let at = chunk
        .windows(4)
        .position(|w| w == ret1)
        .expect("RETURN1 0 in the dump");
    chunk[at..at + 4].copy_from_slice(&ins::abck(Op::Return1, 200, 2, 0, false).to_ne_bytes());
    assert_eq!(
        load_binary(&mut lua, &chunk).err().as_deref(),
        Some("bin: bad binary format (invalid bytecode: register out of range (instruction 3))")
    );
}

#[test]
fn binary_chunks_are_refused_unless_the_configuration_allows_them() {
    let mut allowed = binary_state();
    let chunk = dump_of(&mut allowed, "return function() return 1 end", false);
    let mut lua = state_with(Config::default(), TestHost::default());
    let err = lua
        .enter(|l| l.load(&chunk, b"=bin", Mode::Both, None))
        .map_err(|e| String::from_utf8_lossy(&lua.error_message(&e)).into_owned());
    assert_eq!(
        err.err().as_deref(),
        Some("attempt to load a binary chunk (binary chunks are disabled)")
    );
    assert!(load_binary(&mut allowed, &chunk).is_ok());
}

/// A program with most instruction kinds: loops, closures, varargs, tables, methods,
/// to-be-closed variables, string keys and arithmetic with metamethods.
const SAMPLE: &str = r##"
local up = 0
local mt = {__add = function(a, b) return 7 end, __index = function(t, k) return k end}
local function f(a, ...)
  local t <const> = {a, ..., x = 1, [2.5] = "y"}
  for i = 1, #t do up = up + i end
  for k, v in pairs(t) do up = up + (type(v) == "number" and v or 0) end
  local o = setmetatable({}, mt)
  local s = o + 1 .. o.key .. (a or 0) // 3
  while up > 100 do up = up - 50 end
  do local c <close> = nil end
  return s, select("#", ...), t.x, function() return up end
end
return f(...)
"##;

/// Loads the global `chunk` as a binary chunk and, if it loads, runs it and then reads
/// its debug information and runs it again under a hook that inspects every frame it
/// stops in: damaged code or debug information must not crash any of these. Returns
/// whether the chunk loaded. (Kept in Lua so no loaded function lives only in a Rust
/// variable, which the collector does not see.)
const TRY_CHUNK: &str = r#"
local f = load(chunk, "=bin", "b")
if not f then return false end
pcall(f, 3, nil, 4)
debug.getinfo(f, "SlnutL")
for i = 1, 4 do debug.getlocal(f, i); debug.getupvalue(f, i) end
local n = 0
debug.sethook(function()
  n = n + 1
  if n > 2000 then error("budget") end
  debug.getinfo(2, "Slnt")
  for i = -2, 4 do debug.getlocal(2, i) end
  debug.traceback("x", 2)
end, "crl", 1)
pcall(f, 1, "2", nil)
debug.sethook()
return true
"#;

/// Runs `TRY_CHUNK` on `chunk` in a fresh state (the instruction budget is counted
/// per state): whether it loaded, or the error that stopped the driver (the budget).
fn try_chunk(chunk: &[u8]) -> Result<bool, String> {
    let mut lua = binary_state();
    let lua = &mut *lua;
    let s = lua.str_value(chunk).expect("string");
    lua.set_global(b"chunk", s).expect("set");
    let f = lua
        .enter(|l| l.load(TRY_CHUNK.as_bytes(), b"=try", Mode::Text, None))
        .expect("compiles");
    match lua.call(f, &[]) {
        Ok(r) => Ok(matches!(r.as_slice(), [Value::Bool(true)])),
        Err(e) => Err(String::from_utf8_lossy(&lua.error_message(&e)).into_owned()),
    }
}

#[test]
fn every_truncation_and_byte_change_of_a_dump_is_safe() {
    let mut lua = binary_state();
    for strip in [false, true] {
        let chunk = dump_of(&mut lua, SAMPLE, strip);
        for len in 0..chunk.len() {
            let r = load_binary(&mut lua, &chunk[..len]);
            assert!(r.is_err(), "a chunk truncated to {len} bytes loaded");
        }
        let mut ran = 0;
        for i in 0..chunk.len() {
            for flip in [0x01u8, 0x10, 0x80, 0xff] {
                let mut bad = chunk.clone();
                bad[i] ^= flip;
                if try_chunk(&bad) != Ok(false) {
                    ran += 1;
                }
            }
        }
        assert!(ran > 0, "no changed chunk loaded (strip = {strip})");
        assert_eq!(
            try_chunk(&chunk),
            Ok(true),
            "the intact chunk loads and runs"
        );
    }
}

// ---- hand-made chunks: an encoder of the format documented in dump.rs ----

fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn encode_proto(out: &mut Vec<u8>, p: &Proto) {
    varint(out, 0); // no source: `=?`
    varint(out, p.line_defined as u64);
    varint(out, p.last_line_defined as u64);
    out.extend([p.num_params, p.is_vararg as u8, p.max_stack]);
    varint(out, p.code.len() as u64);
    for i in &p.code {
        out.extend(i.to_ne_bytes());
    }
    varint(out, p.constants.len() as u64);
    for k in &p.constants {
        match k {
            Constant::Nil => out.push(0),
            Constant::Bool(b) => out.push(1 + *b as u8),
            Constant::Int(n) => {
                out.push(3);
                out.extend(n.to_ne_bytes());
            }
            Constant::Float(f) => {
                out.push(4);
                out.extend(f.to_ne_bytes());
            }
            Constant::Str(s) => {
                out.push(5);
                varint(out, s.len() as u64 + 1);
                out.extend(s);
            }
        }
    }
    varint(out, p.upvalues.len() as u64);
    for u in &p.upvalues {
        out.extend([u.in_stack as u8, u.index, 0]);
    }
    varint(out, p.protos.len() as u64);
    for c in &p.protos {
        encode_proto(out, c);
    }
    out.extend([0, 0, 0]); // no lines, locals, upvalue names
}

fn encode(p: &Proto) -> Vec<u8> {
    let mut out = b"\x1bLua\x55\x52\x19\x93\r\n\x1a\n\x04\x08\x08".to_vec();
    out.extend(0x5678i64.to_ne_bytes());
    out.extend(370.5f64.to_ne_bytes());
    out.push(p.upvalues.len() as u8);
    encode_proto(&mut out, p);
    out
}

fn vararg_main(code: &[u32], max_stack: u32) -> Proto {
    let mut p = with(code, max_stack, vec![]);
    p.is_vararg = true;
    p.code.insert(0, abc(Op::VarArgPrep, 0, 0, 0));
    p
}

#[test]
fn encoder_matches_string_dump() {
    let mut lua = binary_state();
    let p = with(
        &[ins::asbx(Op::LoadI, 0, 7), abc(Op::Return1, 0, 2, 0)],
        2,
        vec![],
    );
    let f = load_binary(&mut lua, &encode(&p)).expect("loads");
    let r = lua.call(f, &[]).expect("runs");
    assert!(matches!(r.as_slice(), [Value::Int(7)]));
}

#[test]
fn jumps_onto_open_operands_see_a_stale_top_safely() {
    // Each function jumps over the instruction that would set `top` and lands on one
    // that uses it, with its first register above the current top.
    let rows: Vec<(&str, Proto)> = vec![
        (
            "RETURN B=0",
            vararg_main(
                &[
                    ins::sj_(Op::Jmp, 1),
                    abc(Op::VarArg, 5, 0, 0),
                    abc(Op::Return, 5, 0, 1),
                ],
                6,
            ),
        ),
        (
            "SETLIST B=0",
            vararg_main(
                &[
                    abc(Op::NewTable, 4, 0, 0),
                    ins::ax_(Op::ExtraArg, 0),
                    ins::sj_(Op::Jmp, 1),
                    abc(Op::VarArg, 5, 0, 0),
                    abc(Op::SetList, 4, 0, 0),
                    abc(Op::Return, 4, 2, 1),
                ],
                6,
            ),
        ),
        (
            "CALL B=0",
            vararg_main(
                &[
                    abc(Op::Closure, 4, 0, 0),
                    ins::sj_(Op::Jmp, 1),
                    abc(Op::VarArg, 5, 0, 0),
                    abc(Op::Call, 4, 0, 0),
                    abc(Op::Return, 4, 0, 1),
                ],
                6,
            ),
        ),
        (
            "TAILCALL B=0",
            vararg_main(
                &[
                    abc(Op::Closure, 4, 0, 0),
                    ins::sj_(Op::Jmp, 1),
                    abc(Op::VarArg, 5, 0, 0),
                    abc(Op::TailCall, 4, 0, 1),
                    abc(Op::Return, 4, 0, 1),
                ],
                6,
            ),
        ),
    ];
    let mut lua = binary_state();
    for (name, mut p) in rows {
        p.protos.push(with(&[RET0], 0, vec![]));
        let chunk = encode(&p);
        // Loaded anew for each call: a function held only in Rust may be collected.
        let f = load_binary(&mut lua, &chunk).unwrap_or_else(|e| panic!("{name}: {e}"));
        let _ = lua.call(f, &[]);
        let f = load_binary(&mut lua, &chunk).unwrap_or_else(|e| panic!("{name}: {e}"));
        let _ = lua.call(f, &[Value::Int(1), Value::Int(2)]);
    }
}

#[test]
fn deeply_nested_functions_are_refused() {
    let mut p = with(&[RET0], 0, vec![]);
    for _ in 0..300 {
        let mut parent = with(&[RET0], 0, vec![]);
        parent.protos.push(p);
        p = parent;
    }
    let mut lua = binary_state();
    assert_eq!(
        load_binary(&mut lua, &encode(&p)).err().as_deref(),
        Some("bin: bad binary format (functions nested too deeply)")
    );
}

#[test]
fn counts_larger_than_the_chunk_are_truncation_not_allocation() {
    let mut chunk = encode(&with(&[RET0], 0, vec![]));
    // The code count is right after the header, source, lines and the three bytes.
    let at = 32 + 1 + 1 + 1 + 3;
    chunk.truncate(at);
    varint(&mut chunk, u32::MAX as u64);
    let mut lua = binary_state();
    assert_eq!(
        load_binary(&mut lua, &chunk).err().as_deref(),
        Some("bin: bad binary format (truncated chunk)")
    );
}
