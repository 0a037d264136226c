//! `devbox init` as a user runs it: non-interactive refusal, --yes on a fresh TypeScript
//! project, rerun showing a diff and refusing to overwrite, --force keeping .bak, --dry-run,
//! --print-answers / --answers round trip, broken manifests, template overrides.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/projects")
        .join(name);
    copy_dir(&src, dir.path());
    dir
}

fn devbox(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("devbox").unwrap();
    cmd.current_dir(dir)
        .env("DEVBOX_TEMPLATE_DIR", dir.join(".no-templates"))
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn without_a_terminal_it_says_how_to_run_non_interactively() {
    let dir = project("node-ts-api");
    devbox(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes").and(predicate::str::contains("--answers")));
    assert!(!dir.path().join("Dockerfile").exists());
}

#[test]
fn yes_writes_three_files_then_rerun_diffs_and_refuses_then_force_keeps_backup() {
    let dir = project("node-ts-api");
    devbox(dir.path())
        .args(["init", "--yes"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("package.json:5: scripts.build is \"tsc -p .\"")
                .and(predicate::str::contains("src/index.ts:7: app.listen("))
                .and(predicate::str::contains("wrote")),
        );
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("FROM node:${NODE_VERSION}-alpine AS base"));
    assert!(dockerfile.contains("ARG NODE_VERSION=20"));
    assert!(dockerfile.contains("http://127.0.0.1:4000/health"));
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    assert!(compose.contains("${PORT:-4000}:4000"));
    assert!(dir.path().join(".dockerignore").exists());

    devbox(dir.path())
        .args(["init", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("up to date"));

    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    devbox(dir.path())
        .args(["init", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-FROM scratch").and(predicate::str::contains("--force")));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM scratch\n"
    );

    devbox(dir.path())
        .args(["init", "--yes", "--force"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        dockerfile
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile.bak")).unwrap(),
        "FROM scratch\n"
    );
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let dir = project("go-cmd-server");
    devbox(dir.path())
        .args(["init", "--yes", "--dry-run", "--with", "postgres,redis"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("==> Dockerfile (new)")
                .and(predicate::str::contains("pg_isready")),
        );
    assert!(!dir.path().join("Dockerfile").exists());
}

#[test]
fn printed_answers_reproduce_the_same_files() {
    let dir = project("python-uv-fastapi");
    let out = devbox(dir.path())
        .args(["init", "--yes", "--print-answers", "--with", "redis"])
        .assert()
        .success();
    let toml = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(toml.contains("language = \"python\""), "{toml}");
    assert!(toml.contains("package_manager = \"uv\""), "{toml}");
    assert!(!dir.path().join("Dockerfile").exists());
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, &toml).unwrap();
    devbox(dir.path())
        .args(["init", "--answers", "answers.toml"])
        .assert()
        .success();
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    assert!(compose.contains("redis:7.4.2-alpine"));

    std::fs::write(&answers, "language = \"cobol\"\n").unwrap();
    devbox(dir.path())
        .args(["init", "--answers", "answers.toml", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("answers.toml:1:"));
}

#[test]
fn broken_manifest_is_named_and_flags_fill_in() {
    let dir = project("go-broken");
    devbox(dir.path())
        .args(["init", "--yes", "--dry-run"])
        .assert()
        .success()
        .stderr(predicate::str::contains("go.mod:5:1"));
}

#[test]
fn flags_answer_questions_and_template_overrides_apply() {
    let dir = project("static-html");
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("dockerignore.static.j2"),
        "# custom ({{ leaf }})\n.git\n",
    )
    .unwrap();
    devbox(dir.path())
        .env("DEVBOX_TEMPLATE_DIR", &templates)
        .args([
            "init",
            "--yes",
            "--base",
            "caddy",
            "--security",
            "no-new-privileges",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap(),
        "# custom (static-caddy)\n.git\n"
    );
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("COPY public /srv"), "{dockerfile}");
    devbox(dir.path())
        .args(["init", "--yes", "--with", "oracle", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("oracle"));
}

#[test]
fn unknown_stacks_are_refused_with_what_was_found_and_what_to_do() {
    for (fixture, found) in [
        ("elixir-mix", "mix.exs: Elixir (Mix)"),
        ("go-no-mod", "go mod init"),
    ] {
        let dir = project(fixture);
        devbox(dir.path())
            .args(["init", "--yes"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(found)
                    .and(predicate::str::contains("nothing was written"))
                    .and(predicate::str::contains("devbox supports Node.js"))
                    .and(predicate::str::contains("--lang"))
                    .and(predicate::str::contains(".no-templates")),
            );
        assert!(!dir.path().join("Dockerfile").exists(), "{fixture}");
        assert!(!dir.path().join("compose.yaml").exists(), "{fixture}");
    }
    // Choosing a language is the way through.
    let dir = project("elixir-mix");
    devbox(dir.path())
        .args(["init", "--yes", "--language", "static", "--dry-run"])
        .assert()
        .success();
}

#[test]
fn a_monorepo_root_gets_files_for_every_app_and_one_compose_file() {
    let dir = project("monorepo-mixed");
    // Flags that describe one app are refused at the root, with the way out.
    devbox(dir.path())
        .args(["init", "--yes", "--port", "9000"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--port describe one app")
                .and(predicate::str::contains("devbox init DIR")),
        );
    assert!(!dir.path().join("compose.yaml").exists());
    devbox(dir.path())
        .args(["init", "--yes"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("app in api/")
                .and(predicate::str::contains("depends on an ASGI framework"))
                .and(predicate::str::contains("wrote ./compose.yaml")),
        );
    assert!(!dir.path().join("Dockerfile").exists());
    let dockerfile = std::fs::read_to_string(dir.path().join("api/Dockerfile")).unwrap();
    assert!(
        dockerfile.contains(r#""uvicorn","app.main:app""#),
        "{dockerfile}"
    );
    assert!(dir.path().join("frontend/Dockerfile").is_file());
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    for needle in [
        "context: ./api",
        "context: ./frontend",
        "path: \"./api/app\"",
    ] {
        assert!(compose.contains(needle), "{needle} not in:\n{compose}");
    }
    // One app at a time still works.
    let one = project("monorepo-mixed");
    devbox(one.path())
        .args(["init", "--yes", "api"])
        .assert()
        .success();
    assert!(one.path().join("api/compose.yaml").is_file());

    // A workspace whose lockfile is at the root: the files are written, and the to-do says
    // what the per-app build context lacks.
    let turbo = project("monorepo-turbo");
    std::fs::write(
        turbo.path().join("package-lock.json"),
        r#"{"name":"turbo","lockfileVersion":3,"packages":{}}"#,
    )
    .unwrap();
    devbox(turbo.path())
        .args(["init", "--yes", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("==> apps/api/Dockerfile (new)"))
        .stdout(predicate::str::contains("==> apps/web/Dockerfile (new)"))
        .stderr(predicate::str::contains(
            "apps/api/: the workspace's lockfile (package-lock.json) is at the root",
        ));
}

#[test]
fn a_port_changed_in_printed_answers_reaches_the_commands() {
    let dir = project("flask-pip-port");
    let out = devbox(dir.path())
        .args(["init", "--yes", "--print-answers"])
        .assert()
        .success();
    let toml = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(toml.contains("\"0.0.0.0:8000\""), "{toml}");
    std::fs::write(
        dir.path().join("answers.toml"),
        toml.replace("port = 8000", "port = 9100"),
    )
    .unwrap();
    devbox(dir.path())
        .args(["init", "--answers", "answers.toml"])
        .assert()
        .success();
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains(r#"CMD ["gunicorn","--bind","0.0.0.0:9100","app:app"]"#),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("8000"), "{dockerfile}");
}
