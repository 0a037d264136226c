//! Byte offset ↔ line/column conversion for findings and snippets, and the stable hash of a
//! line's text that fingerprints a finding.

/// Start offsets of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line and column (columns count characters, as editors and SARIF expect).
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }

    /// Byte range of a 1-based line, without its newline.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.len);
        let end = self.starts.get(line).map_or(self.len, |&n| n - 1);
        let end = if text.as_bytes().get(end.saturating_sub(1)) == Some(&b'\r') && end > start {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 1-based line an offset is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset.min(self.len))
            .max(1)
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.len)
    }
}

/// FNV-1a, 64 bits: fingerprints must not change between Rust releases, as `DefaultHasher`'s may.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The hash of a line's text with runs of whitespace made one space and the ends trimmed.
pub fn line_hash(line: &str) -> u64 {
    let mut h = Fnv::default();
    for (i, word) in line.split_whitespace().enumerate() {
        if i > 0 {
            h.write(b" ");
        }
        h.write(word.as_bytes());
    }
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_lines() {
        let text = "ab\ncdé\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 4), (2, 2));
        assert_eq!(idx.position(text, text.len()), (4, 2));
        assert_eq!(&text[idx.line_range(text, 2)], "cdé");
        assert_eq!(idx.line_range(text, 3), 8..8);
        assert_eq!(idx.line_count(), 4);
    }
}
