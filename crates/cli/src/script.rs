//! The arguments that name a script and say how to run it, shared by `run`, `spawn` and
//! `stop`: `<script> [process|softirq|hardirq] [percpu]`, as C Lunatik's CLI takes them.

use std::ffi::OsString;

use crate::chunk::{Context, Options};

/// A word after the script name: a context, or `percpu`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Word {
    /// Process context: may sleep (the default).
    Process,
    /// Softirq context, for hooks such as netfilter's.
    Softirq,
    /// Hardirq context.
    Hardirq,
    /// One runtime per CPU, kept as `<script>:<cpu>`.
    Percpu,
}

/// A script and how to run it.
#[derive(Debug, clap::Args)]
pub struct Script {
    /// The script's name, as `require` would find it under /lib/modules/lua/, with or
    /// without `.lua`.
    pub script: OsString,
    /// The context its runtime's hooks run in, and `percpu` for one runtime per CPU, in
    /// either order.
    #[arg(value_enum, num_args = 0..=2, value_name = "CONTEXT|percpu")]
    pub words: Vec<Word>,
}

impl Script {
    /// What the words ask for; of two contexts the later wins, as in C Lunatik.
    pub fn options(&self) -> Options {
        let mut options = Options::default();
        for word in &self.words {
            match word {
                Word::Process => options.context = Some(Context::Process),
                Word::Softirq => options.context = Some(Context::Softirq),
                Word::Hardirq => options.context = Some(Context::Hardirq),
                Word::Percpu => options.percpu = true,
            }
        }
        options
    }
}
