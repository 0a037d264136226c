//! Recognisers for package-manager commands shared by several rules.

use crate::domain::dockerfile::shell::SimpleCommand;
use crate::domain::lint::{Edit, Hit};

pub fn is_apt(cmd: &SimpleCommand) -> bool {
    cmd.program().is_some_and(|p| p == "apt-get" || p == "apt")
}

pub fn is_apt_install(cmd: &SimpleCommand) -> bool {
    cmd.is(&["apt-get", "apt"], "install")
}

pub fn is_apt_update(cmd: &SimpleCommand) -> bool {
    cmd.is(&["apt-get", "apt"], "update")
}

pub fn is_apk_add(cmd: &SimpleCommand) -> bool {
    cmd.is(&["apk"], "add")
}

/// `pip install`, `pip3 install`, `python -m pip install`, `uv pip install` is excluded (uv has
/// its own cache flags).
pub fn is_pip_install(cmd: &SimpleCommand) -> bool {
    if cmd.is(&["pip", "pip3"], "install") {
        return true;
    }
    let args = cmd.args();
    cmd.program().is_some_and(|p| p.starts_with("python"))
        && args.len() >= 3
        && args[0] == "-m"
        && (args[1] == "pip" || args[1] == "pip3")
        && args[2] == "install"
}

/// Whether a command of the script removes `dir` (or everything under it) with `rm`: a cache
/// cleaned in the same RUN never reaches the layer.
pub fn removes(commands: &[SimpleCommand], dir: &str) -> bool {
    commands.iter().any(|c| {
        c.program() == Some("rm")
            && c.args().iter().any(|a| {
                let a = a.trim_end_matches('*').trim_end_matches('/');
                !a.is_empty() && (a == dir || dir.starts_with(&format!("{a}/")))
            })
    })
}

/// Index (into `cmd.words`) of the sub-command word (`install`, `add`), for inserting flags.
pub fn subcommand_index(cmd: &SimpleCommand, sub: &str) -> Option<usize> {
    let start = cmd.program_index()?;
    (start + 1..cmd.words.len()).find(|&i| cmd.words[i] == sub)
}

/// A finding on a package install that lacks `flag`, pointing at its sub-command word; when the
/// RUN text maps exactly onto the source, the fix inserts the flag right after that word.
pub fn missing_flag_hit(
    cmd: &SimpleCommand,
    sub: &str,
    exact: bool,
    flag: &str,
    message: &str,
) -> Option<Hit> {
    let i = subcommand_index(cmd, sub)?;
    let span = cmd.spans.get(i)?.clone();
    let hit = Hit::new(span.clone(), message);
    Some(if exact {
        hit.with_fix(
            format!("add `{flag}`"),
            vec![Edit {
                range: span.end..span.end,
                replacement: format!(" {flag}"),
            }],
        )
    } else {
        hit
    })
}

/// A dependency install that only needs manifest files, with the files it needs
/// (`None` = it is not such an install).
pub fn dependency_install(cmd: &SimpleCommand) -> Option<Vec<String>> {
    let p = cmd.program()?;
    let args: Vec<&str> = cmd.args().iter().map(String::as_str).collect();
    let first = args.iter().find(|a| !a.starts_with('-')).copied();
    let v = |files: &[&str]| Some(files.iter().map(|s| s.to_string()).collect());
    match (p, first) {
        ("npm", Some("ci" | "install" | "i"))
            if args.iter().filter(|a| !a.starts_with('-')).count() == 1 =>
        {
            v(&["package*.json"])
        }
        ("yarn", None | Some("install")) => v(&["package.json", "yarn.lock"]),
        ("pnpm", Some("install" | "i" | "fetch")) => v(&["package.json", "pnpm-lock.yaml"]),
        ("bun", Some("install")) => v(&["package.json", "bun.lock"]),
        ("uv", Some("sync")) if !args.contains(&"--no-install-project") => {
            v(&["pyproject.toml", "uv.lock"])
        }
        ("poetry", Some("install")) if !args.contains(&"--no-root") => {
            v(&["pyproject.toml", "poetry.lock"])
        }
        ("go", Some("mod")) if args.contains(&"download") => v(&["go.mod", "go.sum"]),
        ("bundle", None | Some("install")) => v(&["Gemfile", "Gemfile.lock"]),
        ("composer", Some("install")) => v(&["composer.json", "composer.lock"]),
        _ if is_pip_install(cmd) => {
            let pos = args
                .iter()
                .position(|a| *a == "-r" || *a == "--requirement")?;
            args.get(pos + 1).map(|f| vec![f.to_string()])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dockerfile::shell::simple_commands;

    fn first(text: &str) -> SimpleCommand {
        simple_commands(text, '\\').remove(0)
    }

    #[test]
    fn recognises_installs() {
        assert!(is_apt_install(&first(
            "DEBIAN_FRONTEND=noninteractive apt-get -y install x"
        )));
        assert!(is_pip_install(&first("python3 -m pip install -r r.txt")));
        assert_eq!(
            dependency_install(&first("npm ci --omit=dev")),
            Some(vec!["package*.json".into()])
        );
        assert_eq!(dependency_install(&first("npm install express")), None);
        assert_eq!(
            dependency_install(&first("pip install -r req/base.txt")),
            Some(vec!["req/base.txt".into()])
        );
        assert_eq!(
            dependency_install(&first("go mod download")),
            Some(vec!["go.mod".into(), "go.sum".into()])
        );
    }
}
