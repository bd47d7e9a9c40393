//! The command line, as clap parses it (step one of two: raw flags; `settings` validates them).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use pipeline_domain::Stage;

#[derive(Debug, Parser)]
#[command(
    name = "pipeline-cli",
    version,
    about = "Finds companies showing a hiring signal and hands them to sales."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Configuration file (default: ./pipeline.toml if it exists, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: a SQLite path or sqlite:// URL (overrides the configuration).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// More logging (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Less logging (-q warnings only, -qq errors only).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub quiet: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// A stage name as the contract spells it (`directory`, `discovery`, ...).
fn parse_stage(text: &str) -> Result<Stage, String> {
    Stage::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Stage::ALL.iter().map(|s| s.key()).collect();
        format!("unknown stage `{text}` (stages: {})", names.join(", "))
    })
}

/// A score bound: a finite number from 0 to 10, the range of scores (`nan`, `inf`, `-1`, `11` are refused).
fn parse_score(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(score) if (0.0..=10.0).contains(&score) => Ok(score),
        Ok(_) => Err("a score is a number from 0 to 10".to_owned()),
        Err(e) => Err(format!("not a number: {e}")),
    }
}

#[derive(Debug, Args)]
pub struct CycleArgs {
    /// Run only this stage (repeatable; canonical order is kept).
    #[arg(long = "stage", value_name = "S", value_parser = parse_stage)]
    pub stages: Vec<Stage>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One cycle of the stages, then exit (for cron).
    Once {
        #[command(flatten)]
        cycle: CycleArgs,
        /// Cap on the units each stage takes.
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// Only work on this company (by domain).
        #[arg(long, value_name = "DOMAIN")]
        company: Option<String>,
        /// No external writes (no sheet writes, no feedback applied).
        #[arg(long)]
        dry_run: bool,
        /// Apply sheet feedback outside its window.
        #[arg(long)]
        force_feedback: bool,
    },
    /// Cycles until SIGINT/SIGTERM (a daemon).
    Forever {
        #[command(flatten)]
        cycle: CycleArgs,
        /// Scale-out worker: no cycle lock; units shared by lease, singleton stages under their own locks.
        #[arg(long)]
        shared: bool,
    },
    /// Locks, pauses, per-stage state and the last runs with their counters.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Companies ranked by max score, strong offers, id.
    Companies {
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
        #[arg(long, value_name = "N")]
        limit: Option<i64>,
        /// Only companies whose max score is at least X (0 to 10).
        #[arg(long, value_name = "X", value_parser = parse_score, allow_negative_numbers = true)]
        min_score: Option<f64>,
    },
    /// The company table as the sheet shows it (columns A–O), without touching Google.
    Export {
        /// `csv` (the sheet's headers) or `json` (the column ids).
        #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
        format: String,
        /// Write here instead of stdout.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// One company's stored postings: open ones first, newest first.
    Offers {
        /// The company's domain (e.g. acme.com).
        #[arg(long, value_name = "DOMAIN")]
        company: String,
        #[arg(long)]
        json: bool,
    },
    /// Checks configuration, database and migrations; one line per check.
    Doctor,
    /// Database maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Pauses a provider by hand.
    Pause {
        provider: String,
        /// How long (e.g. 90s, 15m, 6h, 30d); default `ingestion.pause_for`.
        #[arg(long = "for", value_name = "DURATION")]
        duration: Option<String>,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Lifts a provider pause.
    Resume { provider: String },
    /// The keyword catalog.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Runs discovery on one website and prints the validated boards with their evidence; writes nothing.
    Detect {
        url: String,
        #[arg(long)]
        json: bool,
    },
    /// Fetches one board (PROVIDER:TENANT[@VARIANT]) and prints its normalised postings; writes nothing.
    Board {
        board: String,
        #[arg(long)]
        json: bool,
    },
    /// Scores one posting (title + description text or HTML from FILE or stdin) against the catalog.
    Score {
        /// The posting's title.
        #[arg(long, value_name = "TEXT", default_value = "")]
        title: String,
        /// A file with the description, or `-` for stdin (none: the title alone is scored).
        #[arg(value_name = "FILE|-")]
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Validates a catalog (default: the configured one, or the built-in one).
    Check { file: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Applies pending migrations.
    Migrate,
    /// Writes a consistent copy of the database while it is in use.
    Backup { file: PathBuf },
    /// Copies the (SQLite) database into a new PostgreSQL database, keeping every id.
    Copy {
        /// The target: a `postgres://` URL of a database with no pipeline data yet.
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

#[cfg(test)]
mod tests {
    use super::parse_score;

    #[test]
    fn min_score_must_be_a_finite_number_from_0_to_10() {
        for (text, score) in [("0", 0.0), ("7.5", 7.5), ("10", 10.0), (" 3 ", 3.0)] {
            assert_eq!(parse_score(text), Ok(score), "{text}");
        }
        for text in ["nan", "NaN", "inf", "-inf", "-1", "10.01", "1e400", "", "seven"] {
            assert!(parse_score(text).is_err(), "{text}");
        }
    }
}
