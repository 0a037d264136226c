//! Inline and file-wide pragmas in `#` comments:
//! `# devbox-lint ignore=DBX101,DBX103 reason` silences the next instruction/line (or, at the end of
//! a YAML line, that line); `# devbox-lint ignore-file=DBX117 reason` silences the whole file.

use std::ops::Range;

/// The suppressions found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pragmas {
    file_wide: Vec<String>,
    /// Byte ranges and the rules silenced there.
    ranges: Vec<(Range<usize>, Vec<String>)>,
}

impl Pragmas {
    /// Reads pragmas; `escape` is the Dockerfile escape character (continued lines belong to the
    /// instruction), `None` for YAML and .dockerignore.
    pub fn parse(text: &str, escape: Option<char>) -> Pragmas {
        let mut out = Pragmas::default();
        if !text.contains("devbox-lint") {
            return out;
        }
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(0, |pos, l| {
                let start = *pos;
                *pos += l.len();
                Some((start, l))
            })
            .collect();
        for (n, &(start, line)) in lines.iter().enumerate() {
            let Some(at) = line.find("devbox-lint") else {
                continue;
            };
            let Some(hash) = line[..at].rfind('#') else {
                continue;
            };
            if !line[hash + 1..at].trim().is_empty() {
                continue;
            }
            let rest = &line[at + "devbox-lint".len()..];
            let directive = rest.split_whitespace().next().unwrap_or("");
            let (kind, ids) = directive.split_once('=').unwrap_or((directive, ""));
            let ids: Vec<String> = ids
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_ascii_uppercase())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let own_line = line[..hash].trim().is_empty();
            match kind {
                "ignore-file" => out.file_wide.extend(ids),
                "ignore" if !own_line => out.ranges.push((start..start + line.len(), ids)),
                "ignore" => {
                    let target = lines[n + 1..].iter().position(|(_, l)| {
                        let t = l.trim();
                        !t.is_empty() && !t.starts_with('#')
                    });
                    let Some(first) = target.map(|t| n + 1 + t) else {
                        continue;
                    };
                    let mut last = first;
                    if let Some(esc) = escape {
                        while last + 1 < lines.len() && continues(lines[last].1, esc) {
                            last += 1;
                        }
                    }
                    let end = lines[last].0 + lines[last].1.len();
                    out.ranges.push((lines[first].0..end, ids));
                }
                _ => {}
            }
        }
        out
    }

    /// Whether a finding of `rule` starting at `offset` is silenced.
    pub fn silences(&self, rule: &str, offset: usize) -> bool {
        self.file_wide.iter().any(|r| r == rule || r == "ALL")
            || self.ranges.iter().any(|(range, ids)| {
                range.contains(&offset) && ids.iter().any(|r| r == rule || r == "ALL")
            })
    }
}

fn continues(line: &str, escape: char) -> bool {
    let t = line.trim_end();
    t.ends_with(escape) || t.trim_start().starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_covers_the_continued_instruction() {
        let text = "FROM x\n# devbox-lint ignore=DBX103 we want recommends\nRUN apt-get update \\\n && apt-get install -y x\nRUN y\n";
        let p = Pragmas::parse(text, Some('\\'));
        let second_line = text.find("&& apt").unwrap();
        assert!(p.silences("DBX103", second_line));
        assert!(!p.silences("DBX104", second_line));
        assert!(!p.silences("DBX103", text.find("RUN y").unwrap()));
    }

    #[test]
    fn file_wide_and_trailing_yaml() {
        let text = "# devbox-lint ignore-file=DBX117 no port\nservices:\n  a:\n    privileged: true # devbox-lint ignore=DBX201 needed\n";
        let p = Pragmas::parse(text, None);
        assert!(p.silences("DBX117", 0));
        assert!(p.silences("DBX201", text.find("privileged").unwrap()));
        assert!(!p.silences("DBX201", 0));
    }
}
