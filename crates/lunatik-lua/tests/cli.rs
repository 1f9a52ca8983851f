//! The `lunatik-lua` command line: options, environment, REPL, messages and exit status,
//! checked against what C Lua's `lua` does with the same invocation.

mod common;

use common::{scratch_dir, sh, Outcome};

fn run(name: &str, script: &str, input: &str) -> Outcome {
    let dir = scratch_dir(name);
    let o = sh(script, input.as_bytes(), &dir);
    assert!(!o.timed_out, "{name} timed out");
    o
}

#[test]
fn exec_and_require_options_run_in_order() {
    let dir = scratch_dir("opts");
    std::fs::write(dir.join("m.lua"), "print('loading m') return {v = 7}").unwrap();
    std::fs::write(dir.join("m-v2.lua"), "return {v = 2}").unwrap();
    let o = sh(
        r#"LUA_PATH='./?.lua' "$LUA" -e "print(1)" -l m -lx=m -l m-v2 -e"print(m.v, x.v)" -W"#,
        b"",
        &dir,
    );
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    // `-l m-v2` loads module "m-v2" into global "m" (the suffix after '-' is dropped).
    assert_eq!(o.stdout, "1\nloading m\n2\t7\n");
}

#[test]
fn bad_options_print_usage_and_fail() {
    for (args, msg) in [
        ("-h", "unrecognized option '-h'"),
        ("-Ex", "unrecognized option '-Ex'"),
        ("---", "unrecognized option '---'"),
        ("-e", "'-e' needs argument"),
        ("-l -v", "'-l' needs argument"),
    ] {
        let o = run("bad", &format!(r#""$LUA" {args}"#), "");
        assert_eq!(o.status, Some(1), "{args}");
        let first = o.stderr.lines().next().unwrap_or_default();
        assert!(first.ends_with(&format!(": {msg}")), "{args}: {first}");
        assert!(o.stderr.contains("usage: "), "{args}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn errors_and_exit_status() {
    let o = run("err", r#""$LUA" -e "error('boom')""#, "");
    assert_eq!(o.status, Some(1));
    assert!(o
        .stderr
        .contains(": (command line):1: boom\nstack traceback:"));
    let o = run("syntax", r#""$LUA" -e "x =""#, "");
    assert_eq!(o.status, Some(1));
    assert!(
        o.stderr.ends_with("unexpected symbol near <eof>\n"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("traceback"));
    let o = run("obj", r#""$LUA" -e "error({})""#, "");
    assert!(o.stderr.contains("(error object is a table value)"));
    let o = run("nofile", r#""$LUA" no-such.lua"#, "");
    assert_eq!(o.status, Some(1));
    assert!(o
        .stderr
        .ends_with(": cannot open no-such.lua: No such file or directory\n"));
    let o = run("exit", r#""$LUA" -e "os.exit(5)"; echo "rc=$?""#, "");
    assert_eq!(o.stdout, "rc=5\n");
    let o = run(
        "exitf",
        r#""$LUA" -e "io.write('kept') os.exit(false)"; echo " $?""#,
        "",
    );
    assert_eq!(o.stdout, "kept 1\n");
}

#[test]
fn init_variables_and_dash_e_upper() {
    let dir = scratch_dir("init");
    std::fs::write(dir.join("init.lua"), "X = 'from file'").unwrap();
    let cases = [
        (r#"LUA_INIT="X = 1" "$LUA" -e "print(X)""#, "1\n"),
        (
            r#"LUA_INIT_5_5="X = 2" LUA_INIT="X = 1" "$LUA" -e "print(X)""#,
            "2\n",
        ),
        (r#"LUA_INIT=@init.lua "$LUA" -e "print(X)""#, "from file\n"),
        (
            r#"LUA_INIT="X = 1" LUA_PATH=zz "$LUA" -E -e "print(X, package.path:find('zz'))""#,
            "nil\tnil\n",
        ),
        (
            r#"LUA_PATH='a;;b' "$LUA" -e "print(package.path:match('^a;.*;b$') ~= nil)""#,
            "true\n",
        ),
        (
            r#"LUA_INIT="X = tonumber(arg[1])" "$LUA" -e "print(X)" - 3 < /dev/null"#,
            "3\n",
        ),
    ];
    for (cmd, want) in cases {
        let o = sh(cmd, b"", &dir);
        assert_eq!(o.status, Some(0), "{cmd}: {}", o.stderr);
        assert_eq!(o.stdout, want, "{cmd}");
    }
    let o = sh(
        r#"LUA_INIT="error('bad init')" "$LUA" -e "print(1)""#,
        b"",
        &dir,
    );
    assert_eq!(o.status, Some(1));
    assert!(o.stderr.contains("LUA_INIT:1: bad init"), "{}", o.stderr);
}

#[test]
fn stdin_script_and_arguments() {
    let o = run(
        "dash",
        r#""$LUA" - a b"#,
        "print(...) print(arg[0], arg[-1] ~= nil)",
    );
    assert_eq!(o.stdout, "a\tb\n-\ttrue\n");
    // `-e` may rewrite `arg` before the script gets its arguments from it.
    let o = run(
        "argset",
        r#""$LUA" -e "arg[1] = 'new'" - old"#,
        "print(...)",
    );
    assert_eq!(o.stdout, "new\n");
    let o = run("argbad", r#""$LUA" -e "arg = 1" -"#, "");
    assert_eq!(o.status, Some(1));
    assert!(o.stderr.contains("'arg' is not a table"));
    // No script and stdin not a terminal: stdin is the script.
    let o = run("pipe", r#""$LUA""#, "print(io.read('l'))\n");
    assert_eq!(o.status, Some(0));
    // The whole chunk was read before it ran, as in C Lua: nothing is left to read.
    assert_eq!(o.stdout, "nil\n");
}

#[test]
fn interactive_prompts_and_results() {
    let o = run(
        "repl",
        r#""$LUA" -i"#,
        "1 + 1\nx = {\n}\nprint(type(x))\nerror('e')\n",
    );
    assert_eq!(o.status, Some(0));
    assert!(o.stdout.starts_with("Lua 5.5"), "{}", o.stdout);
    assert!(
        o.stdout.contains("> 2\n> >> > table\n> > \n"),
        "{}",
        o.stdout
    );
    // In the REPL errors carry no program name.
    assert!(o.stderr.starts_with("stdin:1: e\n"), "{}", o.stderr);
    let o = run(
        "prompt",
        r#""$LUA" -e "_PROMPT = 'P: ' _PROMPT2 = setmetatable({}, {__tostring = function() return 'Q: ' end})" -i"#,
        "if true then\nend\n",
    );
    assert!(o.stdout.ends_with("P: Q: P: \n"), "{}", o.stdout);
    let o = run("local", r#""$LUA" -i"#, "  local y = 1\n");
    assert!(o.stderr.contains("warning: locals do not survive"));
    let o = run("eof", r#""$LUA" -i"#, "a.\n");
    assert!(o.stderr.contains("near <eof>"), "{}", o.stderr);
    let o = run("print", r#""$LUA" -e "print = nil" -i"#, "10\n");
    assert!(o.stderr.contains("error calling 'print'"), "{}", o.stderr);
}

#[test]
fn version_option() {
    let o = run("v", r#""$LUA" -v -e "print('after')""#, "");
    let mut lines = o.stdout.lines();
    assert!(lines.next().is_some_and(|l| l.starts_with("Lua 5.5.")));
    assert_eq!(lines.next(), Some("after"));
}

#[test]
fn print_reaches_a_pipe_at_once() {
    // The reader sees the line while the writer still runs (it makes `done` only after
    // a pause): print flushes each line even into a pipe; io.write waits for a flush.
    let o = run(
        "flush",
        r#""$LUA" -e "print('first') io.write('held') os.execute('sleep 1') io.open('done', 'w'):close()" | (read l; if [ -f done ]; then echo late; else echo "got $l"; fi; cat)"#,
        "",
    );
    assert_eq!(o.stdout, "got first\nheld", "{}", o.stderr);
}

#[test]
fn sigint_interrupts_a_running_chunk() {
    let script = r#"
        "$LUA" -e "io.open('ready', 'w'):close()
                   print(pcall(function() while true do end end))
                   print('after')" > out.txt &
        pid=$!
        while [ ! -f ready ]; do sleep 0.05; done
        sleep 0.2; kill -INT $pid; wait $pid; echo "rc=$?"; cat out.txt"#;
    let o = run("sigint", script, "");
    assert_eq!(
        o.stdout, "rc=0\nfalse\tinterrupted!\nafter\n",
        "{}",
        o.stderr
    );
    let script = r#"
        "$LUA" -e "io.open('ready', 'w'):close() while true do end" 2> err.txt &
        pid=$!
        while [ ! -f ready ]; do sleep 0.05; done
        sleep 0.2; kill -INT $pid; wait $pid; echo "rc=$?"; head -n 1 err.txt"#;
    let o = run("sigint2", script, "");
    assert!(o.stdout.starts_with("rc=1\n"), "{}", o.stdout);
    assert!(o.stdout.ends_with(": interrupted!\n"), "{}", o.stdout);
}

#[test]
fn exit_with_close_runs_finalizers() {
    let o = run(
        "exitclose",
        r#""$LUA" -e "setmetatable({}, {__gc = function() print('gc') end}) os.exit(3, true)"; echo "rc=$?""#,
        "",
    );
    assert_eq!(o.stdout, "gc\nrc=3\n", "{}", o.stderr);
}
