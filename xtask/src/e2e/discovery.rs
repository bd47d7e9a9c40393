//! End-to-end discovery: `detect` and `board` against the world's sites and APIs, and a provider that is
//! down.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::{cli, control, port_of};
use crate::world::{WorldProcess, scratch};

/// `detect` finds every board the world links from a company's site, and `board` reads each of them with
/// as many postings as the world lists.
pub(super) fn detect_and_board(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-detect")?;
    let world = WorldProcess::start(bin_dir, 17, 30, &dir)?;
    let truth: Value = serde_json::from_str(&control(&world, "GET", "truth")?)?;
    let port = port_of(&world)?;
    let companies = truth["companies"].as_array().context("truth without companies")?;
    let with_boards = companies
        .iter()
        .filter(|c| c["boards"].as_array().is_some_and(|b| !b.is_empty()));
    for company in with_boards.take(5) {
        let domain = company["domain"].as_str().context("company without domain")?;
        let (code, out, err) = cli(
            bin_dir,
            &dir,
            &["detect", &format!("http://{domain}:{port}/"), "--json"],
        )?;
        ensure!(code == 0, "detect {domain} exited {code}: {err}");
        let found: Value = serde_json::from_str(&out)?;
        let found: Vec<String> = found["boards"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| b["board"].as_str())
            .map(str::to_lowercase)
            .collect();
        let boards: Vec<String> = company["boards"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(board_text)
            .collect();
        ensure!(
            !boards.is_empty(),
            "{domain}: the truth's boards could not be read: {}",
            company["boards"]
        );
        for board in boards.iter().map(String::as_str) {
            ensure!(
                found.contains(&board.to_lowercase()),
                "{domain}: {board} not detected in {found:?}"
            );
            let (code, out, err) = cli(bin_dir, &dir, &["board", board, "--json"])?;
            ensure!(code == 0, "board {board} exited {code}: {err}");
            let fetched: Value = serde_json::from_str(&out)?;
            ensure!(fetched["postings"].is_array(), "board {board}: no postings array");
        }
    }
    detect_reports_an_unavailable_provider(bin_dir, &dir, &world, companies)?;
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// A provider answering 503 does not make its board vanish: `detect --json` lists it as unconfirmed with
/// the reason `unavailable` and exits 3 (worth trying again), instead of `"boards": []` and exit 0.
fn detect_reports_an_unavailable_provider(
    bin_dir: &Path,
    dir: &Path,
    world: &WorldProcess,
    companies: &[Value],
) -> Result<()> {
    let port = port_of(world)?;
    let (domain, board) = companies
        .iter()
        .find_map(|c| {
            Some((
                c["domain"].as_str()?,
                board_text(c["boards"].as_array()?.first()?)?,
            ))
        })
        .context("no company with a board")?;
    let board = board.as_str();
    let provider = board.split(':').next().unwrap_or_default();
    control(
        world,
        "POST",
        &format!("faults?fault=status:503&label={provider}&count=50"),
    )?;
    let (code, out, err) = cli(
        bin_dir,
        dir,
        &["detect", &format!("http://{domain}:{port}/"), "--json"],
    )?;
    control(world, "DELETE", "faults")?;
    ensure!(
        code == 3,
        "detect {domain} with {provider} down exited {code}: {err}"
    );
    let found: Value = serde_json::from_str(&out)?;
    let unconfirmed = found["unconfirmed"]
        .as_array()
        .context("no `unconfirmed` array")?;
    ensure!(
        unconfirmed.iter().any(
            |u| u["board"].as_str().is_some_and(|b| b.eq_ignore_ascii_case(board))
                && u["reason"] == "unavailable"
        ),
        "{board} not listed as unavailable: {out}"
    );
    Ok(())
}

/// A board of the world's truth (`{"provider","tenant","variant","workday":[pod, site]}`) as a board
/// reference: `provider:tenant[/pod/site][@variant]`.
pub(super) fn board_text(board: &Value) -> Option<String> {
    let mut text = format!("{}:{}", board["provider"].as_str()?, board["tenant"].as_str()?);
    if let Some([pod, site]) = board["workday"].as_array().map(Vec::as_slice) {
        text.push_str(&format!("/{}/{}", pod.as_str()?, site.as_str()?));
    }
    if let Some(variant) = board["variant"].as_str() {
        text.push_str(&format!("@{variant}"));
    }
    Some(text)
}
