//! Runs every Lua script in `crates/lua/tests/scripts/` with the interpreter under
//! test and, for scripts that 5.4 and 5.5 agree on, with Debian's `lua5.4` too.
//!
//! A script is plain Lua. Its leading comment lines (the header) may hold:
//!
//! - `-- lua5.5-only`: the script uses 5.5 features; no differential run.
//! - `--[[ expect:` ... `]]` (any level, `--[==[ expect:` ... `]==]`): a golden
//!   script; stdout must equal the lines in between, each followed by `\n`.
//! - `-- expect-error: <text>`: the run must fail and stderr must contain `<text>`.
//! - `-- expect-status: <n>`: the exit status (default 0, or 1 with expect-error).
//! - `-- args: a b c`: arguments after the script name.
//!
//! A script without an `expect` block must print nothing. Such scripts are run
//! through a driver chunk (`-e 'dofile(NAME) print(SENTINEL)'`) so that a binary
//! which silently does nothing cannot pass them; golden scripts are run directly
//! (`lunatik-lua NAME args`). The working directory is the scripts directory, so
//! chunk names and error positions read `NAME:line:`.
//!
//! Environment:
//! - `LUNATIK_LUA`: interpreter under test (default: the `lunatik-lua` built by cargo).
//! - `LUNATIK_SKIP_55=1`: skip 5.5-only scripts (for the self-check against lua5.4:
//!   `LUNATIK_LUA=/usr/bin/lua5.4 LUNATIK_SKIP_55=1 cargo test -p lunatik-lua --test scripts`).
//! - `LUA54`: reference interpreter for the differential part (default `lua5.4`).
//! - `LUNATIK_TEST_TIMEOUT_S`: per-run timeout in seconds (default 60).

mod common;

use common::{binary_under_test, run, timeout, Outcome};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Printed by the driver chunk after a non-golden script returns normally.
const SENTINEL: &str = "--lunatik-script-completed--";

/// What a script's header asks for.
#[derive(Debug, Default)]
struct Header {
    lua55_only: bool,
    expect_stdout: Option<String>,
    expect_error: Option<String>,
    expect_status: Option<i32>,
    args: Vec<String>,
}

/// Parses the leading comment block of a script.
///
/// # Errors
/// A description of a malformed header (an unterminated expect block).
fn parse_header(src: &str) -> Result<Header, String> {
    let mut header = Header::default();
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(level) = expect_block_level(trimmed) {
            let close = format!("]{}]", "=".repeat(level));
            let mut body = String::new();
            let mut closed = false;
            for inner in lines.by_ref() {
                if inner.trim_end() == close {
                    closed = true;
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            if !closed {
                return Err(format!("expect block is not closed by a line `{close}`"));
            }
            header.expect_stdout = Some(body);
            continue;
        }
        let Some(comment) = trimmed.strip_prefix("--") else {
            break;
        };
        let comment = comment.trim();
        if comment == "lua5.5-only" {
            header.lua55_only = true;
        } else if let Some(text) = comment.strip_prefix("expect-error:") {
            header.expect_error = Some(text.trim().to_string());
        } else if let Some(text) = comment.strip_prefix("expect-status:") {
            let status = text
                .trim()
                .parse()
                .map_err(|e| format!("bad expect-status: {e}"))?;
            header.expect_status = Some(status);
        } else if let Some(text) = comment.strip_prefix("args:") {
            header.args = text.split_whitespace().map(String::from).collect();
        }
    }
    Ok(header)
}

/// Returns the long-bracket level of a `--[==[ expect:` line.
fn expect_block_level(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("--[")?;
    let level = rest.bytes().take_while(|&b| b == b'=').count();
    let rest = rest[level..].strip_prefix('[')?;
    (rest.trim() == "expect:").then_some(level)
}

impl common::Outcome {
    fn describe(&self) -> String {
        let status = match (self.timed_out, self.status) {
            (true, _) => "timed out (killed)".to_string(),
            (false, Some(code)) => format!("exit status {code}"),
            (false, None) => "killed by a signal".to_string(),
        };
        format!(
            "{status}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }

    /// The first stderr line without the `program: ` prefix.
    fn error_line(&self, program: &Path) -> String {
        let first = self.stderr.lines().next().unwrap_or("");
        let full = program.display().to_string();
        let base = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for prefix in [full.as_str(), base.as_str(), "lunatik-lua", "lua5.4", "lua"] {
            if let Some(rest) = first
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix(": "))
            {
                return rest.to_string();
            }
        }
        first.to_string()
    }
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lua/tests/scripts")
}

/// The reference interpreter, if it can be run.
fn reference_lua() -> Option<PathBuf> {
    let program = std::env::var_os("LUA54")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("lua5.4"));
    let probe = Command::new(&program)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    matches!(probe, Ok(s) if s.success()).then_some(program)
}

/// The command-line arguments that run `name` as the header asks.
fn invocation(name: &str, header: &Header) -> Vec<String> {
    if header.expect_stdout.is_none() && header.expect_error.is_none() {
        let quoted = format!("{name:?}");
        return vec![
            "-e".to_string(),
            format!("dofile({quoted}) print({SENTINEL:?})"),
        ];
    }
    let mut args = vec![name.to_string()];
    args.extend(header.args.iter().cloned());
    args
}

/// Checks one run against the header; returns every mismatch.
fn check_outcome(outcome: &Outcome, header: &Header, program: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if outcome.timed_out {
        problems.push(format!("timed out after {:?}", timeout()));
        return problems;
    }
    let expect_status = header
        .expect_status
        .unwrap_or(if header.expect_error.is_some() { 1 } else { 0 });
    if outcome.status != Some(expect_status) {
        problems.push(format!(
            "exit status {:?}, expected {expect_status}",
            outcome.status
        ));
    }
    match (&header.expect_stdout, &header.expect_error) {
        (Some(expected), _) => {
            if &outcome.stdout != expected {
                problems.push(format!(
                    "stdout differs:\n{}",
                    line_diff(expected, &outcome.stdout)
                ));
            }
        }
        (None, Some(_)) => {
            if !outcome.stdout.is_empty() {
                problems.push(format!("unexpected stdout:\n{}", outcome.stdout));
            }
        }
        (None, None) => {
            let expected = format!("{SENTINEL}\n");
            if outcome.stdout != expected {
                if outcome.stdout.is_empty() && outcome.status == Some(0) {
                    problems.push(
                        "the script did not run to completion (no sentinel printed)".to_string(),
                    );
                } else if !outcome.stdout.is_empty() {
                    problems.push(format!(
                        "a non-golden script must print nothing; stdout:\n{}",
                        outcome.stdout
                    ));
                }
            }
        }
    }
    if let Some(text) = &header.expect_error {
        if !outcome.stderr.contains(text.as_str()) {
            problems.push(format!("stderr does not contain {text:?}"));
        }
    } else if !outcome.stderr.is_empty() {
        problems.push(format!("error: {}", outcome.error_line(program)));
    }
    problems
}

/// A readable line-by-line comparison.
fn line_diff(expected: &str, actual: &str) -> String {
    let exp: Vec<&str> = expected.lines().collect();
    let act: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for i in 0..exp.len().max(act.len()) {
        match (exp.get(i), act.get(i)) {
            (Some(e), Some(a)) if e == a => out.push_str(&format!("   {:>4} | {e}\n", i + 1)),
            (e, a) => {
                if let Some(e) = e {
                    out.push_str(&format!("-  {:>4} | {e}\n", i + 1));
                }
                if let Some(a) = a {
                    out.push_str(&format!("+  {:>4} | {a}\n", i + 1));
                }
            }
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    out
}

/// Runs one script under test (and under lua5.4 when it applies); panics with
/// every problem found.
fn check_script(name: &str) {
    let dir = scripts_dir();
    let path = dir.join(name);
    let src = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header = parse_header(&src).unwrap_or_else(|e| panic!("{name}: bad header: {e}"));
    if header.lua55_only && std::env::var_os("LUNATIK_SKIP_55").is_some_and(|v| v == "1") {
        eprintln!("{name}: skipped (5.5-only, LUNATIK_SKIP_55=1)");
        return;
    }
    let program = binary_under_test();
    let args = invocation(name, &header);
    let outcome = run(&program, &args, Some(&dir)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut problems: Vec<String> = check_outcome(&outcome, &header, &program)
        .into_iter()
        .map(|p| format!("[{}] {p}", program.display()))
        .collect();

    if !header.lua55_only {
        match reference_lua() {
            None => eprintln!("{name}: lua5.4 not found; differential part skipped"),
            Some(reference) => {
                let expected =
                    run(&reference, &args, Some(&dir)).unwrap_or_else(|e| panic!("{name}: {e}"));
                let reference_problems = check_outcome(&expected, &header, &reference);
                if !reference_problems.is_empty() {
                    problems.push(format!(
                        "[{}] the script itself fails under the reference (fix the script): {}",
                        reference.display(),
                        reference_problems.join("; ")
                    ));
                }
                if outcome.stdout != expected.stdout {
                    problems.push(format!(
                        "differential: stdout differs from {}:\n{}",
                        reference.display(),
                        line_diff(&expected.stdout, &outcome.stdout)
                    ));
                }
                if (outcome.status == Some(0)) != (expected.status == Some(0)) {
                    problems.push(format!(
                        "differential: exit status {:?}, {} gives {:?}",
                        outcome.status,
                        reference.display(),
                        expected.status
                    ));
                }
                let (ours, theirs) = (
                    outcome.error_line(&program),
                    expected.error_line(&reference),
                );
                if ours != theirs {
                    problems.push(format!(
                        "differential: error message\n  ours:   {ours}\n  lua5.4: {theirs}"
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        panic!(
            "{name}: {} problem(s)\n{}\n\nfull output:\n{}",
            problems.len(),
            problems.join("\n"),
            outcome.describe()
        );
    }
}

/// One `#[test]` per script; `every_script_is_listed` keeps the list complete.
macro_rules! scripts {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_script($file);
            }
        )*
        const LISTED: &[&str] = &[$($file),*];
    };
}

scripts! {
    lexical_conventions_3_1 => "3.1_lexical.lua",
    statements_3_3 => "3.3_statements.lua",
    syntax_error_exits_with_status_1 => "3.3_syntax_error.lua",
    to_be_closed_variables_3_3_8 => "3.3.8_tbc.lua",
    arithmetic_operators_3_4_1 => "3.4.1_arith.lua",
    bitwise_operators_3_4_2 => "3.4.2_bitwise.lua",
    coercions_and_conversions_3_4_3 => "3.4.3_coercion.lua",
    relational_logical_concat_precedence_3_4_4 => "3.4.4_relational.lua",
    length_operator_3_4_7 => "3.4.7_length.lua",
    table_constructors_3_4_9 => "3.4.9_tables.lua",
    function_calls_3_4_10 => "3.4.10_calls.lua",
    function_definitions_3_4_11 => "3.4.11_functions.lua",
    visibility_rules_3_5 => "3.5_scoping.lua",
    error_handling_2_3 => "2.3_errors.lua",
    error_messages_catalogue_2_3 => "2.3_error_messages.lua",
    uncaught_error_reports_position => "2.3_uncaught_error.lua",
    uncaught_runtime_error_names_field => "2.3_uncaught_runtime_error.lua",
    uncaught_error_object_described_by_type => "2.3_uncaught_error_object.lua",
    uncaught_error_object_uses_tostring => "2.3_uncaught_tostring_error.lua",
    uncaught_argument_error_names_function => "2.3_uncaught_argument_error.lua",
    metatables_every_event_2_4 => "2.4_metatables.lua",
    garbage_collection_2_5 => "2.5_gc.lua",
    coroutines_2_6 => "2.6_coroutines.lua",
    base_library_6_1 => "6.1_base.lua",
    print_formats_every_argument => "6.1_print.lua",
    coroutine_library_6_2 => "6.2_coroutine.lua",
    string_library_6_4 => "6.4_string.lua",
    string_patterns_6_4_1 => "6.4.1_patterns.lua",
    string_pack_unpack_6_4_2 => "6.4.2_pack.lua",
    string_dump_and_binary_chunks_6_4 => "6.4_string_dump.lua",
    utf8_library_6_5 => "6.5_utf8.lua",
    table_library_6_6 => "6.6_table.lua",
    math_library_6_7 => "6.7_math.lua",
    standalone_arg_table_7 => "7_standalone_args.lua",
    standalone_os_exit_status_7 => "7_standalone_exit.lua",
    lua55_global_declarations => "5.5_global.lua",
    lua55_for_control_variables_are_read_only => "5.5_readonly_for.lua",
    lua55_named_vararg_tables => "5.5_vararg_table.lua",
    lua55_error_nil_becomes_a_message => "5.5_error_nil.lua",
    lua55_le_does_not_fall_back_to_lt => "5.5_le_no_fallback.lua",
    lua55_call_chains_are_limited => "5.5_call_chain.lua",
    lua55_float_tostring_round_trips => "5.5_float_tostring.lua",
    lua55_library_changes => "5.5_library_changes.lua",
}

#[test]
fn every_script_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(scripts_dir())
        .expect("scripts directory is readable")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".lua"))
        .collect();
    on_disk.sort();
    let missing: Vec<&String> = on_disk
        .iter()
        .filter(|name| !LISTED.contains(&name.as_str()))
        .collect();
    let stale: Vec<&&str> = LISTED
        .iter()
        .filter(|name| !on_disk.iter().any(|d| d == *name))
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "add these scripts to the scripts! list in tests/scripts.rs: {missing:?}; remove these: {stale:?}"
    );
}

#[test]
fn header_parser_reads_every_directive() {
    let src = "-- lua5.5-only\n-- args: a  b\n--[==[ expect:\nx\n]]\n]==]\n-- expect-error: boom\n-- expect-status: 3\nprint(1)\n-- args: ignored\n";
    let header = parse_header(src).expect("valid header");
    assert!(header.lua55_only);
    assert_eq!(header.args, vec!["a", "b"]);
    assert_eq!(header.expect_stdout.as_deref(), Some("x\n]]\n"));
    assert_eq!(header.expect_error.as_deref(), Some("boom"));
    assert_eq!(header.expect_status, Some(3));
}

#[test]
fn header_parser_rejects_an_unclosed_expect_block() {
    assert_eq!(
        parse_header("--[[ expect:\nx\n").unwrap_err(),
        "expect block is not closed by a line `]]`"
    );
}
