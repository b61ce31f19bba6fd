//! Terminal manners: `--quiet` and `--verbose`, notes on stderr, and progress bars drawn
//! (with indicatif) only on long runs and only when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::msg;
use crate::load::Progress;

/// Below this many steps a phase is quick: no bar.
const LONG_RUN: usize = 500;

/// How chatty the command is on stderr.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// The language of what is printed.
    pub lang: crate::diag::Lang,
}

impl Ui {
    /// The English or the Turkish text, in the run's language.
    pub fn t<'a>(&self, en: &'a str, tr: &'a str) -> &'a str {
        self.lang.pick(en, tr)
    }

    /// A [`Message`](crate::diag::Message)'s text in the run's language.
    pub fn say<'a>(&self, message: &'a crate::diag::Message) -> &'a str {
        message.get(self.lang)
    }

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
        Bar {
            visible,
            verbose: self.verbose,
            lang: self.lang,
            phase: Mutex::new(None),
            drawing: AtomicBool::new(false),
        }
    }
}

/// The phase under way: its name, size, start, and its bar when one is drawn.
struct Phase {
    name: String,
    total: usize,
    started: Instant,
    bar: Option<ProgressBar>,
}

/// Draws a bar per phase on stderr when the phase is long (and stderr a terminal); with
/// `--verbose`, says how long each phase took.
pub struct Bar {
    visible: bool,
    verbose: bool,
    lang: crate::diag::Lang,
    phase: Mutex<Option<Phase>>,
    /// Whether the phase under way draws a bar: each step of a phase without one (no
    /// terminal, a short run) is this one load, not a lock both threads contend for.
    drawing: AtomicBool,
}

impl Bar {
    /// Ends the phase under way: clears its bar, reports its time.
    pub fn finish(&self) {
        self.drawing.store(false, Ordering::Relaxed);
        let Some(phase) = self.phase.lock().ok().and_then(|mut p| p.take()) else { return };
        if let Some(bar) = phase.bar {
            bar.finish_and_clear();
        }
        if self.verbose {
            let ms = phase.started.elapsed().as_millis();
            match phase.total {
                0 => eprintln!("{}: {ms} ms", phase.name),
                n => eprintln!("{} {n}: {ms} ms", phase.name),
            }
        }
    }
}

/// A phase's name as the layers below say it, in Turkish.
fn turkish_phase(name: &str) -> &str {
    match name {
        "loading" => "yükleme",
        "checking" => "denetim",
        "history" => "geçmiş",
        "redaction" => "gizleme",
        "indexes" => "dizinler",
        "keys" => "anahtarlar",
        "rendering" => "sayfalar",
        other => other,
    }
}

impl Progress for Bar {
    fn start(&self, name: &str, total: usize) {
        self.finish();
        let name = if self.lang == crate::diag::Lang::Tr { turkish_phase(name) } else { name };
        let bar = (self.visible && total >= LONG_RUN).then(|| {
            let style = ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                .with_style(style)
                .with_message(name.to_string())
        });
        self.drawing.store(bar.is_some(), Ordering::Relaxed);
        if let Ok(mut phase) = self.phase.lock() {
            *phase = Some(Phase { name: name.to_string(), total, started: Instant::now(), bar });
        }
    }

    fn cached(&self, used: crate::load::CacheUse) {
        if self.verbose {
            let (reused, parsed) = (used.reused, used.parsed);
            let text = if used.written {
                msg!(
                    "records from the cache: {reused}, parsed: {parsed} (cache written)",
                    "önbellekten alınan kayıt: {reused}, ayrıştırılan: {parsed} (önbellek yazıldı)"
                )
            } else {
                msg!(
                    "records from the cache: {reused}, parsed: {parsed}",
                    "önbellekten alınan kayıt: {reused}, ayrıştırılan: {parsed}"
                )
            };
            eprintln!("{}", text.get(self.lang));
        }
    }

    fn step(&self) {
        if !self.drawing.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(phase) = self.phase.lock()
            && let Some(bar) = phase.as_ref().and_then(|p| p.bar.as_ref())
        {
            bar.inc(1);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}
