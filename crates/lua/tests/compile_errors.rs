//! Syntax error messages, exactly as PUC Lua words them (`chunkid:line: msg near tok`).
//!
//! Expected texts were taken from `lua5.4` where 5.4 and 5.5 agree; where Lua 5.5
//! rewords a message (`break outside a loop`, `missing '{' in \u{xxxx}`) the 5.5 text
//! is used.

use lua::stack::StackGuard;
use lua::CompileError;

fn error_of(source: &str, chunkname: &str) -> String {
    match lua::compile(
        source.as_bytes(),
        chunkname.as_bytes(),
        &StackGuard::unlimited(),
    ) {
        Ok(_) => "OK".to_string(),
        Err(CompileError::Syntax(m)) => String::from_utf8_lossy(&m).into_owned(),
        Err(CompileError::Memory) => "memory".to_string(),
    }
}

fn check_table(rows: &[(&str, &str, &str)]) {
    let mut bad = Vec::new();
    for (name, source, want) in rows {
        let got = error_of(source, "=t");
        if got != *want {
            bad.push(format!(
                "{name}: source {source:?}\n   got  {got}\n   want {want}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn syntax_errors_read_like_puc_lua() {
    check_table(&[
        (
            "unexpected_symbol",
            "x = = 1",
            "t:1: unexpected symbol near '='",
        ),
        (
            "end_expected_closing_if",
            "local function f()\n  if x then\n",
            "t:3: 'end' expected (to close 'if' at line 2) near <eof>",
        ),
        (
            "end_expected_same_line",
            "while true do",
            "t:1: 'end' expected near <eof>",
        ),
        (
            "name_expected",
            "local t = {} t.(",
            "t:1: <name> expected near '('",
        ),
        (
            "name_or_dots_expected",
            "function f(",
            "t:1: <name> or '...' expected near <eof>",
        ),
        (
            "function_needs_name",
            "function (",
            "t:1: <name> expected near '('",
        ),
        (
            "vararg_outside_vararg_function",
            "function f() return ... end",
            "t:1: cannot use '...' outside a vararg function near '...'",
        ),
        (
            "call_is_not_assignable",
            "f() = 1",
            "t:1: syntax error near '='",
        ),
        (
            "second_target_is_a_call",
            "x, y() = 1, 2",
            "t:1: syntax error near '='",
        ),
        ("bare_name_statement", "x", "t:1: syntax error near <eof>"),
        (
            "bare_field_statement",
            "x.y",
            "t:1: syntax error near <eof>",
        ),
        (
            "for_needs_eq_or_in",
            "for i do end",
            "t:1: '=' or 'in' expected near 'do'",
        ),
        (
            "for_needs_limit",
            "for i = 1 do end",
            "t:1: ',' expected near 'do'",
        ),
        (
            "return_return",
            "return return",
            "t:1: unexpected symbol near 'return'",
        ),
        (
            "elseif_after_else",
            "if x then else elseif end",
            "t:1: 'end' expected near 'elseif'",
        ),
        (
            "unclosed_constructor",
            "x = {1, 2",
            "t:1: '}' expected near <eof>",
        ),
        (
            "extra_brace",
            "x = {1, 2\n\n}}",
            "t:3: unexpected symbol near '}'",
        ),
        ("unclosed_call", "f(1, 2", "t:1: ')' expected near <eof>"),
        ("call_spanning_lines_is_fine", "f(1, 2\n)", "OK"),
        (
            "unclosed_call_other_line",
            "f(1,\n2",
            "t:2: ')' expected (to close '(' at line 1) near <eof>",
        ),
        (
            "field_then_numeral",
            "x = a.1",
            "t:1: unexpected symbol near '.1'",
        ),
        (
            "missing_operand",
            "x = 1 +",
            "t:1: unexpected symbol near <eof>",
        ),
        (
            "numeral_as_local_name",
            "local 1 = 2",
            "t:1: <name> expected near '1'",
        ),
        (
            "closing_brace_as_value",
            "x = }",
            "t:1: unexpected symbol near '}'",
        ),
        (
            "unary_without_operand",
            "x = #",
            "t:1: unexpected symbol near <eof>",
        ),
        (
            "control_character",
            "\u{1}",
            "t:1: unexpected symbol near '<\\1>'",
        ),
        (
            "stray_character",
            "x = @",
            "t:1: unexpected symbol near '@'",
        ),
        (
            "repeat_without_condition",
            "repeat until",
            "t:1: unexpected symbol near <eof>",
        ),
        (
            "repeat_without_until",
            "repeat x = 1",
            "t:1: 'until' expected near <eof>",
        ),
        (
            "local_function_without_name",
            "local function end",
            "t:1: <name> expected near 'end'",
        ),
        (
            "method_without_args",
            "a:b",
            "t:1: function arguments expected near <eof>",
        ),
        (
            "method_then_field",
            "a:b.c()",
            "t:1: function arguments expected near '.'",
        ),
        (
            "return_not_last",
            "return 1 2",
            "t:1: <eof> expected near '2'",
        ),
        (
            "record_without_value",
            "local t = {x = 1, [2] = }",
            "t:1: unexpected symbol near '}'",
        ),
        (
            "extra_end",
            "x = function() end end",
            "t:1: <eof> expected near 'end'",
        ),
        (
            "binary_chunk_is_not_source",
            "\u{1b}Lua",
            "t:1: unexpected symbol near '<\\27>'",
        ),
        (
            "while_missing_do",
            "while x end",
            "t:1: 'do' expected near 'end'",
        ),
        (
            // `global` is a plain name unless a declaration follows (LUA_COMPAT_GLOBAL).
            "global_needs_name",
            "global 1",
            "t:1: syntax error near '1'",
        ),
    ]);
}

#[test]
fn lexical_errors_quote_the_token_so_far() {
    check_table(&[
        (
            "unfinished_string_at_eof",
            "x = \"abc",
            "t:1: unfinished string near <eof>",
        ),
        (
            "unfinished_string_at_newline",
            "x = \"abc\ny\"",
            "t:1: unfinished string near '\"abc'",
        ),
        (
            "malformed_number_touching_letter",
            "x = 3x",
            "t:1: malformed number near '3x'",
        ),
        (
            "malformed_hex_prefix",
            "x = 0x",
            "t:1: malformed number near '0x'",
        ),
        (
            "malformed_exponent",
            "x = 1e+",
            "t:1: malformed number near '1e+'",
        ),
        (
            "malformed_double_dot",
            "x = 3..4",
            "t:1: malformed number near '3..4'",
        ),
        (
            "malformed_binary_exponent",
            "x = 0x1p",
            "t:1: malformed number near '0x1p'",
        ),
        (
            "malformed_two_points",
            "x = 1.2.3",
            "t:1: malformed number near '1.2.3'",
        ),
        ("leading_zero_is_decimal", "x = 08", "OK"),
        (
            "malformed_hex_digit",
            "x = 0xg",
            "t:1: malformed number near '0xg'",
        ),
        (
            "malformed_double_e",
            "x = 1ee2",
            "t:1: malformed number near '1ee2'",
        ),
        (
            "invalid_escape",
            "x = '\\q'",
            "t:1: invalid escape sequence near ''\\q'",
        ),
        (
            "decimal_escape_too_large",
            "x = '\\300'",
            "t:1: decimal escape too large near ''\\300''",
        ),
        (
            "hex_escape_needs_digits",
            "x = '\\xg0'",
            "t:1: hexadecimal digit expected near ''\\xg'",
        ),
        (
            "utf8_escape_too_large",
            "x = '\\u{110000000}'",
            "t:1: UTF-8 value too large near ''\\u{110000000'",
        ),
        (
            "utf8_escape_unclosed",
            "x = '\\u{12'",
            "t:1: missing '}' in \\u{xxxx} near ''\\u{12''",
        ),
        (
            "utf8_escape_unopened",
            "x = '\\u12'",
            "t:1: missing '{' in \\u{xxxx} near ''\\u1'",
        ),
        (
            "unfinished_long_string",
            "x = [==[ abc",
            "t:1: unfinished long string (starting at line 1) near <eof>",
        ),
        (
            "unfinished_long_comment",
            "--[[ abc",
            "t:1: unfinished long comment (starting at line 1) near <eof>",
        ),
        (
            "unfinished_long_string_later_line",
            "x = 1\ny = [[\n\n",
            "t:4: unfinished long string (starting at line 2) near <eof>",
        ),
        (
            "invalid_long_delimiter",
            "x = [=x",
            "t:1: invalid long string delimiter near '[='",
        ),
        (
            "backslash_at_eof",
            "x = '\\",
            "t:1: unfinished string near <eof>",
        ),
        (
            "backslash_at_eof_after_text",
            "x = 'abc\\",
            "t:1: unfinished string near <eof>",
        ),
        (
            "zap_counts_lines",
            "x = \"\\z\n  abc",
            "t:2: unfinished string near <eof>",
        ),
    ]);
}

#[test]
fn semantic_errors_have_no_near_part() {
    check_table(&[
        (
            "assign_to_constant",
            "local x <const> = 1; x = 2",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "assign_to_const_table",
            "local x <const> = {}; x = 2",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "assign_to_close",
            "local x <close> = nil; x = 2",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "assign_to_const_upvalue",
            "local y <const> = {}; function f() y = 2 end",
            "t:1: attempt to assign to const variable 'y'",
        ),
        (
            "assign_to_ctc_from_closure",
            "local x <const> = 1; function f() x = 2 end",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "function_statement_on_const",
            "local f <const> = 1; function f() end",
            "t:1: attempt to assign to const variable 'f'",
        ),
        (
            "break_outside_loop",
            "break",
            "t:1: break outside a loop at line 1",
        ),
        (
            "break_in_block",
            "do\n break end",
            "t:2: break outside a loop at line 2",
        ),
        (
            "goto_without_label",
            "goto x",
            "t:1: no visible label 'x' for <goto> at line 1",
        ),
        (
            "goto_label_in_nested_block",
            "do goto x end do ::x:: end",
            "t:1: no visible label 'x' for <goto> at line 1",
        ),
        (
            "repeated_label",
            "::a:: ::a::",
            "t:1: label 'a' already defined on line 1",
        ),
        (
            "repeated_label_in_inner_block",
            "::a:: do ::a:: end",
            "t:1: label 'a' already defined on line 1",
        ),
        (
            "goto_into_local_scope",
            "goto f; local x; ::f:: print(x)",
            "t:1: <goto f> at line 1 jumps into the scope of 'x'",
        ),
        (
            "unknown_attribute",
            "local x <foo> = 1",
            "t:1: unknown attribute 'foo'",
        ),
        (
            "two_to_be_closed",
            "local a <close>, b <close> = 1, 2",
            "t:1: multiple to-be-closed variables in local list",
        ),
        (
            "numeric_for_variable_is_read_only",
            "for i = 1, 2 do i = 3 end",
            "t:1: attempt to assign to const variable 'i'",
        ),
        (
            "generic_for_control_is_read_only",
            "for k, v in pairs(t) do k = 1 end",
            "t:1: attempt to assign to const variable 'k'",
        ),
        (
            "generic_for_other_variables_are_writable",
            "for k, v in pairs(t) do v = 1 end",
            "OK",
        ),
        (
            "for_variable_read_only_in_closure",
            "for i = 1, 2 do local f = function() i = 1 end end",
            "t:1: attempt to assign to const variable 'i'",
        ),
        (
            "named_vararg_table_is_read_only",
            "local function f(...t) t = 1 end",
            "t:1: attempt to assign to const variable 't'",
        ),
        (
            "named_vararg_fields_are_writable",
            "local function f(...t) t.n = 1 end",
            "OK",
        ),
    ]);
}

#[test]
fn global_declarations_restrict_free_names() {
    check_table(&[
        ("implicit_global_star", "x = 1; print(x)", "OK"),
        ("declared_global_is_usable", "global x; x = 1", "OK"),
        (
            "undeclared_after_global",
            "global x; y = 1",
            "t:1: variable 'y' not declared",
        ),
        (
            "undeclared_read_after_global",
            "global print; print(y)",
            "t:1: variable 'y' not declared",
        ),
        (
            "scope_of_declaration_ends_with_block",
            "do global x end; y = 1",
            "OK",
        ),
        (
            "global_star_restores_default",
            "global x; global *; y = 1",
            "OK",
        ),
        (
            "global_after_star_keeps_star",
            "global *; global x; y = 1",
            "OK",
        ),
        (
            "const_global",
            "global<const> x; x = 1",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "const_postfix_global",
            "global x <const>, y; y = 1; x = 2",
            "t:1: attempt to assign to const variable 'x'",
        ),
        (
            "const_star",
            "global X; global<const> *; X = 1; print(math.pi); Y = 1",
            "t:1: attempt to assign to const variable 'Y'",
        ),
        (
            "close_global_refused",
            "global x <close>",
            "t:1: global variables cannot be to-be-closed",
        ),
        ("global_is_a_name", "local global = 1 global = 2", "OK"),
        (
            "global_function_declares",
            "global function f() end; f()",
            "OK",
        ),
        (
            "global_function_after_restriction",
            "global x; global function f() return f end",
            "OK",
        ),
        (
            "global_shadows_local",
            "local x <const> = 1; do global x; x = 2 end",
            "OK",
        ),
        (
            "global_in_function_voids_star",
            "function f() global a; b = 1 end",
            "t:1: variable 'b' not declared",
        ),
        (
            "global_init_targets_need_no_declaration_check",
            "global none; global y = 1",
            "OK",
        ),
        (
            "env_declared_global",
            "global _ENV; global *; x = 1",
            "t:1: _ENV is global when accessing variable 'x'",
        ),
    ]);
}

#[test]
fn limits_are_reported() {
    let mut many_locals = String::from("local a0");
    for i in 1..=210 {
        many_locals.push_str(&format!(", a{i}"));
    }
    assert_eq!(
        error_of(&many_locals, "=t"),
        "t:1: too many local variables (limit is 200) in main function near <eof>"
    );
    let nested = format!("local function f()\n{many_locals}\nend");
    assert_eq!(
        error_of(&nested, "=t"),
        "t:3: too many local variables (limit is 200) in function at line 1 near 'end'"
    );
    // 300 upvalues: locals spread over two enclosing functions.
    let mut src = String::new();
    for block in 0..2 {
        src.push_str("local function f()\n");
        for i in 0..150 {
            src.push_str(&format!("local v{block}_{i}\n"));
        }
    }
    src.push_str("local function g() local x\n");
    for block in 0..2 {
        for i in 0..150 {
            src.push_str(&format!("x = v{block}_{i}\n"));
        }
    }
    src.push_str("end end end");
    assert_eq!(
        error_of(&src, "=t"),
        "t:560: too many upvalues (limit is 255) in function at line 303 near 'x'"
    );
    let mut wide = String::from("f(");
    for i in 0..260 {
        wide.push_str(&format!("a{i}, "));
    }
    wide.push_str("1)");
    assert_eq!(
        error_of(&wide, "=t"),
        "t:1: function or expression needs too many registers near 'a254'"
    );
}

#[test]
fn chunk_names_prefix_messages() {
    assert_eq!(
        error_of("x = = 1", "x = = 1"),
        "[string \"x = = 1\"]:1: unexpected symbol near '='"
    );
    assert_eq!(
        error_of("x = = 1", "@t.lua"),
        "t.lua:1: unexpected symbol near '='"
    );
    assert_eq!(
        error_of("function f()\n\n", "@t.lua"),
        "t.lua:3: 'end' expected (to close 'function' at line 1) near <eof>"
    );
    assert_eq!(
        error_of("x = = 1", "line one\nline two"),
        "[string \"line one...\"]:1: unexpected symbol near '='"
    );
}
