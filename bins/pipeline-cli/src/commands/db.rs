//! `db migrate` and `db backup FILE`.

use std::path::Path;

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
