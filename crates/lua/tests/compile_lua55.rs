//! Lua 5.5 forms: `global` declarations, prefix attributes, named vararg tables and
//! folds that must not happen, checked as instruction listings (every function's code,
//! in `luac -l` order, closure addresses masked).

use lua::stack::StackGuard;

fn code_of(source: &str) -> Vec<String> {
    let proto = lua::compile(source.as_bytes(), b"=t", &StackGuard::unlimited()).expect("compiles");
    let text = lua::listing::listing(&proto).expect("listing");
    let text = String::from_utf8(text).unwrap();
    text.lines()
        .filter(|l| l.starts_with('\t') && l.split('\t').nth(2).is_some_and(|c| c.starts_with('[')))
        .map(|l| match l.find("; 0x") {
            Some(i) => format!("{}; 0x?", &l[..i]),
            None => l.to_string(),
        })
        .collect()
}

fn check(source: &str, want: &[&str]) {
    let got = code_of(source);
    assert_eq!(got, want, "source:\n{source}");
}

#[test]
fn anonymous_vararg_uses_plain_vararg() {
    check(
        "local function f(...) return ... end\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tCLOSURE  \t0 0\t; 0x?",
            "\t3\t[1]\tRETURN   \t1 1 1\t; 0 out",
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tVARARG   \t0 0\t; all out",
            "\t3\t[1]\tRETURN   \t0 0 1\t; all out",
            "\t4\t[1]\tRETURN   \t0 1 1\t; 0 out",
        ],
    );
}

#[test]
fn global_const_star_reads_globals() {
    check(
        "global<const> *\nlocal y = print\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[2]\tGETTABUP \t0 0 0\t; _ENV \"print\"",
            "\t3\t[2]\tRETURN   \t1 1 1\t; 0 out",
        ],
    );
}

#[test]
fn global_declarations_emit_no_code() {
    check(
        "global a, b\nglobal c <const>\na = c\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[3]\tGETTABUP \t0 0 1\t; _ENV \"c\"",
            "\t3\t[3]\tSETTABUP \t0 0 0\t; _ENV \"a\"",
            "\t4\t[3]\tRETURN   \t0 1 1\t; 0 out",
        ],
    );
}

#[test]
fn global_function_checks_then_stores() {
    check(
        "global function f() return 1 end\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tCLOSURE  \t0 0\t; 0x?",
            "\t3\t[1]\tGETTABUP \t1 0 0\t; _ENV \"f\"",
            "\t4\t[1]\tERRNNIL  \t1 0\t; \"f\"",
            "\t5\t[1]\tSETTABUP \t0 0 0\t; _ENV \"f\"",
            "\t6\t[1]\tRETURN   \t0 1 1\t; 0 out",
            "\t1\t[1]\tLOADI    \t0 1",
            "\t2\t[1]\tRETURN1  \t0",
            "\t3\t[1]\tRETURN0  \t",
        ],
    );
}

#[test]
fn global_with_value_checks_nil_then_assigns() {
    check(
        "global x = 1\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tLOADI    \t0 1",
            "\t3\t[1]\tGETTABUP \t1 0 0\t; _ENV \"x\"",
            "\t4\t[1]\tERRNNIL  \t1 0\t; \"x\"",
            "\t5\t[1]\tSETTABUP \t0 0 0\t; _ENV \"x\"",
            "\t6\t[1]\tRETURN   \t0 1 1\t; 0 out",
        ],
    );
}

#[test]
fn named_vararg_table_is_materialised_and_read_with_varargt() {
    check(
        "local function f(a, ...t) return t.n, ... end\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tCLOSURE  \t0 0\t; 0x?",
            "\t3\t[1]\tRETURN   \t1 1 1\t; 0 out",
            "\t1\t[1]\tVARARGPREP\t1",
            "\t2\t[1]\tVARARGTAB\t1",
            "\t3\t[1]\tGETFIELD \t2 1 0\t; \"n\"",
            "\t4\t[1]\tVARARGT  \t3 1 0\t; all out",
            "\t5\t[1]\tRETURN   \t2 0 2\t; all out",
            "\t6\t[1]\tRETURN   \t2 1 2\t; 0 out",
        ],
    );
}

#[test]
fn error_raising_and_inexact_operations_are_not_folded() {
    check(
        "local x <const> = 7 // 0\nlocal y = 1 // 0, 1 % 0, 1.5 & 1, 2 ^ 0.5\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tLOADI    \t0 7",
            "\t3\t[1]\tIDIVK    \t0 0 0\t; 0",
            "\t4\t[1]\tMMBINK   \t0 0 12 0\t; __idiv 0",
            "\t5\t[2]\tLOADI    \t1 1",
            "\t6\t[2]\tIDIVK    \t1 1 0\t; 0",
            "\t7\t[2]\tMMBINK   \t1 0 12 0\t; __idiv 0",
            "\t8\t[2]\tLOADI    \t2 1",
            "\t9\t[2]\tMODK     \t2 2 0\t; 0",
            "\t10\t[2]\tMMBINK   \t2 0 9 0\t; __mod 0",
            "\t11\t[2]\tLOADK    \t3 2\t; 1.5",
            "\t12\t[2]\tBANDK    \t3 3 1\t; 1",
            "\t13\t[2]\tMMBINK   \t3 1 13 0\t; __band 1",
            "\t14\t[2]\tLOADI    \t4 2",
            "\t15\t[2]\tPOWK     \t4 4 3\t; 0.5",
            "\t16\t[2]\tMMBINK   \t4 3 10 0\t; __pow 0.5",
            "\t17\t[2]\tRETURN   \t2 1 1\t; 0 out",
        ],
    );
}

#[test]
fn prefix_attribute_applies_to_every_name() {
    check(
        "local <const> a, b = 10, 20\nlocal c <close>, d = nil, 1\nreturn a + b\n",
        &[
            "\t1\t[1]\tVARARGPREP\t0",
            "\t2\t[1]\tLOADI    \t0 10",
            "\t3\t[2]\tLOADNIL  \t1 0\t; 1 out",
            "\t4\t[2]\tLOADI    \t2 1",
            "\t5\t[2]\tTBC      \t1",
            "\t6\t[3]\tADDI     \t3 0 20",
            "\t7\t[3]\tMMBINI   \t0 20 6 0\t; __add",
            "\t8\t[3]\tRETURN   \t3 2 1k\t; 1 out",
            "\t9\t[3]\tRETURN   \t3 1 1k\t; 0 out",
        ],
    );
}
