//! One module per verb, each with a clap `Args` struct and a `run` function.

pub mod compile;
pub mod docs;
pub mod eval;
pub mod list;
pub mod load;
pub mod reload;
pub mod repl;
pub mod run;
pub mod spawn;
pub mod status;
pub mod stop;
pub mod test;
pub mod unload;
