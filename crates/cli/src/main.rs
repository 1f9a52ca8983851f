//! `lunatik`: see the crate's README.

fn main() -> std::process::ExitCode {
    lunatik_cli::main()
}
