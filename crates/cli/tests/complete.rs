//! The REPL's "is this chunk complete?" check, and the buffer that gathers lines.

use lunatik_cli::complete::{is_complete, ChunkBuffer};

#[test]
fn complete_and_incomplete_chunks() {
    let cases: &[(&str, &str, bool)] = &[
        ("expression", "1+1", true),
        ("bare_name", "x", true),
        ("call", "print(1)", true),
        ("statement", "x = 1", true),
        ("return", "return 1, 2", true),
        ("whole_function", "function f() return 1 end", true),
        ("open_function", "function f()", false),
        ("open_if", "if x then", false),
        ("open_call", "f(1,", false),
        ("open_table", "t = {", false),
        ("open_long_string", "s = [[abc", false),
        ("open_long_comment", "--[[ note", false),
        ("open_binary_expression", "return 1 +", false),
        ("assignment_without_value", "x =", false),
        (
            "unfinished_string_asks_for_another_line_as_in_lua_c",
            "s = 'abc",
            false,
        ),
        ("syntax_error_in_the_middle", "x = = 1", true),
        ("extra_end", "end", true),
        (
            "two_line_function",
            "local function f(x)\n  return x * 2\nend",
            true,
        ),
    ];
    for (name, chunk, expected) in cases {
        assert_eq!(
            is_complete(chunk.as_bytes()),
            *expected,
            "{name}: {chunk:?}"
        );
    }
}

#[test]
fn buffer_returns_a_one_line_chunk_at_once() {
    let mut buffer = ChunkBuffer::new();
    assert_eq!(
        buffer.push_line(b"return 1+1"),
        Some(b"return 1+1".to_vec())
    );
    assert!(!buffer.is_continuing());
}

#[test]
fn buffer_joins_lines_until_the_chunk_is_complete() {
    let mut buffer = ChunkBuffer::new();
    assert_eq!(buffer.push_line(b"local function f(x)"), None);
    assert!(buffer.is_continuing());
    assert_eq!(buffer.push_line(b"  return x * 2"), None);
    assert_eq!(
        buffer.push_line(b"end return f(21)"),
        Some(b"local function f(x)\n  return x * 2\nend return f(21)".to_vec())
    );
    assert!(!buffer.is_continuing());
}

#[test]
fn buffer_skips_blank_lines_between_chunks() {
    let mut buffer = ChunkBuffer::new();
    assert_eq!(buffer.push_line(b""), None);
    assert_eq!(buffer.push_line(b"  \t"), None);
    assert!(!buffer.is_continuing());
}

#[test]
fn buffer_keeps_blank_lines_inside_a_chunk() {
    let mut buffer = ChunkBuffer::new();
    assert_eq!(buffer.push_line(b"t = {"), None);
    assert_eq!(buffer.push_line(b""), None);
    assert_eq!(buffer.push_line(b"}"), Some(b"t = {\n\n}".to_vec()));
}

#[test]
fn buffer_gives_up_what_is_left_at_the_end() {
    let mut buffer = ChunkBuffer::new();
    assert_eq!(buffer.push_line(b"if x then"), None);
    assert_eq!(buffer.take(), Some(b"if x then".to_vec()));
    assert_eq!(buffer.take(), None);
}

#[test]
fn buffer_clear_drops_a_partial_chunk() {
    let mut buffer = ChunkBuffer::new();
    buffer.push_line(b"while true do");
    buffer.clear();
    assert!(!buffer.is_continuing());
    assert_eq!(buffer.push_line(b"return 3"), Some(b"return 3".to_vec()));
}
