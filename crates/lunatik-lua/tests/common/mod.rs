//! Running the interpreter under test (and the reference `lua5.4`) from integration tests.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What one interpreter run produced.
pub struct Outcome {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Per-run timeout: `LUNATIK_TEST_TIMEOUT_S`, default 60 s.
pub fn timeout() -> Duration {
    let secs = std::env::var("LUNATIK_TEST_TIMEOUT_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Runs `program args` (in `dir` if given), killing it after the timeout.
pub fn run(
    program: &Path,
    args: &[impl AsRef<OsStr>],
    dir: Option<&Path>,
) -> Result<Outcome, String> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    finish(child, None)
}

/// Feeds `input` to the child's stdin (if given), reads its output and waits for it,
/// killing it after the timeout.
fn finish(mut child: Child, input: Option<Vec<u8>>) -> Result<Outcome, String> {
    let writer = match input {
        Some(input) => {
            let mut stdin = child.stdin.take().ok_or("no stdin pipe")?;
            Some(thread::spawn(move || {
                let _ = stdin.write_all(&input);
            }))
        }
        None => None,
    };
    let mut out = child.stdout.take().ok_or("no stdout pipe")?;
    let mut err = child.stderr.take().ok_or("no stderr pipe")?;
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(|e| e.to_string())?;
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let stdout = out_reader.join().map_err(|_| "stdout reader panicked")?;
    let stderr = err_reader.join().map_err(|_| "stderr reader panicked")?;
    Ok(Outcome {
        status: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        timed_out,
    })
}

/// The interpreter under test: `LUNATIK_LUA`, or the `lunatik-lua` this crate builds.
pub fn binary_under_test() -> PathBuf {
    match std::env::var_os("LUNATIK_LUA") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_lunatik-lua")),
    }
}

/// Runs `script` with `sh -c` in `dir`, `$LUA` naming the interpreter under test, `input`
/// on its stdin (a pipe), under `timeout`.
pub fn sh(script: &str, input: &[u8], dir: &Path) -> Outcome {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 4000000; {script}"))
        .env("LUA", binary_under_test())
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_5")
        .env_remove("LUA_PATH")
        .env_remove("LUA_PATH_5_5")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    finish(child, Some(input.to_vec())).expect("sh finishes")
}

/// A fresh empty directory for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lunatik-lua-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Runs `script` as `t.lua` in a scratch directory with the shell `command` (e.g.
/// `"$LUA" t.lua`); it must exit 0. Returns (dir, stdout).
pub fn script_ok(name: &str, command: &str, script: &str) -> (PathBuf, String) {
    let dir = scratch_dir(name);
    std::fs::write(dir.join("t.lua"), script).expect("write script");
    let o = sh(command, b"", &dir);
    assert!(
        o.status == Some(0) && !o.timed_out,
        "{name}: status {:?}\nstdout: {}\nstderr: {}",
        o.status,
        o.stdout,
        o.stderr
    );
    (dir, o.stdout)
}
