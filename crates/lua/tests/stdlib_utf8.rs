//! The UTF-8 library (§6.5): strict and lax decoding, `offset`'s two results (5.5), and
//! PUC's error messages.

mod stdlib_common;

use stdlib_common::{check_calls, check_sources, CallRow, SrcRow, A::*};

/// Three CJK characters of three bytes each.
const JP: &[u8] = "\u{65e5}\u{672c}\u{8a9e}".as_bytes();
/// `héllo`: one two-byte character.
const HELLO: &[u8] = "h\u{e9}llo".as_bytes();

#[test]
fn char_encodes_up_to_the_extended_limit() {
    let rows: &[CallRow] = &[
        ("ascii", "utf8.char", &[I(72), I(105)], Ok("\"Hi\"")),
        ("nothing", "utf8.char", &[], Ok("\"\"")),
        ("two_bytes", "utf8.char", &[I(0xE9)], Ok("\"\\xc3\\xa9\"")),
        (
            "three_bytes",
            "utf8.char",
            &[I(0x65E5)],
            Ok("\"\\xe6\\x97\\xa5\""),
        ),
        (
            "four_bytes",
            "utf8.char",
            &[I(0x10FFFF)],
            Ok("\"\\xf4\\x8f\\xbf\\xbf\""),
        ),
        (
            "surrogate_is_encoded",
            "utf8.char",
            &[I(0xD800)],
            Ok("\"\\xed\\xa0\\x80\""),
        ),
        (
            "five_bytes",
            "utf8.char",
            &[I(0x200000)],
            Ok("\"\\xf8\\x88\\x80\\x80\\x80\""),
        ),
        (
            "six_bytes",
            "utf8.char",
            &[I(0x7FFFFFFF)],
            Ok("\"\\xfd\\xbf\\xbf\\xbf\\xbf\\xbf\""),
        ),
        (
            "too_big",
            "utf8.char",
            &[I(72), I(0x80000000)],
            Err("bad argument #2 to '?' (value out of range)"),
        ),
        (
            "negative",
            "utf8.char",
            &[I(-1)],
            Err("bad argument #1 to '?' (value out of range)"),
        ),
        (
            "not_a_number",
            "utf8.char",
            &[S(b"x")],
            Err("bad argument #1 to '?' (number expected, got string)"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn codepoint_and_len_decode_strictly_unless_lax() {
    let rows: &[CallRow] = &[
        ("codepoint_first", "utf8.codepoint", &[S(HELLO)], Ok("104")),
        (
            "codepoint_range",
            "utf8.codepoint",
            &[S(HELLO), I(1), I(-1)],
            Ok("104, 233, 108, 108, 111"),
        ),
        (
            "codepoint_empty_range",
            "utf8.codepoint",
            &[S(b"abc"), I(3), I(2)],
            Ok(""),
        ),
        (
            "codepoint_negative",
            "utf8.codepoint",
            &[S(b"abc"), I(-1)],
            Ok("99"),
        ),
        (
            "codepoint_surrogate_strict",
            "utf8.codepoint",
            &[S(b"\xed\xa0\x80")],
            Err("invalid UTF-8 code"),
        ),
        (
            "codepoint_surrogate_lax",
            "utf8.codepoint",
            &[S(b"\xed\xa0\x80"), I(1), I(1), B(true)],
            Ok("55296"),
        ),
        (
            "codepoint_beyond_unicode_lax",
            "utf8.codepoint",
            &[S(b"\xf4\x90\x80\x80"), I(1), I(1), B(true)],
            Ok("1114112"),
        ),
        (
            "codepoint_six_bytes_lax",
            "utf8.codepoint",
            &[S(b"\xfd\xbf\xbf\xbf\xbf\xbf"), I(1), I(1), B(true)],
            Ok("2147483647"),
        ),
        (
            "codepoint_overlong",
            "utf8.codepoint",
            &[S(b"\xc0\x80"), I(1), I(1), B(true)],
            Err("invalid UTF-8 code"),
        ),
        (
            "codepoint_truncated",
            "utf8.codepoint",
            &[S(b"\xe6\x97")],
            Err("invalid UTF-8 code"),
        ),
        (
            "codepoint_start_out_of_bounds",
            "utf8.codepoint",
            &[S(b"abc"), I(0)],
            Err("bad argument #2 to '?' (out of bounds)"),
        ),
        (
            "codepoint_end_out_of_bounds",
            "utf8.codepoint",
            &[S(b"abc"), I(1), I(4)],
            Err("bad argument #3 to '?' (out of bounds)"),
        ),
        ("len_counts_characters", "utf8.len", &[S(JP)], Ok("3")),
        (
            "len_bad_byte_position",
            "utf8.len",
            &[S(b"abc\xffdef")],
            Ok("nil, 4"),
        ),
        (
            "len_continuation_first",
            "utf8.len",
            &[S(b"a\x80b")],
            Ok("nil, 2"),
        ),
        ("len_overlong", "utf8.len", &[S(b"\xc0\x80")], Ok("nil, 1")),
        (
            "len_surrogate_strict",
            "utf8.len",
            &[S(b"\xed\xa0\x80")],
            Ok("nil, 1"),
        ),
        (
            "len_surrogate_lax",
            "utf8.len",
            &[S(b"\xed\xa0\x80"), I(1), I(-1), B(true)],
            Ok("1"),
        ),
        (
            "len_range",
            "utf8.len",
            &[S(b"abcdef"), I(2), I(4)],
            Ok("3"),
        ),
        ("len_empty_at_end", "utf8.len", &[S(b"abc"), I(4)], Ok("0")),
        (
            "len_start_zero",
            "utf8.len",
            &[S(b"abc"), I(0)],
            Err("bad argument #2 to '?' (initial position out of bounds)"),
        ),
        (
            "len_start_past_end",
            "utf8.len",
            &[S(b"abc"), I(5)],
            Err("bad argument #2 to '?' (initial position out of bounds)"),
        ),
        (
            "len_end_past_end",
            "utf8.len",
            &[S(b"abc"), I(1), I(4)],
            Err("bad argument #3 to '?' (final position out of bounds)"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn offset_returns_start_and_end() {
    let rows: &[CallRow] = &[
        (
            "second_character",
            "utf8.offset",
            &[S(JP), I(2)],
            Ok("4, 6"),
        ),
        ("last_character", "utf8.offset", &[S(JP), I(-1)], Ok("7, 9")),
        (
            "character_containing_byte",
            "utf8.offset",
            &[S(JP), I(0), I(5)],
            Ok("4, 6"),
        ),
        (
            "right_after_the_end",
            "utf8.offset",
            &[S(b"abc"), I(4)],
            Ok("4, 4"),
        ),
        (
            "beyond_the_end",
            "utf8.offset",
            &[S(b"abc"), I(5)],
            Ok("nil"),
        ),
        (
            "before_the_start",
            "utf8.offset",
            &[S(b"abc"), I(-4)],
            Ok("nil"),
        ),
        ("ascii", "utf8.offset", &[S(b"abc"), I(2)], Ok("2, 2")),
        (
            "from_position",
            "utf8.offset",
            &[S(b"abc"), I(1), I(3)],
            Ok("3, 3"),
        ),
        (
            "continuation_start",
            "utf8.offset",
            &[S(JP), I(1), I(2)],
            Err("initial position is a continuation byte"),
        ),
        (
            "position_zero",
            "utf8.offset",
            &[S(b"abc"), I(1), I(0)],
            Err("bad argument #3 to '?' (position out of bounds)"),
        ),
        (
            "position_past_end",
            "utf8.offset",
            &[S(b"abc"), I(1), I(5)],
            Err("bad argument #3 to '?' (position out of bounds)"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn codes_iterates_and_rejects_invalid_sequences() {
    let rows: &[SrcRow] = &[
        ("positions_and_code_points", "local r = {} for p, c in utf8.codes('h\\u{e9}!') do r[#r+1] = p .. ':' .. c end return table.concat(r, ',')", Ok("\"1:104,2:233,4:33\"")),
        ("empty", "for p, c in utf8.codes('') do return p end return 'none'", Ok("\"none\"")),
        ("lax_accepts_surrogates", "local r = {} for p, c in utf8.codes('\\xed\\xa0\\x80', true) do r[#r+1] = c end return r[1]", Ok("55296")),
        ("strict_rejects_surrogates", "for p, c in utf8.codes('\\xed\\xa0\\x80') do end", Err("t:1: invalid UTF-8 code")),
        ("bad_byte_in_the_middle", "for p, c in utf8.codes('a\\xffb') do end", Err("t:1: invalid UTF-8 code")),
        ("stray_continuation", "for p, c in utf8.codes('a\\x80b') do end", Err("t:1: invalid UTF-8 code")),
        ("truncated_at_end", "for p, c in utf8.codes('ab\\xe4') do end", Err("t:1: invalid UTF-8 code")),
        ("starts_with_continuation", "for p, c in utf8.codes('\\x80abc') do end", Err("t:1: bad argument #1 to 'codes' (invalid UTF-8 code)")),
        ("charpattern_splits_characters", "local r = {} for c in ('h\\u{e9}\\u{65e5}'):gmatch(utf8.charpattern) do r[#r+1] = #c end return table.concat(r, ',')", Ok("\"1,2,3\"")),
        ("charpattern_value", "return utf8.charpattern == '[\\0-\\x7F\\xC2-\\xFD][\\x80-\\xBF]*'", Ok("true")),
    ];
    check_sources(rows);
}
