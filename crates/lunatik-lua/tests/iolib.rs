//! The host `io` library: each test runs a script in the interpreter and checks what C Lua's
//! `io` does in the same case (results, error messages, buffering).

mod common;

use std::path::PathBuf;

/// Runs `script` as `t.lua` in a scratch directory; it must exit 0. Returns (dir, stdout).
fn lua_ok(name: &str, script: &str) -> (PathBuf, String) {
    common::script_ok(name, r#""$LUA" t.lua"#, script)
}

#[test]
fn update_modes_read_and_write() {
    lua_ok(
        "modes",
        r#"
        local f = assert(io.open("a.txt", "w+"))
        assert(f:write("hello world"))
        assert(f:seek("set", 6) == 6)
        assert(f:read("a") == "world")
        f:close()
        f = assert(io.open("a.txt", "r+"))
        f:write("J")                       -- overwrite in place
        f:seek("set")
        assert(f:read("l") == "Jello world")
        f:close()
        f = assert(io.open("a.txt", "a+"))
        f:write("!")                       -- always at the end
        f:seek("set")
        assert(f:read("a") == "Jello world!")
        f:close()
        assert(io.open("a.txt", "rb")):close()
        for _, m in ipairs{"rw", "rb+", "", "+", "b", "r+bk"} do
          local ok, e = pcall(io.open, "a.txt", m)
          assert(not ok and e:find("invalid mode", 1, true), m)
        end
        local f2, msg, code = io.open("no/such/file")
        assert(f2 == nil and msg == "no/such/file: No such file or directory" and code == 2)
        "#,
    );
}

#[test]
fn lines_with_formats_and_closing() {
    lua_ok(
        "lines",
        r#"
        local f = assert(io.open("n.txt", "w"))
        f:write("10 20\nabc\n0x10 3.5\n"):close()
        local got = {}
        for a, b in io.lines("n.txt", "n", "n") do got[#got + 1] = a + b; break end
        assert(got[1] == 30)
        local it = io.lines("n.txt", "L")
        assert(it() == "10 20\n" and it() == "abc\n" and it() == "0x10 3.5\n")
        assert(it() == nil)
        local ok, e = pcall(it)
        assert(not ok and e:find("file is already closed", 1, true))
        -- the file is the 4th result, for the generic for to close
        local _, _, _, file = io.lines("n.txt")
        assert(io.type(file) == "file")
        file:close()
        local many = {}
        for i = 1, 251 do many[i] = "l" end
        ok, e = pcall(io.lines, "n.txt", table.unpack(many))
        assert(not ok and e:find("too many arguments", 1, true))
        ok, e = pcall(io.lines, "missing.txt")
        assert(not ok and e:find("missing.txt", 1, true))
        -- formats are checked when reading
        ok, e = pcall(io.lines("n.txt", "x"))
        assert(not ok and e:find("invalid format", 1, true))
        -- counts, and 0 as an end-of-file test
        local g = assert(io.open("n.txt"))
        assert(g:read(2, 0) == "10")
        g:read("a")
        assert(g:read(0) == nil and g:read(1) == nil and g:read("a") == "")
        g:close()
        "#,
    );
}

#[test]
fn read_number_as_c_lua() {
    lua_ok(
        "readn",
        r#"
        local function num(text, ...)
          local f = io.tmpfile()
          f:write(text); f:seek("set")
          return f:read("n", ...)
        end
        assert(num("  -12 ") == -12 and math.type(num("7")) == "integer")
        assert(num("0x1p4") == 16.0 and num("0xA") == 10)
        assert(num(".5e1") == 5.0 and num("1e") == nil)
        assert(num("0x") == nil and num("abc") == nil and num("") == nil)
        assert(num(string.rep("1", 200)) ~= nil)
        assert(num(string.rep("1", 201)) == nil)      -- longer than C Lua accepts
        -- a bad numeral stops the reads that follow
        local f = io.tmpfile()
        f:write("1 x 2"); f:seek("set")
        local a, b, c = f:read("n", "n", "n")
        assert(a == 1 and b == nil and c == nil)
        f:close()
        "#,
    );
}

#[test]
fn write_errors_come_back_as_results() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    lua_ok(
        "full",
        r#"
        local f = assert(io.open("/dev/full", "w"))
        assert(f:write("x"))                   -- only buffered so far
        local ok, msg, code = f:flush()
        assert(ok == nil and msg == "No space left on device" and code == 28)
        f:write("y")
        ok, msg, code = f:close()
        assert(ok == nil and code == 28)
        local g = assert(io.open("/dev/full", "w"))
        g:setvbuf("no")
        local r, m, c, n = g:write("abc")
        assert(r == nil and c == 28 and n == 0)
        g:close()
        "#,
    );
}

#[test]
fn closed_defaults_raise() {
    lua_ok(
        "defaults",
        r#"
        local f = io.output("o.txt")
        io.close()
        local ok, e = pcall(io.write, "x")
        assert(not ok and e:find("default output file is closed", 1, true))
        io.output(io.stdout)
        io.input("o.txt")
        io.input():close()
        ok, e = pcall(io.read)
        assert(not ok and e:find("default input file is closed", 1, true))
        ok, e = pcall(io.lines)
        assert(not ok and e:find("default input file is closed", 1, true))
        io.input(io.stdin)
        ok, e = pcall(f.write, f, "x")
        assert(not ok and e:find("attempt to use a closed file", 1, true))
        assert(io.type(f) == "closed file" and tostring(f) == "file (closed)")
        local r, m = io.stdout:close()
        assert(r == nil and m == "cannot close standard file")
        assert(io.flush() == true)
        "#,
    );
}

#[test]
fn popen_both_ways_and_exit_status() {
    let (dir, _) = lua_ok(
        "popen",
        r#"
        local p = assert(io.popen("echo hi; echo there"))
        assert(p:read("l") == "hi" and p:read("a") == "there\n")
        local ok, what, code = p:close()
        assert(ok == true and what == "exit" and code == 0)
        ok, what, code = io.popen("exit 3"):close()
        assert(ok == nil and what == "exit" and code == 3)
        ok, what, code = io.popen("kill -9 $$"):close()
        assert(ok == nil and what == "signal" and code == 9)
        local w = assert(io.popen("cat > piped.txt", "w"))
        w:write("through ", "cat")
        assert(w:close())
        local ok2, e = pcall(io.popen, "cat", "r+")
        assert(not ok2 and e:find("invalid mode", 1, true))
        "#,
    );
    let piped = std::fs::read_to_string(dir.join("piped.txt")).expect("cat wrote it");
    assert_eq!(piped, "through cat");
}

#[test]
fn files_close_by_scope_and_by_collection() {
    let (dir, _) = lua_ok(
        "gc",
        r#"
        local kept
        do
          local f <close> = assert(io.open("scoped.txt", "w"))
          f:write("scoped")
          kept = f
        end
        assert(tostring(kept) == "file (closed)")
        io.open("collected.txt", "w"):write("collected")   -- never closed by hand
        collectgarbage(); collectgarbage()
        local t = io.tmpfile()
        t:write("tmp"); t:seek("set")
        assert(t:read("a") == "tmp")
        "#,
    );
    for (f, want) in [("scoped.txt", "scoped"), ("collected.txt", "collected")] {
        assert_eq!(std::fs::read_to_string(dir.join(f)).expect(f), want);
    }
}

#[test]
fn print_and_write_share_stdout_in_order() {
    let (_, out) = lua_ok(
        "order",
        r#"
        io.write("a")
        print("b")
        io.stdout:write("c\n")
        os.execute("echo d")
        io.write("e\n")
        "#,
    );
    assert_eq!(out, "ab\nc\nd\ne\n");
}

#[test]
fn file_gc_called_by_a_script_checks_its_argument() {
    lua_ok(
        "gc_arg",
        r#"
        local ok, msg = pcall(getmetatable(io.stdin).__gc)
        assert(not ok and msg:find("FILE* expected, got no value", 1, true), msg)
        "#,
    );
}
