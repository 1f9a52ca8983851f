//! `debug.debug` on the host: it needs the terminal (C stdin and stderr), so the engine
//! leaves it to the interpreter.

use lua::api::{Ctx, Ret};
use lua::{Lua, LuaResult, Mode, Value};

use crate::cfile::{self, Std, Stream};

pub fn open(lua: &mut Lua) -> LuaResult<()> {
    if let Value::Table(t) = lua.get_global(b"debug")? {
        lua.set_field(t, b"debug", Value::NativeFn(debug))?;
    }
    Ok(())
}

/// Runs each line typed as a chunk until end of input or a line `cont`; errors are
/// printed and the loop goes on.
fn debug(cx: &mut Ctx<'_>) -> LuaResult<Ret> {
    loop {
        cfile::write_stderr(b"lua_debug> ");
        let mut input = Stream::standard(Std::In);
        input.begin_read();
        let Some(line) = input.read_line() else {
            break;
        };
        if line == b"cont" {
            break;
        }
        let r = cx
            .lua
            .load(&line, b"=(debug command)", Mode::Text, None)
            .and_then(|f| cx.lua.call(f, &[]));
        if let Err(e) = r {
            let mut m = cx.lua.error_message(&e);
            m.push(b'\n');
            cfile::write_stderr(&m);
        }
    }
    Ok(Ret::Values(0))
}
