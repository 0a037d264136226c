//! The decision tree of the source document, as data: which question follows which answer, the
//! leaves (one Dockerfile pattern each), and the questions every leaf asks afterwards.
//!
//! ```text
//! Language ─ node ── BuildStep ─ yes → node-build      (multi-stage: deps + build + runtime)
//!          │                   └ no  → node-plain      (single stage on a slim base)
//!          ├ python ─ PythonManager ─ pip → python-pip (venv) / uv → python-uv / poetry → python-poetry (export)
//!          ├ go ───── GoBase ─ distroless | scratch    → go
//!          ├ rust ─── RustBase ─ debian-slim | distroless-cc → rust
//!          ├ java ─── JavaBuild ─ maven → java-maven / gradle → java-gradle (JDK build → JRE)
//!          ├ php ──── php-apache (Composer vendor stage → Apache + mod_php)
//!          ├ ruby ─── ruby (Bundler gems stage → Puma / rails server)
//!          ├ deno ─── deno (deno install from deno.json/deno.lock → deno run)
//!          ├ dotnet ─ dotnet (SDK restore/publish → ASP.NET Core or .NET runtime)
//!          └ static ─ StaticServer ─ nginx → static-nginx / caddy → static-caddy
//! then: SiteBuild (static), NodeManager (node, built static), Kind, Port (not workers), AddOns, Security
//! ```

use serde::{Deserialize, Serialize};

/// Every question the wizard can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionId {
    Language,
    BuildStep,
    PythonManager,
    GoBase,
    RustBase,
    JavaBuild,
    StaticServer,
    SiteBuild,
    NodeManager,
    Port,
    Kind,
    AddOns,
    Security,
}

/// One Dockerfile pattern of the source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Leaf {
    NodeBuild,
    NodePlain,
    PythonPip,
    PythonUv,
    PythonPoetry,
    Go,
    Rust,
    JavaMaven,
    JavaGradle,
    PhpApache,
    Ruby,
    Dotnet,
    Deno,
    StaticNginx,
    StaticCaddy,
}

impl Leaf {
    pub const ALL: [Leaf; 15] = [
        Leaf::NodeBuild,
        Leaf::NodePlain,
        Leaf::PythonPip,
        Leaf::PythonUv,
        Leaf::PythonPoetry,
        Leaf::Go,
        Leaf::Rust,
        Leaf::JavaMaven,
        Leaf::JavaGradle,
        Leaf::PhpApache,
        Leaf::Ruby,
        Leaf::Dotnet,
        Leaf::Deno,
        Leaf::StaticNginx,
        Leaf::StaticCaddy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Leaf::NodeBuild => "node-build",
            Leaf::NodePlain => "node-plain",
            Leaf::PythonPip => "python-pip",
            Leaf::PythonUv => "python-uv",
            Leaf::PythonPoetry => "python-poetry",
            Leaf::Go => "go",
            Leaf::Rust => "rust",
            Leaf::JavaMaven => "java-maven",
            Leaf::JavaGradle => "java-gradle",
            Leaf::PhpApache => "php-apache",
            Leaf::Ruby => "ruby",
            Leaf::Dotnet => "dotnet",
            Leaf::Deno => "deno",
            Leaf::StaticNginx => "static-nginx",
            Leaf::StaticCaddy => "static-caddy",
        }
    }

    pub fn is_node(self) -> bool {
        matches!(self, Leaf::NodeBuild | Leaf::NodePlain)
    }

    pub fn is_java(self) -> bool {
        matches!(self, Leaf::JavaMaven | Leaf::JavaGradle)
    }

    pub fn is_static(self) -> bool {
        matches!(self, Leaf::StaticNginx | Leaf::StaticCaddy)
    }
}

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Ask(QuestionId),
    Leaf(Leaf),
}

/// One arrow of the tree: at `from`, answering `answer` leads to `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: QuestionId,
    pub answer: &'static str,
    pub next: Next,
}

const fn edge(from: QuestionId, answer: &'static str, next: Next) -> Edge {
    Edge { from, answer, next }
}

use Next::{Ask, Leaf as To};
use QuestionId as Q;

/// The first question.
pub const ROOT: QuestionId = QuestionId::Language;

/// The tree, exactly as the source document draws it.
pub const TREE: &[Edge] = &[
    edge(Q::Language, "node", Ask(Q::BuildStep)),
    edge(Q::Language, "python", Ask(Q::PythonManager)),
    edge(Q::Language, "go", Ask(Q::GoBase)),
    edge(Q::Language, "rust", Ask(Q::RustBase)),
    edge(Q::Language, "java", Ask(Q::JavaBuild)),
    // Apache with mod_php, as `docker init` does: one pattern, no question.
    edge(Q::Language, "php", To(Leaf::PhpApache)),
    // Bundler and the app's own server (Puma, rails server, rackup): one pattern, no question.
    edge(Q::Language, "ruby", To(Leaf::Ruby)),
    // dotnet restore/publish on the SDK, the ASP.NET Core or .NET runtime: one pattern.
    edge(Q::Language, "dotnet", To(Leaf::Dotnet)),
    // deno install from the config and lock, deno run: one pattern.
    edge(Q::Language, "deno", To(Leaf::Deno)),
    edge(Q::Language, "static", Ask(Q::StaticServer)),
    edge(Q::BuildStep, "yes", To(Leaf::NodeBuild)),
    edge(Q::BuildStep, "no", To(Leaf::NodePlain)),
    edge(Q::PythonManager, "pip", To(Leaf::PythonPip)),
    edge(Q::PythonManager, "uv", To(Leaf::PythonUv)),
    edge(Q::PythonManager, "poetry", To(Leaf::PythonPoetry)),
    edge(Q::GoBase, "distroless", To(Leaf::Go)),
    edge(Q::GoBase, "scratch", To(Leaf::Go)),
    edge(Q::RustBase, "debian-slim", To(Leaf::Rust)),
    edge(Q::RustBase, "distroless-cc", To(Leaf::Rust)),
    edge(Q::JavaBuild, "maven", To(Leaf::JavaMaven)),
    edge(Q::JavaBuild, "gradle", To(Leaf::JavaGradle)),
    edge(Q::StaticServer, "nginx", To(Leaf::StaticNginx)),
    edge(Q::StaticServer, "caddy", To(Leaf::StaticCaddy)),
];

/// Questions after the leaf, in order; `applies` says which a leaf asks.
pub const AFTER_LEAF: &[QuestionId] = &[
    Q::SiteBuild,
    Q::NodeManager,
    Q::Kind,
    Q::Port,
    Q::AddOns,
    Q::Security,
];

/// Whether a post-leaf question is asked for `leaf`, given the answers so far (`answer(q)`).
pub fn applies(
    question: QuestionId,
    leaf: Leaf,
    answer: impl Fn(QuestionId) -> Option<String>,
) -> bool {
    match question {
        Q::SiteBuild => leaf.is_static(),
        Q::NodeManager => {
            leaf.is_node() || (leaf.is_static() && answer(Q::SiteBuild).as_deref() == Some("yes"))
        }
        // nginx/caddy listen on their fixed unprivileged port and only ever serve files.
        Q::Kind => !leaf.is_static(),
        // Workers listen nowhere.
        Q::Port => !leaf.is_static() && answer(Q::Kind).as_deref() != Some("worker"),
        Q::AddOns | Q::Security => true,
        _ => false,
    }
}

/// A choice of a select question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

const fn choice(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Select(&'static [Choice]),
    MultiSelect(&'static [Choice]),
    Port,
}

/// The fixed text of a question: prompt, one-line help, and how it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionSpec {
    pub id: QuestionId,
    pub prompt: &'static str,
    pub help: &'static str,
    pub input: Input,
}

pub const YES_NO: &[Choice] = &[choice("yes", "Yes"), choice("no", "No")];
pub const ADD_ONS: &[Choice] = &[
    choice(
        "postgres",
        "PostgreSQL (postgres:16.6-alpine, pg_isready health check)",
    ),
    choice("redis", "Redis (redis:7.4.2-alpine, redis-cli ping)"),
    choice("mysql", "MySQL (mysql:8.4.3, mysqladmin ping)"),
];
pub const SECURITY: &[Choice] = &[
    choice(
        "no-new-privileges",
        "no-new-privileges: setuid binaries cannot raise privileges",
    ),
    choice(
        "cap-drop",
        "drop all Linux capabilities of the app container",
    ),
    choice(
        "read-only",
        "read-only root filesystem (+ tmpfs /tmp) for a `production` profile service",
    ),
];

/// The text of every question.
pub fn spec(id: QuestionId) -> QuestionSpec {
    let (prompt, help, input) = match id {
        Q::Language => (
            "What are you building?",
            "Picks the Dockerfile pattern of the decision tree.",
            Input::Select(
                const {
                    &[
                        choice("node", "Node.js / TypeScript"),
                        choice("python", "Python"),
                        choice("go", "Go"),
                        choice("rust", "Rust"),
                        choice("java", "Java / Kotlin (JVM)"),
                        choice("php", "PHP (Composer, Laravel, Symfony)"),
                        choice("ruby", "Ruby (Bundler, Rails, Sinatra, Rack)"),
                        choice("dotnet", ".NET (ASP.NET Core, worker services)"),
                        choice("deno", "Deno (deno.json)"),
                        choice("static", "Static site"),
                    ]
                },
            ),
        ),
        Q::BuildStep => (
            "Does it need a build step?",
            "TypeScript or a bundler → multi-stage (deps + build + runtime); plain JS → single stage on a slim base.",
            Input::Select(
                const {
                    &[
                        choice(
                            "yes",
                            "Yes, TypeScript/bundler (multi-stage: build + runtime)",
                        ),
                        choice("no", "No, plain JS (single stage on node:slim)"),
                    ]
                },
            ),
        ),
        Q::PythonManager => (
            "Which package manager?",
            "Decides how dependencies are installed before the source is copied.",
            Input::Select(
                const {
                    &[
                        choice("pip", "pip (venv pattern)"),
                        choice("uv", "uv (fastest)"),
                        choice("poetry", "poetry (export pattern)"),
                    ]
                },
            ),
        ),
        Q::GoBase => (
            "Final image for the Go binary?",
            "Both have no shell: the health check uses a static probe.",
            Input::Select(
                const {
                    &[
                        choice(
                            "distroless",
                            "distroless static (CA certificates, /tmp, nonroot user)",
                        ),
                        choice("scratch", "scratch (empty; smallest)"),
                    ]
                },
            ),
        ),
        Q::RustBase => (
            "Final image for the Rust binary?",
            "The binary links glibc, so the runtime must match the build's Debian release.",
            Input::Select(
                const {
                    &[
                        choice("debian-slim", "debian:bookworm-slim (has a shell)"),
                        choice("distroless-cc", "distroless cc (glibc, no shell)"),
                    ]
                },
            ),
        ),
        Q::JavaBuild => (
            "Which build tool?",
            "Its wrapper (mvnw, gradlew) is used when the project has one; the JDK builds, a JRE runs.",
            Input::Select(
                const {
                    &[
                        choice("maven", "Maven (pom.xml)"),
                        choice("gradle", "Gradle (build.gradle / build.gradle.kts)"),
                    ]
                },
            ),
        ),
        Q::StaticServer => (
            "Which web server serves the files?",
            "Both run as a non-root user on port 8080.",
            Input::Select(
                const {
                    &[
                        choice("nginx", "nginx (unprivileged image)"),
                        choice("caddy", "Caddy"),
                    ]
                },
            ),
        ),
        Q::SiteBuild => (
            "Is the site built (npm run build)?",
            "Yes → a Node build stage; no → the files are served as they are.",
            Input::Select(YES_NO),
        ),
        Q::NodeManager => (
            "Which Node package manager?",
            "Decides the lockfile, the install command and its cache mount.",
            Input::Select(
                const {
                    &[
                        choice("npm", "npm"),
                        choice("yarn", "yarn (classic)"),
                        choice("pnpm", "pnpm (via corepack)"),
                        choice("bun", "bun"),
                    ]
                },
            ),
        ),
        Q::Port => (
            "Which port does the app listen on?",
            "Published as ${PORT:-N} in compose.yaml.",
            Input::Port,
        ),
        Q::Kind => (
            "What kind of service is it?",
            "Decides the health check: HTTP liveness endpoint, or a heartbeat file for workers.",
            Input::Select(
                const {
                    &[
                        choice("http", "HTTP API / web app (GET /health)"),
                        choice(
                            "worker",
                            "Background worker (heartbeat file /tmp/worker-heartbeat)",
                        ),
                    ]
                },
            ),
        ),
        Q::AddOns => (
            "Add services?",
            "Pinned small images with native health checks and named volumes; ports on 127.0.0.1 only.",
            Input::MultiSelect(ADD_ONS),
        ),
        Q::Security => (
            "Security options?",
            "Applied in compose.yaml; the Dockerfile always ends with a numeric non-root USER.",
            Input::MultiSelect(SECURITY),
        ),
    };
    QuestionSpec {
        id,
        prompt,
        help,
        input,
    }
}

/// Where `answer` at `from` leads, if the tree has that arrow.
pub fn next(from: QuestionId, answer: &str) -> Option<Next> {
    TREE.iter()
        .find(|e| e.from == from && e.answer == answer)
        .map(|e| e.next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tree_answer_is_a_choice_and_every_choice_has_an_arrow() {
        for edge in TREE {
            let Input::Select(choices) = spec(edge.from).input else {
                panic!("{:?} is not a select", edge.from);
            };
            assert!(choices.iter().any(|c| c.value == edge.answer), "{edge:?}");
        }
        for from in [
            Q::Language,
            Q::BuildStep,
            Q::PythonManager,
            Q::GoBase,
            Q::RustBase,
            Q::JavaBuild,
            Q::StaticServer,
        ] {
            let Input::Select(choices) = spec(from).input else {
                panic!()
            };
            for c in choices {
                assert!(next(from, c.value).is_some(), "{from:?}={}", c.value);
            }
        }
    }

    #[test]
    fn every_leaf_is_reachable() {
        for leaf in Leaf::ALL {
            assert!(TREE.iter().any(|e| e.next == Next::Leaf(leaf)), "{leaf:?}");
        }
    }
}
