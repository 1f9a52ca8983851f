//! The string library (§6.4), called through `Lua::call` and from Lua source. Expected
//! values and messages are PUC Lua's (checked against `lua5.4` where 5.4 and 5.5 agree).
//! Called from Rust, a native function has no calling instruction to name it, so
//! argument errors read `to '?'`; the source rows show the names Lua code sees.

mod stdlib_common;

use stdlib_common::{check_calls, check_sources, CallRow, SrcRow, A::*};

#[test]
fn basic_functions_follow_the_manual() {
    let rows: &[CallRow] = &[
        ("len_counts_bytes", "string.len", &[S(b"a\0b")], Ok("3")),
        ("len_converts_numbers", "string.len", &[F(12.5)], Ok("4")),
        (
            "sub_from_two",
            "string.sub",
            &[S(b"hello"), I(2)],
            Ok("\"ello\""),
        ),
        (
            "sub_negative_range",
            "string.sub",
            &[S(b"hello"), I(-3), I(-2)],
            Ok("\"ll\""),
        ),
        (
            "sub_zero_start_clips",
            "string.sub",
            &[S(b"hello"), I(0)],
            Ok("\"hello\""),
        ),
        (
            "sub_start_past_end",
            "string.sub",
            &[S(b"hello"), I(10)],
            Ok("\"\""),
        ),
        (
            "sub_extreme_bounds",
            "string.sub",
            &[S(b"hello"), I(i64::MIN), I(i64::MAX)],
            Ok("\"hello\""),
        ),
        (
            "sub_float_and_string_positions",
            "string.sub",
            &[S(b"hello"), F(2.0), S(b"4")],
            Ok("\"ell\""),
        ),
        (
            "byte_range",
            "string.byte",
            &[S(b"hello"), I(2), I(4)],
            Ok("101, 108, 108"),
        ),
        (
            "byte_default_first",
            "string.byte",
            &[S(b"hello")],
            Ok("104"),
        ),
        (
            "byte_negative",
            "string.byte",
            &[S(b"hello"), I(-3)],
            Ok("108"),
        ),
        (
            "byte_zero_is_empty",
            "string.byte",
            &[S(b"hello"), I(0)],
            Ok(""),
        ),
        (
            "byte_clipped_range",
            "string.byte",
            &[S(b"abc"), I(-10), I(10)],
            Ok("97, 98, 99"),
        ),
        ("byte_of_empty", "string.byte", &[S(b""), I(1)], Ok("")),
        (
            "char_bytes",
            "string.char",
            &[I(104), I(105), I(0), I(255)],
            Ok("\"hi\\x00\\xff\""),
        ),
        ("char_nothing", "string.char", &[], Ok("\"\"")),
        (
            "char_too_big",
            "string.char",
            &[I(256)],
            Err("bad argument #1 to '?' (value out of range)"),
        ),
        (
            "char_negative",
            "string.char",
            &[I(65), I(-1)],
            Err("bad argument #2 to '?' (value out of range)"),
        ),
        (
            "upper_ascii_only",
            "string.upper",
            &[S(b"aBc\xe9")],
            Ok("\"ABC\\xe9\""),
        ),
        (
            "lower_ascii_only",
            "string.lower",
            &[S(b"AbC\xc9")],
            Ok("\"abc\\xc9\""),
        ),
        ("reverse", "string.reverse", &[S(b"abc")], Ok("\"cba\"")),
        (
            "rep_with_separator",
            "string.rep",
            &[S(b"ab"), I(3), S(b",")],
            Ok("\"ab,ab,ab\""),
        ),
        ("rep_zero", "string.rep", &[S(b"x"), I(0)], Ok("\"\"")),
        ("rep_negative", "string.rep", &[S(b"x"), I(-1)], Ok("\"\"")),
        (
            "rep_numeric_string_count",
            "string.rep",
            &[S(b"x"), S(b"2")],
            Ok("\"xx\""),
        ),
        (
            "rep_empty_huge_count",
            "string.rep",
            &[S(b""), I(1 << 40)],
            Ok("\"\""),
        ),
        (
            "rep_too_large",
            "string.rep",
            &[S(b"x"), I(1 << 40)],
            Err("resulting string too large"),
        ),
        (
            "rep_too_large_with_sep",
            "string.rep",
            &[S(b"x"), I(1 << 30), S(b"yy")],
            Err("resulting string too large"),
        ),
        (
            "rep_float_count",
            "string.rep",
            &[S(b"x"), F(1.5)],
            Err("bad argument #2 to '?' (number has no integer representation)"),
        ),
        (
            "rep_missing_string",
            "string.rep",
            &[],
            Err("bad argument #1 to '?' (string expected, got no value)"),
        ),
        (
            "rep_boolean_string",
            "string.rep",
            &[B(true), I(1)],
            Err("bad argument #1 to '?' (string expected, got boolean)"),
        ),
        (
            "rep_nil_count",
            "string.rep",
            &[S(b"x"), N],
            Err("bad argument #2 to '?' (number expected, got nil)"),
        ),
        (
            "dump_of_a_function_is_unsupported_here",
            "string.dump",
            &[],
            Err("bad argument #1 to '?' (function expected, got no value)"),
        ),
    ];
    check_calls(rows);
    let src: &[SrcRow] = &[
        (
            "dump_has_no_binary_chunks",
            "local _ = string.dump(print)",
            Err("t:1: unable to dump given function"),
        ),
        (
            "dump_needs_a_function",
            "local _ = string.dump(1)",
            Err("t:1: bad argument #1 to 'dump' (function expected, got number)"),
        ),
        (
            "string_metatable_indexes_string_table",
            "return getmetatable('').__index == string, ('abc'):len(), ('%d'):rep(2)",
            Ok("true, 3, \"%d%d\""),
        ),
    ];
    check_sources(src);
}

#[test]
fn find_and_match_follow_the_pattern_rules() {
    let rows: &[CallRow] = &[
        (
            "find_plain_substring",
            "string.find",
            &[S(b"hello world"), S(b"o w")],
            Ok("5, 7"),
        ),
        (
            "find_plain_flag",
            "string.find",
            &[S(b"a+b"), S(b"+"), I(1), B(true)],
            Ok("2, 2"),
        ),
        (
            "find_plain_miss",
            "string.find",
            &[S(b"aaa"), S(b"b"), I(1), B(true)],
            Ok("nil"),
        ),
        (
            "find_empty_at_end",
            "string.find",
            &[S(b"abc"), S(b""), I(4)],
            Ok("4, 3"),
        ),
        (
            "find_empty_past_end",
            "string.find",
            &[S(b"abc"), S(b""), I(5)],
            Ok("nil"),
        ),
        (
            "find_negative_init",
            "string.find",
            &[S(b"abc"), S(b"b"), I(-2)],
            Ok("2, 2"),
        ),
        (
            "find_negative_init_after",
            "string.find",
            &[S(b"abc"), S(b"b"), I(-1)],
            Ok("nil"),
        ),
        (
            "find_returns_captures",
            "string.find",
            &[S(b"abc"), S(b"(b)(c)")],
            Ok("2, 3, \"b\", \"c\""),
        ),
        (
            "find_position_captures",
            "string.find",
            &[S(b"hello"), S(b"()ll()")],
            Ok("3, 4, 3, 5"),
        ),
        (
            "find_anchor",
            "string.find",
            &[S(b"hello"), S(b"^h")],
            Ok("1, 1"),
        ),
        (
            "find_anchor_only_at_start",
            "string.find",
            &[S(b"ahello"), S(b"^h")],
            Ok("nil"),
        ),
        (
            "find_dollar",
            "string.find",
            &[S(b"hello"), S(b"o$")],
            Ok("5, 5"),
        ),
        (
            "find_dollar_not_last_is_literal",
            "string.find",
            &[S(b"a$b"), S(b"$b")],
            Ok("2, 3"),
        ),
        (
            "match_whole",
            "string.match",
            &[S(b"  key = value"), S(b"(%w+)%s*=%s*(%w+)")],
            Ok("\"key\", \"value\""),
        ),
        (
            "match_init",
            "string.match",
            &[S(b"key=val"), S(b"(%w+)"), I(5)],
            Ok("\"val\""),
        ),
        (
            "match_init_past_end",
            "string.match",
            &[S(b"abc"), S(b"."), I(5)],
            Ok("nil"),
        ),
        (
            "match_position_at_end",
            "string.match",
            &[S(b"abc"), S(b"()"), I(4)],
            Ok("4"),
        ),
        (
            "match_frontier",
            "string.match",
            &[S(b"THE (quick) fox"), S(b"%f[%a]%a+"), I(5)],
            Ok("\"quick\""),
        ),
        (
            "match_balanced",
            "string.match",
            &[S(b"x(a(b)c)y"), S(b"%b()")],
            Ok("\"(a(b)c)\""),
        ),
        (
            "match_balanced_unclosed",
            "string.match",
            &[S(b"x(a(b"), S(b"%b()")],
            Ok("nil"),
        ),
        (
            "match_back_reference",
            "string.match",
            &[S(b"say 'hi' ok"), S(b"(['\"])(.-)%1")],
            Ok("\"\\'\", \"hi\""),
        ),
        (
            "match_lazy",
            "string.match",
            &[S(b"<a><b>"), S(b"<(.-)>")],
            Ok("\"a\""),
        ),
        (
            "match_greedy",
            "string.match",
            &[S(b"<a><b>"), S(b"<(.*)>")],
            Ok("\"a><b\""),
        ),
        (
            "match_optional",
            "string.match",
            &[S(b"color colour"), S(b"colou?r"), I(2)],
            Ok("\"colour\""),
        ),
        (
            "match_plus_needs_one",
            "string.match",
            &[S(b"xyz"), S(b"a+")],
            Ok("nil"),
        ),
        (
            "match_set_with_range_and_class",
            "string.match",
            &[S(b"--x9_Z"), S(b"[%d_a-z]+")],
            Ok("\"x9_\""),
        ),
        (
            "match_negated_set",
            "string.match",
            &[S(b"abc123"), S(b"[^%a]+")],
            Ok("\"123\""),
        ),
        (
            "match_escaped_bracket_in_set",
            "string.match",
            &[S(b"a]b"), S(b"[%]]")],
            Ok("\"]\""),
        ),
        (
            "match_dash_first_in_set",
            "string.match",
            &[S(b"a-b"), S(b"[-]")],
            Ok("\"-\""),
        ),
        (
            "match_set_closing_bracket_first",
            "string.match",
            &[S(b"x]"), S(b"[]]")],
            Ok("\"]\""),
        ),
        (
            "match_space_class_has_vertical_tab",
            "string.match",
            &[S(b"a\x0bb"), S(b"%s")],
            Ok("\"\\x0b\""),
        ),
        (
            "match_punct_class",
            "string.match",
            &[S(b"ab!?c"), S(b"%p+")],
            Ok("\"!?\""),
        ),
        (
            "match_control_class",
            "string.match",
            &[S(b"a\x01\x7fb"), S(b"%c+")],
            Ok("\"\\x01\\x7f\""),
        ),
        (
            "match_graph_class",
            "string.match",
            &[S(b" ab "), S(b"%g+")],
            Ok("\"ab\""),
        ),
        (
            "match_hex_class",
            "string.match",
            &[S(b"0x1Fg"), S(b"%x+"), I(3)],
            Ok("\"1F\""),
        ),
        (
            "match_complement_class",
            "string.match",
            &[S(b"abc 12"), S(b"%D+")],
            Ok("\"abc \""),
        ),
        (
            "match_zero_class",
            "string.match",
            &[S(b"a\0b"), S(b"%z")],
            Ok("\"\\x00\""),
        ),
        (
            "match_embedded_zero_in_pattern",
            "string.match",
            &[S(b"a\0b"), S(b"\0b")],
            Ok("\"\\x00b\""),
        ),
        (
            "match_nested_captures",
            "string.match",
            &[S(b"ab"), S(b"((a)(b))")],
            Ok("\"ab\", \"a\", \"b\""),
        ),
        (
            "match_2_to_the_199_optionals",
            "string.match",
            &[S(b"aaa"), S(b"a?a?a?")],
            Ok("\"aaa\""),
        ),
    ];
    check_calls(rows);
}

#[test]
fn malformed_patterns_raise_puc_messages() {
    let rows: &[CallRow] = &[
        (
            "ends_with_percent",
            "string.find",
            &[S(b"abc"), S(b"%")],
            Err("malformed pattern (ends with '%')"),
        ),
        (
            "missing_bracket",
            "string.find",
            &[S(b"abc"), S(b"[a")],
            Err("malformed pattern (missing ']')"),
        ),
        (
            "missing_bracket_after_escape",
            "string.find",
            &[S(b"abc"), S(b"[a%]")],
            Err("malformed pattern (missing ']')"),
        ),
        (
            "frontier_without_set",
            "string.find",
            &[S(b"abc"), S(b"%f")],
            Err("missing '[' after '%f' in pattern"),
        ),
        (
            "balance_without_arguments",
            "string.find",
            &[S(b"abc"), S(b"%b")],
            Err("malformed pattern (missing arguments to '%b')"),
        ),
        (
            "balance_with_one_argument",
            "string.find",
            &[S(b"abc"), S(b"%b(")],
            Err("malformed pattern (missing arguments to '%b')"),
        ),
        (
            "back_reference_to_nothing",
            "string.find",
            &[S(b"abc"), S(b"%1")],
            Err("invalid capture index %1"),
        ),
        (
            "back_reference_zero",
            "string.find",
            &[S(b"abc"), S(b"(a)%0")],
            Err("invalid capture index %0"),
        ),
        (
            "back_reference_to_open_capture",
            "string.find",
            &[S(b"abc"), S(b"(a%1)")],
            Err("invalid capture index %1"),
        ),
        (
            "close_without_open",
            "string.match",
            &[S(b"abc"), S(b"a)")],
            Err("invalid pattern capture"),
        ),
        (
            "unfinished_capture",
            "string.find",
            &[S(b"abc"), S(b"(()")],
            Err("unfinished capture"),
        ),
        (
            "too_many_captures",
            "string.find",
            &[
                S(b"a"),
                S(b"()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()"),
            ],
            Err("too many captures"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn pattern_depth_is_limited_like_puc() {
    let mut lua = stdlib_common::new_lua();
    let subject = "a".repeat(300);
    let ok = "a?".repeat(199);
    let deep = "a?".repeat(200);
    let find = stdlib_common::lib_fn(&mut lua, "string.find");
    let s = lua.str_value(subject.as_bytes()).unwrap();
    let p = lua.str_value(ok.as_bytes()).unwrap();
    let r = lua.call(find, &[s, p]).unwrap();
    assert_eq!(stdlib_common::render(&r), "1, 199");
    let p = lua.str_value(deep.as_bytes()).unwrap();
    let e = lua.call(find, &[s, p]).unwrap_err();
    assert_eq!(lua.error_message(&e), b"pattern too complex");
}

#[test]
fn runaway_backtracking_uses_fuel_and_can_be_aborted() {
    struct Stop;
    impl lua::Host for Stop {
        fn out_of_fuel(&mut self) -> lua::FuelAction {
            lua::FuelAction::Abort
        }
    }
    let config = lua::Config {
        fuel_slice: 100_000,
        ..lua::Config::default()
    };
    let mut lua = lua::Lua::new(config, Box::new(Stop)).unwrap();
    let find = stdlib_common::lib_fn(&mut lua, "string.find");
    let s = lua.str_value("a".repeat(60).as_bytes()).unwrap();
    let p = lua
        .str_value(format!("{}b", "a*".repeat(20)).as_bytes())
        .unwrap();
    let e = lua.call(find, &[s, p]).unwrap_err();
    assert!(matches!(e, lua::Error::Abort), "{:?}", e);
}

#[test]
fn gsub_replaces_with_strings_tables_and_functions() {
    let rows: &[CallRow] = &[
        (
            "string_whole_match",
            "string.gsub",
            &[S(b"abc"), S(b"%w"), S(b"%0%0")],
            Ok("\"aabbcc\", 3"),
        ),
        (
            "string_limit",
            "string.gsub",
            &[S(b"abc"), S(b"."), S(b"%0%0"), I(2)],
            Ok("\"aabbc\", 2"),
        ),
        (
            "string_limit_zero",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"x"), I(0)],
            Ok("\"abc\", 0"),
        ),
        (
            "string_limit_negative",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"x"), I(-1)],
            Ok("\"abc\", 0"),
        ),
        (
            "string_capture",
            "string.gsub",
            &[S(b"hello world"), S(b"(o)"), S(b"[%1]"), I(1)],
            Ok("\"hell[o] world\", 1"),
        ),
        (
            "string_percent_escape",
            "string.gsub",
            &[S(b"abc"), S(b"%w"), S(b"%%")],
            Ok("\"%%%\", 3"),
        ),
        (
            "string_position_capture",
            "string.gsub",
            &[S(b"abc"), S(b"()"), S(b"%1")],
            Ok("\"1a2b3c4\", 4"),
        ),
        (
            "empty_pattern_everywhere",
            "string.gsub",
            &[S(b"abc"), S(b""), S(b"-")],
            Ok("\"-a-b-c-\", 4"),
        ),
        (
            "empty_matches_after_nonempty",
            "string.gsub",
            &[S(b"abc"), S(b"b*"), S(b"-")],
            Ok("\"-a-c-\", 3"),
        ),
        (
            "anchored_once",
            "string.gsub",
            &[S(b"aaa"), S(b"^a"), S(b"x")],
            Ok("\"xaa\", 1"),
        ),
        (
            "empty_subject",
            "string.gsub",
            &[S(b""), S(b""), S(b"x")],
            Ok("\"x\", 1"),
        ),
        (
            "numbers_as_strings",
            "string.gsub",
            &[I(123), I(2), I(9)],
            Ok("\"193\", 1"),
        ),
        (
            "invalid_percent",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"%x")],
            Err("invalid use of '%' in replacement string"),
        ),
        (
            "trailing_percent",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"%")],
            Err("invalid use of '%' in replacement string"),
        ),
        (
            "capture_index_too_big",
            "string.gsub",
            &[S(b"abc"), S(b"(b)"), S(b"%2")],
            Err("invalid capture index %2 in replacement string"),
        ),
        (
            "capture_index_far_too_big",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"%9")],
            Err("invalid capture index %9 in replacement string"),
        ),
        (
            "capture_index_without_captures",
            "string.gsub",
            &[S(b"abc"), S(b"b"), S(b"%1")],
            Ok("\"abc\", 1"),
        ),
        (
            "missing_replacement",
            "string.gsub",
            &[S(b"abc"), S(b"b")],
            Err("bad argument #3 to '?' (string/function/table expected, got no value)"),
        ),
        (
            "boolean_replacement",
            "string.gsub",
            &[S(b"abc"), S(b"b"), B(true)],
            Err("bad argument #3 to '?' (string/function/table expected, got boolean)"),
        ),
    ];
    check_calls(rows);
    let src: &[SrcRow] = &[
        ("table_lookup", "return string.gsub('hello world', 'o', {o = '0'})", Ok("\"hell0 w0rld\", 2")),
        ("table_number_value", "return string.gsub('hello', 'l', {l = 1.5})", Ok("\"he1.51.5o\", 2")),
        ("table_false_keeps_match", "return string.gsub('hello', 'l', {l = false})", Ok("\"hello\", 2")),
        ("table_first_capture_is_key", "return string.gsub('a=1', '(%w)=(%w)', {a = 'A'})", Ok("\"A\", 1")),
        ("table_with_index_metamethod", "return string.gsub('ab', '.', setmetatable({}, {__index = function(_, k) return k:upper() end}))", Ok("\"AB\", 2")),
        ("table_invalid_value", "local _ = string.gsub('hello', 'l', {l = {}})", Err("t:1: invalid replacement value (a table)")),
        ("function_captures", "return string.gsub('hello', '(l)(l)', function(a, b) return a .. '-' .. b end)", Ok("\"hel-lo\", 1")),
        ("function_nil_keeps_match", "return string.gsub('hello', '.', function(c) if c ~= 'l' then return c:upper() end end)", Ok("\"HEllO\", 5")),
        ("function_position_capture", "return string.gsub('abc', '()', function(p) return p end)", Ok("\"1a2b3c4\", 4")),
        ("function_invalid_value", "local _ = string.gsub('abc', '.', function() return true end)", Err("t:1: invalid replacement value (a boolean)")),
        ("function_error_propagates", "local _ = string.gsub('abc', '.', function() error('boom') end)", Err("t:1: boom")),
    ];
    check_sources(src);
}

#[test]
fn gmatch_iterates_matches_from_init() {
    let rows: &[SrcRow] = &[
        ("pairs_of_captures", "local r = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do r[#r+1] = k .. v end return table.concat(r, ';')", Ok("\"a1;b2\"")),
        ("whole_match_without_captures", "local r = {} for w in ('one two'):gmatch('%a+') do r[#r+1] = w end return table.concat(r, ';')", Ok("\"one;two\"")),
        ("init_argument", "local r = {} for w in string.gmatch('one two three', '%a+', 5) do r[#r+1] = w end return table.concat(r, ';')", Ok("\"two;three\"")),
        ("empty_matches_advance", "local r = {} for w in string.gmatch('abc', '') do r[#r+1] = '[' .. w .. ']' end return table.concat(r)", Ok("\"[][][][]\"")),
        ("init_past_end_yields_nothing", "local n = 0 for _ in string.gmatch('abc', '()', 10) do n = n + 1 end return n", Ok("0")),
        ("caret_is_literal", "local r = {} for w in string.gmatch('a^b', '^.') do r[#r+1] = w end return table.concat(r, ';')", Ok("\"^b\"")),
        ("no_repeat_at_last_match_end", "local r = {} for w in string.gmatch('ab', 'a*') do r[#r+1] = '<' .. w .. '>' end return table.concat(r)", Ok("\"<a><>\"")),
    ];
    check_sources(rows);
}

#[test]
fn format_renders_every_conversion() {
    let rows: &[CallRow] = &[
        ("percent", "string.format", &[S(b"100%%")], Ok("\"100%\"")),
        ("integer_flags", "string.format", &[S(b"[%5d|%-5d|%05d|%+d|% d|%.3d]"), I(42), I(42), I(42), I(42), I(42), I(7)], Ok("\"[   42|42   |00042|+42| 42|007]\"")),
        ("integral_float_as_integer", "string.format", &[S(b"%d"), F(3.0)], Ok("\"3\"")),
        ("numeric_string_as_integer", "string.format", &[S(b"%i"), S(b"3.0")], Ok("\"3\"")),
        ("unsigned_of_negative", "string.format", &[S(b"%u"), I(-1)], Ok("\"18446744073709551615\"")),
        ("hex_and_octal", "string.format", &[S(b"%x %X %#x %o %#o"), I(255), I(255), I(255), I(8), I(8)], Ok("\"ff FF 0xff 10 010\"")),
        ("hex_of_negative", "string.format", &[S(b"%x"), I(-1)], Ok("\"ffffffffffffffff\"")),
        ("char", "string.format", &[S(b"%c%c%c|%5c|%-3c|"), I(76), I(117), I(97), I(65), I(66)], Ok("\"Lua|    A|B  |\"")),
        ("char_wraps_to_a_byte", "string.format", &[S(b"%c"), I(256 + 65)], Ok("\"A\"")),
        ("floats", "string.format", &[S(b"%5.1f|%.3e|%g|%G|%.0f|%#.0f"), F(3.125), F(1234.5), F(1e20), F(1e-10), F(2.5), F(2.0)], Ok("\"  3.1|1.234e+03|1e+20|1E-10|2|2.\"")),
        ("hex_float", "string.format", &[S(b"%a %A"), F(1.0), F(0.5)], Ok("\"0x1p+0 0X1P-1\"")),
        ("float_infinities", "string.format", &[S(b"%f %e %g"), F(f64::INFINITY), F(f64::NEG_INFINITY), F(f64::INFINITY)], Ok("\"inf -inf inf\"")),
        ("string_width_precision", "string.format", &[S(b"%10s|%-10s|%.2s"), S(b"ab"), S(b"cd"), S(b"xyz")], Ok("\"        ab|cd        |xy\"")),
        ("string_plain_keeps_zeros", "string.format", &[S(b"%s"), S(b"a\0b")], Ok("\"a\\x00b\"")),
        ("string_of_numbers", "string.format", &[S(b"%s %s"), I(1), F(2.0)], Ok("\"1 2.0\"")),
        ("string_of_nil_and_boolean", "string.format", &[S(b"%s %s"), N, B(true)], Ok("\"nil true\"")),
        ("long_string_ignores_width", "string.format", &[S(b"%5s"), S(b"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy")], Ok("\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"")),
        ("pointer_of_non_object", "string.format", &[S(b"%p|%10p|"), I(1), B(true)], Ok("\"(null)|    (null)|\"")),
        ("quoted_string", "string.format", &[S(b"%q"), S(b"a\0b\x01c\x012\n\"\\\r\x7fx\x80")], Ok("\"\\\"a\\\\0b\\\\1c\\\\0012\\\\\\n\\\\\\\"\\\\\\\\\\\\13\\\\127x\\x80\\\"\"")),
        ("quoted_integers", "string.format", &[S(b"%q %q"), I(42), I(i64::MIN)], Ok("\"42 0x8000000000000000\"")),
        ("quoted_floats", "string.format", &[S(b"%q %q %q %q"), F(0.1), F(f64::INFINITY), F(f64::NEG_INFINITY), F(f64::NAN)], Ok("\"0x1.999999999999ap-4 1e9999 -1e9999 (0/0)\"")),
        ("quoted_nil_and_booleans", "string.format", &[S(b"%q %q %q"), N, B(true), B(false)], Ok("\"nil true false\"")),
    ];
    check_calls(rows);
}

#[test]
fn format_errors_follow_lstrlib() {
    let rows: &[CallRow] = &[
        (
            "no_value",
            "string.format",
            &[S(b"%d")],
            Err("bad argument #2 to '?' (no value)"),
        ),
        (
            "no_value_second",
            "string.format",
            &[S(b"%d %d"), I(1)],
            Err("bad argument #3 to '?' (no value)"),
        ),
        (
            "no_integer_representation",
            "string.format",
            &[S(b"%d"), F(1.5)],
            Err("bad argument #2 to '?' (number has no integer representation)"),
        ),
        (
            "infinity_as_integer",
            "string.format",
            &[S(b"%x"), F(f64::INFINITY)],
            Err("bad argument #2 to '?' (number has no integer representation)"),
        ),
        (
            "not_a_number",
            "string.format",
            &[S(b"%d"), S(b"x")],
            Err("bad argument #2 to '?' (number expected, got string)"),
        ),
        (
            "float_not_a_number",
            "string.format",
            &[S(b"%f"), B(true)],
            Err("bad argument #2 to '?' (number expected, got boolean)"),
        ),
        (
            "argument_checked_before_flags",
            "string.format",
            &[S(b"%#d"), F(1.5)],
            Err("bad argument #2 to '?' (number has no integer representation)"),
        ),
        (
            "bad_flags",
            "string.format",
            &[S(b"%#d"), I(1)],
            Err("invalid conversion specification: '%#d'"),
        ),
        (
            "width_too_wide",
            "string.format",
            &[S(b"%100d"), I(1)],
            Err("invalid conversion specification: '%100d'"),
        ),
        (
            "unknown_conversion",
            "string.format",
            &[S(b"%y"), I(1)],
            Err("invalid conversion '%y' to 'format'"),
        ),
        (
            "capital_f_unknown",
            "string.format",
            &[S(b"%F"), I(1)],
            Err("invalid conversion '%F' to 'format'"),
        ),
        (
            "trailing_percent",
            "string.format",
            &[S(b"abc%"), I(1)],
            Err("invalid conversion '%' to 'format'"),
        ),
        (
            "too_long",
            "string.format",
            &[S(b"%111111111111111111111111111111d"), I(1)],
            Err("invalid format (too long)"),
        ),
        (
            "quote_modifiers",
            "string.format",
            &[S(b"%10.3q"), S(b"x")],
            Err("specifier '%q' cannot have modifiers"),
        ),
        (
            "quote_table",
            "string.format",
            &[S(b"%q"), S(b"x"), S(b"y")],
            Ok("\"\\\"x\\\"\""),
        ),
        (
            "string_with_zeros_and_width",
            "string.format",
            &[S(b"%5s"), S(b"a\0b")],
            Err("bad argument #2 to '?' (string contains zeros)"),
        ),
        (
            "string_with_zeros_and_precision",
            "string.format",
            &[S(b"%.3s"), S(b"a\0b")],
            Err("bad argument #2 to '?' (string contains zeros)"),
        ),
        (
            "missing_format",
            "string.format",
            &[],
            Err("bad argument #1 to '?' (string expected, got no value)"),
        ),
    ];
    check_calls(rows);
    let src: &[SrcRow] = &[
        ("quote_of_table", "local _ = string.format('%q', {})", Err("t:1: bad argument #2 to 'format' (value has no literal form)")),
        ("tostring_metamethod", "return string.format('%s|%5s', setmetatable({}, {__tostring = function() return 'OBJ' end}), 'ab')", Ok("\"OBJ|   ab\"")),
        ("tostring_must_return_string", "local _ = string.format('%s', setmetatable({}, {__tostring = function() return {} end}))", Err("t:1: '__tostring' must return a string")),
        ("named_type", "return (string.format('%s', setmetatable({}, {__name = 'MyType'})):match('^MyType: '))", Ok("\"MyType: \"")),
        ("pointer_of_table", "local t = {} return string.format('%p', t) == string.format('%p', t), string.format('%p', t):match('^0x%x+$') ~= nil", Ok("true, true")),
        ("method_call_on_string", "return ('%d-%s'):format(5, 'x'), ('x'):rep(3), #('abc'):upper()", Ok("\"5-x\", \"xxx\", 3")),
        ("bad_argument_names_function", "local _ = string.rep({})", Err("t:1: bad argument #1 to 'rep' (string expected, got table)")),
        ("bad_argument_method_call", "local s = 'x' local _ = s:rep({})", Err("t:1: bad argument #1 to 'rep' (number expected, got table)")),
        ("bad_self_named_type", "local _ = string.rep(setmetatable({}, {__name = 'socket'}))", Err("t:1: bad argument #1 to 'rep' (string expected, got socket)")),
    ];
    check_sources(src);
}

#[test]
fn pack_and_unpack_round_trip_every_option() {
    let rows: &[SrcRow] = &[
        ("bytes", "return string.pack('bB', -1, 255)", Ok("\"\\xff\\xff\"")),
        ("shorts_little_and_big", "return string.pack('<h>H', 1, 258)", Ok("\"\\x01\\x00\\x01\\x02\"")),
        ("native_is_little", "return string.pack('=i4', 1) == string.pack('<i4', 1)", Ok("true")),
        ("long_and_lua_integer", "return #string.pack('lLjJT', 1, 2, 3, 4, 5)", Ok("40")),
        ("sized_integers", "return string.pack('>i3', -2), string.pack('<I3', 65536)", Ok("\"\\xff\\xff\\xfe\", \"\\x00\\x00\\x01\"")),
        ("sixteen_byte_sign_extension", "return string.unpack('<i16', string.pack('<i16', -3))", Ok("-3, 17")),
        ("nine_byte_unsigned", "return string.unpack('>I9', string.pack('>I9', 300))", Ok("300, 10")),
        ("floats", "return string.unpack('<f>dn', string.pack('<f>dn', 1.5, -2.25, 1/3))", Ok("1.5, -2.25, 0.33333333333333331, 21")),
        ("float_rounds_to_single", "return string.unpack('f', string.pack('f', 0.1))", Ok("0.10000000149011612, 5")),
        ("fixed_string_padded", "return string.pack('c5', 'ab')", Ok("\"ab\\x00\\x00\\x00\"")),
        ("length_prefixed", "return string.pack('>s2', 'hi'), string.unpack('s1', '\\5abcdefg')", Ok("\"\\x00\\x02hi\", \"abcde\", 7")),
        ("zero_terminated", "return string.unpack('zz', 'a\\0bc\\0')", Ok("\"a\", \"bc\", 6")),
        ("padding_and_spaces", "return string.pack('b x h', 1, 2)", Ok("\"\\x01\\x00\\x02\\x00\"")),
        ("alignment", "return string.pack('!4 b i4', 1, 2), string.pack('!2 b i8', 1, 2):len()", Ok("\"\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00\", 10")),
        ("align_option", "return string.pack('!4 b Xi4 h', 1, 2)", Ok("\"\\x01\\x00\\x00\\x00\\x02\\x00\"")),
        ("default_max_alignment", "return #string.pack('! b d', 1, 2)", Ok("16")),
        ("unpack_position", "return string.unpack('i4', 'abcdefgh', 5)", Ok("1751606885, 9")),
        ("unpack_negative_position", "return string.unpack('b', 'abcd', -1)", Ok("100, 5")),
        ("unpack_nothing_at_end", "return string.unpack('', 'abc', 4)", Ok("4")),
        ("packsize", "return string.packsize('i4 i8 !8 d b'), string.packsize('!8 b d b'), string.packsize('c214748364')", Ok("25, 17, 214748364")),
        ("all_settings_no_values", "return string.pack('<>=!  ')", Ok("\"\"")),
    ];
    check_sources(rows);
}

#[test]
fn pack_errors_follow_lstrlib() {
    let rows: &[SrcRow] = &[
        (
            "integer_overflow",
            "local _ = string.pack('i1', 128)",
            Err("t:1: bad argument #2 to 'pack' (integer overflow)"),
        ),
        (
            "integer_underflow",
            "local _ = string.pack('h', -32769)",
            Err("t:1: bad argument #2 to 'pack' (integer overflow)"),
        ),
        (
            "unsigned_overflow",
            "local _ = string.pack('B', 256)",
            Err("t:1: bad argument #2 to 'pack' (unsigned overflow)"),
        ),
        (
            "size_out_of_limits",
            "local _ = string.pack('i17', 1)",
            Err("t:1: integral size (17) out of limits [1,16]"),
        ),
        (
            "size_zero",
            "local _ = string.pack('i0', 1)",
            Err("t:1: integral size (0) out of limits [1,16]"),
        ),
        (
            "invalid_option",
            "local _ = string.pack('q', 1)",
            Err("t:1: invalid format option 'q'"),
        ),
        (
            "missing_char_size",
            "local _ = string.pack('c', 'x')",
            Err("t:1: missing size for format option 'c'"),
        ),
        (
            "string_longer_than_size",
            "local _ = string.pack('c2', 'abc')",
            Err("t:1: bad argument #2 to 'pack' (string longer than given size)"),
        ),
        (
            "length_does_not_fit",
            "local _ = string.pack('s1', string.rep('x', 256))",
            Err("t:1: bad argument #2 to 'pack' (string length does not fit in given size)"),
        ),
        (
            "zero_in_z_string",
            "local _ = string.pack('z', 'a\\0b')",
            Err("t:1: bad argument #2 to 'pack' (string contains zeros)"),
        ),
        (
            "missing_value_is_nil",
            "local _ = string.pack('i4 i4', 1)",
            Err("t:1: bad argument #3 to 'pack' (number expected, got nil)"),
        ),
        (
            "float_needs_integer",
            "local _ = string.pack('j', 2^63)",
            Err("t:1: bad argument #2 to 'pack' (number has no integer representation)"),
        ),
        (
            "alignment_not_power_of_two",
            "local _ = string.pack('!3 b i4', 1, 2)",
            Err("t:1: bad argument #1 to 'pack' (format asks for alignment not power of 2)"),
        ),
        (
            "align_at_end",
            "local _ = string.pack('!4 b X', 1)",
            Err("t:1: bad argument #1 to 'pack' (invalid next option for option 'X')"),
        ),
        (
            "align_to_char",
            "local _ = string.pack('!4 b Xc1', 1)",
            Err("t:1: bad argument #1 to 'pack' (invalid next option for option 'X')"),
        ),
        (
            "variable_length_size",
            "local _ = string.packsize('s')",
            Err("t:1: bad argument #1 to 'packsize' (variable-length format)"),
        ),
        (
            // Sizes go up to lua_Integer's maximum on LP64, as PUC 5.5's MAX_SIZE.
            "size_digits_stop_like_puc",
            "local _ = string.packsize('c1' .. string.rep('0', 40))",
            Err("t:1: invalid format option '0'"),
        ),
        (
            "result_too_large",
            "local _ = string.packsize('c9223372036854775000 c9223372036854775000')",
            Err("t:1: bad argument #1 to 'packsize' (format result too large)"),
        ),
        (
            "data_too_short",
            "local _ = string.unpack('i4', 'abc')",
            Err("t:1: bad argument #2 to 'unpack' (data string too short)"),
        ),
        (
            "position_out_of_string",
            "local _ = string.unpack('i4', 'abcd', 6)",
            Err("t:1: bad argument #3 to 'unpack' (initial position out of string)"),
        ),
        (
            "unfinished_z",
            "local _ = string.unpack('z', 'abc')",
            Err("t:1: bad argument #2 to 'unpack' (unfinished string for format 'z')"),
        ),
        (
            "length_prefix_past_end",
            "local _ = string.unpack('s1', '\\9abc')",
            Err("t:1: bad argument #2 to 'unpack' (data string too short)"),
        ),
        (
            "wide_integer_does_not_fit",
            "local _ = string.unpack('i9', '\\0\\0\\0\\0\\0\\0\\0\\0\\1')",
            Err("t:1: 9-byte integer does not fit into Lua Integer"),
        ),
    ];
    check_sources(rows);
}

#[test]
fn results_beyond_the_memory_limit_raise_memory_errors() {
    let config = lua::Config {
        memory_limit: 4 << 20,
        ..lua::Config::default()
    };
    let mut lua = lua::Lua::new(config, Box::new(lua::NoHost)).unwrap();
    let rows: &[(&str, &str)] = &[
        ("rep", "local _ = string.rep('x', 100000000)"),
        ("rep_with_separator", "local _ = string.rep('x', 10000000, 'abcdefgh')"),
        ("gsub_growth", "local s = string.rep('x', 100000) local _ = s:gsub('x', string.rep('y', 100))"),
        ("pack_fixed_string", "local _ = string.pack('c2000000000', '')"),
        ("format_growth", "local s = string.rep('x', 1000000) local _ = string.format(string.rep('%s', 10), s, s, s, s, s, s, s, s, s, s)"),
        ("concat_growth", "local s = string.rep('x', 1000000) local _ = table.concat({s, s, s, s, s, s, s, s, s, s})"),
    ];
    for (name, src) in rows {
        let r = stdlib_common::eval(&mut lua, src);
        assert_eq!(r, Err("not enough memory".to_string()), "{name}");
    }
    assert_eq!(
        stdlib_common::eval(&mut lua, "return #string.rep('x', 1000)"),
        Ok("1000".to_string())
    );
}
