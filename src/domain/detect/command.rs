//! Commands with a hole for the listen port: detection knows how a server takes its port (a
//! flag, a `host:port` word, an environment variable) but the wizard settles the port later, so
//! the command stays typed until then and is rendered once, with the chosen port and package
//! manager, instead of being patched as text.

use super::PackageManager;

/// A piece of one argv word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// The port the service listens on (the wizard's answer).
    Port,
}

/// One argv word: literal text with the port spliced in where the server expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(pub Vec<Piece>);

impl Word {
    pub fn text(text: impl Into<String>) -> Self {
        Word(vec![Piece::Text(text.into())])
    }

    pub fn port() -> Self {
        Word(vec![Piece::Port])
    }

    /// `prefix` followed by the port, e.g. `0.0.0.0:` → `0.0.0.0:8000`.
    pub fn port_after(prefix: impl Into<String>) -> Self {
        Word(vec![Piece::Text(prefix.into()), Piece::Port])
    }

    pub fn render(&self, port: u16) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Port => port.to_string(),
            })
            .collect()
    }
}

impl From<&str> for Word {
    fn from(text: &str) -> Self {
        Word::text(text)
    }
}

impl From<String> for Word {
    fn from(text: String) -> Self {
        Word::text(text)
    }
}

/// A command the container runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// An argv run as it is, with environment variables set through `env` (present in every
    /// base image with a shell) for servers that read their bind address from the environment.
    Exec {
        env: Vec<(String, Word)>,
        argv: Vec<Word>,
    },
    /// A package.json script run by the package manager finally chosen, with extra arguments
    /// for the script's program.
    Script {
        name: String,
        env: Vec<(String, Word)>,
        args: Vec<Word>,
    },
}

impl Command {
    /// An argv of literal words.
    pub fn exec<W: Into<Word>>(words: impl IntoIterator<Item = W>) -> Self {
        Command::Exec {
            env: Vec::new(),
            argv: words.into_iter().map(Into::into).collect(),
        }
    }

    /// An argv of words that may hold the port.
    pub fn exec_words(argv: Vec<Word>) -> Self {
        Command::Exec {
            env: Vec::new(),
            argv,
        }
    }

    pub fn script(name: &str, args: Vec<Word>) -> Self {
        Command::Script {
            name: name.to_string(),
            env: Vec::new(),
            args,
        }
    }

    /// The same command with `name=value` in its environment.
    pub fn with_env(mut self, name: &str, value: Word) -> Self {
        match &mut self {
            Command::Exec { env, .. } | Command::Script { env, .. } => {
                env.push((name.to_string(), value));
            }
        }
        self
    }

    /// Whether any word (or variable) carries the port, i.e. the port answer reaches the server.
    pub fn takes_port(&self) -> bool {
        let (env, words) = match self {
            Command::Exec { env, argv } => (env, argv),
            Command::Script { env, args, .. } => (env, args),
        };
        env.iter()
            .map(|(_, w)| w)
            .chain(words)
            .any(|w| w.0.contains(&Piece::Port))
    }

    /// The argv for `port`, scripts run by `pm` (npm when none is chosen). npm needs `--`
    /// before the script's own arguments; yarn, pnpm (7+, which would pass a `--` through to
    /// the program) and bun forward them as they are.
    pub fn argv(&self, pm: Option<PackageManager>, port: u16) -> Vec<String> {
        self.words(pm).iter().map(|w| w.render(port)).collect()
    }

    /// Whether `argv` is this command rendered for some port: an answers file printed by
    /// `--print-answers` repeats the detected command, and a port changed next to it must still
    /// reach the command.
    pub fn renders_as(&self, pm: Option<PackageManager>, argv: &[String]) -> bool {
        let words = self.words(pm);
        words.len() == argv.len()
            && words
                .iter()
                .zip(argv)
                .all(|(word, text)| matches(&word.0, text))
    }

    /// Every word, `env NAME=value` and the package manager's run words included.
    fn words(&self, pm: Option<PackageManager>) -> Vec<Word> {
        let (env, rest) = match self {
            Command::Exec { env, argv } => (env, argv.clone()),
            Command::Script { name, env, args } => {
                let pm = pm.filter(|p| p.is_node()).unwrap_or(PackageManager::Npm);
                let mut words: Vec<Word> =
                    vec![pm.as_str().into(), "run".into(), name.as_str().into()];
                if pm == PackageManager::Npm && !args.is_empty() {
                    words.push("--".into());
                }
                words.extend(args.iter().cloned());
                (env, words)
            }
        };
        if env.is_empty() {
            return rest;
        }
        let mut out: Vec<Word> = vec!["env".into()];
        out.extend(env.iter().map(|(name, value)| {
            let mut pieces = vec![Piece::Text(format!("{name}="))];
            pieces.extend(value.0.iter().cloned());
            Word(pieces)
        }));
        out.extend(rest);
        out
    }
}

/// Whether `text` is `pieces` with some port number where `Piece::Port` stands.
fn matches(pieces: &[Piece], text: &str) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Text(literal), rest)) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|after| matches(rest, after)),
        Some((Piece::Port, rest)) => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && (1..=digits).any(|n| matches(rest, &text[n..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_spliced_where_the_server_reads_it() {
        let uvicorn = Command::exec_words(vec![
            "uvicorn".into(),
            "app.main:app".into(),
            "--port".into(),
            Word::port(),
        ]);
        assert_eq!(
            uvicorn.argv(None, 9000),
            ["uvicorn", "app.main:app", "--port", "9000"]
        );
        assert!(uvicorn.takes_port());
        let gunicorn = Command::exec_words(vec![
            "gunicorn".into(),
            "--bind".into(),
            Word::port_after("0.0.0.0:"),
        ]);
        assert_eq!(
            gunicorn.argv(None, 81),
            ["gunicorn", "--bind", "0.0.0.0:81"]
        );
        assert!(!Command::exec(["python", "main.py"]).takes_port());
        let printed = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(gunicorn.renders_as(None, &printed(&["gunicorn", "--bind", "0.0.0.0:8000"])));
        assert!(!gunicorn.renders_as(None, &printed(&["gunicorn", "--bind", "0.0.0.0:x"])));
        assert!(!gunicorn.renders_as(None, &printed(&["gunicorn", "-w", "4", "--bind"])));
    }

    #[test]
    fn scripts_follow_the_package_manager_and_env_goes_first() {
        let vite = Command::script("dev", vec!["--port".into(), Word::port()]);
        assert_eq!(
            vite.argv(Some(PackageManager::Npm), 8080),
            ["npm", "run", "dev", "--", "--port", "8080"]
        );
        assert_eq!(
            vite.argv(Some(PackageManager::Pnpm), 8080),
            ["pnpm", "run", "dev", "--port", "8080"]
        );
        let cra = Command::script("start", Vec::new()).with_env("PORT", Word::port());
        assert_eq!(
            cra.argv(Some(PackageManager::Yarn), 8080),
            ["env", "PORT=8080", "yarn", "run", "start"]
        );
        assert_eq!(
            Command::script("dev", Vec::new()).argv(None, 1),
            ["npm", "run", "dev"]
        );
    }
}
