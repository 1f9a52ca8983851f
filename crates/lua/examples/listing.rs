//! Prints the `luac -l -l` style listing of a Lua file compiled by our compiler:
//! `cargo run -p lua --example listing -- file.lua`.

use lua::stack::StackGuard;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: listing FILE.lua");
        std::process::exit(2);
    };
    let source = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let name = std::path::Path::new(&path).file_name().and_then(|n| n.to_str()).unwrap_or("?");
    match lua::compile(&source, format!("@{name}").as_bytes(), &StackGuard::unlimited()) {
        Ok(proto) => match lua::listing::listing(&proto) {
            Ok(text) => print!("{}", String::from_utf8_lossy(&text)),
            Err(_) => eprintln!("out of memory"),
        },
        Err(lua::CompileError::Syntax(msg)) => {
            eprintln!("{}", String::from_utf8_lossy(&msg));
            std::process::exit(1);
        }
        Err(lua::CompileError::Memory) => {
            eprintln!("not enough memory");
            std::process::exit(1);
        }
    }
}
