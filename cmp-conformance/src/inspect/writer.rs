//! An indented text tree: one field per line, two spaces per level.

use std::fmt::{Display, Write};

/// Collects the lines of a tree dump.
#[derive(Debug, Default)]
pub struct TreeWriter {
    out: String,
    depth: usize,
}

impl TreeWriter {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// A line at the current depth.
    pub fn line(&mut self, text: impl Display) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        // Writing to a String cannot fail.
        let _ = writeln!(self.out, "{text}");
    }

    /// A `key: value` line.
    pub fn field(&mut self, key: &str, value: impl Display) {
        self.line(format_args!("{key}: {value}"));
    }

    /// A `key: value` line when `value` is present.
    pub fn opt_field<T: Display>(&mut self, key: &str, value: Option<T>) {
        if let Some(v) = value {
            self.field(key, v);
        }
    }

    /// A heading line, then whatever `children` writes one level deeper.
    pub fn nest(&mut self, heading: impl Display, children: impl FnOnce(&mut Self)) {
        self.line(heading);
        self.depth += 1;
        children(self);
        self.depth -= 1;
    }

    /// Every line written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_children() {
        let mut w = TreeWriter::new();
        w.nest("a", |w| {
            w.field("b", 1);
            w.nest("c", |w| w.opt_field("d", Some("x")));
            w.opt_field::<u8>("e", None);
        });
        assert_eq!(w.finish(), "a\n  b: 1\n  c\n    d: x\n");
    }
}
