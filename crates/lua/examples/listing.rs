//! Prints the bytecode listing of a Lua file: `cargo run --example listing -- file.lua`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: listing FILE");
    let src = std::fs::read(&path).expect("read");
    let name = format!("@{path}");
    let guard = lua::stack::StackGuard::with_budget(1 << 20);
    match lua::compile(&src, name.as_bytes(), &guard) {
        Ok(p) => {
            let text = lua::listing::listing(&p).expect("memory");
            print!("{}", String::from_utf8_lossy(&text));
        }
        Err(lua::CompileError::Syntax(m)) => eprintln!("{}", String::from_utf8_lossy(&m)),
        Err(lua::CompileError::Memory) => eprintln!("not enough memory"),
    }
}
