//! `print-gen FILE`: prints the Lua program the `gen` target builds from FILE's bytes.
fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: print-gen FILE");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.to_string_lossy());
        std::process::exit(1);
    });
    print!("{}", lua_fuzz::gen::program(&data));
}
