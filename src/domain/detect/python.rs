//! Python detection: pyproject.toml (PEP 621 and Poetry), uv.lock, poetry.lock, requirements.txt,
//! .python-version; the dependencies (`pydeps`) and the app object (`pyapp`) decide the server
//! commands (`pyserver`).

use super::facts::{Fact, ManifestProblem, Reason, line_col, line_of};
use super::{Language, PackageManager, Partial, ProjectScan, pydeps, pyserver};

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

    // pip installs requirements.txt together with the files it includes.
    out.install_extras
        .extend(pydeps::requirement_includes(scan));
    let deps = pydeps::read(scan, pyproject.as_ref());
    let serving = pyserver::serving(scan, &deps, manifest);
    out.kind = Some(serving.kind);
    out.entrypoint = serving.entrypoint;
    out.dev_command = serving.dev;
    out.framework_port = Some(serving.port);
    out.server_packages = serving.missing;
    out.health_path = serving.health_path;

    out.source_dir = Some(source_dir(scan, serving.app_file.as_deref()));
    out.version = version(scan, pyproject_text);
    out.build_step = Some(Fact::new(
        false,
        Reason::default_for("Python runs from source"),
    ));
    Some(out)
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
    use crate::domain::detect::ServiceKind;

    #[test]
    fn streamlit_runs_its_script_headless_on_all_interfaces() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("requirements.txt", "streamlit>=1.40\n"),
                ("util.py", "def f():\n    pass\n"),
                ("dashboard.py", "import streamlit as st\nst.title('x')\n"),
            ],
        );
        let out = detect(&scan, &mut Vec::new()).unwrap();
        let entry = out.entrypoint.unwrap().value.argv(None, 8501);
        assert_eq!(entry[..3], ["streamlit", "run", "dashboard.py"]);
        assert!(
            entry
                .windows(2)
                .any(|w| w == ["--server.address", "0.0.0.0"])
        );
        assert_eq!(out.health_path.unwrap().value, "/_stcore/health");
        assert_eq!(out.framework_port.unwrap().value, 8501);
    }

    #[test]
    fn a_framework_less_script_is_a_worker_unless_it_opens_a_server() {
        let worker = ProjectScan::from_files(
            "p",
            [
                ("requirements.txt", "requests==2.32.3\n"),
                ("worker.py", "import time\nwhile True:\n    time.sleep(5)\n"),
            ],
        );
        let out = detect(&worker, &mut Vec::new()).unwrap();
        assert_eq!(out.kind.as_ref().unwrap().value, ServiceKind::Worker);
        assert_eq!(
            out.entrypoint.unwrap().value.argv(None, 8000),
            ["python", "worker.py"]
        );
        let server = ProjectScan::from_files(
            "p",
            [
                ("requirements.txt", "requests==2.32.3\n"),
                (
                    "main.py",
                    "from http.server import HTTPServer\nHTTPServer(('', 8000), H).serve_forever()\n",
                ),
            ],
        );
        let out = detect(&server, &mut Vec::new()).unwrap();
        let kind = out.kind.unwrap();
        assert_eq!(kind.value, ServiceKind::Http);
        assert!(
            kind.reason.to_string().contains("http.server"),
            "{}",
            kind.reason
        );
    }

    #[test]
    fn major_minor_reads_specs() {
        assert_eq!(major_minor(">=3.11").as_deref(), Some("3.11"));
        assert_eq!(major_minor("3.13.1\n").as_deref(), Some("3.13"));
        assert_eq!(major_minor("3"), None);
    }
}
