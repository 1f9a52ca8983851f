//! The table library (§6.6): results, metamethods where PUC's ltablib.c honours them,
//! and every error message. Argument errors are raised from non-tail calls so that the
//! message names the function as Lua code sees it.

mod stdlib_common;

use stdlib_common::{check_calls, check_sources, CallRow, SrcRow, A::*};

/// Lua helper prepended to the rows: renders a sequence as `{a,b,c}`.
macro_rules! with_list {
    ($src:literal) => {
        concat!(
            "local function L(t) return '{' .. table.concat(t, ',') .. '}' end ",
            $src
        )
    };
}

#[test]
fn insert_and_remove_shift_elements() {
    let rows: &[SrcRow] = &[
        (
            "insert_appends",
            with_list!("local t = {1,2} table.insert(t, 3) return L(t)"),
            Ok("\"{1,2,3}\""),
        ),
        (
            "insert_at_front",
            with_list!("local t = {1,2} table.insert(t, 1, 0) return L(t)"),
            Ok("\"{0,1,2}\""),
        ),
        (
            "insert_in_middle",
            with_list!("local t = {1,2,3} table.insert(t, 2, 9) return L(t)"),
            Ok("\"{1,9,2,3}\""),
        ),
        (
            "insert_just_past_end",
            with_list!("local t = {1} table.insert(t, 2, 5) return L(t)"),
            Ok("\"{1,5}\""),
        ),
        (
            "remove_last",
            with_list!("local t = {1,2,3} local r = table.remove(t) return r, L(t)"),
            Ok("3, \"{1,2}\""),
        ),
        (
            "remove_first",
            with_list!("local t = {1,2,3} local r = table.remove(t, 1) return r, L(t)"),
            Ok("1, \"{2,3}\""),
        ),
        (
            "remove_from_empty",
            "local t = {} return table.remove(t), #t",
            Ok("nil, 0"),
        ),
        (
            "remove_position_zero_of_empty",
            "return table.remove({}, 0)",
            Ok("nil"),
        ),
        (
            "remove_one_past_end",
            "return table.remove({1,2,3}, 4)",
            Ok("nil"),
        ),
        (
            "insert_position_zero",
            "local _ = table.insert({1}, 0, 5)",
            Err("t:1: bad argument #2 to 'insert' (position out of bounds)"),
        ),
        (
            "insert_position_too_far",
            "local _ = table.insert({1}, 3, 5)",
            Err("t:1: bad argument #2 to 'insert' (position out of bounds)"),
        ),
        (
            "insert_too_few_arguments",
            "local _ = table.insert({})",
            Err("t:1: wrong number of arguments to 'insert'"),
        ),
        (
            "insert_too_many_arguments",
            "local _ = table.insert({}, 1, 2, 3)",
            Err("t:1: wrong number of arguments to 'insert'"),
        ),
        (
            "insert_into_nil",
            "local _ = table.insert(nil, 1)",
            Err("t:1: bad argument #1 to 'insert' (table expected, got nil)"),
        ),
        (
            "insert_position_not_integer",
            "local _ = table.insert({}, 'x', 1)",
            Err("t:1: bad argument #2 to 'insert' (number expected, got string)"),
        ),
        (
            "remove_two_past_end",
            "local _ = table.remove({1,2,3}, 5)",
            Err("t:1: bad argument #2 to 'remove' (position out of bounds)"),
        ),
        (
            "remove_negative",
            "local _ = table.remove({1,2,3}, -1)",
            Err("t:1: bad argument #2 to 'remove' (position out of bounds)"),
        ),
        (
            "remove_from_string",
            "local _ = table.remove('abc')",
            Err("t:1: bad argument #1 to 'remove' (table expected, got string)"),
        ),
    ];
    check_sources(rows);
}

#[test]
fn concat_joins_strings_and_numbers() {
    let rows: &[SrcRow] = &[
        (
            "separator",
            "return table.concat({1, 2.5, 'x'}, ', ')",
            Ok("\"1, 2.5, x\""),
        ),
        ("empty_list", "return table.concat({}, ',')", Ok("\"\"")),
        (
            "range",
            "return table.concat({1,2,3}, ',', 2, 3)",
            Ok("\"2,3\""),
        ),
        (
            "empty_range",
            "return table.concat({1,2,3}, ',', 3, 2)",
            Ok("\"\""),
        ),
        (
            "maxinteger_index",
            "return table.concat({[math.maxinteger] = 'a'}, ',', math.maxinteger, math.maxinteger)",
            Ok("\"a\""),
        ),
        (
            "invalid_value",
            "local _ = table.concat({1, {}, 3})",
            Err("t:1: invalid value (at index 2) in table for 'concat'"),
        ),
        (
            "nil_past_end",
            "local _ = table.concat({1, 2}, ',', 1, 3)",
            Err("t:1: invalid value (at index 3) in table for 'concat'"),
        ),
        (
            "bad_separator",
            "local _ = table.concat({1, 2}, {})",
            Err("t:1: bad argument #2 to 'concat' (string expected, got table)"),
        ),
        (
            "not_a_table",
            "local _ = table.concat(5)",
            Err("t:1: bad argument #1 to 'concat' (table expected, got number)"),
        ),
    ];
    check_sources(rows);
}

#[test]
fn pack_unpack_and_create() {
    let rows: &[CallRow] = &[
        (
            "unpack_defaults_to_length",
            "table.unpack",
            &[],
            Err("attempt to get length of a nil value"),
        ),
        (
            "pack_counts_nils",
            "table.pack",
            &[I(1), N, I(3)],
            Ok("table"),
        ),
        ("create_empty", "table.create", &[I(10), I(4)], Ok("table")),
        (
            "create_negative",
            "table.create",
            &[I(-1)],
            Err("bad argument #1 to '?' (out of range)"),
        ),
        (
            "create_too_big",
            "table.create",
            &[I(1 << 40)],
            Err("bad argument #1 to '?' (out of range)"),
        ),
        (
            "create_hash_too_big",
            "table.create",
            &[I(0), I(-5)],
            Err("bad argument #2 to '?' (out of range)"),
        ),
    ];
    check_calls(rows);
    let src: &[SrcRow] = &[
        (
            "unpack_all",
            "return table.unpack({1, 2, 3})",
            Ok("1, 2, 3"),
        ),
        (
            "unpack_from",
            "return table.unpack({1, 2, 3}, 2)",
            Ok("2, 3"),
        ),
        (
            "unpack_past_end",
            "return table.unpack({1, 2, 3}, 2, 5)",
            Ok("2, 3, nil, nil"),
        ),
        (
            "unpack_empty_range",
            "return select('#', table.unpack({}, 1, 0))",
            Ok("0"),
        ),
        (
            "unpack_reversed_extremes",
            "return select('#', table.unpack({}, math.maxinteger, math.mininteger))",
            Ok("0"),
        ),
        (
            "unpack_negative_start",
            "return table.unpack({1, 2, 3}, -1, 1)",
            Ok("nil, nil, 1"),
        ),
        (
            "unpack_at_maxinteger",
            "return table.unpack({}, math.maxinteger - 1, math.maxinteger)",
            Ok("nil, nil"),
        ),
        (
            "unpack_too_many",
            "local _ = table.unpack({}, 1, 1e7)",
            Err("t:1: too many results to unpack"),
        ),
        (
            "unpack_whole_range",
            "local _ = table.unpack({}, math.mininteger, math.maxinteger)",
            Err("t:1: too many results to unpack"),
        ),
        (
            "pack_sets_n",
            "local p = table.pack(1, nil, 3) return p.n, p[1], p[2], p[3]",
            Ok("3, 1, nil, 3"),
        ),
        ("pack_nothing", "return table.pack().n", Ok("0")),
        (
            "create_is_usable",
            "local t = table.create(4, 2) t[1] = 'a' t.x = 1 return #t, t.x",
            Ok("1, 1"),
        ),
        (
            "create_bad_type",
            "local _ = table.create('x')",
            Err("t:1: bad argument #1 to 'create' (number expected, got string)"),
        ),
    ];
    check_sources(src);
}

#[test]
fn move_copies_in_a_safe_direction() {
    let rows: &[SrcRow] = &[
        (
            "overlap_forward",
            with_list!("return L(table.move({1,2,3}, 1, 3, 2))"),
            Ok("\"{1,1,2,3}\""),
        ),
        (
            "overlap_backward",
            with_list!("return L(table.move({1,2,3}, 2, 3, 1))"),
            Ok("\"{2,3,3}\""),
        ),
        (
            "other_table",
            with_list!(
                "local d = {} local r = table.move({1,2,3}, 1, 3, 1, d) return L(d), r == d"
            ),
            Ok("\"{1,2,3}\", true"),
        ),
        (
            "empty_range",
            with_list!("return L(table.move({1,2,3}, 1, 0, 1))"),
            Ok("\"{1,2,3}\""),
        ),
        (
            "too_many_elements",
            "local _ = table.move({}, -1, math.maxinteger, 2)",
            Err("t:1: bad argument #3 to 'move' (too many elements to move)"),
        ),
        (
            "destination_wraps",
            "local _ = table.move({1,2}, 1, 2, math.maxinteger)",
            Err("t:1: bad argument #4 to 'move' (destination wrap around)"),
        ),
        (
            "destination_not_table",
            "local _ = table.move({}, 1, 2, 3, 4)",
            Err("t:1: bad argument #5 to 'move' (table expected, got number)"),
        ),
        (
            "source_not_table",
            "local _ = table.move(1, 1, 2, 3)",
            Err("t:1: bad argument #1 to 'move' (table expected, got number)"),
        ),
    ];
    check_sources(rows);
}

#[test]
fn sort_orders_and_rejects_inconsistent_comparators() {
    let rows: &[SrcRow] = &[
        ("numbers", with_list!("local t = {5,2,8,1,9,3} table.sort(t) return L(t)"), Ok("\"{1,2,3,5,8,9}\"")),
        ("strings", with_list!("local t = {'b','a','c'} table.sort(t) return L(t)"), Ok("\"{a,b,c}\"")),
        ("mixed_integers_and_floats", with_list!("local t = {3, 1.5, 2, -1} table.sort(t) return L(t)"), Ok("\"{-1,1.5,2,3}\"")),
        ("descending_comparator", with_list!("local t = {3,1,2} table.sort(t, function(a, b) return a > b end) return L(t)"), Ok("\"{3,2,1}\"")),
        ("empty_and_single", with_list!("local a, b = {}, {1} table.sort(a) table.sort(b) return L(a), L(b)"), Ok("\"{}\", \"{1}\"")),
        ("two_elements", with_list!("local t = {2, 1} table.sort(t) return L(t)"), Ok("\"{1,2}\"")),
        ("large_with_duplicates", "local t = {} for i = 1, 2000 do t[i] = (i * 7919) % 1000 end table.sort(t) for i = 2, #t do if t[i-1] > t[i] then return false end end return true", Ok("true")),
        ("large_descending_comparator", "local t = {} for i = 1, 2000 do t[i] = (i * 7919) % 1000 end table.sort(t, function(a, b) return a > b end) for i = 2, #t do if t[i-1] < t[i] then return false end end return true", Ok("true")),
        ("already_sorted_large", "local t = {} for i = 1, 5000 do t[i] = i end table.sort(t) return t[1], t[2500], t[5000]", Ok("1, 2500, 5000")),
        ("all_equal", "local t = {} for i = 1, 500 do t[i] = 5 end table.sort(t) return t[1], t[500]", Ok("5, 5")),
        ("lt_metamethod", "local mt = {__lt = function(a, b) return a.v < b.v end} local t = {setmetatable({v=3}, mt), setmetatable({v=1}, mt), setmetatable({v=2}, mt)} table.sort(t) return t[1].v, t[2].v, t[3].v", Ok("1, 2, 3")),
        ("comparator_not_called_for_one", "table.sort({1}, 3) return true", Ok("true")),
        ("always_true_comparator", "local _ = table.sort({5,4,3,2,1,6,7,8,9,10,11,12,13,14,15}, function(a, b) return true end)", Err("t:1: invalid order function for sorting")),
        ("always_true_comparator_large", "local t = {} for i = 1, 300 do t[i] = i % 17 end table.sort(t, function(a, b) return true end)", Err("t:1: invalid order function for sorting")),
        ("incomparable_values", "local _ = table.sort({1, 'x', 2})", Err("attempt to compare string with number")),
        ("incomparable_tables", "local _ = table.sort({{}, {}})", Err("attempt to compare two table values")),
        ("bad_comparator", "local _ = table.sort({1, 2}, 3)", Err("t:1: bad argument #2 to 'sort' (function expected, got number)")),
        ("comparator_error_propagates", "local _ = table.sort({1, 2}, function() error('cmp') end)", Err("t:1: cmp")),
        ("sort_nil", "local _ = table.sort(nil)", Err("t:1: bad argument #1 to 'sort' (table expected, got nil)")),
    ];
    check_sources(rows);
}

#[test]
fn random_comparators_never_escape_the_array() {
    // Any answer pattern from the comparator must end in a sorted permutation or in
    // "invalid order function for sorting", never in a panic or a stray index.
    let mut lua = stdlib_common::new_lua();
    for seed in 0..40 {
        let src = format!(
            "math.randomseed({seed}) local t = {{}} for i = 1, 200 do t[i] = i end \
             local ok, e = pcall(table.sort, t, function() return math.random(2) == 1 end) \
             local seen = {{}} for i = 1, 200 do local v = t[i] if v == nil or seen[v] then return 'lost' end seen[v] = true end \
             return ok or e"
        );
        let r = stdlib_common::eval(&mut lua, &src);
        assert!(
            r == Ok("true".into()) || r == Ok("\"invalid order function for sorting\"".into()),
            "seed {seed}: {r:?}"
        );
    }
}

#[test]
fn metamethods_are_honoured_where_puc_uses_them() {
    let rows: &[SrcRow] = &[
        ("concat_uses_index_and_len", "local p = setmetatable({}, {__index = function(_, k) return k * 10 end, __len = function() return 3 end}) return table.concat(p, ',')", Ok("\"10,20,30\"")),
        ("unpack_uses_index_and_len", "local p = setmetatable({}, {__index = function(_, k) return k * 10 end, __len = function() return 2 end}) return table.unpack(p)", Ok("10, 20")),
        ("insert_uses_newindex", "local log = {} local p = setmetatable({}, {__len = function() return 3 end, __newindex = function(_, k, v) log[#log+1] = k .. '=' .. v end}) table.insert(p, 5) return log[1]", Ok("\"4=5\"")),
        ("remove_uses_index_and_newindex", "local log = {} local p = setmetatable({}, {__index = function(_, k) return k end, __len = function() return 2 end, __newindex = function(_, k, v) log[#log+1] = k .. '=' .. tostring(v) end}) local r = table.remove(p, 1) return r, log[1], log[2]", Ok("1, \"1=2\", \"2=nil\"")),
        ("len_may_be_numeric_string", "return table.concat(setmetatable({}, {__len = function() return '2' end, __index = function(_, k) return k end}))", Ok("\"12\"")),
        ("len_must_be_integer", "local _ = table.concat(setmetatable({}, {__len = function() return 2.5 end}))", Err("t:1: object length is not an integer")),
        ("userdata_like_proxy_needs_all_metamethods", "local _ = table.insert(setmetatable({}, {__len = function() return 0 end}), 1) return true", Ok("true")),
        ("sort_through_proxy", "local store = {3, 1, 2} local p = setmetatable({}, {__index = store, __newindex = store, __len = function() return #store end}) table.sort(p) return store[1], store[2], store[3]", Ok("1, 2, 3")),
    ];
    check_sources(rows);
}
