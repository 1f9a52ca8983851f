//! The `lunatik` binary end to end, where no kernel is needed: usage, exit statuses,
//! messages, a device that is not one, and `lunatik test` over suites written here.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn lunatik(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lunatik"));
    command
        .args(args)
        .env_remove("LUNATIK_DEVICE")
        .env_remove("LUNATIK_TESTS")
        .env_remove("LUNATIK_MODULE");
    command
}

fn output(args: &[&str]) -> Output {
    lunatik(args)
        .stdin(Stdio::null())
        .output()
        .expect("lunatik runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lunatik-cli-{}-{}-{name}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_suite(dir: &Path, name: &str, script: &str) {
    let suite = dir.join(name);
    fs::create_dir_all(&suite).unwrap();
    let run = suite.join("run");
    fs::write(&run, format!("#!/bin/sh\n{script}")).unwrap();
    fs::set_permissions(&run, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn help_exits_zero_and_lists_every_verb() {
    let out = output(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for verb in [
        "load", "unload", "reload", "status", "list", "run", "spawn", "stop", "eval", "test",
    ] {
        assert!(
            help.contains(&format!("\n  {verb} ")),
            "{verb} missing from:\n{help}"
        );
    }
}

#[test]
fn unknown_verb_exits_two_with_a_prefixed_message() {
    let out = output(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("lunatik: unrecognized subcommand 'frobnicate'"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_device_exits_one_and_suggests_loading() {
    let out = output(&["--device", "/nonexistent/lunatik", "eval", "return 1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "lunatik: /nonexistent/lunatik: No such file or directory (is the module loaded? `lunatik load` loads it)\n"
    );
}

#[test]
fn device_that_answers_nothing_is_an_empty_reply() {
    let dir = temp_dir("empty");
    let device = dir.join("device");
    fs::write(&device, b"").unwrap();
    let out = output(&["--device", device.to_str().unwrap(), "eval", "return 1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "lunatik: the device sent an empty reply\n"
    );
}

#[test]
fn piped_chunks_each_report_their_error_and_the_status_is_one() {
    let dir = temp_dir("piped");
    let device = dir.join("device");
    fs::write(&device, b"").unwrap();
    let mut child = lunatik(&["--device", device.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"return 1\n\nlocal function f()\nend\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "lunatik: the device sent an empty reply\n".repeat(2)
    );
    // Each chunk was one write: the file holds both, the second with its newline.
    assert_eq!(
        fs::read(&device).unwrap(),
        b"return 1local function f()\nend"
    );
}

#[test]
fn test_runs_named_suites_and_reports_ktap() {
    let dir = temp_dir("suites");
    write_suite(
        &dir,
        "good",
        "echo 'KTAP version 1'; echo 1..1; echo 'ok 1 works'\n",
    );
    write_suite(&dir, "other", "echo 1..1; echo 'not ok 1 ignored'\n");
    let out = output(&["test", "--dir", dir.to_str().unwrap(), "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "KTAP version 1\n1..1\n    KTAP version 1\n    1..1\n    ok 1 works\nok 1 good\n\
         # totals: suites 1 passed, 0 failed; cases 1 passed, 0 failed, 0 skipped\n"
    );
}

#[test]
fn test_runs_every_suite_in_order_and_fails_on_not_ok() {
    let dir = temp_dir("all");
    write_suite(&dir, "b_bad", "echo 1..1; echo 'not ok 1 broken'\n");
    write_suite(&dir, "a_good", "echo 1..1; echo 'ok 1 fine' >&2\n");
    fs::create_dir(dir.join("not_a_suite")).unwrap();
    let out = output(&["test", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "KTAP version 1\n1..2\n    1..1\n    ok 1 fine\nok 1 a_good\n    1..1\n    not ok 1 broken\nnot ok 2 b_bad # 'not ok 1 broken'\n\
         # totals: suites 1 passed, 1 failed; cases 1 passed, 1 failed, 0 skipped\n"
    );
    assert_eq!(text(&out.stderr), "lunatik: 1 of 2 suites failed\n");
}

#[test]
fn test_fails_a_suite_that_exits_nonzero() {
    let dir = temp_dir("exit");
    write_suite(&dir, "crash", "echo 1..1; echo 'ok 1 fine'; exit 4\n");
    let out = output(&["test", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("not ok 1 crash # run exited with status 4\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn test_of_an_unknown_suite_is_not_ok() {
    let dir = temp_dir("unknown");
    let out = output(&["test", "--dir", dir.to_str().unwrap(), "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!(
            "KTAP version 1\n1..1\nnot ok 1 nope # no run script in {}/nope\n\
             # totals: suites 0 passed, 1 failed; cases 0 passed, 0 failed, 0 skipped\n",
            dir.display()
        )
    );
}

#[test]
fn test_of_an_empty_directory_is_an_error() {
    let dir = temp_dir("none");
    let out = output(&["test", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "lunatik: no suites in {} (a suite is a directory with a `run` or `run.sh` script)\n",
            dir.display()
        )
    );
}

#[test]
fn closed_stdout_pipe_is_a_normal_exit() {
    let dir = temp_dir("pipe");
    write_suite(&dir, "chatty", "echo 1..1; i=0; while [ $i -lt 20000 ]; do echo \"# line $i\"; i=$((i+1)); done; echo 'ok 1 x'\n");
    let mut child = lunatik(&["test", "--dir", dir.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn test_runs_c_lunatik_run_sh_suites_with_bash_and_counts_cases() {
    let dir = temp_dir("runsh");
    let suite = dir.join("lunatik_style");
    fs::create_dir_all(&suite).unwrap();
    // A bash-only construct: `[[`.
    fs::write(
        suite.join("run.sh"),
        "[[ -n x ]] && echo 'KTAP version 1'; echo 1..3; echo 'ok 1 a'; \
         echo 'ok 2 b # SKIP no hw'; echo 'not ok 3 c # TODO later'\n",
    )
    .unwrap();
    let out = output(&["test", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ok 1 lunatik_style\n"), "{stdout}");
    assert!(
        stdout.ends_with(
            "# totals: suites 1 passed, 0 failed; cases 2 passed, 0 failed, 1 skipped\n"
        ),
        "{stdout}"
    );
}
