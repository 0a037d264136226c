//! Python dependencies as the manifests declare them, read from the parsed TOML (so a
//! `dependencies = [...]` array on one line reads like one spread over many): PEP 621
//! `[project]` and its optional dependencies, PEP 735 `[dependency-groups]`, Poetry's tables,
//! uv's dev list, and requirements.txt (following `-r` includes the scan read).

use super::ProjectScan;
use super::facts::{Fact, Reason, line_of, line_of_after};

/// Whether the production image installs the dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// Installed everywhere (`[project].dependencies`, Poetry main, requirements.txt).
    Main,
    /// Development groups and optional extras: not in the production image.
    Dev,
}

/// One declared dependency, its name normalised (PEP 503: lower case, `-` for `_` and `.`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PyDep {
    pub name: String,
    pub extras: Vec<String>,
    pub group: Group,
    pub file: String,
    pub line: Option<usize>,
}

impl PyDep {
    pub fn reason(&self, note: &str) -> Reason {
        Reason::at(&self.file, self.line, note)
    }
}

/// Every dependency the project declares.
pub(crate) fn read(scan: &ProjectScan, pyproject: Option<&toml::Table>) -> Vec<PyDep> {
    let mut deps = Vec::new();
    if scan.has("requirements.txt") {
        requirements(scan, "requirements.txt", &mut deps, 0);
    }
    let Some(table) = pyproject else {
        return deps;
    };
    let text = scan.text("pyproject.toml").unwrap_or_default();
    let mut push_specs = |value: Option<&toml::Value>, group: Group, section: &str| {
        let items = value.and_then(toml::Value::as_array).into_iter().flatten();
        for spec in items.filter_map(toml::Value::as_str) {
            if let Some((name, extras)) = pep508(spec) {
                deps.push(PyDep {
                    name,
                    extras,
                    group,
                    file: "pyproject.toml".into(),
                    line: spec_line(text, section, spec),
                });
            }
        }
    };
    let project = table.get("project");
    push_specs(
        project.and_then(|p| p.get("dependencies")),
        Group::Main,
        "[project]",
    );
    for (_, list) in tables(project.and_then(|p| p.get("optional-dependencies"))) {
        push_specs(Some(list), Group::Dev, "[project.optional-dependencies]");
    }
    for (_, list) in tables(table.get("dependency-groups")) {
        push_specs(Some(list), Group::Dev, "[dependency-groups]");
    }
    let tool = table.get("tool");
    push_specs(
        tool.and_then(|t| t.get("uv"))
            .and_then(|u| u.get("dev-dependencies")),
        Group::Dev,
        "[tool.uv]",
    );
    let poetry = tool.and_then(|t| t.get("poetry"));
    let mut poetry_tables = vec![(
        "[tool.poetry.dependencies]".to_string(),
        Group::Main,
        poetry.and_then(|p| p.get("dependencies")),
    )];
    poetry_tables.push((
        "[tool.poetry.dev-dependencies]".to_string(),
        Group::Dev,
        poetry.and_then(|p| p.get("dev-dependencies")),
    ));
    for (group, body) in tables(poetry.and_then(|p| p.get("group"))) {
        poetry_tables.push((
            format!("[tool.poetry.group.{group}.dependencies]"),
            Group::Dev,
            body.get("dependencies"),
        ));
    }
    for (section, group, body) in poetry_tables {
        for (name, spec) in tables(body) {
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let extras = spec
                .get("extras")
                .and_then(toml::Value::as_array)
                .map(|e| {
                    e.iter()
                        .filter_map(toml::Value::as_str)
                        .map(str::to_ascii_lowercase)
                        .collect()
                })
                .unwrap_or_default();
            let start = line_of(text, &section).unwrap_or(1);
            let line = text
                .lines()
                .enumerate()
                .skip(start)
                .find(|(_, l)| {
                    let l = l.trim_start().trim_start_matches(['"', '\'']);
                    l.strip_prefix(name.as_str()).is_some_and(|r| {
                        r.trim_start_matches(['"', '\''])
                            .trim_start()
                            .starts_with('=')
                    })
                })
                .map(|(i, _)| i + 1);
            deps.push(PyDep {
                name: normalise(name),
                extras,
                group,
                file: "pyproject.toml".into(),
                line,
            });
        }
    }
    deps
}

fn tables(value: Option<&toml::Value>) -> impl Iterator<Item = (&String, &toml::Value)> {
    value.and_then(toml::Value::as_table).into_iter().flatten()
}

/// The line of a PEP 508 string in pyproject.toml: its quoted text after the section header.
fn spec_line(text: &str, section: &str, spec: &str) -> Option<usize> {
    let start = line_of(text, section).unwrap_or(1);
    line_of_after(text, start, &format!("\"{spec}\""))
        .or_else(|| line_of_after(text, start, &format!("'{spec}'")))
        .or_else(|| line_of(text, spec))
}

/// The files requirements.txt pulls in with `-r`/`-c` (transitively): pip reads them at install
/// time, so the Dockerfile must copy them next to requirements.txt.
pub(crate) fn requirement_includes(scan: &ProjectScan) -> Vec<Fact<String>> {
    let mut out: Vec<Fact<String>> = Vec::new();
    let mut queue = vec!["requirements.txt".to_string()];
    while let Some(file) = queue.pop() {
        let Some(text) = scan.text(&file) else {
            continue;
        };
        let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split(" #").next().unwrap_or_default().trim();
            let Some(include) = ["-r ", "--requirement ", "-c ", "--constraint "]
                .iter()
                .find_map(|flag| line.strip_prefix(flag))
            else {
                continue;
            };
            let include = include.trim().trim_start_matches("./");
            let path = if dir.is_empty() {
                include.to_string()
            } else {
                format!("{dir}/{include}")
            };
            if out.iter().any(|f| f.value == path) || out.len() > 16 {
                continue;
            }
            out.push(Fact::new(
                path.clone(),
                Reason::at(
                    &file,
                    Some(index + 1),
                    format!("{line}: pip reads it at install time"),
                ),
            ));
            queue.push(path);
        }
    }
    out
}

/// Reads a requirements file and the files it includes with `-r` (when the scan read them).
fn requirements(scan: &ProjectScan, file: &str, deps: &mut Vec<PyDep>, depth: usize) {
    let Some(text) = scan.text(file) else { return };
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or_default().trim();
        if let Some(include) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
        {
            let include = include.trim();
            let path = if dir.is_empty() {
                include.to_string()
            } else {
                format!("{dir}/{include}")
            };
            if depth < 3 {
                requirements(scan, path.trim_start_matches("./"), deps, depth + 1);
            }
            continue;
        }
        if line.starts_with(['#', '-']) || line.is_empty() {
            continue;
        }
        if let Some((name, extras)) = pep508(line) {
            deps.push(PyDep {
                name,
                extras,
                group: Group::Main,
                file: file.to_string(),
                line: Some(index + 1),
            });
        }
    }
}

/// The name and extras of a PEP 508 requirement: `fastapi[standard]>=0.115`, `flask (>=3,<4)`,
/// `pkg @ https://…`, `uvicorn; python_version>"3.8"`.
pub(crate) fn pep508(spec: &str) -> Option<(String, Vec<String>)> {
    let spec = spec.trim();
    let name: String = spec
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let rest = spec[name.len()..].trim_start();
    let extras = rest
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .map(|(inside, _)| {
            inside
                .split(',')
                .map(|e| e.trim().to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some((normalise(&name), extras))
}

fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(deps: &[PyDep]) -> Vec<(&str, Group, Option<usize>)> {
        deps.iter()
            .map(|d| (d.name.as_str(), d.group, d.line))
            .collect()
    }

    #[test]
    fn pep508_names_and_extras() {
        assert_eq!(
            pep508("fastapi[standard]>=0.115"),
            Some(("fastapi".into(), vec!["standard".into()]))
        );
        assert_eq!(pep508("Flask (>=3.1,<4)"), Some(("flask".into(), vec![])));
        assert_eq!(
            pep508("typing_extensions; python_version<'3.11'"),
            Some(("typing-extensions".into(), vec![]))
        );
        assert_eq!(pep508("  "), None);
    }

    #[test]
    fn single_line_and_multi_line_arrays_and_poetry_tables() {
        let text = "[project]\nname = \"x\"\ndependencies = [\"fastapi\", \"uvicorn[standard]\"]\n\n[dependency-groups]\ndev = [\n  \"pytest>=8\",\n]\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\nGunicorn = \"^23\"\n\n[tool.poetry.group.dev.dependencies]\nruff = \"*\"\n";
        let table: toml::Table = text.parse().unwrap();
        let scan = ProjectScan::from_files("p", [("pyproject.toml", text)]);
        let deps = read(&scan, Some(&table));
        assert_eq!(
            names(&deps),
            vec![
                ("fastapi", Group::Main, Some(3)),
                ("uvicorn", Group::Main, Some(3)),
                ("pytest", Group::Dev, Some(7)),
                ("gunicorn", Group::Main, Some(12)),
                ("ruff", Group::Dev, Some(15)),
            ]
        );
        assert_eq!(deps[1].extras, vec!["standard".to_string()]);
    }

    #[test]
    fn requirements_follow_includes() {
        let scan = ProjectScan::from_files(
            "p",
            [
                (
                    "requirements.txt",
                    "-r requirements/base.txt\ngunicorn==23 # prod\n",
                ),
                ("requirements/base.txt", "# web\nDjango>=5\n-e .\n"),
            ],
        );
        let includes = requirement_includes(&scan);
        assert_eq!(includes.len(), 1);
        assert_eq!(includes[0].value, "requirements/base.txt");
        assert_eq!(
            includes[0].reason.to_string(),
            "requirements.txt:1: -r requirements/base.txt: pip reads it at install time"
        );
        assert_eq!(
            names(&read(&scan, None)),
            vec![
                ("django", Group::Main, Some(2)),
                ("gunicorn", Group::Main, Some(2))
            ]
        );
    }
}
