//! `doctor`: one line per check; exit 1 when one fails.

use pipeline_db::Db;
use pipeline_domain::config::Config;
use pipeline_sheets::layout::{self, Header};
use pipeline_sheets::plan::a1;

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
    checks.extend(sheets_checks(&loaded.config).await);
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

/// The spreadsheet: a token obtained with the configured key, the tab there and its header as the contract
/// says (docs/interfaces.md §4). Two lines: `credentials` and `sheet`.
async fn sheets_checks(config: &Config) -> Vec<Check> {
    let check = |name, result| Check { name, result };
    let sheets = &config.sheets;
    if sheets.spreadsheet_id.trim().is_empty() {
        return vec![check(
            "sheets",
            Ok("no spreadsheet configured (sheets and feedback stages are skipped)".to_owned()),
        )];
    }
    let services = match crate::wiring::services(config) {
        Ok(services) => services,
        Err(failure) => return vec![check("credentials", Err(failure.message))],
    };
    if services.sheets.missing_key() {
        return vec![check(
            "credentials",
            Err("sheets.spreadsheet_id is set but no service-account key: set sheets.credentials, or GOOGLE_SERVICE_ACCOUNT_EMAIL and GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY".to_owned()),
        )];
    }
    let gateway = match services.sheets.gateway().await {
        Ok(gateway) => gateway,
        Err(e) => return vec![check("credentials", Err(e.to_string()))],
    };
    if let Err(e) = gateway.authenticate().await {
        return vec![check("credentials", Err(e.to_string()))];
    }
    let mut checks = vec![check("credentials", Ok("access token obtained".to_owned()))];
    let tab = &sheets.tab;
    let sheet = match gateway.tab_id(tab).await {
        Err(e) => Err(format!("spreadsheet {}: {e}", sheets.spreadsheet_id)),
        Ok(None) => Ok(format!(
            "spreadsheet {}: no tab `{tab}` yet (the sheets stage adds it with its header)",
            sheets.spreadsheet_id
        )),
        Ok(Some(_)) => match gateway.read(&a1(tab, "A1:O2")).await {
            Err(e) => Err(format!("spreadsheet {}: {e}", sheets.spreadsheet_id)),
            Ok(grid) => {
                let has_data = grid.iter().skip(1).any(|row| !layout::is_blank(row));
                match layout::check_header(grid.first().map_or(&[][..], Vec::as_slice), has_data) {
                    Ok(Header::Complete) => Ok(format!("tab `{tab}`: header as the contract (A–O)")),
                    Ok(Header::Original) => Ok(format!(
                        "tab `{tab}`: the original header (A–L); the sheets stage adds M–O"
                    )),
                    Ok(Header::Empty) => Ok(format!(
                        "tab `{tab}` is empty; the sheets stage writes the header"
                    )),
                    Err(e) => Err(format!("tab `{tab}`: {e}")),
                }
            }
        },
    };
    checks.push(check("sheet", sheet));
    checks
}
