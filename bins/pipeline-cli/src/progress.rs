//! A progress bar on stderr (only when it is a terminal).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex, PoisonError};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use pipeline_engine::{NoProgress, Progress};

/// Draws one spinner per stage with a running count; stages that run side by side (discovery and
/// ingestion) each have theirs, one under the other.
#[derive(Default)]
pub struct TerminalProgress {
    bars: MultiProgress,
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    /// A bar when stderr is a terminal, nothing otherwise (cron, logs to files, tests).
    pub fn for_stderr() -> Arc<dyn Progress> {
        if std::io::stderr().is_terminal() {
            Arc::new(TerminalProgress::default())
        } else {
            Arc::new(NoProgress)
        }
    }

    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            f(bar);
        }
    }
}

impl Progress for TerminalProgress {
    fn begin(&self, stage: &str, total: Option<u64>) {
        let bar = match total {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        let template = "{spinner} {prefix:>10} {human_pos:>9} rows  {elapsed_precise}  {wide_msg}";
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_prefix(stage.to_owned());
        let bar = self.bars.add(bar);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        *self.bar.lock().unwrap_or_else(PoisonError::into_inner) = Some(bar);
    }

    fn advance(&self, n: u64) {
        self.with_bar(|b| b.inc(n));
    }

    fn message(&self, text: &str) {
        let text = text.to_owned();
        self.with_bar(|b| b.set_message(text));
    }

    fn end(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(PoisonError::into_inner).take() {
            bar.finish_and_clear();
            self.bars.remove(&bar);
        }
    }

    fn lane(&self, _stage: &str) -> Option<Arc<dyn Progress>> {
        Some(Arc::new(TerminalProgress {
            bars: self.bars.clone(),
            bar: Mutex::new(None),
        }))
    }
}
