//! `doctor`: one line per check; exit 1 when one fails.

use pipeline_db::Db;
use pipeline_domain::config::Config;

use crate::config_load::LoadedConfig;
use crate::exit::{CmdResult, Exit};

struct Check {
    name: &'static str,
    result: Result<String, String>,
}

pub async fn run(loaded: &LoadedConfig) -> CmdResult {
    let config = loaded.config.clone();
    let source = loaded
        .source
        .as_ref()
        .map_or("built-in defaults".to_owned(), |p| p.display().to_string());
    let mut checks = vec![Check {
        name: "config",
        result: Ok(format!("{source} is valid")),
    }];
    checks.extend(super::blocking(move || Ok(db_checks(&config))).await?);
    let catalog = crate::wiring::catalog(&loaded.config)
        .map(|(c, shown)| format!("{shown}: version {}", c.version()))
        .map_err(|f| f.message);
    checks.push(Check {
        name: "catalog",
        result: catalog,
    });
    checks.extend(source_checks(&loaded.config));
    checks.push(sheets_check(&loaded.config));
    let mut failed = false;
    for check in &checks {
        let (tag, text) = match &check.result {
            Ok(text) => ("ok  ", text),
            Err(text) => {
                failed = true;
                ("FAIL", text)
            }
        };
        println!("{tag} {:<12} {text}", check.name);
    }
    Ok(if failed { Exit::Fatal } else { Exit::Ok })
}

/// The database and its migrations, read-only: a missing database or pending migrations are what
/// `once` will create and apply, so they are reported, not failed; a schema newer than this binary fails.
fn db_checks(config: &Config) -> Vec<Check> {
    let shown = config.redacted_database_url();
    let check = |name, result| Check { name, result };
    let db = match Db::open_existing(&config.database_url) {
        Ok(Some(db)) => db,
        Ok(None) => {
            return vec![
                check(
                    "database",
                    Ok(format!(
                        "{shown} does not exist yet (`once` or `db migrate` creates it)"
                    )),
                ),
                check(
                    "migrations",
                    Ok("all pending (applied by `once` or `db migrate`)".to_owned()),
                ),
            ];
        }
        Err(e) => return vec![check("database", Err(e.to_string()))],
    };
    let reachable = db.integrity_check().map_err(|e| e.to_string()).and_then(|r| {
        if r == "ok" {
            Ok(format!("{shown} reachable, integrity ok"))
        } else {
            Err(format!("{shown}: integrity check: {r}"))
        }
    });
    let migrations = match db.pending_migrations() {
        Ok(p) if p.is_empty() => Ok("current".to_owned()),
        Ok(p) => Ok(format!(
            "{} pending ({}; applied by `once` or `db migrate`)",
            p.len(),
            p.join(", ")
        )),
        Err(e) => Err(e.to_string()),
    };
    vec![check("database", reachable), check("migrations", migrations)]
}

fn source_checks(config: &Config) -> Vec<Check> {
    config
        .directory
        .sources
        .iter()
        .map(|s| {
            let result = match (&s.path, &s.url) {
                (Some(path), _) => std::fs::File::open(path)
                    .map(|_| format!("{}: {} readable", s.name, path.display()))
                    .map_err(|e| format!("{}: {}: {e}", s.name, path.display())),
                (None, Some(url)) => Ok(format!("{}: {url} (fetched during the run)", s.name)),
                (None, None) => Err(format!("{}: no path or url", s.name)),
            };
            Check {
                name: "source",
                result,
            }
        })
        .collect()
}

fn sheets_check(config: &Config) -> Check {
    let sheets = &config.sheets;
    let result = if sheets.spreadsheet_id.is_empty() {
        Ok("no spreadsheet configured (sheets and feedback stages are skipped)".to_owned())
    } else if sheets.credentials.is_empty() {
        Ok(format!(
            "spreadsheet {} with credentials from the environment",
            sheets.spreadsheet_id
        ))
    } else {
        std::fs::metadata(&sheets.credentials)
            .map(|_| {
                format!(
                    "spreadsheet {}, key {}",
                    sheets.spreadsheet_id, sheets.credentials
                )
            })
            .map_err(|e| format!("credentials {}: {e}", sheets.credentials))
    };
    Check {
        name: "sheets",
        result,
    }
}
