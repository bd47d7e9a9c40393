//! `db migrate`, `db backup FILE` and `db copy --to URL`.

use std::path::Path;

use pipeline_db::{Db, redact};
use pipeline_domain::config::Config;

use crate::exit::{CmdResult, Exit, Failure};
use crate::wiring;

pub async fn migrate(config: &Config) -> CmdResult {
    let config = config.clone();
    let applied = super::blocking(move || Ok(wiring::open_db(&config, false)?.migrate()?)).await?;
    if applied.is_empty() {
        println!("database is up to date");
    } else {
        for version in applied {
            println!("applied {version}");
        }
    }
    Ok(Exit::Ok)
}

pub async fn backup(config: &Config, file: &Path) -> CmdResult {
    let (config, file) = (config.clone(), file.to_path_buf());
    super::blocking(move || {
        let db = wiring::open_db(&config, true)?;
        db.backup_to(&file)
            .map_err(|e| Failure::fatal(format!("backup to {}: {e}", file.display())))?;
        println!("backed up {} to {}", db.location(), file.display());
        Ok(Exit::Ok)
    })
    .await
}

/// Copies the configured (SQLite) database into a new PostgreSQL database, every id kept; a target that
/// holds data is refused and left untouched.
pub async fn copy(config: &Config, to: &str) -> CmdResult {
    let (config, to) = (config.clone(), to.to_owned());
    super::blocking(move || {
        let source = wiring::open_db(&config, true)?;
        let target = Db::open(&to)?;
        let copied = source
            .copy_to(&target)
            .map_err(|e| Failure::fatal(format!("copy to {}: {e}", redact(&to))))?;
        for (table, rows) in &copied.tables {
            println!("{table:<28} {rows:>9} rows");
        }
        println!("copied {} to {}", source.location(), target.location());
        Ok(Exit::Ok)
    })
    .await
}
