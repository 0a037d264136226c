//! Where a Python app object lives, as the server must import it: the file defining the
//! ASGI/WSGI/Celery object (or its factory), the directory to import from, and the dotted
//! module path (`app.main:app`, `shop.main:app` from `src/`), plus Django's WSGI module read
//! from `manage.py`'s settings.

use super::ProjectScan;
use super::facts::Reason;

/// The interface a constructor's object speaks, which picks the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interface {
    Asgi,
    Wsgi,
    Celery,
}

const CONSTRUCTORS: &[(&str, Interface)] = &[
    ("FastAPI", Interface::Asgi),
    ("Starlette", Interface::Asgi),
    ("Quart", Interface::Asgi),
    ("Litestar", Interface::Asgi),
    ("Flask", Interface::Wsgi),
    ("Celery", Interface::Celery),
];

/// An app object and how to import it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PyApp {
    pub file: String,
    pub line: usize,
    pub interface: Interface,
    /// The directory the import starts from (`.` or `src`): the server's app dir.
    pub import_root: String,
    /// Dotted module path relative to `import_root`.
    pub module: String,
    /// The object, or the factory function that returns it.
    pub attr: String,
    pub factory: bool,
}

impl PyApp {
    /// `module:attr`, the form uvicorn, gunicorn and flask all accept.
    pub fn target(&self) -> String {
        format!("{}:{}", self.module, self.attr)
    }

    pub fn reason(&self, note: &str) -> Reason {
        Reason::at(&self.file, Some(self.line), note)
    }
}

/// Directories and files that hold tests, docs or tooling rather than the served app.
fn is_app_source(file: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file);
    let skip_dir = file.split('/').rev().skip(1).any(|dir| {
        matches!(
            dir,
            "tests" | "test" | "docs" | "doc" | "examples" | "scripts" | "migrations" | "alembic"
        )
    });
    file.ends_with(".py")
        && !skip_dir
        && !base.starts_with("test_")
        && !base.ends_with("_test.py")
        && base != "conftest.py"
        && base != "setup.py"
}

/// The best app object whose interface is one of `wanted`: module-level objects before
/// factories, shallow files before deep ones, conventional file names first.
pub(crate) fn find(scan: &ProjectScan, wanted: &[Interface]) -> Option<PyApp> {
    let mut best: Option<((bool, usize, usize), PyApp)> = None;
    for (file, text) in scan.contents.iter().filter(|(f, _)| is_app_source(f)) {
        let Some((line, attr, factory, interface)) = object_in(text, wanted) else {
            continue;
        };
        let base = file.rsplit('/').next().unwrap_or(file);
        let name_rank = [
            "main.py",
            "app.py",
            "asgi.py",
            "wsgi.py",
            "server.py",
            "api.py",
        ]
        .iter()
        .position(|n| *n == base)
        .unwrap_or(9);
        let rank = (factory, file.matches('/').count(), name_rank);
        if best.as_ref().is_some_and(|(r, _)| *r <= rank) {
            continue;
        }
        let (import_root, module) = import_path(scan, file, text);
        best = Some((
            rank,
            PyApp {
                file: file.clone(),
                line,
                interface,
                import_root,
                module,
                attr,
                factory,
            },
        ));
    }
    best.map(|(_, app)| app)
}

/// `(line, attr, factory, interface)` of the first constructor call in `text`: `app = FastAPI(`,
/// `app: Flask = flask.Flask(`, or inside `def create_app(` (a factory).
fn object_in(text: &str, wanted: &[Interface]) -> Option<(usize, String, bool, Interface)> {
    let mut function: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let indented = line.starts_with([' ', '\t']);
        // Blank lines and comments inside a function body do not end it.
        let code = !line.trim().is_empty() && !line.trim_start().starts_with('#');
        if !indented && code {
            function = line
                .strip_prefix("def ")
                .or_else(|| line.strip_prefix("async def "))
                .and_then(|rest| rest.split_once('('))
                .map(|(name, _)| name.trim().to_string());
        }
        let Some((lhs, rhs)) = line.split_once('=') else {
            continue;
        };
        if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>']) {
            continue;
        }
        let callee = rhs.trim().split('(').next().unwrap_or_default();
        let ctor = callee.rsplit('.').next().unwrap_or(callee);
        let Some((_, interface)) = CONSTRUCTORS
            .iter()
            .find(|(name, i)| *name == ctor && wanted.contains(i))
        else {
            continue;
        };
        if !rhs.contains('(') {
            continue;
        }
        let var = lhs.split(':').next().unwrap_or_default().trim();
        let is_ident = !var.is_empty()
            && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !var.starts_with(|c: char| c.is_ascii_digit());
        if !is_ident {
            continue;
        }
        if !indented {
            return Some((index + 1, var.to_string(), false, *interface));
        }
        if let Some(name) = &function {
            return Some((index + 1, name.clone(), true, *interface));
        }
    }
    None
}

/// The import root and dotted module of `file`. Packages (directories with `__init__.py`) are
/// climbed; the first directory that is not one is the import root when it is `src/` or when
/// the file imports its siblings by bare name (`from models import …`); otherwise the project
/// root, importing through namespace packages (`app.main` for `app/main.py`).
fn import_path(scan: &ProjectScan, file: &str, text: &str) -> (String, String) {
    let stem = file.trim_end_matches(".py");
    let mut parts: Vec<&str> = stem.split('/').collect();
    let leaf = parts.pop().unwrap_or("main");
    let mut top = parts.len();
    while top > 0 && scan.has(&format!("{}/__init__.py", parts[..top].join("/"))) {
        top -= 1;
    }
    let candidate = parts[..top].join("/");
    let imports_sibling = top > 0
        && imported_names(text).iter().any(|name| {
            scan.has(&format!("{candidate}/{name}.py"))
                || scan.under(&format!("{candidate}/{name}")).next().is_some()
        });
    let from_candidate = top > 0 && ((top == 1 && parts[0] == "src") || imports_sibling);
    let (root, rest) = if from_candidate {
        (candidate, &parts[top..])
    } else {
        (".".to_string(), &parts[..])
    };
    let mut module: Vec<&str> = rest.to_vec();
    if leaf != "__init__" {
        module.push(leaf);
    }
    (root, module.join("."))
}

/// Top-level names of absolute imports (`import x.y`, `from x import …`).
fn imported_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("from ")
                .or_else(|| line.strip_prefix("import "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// A Django project: where `manage.py` is and the WSGI module its settings point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Django {
    /// `manage.py`'s directory (`.` or e.g. `src`).
    pub dir: String,
    /// Dotted WSGI module relative to `dir` (`mysite.wsgi`), when one exists.
    pub wsgi: Option<String>,
    pub reason: Reason,
}

pub(crate) fn django(scan: &ProjectScan) -> Option<Django> {
    let manage = ["manage.py", "src/manage.py"]
        .into_iter()
        .find(|f| scan.has(f))?;
    let dir = manage.strip_suffix("/manage.py").unwrap_or(".").to_string();
    let join = |rel: &str| {
        if dir == "." {
            rel.to_string()
        } else {
            format!("{dir}/{rel}")
        }
    };
    let text = scan.text(manage).unwrap_or_default();
    let settings = text.lines().enumerate().find_map(|(index, line)| {
        if !line.contains("DJANGO_SETTINGS_MODULE") {
            return None;
        }
        let quoted = line.rsplit_once(',')?.1;
        let value: String = quoted
            .trim()
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
            .collect();
        (!value.is_empty()).then_some((index + 1, value))
    });
    if let Some((line, settings)) = &settings {
        let parts: Vec<&str> = settings.split('.').collect();
        for end in (1..parts.len()).rev() {
            let package = parts[..end].join("/");
            if scan.has(&join(&format!("{package}/wsgi.py"))) {
                return Some(Django {
                    wsgi: Some(format!("{}.wsgi", parts[..end].join("."))),
                    reason: Reason::at(
                        manage,
                        Some(*line),
                        format!("DJANGO_SETTINGS_MODULE is {settings}"),
                    ),
                    dir,
                });
            }
        }
    }
    let wsgi = scan
        .files
        .iter()
        .filter_map(|f| {
            let rel = if dir == "." {
                Some(f.as_str())
            } else {
                f.strip_prefix(&format!("{dir}/"))
            }?;
            rel.strip_suffix("/wsgi.py").filter(|p| !p.contains('/'))
        })
        .next()
        .map(|package| format!("{package}.wsgi"));
    let reason = match &wsgi {
        Some(module) => Reason::at(
            &join(&format!("{}.py", module.replace('.', "/"))),
            None,
            "the project's WSGI module",
        ),
        None => Reason::at(manage, None, "Django's manage.py (no wsgi.py found)"),
    };
    Some(Django { dir, wsgi, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_factories() {
        let all = [Interface::Asgi, Interface::Wsgi];
        assert_eq!(
            object_in(
                "import fastapi\napp: fastapi.FastAPI = fastapi.FastAPI(title='x')\n",
                &all
            ),
            Some((2, "app".into(), false, Interface::Asgi))
        );
        assert_eq!(
            object_in(
                "def create_app():\n    app = Flask(__name__)\n    return app\n",
                &all
            ),
            Some((2, "create_app".into(), true, Interface::Wsgi))
        );
        assert_eq!(object_in("if x == Flask(y):\n", &all), None);
        assert_eq!(object_in("worker = Celery('t')\n", &all), None);
    }

    #[test]
    fn import_roots() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("app/__init__.py", ""),
                ("app/main.py", "from app.db import x\napp = FastAPI()\n"),
                ("src/shop/__init__.py", ""),
                ("src/shop/main.py", "app = FastAPI()\n"),
                (
                    "service/main.py",
                    "from models import Item\napp = FastAPI()\n",
                ),
                ("service/models.py", ""),
                (
                    "web/app.py",
                    "from .views import v\napp = Flask(__name__)\n",
                ),
            ],
        );
        let path = |f: &str| import_path(&scan, f, scan.text(f).unwrap());
        assert_eq!(path("app/main.py"), (".".into(), "app.main".into()));
        assert_eq!(path("src/shop/main.py"), ("src".into(), "shop.main".into()));
        assert_eq!(path("service/main.py"), ("service".into(), "main".into()));
        assert_eq!(path("web/app.py"), (".".into(), "web.app".into()));
        let app = find(&scan, &[Interface::Asgi]).unwrap();
        assert_eq!(
            (app.file.as_str(), app.target()),
            ("app/main.py", "app.main:app".into())
        );
    }

    #[test]
    fn django_wsgi_from_settings_module() {
        let scan = ProjectScan::from_files(
            "p",
            [
                (
                    "manage.py",
                    "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.local\")\n",
                ),
                ("config/settings/local.py", ""),
                ("config/wsgi.py", ""),
            ],
        );
        let d = django(&scan).unwrap();
        assert_eq!(
            (d.dir.as_str(), d.wsgi.as_deref()),
            (".", Some("config.wsgi"))
        );
        assert_eq!(
            d.reason.to_string(),
            "manage.py:2: DJANGO_SETTINGS_MODULE is config.settings.local"
        );
    }
}
