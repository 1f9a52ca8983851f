//! The lexer, seen through compiled constants: numerals, escapes, long brackets and
//! line counting.

use lua::opcode::{ins, Op};
use lua::proto::Constant;
use lua::stack::StackGuard;
use lua::CompileError;

/// The value `return <expr>` loads, as a constant.
fn value_of(expr: &str) -> Constant {
    let source = format!("return {expr}");
    let mut p = lua::compile(source.as_bytes(), b"=t", &StackGuard::unlimited())
        .unwrap_or_else(|e| panic!("{expr}: {e:?}"));
    let i = p.code[1]; // after VARARGPREP
    match Op::from_u8(ins::op(i)) {
        Some(Op::LoadI) => Constant::Int(ins::sbx(i) as i64),
        Some(Op::LoadF) => Constant::Float(ins::sbx(i) as f64),
        Some(Op::LoadK) => p.constants.swap_remove(ins::bx(i) as usize),
        other => panic!("{expr}: unexpected {other:?}"),
    }
}

fn str_of(expr: &str) -> Vec<u8> {
    match value_of(expr) {
        Constant::Str(s) => s,
        other => panic!("{expr}: not a string: {other:?}"),
    }
}

fn error_of(source: &str) -> String {
    match lua::compile(source.as_bytes(), b"=t", &StackGuard::unlimited()) {
        Ok(_) => "OK".into(),
        Err(CompileError::Syntax(m)) => String::from_utf8_lossy(&m).into_owned(),
        Err(CompileError::Memory) => "memory".into(),
    }
}

#[test]
fn numerals_convert_like_lua() {
    use Constant::{Float, Int};
    let rows: &[(&str, Constant)] = &[
        ("0", Int(0)),
        ("123", Int(123)),
        ("100000", Int(100000)),
        ("0x10", Int(16)),
        ("0XfF", Int(255)),
        ("0xffffffffffffffff", Int(-1)),
        ("0x7fffffffffffffff", Int(i64::MAX)),
        ("0x1ffffffffffffffff", Int(-1)),
        ("9223372036854775807", Int(i64::MAX)),
        ("9223372036854775808", Float(9223372036854775808.0)),
        ("1e10", Float(1e10)),
        ("1E+2", Float(100.0)),
        ("2.5e-3", Float(2.5e-3)),
        (".5", Float(0.5)),
        ("5.", Float(5.0)),
        ("3.0", Float(3.0)),
        ("0x1p4", Float(16.0)),
        ("0x.8", Float(0.5)),
        ("0xA.8p-1", Float(5.25)),
        ("0x1P+1", Float(2.0)),
        ("08", Int(8)),
    ];
    for (text, want) in rows {
        assert_eq!(&value_of(text), want, "numeral {text}");
    }
}

#[test]
fn short_string_escapes() {
    let rows: &[(&str, &[u8])] = &[
        (r#""a\tb\nc""#, b"a\tb\nc"),
        (r#""\a\b\f\v\r""#, b"\x07\x08\x0c\x0b\r"),
        (r#"'\'\"\\'"#, b"'\"\\"),
        (r#""\65\066\0670""#, b"ABC0"),
        (r#""\0\255""#, b"\0\xff"),
        (r#""\x41\x7a\xFF""#, b"Az\xff"),
        (
            r#""\u{41}\u{20AC}\u{7FFFFFFF}""#,
            b"A\xe2\x82\xac\xfd\xbf\xbf\xbf\xbf\xbf",
        ),
        (r#""\u{0}""#, b"\0"),
        ("\"a\\z   \n\t  b\"", b"ab"),
        ("\"a\\\nb\"", b"a\nb"),
        ("\"a\\\r\nb\"", b"a\nb"),
    ];
    for (text, want) in rows {
        assert_eq!(str_of(text), *want, "string {text}");
    }
}

#[test]
fn long_strings_at_any_level() {
    assert_eq!(str_of("[[abc]]"), b"abc");
    assert_eq!(str_of("[[\nabc]]"), b"abc"); // first newline skipped
    assert_eq!(str_of("[[\r\nabc]]"), b"abc");
    assert_eq!(str_of("[[a\r\nb]]"), b"a\nb"); // newlines normalised
    assert_eq!(str_of("[=[a]]b]=]"), b"a]]b");
    assert_eq!(str_of("[====[x]===]y]====]"), b"x]===]y");
    assert_eq!(str_of("[[\\n]]"), b"\\n"); // no escapes in long strings
    assert_eq!(str_of("--[==[ comment ]] still ]==] 'after'"), b"after");
    assert_eq!(str_of("--[[\n\n]] 'x'"), b"x");
    assert_eq!(str_of("-- [[ not long\n'y'"), b"y");
}

#[test]
fn lines_are_counted_with_any_newline_convention() {
    assert_eq!(error_of("\n\n@"), "t:3: unexpected symbol near '@'");
    assert_eq!(error_of("\r\n\r\n@"), "t:3: unexpected symbol near '@'");
    assert_eq!(error_of("\n\r\n\r@"), "t:3: unexpected symbol near '@'");
    assert_eq!(error_of("\r\r@"), "t:3: unexpected symbol near '@'");
    assert_eq!(error_of("\n\n\r\r@"), "t:4: unexpected symbol near '@'"); // "\n\r" is one
    assert_eq!(
        error_of("x = [[\r\n\r\n]] @"),
        "t:3: unexpected symbol near '@'"
    );
    assert_eq!(
        error_of("--[[\n\n\n]] @"),
        "t:4: unexpected symbol near '@'"
    );
    assert_eq!(
        error_of("x = 'a\\\r\nb' @"),
        "t:2: unexpected symbol near '@'"
    );
}

#[test]
fn line_numbers_reach_the_code() {
    let p = lua::compile(
        b"local a = 1\r\n\r\nlocal b = 2\n",
        b"=t",
        &StackGuard::unlimited(),
    )
    .unwrap();
    assert_eq!(p.lines, [1, 1, 3, 3]);
}

#[test]
fn reserved_words_and_symbols_are_tokens() {
    assert_eq!(
        error_of("x = 1 // 2 .. 3 ~= 4 >= 5 <= 6 == 7 << 8 >> 9 :: y"),
        "t:1: '::' expected near <eof>"
    );
    assert_eq!(error_of("x = goto"), "t:1: unexpected symbol near 'goto'");
    assert_eq!(error_of("x = ... ..."), "t:1: unexpected symbol near '...'");
    assert_eq!(error_of("x = a ~ ~b"), "OK");
}
