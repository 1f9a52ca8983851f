//! Command-line parsing: every verb, its arguments and the global options.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::Parser;
use lunatik_cli::chunk::{Context, Options};
use lunatik_cli::{Cli, Command};

fn parse(args: &[&str]) -> Cli {
    let mut argv = vec!["lunatik"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?} did not parse: {e}"))
}

fn parse_error(args: &[&str]) -> ErrorKind {
    let mut argv = vec!["lunatik"];
    argv.extend_from_slice(args);
    match Cli::try_parse_from(argv) {
        Ok(cli) => panic!("{args:?} parsed as {cli:?}"),
        Err(e) => e.kind(),
    }
}

#[test]
fn no_verb_means_the_repl() {
    assert!(parse(&[]).command.is_none());
}

#[test]
fn device_defaults_to_dev_lunatik() {
    // LUNATIK_DEVICE would change the default; the test environment does not set it.
    if std::env::var_os("LUNATIK_DEVICE").is_none() {
        assert_eq!(parse(&[]).device, PathBuf::from("/dev/lunatik"));
    }
}

#[test]
fn device_is_accepted_before_and_after_the_verb() {
    assert_eq!(
        parse(&["--device", "/tmp/d", "list"]).device,
        PathBuf::from("/tmp/d")
    );
    assert_eq!(
        parse(&["list", "--device", "/tmp/d"]).device,
        PathBuf::from("/tmp/d")
    );
}

#[test]
fn verbs_without_arguments_parse() {
    type IsExpected = fn(&Command) -> bool;
    let cases: &[(&str, IsExpected)] = &[
        ("unload", |c| matches!(c, Command::Unload(_))),
        ("status", |c| matches!(c, Command::Status(_))),
        ("list", |c| matches!(c, Command::List(_))),
    ];
    for (verb, is_expected) in cases {
        let cli = parse(&[verb]);
        assert!(
            cli.command.as_ref().is_some_and(is_expected),
            "{verb}: {cli:?}"
        );
    }
}

#[test]
fn verbs_without_arguments_reject_an_extra_one() {
    for verb in ["load", "unload", "reload", "status", "list"] {
        assert_eq!(
            parse_error(&[verb, "extra"]),
            ErrorKind::UnknownArgument,
            "{verb}"
        );
    }
}

#[test]
fn load_takes_a_module_file() {
    let Some(Command::Load(args)) = parse(&["load", "--module", "/tmp/lunatik.ko"]).command else {
        panic!("not load")
    };
    assert_eq!(args.module, Some(PathBuf::from("/tmp/lunatik.ko")));
}

#[test]
fn reload_takes_a_module_file() {
    let Some(Command::Reload(args)) = parse(&["reload", "--module", "m.ko"]).command else {
        panic!("not reload")
    };
    assert_eq!(args.module, Some(PathBuf::from("m.ko")));
}

/// The script and options of `run`, `spawn` or `stop` with `words` after the script.
fn target(verb: &str, words: &[&str]) -> (OsString, Options) {
    let mut args = vec![verb, "s"];
    args.extend_from_slice(words);
    let target = match parse(&args).command {
        Some(Command::Run(a)) => a.target,
        Some(Command::Spawn(a)) => a.target,
        Some(Command::Stop(a)) => a.target,
        other => panic!("{args:?} parsed as {other:?}"),
    };
    let options = target.options();
    (target.script, options)
}

fn options(context: Option<Context>, percpu: bool) -> Options {
    Options { context, percpu }
}

#[test]
fn run_takes_a_script_and_no_context() {
    let Some(Command::Run(args)) = parse(&["run", "examples/hello"]).command else {
        panic!("not run")
    };
    assert_eq!(args.target.script, OsString::from("examples/hello"));
    assert_eq!(args.target.options(), Options::default());
}

#[test]
fn run_takes_each_context() {
    let cases = [
        ("process", Context::Process),
        ("softirq", Context::Softirq),
        ("hardirq", Context::Hardirq),
    ];
    for (word, context) in cases {
        assert_eq!(
            target("run", &[word]).1,
            options(Some(context), false),
            "{word}"
        );
    }
}

#[test]
fn run_takes_percpu_alone_or_with_a_context_in_either_order() {
    assert_eq!(target("run", &["percpu"]).1, options(None, true));
    let softirq = options(Some(Context::Softirq), true);
    assert_eq!(target("run", &["softirq", "percpu"]).1, softirq);
    assert_eq!(target("run", &["percpu", "softirq"]).1, softirq);
}

#[test]
fn of_two_contexts_the_later_wins() {
    let got = target("run", &["softirq", "hardirq"]).1;
    assert_eq!(got, options(Some(Context::Hardirq), false));
}

#[test]
fn run_takes_at_most_two_words() {
    assert_eq!(
        parse_error(&["run", "s", "softirq", "percpu", "percpu"]),
        ErrorKind::TooManyValues
    );
}

#[test]
fn run_rejects_an_unknown_word() {
    assert_eq!(parse_error(&["run", "s", "nmi"]), ErrorKind::InvalidValue);
    assert_eq!(
        parse_error(&["run", "s", "percpu", "nmi"]),
        ErrorKind::InvalidValue
    );
}

#[test]
fn run_spawn_and_stop_need_a_script() {
    for verb in ["run", "spawn", "stop"] {
        assert_eq!(
            parse_error(&[verb]),
            ErrorKind::MissingRequiredArgument,
            "{verb}"
        );
    }
}

#[test]
fn spawn_and_stop_take_a_script_and_the_same_words() {
    for verb in ["spawn", "stop"] {
        let (script, got) = target(verb, &[]);
        assert_eq!(script, OsString::from("s"), "{verb}");
        assert_eq!(got, Options::default(), "{verb}");
        let got = target(verb, &["hardirq", "percpu"]).1;
        assert_eq!(got, options(Some(Context::Hardirq), true), "{verb}");
    }
}

#[test]
fn eval_takes_one_chunk() {
    let Some(Command::Eval(args)) = parse(&["eval", "return 1+1"]).command else {
        panic!("not eval")
    };
    assert_eq!(args.chunk, OsString::from("return 1+1"));
    assert_eq!(parse_error(&["eval"]), ErrorKind::MissingRequiredArgument);
}

#[test]
fn test_takes_suites_and_a_directory() {
    let Some(Command::Test(args)) = parse(&["test", "--dir", "/t", "smoke", "cli"]).command else {
        panic!("not test")
    };
    assert_eq!(args.suites, ["smoke", "cli"]);
    assert_eq!(args.dir, PathBuf::from("/t"));
}

#[test]
fn test_without_suites_means_all() {
    let Some(Command::Test(args)) = parse(&["test"]).command else {
        panic!("not test")
    };
    assert!(args.suites.is_empty());
}

#[test]
fn every_verb_has_help() {
    for verb in [
        "load", "unload", "reload", "status", "list", "run", "spawn", "stop", "eval", "test",
    ] {
        assert_eq!(
            parse_error(&[verb, "--help"]),
            ErrorKind::DisplayHelp,
            "{verb}"
        );
    }
}

#[test]
fn unknown_verb_is_a_usage_error() {
    assert_eq!(parse_error(&["frobnicate"]), ErrorKind::InvalidSubcommand);
}

#[test]
fn command_definition_is_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}
