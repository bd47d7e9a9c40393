//! Logs on stderr: human text or JSON lines, level from -v/-q.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::cli::{Global, LogFormat};

pub fn init(global: &Global) {
    let level = match (global.verbose, global.quiet) {
        (0, 0) => "info",
        (1, _) => "debug",
        (v, _) if v > 1 => "trace",
        (_, 1) => "warn",
        _ => "error",
    };
    let crates = [
        "pipeline_cli",
        "pipeline_engine",
        "pipeline_runners",
        "pipeline_http",
        "pipeline_ats",
        "pipeline_directory",
        "pipeline_discovery",
        "pipeline_db",
    ];
    let directives: Vec<String> = crates.iter().map(|c| format!("{c}={level}")).collect();
    let filter = EnvFilter::new(format!("warn,{}", directives.join(",")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match global.log_format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).init(),
        LogFormat::Text => builder.with_target(false).compact().init(),
    }
}
