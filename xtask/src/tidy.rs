//! The tidy tests: the crate dependency edges of ARCHITECTURE.md, checked against `cargo metadata`; the
//! house style of every source file (doc line, length, no ignored tests) in `style.rs`.

#[cfg(test)]
mod style;

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::cmd::cargo;

    /// Allowed normal (non-dev) dependencies between workspace crates, exactly.
    const ALLOWED: &[(&str, &[&str])] = &[
        ("pipeline-domain", &[]),
        ("pipeline-scoring", &["pipeline-domain"]),
        ("pipeline-http", &["pipeline-domain"]),
        ("pipeline-ats", &["pipeline-http", "pipeline-domain"]),
        ("pipeline-directory", &["pipeline-http", "pipeline-domain"]),
        (
            "pipeline-discovery",
            &["pipeline-ats", "pipeline-http", "pipeline-domain"],
        ),
        ("pipeline-sheets", &["pipeline-domain"]),
        ("pipeline-db", &["pipeline-domain"]),
        ("pipeline-engine", &["pipeline-db", "pipeline-domain"]),
        (
            "pipeline-runners",
            &[
                "pipeline-engine",
                "pipeline-db",
                "pipeline-discovery",
                "pipeline-ats",
                "pipeline-directory",
                "pipeline-http",
                "pipeline-scoring",
                "pipeline-sheets",
                "pipeline-domain",
            ],
        ),
        (
            "pipeline-cli",
            &[
                "pipeline-runners",
                "pipeline-engine",
                "pipeline-db",
                "pipeline-discovery",
                "pipeline-ats",
                "pipeline-directory",
                "pipeline-http",
                "pipeline-scoring",
                "pipeline-sheets",
                "pipeline-domain",
            ],
        ),
        ("pipeline-testkit", &["pipeline-domain"]),
        ("xtask", &[]),
    ];

    fn workspace_edges() -> BTreeMap<String, Vec<(String, Option<String>)>> {
        let out = cargo()
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let packages = meta["packages"].as_array().unwrap();
        let members: BTreeSet<&str> = packages.iter().map(|p| p["name"].as_str().unwrap()).collect();
        packages
            .iter()
            .map(|p| {
                let deps = p["dependencies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| members.contains(d["name"].as_str().unwrap()))
                    .map(|d| {
                        (
                            d["name"].as_str().unwrap().to_owned(),
                            d["kind"].as_str().map(str::to_owned),
                        )
                    })
                    .collect();
                (p["name"].as_str().unwrap().to_owned(), deps)
            })
            .collect()
    }

    #[test]
    fn crate_dependency_edges_follow_the_architecture() {
        let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
        for (package, deps) in workspace_edges() {
            let ok = allowed
                .get(package.as_str())
                .unwrap_or_else(|| panic!("{package} is not in ARCHITECTURE.md"));
            for (dep, kind) in deps {
                let dev = kind.as_deref() == Some("dev");
                if dep == "pipeline-testkit" {
                    assert!(dev, "{package} depends on the testkit outside dev-dependencies");
                    continue;
                }
                assert!(
                    dev || ok.contains(&dep.as_str()),
                    "{package} → {dep} is not an allowed edge"
                );
            }
        }
    }

    #[test]
    fn reqwest_and_diesel_each_have_one_owning_crate() {
        // The third-party crates behind a seam, and the workspace crates that may use them (as a normal
        // dependency; dev-dependencies of tests are free). rustls: the HTTP core, and the Sheets gateway,
        // whose hyper client (brought by google-sheets4) needs its own TLS configuration for `http.ca_file`.
        let owners: [(&str, &[&str]); 3] = [
            ("reqwest", &["pipeline-http"]),
            ("rustls", &["pipeline-http", "pipeline-sheets"]),
            ("diesel", &["pipeline-db"]),
        ];
        let out = cargo()
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut used = BTreeSet::new();
        for package in meta["packages"].as_array().unwrap() {
            let name = package["name"].as_str().unwrap();
            for dep in package["dependencies"].as_array().unwrap() {
                let (dep_name, kind) = (dep["name"].as_str().unwrap(), dep["kind"].as_str());
                let owner = owners.iter().find(|(crate_name, _)| *crate_name == dep_name);
                if let Some((_, owner)) = owner.filter(|_| kind.is_none()) {
                    assert!(
                        owner.contains(&name),
                        "{name} depends on {dep_name}: only {owner:?} may"
                    );
                    used.insert(dep_name.to_owned());
                }
            }
        }
        assert_eq!(
            used.len(),
            owners.len(),
            "an owner no longer uses its crate: {used:?}"
        );
    }

    #[test]
    fn every_crate_uses_the_workspace_lints() {
        let out = cargo()
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .output()
            .unwrap();
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for package in meta["packages"].as_array().unwrap() {
            let manifest = package["manifest_path"].as_str().unwrap();
            let text = std::fs::read_to_string(manifest).unwrap();
            assert!(
                text.contains("[lints]\nworkspace = true"),
                "{manifest} does not use [workspace.lints]"
            );
        }
    }
}
