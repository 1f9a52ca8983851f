//! Compares our listings with `luac5.4 -l -l -p` over the corpus in
//! `tests/compile/corpus/`.
//!
//! Normalisation (the only differences allowed): every `0x...` address (function
//! headers, `constants/locals/upvalues for 0x...` lines, `CLOSURE` comments) becomes
//! `0x?`, since addresses cannot match. Nothing else is rewritten: opcodes, operands,
//! comments, constants, locals, upvalues and line numbers must agree exactly.
//!
//! Files under `corpus/` must be in the subset of Lua that 5.4 and 5.5 compile the
//! same way (no `global`, no assignment to `for` control variables, no named varargs).
//! When `luac5.4` is not installed the test reports that and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use lua::stack::StackGuard;

fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'0' && bytes.get(i + 1) == Some(&b'x') {
            out.push_str("0x?");
            i += 2;
            while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                i += 1;
            }
        } else {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    out
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    files.sort();
    files
}

fn ours(path: &Path) -> Result<String, String> {
    let source = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_str().unwrap();
    let chunkname = format!("@{name}");
    let proto = lua::compile(&source, chunkname.as_bytes(), &StackGuard::unlimited())
        .map_err(|e| format!("{e:?}"))?;
    let text = lua::listing::listing(&proto).map_err(|_| "listing: out of memory".to_string())?;
    Ok(normalise(&String::from_utf8_lossy(&text)))
}

fn theirs(path: &Path) -> Option<String> {
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap();
    let out = Command::new("luac5.4").current_dir(dir).args(["-l", "-l", "-p"]).arg(name).output().ok()?;
    if !out.status.success() {
        panic!("luac5.4 rejected {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    }
    Some(normalise(&String::from_utf8_lossy(&out.stdout)))
}

fn first_difference(a: &str, b: &str) -> String {
    for (n, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        if la != lb {
            return format!("line {}:\n  ours:   {la}\n  luac:   {lb}", n + 1);
        }
    }
    format!("lengths differ: ours {} lines, luac {} lines", a.lines().count(), b.lines().count())
}

#[test]
fn corpus_listings_match_luac54() {
    let files = corpus_files();
    assert!(!files.is_empty());
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listings");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut failures = Vec::new();
    let mut matched = 0;
    for path in &files {
        let Some(want) = theirs(path) else {
            eprintln!("luac5.4 not found: listing comparison skipped");
            return;
        };
        let stem = path.file_stem().unwrap().to_str().unwrap();
        match ours(path) {
            Ok(got) => {
                std::fs::write(out_dir.join(format!("{stem}.ours")), &got).unwrap();
                std::fs::write(out_dir.join(format!("{stem}.luac")), &want).unwrap();
                if got == want {
                    matched += 1;
                } else {
                    failures.push(format!("{}: {}", stem, first_difference(&got, &want)));
                }
            }
            Err(e) => failures.push(format!("{stem}: compile error {e}")),
        }
    }
    eprintln!("{matched}/{} corpus files match luac5.4", files.len());
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
