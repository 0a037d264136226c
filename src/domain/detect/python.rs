//! Python detection: pyproject.toml (PEP 621 and Poetry), uv.lock, poetry.lock, requirements.txt,
//! .python-version, and the framework that decides the server command.

use super::facts::{Fact, ManifestProblem, Reason, line_col, line_of};
use super::{Language, PackageManager, Partial, ProjectScan, ServiceKind};

pub(crate) fn detect(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<Partial> {
    let has_pyproject = scan.has("pyproject.toml");
    let has_requirements = scan.has("requirements.txt");
    if !has_pyproject && !has_requirements && !scan.has("manage.py") {
        return None;
    }
    let mut out = Partial::default();
    let manifest = if has_pyproject {
        "pyproject.toml"
    } else if has_requirements {
        "requirements.txt"
    } else {
        "manage.py"
    };
    out.language = Some(Fact::new(
        Language::Python,
        Reason::at(manifest, None, format!("{manifest} at the project root")),
    ));

    let pyproject_text = scan.text("pyproject.toml").unwrap_or_default();
    let pyproject: Option<toml::Table> = if has_pyproject {
        match pyproject_text.parse::<toml::Table>() {
            Ok(table) => Some(table),
            Err(err) => {
                let (line, column) = err
                    .span()
                    .map_or((1, 1), |span| line_col(pyproject_text, span.start));
                problems.push(ManifestProblem {
                    file: "pyproject.toml".into(),
                    line,
                    column,
                    message: format!("invalid TOML: {}", err.message()),
                });
                return Some(out);
            }
        }
    } else {
        None
    };
    let poetry_section = pyproject
        .as_ref()
        .and_then(|t| t.get("tool"))
        .and_then(|t| t.get("poetry"));

    out.package_manager = Some(if scan.has("uv.lock") {
        Fact::new(
            PackageManager::Uv,
            Reason::at("uv.lock", None, "uv.lock is uv's lockfile"),
        )
    } else if scan.has("poetry.lock") {
        Fact::new(
            PackageManager::Poetry,
            Reason::at("poetry.lock", None, "poetry.lock is Poetry's lockfile"),
        )
    } else if poetry_section.is_some() {
        Fact::new(
            PackageManager::Poetry,
            Reason::at(
                "pyproject.toml",
                line_of(pyproject_text, "[tool.poetry"),
                "[tool.poetry] section",
            ),
        )
    } else if has_requirements {
        Fact::new(
            PackageManager::Pip,
            Reason::at("requirements.txt", None, "requirements.txt (pip)"),
        )
    } else if pyproject_text.contains("[tool.uv") {
        Fact::new(
            PackageManager::Uv,
            Reason::at(
                "pyproject.toml",
                line_of(pyproject_text, "[tool.uv"),
                "[tool.uv] section",
            ),
        )
    } else {
        Fact::new(
            PackageManager::Pip,
            Reason::default_for("no lockfile: pip is Python's default"),
        )
    });
    let pm = out.package_manager.as_ref().map(|f| f.value);
    out.lockfile = match pm {
        Some(PackageManager::Uv) if scan.has("uv.lock") => Some("uv.lock"),
        Some(PackageManager::Poetry) if scan.has("poetry.lock") => Some("poetry.lock"),
        Some(PackageManager::Pip) if has_requirements => Some("requirements.txt"),
        _ => None,
    }
    .map(|file| Fact::new(file.to_string(), Reason::at(file, None, "lockfile present")));

    // Build backends (hatchling, poetry-core) read the README named in pyproject.toml when the
    // project itself is installed: it must reach the build context.
    if let Some(readme) = pyproject
        .as_ref()
        .and_then(|t| t.get("project"))
        .and_then(|p| p.get("readme"))
        .and_then(toml::Value::as_str)
        .or_else(|| {
            poetry_section
                .and_then(|p| p.get("readme"))
                .and_then(toml::Value::as_str)
        })
    {
        out.install_extras.push(Fact::new(
            readme.to_string(),
            Reason::at(
                "pyproject.toml",
                line_of(pyproject_text, "readme"),
                "the build backend reads it",
            ),
        ));
    }
    out.dev_group = pyproject_text.contains("[tool.poetry.group.dev")
        || pyproject_text.contains("[tool.poetry.dev-dependencies]");

    let deps = dependency_text(scan, pyproject_text);
    let has = |name: &str| deps.iter().any(|(dep, _, _)| dep == name);
    let reason_for = |name: &str, note: &str| {
        deps.iter()
            .find(|(dep, _, _)| dep == name)
            .map(|(_, file, line)| Reason::at(file, Some(*line), note))
            .unwrap_or_else(|| Reason::default_for(note))
    };

    let module = app_module(scan);
    // The venv is on PATH in every generated image, so commands run without `uv run`/`poetry run`.
    let argv = |words: &[&str]| -> Vec<String> { words.iter().map(|w| w.to_string()).collect() };

    if has("celery") && !has("fastapi") && !has("flask") && !has("django") {
        let target = module.as_ref().map_or("app".to_string(), |(m, _, _)| {
            m.split(':').next().unwrap_or("app").to_string()
        });
        out.kind = Some(Fact::new(
            ServiceKind::Worker,
            reason_for("celery", "depends on celery and no web framework"),
        ));
        out.entrypoint = Some(Fact::new(
            argv(&["celery", "-A", &target, "worker", "--loglevel=INFO"]),
            reason_for("celery", "celery worker"),
        ));
        out.framework_port = Some(Fact::new(
            8000,
            Reason::default_for("workers listen nowhere; 8000 is Python's usual port"),
        ));
    } else if has("fastapi") || has("starlette") {
        let app = module
            .as_ref()
            .map_or("main:app".to_string(), |(m, _, _)| m.clone());
        let why = module.as_ref().map_or_else(
            || reason_for("fastapi", "FastAPI app (module assumed main:app)"),
            |(_, file, line)| Reason::at(file, Some(*line), "ASGI app object"),
        );
        out.entrypoint = Some(Fact::new(
            argv(&["uvicorn", &app, "--host", "0.0.0.0", "--port", "8000"]),
            why.clone(),
        ));
        out.dev_command = Some(Fact::new(
            argv(&[
                "uvicorn", &app, "--host", "0.0.0.0", "--port", "8000", "--reload",
            ]),
            why,
        ));
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            reason_for("fastapi", "depends on an ASGI framework"),
        ));
        out.framework_port = Some(Fact::new(
            8000,
            reason_for("fastapi", "uvicorn serves on 8000 by convention"),
        ));
    } else if has("django") || scan.has("manage.py") {
        let project = scan
            .files
            .iter()
            .find_map(|f| f.strip_suffix("/wsgi.py"))
            .filter(|p| !p.contains('/'))
            .map(str::to_string);
        let entry = match (&project, has("gunicorn")) {
            (Some(project), true) => argv(&[
                "gunicorn",
                "--bind",
                "0.0.0.0:8000",
                &format!("{project}.wsgi"),
            ]),
            _ => argv(&["python", "manage.py", "runserver", "0.0.0.0:8000"]),
        };
        out.entrypoint = Some(Fact::new(entry, reason_for("django", "Django project")));
        out.dev_command = Some(Fact::new(
            argv(&["python", "manage.py", "runserver", "0.0.0.0:8000"]),
            reason_for("django", "Django's autoreloading dev server"),
        ));
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            reason_for("django", "depends on django"),
        ));
        out.framework_port = Some(Fact::new(
            8000,
            reason_for("django", "Django serves on 8000 by default"),
        ));
    } else if has("flask") {
        let app = module
            .as_ref()
            .map_or("app:app".to_string(), |(m, _, _)| m.clone());
        let entry = if has("gunicorn") {
            argv(&["gunicorn", "--bind", "0.0.0.0:5000", &app])
        } else {
            argv(&[
                "flask", "--app", &app, "run", "--host", "0.0.0.0", "--port", "5000",
            ])
        };
        out.entrypoint = Some(Fact::new(entry, reason_for("flask", "Flask app")));
        out.dev_command = Some(Fact::new(
            argv(&[
                "flask", "--app", &app, "run", "--host", "0.0.0.0", "--port", "5000", "--debug",
            ]),
            reason_for("flask", "Flask's reloading dev server"),
        ));
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            reason_for("flask", "depends on flask"),
        ));
        out.framework_port = Some(Fact::new(
            5000,
            reason_for("flask", "Flask serves on 5000 by default"),
        ));
    } else {
        let main = ["main.py", "app.py", "src/main.py", "server.py"]
            .into_iter()
            .find(|f| scan.has(f));
        out.entrypoint = main.map(|file| {
            Fact::new(
                argv(&["python", file]),
                Reason::at(file, None, "conventional entry file"),
            )
        });
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            Reason::default_for("no framework found: assuming an HTTP service"),
        ));
        out.framework_port = Some(Fact::new(
            8000,
            Reason::default_for("Python default port 8000"),
        ));
    }

    out.source_dir = Some(source_dir(
        scan,
        module.as_ref().map(|(_, file, _)| file.as_str()),
    ));
    out.version = version(scan, pyproject_text);
    out.build_step = Some(Fact::new(
        false,
        Reason::default_for("Python runs from source"),
    ));
    Some(out)
}

/// Dependency names (lower-case, normalised) with the file and line naming them.
fn dependency_text(scan: &ProjectScan, pyproject: &str) -> Vec<(String, String, usize)> {
    let mut deps = Vec::new();
    let mut collect = |file: &str, text: &str| {
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim().trim_start_matches(['"', '\'']);
            let name: String = trimmed
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect::<String>()
                .to_ascii_lowercase()
                .replace('_', "-");
            if !name.is_empty() {
                deps.push((name, file.to_string(), index + 1));
            }
        }
    };
    if let Some(text) = scan.text("requirements.txt") {
        collect("requirements.txt", text);
    }
    collect("pyproject.toml", pyproject);
    deps
}

/// `module:app` for the first file defining an ASGI/WSGI app object, with its file and line.
fn app_module(scan: &ProjectScan) -> Option<(String, String, usize)> {
    for (file, text) in &scan.contents {
        let Some(stem) = file.strip_suffix(".py") else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let Some((lhs, rhs)) = line.split_once('=') else {
                continue;
            };
            let var = lhs.trim();
            let rhs = rhs.trim();
            let is_app = ["FastAPI(", "Flask(", "Starlette(", "Celery("]
                .iter()
                .any(|ctor| rhs.starts_with(ctor));
            if is_app
                && !var.is_empty()
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                let module = stem.trim_start_matches("src/").replace('/', ".");
                return Some((format!("{module}:{var}"), file.clone(), index + 1));
            }
        }
    }
    None
}

fn source_dir(scan: &ProjectScan, app_file: Option<&str>) -> Fact<String> {
    if let Some(file) = app_file
        && let Some((dir, _)) = file.split_once('/')
    {
        return Fact::new(
            dir.to_string(),
            Reason::at(file, None, format!("the app lives in {dir}/")),
        );
    }
    if scan.under("src").next().is_some() {
        return Fact::new(
            "src".into(),
            Reason::at("src", None, "sources live in src/"),
        );
    }
    Fact::new(
        ".".into(),
        Reason::default_for("no package directory: the whole project is synced"),
    )
}

fn version(scan: &ProjectScan, pyproject: &str) -> Option<Fact<String>> {
    if let Some(text) = scan.text(".python-version")
        && let Some(v) = major_minor(text)
    {
        return Some(Fact::new(
            v,
            Reason::at(".python-version", Some(1), "pinned Python version"),
        ));
    }
    let line = line_of(pyproject, "requires-python")?;
    let spec = pyproject
        .lines()
        .nth(line - 1)?
        .split_once('=')?
        .1
        .trim()
        .trim_matches(['"', '\'']);
    let found = major_minor(spec)?;
    // `>=3.9` is satisfied by the default image; pin exactly only when the spec caps or fixes it.
    let exact = spec.starts_with("==") || spec.starts_with("~=") || spec.contains('<');
    let newest_default = "3.12";
    let value = if exact || version_key(&found) > version_key(newest_default) {
        found
    } else {
        newest_default.to_string()
    };
    Some(Fact::new(
        value,
        Reason::at(
            "pyproject.toml",
            Some(line),
            format!("requires-python is \"{spec}\""),
        ),
    ))
}

fn major_minor(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let parts: Vec<&str> = text[start..]
        .split(|c: char| !c.is_ascii_digit())
        .take(2)
        .collect();
    match parts.as_slice() {
        [major, minor] if !major.is_empty() && !minor.is_empty() => {
            Some(format!("{major}.{minor}"))
        }
        _ => None,
    }
}

fn version_key(v: &str) -> (u32, u32) {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_minor_reads_specs() {
        assert_eq!(major_minor(">=3.11").as_deref(), Some("3.11"));
        assert_eq!(major_minor("3.13.1\n").as_deref(), Some("3.13"));
        assert_eq!(major_minor("3"), None);
    }
}
