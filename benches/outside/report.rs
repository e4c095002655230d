//! The figures, their budgets and the verdicts, as a terminal table and as
//! markdown.

use std::fmt::Write as _;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Pass,
    Miss,
    /// Measured, but no budget applies.
    Info,
    /// Not measured; the reason.
    Failed(String),
}

pub struct Figure {
    pub id: &'static str,
    pub what: &'static str,
    pub value: String,
    pub budget: String,
    pub verdict: Verdict,
    pub note: String,
}

#[derive(Default)]
pub struct Report {
    pub figures: Vec<Figure>,
    pub context: Vec<String>,
}

impl Report {
    /// A figure with a numeric budget: passes when `value <= budget`.
    pub fn check(
        &mut self,
        id: &'static str,
        what: &'static str,
        value: f64,
        budget: f64,
        unit: &str,
        note: String,
    ) {
        let verdict = if value <= budget {
            Verdict::Pass
        } else {
            Verdict::Miss
        };
        self.figures.push(Figure {
            id,
            what,
            value: format!("{} {unit}", num(value)),
            budget: format!("<= {} {unit}", num(budget)),
            verdict,
            note,
        });
    }

    pub fn info(&mut self, id: &'static str, what: &'static str, value: String, note: String) {
        self.figures.push(Figure {
            id,
            what,
            value,
            budget: "-".into(),
            verdict: Verdict::Info,
            note,
        });
    }

    pub fn failed(&mut self, id: &'static str, what: &'static str, budget: &str, why: String) {
        self.figures.push(Figure {
            id,
            what,
            value: "not measured".into(),
            budget: budget.into(),
            verdict: Verdict::Failed(why.clone()),
            note: why,
        });
    }

    pub fn misses(&self) -> usize {
        self.figures
            .iter()
            .filter(|f| matches!(f.verdict, Verdict::Miss | Verdict::Failed(_)))
            .count()
    }

    pub fn markdown(&self) -> String {
        let mut out = String::from("# opsdeck measured from the outside\n\n");
        for line in &self.context {
            let _ = writeln!(out, "- {line}");
        }
        out.push_str("\n| # | measure | figure | budget | verdict | how / note |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for f in &self.figures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                f.id,
                f.what,
                f.value,
                f.budget,
                verdict_word(&f.verdict),
                f.note.replace('|', "\\|").replace('\n', " ")
            );
        }
        out
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        for line in &self.context {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(
            out,
            "{:<3} {:<44} {:<26} {:<16} verdict",
            "#", "measure", "figure", "budget"
        );
        for f in &self.figures {
            let _ = writeln!(
                out,
                "{:<3} {:<44} {:<26} {:<16} {}",
                f.id,
                f.what,
                f.value,
                f.budget,
                verdict_word(&f.verdict)
            );
            if !f.note.is_empty() {
                let _ = writeln!(out, "      {}", f.note);
            }
        }
        out
    }
}

fn verdict_word(v: &Verdict) -> &'static str {
    match v {
        Verdict::Pass => "ok",
        Verdict::Miss => "MISS",
        Verdict::Info => "info",
        Verdict::Failed(_) => "FAILED",
    }
}

/// Short numbers: no trailing zeros beyond what the size needs.
pub fn num(v: f64) -> String {
    if v.abs() >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value at `q` (0..=1) of the sorted samples, nearest rank.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or_default()
}

/// "median 4.1 ms, p95 6.0 ms, max 9.3 ms (n=50)".
pub fn spread(samples: &[Duration]) -> String {
    format!(
        "median {} ms, p95 {} ms, max {} ms (n={})",
        num(ms(quantile(samples, 0.5))),
        num(ms(quantile(samples, 0.95))),
        num(ms(quantile(samples, 1.0))),
        samples.len()
    )
}
