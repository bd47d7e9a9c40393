//! The open elements of the tree builder's "in body" rules, as far as they decide where a block starts and
//! ends: a `<p>` closed by the next block, `</p>` without a `<p>`, list items and headings closing each
//! other, end tags of elements not open ignored, table parts inside tables only, and the formatting
//! elements (`b`, `em`, `a`, ...) a block end closed re-opened before the next text (so that a heading
//! after them nests instead of ending the open one). Each block's start and end is a line break in `out`.
//! Not followed: foster parenting (content misplaced inside a table keeps its place) and the full
//! adoption agency for misnested formatting elements.

use std::borrow::Cow;

mod formatting;
mod tables;
mod tags;

pub(super) use tags::BLOCKS;
use tags::*;

/// An open element: its name and which one it is.
type Open<'a> = (Cow<'a, str>, u32);

/// Open elements, the active formatting elements, and the text with a line break at each block's edges.
pub(super) struct Walker<'a> {
    pub out: String,
    stack: Vec<Open<'a>>,
    /// Formatting elements opened and not yet closed by their end tag; `None` is a scope marker.
    active: Vec<Option<Open<'a>>>,
    /// The form element pointer: a second `<form>` is ignored while it is set.
    form: Option<u32>,
    next_id: u32,
}

impl<'a> Walker<'a> {
    pub fn new(capacity: usize) -> Walker<'a> {
        Walker {
            out: String::with_capacity(capacity),
            stack: Vec::new(),
            active: Vec::new(),
            form: None,
            next_id: 0,
        }
    }

    /// Text in the body: the formatting elements it belongs in are re-opened first.
    pub fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.reconstruct();
            self.out.push_str(text);
        }
    }

    fn block_edge(&mut self, name: &str) {
        if BLOCKS.contains(&name) {
            self.out.push('\n');
        }
    }

    fn push(&mut self, name: Cow<'a, str>) -> u32 {
        self.block_edge(&name);
        if name == "li" {
            self.out.push_str("- ");
        }
        if name == "br" {
            self.out.push('\n');
        }
        self.next_id += 1;
        if MARKERS.contains(&&*name) {
            self.active.push(None);
        }
        if !VOID.contains(&&*name) {
            self.stack.push((name, self.next_id));
        }
        self.next_id
    }

    fn pop(&mut self) -> Option<Cow<'a, str>> {
        let (name, _) = self.stack.pop()?;
        self.block_edge(&name);
        if MARKERS.contains(&&*name) {
            while let Some(Some(_)) = self.active.pop() {}
        }
        Some(name)
    }

    /// Pops up to and including the nearest `name`.
    fn pop_until(&mut self, name: &str) {
        while let Some(popped) = self.pop() {
            if popped == name {
                return;
            }
        }
    }

    fn current(&self) -> Option<&str> {
        self.stack.last().map(|(n, _)| &**n)
    }

    fn is_open(&self, id: u32) -> bool {
        self.stack.iter().any(|&(_, open)| open == id)
    }

    /// Whether `name` is open with no scope boundary above it (`extra` boundaries besides the default).
    fn in_scope(&self, name: &str, extra: &[&str]) -> bool {
        const DEFAULT: [&str; 10] = [
            "applet", "caption", "html", "table", "td", "th", "marquee", "object", "select", "template",
        ];
        for (open, _) in self.stack.iter().rev() {
            if open == name {
                return true;
            }
            if DEFAULT.contains(&&**open) || extra.contains(&&**open) {
                return false;
            }
        }
        false
    }

    fn generate_implied(&mut self, except: &str) {
        while let Some(current) = self.current() {
            if current == except || !IMPLIED.contains(&current) {
                return;
            }
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if self.in_scope("p", &["button"]) {
            self.generate_implied("p");
            self.pop_until("p");
        }
    }

    /// A start tag (the element's text, if any, follows through [`text`](Self::text) or is raw).
    pub fn start(&mut self, name: Cow<'a, str>) {
        let mode = self.table_mode();
        if TABLE_PARTS.contains(&&*name) && name != "table" {
            return self.start_table_part(name, mode.as_deref());
        }
        match &*name {
            "html" | "body" | "head" | "frameset" => {}
            "table"
                if matches!(
                    mode.as_deref(),
                    Some("table" | "tbody" | "thead" | "tfoot" | "tr")
                ) =>
            {
                // A table where a row or cell is expected ends the open one.
                self.pop_until("table");
                self.start(name);
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                let found = self.stack.iter().rev().map(|(n, _)| &**n).find(|n| {
                    closes.contains(n) || (SPECIAL.contains(n) && !matches!(*n, "address" | "div" | "p"))
                });
                if let Some(open) = found.filter(|n| closes.contains(n)).map(str::to_owned) {
                    self.generate_implied(&open);
                    self.pop_until(&open);
                }
                self.close_p();
                self.push(name);
            }
            n if HEADINGS.contains(&n) => {
                self.close_p();
                if self.current().is_some_and(|c| HEADINGS.contains(&c)) {
                    self.pop();
                }
                self.push(name);
            }
            "button" => {
                if self.in_scope("button", &[]) {
                    self.generate_implied("");
                    self.pop_until("button");
                }
                self.reconstruct();
                self.push(name);
            }
            n if FORMATTING.contains(&n) => {
                // A link inside a link, or a `nobr` in a `nobr`, ends the first.
                let nested = match n {
                    "a" => self.active_entry("a").is_some(),
                    "nobr" => self.in_scope("nobr", &[]),
                    _ => false,
                };
                if nested {
                    self.reconstruct();
                    self.end_formatting(n);
                }
                self.reconstruct();
                self.push_formatting(name);
            }
            // One form at a time.
            "form" if self.form.is_some() => {}
            "form" => {
                self.close_p();
                self.form = Some(self.push(name));
            }
            // A select in a select ends the first.
            "select" if self.in_scope("select", &[]) => self.pop_until("select"),
            "input" | "option" | "optgroup" => {
                let select = self.in_scope("select", &[]);
                match &*name {
                    "input" if select => self.pop_until("select"),
                    "option" if select => self.generate_implied("optgroup"),
                    "optgroup" if select => self.generate_implied(""),
                    "option" | "optgroup" if self.current() == Some("option") => {
                        self.pop();
                    }
                    _ => {}
                }
                self.reconstruct();
                self.push(name);
            }
            "hr" => {
                self.close_p();
                if self.in_scope("select", &[]) {
                    self.generate_implied("");
                }
                self.push(name);
            }
            n if CLOSE_P.contains(&n) => {
                self.close_p();
                if n == "xmp" {
                    self.reconstruct();
                }
                self.push(name);
            }
            n if NO_RECONSTRUCT.contains(&n) => {
                self.push(name);
            }
            _ => {
                self.reconstruct();
                self.push(name);
            }
        }
    }

    /// Any other end tag: closes the nearest open element of its name unless a special element is open
    /// above it.
    fn end_other(&mut self, name: &str) {
        for (open, _) in self.stack.iter().rev() {
            if open == name {
                self.generate_implied(name);
                self.pop_until(name);
                return;
            }
            if SPECIAL.contains(&&**open) {
                return;
            }
        }
    }

    pub fn end(&mut self, name: &str) {
        match name {
            "p" => {
                if self.in_scope("p", &["button"]) {
                    self.generate_implied("p");
                    self.pop_until("p");
                } else {
                    // An empty paragraph.
                    self.out.push_str("\n\n");
                }
            }
            "br" => {
                self.reconstruct();
                self.out.push_str("\n\n");
            }
            "body" | "html" => {}
            "form" => {
                let Some(form) = self.form.take() else {
                    return;
                };
                let at = self.stack.iter().position(|&(_, id)| id == form);
                if let Some(at) = at.filter(|_| self.in_scope("form", &[])) {
                    self.generate_implied("");
                    self.stack.remove(at);
                }
            }
            "li" => {
                if self.in_scope("li", &["ol", "ul"]) {
                    self.generate_implied("li");
                    self.pop_until("li");
                }
            }
            n if matches!(n, "dd" | "dt") || END_IN_SCOPE.contains(&n) => {
                if self.in_scope(n, &[]) {
                    self.generate_implied(n);
                    self.pop_until(n);
                }
            }
            n if HEADINGS.contains(&n) => {
                if HEADINGS.iter().any(|h| self.in_scope(h, &[])) {
                    self.generate_implied("");
                    while let Some(popped) = self.pop() {
                        if HEADINGS.contains(&&*popped) {
                            break;
                        }
                    }
                }
            }
            n if TABLE_PARTS.contains(&n) => {
                if self.in_table_scope(n) {
                    self.generate_implied("");
                    self.pop_until(n);
                }
            }
            n if FORMATTING.contains(&n) => self.end_formatting(n),
            n => self.end_other(n),
        }
    }
}
