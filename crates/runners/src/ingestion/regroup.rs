//! A company's repost groups decided whole (docs/stages.md#repost-groups-across-boards): every posting of
//! the company, open or closed, taken in the fixed order (published time, unpublished last, then external
//! id, then board), each either the repost of the earliest matching posting before it or canonical. Each
//! description is compared without its own board's boilerplate (paragraphs in three or more of that
//! board's stored descriptions) and ties go to the earlier posting, so the groups are a function of the
//! postings alone: the same whichever board another worker wrote first. The ingestion stage uses it for
//! companies with postings on more than one board; a company with one board keeps its groups as each write
//! decided them (one board's writes come in one order anyway).

use std::collections::HashMap;

use pipeline_db::repo::postings::{self, GroupRow};
use pipeline_db::{Conn, DbError};
use pipeline_scoring::company_order;

use super::repost::{Boilerplate, Canonicals, Features, Interner, Paragraphs, boilerplate};

/// Decides the company's groups over all its postings and writes the rows whose group changed; returns
/// how many postings became reposts.
pub fn regroup(conn: &mut Conn, company_id: i64) -> Result<u64, DbError> {
    let rows = postings::of_company_for_grouping(conn, company_id)?;
    let mut became = 0;
    let mut changed = Vec::new();
    for (row, (canonical, count)) in rows.iter().zip(groups(&rows)) {
        became += u64::from(row.canonical_id.is_none() && canonical.is_some());
        if (row.canonical_id, row.repost_count) != (canonical, count) {
            changed.push((row.id, canonical, count));
        }
    }
    postings::set_groups(conn, &changed)?;
    Ok(became)
}

/// Each row's (canonical id, repost count), in the rows' order.
pub fn groups(rows: &[GroupRow]) -> Vec<(Option<i64>, i32)> {
    let mut interner = Interner::default();
    let paragraphs: Vec<Paragraphs> = rows
        .iter()
        .map(|r| Paragraphs::new(&r.description, &mut interner))
        .collect();
    let mut of_board: HashMap<i64, Vec<&Paragraphs>> = HashMap::new();
    for (row, p) in rows.iter().zip(&paragraphs) {
        of_board.entry(row.board_id).or_default().push(p);
    }
    let boilerplates: HashMap<i64, Boilerplate> = of_board
        .into_iter()
        .map(|(board, descriptions)| (board, boilerplate(descriptions)))
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| {
        let r = &rows[i];
        company_order(r.published_at, &r.external_id, r.board_id)
    });
    let mut canonicals = Canonicals::default();
    let mut out = vec![(None, 0); rows.len()];
    let none = Boilerplate::default();
    for (rank, &i) in order.iter().enumerate() {
        let r = &rows[i];
        let board = boilerplates.get(&r.board_id).unwrap_or(&none);
        let features = Features::new(&r.title, &r.description, &paragraphs[i], board, &mut interner);
        // A posting's place in the order stands for its id: the earlier wins every tie.
        match canonicals.detect(&features) {
            Some((earlier, _)) => {
                let c = order[earlier as usize];
                out[i].0 = Some(rows[c].id);
                out[c].1 += 1;
            }
            None => canonicals.add(rank as i64, features, r.published_at.or(r.source_updated_at)),
        }
    }
    out
}
