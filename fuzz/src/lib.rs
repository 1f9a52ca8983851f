//! Fuzzing support for the engine: the harness both targets share, and the generator of
//! Lua programs of the structure-aware target.
pub mod gen;
pub mod harness;
