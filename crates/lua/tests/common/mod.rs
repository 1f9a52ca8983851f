//! Shared helpers for the engine's integration tests.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use lua::{Config, FuelAction, Host, Lua, Mode, Value};

/// A host that records output and counts fuel exhaustion.
#[derive(Clone, Default)]
pub struct TestHost {
    pub out: Rc<RefCell<Vec<u8>>>,
    pub fuel_calls: Rc<RefCell<u32>>,
    /// Abort after this many exhausted slices (0: never).
    pub abort_after: u32,
}

impl Host for TestHost {
    fn print(&mut self, bytes: &[u8]) {
        self.out.borrow_mut().extend_from_slice(bytes);
    }
    fn out_of_fuel(&mut self) -> FuelAction {
        let mut n = self.fuel_calls.borrow_mut();
        *n += 1;
        if self.abort_after != 0 && *n >= self.abort_after {
            FuelAction::Abort
        } else {
            FuelAction::Continue
        }
    }
}

pub fn state_with(config: Config, host: TestHost) -> Box<Lua> {
    Lua::new(config, Box::new(host)).expect("state")
}

/// A state with an instruction budget of `slice` per slice, whose host aborts the script
/// at the `abort_after`-th exhausted slice (0: never); the host, to read its counts.
pub fn budgeted(slice: i64, abort_after: u32) -> (Box<Lua>, TestHost) {
    let host = TestHost {
        abort_after,
        ..TestHost::default()
    };
    let lua = state_with(
        Config {
            fuel_slice: slice,
            ..Config::default()
        },
        host.clone(),
    );
    (lua, host)
}

pub fn state() -> (Box<Lua>, TestHost) {
    let host = TestHost::default();
    (state_with(Config::default(), host.clone()), host)
}

/// Runs `src`; Ok(results as strings) or Err(error message).
pub fn run(lua: &mut Lua, src: &str) -> Result<Vec<String>, String> {
    let f = lua
        .enter(|l| l.load(src.as_bytes(), b"=t", Mode::Text, None))
        .map_err(|e| String::from_utf8_lossy(&lua.error_message(&e)).into_owned())?;
    match lua.call(f, &[]) {
        Ok(vs) => Ok(vs.iter().map(show).collect()),
        Err(e) => Err(String::from_utf8_lossy(&lua.error_message(&e)).into_owned()),
    }
}

pub fn show(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(_) => {
            let mut b = Vec::new();
            lua::tostr::number(v, &mut b).unwrap();
            String::from_utf8(b).unwrap()
        }
        Value::Str(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
        other => format!("{:?}", other.type_of()),
    }
}

/// Runs `f` on a thread with a small native stack, so real recursion would crash.
pub fn on_small_stack<T: Send + 'static>(
    bytes: usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}
