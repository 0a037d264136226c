//! The Python server commands: production servers in production (gunicorn for WSGI apps,
//! uvicorn for ASGI apps, a Celery worker), reloading servers in development, each bound to
//! 0.0.0.0 on the port the wizard settles, and the server packages the manifests lack.

use super::command::{Command, Word};
use super::facts::{Fact, Reason};
use super::pyapp::{self, Interface, PyApp};
use super::pydeps::{Group, PyDep};
use super::{ProjectScan, ServiceKind};

/// What the framework decides.
#[derive(Debug, Clone)]
pub(crate) struct Serving {
    pub kind: Fact<ServiceKind>,
    pub entrypoint: Option<Fact<Command>>,
    pub dev: Option<Fact<Command>>,
    pub port: Fact<u16>,
    /// The file defining the app object (its directory is what compose watch syncs).
    pub app_file: Option<String>,
    /// Server packages the commands run that the production dependencies lack.
    pub missing: Vec<Fact<String>>,
    /// A liveness route the framework serves by itself.
    pub health_path: Option<Fact<String>>,
}

const ASGI_DEPS: &[&str] = &["fastapi", "starlette", "quart", "litestar"];
const WEB_DEPS: &[&str] = &[
    "fastapi",
    "starlette",
    "quart",
    "litestar",
    "flask",
    "django",
];

struct Deps<'a>(&'a [PyDep]);

impl Deps<'_> {
    fn find(&self, name: &str) -> Option<&PyDep> {
        self.0.iter().find(|d| d.name == name)
    }
    fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }
    fn main(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|d| d.name == name && d.group == Group::Main)
    }
    fn main_with_extra(&self, name: &str, extras: &[&str]) -> bool {
        self.0.iter().any(|d| {
            d.name == name
                && d.group == Group::Main
                && d.extras.iter().any(|e| extras.contains(&e.as_str()))
        })
    }
    fn reason(&self, name: &str, note: &str) -> Reason {
        self.find(name)
            .map_or_else(|| Reason::default_for(note), |d| d.reason(note))
    }
}

fn words(items: &[&str]) -> Vec<Word> {
    items.iter().map(|w| Word::text(*w)).collect()
}

pub(crate) fn serving(scan: &ProjectScan, deps: &[PyDep], manifest: &str) -> Serving {
    let deps = Deps(deps);
    let web = WEB_DEPS.iter().find(|d| deps.has(d));
    if deps.has("celery") && web.is_none() {
        return celery(scan, &deps);
    }
    if deps.has("streamlit") && web.is_none() {
        return streamlit(scan, &deps);
    }
    let asgi_dep = ASGI_DEPS.iter().find(|d| deps.has(d));
    if let Some(dep) = asgi_dep {
        return asgi(scan, &deps, pyapp::find(scan, &[Interface::Asgi]), dep);
    }
    if deps.has("django")
        && let Some(django) = pyapp::django(scan)
    {
        return self::django(&deps, django);
    }
    if deps.has("flask") {
        return flask(scan, &deps, pyapp::find(scan, &[Interface::Wsgi]));
    }
    if let Some(django) = pyapp::django(scan) {
        return self::django(&deps, django);
    }
    // No framework among the dependencies (or none declared): the app object decides.
    match pyapp::find(scan, &[Interface::Asgi, Interface::Wsgi]) {
        Some(app) if app.interface == Interface::Asgi => asgi(scan, &deps, Some(app), "uvicorn"),
        Some(app) => flask(scan, &deps, Some(app)),
        None => plain(scan, manifest),
    }
}

fn http(reason: Reason) -> Fact<ServiceKind> {
    Fact::new(ServiceKind::Http, reason)
}

fn missing(deps: &Deps, package: &str, why: &str, manifest_reason: Reason) -> Vec<Fact<String>> {
    if deps.main(package) {
        return Vec::new();
    }
    let note = format!("{why}, and {package} is not among the production dependencies");
    vec![Fact::new(
        package.to_string(),
        Reason {
            note,
            ..manifest_reason
        },
    )]
}

fn celery(scan: &ProjectScan, deps: &Deps) -> Serving {
    let app = pyapp::find(scan, &[Interface::Celery]);
    let mut argv = words(&["celery"]);
    if let Some(app) = app.as_ref().filter(|a| a.import_root != ".") {
        argv.extend(words(&["--workdir", &app.import_root]));
    }
    let target = app.as_ref().map_or("app".to_string(), |a| a.module.clone());
    argv.extend(words(&["-A", &target, "worker", "--loglevel=INFO"]));
    let reason = app.as_ref().map_or_else(
        || deps.reason("celery", "celery worker (app module assumed `app`)"),
        |a| a.reason("the Celery app object"),
    );
    Serving {
        kind: Fact::new(
            ServiceKind::Worker,
            deps.reason("celery", "depends on celery and no web framework"),
        ),
        entrypoint: Some(Fact::new(Command::exec_words(argv), reason)),
        dev: None,
        port: Fact::new(
            8000,
            Reason::default_for("workers listen nowhere; 8000 is Python's usual port"),
        ),
        app_file: app.map(|a| a.file),
        missing: Vec::new(),
        health_path: None,
    }
}

fn asgi(scan: &ProjectScan, deps: &Deps, app: Option<PyApp>, dep: &str) -> Serving {
    let (target, factory, root, reason) = match &app {
        Some(app) => (
            app.target(),
            app.factory,
            app.import_root.clone(),
            app.reason(if app.factory {
                "ASGI app factory"
            } else {
                "ASGI app object"
            }),
        ),
        None => {
            let (module, root) = ["main.py", "app/main.py", "src/main.py", "app.py"]
                .into_iter()
                .find(|f| scan.has(f))
                .map_or(("main", "."), |f| match f {
                    "app/main.py" => ("app.main", "."),
                    "src/main.py" => ("main", "src"),
                    "app.py" => ("app", "."),
                    _ => ("main", "."),
                });
            (
                format!("{module}:app"),
                false,
                root.to_string(),
                deps.reason(
                    dep,
                    &format!("ASGI app (no app object found: assuming {module}:app)"),
                ),
            )
        }
    };
    let mut argv = words(&["uvicorn", &target]);
    if factory {
        argv.push("--factory".into());
    }
    if root != "." {
        argv.extend(words(&["--app-dir", &root]));
    }
    argv.extend(words(&["--host", "0.0.0.0", "--port"]));
    argv.push(Word::port());
    let mut dev = argv.clone();
    dev.push("--reload".into());
    // fastapi[standard] and litestar[standard] bring uvicorn with them.
    let bundled = deps.main_with_extra("fastapi", &["standard", "all"])
        || deps.main_with_extra("litestar", &["standard", "full"]);
    Serving {
        kind: http(deps.reason(dep, "depends on an ASGI framework")),
        entrypoint: Some(Fact::new(Command::exec_words(argv), reason.clone())),
        dev: Some(Fact::new(Command::exec_words(dev), reason)),
        port: Fact::new(
            8000,
            deps.reason(dep, "uvicorn serves on 8000 by convention"),
        ),
        app_file: app.map(|a| a.file),
        missing: if bundled {
            Vec::new()
        } else {
            missing(
                deps,
                "uvicorn",
                "the ASGI app is served by uvicorn",
                deps.reason(dep, ""),
            )
        },
        health_path: None,
    }
}

fn django(deps: &Deps, django: pyapp::Django) -> Serving {
    let manage = if django.dir == "." {
        "manage.py".to_string()
    } else {
        format!("{}/manage.py", django.dir)
    };
    let mut dev = words(&["python", &manage, "runserver"]);
    dev.push(Word::port_after("0.0.0.0:"));
    let entrypoint = django.wsgi.as_ref().map(|wsgi| {
        let mut argv = words(&["gunicorn", "--bind"]);
        argv.push(Word::port_after("0.0.0.0:"));
        if django.dir != "." {
            argv.extend(words(&["--pythonpath", &django.dir]));
        }
        argv.push(wsgi.as_str().into());
        Fact::new(Command::exec_words(argv), django.reason.clone())
    });
    Serving {
        kind: http(deps.reason("django", "depends on django")),
        missing: if entrypoint.is_some() {
            missing(
                deps,
                "gunicorn",
                "the production target serves the WSGI module with gunicorn",
                deps.reason("django", ""),
            )
        } else {
            Vec::new()
        },
        entrypoint,
        dev: Some(Fact::new(
            Command::exec_words(dev),
            Reason::at(&manage, None, "Django's autoreloading dev server"),
        )),
        port: Fact::new(
            8000,
            deps.reason("django", "Django serves on 8000 by default"),
        ),
        app_file: None,
        health_path: None,
    }
}

fn flask(scan: &ProjectScan, deps: &Deps, app: Option<PyApp>) -> Serving {
    let (target, root, reason) = match &app {
        Some(app) => {
            let call = if app.factory { "()" } else { "" };
            (
                format!("{}{call}", app.target()),
                app.import_root.clone(),
                app.reason(if app.factory {
                    "WSGI app factory"
                } else {
                    "WSGI app object"
                }),
            )
        }
        None => {
            let module = ["app.py", "wsgi.py", "main.py"]
                .into_iter()
                .find(|f| scan.has(f))
                .map_or("app", |f| f.trim_end_matches(".py"));
            (
                format!("{module}:app"),
                ".".to_string(),
                deps.reason(
                    "flask",
                    &format!("Flask app (no app object found: assuming {module}:app)"),
                ),
            )
        }
    };
    let mut prod = words(&["gunicorn", "--bind"]);
    prod.push(Word::port_after("0.0.0.0:"));
    if root != "." {
        prod.extend(words(&["--pythonpath", &root]));
    }
    prod.push(target.as_str().into());
    let mut dev = words(&[
        "flask", "--app", &target, "run", "--host", "0.0.0.0", "--port",
    ]);
    dev.push(Word::port());
    dev.push("--debug".into());
    let mut dev = Command::exec_words(dev);
    if root != "." {
        dev = dev.with_env("PYTHONPATH", root.as_str().into());
    }
    Serving {
        kind: http(deps.reason("flask", "depends on flask")),
        entrypoint: Some(Fact::new(Command::exec_words(prod), reason.clone())),
        dev: Some(Fact::new(dev, reason)),
        port: Fact::new(
            5000,
            deps.reason("flask", "Flask serves on 5000 by default"),
        ),
        app_file: app.map(|a| a.file),
        missing: missing(
            deps,
            "gunicorn",
            "the production target serves the WSGI app with gunicorn",
            deps.reason("flask", ""),
        ),
        health_path: None,
    }
}

/// A Streamlit app: `streamlit run` on the script that imports it, headless, bound to 0.0.0.0.
fn streamlit(scan: &ProjectScan, deps: &Deps) -> Serving {
    let imports = |text: &str| {
        text.lines()
            .any(|l| l.starts_with("import streamlit") || l.starts_with("from streamlit"))
    };
    let mut scripts: Vec<&String> = scan
        .contents
        .iter()
        .filter(|(f, t)| f.ends_with(".py") && !f.contains('/') && imports(t))
        .map(|(f, _)| f)
        .collect();
    let rank = |f: &&String| {
        ["streamlit_app.py", "app.py", "main.py", "Home.py"]
            .iter()
            .position(|n| *n == f.as_str())
            .unwrap_or(9)
    };
    scripts.sort_by_key(rank);
    let script = scripts.first().map_or("app.py", |f| f.as_str());
    let mut argv = words(&[
        "streamlit",
        "run",
        script,
        "--server.address",
        "0.0.0.0",
        "--server.port",
    ]);
    argv.push(Word::port());
    argv.extend(words(&["--server.headless", "true"]));
    let mut dev = argv.clone();
    dev.extend(words(&["--server.runOnSave", "true"]));
    let reason = Reason::at(script, None, "imports streamlit: `streamlit run` serves it");
    Serving {
        kind: http(deps.reason("streamlit", "depends on streamlit")),
        entrypoint: Some(Fact::new(Command::exec_words(argv), reason.clone())),
        dev: Some(Fact::new(Command::exec_words(dev), reason)),
        port: Fact::new(
            8501,
            deps.reason("streamlit", "Streamlit serves on 8501 by default"),
        ),
        app_file: None,
        missing: Vec::new(),
        health_path: Some(Fact::new(
            "/_stcore/health".to_string(),
            deps.reason("streamlit", "Streamlit's own liveness route"),
        )),
    }
}

/// What a script that opens a listening socket uses (the standard library's servers, aiohttp,
/// sockets bound by hand): without any of them, a framework-less script is a worker.
const SERVES: &[&str] = &[
    "http.server",
    "HTTPServer",
    "socketserver",
    "wsgiref",
    "aiohttp",
    "serve_forever",
    "start_server",
    ".bind(",
    ".listen(",
    "tornado",
    "waitress",
];

fn plain(scan: &ProjectScan, manifest: &str) -> Serving {
    let conventional = [
        "main.py",
        "app.py",
        "server.py",
        "run.py",
        "worker.py",
        "src/main.py",
    ]
    .into_iter()
    .find(|f| scan.has(f))
    .map(|f| {
        (
            f.to_string(),
            Reason::at(f, None, "conventional entry file"),
        )
    });
    // Otherwise a top-level script with a `__main__` guard.
    let guarded = || {
        scan.contents.iter().find_map(|(file, text)| {
            let shallow =
                !file.contains('/') || file.starts_with("src/") && file.matches('/').count() == 1;
            if !shallow || !file.ends_with(".py") {
                return None;
            }
            let line = text
                .lines()
                .position(|l| l.starts_with("if __name__") && l.contains("__main__"))?;
            Some((
                file.clone(),
                Reason::at(file, Some(line + 1), "runs as a script"),
            ))
        })
    };
    let entry = conventional.or_else(guarded);
    // The entry file read: a script that never opens a server socket is a worker (a job loop, a
    // queue consumer) and gets a heartbeat check instead of an HTTP probe of a port nobody binds.
    let serves = entry
        .as_ref()
        .and_then(|(file, _)| scan.text(file))
        .map(|text| SERVES.iter().find(|needle| text.contains(*needle)));
    let kind = match (&entry, serves) {
        (Some((file, _)), Some(None)) => Fact::new(
            ServiceKind::Worker,
            Reason::at(
                file,
                None,
                "no web framework, and it opens no server socket: a worker",
            ),
        ),
        (Some((file, _)), Some(Some(needle))) => http(Reason::at(
            file,
            None,
            format!("no framework, but it serves (`{needle}`)"),
        )),
        _ => http(Reason::default_for(
            "no framework found: assuming an HTTP service",
        )),
    };
    Serving {
        kind,
        entrypoint: entry.map(|(file, reason)| Fact::new(Command::exec(["python", &file]), reason)),
        dev: None,
        port: Fact::new(
            8000,
            Reason::at(
                manifest,
                None,
                "no framework found: Python default port 8000",
            ),
        ),
        app_file: None,
        missing: Vec::new(),
        health_path: None,
    }
}
