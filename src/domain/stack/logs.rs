//! Log lines of every container, each in its own bounded ring, merged on demand by arrival
//! order. Only the lines a view needs are visited, so a container that printed a million lines
//! costs no more than one that printed a thousand.

use std::collections::BTreeMap;

use super::ring::Ring;

/// Lines kept per container; older ones are dropped (and counted).
pub const LINES_PER_CONTAINER: usize = 5000;

/// One log line as it arrived. `text` keeps its ANSI escapes; views strip or render them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Arrival order across all containers.
    pub seq: u64,
    /// The engine's RFC 3339 timestamp, when logs were asked for with timestamps.
    pub timestamp: Option<String>,
    pub text: String,
    pub stderr: bool,
}

#[derive(Debug, Clone)]
struct Buffer {
    service: String,
    lines: Ring<LogLine>,
    dropped: u64,
}

/// Which lines a view shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogQuery<'a> {
    /// Only this service's containers; all when `None`.
    pub service: Option<&'a str>,
    /// Only lines containing this text (ANSI escapes ignored, case-insensitive); all when empty.
    pub filter: &'a str,
    /// Only lines at or before this arrival number (a paused or scrolled view); newest when `None`.
    pub until: Option<u64>,
}

/// A line found by a query, with the service it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub service: &'a str,
    pub container: &'a str,
    pub line: &'a LogLine,
}

#[derive(Debug, Clone)]
pub struct LogStore {
    buffers: BTreeMap<String, Buffer>,
    next_seq: u64,
    cap: usize,
}

impl Default for LogStore {
    fn default() -> Self {
        Self::with_capacity(LINES_PER_CONTAINER)
    }
}

impl LogStore {
    pub fn with_capacity(lines_per_container: usize) -> Self {
        Self {
            buffers: BTreeMap::new(),
            next_seq: 1,
            cap: lines_per_container,
        }
    }

    /// Appends a line for `container` (of `service`) and returns its arrival number.
    pub fn push(
        &mut self,
        container: &str,
        service: &str,
        timestamp: Option<String>,
        text: String,
        stderr: bool,
    ) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let cap = self.cap;
        let buffer = self
            .buffers
            .entry(container.to_owned())
            .or_insert_with(|| Buffer {
                service: service.to_owned(),
                lines: Ring::new(cap),
                dropped: 0,
            });
        if buffer
            .lines
            .push(LogLine {
                seq,
                timestamp,
                text,
                stderr,
            })
            .is_some()
        {
            buffer.dropped += 1;
        }
        seq
    }

    /// The newest arrival number, 0 before any line.
    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    /// The last timestamp seen for a container, so a re-attached stream can resume after it.
    pub fn last_timestamp(&self, container: &str) -> Option<&str> {
        self.buffers
            .get(container)?
            .lines
            .last()?
            .timestamp
            .as_deref()
    }

    /// Lines dropped from full rings, over all containers.
    pub fn dropped(&self) -> u64 {
        self.buffers.values().map(|b| b.dropped).sum()
    }

    /// Lines held now, over all containers.
    pub fn len(&self) -> usize {
        self.buffers.values().map(|b| b.lines.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Up to `count` matching lines ending at the newest match (at or before `query.until`),
    /// oldest first. Walks the rings backwards, merging by arrival number.
    pub fn tail<'a>(&'a self, query: &LogQuery<'_>, count: usize) -> Vec<Found<'a>> {
        let mut found = self.walk_back(query, count, 0);
        found.reverse();
        found
    }

    /// The arrival number `lines` matching lines before the newest match at or before
    /// `query.until`: where a view scrolled up by `lines` is anchored. `None` when there are
    /// fewer lines than that (the view is already at the top).
    pub fn seq_back(&self, query: &LogQuery<'_>, lines: usize) -> Option<u64> {
        self.walk_back(query, 1, lines).first().map(|f| f.line.seq)
    }

    /// The arrival number `lines` matching lines after `from`, or `None` past the newest.
    pub fn seq_forward(&self, query: &LogQuery<'_>, from: u64, lines: usize) -> Option<u64> {
        let mut seqs: Vec<u64> = self
            .buffers
            .values()
            .filter(|b| query.service.is_none_or(|s| s == b.service))
            .flat_map(|b| {
                let start = b
                    .lines
                    .iter()
                    .position(|l| l.seq > from)
                    .unwrap_or(b.lines.len());
                b.lines
                    .iter()
                    .skip(start)
                    .filter(|l| matches(l, query.filter))
                    .take(lines)
                    .map(|l| l.seq)
            })
            .collect();
        seqs.sort_unstable();
        seqs.get(lines.checked_sub(1)?).copied()
    }

    fn walk_back<'a>(&'a self, query: &LogQuery<'_>, count: usize, skip: usize) -> Vec<Found<'a>> {
        let until = query.until.unwrap_or(u64::MAX);
        // One cursor per ring: the index of the next line to look at, walking backwards.
        let mut cursors: Vec<(&str, &Buffer, usize)> = self
            .buffers
            .iter()
            .filter(|(_, b)| query.service.is_none_or(|s| s == b.service))
            .map(|(id, b)| {
                let end = b
                    .lines
                    .iter()
                    .rposition(|l| l.seq <= until)
                    .map_or(0, |i| i + 1);
                (id.as_str(), b, end)
            })
            .collect();
        let mut out = Vec::with_capacity(count.min(4096));
        let mut skipped = 0;
        while out.len() < count {
            let mut best: Option<(usize, u64)> = None;
            for (i, (_, b, end)) in cursors.iter().enumerate() {
                if *end > 0
                    && let Some(line) = b.lines.get(end - 1)
                    && best.is_none_or(|(_, seq)| line.seq > seq)
                {
                    best = Some((i, line.seq));
                }
            }
            let Some((i, _)) = best else { break };
            let (container, buffer, end) = &mut cursors[i];
            *end -= 1;
            let Some(line) = buffer.lines.get(*end) else {
                break;
            };
            if !matches(line, query.filter) {
                continue;
            }
            if skipped < skip {
                skipped += 1;
                continue;
            }
            out.push(Found {
                service: &buffer.service,
                container,
                line,
            });
        }
        out
    }
}

fn matches(line: &LogLine, filter: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let plain = strip_ansi(&line.text).to_lowercase();
    plain.contains(&filter.to_lowercase())
}

/// The text without ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, and
/// two-byte escapes), for searching and for `NO_COLOR`.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> LogStore {
        let mut s = LogStore::with_capacity(3);
        s.push("web-1", "web", None, "web a".into(), false);
        s.push("db-1", "db", None, "db b".into(), false);
        s.push(
            "web-1",
            "web",
            None,
            "\u{1b}[31mweb ERROR c\u{1b}[0m".into(),
            true,
        );
        s.push("db-1", "db", None, "db d".into(), false);
        s
    }

    fn texts(found: &[Found<'_>]) -> Vec<String> {
        found.iter().map(|f| strip_ansi(&f.line.text)).collect()
    }

    #[test]
    fn merges_rings_by_arrival_order() {
        let s = store();
        let all = s.tail(&LogQuery::default(), 10);
        assert_eq!(texts(&all), vec!["web a", "db b", "web ERROR c", "db d"]);
        assert_eq!(
            texts(&s.tail(&LogQuery::default(), 2)),
            vec!["web ERROR c", "db d"]
        );
    }

    #[test]
    fn filters_by_service_text_and_anchor() {
        let s = store();
        let web = LogQuery {
            service: Some("web"),
            ..LogQuery::default()
        };
        assert_eq!(texts(&s.tail(&web, 10)), vec!["web a", "web ERROR c"]);
        let error = LogQuery {
            filter: "error",
            ..LogQuery::default()
        };
        assert_eq!(texts(&s.tail(&error, 10)), vec!["web ERROR c"]);
        let paused = LogQuery {
            until: Some(2),
            ..LogQuery::default()
        };
        assert_eq!(texts(&s.tail(&paused, 10)), vec!["web a", "db b"]);
    }

    #[test]
    fn scrolling_moves_the_anchor_by_matching_lines() {
        let s = store();
        let q = LogQuery::default();
        assert_eq!(s.seq_back(&q, 1), Some(3));
        assert_eq!(s.seq_back(&q, 3), Some(1));
        assert_eq!(s.seq_back(&q, 4), None);
        assert_eq!(s.seq_forward(&q, 1, 2), Some(3));
        assert_eq!(s.seq_forward(&q, 3, 5), None);
    }

    #[test]
    fn rings_are_bounded_and_count_drops() {
        let mut s = LogStore::with_capacity(100);
        for i in 0..1_000_000u32 {
            s.push("noisy-1", "noisy", None, format!("line {i}"), false);
        }
        assert_eq!(s.len(), 100);
        assert_eq!(s.dropped(), 999_900);
        let last = s.tail(&LogQuery::default(), 1);
        assert_eq!(last[0].line.text, "line 999999");
    }

    #[test]
    fn strips_csi_and_osc_sequences() {
        assert_eq!(strip_ansi("\u{1b}[1;32mok\u{1b}[0m done"), "ok done");
        assert_eq!(strip_ansi("\u{1b}]0;title\u{7}x"), "x");
        assert_eq!(strip_ansi("\u{1b}]8;;http://a\u{1b}\\link"), "link");
    }
}
