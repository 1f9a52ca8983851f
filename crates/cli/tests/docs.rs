//! Completions and the man page come from the command-line definition: every verb is in them.

use std::process::Command;

const VERBS: &[&str] = &[
    "load", "unload", "reload", "status", "list", "run", "spawn", "stop", "eval", "compile", "test",
];

fn lunatik(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lunatik"))
        .args(args)
        .output()
        .expect("lunatik runs");
    assert!(out.status.success(), "lunatik {:?} failed", args);
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn completions_offer_every_verb_in_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let script = lunatik(&["completions", shell]);
        for verb in VERBS {
            assert!(script.contains(verb), "{} completions lack {}", shell, verb);
        }
    }
}

#[test]
fn the_man_page_is_section_8_and_lists_every_verb() {
    let page = lunatik(&["manpage"]);
    assert!(page.contains(".TH lunatik 8"));
    for verb in VERBS {
        assert!(page.contains(verb), "the man page lacks {}", verb);
    }
}

#[test]
fn the_generators_stay_out_of_the_help() {
    let help = lunatik(&["--help"]);
    assert!(!help.contains("completions") && !help.contains("manpage"));
}
