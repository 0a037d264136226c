//! One `.dockerignore` pattern, compiled and matched exactly like moby/patternmatcher: `*`/`?`
//! never cross `/`, `**` spans directories, `[...]` classes follow Go regexp (`[^x]` negates,
//! `[!x]` contains `!`), `\` escapes, and the exact/prefix/suffix fast paths keep their quirks.

/// Why a pattern could not be compiled (Go's `filepath.ErrBadPattern` cases, plus `!` alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternSyntax {
    /// A `!` with nothing after it.
    LoneExclamation,
    /// `[` without its closing `]`.
    UnclosedClass,
    /// `[]`, `[^]`, a range missing an end, or a class starting with `-`.
    BadClass,
    /// A range whose start is after its end (`[z-a]`).
    BadRange,
    /// A `\` as the last character.
    TrailingBackslash,
}

impl PatternSyntax {
    /// The text Docker prints for the same mistake.
    pub fn docker_message(&self) -> &'static str {
        match self {
            PatternSyntax::LoneExclamation => "illegal exclusion pattern: \"!\"",
            PatternSyntax::BadRange => "invalid character class range",
            _ => "syntax error in pattern",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `*`: any run of non-`/` characters.
    Star,
    /// `?`: one non-`/` character.
    Quest,
    /// `[...]`, which (as in Go regexp) may match `/`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// `**` followed by more pattern: `(.*/)?`.
    AnyDirs,
    /// `**` at the end: `.*`.
    AnyTail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

/// A compiled pattern. `text` is the cleaned pattern without its `!`.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub(crate) text: String,
    pub(crate) exclusion: bool,
    kind: Kind,
    toks: Vec<Tok>,
}

impl Pattern {
    /// Compiles an already-cleaned pattern (see `ignore::clean_line`).
    pub fn compile(text: &str, exclusion: bool) -> Result<Pattern, PatternSyntax> {
        let chars: Vec<char> = text.chars().collect();
        let mut toks = Vec::new();
        let mut kind = Kind::Exact;
        let mut i = 0;
        let mut tok_index = 0;
        while i < chars.len() {
            let ch = chars[i];
            i += 1;
            match ch {
                '*' if chars.get(i) == Some(&'*') => {
                    i += 1;
                    if chars.get(i) == Some(&'/') {
                        i += 1;
                    }
                    if i >= chars.len() {
                        // patternmatcher: a literal prefix then `**` is a prefix test.
                        kind = if kind == Kind::Exact {
                            Kind::Prefix
                        } else {
                            Kind::Regex
                        };
                        toks.push(Tok::AnyTail);
                    } else {
                        kind = Kind::Regex;
                        toks.push(Tok::AnyDirs);
                    }
                    if tok_index == 0 {
                        kind = Kind::Suffix;
                    }
                }
                '*' => {
                    kind = Kind::Regex;
                    toks.push(Tok::Star);
                }
                '?' => {
                    kind = Kind::Regex;
                    toks.push(Tok::Quest);
                }
                '\\' => {
                    let next = chars.get(i).ok_or(PatternSyntax::TrailingBackslash)?;
                    i += 1;
                    kind = Kind::Regex;
                    toks.push(Tok::Lit(*next));
                }
                '[' => {
                    let (tok, used) = parse_class(&chars[i..])?;
                    i += used;
                    kind = Kind::Regex;
                    toks.push(tok);
                }
                other => toks.push(Tok::Lit(other)),
            }
            tok_index += 1;
        }
        Ok(Pattern {
            text: text.to_string(),
            exclusion,
            kind,
            toks,
        })
    }

    /// Whether this pattern alone matches `path` (slash-separated, relative, cleaned).
    pub fn matches(&self, path: &str) -> bool {
        match self.kind {
            Kind::Exact => path == self.text,
            Kind::Prefix => path.starts_with(self.text.get(..self.text.len() - 2).unwrap_or("")),
            Kind::Suffix => {
                let suffix = self.text.get(2..).unwrap_or("");
                if path.ends_with(suffix) {
                    return true;
                }
                // `**/foo` also matches a top-level `foo`.
                suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Regex => {
                let chars: Vec<char> = path.chars().collect();
                match_toks(&self.toks, &chars)
            }
        }
    }
}

/// Parses a class after its `[`; returns the token and how many chars it used (incl. `]`).
fn parse_class(chars: &[char]) -> Result<(Tok, usize), PatternSyntax> {
    let mut i = 0;
    let negated = chars.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        match chars.get(i) {
            None => return Err(PatternSyntax::UnclosedClass),
            Some(']') if !ranges.is_empty() => return Ok((Tok::Class { negated, ranges }, i + 1)),
            _ => {}
        }
        let (lo, used) = class_char(&chars[i..])?;
        i += used;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            let (end, used) = class_char(&chars[i + 1..])?;
            i += 1 + used;
            if end < lo {
                return Err(PatternSyntax::BadRange);
            }
            hi = end;
        }
        ranges.push((lo, hi));
    }
}

/// One character inside a class, as Go's `getEsc` reads it.
fn class_char(chars: &[char]) -> Result<(char, usize), PatternSyntax> {
    match chars.first() {
        None => Err(PatternSyntax::UnclosedClass),
        Some('-') | Some(']') => Err(PatternSyntax::BadClass),
        Some('\\') => match chars.get(1) {
            Some(c) => Ok((*c, 2)),
            None => Err(PatternSyntax::UnclosedClass),
        },
        Some(c) => Ok((*c, 1)),
    }
}

/// Anchored match of tokens against the whole path, by dynamic programming over (token, path
/// position): time tokens × path, memory two rows. Backtracking was exponential in the number
/// of `*` (a fuzzed `.dockerignore` line of 47 stars hung the matcher).
fn match_toks(toks: &[Tok], path: &[char]) -> bool {
    let len = path.len();
    // `next[j]`: the tokens after the current one match `path[j..]`.
    let mut next: Vec<bool> = (0..=len).map(|j| j == len).collect();
    let mut row = vec![false; len + 1];
    for tok in toks.iter().rev() {
        match tok {
            Tok::AnyTail => row.iter_mut().for_each(|cell| *cell = true),
            Tok::Star => {
                row[len] = next[len];
                for j in (0..len).rev() {
                    row[j] = next[j] || (path[j] != '/' && row[j + 1]);
                }
            }
            Tok::AnyDirs => {
                // `(.*/)?`: nothing, or any prefix ending in `/`.
                let mut after_slash = false;
                row[len] = next[len];
                for j in (0..len).rev() {
                    after_slash |= path[j] == '/' && next[j + 1];
                    row[j] = next[j] || after_slash;
                }
            }
            Tok::Lit(_) | Tok::Quest | Tok::Class { .. } => {
                row[len] = false;
                for j in 0..len {
                    row[j] = next[j + 1] && one(tok, path[j]);
                }
            }
        }
        std::mem::swap(&mut row, &mut next);
    }
    next[0]
}

/// Whether a one-character token takes `c`.
fn one(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Lit(l) => *l == c,
        Tok::Quest => c != '/',
        Tok::Class { negated, ranges } => {
            ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
        }
        Tok::Star | Tok::AnyDirs | Tok::AnyTail => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        Pattern::compile(pattern, false).unwrap().matches(path)
    }

    #[test]
    fn star_and_question_stay_within_a_segment() {
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "d/a.txt"));
        assert!(m("*/foo", "x/foo"));
        assert!(!m("*/foo", "foo"));
        assert!(m("a?.log", "a!.log"));
        assert!(!m("a?c", "a/c"));
        assert!(m("*", ".env"));
    }

    #[test]
    fn double_star_forms() {
        assert!(m("**/foo", "foo"));
        assert!(m("**/foo", "x/y/foo"));
        assert!(!m("**/foo", "xfoo"));
        assert!(m("**", "anything/at/all"));
        assert!(m("src/**", "src/a"));
        assert!(!m("src/**", "src"));
        assert!(m("src/**/*.js", "src/app.js"));
        assert!(m("src/**/*.js", "src/test/app_test.js"));
        assert!(!m("src/**/*.js", "src/app.ts"));
        assert!(m("**/*.txt", "a.txt"));
        assert!(m("a/**/b", "a/b"));
        assert!(m("a/**/b", "a/x/y/b"));
        // patternmatcher's suffix fast path: `**foo` is a plain suffix test.
        assert!(m("**foo", "barfoo"));
    }

    #[test]
    fn classes_follow_go_regexp() {
        assert!(m("a[!b].log", "a!.log"));
        assert!(m("a[!b].log", "ab.log"));
        assert!(!m("a[!b].log", "a1.log"));
        assert!(m("a[^b].log", "a1.log"));
        assert!(!m("a[^b].log", "ab.log"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[a-c]x", "dx"));
        assert!(m("\\!bang.txt", "!bang.txt"));
        assert!(m("f(1).txt", "f(1).txt"));
        assert!(!m("f(1).txt", "f1.txt"));
    }

    #[test]
    fn bad_patterns_are_rejected() {
        assert_eq!(
            Pattern::compile("[", false).unwrap_err(),
            PatternSyntax::UnclosedClass
        );
        assert_eq!(
            Pattern::compile("a\\", false).unwrap_err(),
            PatternSyntax::TrailingBackslash
        );
        assert_eq!(
            Pattern::compile("[]a]", false).unwrap_err(),
            PatternSyntax::BadClass
        );
        assert_eq!(
            Pattern::compile("[z-a]", false).unwrap_err(),
            PatternSyntax::BadRange
        );
        assert!(Pattern::compile("[a-]", false).is_err());
    }

    /// Found by the dockerignore fuzz target: many stars took exponential time.
    #[test]
    fn many_stars_match_in_linear_time() {
        let stars = "*".repeat(201);
        let p = Pattern::compile(&format!("{stars}.)"), false).unwrap();
        assert!(!p.matches(&"a".repeat(5000)));
        assert!(p.matches("abc.)"));
        assert!(p.matches("x/y/abc.)"));
        assert!(!p.matches("abc.)/z"));
        let p = Pattern::compile(&format!("**/{stars}/x"), false).unwrap();
        assert!(p.matches("a/b/c/x"));
        assert!(!p.matches(&"a/".repeat(2000)));
    }
}
