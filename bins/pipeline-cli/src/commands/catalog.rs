//! `catalog check [FILE]` and `score [--title TEXT] [FILE|-] [--json]`.

use std::io::Read;
use std::path::Path;

use pipeline_domain::config::Config;
use pipeline_scoring::{Catalog, CompiledCatalog, ScoreResult};
use serde_json::json;

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::print_json;
use crate::wiring;

pub fn check(config: &Config, file: Option<&Path>) -> CmdResult {
    let (compiled, shown) = match file {
        Some(path) => (compile(Catalog::load(path), path)?, path.display().to_string()),
        None => wiring::catalog(config)?,
    };
    let catalog = compiled.catalog();
    println!(
        "ok: {shown}: version {} ({} categories, {} keywords, {} phrases)",
        compiled.version(),
        catalog.categories.len(),
        catalog.keywords.len(),
        catalog.phrases.len()
    );
    Ok(Exit::Ok)
}

fn compile(
    loaded: Result<Catalog, pipeline_scoring::CatalogError>,
    path: &Path,
) -> Result<CompiledCatalog, Failure> {
    let shown =
        |e: pipeline_scoring::CatalogError| Failure::usage(format!("catalog {}: {e}", path.display()));
    CompiledCatalog::new(&loaded.map_err(shown)?).map_err(shown)
}

pub fn score(config: &Config, title: &str, file: Option<&Path>, as_json: bool) -> CmdResult {
    let (compiled, _) = wiring::catalog(config)?;
    let description = read_description(file)?;
    let result = compiled.score_posting(title, &description);
    if as_json {
        print_json(&json!({
            "score": result.score,
            "strong": result.strong,
            "top_category": result.top_category_id,
            "catalog_version": compiled.version(),
            "explanation": result.explanation,
        }));
    } else {
        print_text(&compiled, &result);
    }
    Ok(Exit::Ok)
}

/// The description from FILE or stdin, decoded like a directory source with no `encoding` set: UTF-8 (a
/// byte-order mark skipped), or UTF-16 when a byte-order mark says so. Anything else — Windows-1252 or
/// Latin-1 text, UTF-16 without a mark, binary data — is refused with exit 2 and where it stops being
/// UTF-8, rather than scored as garbage (it used to score 0 without a word).
fn read_description(file: Option<&Path>) -> Result<String, Failure> {
    let (shown, bytes) = match file {
        None => return Ok(String::new()),
        Some(path) if path == Path::new("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::usage(format!("stdin: {e}")))?;
            ("stdin".to_owned(), bytes)
        }
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            (path.display().to_string(), bytes)
        }
    };
    decode(&bytes).map_err(|reason| {
        Failure::usage(format!(
            "{shown}: {reason}; save it as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`)"
        ))
    })
}

/// UTF-8 (BOM skipped) or UTF-16 with a BOM; the reason otherwise.
fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |unit: fn([u8; 2]) -> u16, body: &[u8]| {
        let units = body
            .chunks(2)
            .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("not UTF-16 text although it starts with a UTF-16 byte-order mark: {e}"))
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(u16::from_le_bytes, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(u16::from_be_bytes, rest),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        format!("not UTF-8 text (byte 0x{:02X} at offset {at})", bytes[at])
    })?;
    match text.find('\0') {
        Some(at) => Err(format!(
            "not text: a NUL byte at offset {at} (UTF-16 without a byte-order mark, or binary data?)"
        )),
        None => Ok(text.to_owned()),
    }
}

fn print_text(compiled: &CompiledCatalog, result: &ScoreResult) {
    let strong = if result.strong { " (strong)" } else { "" };
    println!("score {}/{}{strong}", result.score, compiled.rules().max_score);
    if let Some(top) = &result.top_category_id {
        println!(
            "top category: {} ({top})",
            compiled.category_name(top).unwrap_or("?")
        );
    }
    let e = &result.explanation;
    for c in &e.categories {
        println!(
            "  {:<32} {:>5.2} points, {} hit(s)",
            c.category_id, c.points, c.hit_count
        );
    }
    for p in &e.phrases {
        println!("  {:<32} {:>5.2} points (phrase)", p.phrase_id, p.points);
    }
    let negated = e.negated_keyword_hits + e.negated_phrase_hits;
    println!(
        "  raw {:.2}, core {}, synergy {:.1}, negated hits {negated}",
        e.raw_score, e.fx_core, e.synergy_points
    );
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn score_input_is_utf8_or_utf16_with_a_bom_and_anything_else_is_refused() {
        assert_eq!(decode("Ingeniería".as_bytes()).unwrap(), "Ingeniería");
        assert_eq!(decode(b"\xEF\xBB\xBFRust").unwrap(), "Rust");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Señor".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), "Señor");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Rust".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be).unwrap(), "Rust");
        let windows_1252 = b"Ingenier\xEDa de datos";
        assert_eq!(
            decode(windows_1252).unwrap_err(),
            "not UTF-8 text (byte 0xED at offset 8)"
        );
        let no_bom: Vec<u8> = "Rust".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(decode(&no_bom).unwrap_err().contains("NUL byte at offset 1"));
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8]).is_err(), "a lone surrogate");
    }
}
