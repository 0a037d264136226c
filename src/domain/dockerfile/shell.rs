//! A small POSIX-shell word splitter for `RUN` lines: enough to find simple commands
//! (`apt-get install -y x`), their words and where each word sits in the Dockerfile text.
//! Line continuations and comment lines inside them are skipped the way BuildKit does.

use std::ops::Range;

/// One simple command: its words (quotes removed) and their spans relative to the text given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    pub spans: Vec<Range<usize>>,
    /// The command's output is piped into the next command.
    pub piped: bool,
}

impl SimpleCommand {
    /// Index of the first word that is not a `NAME=value` assignment, `sudo` or `env`.
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        while let Some(w) = self.words.get(i) {
            let assignment = w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if assignment || w == "sudo" || w == "env" || w == "exec" || w == "command" {
                i += 1;
            } else {
                return Some(i);
            }
        }
        None
    }

    /// The program name (`apt-get` for `DEBIAN_FRONTEND=noninteractive apt-get ...`).
    pub fn program(&self) -> Option<&str> {
        self.program_index().map(|i| self.words[i].as_str())
    }

    /// The words after the program.
    pub fn args(&self) -> &[String] {
        self.program_index().map_or(&[], |i| &self.words[i + 1..])
    }

    /// True when the program is `name` and the first non-flag argument is `sub`.
    pub fn is(&self, names: &[&str], sub: &str) -> bool {
        self.program().is_some_and(|p| names.contains(&p))
            && self
                .args()
                .iter()
                .find(|a| !a.starts_with('-'))
                .is_some_and(|a| a == sub)
    }

    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().any(|a| {
            flags
                .iter()
                .any(|f| a == f || (f.starts_with("--") && a.starts_with(&format!("{f}="))))
                || short_flag_set(a, flags)
        })
    }
}

/// `-qy` contains `-y`.
fn short_flag_set(word: &str, flags: &[&str]) -> bool {
    if !word.starts_with('-') || word.starts_with("--") || word.len() < 3 {
        return false;
    }
    flags.iter().any(|f| {
        f.len() == 2 && f.starts_with('-') && !f.starts_with("--") && word[1..].contains(&f[1..])
    })
}

/// Splits shell text into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines and parens.
pub fn simple_commands(text: &str, escape: char) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    let mut cur = SimpleCommand {
        words: vec![],
        spans: vec![],
        piped: false,
    };
    let mut word = String::new();
    let mut word_start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let end_word =
        |cur: &mut SimpleCommand, word: &mut String, start: &mut Option<usize>, at: usize| {
            if let Some(s) = start.take() {
                cur.words.push(std::mem::take(word));
                cur.spans.push(s..at);
            }
        };
    let end_cmd = |out: &mut Vec<SimpleCommand>, cur: &mut SimpleCommand, piped: bool| {
        if !cur.words.is_empty() {
            cur.piped = piped;
            out.push(std::mem::replace(
                cur,
                SimpleCommand {
                    words: vec![],
                    spans: vec![],
                    piped: false,
                },
            ));
        }
    };
    while i < chars.len() {
        let (pos, c) = chars[i];
        // A line continuation is invisible to the shell; comment lines inside one are dropped.
        if c == escape && quote != Some('\'') {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].1 == ' ' || chars[j].1 == '\t' || chars[j].1 == '\r')
            {
                j += 1;
            }
            if j >= chars.len() || chars[j].1 == '\n' {
                i = skip_comment_lines(&chars, j + 1);
                continue;
            }
            if escape == '\\' {
                if word_start.is_none() {
                    word_start = Some(pos);
                }
                if let Some(&(_, n)) = chars.get(i + 1) {
                    word.push(n);
                }
                i += 2;
                continue;
            }
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    word_start.get_or_insert(pos);
                }
                ' ' | '\t' | '\r' => end_word(&mut cur, &mut word, &mut word_start, pos),
                '#' if word_start.is_none() => {
                    while i < chars.len() && chars[i].1 != '\n' {
                        i += 1;
                    }
                    continue;
                }
                '\n' | ';' | '(' | ')' => {
                    end_word(&mut cur, &mut word, &mut word_start, pos);
                    end_cmd(&mut out, &mut cur, false);
                }
                '&' | '|' => {
                    end_word(&mut cur, &mut word, &mut word_start, pos);
                    let doubled = chars.get(i + 1).is_some_and(|&(_, n)| n == c);
                    end_cmd(&mut out, &mut cur, c == '|' && !doubled);
                    if doubled {
                        i += 1;
                    }
                }
                '$' if chars.get(i + 1).is_some_and(|&(_, n)| n == '(') => {
                    // Keep `$(...)` inside the current word: a substitution is not a new command.
                    word_start.get_or_insert(pos);
                    let mut depth = 0;
                    while i < chars.len() {
                        let ch = chars[i].1;
                        word.push(ch);
                        if ch == '(' {
                            depth += 1;
                        } else if ch == ')' {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        i += 1;
                    }
                }
                _ => {
                    word_start.get_or_insert(pos);
                    word.push(c);
                }
            },
        }
        i += 1;
    }
    end_word(&mut cur, &mut word, &mut word_start, text.len());
    end_cmd(&mut out, &mut cur, false);
    out
}

fn skip_comment_lines(chars: &[(usize, char)], mut i: usize) -> usize {
    loop {
        let mut j = i;
        while j < chars.len() && (chars[j].1 == ' ' || chars[j].1 == '\t') {
            j += 1;
        }
        if j < chars.len() && chars[j].1 == '#' {
            while j < chars.len() && chars[j].1 != '\n' {
                j += 1;
            }
            i = j + 1;
        } else {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        simple_commands(text, '\\')
            .into_iter()
            .map(|c| c.words)
            .collect()
    }

    #[test]
    fn splits_on_operators_and_continuations() {
        let text = "apt-get update && \\\n  apt-get install -y \"curl\" git \\\n # a comment\n && rm -rf /var/lib/apt/lists/*";
        assert_eq!(
            words(text),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "curl", "git"],
                vec!["rm", "-rf", "/var/lib/apt/lists/*"],
            ]
        );
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "FOO=1 apt-get install -qy x";
        let cmds = simple_commands(text, '\\');
        assert_eq!(cmds[0].program(), Some("apt-get"));
        assert!(cmds[0].has_flag(&["-y"]));
        assert_eq!(&text[cmds[0].spans[2].clone()], "install");
    }

    #[test]
    fn pipes_and_substitutions() {
        let cmds = simple_commands("curl -s $(cat url) | sh; echo 'a && b'", '\\');
        assert_eq!(cmds.len(), 3);
        assert!(cmds[0].piped);
        assert_eq!(cmds[0].words[2], "$(cat url)");
        assert_eq!(cmds[2].words, vec!["echo", "a && b"]);
    }

    #[test]
    fn backtick_escape_directive() {
        let cmds = simple_commands("choco install x `\n  && echo ok", '`');
        assert_eq!(cmds.len(), 2);
    }
}
