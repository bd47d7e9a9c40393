//! The service-account key: a JSON key file (its `token_uri` is used), or the original's environment
//! variables (`GOOGLE_SERVICE_ACCOUNT_EMAIL` + `GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY`, read by the CLI and
//! passed in: library crates read no environment) with `sheets.token_uri`. The private key never appears in
//! a message, a log line or `Debug` output.

use std::fmt;
use std::path::PathBuf;

use yup_oauth2::ServiceAccountKey;

use crate::SheetsError;

/// Where the service-account key comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A Google service-account JSON key file.
    File(PathBuf),
    /// A key given piecewise (the original's environment variables).
    Inline {
        /// The service account's e-mail (`client_email`).
        email: String,
        /// The PEM private key, as given (normalized when used).
        private_key: String,
        /// The token endpoint.
        token_uri: String,
    },
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::File(path) => f.debug_tuple("File").field(path).finish(),
            KeySource::Inline { email, token_uri, .. } => f
                .debug_struct("Inline")
                .field("email", email)
                .field("private_key", &"<redacted>")
                .field("token_uri", token_uri)
                .finish(),
        }
    }
}

impl KeySource {
    /// Where the key came from, for messages (never the key itself).
    pub fn describe(&self) -> String {
        match self {
            KeySource::File(path) => format!("key file {}", path.display()),
            KeySource::Inline { email, .. } => {
                format!("GOOGLE_SERVICE_ACCOUNT_EMAIL/PRIVATE_KEY ({email})")
            }
        }
    }

    /// The key, read and checked.
    pub async fn load(&self) -> Result<ServiceAccountKey, SheetsError> {
        match self {
            KeySource::File(path) => {
                let text = tokio::fs::read(path)
                    .await
                    .map_err(|e| SheetsError::Credentials(format!("cannot read {}: {e}", path.display())))?;
                let key = yup_oauth2::parse_service_account_key(&text).map_err(|e| {
                    SheetsError::Credentials(format!(
                        "{} is not a service-account JSON key: {e}",
                        path.display()
                    ))
                })?;
                normalize_private_key(&key.private_key).map_err(|reason| {
                    SheetsError::Credentials(format!("{}: private_key {reason}", path.display()))
                })?;
                Ok(key)
            }
            KeySource::Inline {
                email,
                private_key,
                token_uri,
            } => {
                if email.trim().is_empty() {
                    return Err(SheetsError::Credentials(
                        "GOOGLE_SERVICE_ACCOUNT_EMAIL is empty".to_owned(),
                    ));
                }
                let private_key = normalize_private_key(private_key).map_err(|reason| {
                    SheetsError::Credentials(format!("GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY {reason}"))
                })?;
                Ok(ServiceAccountKey {
                    key_type: Some("service_account".to_owned()),
                    project_id: None,
                    private_key_id: None,
                    private_key,
                    client_email: email.trim().to_owned(),
                    client_id: None,
                    auth_uri: None,
                    token_uri: token_uri.clone(),
                    auth_provider_x509_cert_url: None,
                    client_x509_cert_url: None,
                })
            }
        }
    }
}

/// The original's normalization of a private key from the environment: trimmed, one pair of surrounding
/// quotes removed, literal `\r\n` and `\n` turned into line breaks; it must then hold the PEM markers.
pub fn normalize_private_key(raw: &str) -> Result<String, &'static str> {
    let mut key = raw.trim();
    for quote in ['"', '\''] {
        if key.len() >= 2 && key.starts_with(quote) && key.ends_with(quote) {
            key = &key[1..key.len() - 1];
            break;
        }
    }
    let key = key.replace("\\r\\n", "\n").replace("\\n", "\n");
    if key.contains("-----BEGIN PRIVATE KEY-----") && key.contains("-----END PRIVATE KEY-----") {
        Ok(key)
    } else {
        Err("is not a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";

    #[test]
    fn private_keys_from_the_environment_are_normalized_like_the_original() {
        let escaped = PEM.replace('\n', "\\n");
        assert_eq!(normalize_private_key(&escaped).unwrap(), PEM);
        assert_eq!(normalize_private_key(&format!("  \"{escaped}\"  ")).unwrap(), PEM);
        assert_eq!(normalize_private_key(&format!("'{escaped}'")).unwrap(), PEM);
        let windows = PEM.replace('\n', "\\r\\n");
        assert_eq!(normalize_private_key(&windows).unwrap(), PEM);
        assert_eq!(normalize_private_key(PEM).unwrap(), PEM.trim_end());
        assert!(normalize_private_key("MIIB").is_err());
        assert!(normalize_private_key("-----BEGIN PRIVATE KEY-----\nMIIB").is_err());
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let source = KeySource::Inline {
            email: "svc@project.iam.gserviceaccount.com".into(),
            private_key: PEM.into(),
            token_uri: "http://127.0.0.1/token".into(),
        };
        let shown = format!("{source:?} {}", source.describe());
        assert!(!shown.contains("MIIB"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[tokio::test]
    async fn unusable_keys_are_credential_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = KeySource::File(dir.path().join("nope.json"));
        let error = missing.load().await.unwrap_err();
        assert!(
            matches!(&error, SheetsError::Credentials(m) if m.contains("nope.json")),
            "{error}"
        );
        let path = dir.path().join("key.json");
        std::fs::write(
            &path,
            r#"{"client_email":"a@b","private_key":"oops","token_uri":"http://x"}"#,
        )
        .unwrap();
        let error = KeySource::File(path).load().await.unwrap_err();
        assert!(
            error.to_string().contains("private_key is not a PEM private key"),
            "{error}"
        );
        assert!(!error.to_string().contains("oops"));
    }
}
