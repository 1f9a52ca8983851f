//! Every conformance script in `crates/lua/tests/scripts/` runs the same after a
//! `string.dump` round trip: a driver compiles the script with `loadfile`, dumps the main
//! function (and with it every nested function), loads the binary chunk back in mode
//! `"b"` and runs that with the script's arguments. Its stdout, exit status and first
//! stderr line must equal those of running the script directly. The dump keeps debug
//! information, so positions in messages and tracebacks stay the same.

mod common;

use common::{binary_under_test, run, Outcome};
use std::path::{Path, PathBuf};

/// Runs `arg[1]` through a dump round trip, with `arg` shifted as if it ran directly.
const DRIVER: &str = r#"
local name = arg[1]
local shifted = {[-1] = arg[-1], [0] = name}
for i = 2, #arg do shifted[i - 1] = arg[i] end
arg = shifted
local f, err = loadfile(name)
if not f then error(err, 0) end
local g = assert(load(string.dump(f), "=driver", "b"))
return g(table.unpack(shifted))
"#;

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lua/tests/scripts")
}

/// The `-- args:` line of a script's header.
fn header_args(src: &str) -> Vec<String> {
    src.lines()
        .take_while(|l| l.starts_with("--") || l.trim().is_empty())
        .find_map(|l| l.strip_prefix("-- args:"))
        .map(|a| a.split_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

fn first_line(o: &Outcome) -> &str {
    o.stderr.lines().next().unwrap_or("")
}

#[test]
fn every_script_runs_the_same_after_a_dump_round_trip() {
    let dir = scripts_dir();
    let driver =
        std::env::temp_dir().join(format!("lunatik-dump-driver-{}.lua", std::process::id()));
    std::fs::write(&driver, DRIVER).expect("write the driver");
    let program = binary_under_test();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("scripts directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .collect();
    names.sort();
    let mut problems = Vec::new();
    for name in &names {
        let src = std::fs::read_to_string(dir.join(name)).expect("read script");
        let args = header_args(&src);
        let mut direct_args = vec![name.clone()];
        direct_args.extend(args.iter().cloned());
        let mut dumped_args = vec![driver.display().to_string(), name.clone()];
        dumped_args.extend(args.iter().cloned());
        let direct = run(&program, &direct_args, Some(&dir)).expect("run directly");
        let dumped = run(&program, &dumped_args, Some(&dir)).expect("run dumped");
        if direct.stdout != dumped.stdout
            || direct.status != dumped.status
            || first_line(&direct) != first_line(&dumped)
        {
            problems.push(format!(
                "{name}: direct run gave status {:?}, stderr {:?}; dumped run gave status {:?}, stderr {:?}{}",
                direct.status,
                first_line(&direct),
                dumped.status,
                first_line(&dumped),
                if direct.stdout != dumped.stdout { " (stdout differs)" } else { "" }
            ));
        }
    }
    let _ = std::fs::remove_file(&driver);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("{} scripts round-tripped", names.len());
}
