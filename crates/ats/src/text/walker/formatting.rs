//! The active formatting elements (`b`, `em`, `a`, ...): re-opened before text after a block end closed
//! them, at most three of a kind, and closed by their end tag as far as the adoption agency decides what
//! stays open.

use std::borrow::Cow;

use super::Walker;
use super::tags::SPECIAL;

impl<'a> Walker<'a> {
    /// Re-opens the active formatting elements a block end closed, in their order.
    pub(super) fn reconstruct(&mut self) {
        let reopen = self
            .active
            .iter()
            .rposition(|e| e.as_ref().is_none_or(|(_, id)| self.is_open(*id)))
            .map_or(0, |i| i + 1);
        for i in reopen..self.active.len() {
            if let Some((name, _)) = self.active[i].clone() {
                let id = self.push(name.clone());
                self.active[i] = Some((name, id));
            }
        }
    }

    /// The last active formatting element named `name` since the last marker: (its place in the list, id).
    pub(super) fn active_entry(&self, name: &str) -> Option<(usize, u32)> {
        for (i, entry) in self.active.iter().enumerate().rev() {
            match entry {
                None => return None,
                Some((n, id)) if n == name => return Some((i, *id)),
                Some(_) => {}
            }
        }
        None
    }

    pub(super) fn push_formatting(&mut self, name: Cow<'a, str>) {
        // At most three of a kind since the last marker: the earliest goes.
        let marker = self.active.iter().rposition(Option::is_none).map_or(0, |i| i + 1);
        let same: Vec<usize> = (marker..self.active.len())
            .filter(|&i| self.active[i].as_ref().is_some_and(|(n, _)| *n == name))
            .collect();
        if same.len() >= 3 {
            self.active.remove(same[0]);
        }
        let id = self.push(name.clone());
        self.active.push(Some((name, id)));
    }

    /// A formatting element's end tag (the adoption agency, as far as the open elements go): inline
    /// elements opened inside it end with it; blocks opened inside it stay open, with the formatting
    /// elements around them.
    pub(super) fn end_formatting(&mut self, name: &str) {
        let Some((index, id)) = self.active_entry(name) else {
            return self.end_other(name);
        };
        let Some(at) = self.stack.iter().position(|&(_, open)| open == id) else {
            self.active.remove(index);
            return;
        };
        const BOUNDARIES: [&str; 10] = [
            "applet", "caption", "html", "table", "td", "th", "marquee", "object", "select", "template",
        ];
        if self.stack[at + 1..]
            .iter()
            .any(|(n, _)| BOUNDARIES.contains(&&**n))
        {
            return;
        }
        self.active.remove(index);
        match self.stack.iter().rposition(|(n, _)| SPECIAL.contains(&&**n)) {
            Some(last) if last > at => {
                self.stack.truncate(last + 1);
                let active: Vec<u32> = self.active.iter().flatten().map(|&(_, id)| id).collect();
                let mut i = at + 1;
                while i < self.stack.len() {
                    let (n, open) = &self.stack[i];
                    if SPECIAL.contains(&&**n) || active.contains(open) {
                        i += 1;
                    } else {
                        self.stack.remove(i);
                    }
                }
                self.stack.remove(at);
            }
            _ => self.stack.truncate(at),
        }
    }
}
