//! Judging a KTAP suite's output (Documentation/dev-tools/ktap.rst), as `lunatik test`
//! and the VM harness do: a suite passes when its `run` script exits with 0, prints a
//! top-level plan, as many top-level results as the plan says, and no `not ok` at any depth
//! (a `# SKIP` or `# TODO` directive excuses one).

/// Whether a suite passed, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every rule held.
    Pass,
    /// The first rule broken, as a short reason for the KTAP line.
    Fail(String),
}

/// Judges a suite from its exit code (`None`: killed by a signal) and its output.
pub fn judge(exit_code: Option<i32>, output: &str) -> Verdict {
    match exit_code {
        Some(0) => {}
        Some(code) => return Verdict::Fail(format!("run exited with status {code}")),
        None => return Verdict::Fail("run was killed by a signal".to_string()),
    }
    let mut plan = None;
    let mut results = 0usize;
    for line in output.lines() {
        if let Some(count) = line.strip_prefix("1..") {
            if plan.is_none() {
                plan = count.trim().parse::<usize>().ok();
            }
        }
        if line.starts_with("ok ") || line.starts_with("not ok ") {
            results += 1;
        }
        if is_failure(line.trim_start()) {
            return Verdict::Fail(format!("'{}'", line.trim()));
        }
    }
    match plan {
        None => Verdict::Fail("no plan line".to_string()),
        Some(planned) if planned != results => {
            Verdict::Fail(format!("planned {planned} results, printed {results}"))
        }
        Some(_) => Verdict::Pass,
    }
}

/// Whether a result line (indentation removed) reports a failure.
fn is_failure(line: &str) -> bool {
    if !line.starts_with("not ok") {
        return false;
    }
    let directive = line
        .split_once('#')
        .map(|(_, d)| d.trim_start().to_ascii_uppercase());
    !matches!(directive, Some(d) if d.starts_with("SKIP") || d.starts_with("TODO"))
}

/// Counts of a suite's own results (its top-level `ok`/`not ok` lines).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Totals {
    /// Adds the top-level results of a suite's output.
    pub fn add(&mut self, output: &str) {
        for line in output.lines() {
            if !(line.starts_with("ok ") || line.starts_with("not ok ")) {
                continue;
            }
            let directive = line
                .split_once('#')
                .map(|(_, d)| d.trim_start().to_ascii_uppercase());
            if matches!(&directive, Some(d) if d.starts_with("SKIP")) {
                self.skipped += 1;
            } else if is_failure(line) {
                self.failed += 1;
            } else {
                self.passed += 1;
            }
        }
    }
}
