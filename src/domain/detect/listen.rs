//! The port a server listens on, read only from the server's own listen call and the `PORT`
//! variable's default: `app.listen(3000)`, `uvicorn.run(port=8000)`, `app.run(port=5000)`,
//! `http.ListenAndServe(":8080")`, `TcpListener::bind("0.0.0.0:3000")`, actix `.bind(("0.0.0.0",
//! 8080))`, `process.env.PORT || 3000`, `os.getenv("PORT", "8000")`. A client's options
//! (`Redis(port=6379)`, `createClient({port: 6379})`, a database URL) and test-runner configs
//! (karma, jest, playwright…) never name the app's port.

use self::expr::{call_args, literal, object_key, port_of, split_args};
use super::facts::{Fact, Reason, line_col};
use super::{Language, ProjectScan};

/// Environment variables that hold the app's own port.
pub(crate) const PORT_KEYS: &[&str] = &["PORT", "APP_PORT", "HTTP_PORT", "SERVER_PORT"];

/// Calls whose argument is the server's listen address, per language: (callee, which argument).
const NODE_CALLS: &[(&str, Arg)] = &[(".listen(", Arg::Nth(0)), ("serve(", Arg::Key("port"))];
const PYTHON_CALLS: &[(&str, Arg)] = &[
    (".run(", Arg::KeyOrNth("port", 1)),
    ("run_app(", Arg::Key("port")),
    ("serve(", Arg::Key("port")),
    ("run_simple(", Arg::Nth(1)),
];
const GO_CALLS: &[(&str, Arg)] = &[
    ("ListenAndServe(", Arg::Nth(0)),
    ("ListenAndServeTLS(", Arg::Nth(0)),
    ("net.Listen(", Arg::Nth(1)),
    (".Run(", Arg::Nth(0)),
    (".Listen(", Arg::Nth(0)),
    (".Start(", Arg::Nth(0)),
];
const RUST_CALLS: &[(&str, Arg)] = &[("bind(", Arg::Nth(0)), (".run(", Arg::Nth(0))];

/// Which argument of a call holds the address.
#[derive(Debug, Clone, Copy)]
enum Arg {
    Nth(usize),
    /// A keyword (`port=`) or an object key (`port:`).
    Key(&'static str),
    KeyOrNth(&'static str, usize),
}

/// Files that configure tests or tooling, or hold tests: never the app's listen call.
fn is_app_source(file: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file);
    let tooling = [
        "karma.conf",
        "protractor.conf",
        "jest.config",
        "vitest.config",
        "playwright.config",
        "cypress.config",
        "wdio.conf",
        "webpack.config",
        "rollup.config",
        "gulpfile",
        "Gruntfile",
    ];
    let test_dir = file.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "test"
                | "tests"
                | "__tests__"
                | "e2e"
                | "cypress"
                | "spec"
                | "fixtures"
                | "__mocks__"
                | "mocks"
                | "examples"
                | "benches"
        )
    });
    !test_dir
        && !tooling.iter().any(|t| base.starts_with(t))
        && !base.contains(".test.")
        && !base.contains(".spec.")
        && !base.ends_with("_test.go")
        && !base.starts_with("test_")
}

/// A candidate port: listen calls (rank 0) beat variable defaults (rank 1).
struct Hit<'a> {
    rank: u8,
    depth: usize,
    file: &'a str,
    line: usize,
    port: u16,
}

pub(crate) fn from_code(scan: &ProjectScan, language: Option<Language>) -> Option<Fact<u16>> {
    let (exts, calls) = per_language(language?)?;
    let mut best: Option<Hit> = None;
    for (file, raw) in &scan.contents {
        if !exts.iter().any(|e| file.ends_with(e)) || !is_app_source(file) {
            continue;
        }
        let text = strip_comments(raw, language == Some(Language::Python));
        let hits = calls
            .iter()
            .flat_map(|(callee, arg)| call_ports(&text, callee, *arg).map(|h| (0, h)))
            .chain(env_defaults(&text).map(|h| (1, h)))
            .chain(server_struct(&text).map(|h| (0, h)));
        for (rank, (offset, port)) in hits {
            let hit = Hit {
                rank,
                depth: file.matches('/').count(),
                file,
                line: line_col(&text, offset).0,
                port,
            };
            let better = best
                .as_ref()
                .is_none_or(|b| (hit.rank, hit.depth) < (b.rank, b.depth));
            if better {
                best = Some(hit);
            }
        }
    }
    let hit = best?;
    let line = scan
        .text(hit.file)
        .and_then(|t| t.lines().nth(hit.line - 1))
        .unwrap_or_default()
        .trim()
        .to_string();
    Some(Fact::new(
        hit.port,
        Reason::at(hit.file, Some(hit.line), line),
    ))
}

/// A listen call bound to the loopback interface (`app.listen(3000, "127.0.0.1")`, actix
/// `.bind(("127.0.0.1", 8080))`): inside a container only the container itself reaches it, so
/// the published port answers nothing. The host is in the code; `init` can only say so.
pub(crate) fn loopback(scan: &ProjectScan, language: Option<Language>) -> Option<Fact<String>> {
    let (exts, calls) = per_language(language?)?;
    for (file, raw) in &scan.contents {
        if !exts.iter().any(|e| file.ends_with(e)) || !is_app_source(file) {
            continue;
        }
        let text = strip_comments(raw, language == Some(Language::Python));
        for (callee, _) in calls {
            for (at, args) in call_args(&text, callee) {
                // The address may be a name declared elsewhere in the file (`bind(&addr)`).
                let first = split_args(args)
                    .first()
                    .map_or("", |a| a.trim_start_matches('&'));
                let is_name = !first.is_empty()
                    && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let declared = is_name
                    .then(|| expr::declaration(&text, first))
                    .flatten()
                    .unwrap_or_default();
                // Fastify listens on localhost unless told a host.
                let fastify_default = language == Some(Language::Node)
                    && *callee == ".listen("
                    && text.contains("fastify")
                    && !["host", "0.0.0.0", "::"].iter().any(|h| args.contains(h));
                let host = [args, declared]
                    .into_iter()
                    .find_map(loopback_host)
                    .or(fastify_default.then_some("localhost (Fastify's default host)"));
                if let Some(host) = host {
                    let line = line_col(&text, at).0;
                    let code = raw.lines().nth(line - 1).unwrap_or_default().trim();
                    return Some(Fact::new(
                        host.to_string(),
                        Reason::at(file, Some(line), code.to_string()),
                    ));
                }
            }
        }
    }
    None
}

fn loopback_host(text: &str) -> Option<&'static str> {
    let quoted = |host: &str| {
        ["\"", "'", "`"]
            .iter()
            .any(|q| text.contains(&format!("{q}{host}")))
    };
    if quoted("127.0.0.1")
        || text.contains("[127, 0, 0, 1]")
        || text.contains("Ipv4Addr::LOCALHOST")
    {
        Some("127.0.0.1")
    } else if quoted("localhost") {
        Some("localhost")
    } else {
        None
    }
}

type Calls = (&'static [&'static str], &'static [(&'static str, Arg)]);

fn per_language(language: Language) -> Option<Calls> {
    Some(match language {
        Language::Node => (&[".js", ".mjs", ".cjs", ".ts", ".mts"], NODE_CALLS),
        Language::Python => (&[".py"], PYTHON_CALLS),
        Language::Go => (&[".go"], GO_CALLS),
        Language::Rust => (&[".rs"], RUST_CALLS),
        // The JVM's servers bind every interface unless configured otherwise.
        // Ruby: the generated command passes the bind address (-b, --bind, -o).
        // .NET: the generated image sets ASPNETCORE_HTTP_PORTS, which binds every interface.
        // Deno.serve binds 0.0.0.0 unless told otherwise.
        Language::Java
        | Language::Php
        | Language::Ruby
        | Language::Dotnet
        | Language::Deno
        | Language::Static => {
            return None;
        }
    })
}

/// Comments blanked (line structure kept); `//` after `:` is a URL, not a comment.
fn strip_comments(text: &str, python: bool) -> String {
    text.lines()
        .map(|line| {
            if python {
                if line.trim_start().starts_with('#') {
                    ""
                } else {
                    line
                }
            } else {
                let cut = line
                    .match_indices("//")
                    .find(|(i, _)| !line[..*i].ends_with(':'))
                    .map_or(line.len(), |(i, _)| i);
                &line[..cut]
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn call_ports<'a>(
    text: &'a str,
    callee: &'a str,
    arg: Arg,
) -> impl Iterator<Item = (usize, u16)> + 'a {
    call_args(text, callee).filter_map(move |(at, args)| {
        let parts = split_args(args);
        let keyed = |key: &str| {
            parts.iter().find_map(|p| {
                let rest = p.strip_prefix(key)?.trim_start();
                rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))
            })
        };
        let expr = match arg {
            Arg::Nth(n) => parts.get(n).copied(),
            Arg::Key(key) => keyed(key).or_else(|| object_key(parts.first()?, key)),
            Arg::KeyOrNth(key, n) => keyed(key).or_else(|| {
                let positional = parts.get(n)?;
                (!positional.contains('=')).then_some(*positional)
            }),
        }?;
        // `.listen({ port: 3000, host })`: the options object of the listen call.
        let expr = object_key(expr, "port").unwrap_or(expr);
        port_of(expr, text, 3).map(|port| (at, port))
    })
}

/// `process.env.PORT || 3000`, `os.getenv("PORT", "8000")`, `env::var("PORT")…unwrap_or(3000)`,
/// Go's `if port == "" { port = "8080" }` after `os.Getenv("PORT")`.
fn env_defaults(text: &str) -> impl Iterator<Item = (usize, u16)> + '_ {
    text.lines()
        .scan(0usize, |offset, line| {
            let at = *offset;
            *offset += line.len() + 1;
            Some((at, line))
        })
        .filter_map(move |(at, line)| {
            let key = PORT_KEYS.iter().find(|k| {
                line.contains(&format!("process.env.{k}"))
                    || line.contains(&format!("\"{k}\""))
                    || line.contains(&format!("'{k}'"))
            });
            if key.is_some() {
                let rhs =
                    line.split_once('=').map_or(
                        line,
                        |(lhs, rhs)| if lhs.contains('(') { line } else { rhs },
                    );
                if let Some(port) = env_fallback(rhs, text) {
                    return Some((at, port));
                }
            }
            go_empty_default(text, line).map(|port| (at, port))
        })
}

fn env_fallback(rhs: &str, text: &str) -> Option<u16> {
    let rhs = rhs.trim().trim_end_matches(';');
    for op in ["||", "??", "unwrap_or"] {
        if let Some((_, fallback)) = rhs.rsplit_once(op) {
            let fallback = fallback.trim_start_matches("_else").trim();
            let fallback = fallback.trim_start_matches('(').trim_end_matches(')');
            let fallback = fallback.rsplit("| ").next().unwrap_or(fallback);
            return port_of(
                fallback
                    .trim_end_matches(".to_string()")
                    .trim_end_matches(".into()"),
                text,
                2,
            );
        }
    }
    // `os.getenv("PORT", "8000")`, `int(os.environ.get("PORT", 5000))`, `getEnv("PORT", "8080")`.
    let (_, args) = rhs.rsplit_once("PORT")?;
    let args = args.trim_start_matches(['"', '\'']).trim_start();
    let value = args.strip_prefix(',')?;
    let value = value.split([')', ',']).next()?;
    port_of(value, text, 2)
}

/// Go: `port = "8080"` on a line after `os.Getenv("PORT")` was read into that name.
fn go_empty_default(text: &str, line: &str) -> Option<u16> {
    if !text.contains("Getenv(\"PORT\")") {
        return None;
    }
    let (lhs, rhs) = line.split_once('=')?;
    let name = lhs.trim().trim_end_matches(':');
    let port_name =
        name.to_ascii_lowercase().contains("port") || name.to_ascii_lowercase().contains("addr");
    (port_name && !rhs.starts_with('=') && rhs.trim().starts_with('"'))
        .then(|| literal(rhs.trim()))?
}

/// Go: `Addr: ":8080"` inside an `http.Server{…}` literal (a client's `Addr` is elsewhere).
fn server_struct(text: &str) -> impl Iterator<Item = (usize, u16)> + '_ {
    text.match_indices("http.Server{")
        .filter_map(move |(at, _)| {
            let body = &text[at..];
            let body = &body[..body.find('}').unwrap_or(body.len())];
            let (i, _) = body.match_indices("Addr:").next()?;
            let value = body[i + 5..].split([',', '\n']).next()?;
            port_of(value, text, 3).map(|port| (at + i, port))
        })
}

mod expr;
#[cfg(test)]
mod tests;
