//! Native stack use of the parser.
//!
//! DESIGN.md asks for at least 100 levels of nesting inside 10 KiB of stack. The parser
//! keeps open constructs on a heap stack, so nesting should cost no native stack at all:
//! for each construct this finds, by bisection, the smallest `StackGuard` budget that
//! compiles it at two depths; the difference gives the bytes each level costs. Run
//! with `cargo test --release -p lua --test compile_depth -- --nocapture` to see the
//! figures (debug builds use far larger frames and only check that limits fail cleanly).

use lua::stack::StackGuard;
use lua::CompileError;

fn nested(kind: &str, n: usize) -> String {
    let wrap = |prefix: &str, open: &str, mid: &str, close: &str| {
        format!("{prefix}{}{mid}{}", open.repeat(n), close.repeat(n))
    };
    match kind {
        "parentheses" => wrap("return ", "(", "1", ")"),
        "tables" => wrap("return ", "{", "1", "}"),
        "record_fields" => wrap("return ", "{a = ", "1", "}"),
        "table_keys" => wrap("return ", "{[", "1", "] = 1}"),
        "functions" => wrap("return ", "function() return ", "1", " end"),
        "function_statements" => wrap("", "local function f() ", "x = 1", " end"),
        "methods" => wrap("", "function t.a:b() ", "x = 1", " end"),
        "tables_of_functions" => wrap("return ", "{function() return ", "1", " end}"),
        "if_blocks" => wrap("", "if x then ", "x = 1", " end"),
        "else_blocks" => wrap("", "if x then x = 1 else ", "x = 1", " end"),
        "elseif_blocks" => wrap("", "if x then x = 1 elseif x then ", "x = 1", " end"),
        "while_blocks" => wrap("", "while x do ", "x = 1", " end"),
        "do_blocks" => wrap("", "do ", "x = 1", " end"),
        "repeat_blocks" => wrap("", "repeat ", "x = 1", " until x"),
        "numeric_for" => wrap("", "for i = 1, 2 do ", "x = 1", " end"),
        "generic_for" => wrap("", "for k in x do ", "x = 1", " end"),
        "nested_calls" => wrap("return ", "f(", "1", ")"),
        "table_arguments" => wrap("return ", "f{", "1", "}"),
        "indexes" => wrap("return ", "t[", "1", "]"),
        "mixed" => wrap("return ", "{f(function() return t[(", "1", ")] end)}"),
        "unary_minus" => format!("return {}x", "- ".repeat(n)),
        "binary_right_assoc" => format!("return {}1", "x .. ".repeat(n)),
        "field_chain" => format!("return a{}", ".b".repeat(n)),
        "call_chain" => format!("return f{}", "()".repeat(n)),
        _ => unreachable!(),
    }
}

const KINDS: [&str; 24] = [
    "parentheses",
    "tables",
    "record_fields",
    "table_keys",
    "functions",
    "function_statements",
    "methods",
    "tables_of_functions",
    "if_blocks",
    "else_blocks",
    "elseif_blocks",
    "while_blocks",
    "do_blocks",
    "repeat_blocks",
    "numeric_for",
    "generic_for",
    "nested_calls",
    "table_arguments",
    "indexes",
    "mixed",
    "unary_minus",
    "binary_right_assoc",
    "field_chain",
    "call_chain",
];

/// The deepest nesting Lua's limits allow: 200 levels (`LUAI_MAXCCALLS`, counted as
/// lparser.c does: a function expression takes two, its `return` statement and the
/// expression; a table of functions three; a `mixed` step six), 200 local variables
/// (four or five per loop), 255 registers (two per pending table argument). Chains do
/// not nest.
fn deepest_allowed(kind: &str) -> usize {
    match kind {
        "functions" => 99,
        "tables_of_functions" => 66,
        "mixed" => 33,
        "numeric_for" => 50,
        "generic_for" => 40,
        "table_arguments" => 126,
        "field_chain" | "call_chain" => 300,
        _ => 198,
    }
}

#[inline(never)]
fn compiles_within(source: &str, budget: usize) -> Result<(), Vec<u8>> {
    let guard = StackGuard::with_budget(budget);
    match lua::compile(source.as_bytes(), b"=depth", &guard) {
        Ok(_) => Ok(()),
        Err(CompileError::Syntax(m)) => Err(m),
        Err(CompileError::Memory) => Err(b"memory".to_vec()),
    }
}

/// Smallest budget (to 8 bytes) that compiles `source`.
fn min_budget(source: &str) -> usize {
    let (mut lo, mut hi) = (0usize, 1 << 20);
    assert!(
        compiles_within(source, hi).is_ok(),
        "does not compile at all: {source:.40}"
    );
    while hi - lo > 8 {
        let mid = (lo + hi) / 2;
        if compiles_within(source, mid).is_ok() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[test]
fn nesting_to_the_limit_compiles_and_one_more_level_does_not() {
    for kind in KINDS {
        let depth = deepest_allowed(kind);
        assert_eq!(
            compiles_within(&nested(kind, depth), 1 << 20),
            Ok(()),
            "{kind} at depth {depth}"
        );
        if depth < 300 {
            assert!(
                compiles_within(&nested(kind, depth + 1), 1 << 20).is_err(),
                "{kind} at depth {}",
                depth + 1
            );
        }
    }
}

#[test]
fn nesting_past_the_level_limit_is_a_stack_overflow_error() {
    for kind in KINDS {
        let expected = match kind {
            // Registers are counted when variables become active, as in 5.5 (the
            // loop's control registers, before `do`).
            "numeric_for" | "generic_for" => {
                "depth:1: too many local variables (limit is 200) in main function near 'do'"
            }
            "table_arguments" => {
                "depth:1: function or expression needs too many registers near '{'"
            }
            "field_chain" | "call_chain" => continue,
            _ => "depth:1: C stack overflow",
        };
        let err = compiles_within(&nested(kind, 300), 1 << 20).unwrap_err();
        assert_eq!(String::from_utf8_lossy(&err), expected, "{kind}");
    }
}

#[test]
fn small_stack_budget_fails_cleanly() {
    for kind in KINDS {
        // Must return an error (or succeed for the iterative chains), never crash.
        match compiles_within(&nested(kind, 300), 6 * 1024) {
            Ok(()) => assert!(
                kind.ends_with("chain"),
                "{kind} compiled 300 levels in 6 KiB"
            ),
            Err(m) => assert!(!m.is_empty(), "{kind}"),
        }
    }
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "frame sizes are only meaningful in release builds"
)]
fn nesting_costs_no_native_stack() {
    let mut report = String::new();
    let mut failures = String::new();
    for kind in KINDS {
        let deepest = deepest_allowed(kind).min(199);
        let (lo, hi) = (deepest / 4, deepest);
        let b_lo = min_budget(&nested(kind, lo));
        let b_hi = min_budget(&nested(kind, hi));
        let per_level = (b_hi as f64 - b_lo as f64) / (hi - lo) as f64;
        let deepest_4k = (1..=deepest)
            .rev()
            .find(|&d| compiles_within(&nested(kind, d), 4 * 1024).is_ok())
            .unwrap_or(0);
        report.push_str(&format!(
            "{kind:20} {per_level:5.1} bytes/level, {hi} levels need {b_hi:5} bytes; deepest in 4 KiB: {deepest_4k}\n"
        ));
        // The bisection is exact to 8 bytes.
        if per_level > 1.0 || b_hi > 10 * 1024 || deepest_4k < deepest {
            failures.push_str(kind);
            failures.push(' ');
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "nesting uses native stack: {failures}\n{report}"
    );
}

#[test]
fn a_syntax_error_after_deeply_nested_functions_is_reported_within_4k() {
    // The finished functions are dropped on the error path without recursing.
    let source = format!("{} )", nested("function_statements", 198));
    let err = compiles_within(&source, 4 * 1024).unwrap_err();
    assert_eq!(
        String::from_utf8_lossy(&err),
        "depth:1: unexpected symbol near ')'"
    );
}
