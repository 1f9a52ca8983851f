//! The mathematical library (§6.7): integer/float results, PUC's error messages and
//! PUC's seeded random sequences.

mod stdlib_common;

use stdlib_common::{check_calls, check_sources, CallRow, SrcRow, A::*};

const MAX: i64 = i64::MAX;
const MIN: i64 = i64::MIN;
/// 2^63, the first float past `maxinteger`.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

#[test]
fn rounding_keeps_integers_when_they_fit() {
    let rows: &[CallRow] = &[
        ("floor_float", "math.floor", &[F(3.7)], Ok("3")),
        ("floor_negative", "math.floor", &[F(-3.2)], Ok("-4")),
        (
            "floor_integer",
            "math.floor",
            &[I(MIN)],
            Ok("-9223372036854775808"),
        ),
        ("floor_negative_zero", "math.floor", &[F(-0.0)], Ok("0")),
        ("floor_too_big", "math.floor", &[F(1e100)], Ok("1e+100")),
        (
            "floor_of_two_to_63",
            "math.floor",
            &[F(TWO_63)],
            Ok("9.2233720368547758e+18"),
        ),
        ("floor_numeric_string", "math.floor", &[S(b"3.5")], Ok("3")),
        (
            "floor_infinity",
            "math.floor",
            &[F(f64::INFINITY)],
            Ok("inf"),
        ),
        ("ceil_float", "math.ceil", &[F(3.2)], Ok("4")),
        ("ceil_negative_half", "math.ceil", &[F(-0.5)], Ok("0")),
        (
            "ceil_min",
            "math.ceil",
            &[F(-TWO_63)],
            Ok("-9223372036854775808"),
        ),
        ("modf_positive", "math.modf", &[F(3.5)], Ok("3, 0.5")),
        ("modf_negative", "math.modf", &[F(-3.5)], Ok("-3, -0.5")),
        ("modf_integer", "math.modf", &[I(5)], Ok("5, 0.0")),
        (
            "modf_infinity",
            "math.modf",
            &[F(f64::INFINITY)],
            Ok("inf, 0.0"),
        ),
        ("modf_huge", "math.modf", &[F(1e100)], Ok("1e+100, 0.0")),
        ("abs_integer", "math.abs", &[I(-3)], Ok("3")),
        (
            "abs_mininteger_wraps",
            "math.abs",
            &[I(MIN)],
            Ok("-9223372036854775808"),
        ),
        ("abs_float", "math.abs", &[F(-0.0)], Ok("0.0")),
        ("abs_string_is_float", "math.abs", &[S(b"-3")], Ok("3.0")),
        (
            "floor_no_argument",
            "math.floor",
            &[],
            Err("bad argument #1 to '?' (number expected, got no value)"),
        ),
        (
            "abs_table",
            "math.abs",
            &[B(true)],
            Err("bad argument #1 to '?' (number expected, got boolean)"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn fmod_follows_integer_and_float_rules() {
    let rows: &[CallRow] = &[
        (
            "truncates_toward_zero",
            "math.fmod",
            &[I(-6), I(4)],
            Ok("-2"),
        ),
        ("sign_of_dividend", "math.fmod", &[I(6), I(-4)], Ok("2")),
        ("float", "math.fmod", &[F(-6.0), I(4)], Ok("-2.0")),
        ("fractional", "math.fmod", &[I(3), F(2.5)], Ok("0.5")),
        (
            "mininteger_by_minus_one",
            "math.fmod",
            &[I(MIN), I(-1)],
            Ok("0"),
        ),
        (
            "float_infinite_divisor",
            "math.fmod",
            &[I(1), F(f64::INFINITY)],
            Ok("1.0"),
        ),
        (
            "strings_are_floats",
            "math.fmod",
            &[S(b"7"), S(b"3")],
            Ok("1.0"),
        ),
        (
            "integer_zero",
            "math.fmod",
            &[I(5), I(0)],
            Err("bad argument #2 to '?' (zero)"),
        ),
        (
            "mininteger_zero",
            "math.fmod",
            &[I(MIN), I(0)],
            Err("bad argument #2 to '?' (zero)"),
        ),
        (
            "not_a_number",
            "math.fmod",
            &[I(7), S(b"x")],
            Err("bad argument #2 to '?' (number expected, got string)"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn conversions_and_comparisons() {
    let rows: &[CallRow] = &[
        (
            "tointeger_integral_float",
            "math.tointeger",
            &[F(3.0)],
            Ok("3"),
        ),
        ("tointeger_fraction", "math.tointeger", &[F(3.5)], Ok("nil")),
        ("tointeger_string", "math.tointeger", &[S(b"8")], Ok("8")),
        ("tointeger_other", "math.tointeger", &[S(b"x")], Ok("nil")),
        (
            "tointeger_two_to_63",
            "math.tointeger",
            &[F(TWO_63)],
            Ok("nil"),
        ),
        (
            "tointeger_nothing",
            "math.tointeger",
            &[],
            Err("bad argument #1 to '?' (value expected)"),
        ),
        ("type_integer", "math.type", &[I(1)], Ok("\"integer\"")),
        ("type_float", "math.type", &[F(1.0)], Ok("\"float\"")),
        ("type_string", "math.type", &[S(b"1")], Ok("nil")),
        (
            "type_nothing",
            "math.type",
            &[],
            Err("bad argument #1 to '?' (value expected)"),
        ),
        (
            "ult_negative_is_big",
            "math.ult",
            &[I(1), I(-1)],
            Ok("true"),
        ),
        (
            "ult_float",
            "math.ult",
            &[F(1.5), I(2)],
            Err("bad argument #1 to '?' (number has no integer representation)"),
        ),
        ("max_mixed", "math.max", &[I(1), F(2.0), I(2)], Ok("2.0")),
        ("min_mixed", "math.min", &[I(1), F(2.0), I(-3)], Ok("-3")),
        (
            "max_strings_compare_as_strings",
            "math.max",
            &[S(b"a"), S(b"b")],
            Ok("\"b\""),
        ),
        (
            "max_nothing",
            "math.max",
            &[],
            Err("bad argument #1 to '?' (value expected)"),
        ),
        (
            "max_incomparable",
            "math.max",
            &[I(1), S(b"x")],
            Err("attempt to compare number with string"),
        ),
        (
            "min_extremes",
            "math.min",
            &[I(MAX), I(MIN)],
            Ok("-9223372036854775808"),
        ),
    ];
    check_calls(rows);
}

#[test]
fn float_functions_come_from_libm() {
    let rows: &[CallRow] = &[
        ("sqrt", "math.sqrt", &[I(16)], Ok("4.0")),
        ("exp_zero", "math.exp", &[I(0)], Ok("1.0")),
        ("log_natural", "math.log", &[I(1)], Ok("0.0")),
        ("log_two", "math.log", &[I(8), I(2)], Ok("3.0")),
        ("log_ten", "math.log", &[I(100), I(10)], Ok("2.0")),
        ("log_zero", "math.log", &[I(0)], Ok("-inf")),
        ("sin_zero", "math.sin", &[I(0)], Ok("0.0")),
        ("cos_zero", "math.cos", &[I(0)], Ok("1.0")),
        ("tan_zero", "math.tan", &[I(0)], Ok("0.0")),
        ("asin_one", "math.asin", &[I(1)], Ok("1.5707963267948966")),
        ("acos_one", "math.acos", &[I(1)], Ok("0.0")),
        (
            "atan_default_x",
            "math.atan",
            &[I(1)],
            Ok("0.78539816339744828"),
        ),
        (
            "atan_quadrant",
            "math.atan",
            &[I(-1), I(-1)],
            Ok("-2.3561944901923448"),
        ),
        (
            "sqrt_string",
            "math.sqrt",
            &[S(b"x")],
            Err("bad argument #1 to '?' (number expected, got string)"),
        ),
    ];
    check_calls(rows);
    let src: &[SrcRow] = &[(
        "constants",
        "return math.pi, math.huge, -math.huge, math.maxinteger, math.mininteger",
        Ok("3.1415926535897931, inf, -inf, 9223372036854775807, -9223372036854775808"),
    )];
    check_sources(src);
}

#[test]
fn random_matches_puc_sequences_after_seeding() {
    let rows: &[SrcRow] = &[
        // Sequences recorded from PUC Lua 5.4 (`lua5.4`) with the same seeds.
        ("seed_42", "math.randomseed(42) return math.random(1, 100), math.random(0), math.random(5)", Ok("50, -8358531260401861301, 2")),
        ("seed_42_float", "math.randomseed(42) math.random(1, 100) return math.random()", Ok("0.546883112434215")),
        ("seed_pair", "math.randomseed(42, 7) return math.random(1, 100), math.random(3, 1000000007)", Ok("49, 46406086")),
        ("seed_returns_parts", "return math.randomseed(7, 8)", Ok("7, 8")),
        ("seed_default_second_part", "return math.randomseed(1.0)", Ok("1, 0")),
        ("single_value_interval", "return math.random(3, 3)", Ok("3")),
        ("full_range", "math.randomseed(0) local x = math.random(math.mininteger, math.maxinteger) return math.type(x)", Ok("\"integer\"")),
        ("float_in_unit_interval", "for i = 1, 1000 do local x = math.random() if x < 0 or x >= 1 then return x end end return true", Ok("true")),
        ("range_is_respected", "for i = 1, 1000 do local x = math.random(-3, 3) if x < -3 or x > 3 then return x end end return true", Ok("true")),
        ("empty_interval", "local _ = math.random(2, 1)", Err("t:1: bad argument #1 to 'random' (interval is empty)")),
        ("empty_interval_one_argument", "local _ = math.random(-1)", Err("t:1: bad argument #1 to 'random' (interval is empty)")),
        ("too_many_arguments", "local _ = math.random(1, 2, 3)", Err("t:1: wrong number of arguments")),
        ("float_bound", "local _ = math.random(1.5)", Err("t:1: bad argument #1 to 'random' (number has no integer representation)")),
        ("float_seed", "local _ = math.randomseed(1.5)", Err("t:1: bad argument #1 to 'randomseed' (number has no integer representation)")),
    ];
    check_sources(rows);
}
