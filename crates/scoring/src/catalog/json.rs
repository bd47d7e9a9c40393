//! Reading the original's JSON catalog shape (docs/original-system.md#ref-7: `version`, `categories`,
//! `keywords` with `categoryId`, `phrases`; unknown fields ignored), field by field so every problem has its
//! JSON path.

use serde_json::{Map, Value};

use super::validate::{self, Issue, Seg};
use super::{Catalog, CatalogError, CatalogFormat, CatalogIssue, Category, Keyword, Phrase, ScoringRules};

use Seg::{Index, Key};

pub(super) fn parse(text: &str) -> Result<Catalog, CatalogError> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default().to_owned();
        CatalogError::Syntax {
            format: "JSON",
            line: Some(e.line()),
            message,
        }
    })?;
    let mut reader = Reader::default();
    let catalog = reader.catalog(&root);
    if reader.issues.is_empty() {
        if catalog.label.trim().is_empty() {
            reader.push(&[Key("version")], "must be a non-blank string");
        }
        reader.issues.extend(validate::issues(&catalog));
    }
    if reader.issues.is_empty() {
        return Ok(catalog);
    }
    let issues = reader
        .issues
        .iter()
        .map(|i| CatalogIssue::unlocated(i, CatalogFormat::Json))
        .collect();
    Err(CatalogError::Invalid { issues })
}

/// Reads what it can, recording a located issue for every value of the wrong shape.
#[derive(Default)]
struct Reader {
    issues: Vec<Issue>,
}

impl Reader {
    fn push(&mut self, path: &[Seg], reason: &str) {
        self.issues.push(Issue {
            path: path.to_vec(),
            reason: reason.to_owned(),
        });
    }

    fn catalog(&mut self, root: &Value) -> Catalog {
        let Some(root) = root.as_object() else {
            self.push(&[], "the catalog must be a JSON object");
            return Catalog {
                label: String::new(),
                categories: Vec::new(),
                keywords: Vec::new(),
                phrases: Vec::new(),
                scoring: ScoringRules::default(),
            };
        };
        Catalog {
            label: self.string(root, &[Key("version")]),
            categories: self.list(root, "categories", |r, o, p| Category {
                id: r.string(o, &[p, &[Key("id")]].concat()),
                name: r.string(o, &[p, &[Key("name")]].concat()),
                tier: r.tier(o, &[p, &[Key("tier")]].concat()),
            }),
            keywords: self.list(root, "keywords", |r, o, p| Keyword {
                id: r.string(o, &[p, &[Key("id")]].concat()),
                category_id: r.string(o, &[p, &[Key("category_id")]].concat()),
                canonical: r.string(o, &[p, &[Key("canonical")]].concat()),
                aliases: r.strings(o, &[p, &[Key("aliases")]].concat()),
            }),
            phrases: self.list(root, "phrases", |r, o, p| Phrase {
                id: r.string(o, &[p, &[Key("id")]].concat()),
                phrase: r.string(o, &[p, &[Key("phrase")]].concat()),
                tier: r.tier(o, &[p, &[Key("tier")]].concat()),
            }),
            scoring: self.scoring(root),
        }
    }

    /// The array at `root[key]`, each element an object read by `item`.
    fn list<T>(
        &mut self,
        root: &Map<String, Value>,
        key: &'static str,
        item: impl Fn(&mut Reader, &Map<String, Value>, &[Seg]) -> T,
    ) -> Vec<T> {
        let Some(values) = root.get(key).and_then(Value::as_array) else {
            self.push(&[Key(key)], "must be an array");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            match value.as_object() {
                Some(object) => out.push(item(self, object, &[Key(key), Index(i)])),
                None => self.push(&[Key(key), Index(i)], "must be an object"),
            }
        }
        out
    }

    /// The field named by the path's last key; `categoryId` is the original's spelling of `category_id`.
    fn field<'v>(object: &'v Map<String, Value>, path: &[Seg]) -> Option<&'v Value> {
        match path.last() {
            Some(Key("category_id")) => object.get("categoryId").or_else(|| object.get("category_id")),
            Some(Key(key)) => object.get(*key),
            _ => None,
        }
    }

    fn string(&mut self, object: &Map<String, Value>, path: &[Seg]) -> String {
        match Reader::field(object, path) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => self.wrong(path, "must be a string"),
            None => self.wrong(path, "is required"),
        }
    }

    fn strings(&mut self, object: &Map<String, Value>, path: &[Seg]) -> Vec<String> {
        let Some(values) = Reader::field(object, path).and_then(Value::as_array) else {
            self.push(path, "must be an array of strings");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            match value.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => self.push(&[path, &[Index(i)]].concat(), "must be a string"),
            }
        }
        out
    }

    fn tier(&mut self, object: &Map<String, Value>, path: &[Seg]) -> u8 {
        let tier = Reader::field(object, path).and_then(Value::as_f64);
        match tier {
            Some(t) if [1.0, 2.0, 3.0].contains(&t) => t as u8,
            _ => {
                self.push(path, "tier must be the number 1, 2 or 3");
                0
            }
        }
    }

    fn wrong(&mut self, path: &[Seg], reason: &str) -> String {
        self.push(path, reason);
        String::new()
    }

    /// The original shape has no scoring section; one given here is read like TOML's `[scoring]`.
    fn scoring(&mut self, root: &Map<String, Value>) -> ScoringRules {
        let Some(value) = root.get("scoring") else {
            return ScoringRules::default();
        };
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            self.push(&[Key("scoring")], &e.to_string());
            ScoringRules::default()
        })
    }
}
