//! The house-style tidy tests over every Rust source file of `crates/`, `bins/` and `xtask/` (`target/`
//! excluded): each opens with a `//!` line saying what it is, none passes 400 lines, no test is ignored and
//! none expects a panic. A failure lists every offending file, so one run shows all there is to fix.

use std::path::{Path, PathBuf};

use crate::cmd::root;

/// The longest a source file may be: past it, split the file by responsibility.
const MAX_LINES: usize = 400;

/// The folders of the workspace holding Rust sources.
const SOURCE_ROOTS: &[&str] = &["crates", "bins", "xtask"];

/// Every `.rs` file under the source roots, as (path relative to the workspace root, text), sorted by path.
fn rust_sources() -> Vec<(String, String)> {
    let root = root();
    let mut files = Vec::new();
    for dir in SOURCE_ROOTS {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let relative = path.strip_prefix(&root).unwrap_or(&path);
            (relative.display().to_string(), text)
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                collect(&path, files);
            }
        } else if name.ends_with(".rs") {
            files.push(path);
        }
    }
}

/// Fails listing every offender, one per line, under `rule`.
fn assert_none(rule: &str, offenders: &[String]) {
    assert!(
        offenders.is_empty(),
        "{} offender(s) of the rule: {rule}\n  {}",
        offenders.len(),
        offenders.join("\n  ")
    );
}

#[test]
fn the_sources_are_found() {
    let sources = rust_sources();
    assert!(sources.len() > 50, "only {} Rust files found", sources.len());
    assert!(
        sources.iter().any(|(path, _)| path == "xtask/src/tidy/style.rs"),
        "the walk misses this very file"
    );
}

#[test]
fn every_source_file_opens_with_an_inner_doc_comment() {
    let offenders: Vec<String> = rust_sources()
        .into_iter()
        .filter(|(_, text)| !text.lines().next().is_some_and(|l| l.starts_with("//!")))
        .map(|(path, _)| path)
        .collect();
    assert_none(
        "the first line is a `//!` comment saying what the file holds (a test file: what it covers)",
        &offenders,
    );
}

#[test]
fn no_source_file_passes_the_line_limit() {
    let mut offenders: Vec<(usize, String)> = rust_sources()
        .into_iter()
        .map(|(path, text)| (text.lines().count(), path))
        .filter(|(lines, _)| *lines > MAX_LINES)
        .collect();
    offenders.sort_by(|a, b| b.cmp(a));
    let offenders: Vec<String> = offenders
        .into_iter()
        .map(|(lines, path)| format!("{path} ({lines} lines)"))
        .collect();
    assert_none(
        &format!("at most {MAX_LINES} lines; split a longer file by responsibility"),
        &offenders,
    );
}

/// Whether a line ignores a test or expects a panic: the `ignore` or `should_panic` attribute, or either under
/// `#[cfg_attr(...)]`. The attribute names are spelled in pieces so that this file does not match itself.
fn skips_or_expects_a_panic(line: &str) -> bool {
    let code = line.trim_start();
    let panic_word = concat!("should", "_panic");
    let conditional =
        code.starts_with("#[cfg_attr(") && (code.contains("ignore") || code.contains(panic_word));
    code.starts_with(concat!("#[", "ignore"))
        || code.starts_with(concat!("#[", "should", "_panic"))
        || conditional
}

#[test]
fn the_skip_and_panic_check_sees_every_spelling() {
    for line in [
        concat!("#[", "ignore]"),
        concat!("    #[", "ignore = \"slow\"]"),
        concat!("#[", "should", "_panic(expected = \"x\")]"),
        concat!("#[cfg_attr(not(feature = \"net\"), ", "ignore)]"),
    ] {
        assert!(skips_or_expects_a_panic(line), "{line}");
    }
    for line in [
        "#[test]",
        "// an ignored error is logged",
        "let ignore = true;",
        "#[cfg_attr(test, derive(Debug))]",
    ] {
        assert!(!skips_or_expects_a_panic(line), "{line}");
    }
}

#[test]
fn no_test_is_ignored_and_none_expects_a_panic() {
    let mut offenders = Vec::new();
    for (path, text) in rust_sources() {
        for (number, line) in text.lines().enumerate() {
            if skips_or_expects_a_panic(line) {
                offenders.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert_none(
        "no ignored test and no expected panic: every test runs, and checks an error as a value",
        &offenders,
    );
}

/// The crates other tools import as libraries (docs/ARCHITECTURE.md): each must document its public items.
const LIBRARY_CRATES: &[&str] = &[
    "domain",
    "scoring",
    "http",
    "ats",
    "directory",
    "discovery",
    "db",
    "engine",
    "runners",
    "sheets",
];

#[test]
fn every_library_crate_warns_missing_docs() {
    let root = root();
    let offenders: Vec<String> = LIBRARY_CRATES
        .iter()
        .map(|name| format!("crates/{name}/src/lib.rs"))
        .filter(|lib| {
            let text = std::fs::read_to_string(root.join(lib)).unwrap_or_default();
            !text.lines().any(|l| l.trim() == "#![warn(missing_docs)]")
        })
        .collect();
    assert_none(
        "a library crate's lib.rs has `#![warn(missing_docs)]` (clippy -D warnings makes a gap an error)",
        &offenders,
    );
}
