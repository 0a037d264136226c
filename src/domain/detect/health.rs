//! Health route detection: a liveness path the code already serves (`/health`, `/healthz`,
//! …), so the generated HEALTHCHECK probes a route that exists instead of a 404.

use super::facts::{Fact, Reason};
use super::{Detected, Language, ProjectScan, ServiceKind};

/// Liveness paths in order of preference; readiness paths (`/ready`) are left out on purpose:
/// the source document keeps dependencies out of HEALTHCHECK.
const CANDIDATES: &[&str] = &[
    "/health",
    "/healthz",
    "/livez",
    "/health/live",
    "/health/liveness",
    "/api/health",
    "/api/healthz",
    "/_health",
    "/healthcheck",
    "/ping",
    "/status",
];

fn extensions(language: Language) -> &'static [&'static str] {
    match language {
        Language::Node => &[".js", ".mjs", ".cjs", ".ts", ".mts"],
        Language::Python => &[".py"],
        Language::Go => &[".go"],
        Language::Rust => &[".rs"],
        Language::Java => &[".java", ".kt"],
        Language::Php => &[".php"],
        Language::Ruby => &[".rb", ".ru"],
        Language::Dotnet => &[".cs", ".fs"],
        Language::Deno => &[".ts", ".tsx", ".js", ".mjs"],
        Language::Static => &[],
    }
}

pub(crate) fn detect(scan: &ProjectScan, out: &mut Detected) {
    let Some(language) = out.language.as_ref().map(|l| l.value) else {
        return;
    };
    if out
        .kind
        .as_ref()
        .is_some_and(|k| k.value != ServiceKind::Http)
    {
        return;
    }
    let exts = extensions(language);
    let mut best: Option<(usize, Fact<String>)> = None;
    for (file, text) in &scan.contents {
        if !exts.iter().any(|ext| file.ends_with(ext)) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with('#') || code.starts_with('*') {
                continue;
            }
            for (rank, path) in route_literals(code).filter_map(|(key, probe)| {
                CANDIDATES
                    .iter()
                    .position(|c| *c == key)
                    .map(|r| (r, probe))
            }) {
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    let reason = Reason::at(file, Some(index + 1), code.trim_end().to_string());
                    best = Some((rank, Fact::new(path, reason)));
                }
            }
        }
    }
    // A framework's built-in route (Streamlit's) stays when the code names none.
    if let Some((_, fact)) = best {
        out.health_path = Some(fact);
    }
}

/// The string literals of a line that look like route paths: `(key, probe)`, the key without
/// a trailing slash for the comparison, the probe as served (a Django `path("healthz/", …)`
/// serves `/healthz/` and redirects `/healthz` to it).
fn route_literals(line: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let mut rest = line;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(['"', '\'', '`'])?;
            let quote = rest[start..].chars().next()?;
            let after = &rest[start + 1..];
            let end = after.find(quote)?;
            let literal = &after[..end];
            rest = &after[end + 1..];
            let trimmed = literal.trim_end_matches('/');
            if trimmed.is_empty() || trimmed.contains(char::is_whitespace) {
                continue;
            }
            if trimmed.starts_with('/') {
                return Some((trimmed.to_string(), literal.to_string()));
            }
            if line.contains("path(") {
                return Some((format!("/{trimmed}"), format!("/{literal}")));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::detect::facts::Fact;

    fn scan(files: &[(&str, &str)]) -> ProjectScan {
        ProjectScan {
            name: "p".into(),
            files: files.iter().map(|(f, _)| (*f).to_string()).collect(),
            contents: files
                .iter()
                .map(|(f, t)| ((*f).to_string(), (*t).to_string()))
                .collect(),
        }
    }

    fn found(language: Language, files: &[(&str, &str)]) -> Option<(String, String)> {
        let mut out = Detected {
            language: Some(Fact::new(language, Reason::default_for("test"))),
            ..Detected::default()
        };
        detect(&scan(files), &mut out);
        out.health_path.map(|f| (f.value, f.reason.to_string()))
    }

    #[test]
    fn routes_in_each_language() {
        let express =
            "app.get('/users', list);\napp.get(\"/healthz\", (req, res) => res.send('ok'));";
        assert_eq!(
            found(Language::Node, &[("src/app.js", express)]),
            Some((
                "/healthz".into(),
                "src/app.js:2: app.get(\"/healthz\", (req, res) => res.send('ok'));".into()
            ))
        );
        let fastapi = "@app.get(\"/health\")\ndef health():\n    return {}";
        assert_eq!(
            found(Language::Python, &[("main.py", fastapi)]).map(|f| f.0),
            Some("/health".into())
        );
        let django = "urlpatterns = [path('admin/', admin.site.urls), path('healthz/', views.h)]";
        assert_eq!(
            found(Language::Python, &[("app/urls.py", django)]).map(|f| f.0),
            Some("/healthz/".into())
        );
        let go = "mux.HandleFunc(\"/ping\", ping)\nmux.HandleFunc(\"/livez\", live)";
        assert_eq!(
            found(Language::Go, &[("main.go", go)]).map(|f| f.0),
            Some("/livez".into()),
            "a liveness path wins over /ping"
        );
        let axum = "Router::new().route(\"/api/health\", get(health))";
        assert_eq!(
            found(Language::Rust, &[("src/main.rs", axum)]).map(|f| f.0),
            Some("/api/health".into())
        );
    }

    #[test]
    fn nothing_without_a_route_and_comments_do_not_count() {
        let app = "// TODO: app.get('/health')\napp.get('/', home);\nconst s = 'health';";
        assert_eq!(found(Language::Node, &[("server.js", app)]), None);
        assert_eq!(
            found(Language::Go, &[("server.js", "app.get('/health', h)")]),
            None,
            "only the project's language is read"
        );
    }

    #[test]
    fn workers_have_no_route() {
        let mut out = Detected {
            language: Some(Fact::new(Language::Node, Reason::default_for("test"))),
            kind: Some(Fact::new(ServiceKind::Worker, Reason::default_for("test"))),
            ..Detected::default()
        };
        detect(&scan(&[("a.js", "app.get('/health', h)")]), &mut out);
        assert_eq!(out.health_path, None);
    }
}
