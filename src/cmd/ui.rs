//! Terminal manners: `--quiet` and `--verbose`, notes on stderr, and progress bars drawn
//! (with indicatif) only on long runs and only when stderr is a terminal.

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::load::Progress;

/// Below this many steps a phase is quick: no bar.
const LONG_RUN: usize = 500;

/// How chatty the command is on stderr.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
}

impl Ui {
    /// A hint or note for a person (suppressed by `--quiet`).
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// What is being done (only with `--verbose`).
    pub fn info(&self, text: &str) {
        if self.verbose {
            eprintln!("{text}");
        }
    }

    /// A progress reporter for the phases of a long run.
    pub fn progress(&self) -> Bar {
        let visible = !self.quiet && std::io::stderr().is_terminal();
        Bar { bar: visible.then(ProgressBar::hidden), verbose: self.verbose, started: std::sync::Mutex::new(None) }
    }
}

/// Draws a bar per phase on stderr when the phase is long; with `--verbose`, says how long
/// each phase took.
pub struct Bar {
    bar: Option<ProgressBar>,
    verbose: bool,
    started: std::sync::Mutex<Option<(String, usize, Instant)>>,
}

impl Bar {
    fn end_phase(&self) {
        let previous = self.started.lock().map(|mut s| s.take()).unwrap_or(None);
        if let Some((phase, total, at)) = previous
            && self.verbose
        {
            eprintln!("{phase} {total} files: {} ms", at.elapsed().as_millis());
        }
        if let Some(bar) = &self.bar {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
    }

    /// Ends the last phase and clears the bar.
    pub fn finish(&self) {
        self.end_phase();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: usize) {
        self.end_phase();
        if let Ok(mut started) = self.started.lock() {
            *started = Some((phase.to_string(), total, Instant::now()));
        }
        let Some(bar) = &self.bar else { return };
        bar.reset();
        bar.set_length(total as u64);
        bar.set_message(phase.to_string());
        if total >= LONG_RUN {
            let style = ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
