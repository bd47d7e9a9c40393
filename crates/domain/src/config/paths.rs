//! File paths and the database URL: making relative paths absolute against the config file's directory
//! (cron-safe), and hiding the password of a database URL before it is shown
//! (docs/interfaces.md#5-files-and-environment).

use std::path::Path;

use super::Config;

impl Config {
    /// Makes relative file paths absolute against `base_dir`: `database_url` when it is a plain path or a
    /// `sqlite:` URL (not `:memory:`, not a server URL), `catalog` and `sheets.credentials` when set, and
    /// each directory source's `path`.
    pub fn resolve_paths(&mut self, base_dir: &Path) {
        if let Some(resolved) = resolve_database_url(&self.database_url, base_dir) {
            self.database_url = resolved;
        }
        resolve_text_path(&mut self.catalog, base_dir);
        resolve_text_path(&mut self.sheets.credentials, base_dir);
        resolve_text_path(&mut self.http.ca_file, base_dir);
        for source in &mut self.directory.sources {
            if let Some(path) = source.path.as_mut().filter(|path| path.is_relative()) {
                *path = base_dir.join(&*path);
            }
        }
    }

    /// `database_url` with the password of a URL (`postgres://user:secret@host/db`, or a `password=` query
    /// parameter) replaced by `***`; any other text is returned unchanged.
    pub fn redacted_database_url(&self) -> String {
        redact_url(&self.database_url)
    }
}

fn resolve_text_path(text: &mut String, base_dir: &Path) {
    if !text.is_empty() && Path::new(text.as_str()).is_relative() {
        *text = base_dir.join(text.as_str()).to_string_lossy().into_owned();
    }
}

/// The absolute form of a relative SQLite location, or `None` when there is nothing to resolve.
fn resolve_database_url(url: &str, base_dir: &Path) -> Option<String> {
    let (prefix, rest) = if let Some(rest) = url.strip_prefix("sqlite://") {
        ("sqlite://", rest)
    } else if let Some(rest) = url.strip_prefix("sqlite:") {
        ("sqlite:", rest)
    } else if url.contains("://") {
        return None;
    } else {
        ("", url)
    };
    let (file, query) = match rest.find('?') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if file.is_empty() || file.starts_with(":memory:") || Path::new(file).is_absolute() {
        return None;
    }
    Some(format!(
        "{prefix}{}{query}",
        base_dir.join(file).to_string_lossy()
    ))
}

/// Hides a URL's password. Errs on the side of hiding: an `@` inside the path hides more than needed.
fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let (scheme, rest) = url.split_at(scheme_end + 3);
    let (userinfo, location) = match rest.rfind('@') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => ("", rest),
    };
    let userinfo = match userinfo.split_once(':') {
        Some((user, _password)) => format!("{user}:***"),
        None => userinfo.to_owned(),
    };
    format!("{scheme}{userinfo}{}", redact_password_parameter(location))
}

/// Replaces the value of a `password=` query parameter.
fn redact_password_parameter(location: &str) -> String {
    let Some((path, query)) = location.split_once('?') else {
        return location.to_owned();
    };
    let parameters: Vec<String> = query
        .split('&')
        .map(|parameter| match parameter.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=***"),
            _ => parameter.to_owned(),
        })
        .collect();
    format!("{path}?{}", parameters.join("&"))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::{DirectorySourceConfig, SourceKind};
    use super::*;

    fn with_database(url: &str) -> Config {
        Config {
            database_url: url.to_owned(),
            ..Config::default()
        }
    }

    #[test]
    fn relative_paths_become_absolute_against_the_base_dir() {
        let base = Path::new("/etc/pipeline");
        let mut config = Config {
            catalog: "catalog.toml".into(),
            ..Config::default()
        };
        config.sheets.credentials = "keys/sa.json".into();
        let mut relative = DirectorySourceConfig::new("mine", SourceKind::Csv);
        relative.path = Some("lists/mine.csv".into());
        let mut absolute = DirectorySourceConfig::new("theirs", SourceKind::Csv);
        absolute.path = Some("/srv/theirs.csv".into());
        config.directory.sources = vec![relative, absolute];
        config.resolve_paths(base);
        assert_eq!(config.database_url, "/etc/pipeline/data/pipeline.db");
        assert_eq!(config.catalog, "/etc/pipeline/catalog.toml");
        assert_eq!(config.sheets.credentials, "/etc/pipeline/keys/sa.json");
        assert_eq!(
            config.directory.sources[0].path,
            Some(PathBuf::from("/etc/pipeline/lists/mine.csv"))
        );
        assert_eq!(
            config.directory.sources[1].path,
            Some(PathBuf::from("/srv/theirs.csv"))
        );
    }

    #[test]
    fn empty_paths_stay_empty() {
        let mut config = Config::default();
        config.resolve_paths(Path::new("/base"));
        assert_eq!(config.catalog, "");
        assert_eq!(config.sheets.credentials, "");
    }

    #[test]
    fn database_urls_resolve_only_sqlite_files() {
        let base = Path::new("/base");
        let cases = [
            ("data/x.db", "/base/data/x.db"),
            ("sqlite://data/x.db", "sqlite:///base/data/x.db"),
            ("sqlite://data/x.db?mode=rwc", "sqlite:///base/data/x.db?mode=rwc"),
            ("sqlite:x.db", "sqlite:/base/x.db"),
            ("sqlite:///abs/x.db", "sqlite:///abs/x.db"),
            ("/abs/x.db", "/abs/x.db"),
            (":memory:", ":memory:"),
            ("sqlite::memory:", "sqlite::memory:"),
            ("postgres://u:p@db/pipeline", "postgres://u:p@db/pipeline"),
        ];
        for (url, resolved) in cases {
            let mut config = with_database(url);
            config.resolve_paths(base);
            assert_eq!(config.database_url, resolved, "{url}");
        }
    }

    #[test]
    fn database_passwords_are_hidden() {
        let cases = [
            (
                "postgres://app:s3cr%40t@db:5432/pipeline",
                "postgres://app:***@db:5432/pipeline",
            ),
            ("postgresql://app@db/pipeline", "postgresql://app@db/pipeline"),
            (
                "postgres://db/pipeline?user=app&password=x",
                "postgres://db/pipeline?user=app&password=***",
            ),
            ("postgres://app:p@ss@db/p", "postgres://app:***@db/p"),
            ("data/pipeline.db", "data/pipeline.db"),
        ];
        for (url, shown) in cases {
            assert_eq!(with_database(url).redacted_database_url(), shown, "{url}");
        }
    }
}
