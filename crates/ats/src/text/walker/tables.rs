//! Table parts: ignored outside a table; inside one, the implied body and row, and a new cell, row or
//! section ending the open one. (Content misplaced in a table keeps its place: no foster parenting.)

use std::borrow::Cow;

use super::Walker;
use super::tags::TABLE_PARTS;

impl<'a> Walker<'a> {
    /// The nearest table part open (the tree builder's insertion mode, roughly).
    pub(super) fn table_mode(&self) -> Option<String> {
        let open = self.stack.iter().rev().map(|(n, _)| &**n);
        open.into_iter()
            .find(|n| TABLE_PARTS.contains(n))
            .map(str::to_owned)
    }

    pub(super) fn in_table_scope(&self, name: &str) -> bool {
        for (open, _) in self.stack.iter().rev() {
            if open == name {
                return true;
            }
            if matches!(&**open, "html" | "table" | "template") {
                return false;
            }
        }
        false
    }

    /// A table part's start tag: ignored outside a table; else the implied body and row, or the open cell
    /// or row ended first.
    pub(super) fn start_table_part(&mut self, name: Cow<'a, str>, mode: Option<&str>) {
        let Some(mode) = mode else {
            return;
        };
        let cell = matches!(&*name, "td" | "th");
        if matches!(mode, "td" | "th") {
            // A new cell, row or section ends the cell.
            for open in ["td", "th"] {
                if self.in_table_scope(open) {
                    self.generate_implied("");
                    self.pop_until(open);
                    return self.start(name);
                }
            }
            self.push(name);
            return;
        }
        match (&*name, mode) {
            ("caption" | "colgroup" | "col", _) => {
                self.push(name);
            }
            ("tbody" | "thead" | "tfoot", "tr") => {
                self.pop_until("tr");
                self.start(name);
            }
            ("tr", "table") => {
                self.push("tbody".into());
                self.push(name);
            }
            ("tr", "tr") => {
                self.pop_until("tr");
                self.start(name);
            }
            (_, "table") if cell => {
                self.push("tbody".into());
                self.push("tr".into());
                self.push(name);
            }
            (_, "tbody" | "thead" | "tfoot") if cell => {
                self.push("tr".into());
                self.push(name);
            }
            _ => {
                self.push(name);
            }
        }
    }
}
