//! The few lines around one finding as miette source code, numbered and offset as in the whole
//! file. miette finds a span by scanning its source from the start, so handing it the whole
//! file for every finding made `devbox lint` quadratic (a 200 KB Dockerfile took seconds).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines kept on each side of the span (the handler shows one).
const CONTEXT: usize = 2;

pub struct Excerpt {
    name: String,
    text: String,
    /// Byte offset of `text` in the file.
    start: usize,
    /// 0-based line number of `text`'s first line in the file.
    first_line: usize,
}

impl Excerpt {
    /// The lines of `file` around `start..end`, `line` being the 1-based line of `start`.
    pub fn new(name: &str, file: &str, start: usize, end: usize, line: usize) -> Self {
        let start = floor_boundary(file, start.min(file.len()));
        let end = floor_boundary(file, end.clamp(start, file.len()));
        let mut from = file[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut first_line = line.saturating_sub(1);
        for _ in 0..CONTEXT {
            if from == 0 {
                break;
            }
            from = file[..from - 1].rfind('\n').map_or(0, |i| i + 1);
            first_line = first_line.saturating_sub(1);
        }
        let mut to = end;
        for _ in 0..=CONTEXT {
            match file[to..].find('\n') {
                Some(i) => to += i + 1,
                None => {
                    to = file.len();
                    break;
                }
            }
        }
        Self {
            name: name.to_owned(),
            text: file[from..to].to_owned(),
            start: from,
            first_line,
        }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span
            .offset()
            .saturating_sub(self.start)
            .min(self.text.len());
        let local = SourceSpan::new(offset.into(), span.len());
        let inner = self
            .text
            .read_span(&local, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new(
            (inner.span().offset() + self.start).into(),
            inner.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            shifted,
            inner.line() + self.first_line,
            inner.column(),
            // miette counts the newlines from the start of its source here, not the lines shown.
            inner.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_reads_like_the_whole_file() {
        let file: String = (1..=50).map(|i| format!("RUN echo {i}\n")).collect();
        let start = file.find("RUN echo 30").unwrap();
        let span = SourceSpan::new(start.into(), 11);
        let whole = file.as_str().read_span(&span, 1, 1).unwrap();
        let excerpt = Excerpt::new("Dockerfile", &file, start, start + 11, 30);
        let part = excerpt.read_span(&span, 1, 1).unwrap();
        assert_eq!(part.data(), whole.data());
        assert_eq!(part.span(), whole.span());
        assert_eq!(
            (part.line(), part.column(), part.line_count()),
            (whole.line(), whole.column(), whole.line_count())
        );
        assert_eq!(part.name(), Some("Dockerfile"));
    }

    #[test]
    fn spans_at_the_edges_of_the_file() {
        let file = "FROM a\nRUN b";
        for (start, end, line) in [(0, 4, 1), (7, 12, 2), (12, 12, 2)] {
            let span = SourceSpan::new(start.into(), end - start);
            let whole = file.read_span(&span, 1, 1).unwrap();
            let part = Excerpt::new("f", file, start, end, line);
            let part = part.read_span(&span, 1, 1).unwrap();
            assert_eq!((part.data(), part.line()), (whole.data(), whole.line()));
        }
    }
}
