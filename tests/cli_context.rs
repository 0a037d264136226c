//! `devbox context` from the command line: which contexts it reads in a compose project,
//! what it prints, and its exit status (1 when a COPY source is kept from the builder).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn devbox(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(args)
        .current_dir(dir)
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_compose_project_reports_each_built_service() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "compose.yaml",
        "services:\n  api:\n    build: ./api\n  web:\n    build:\n      context: web\n      dockerfile: web.Dockerfile\n  db:\n    image: postgres:16\n",
    );
    write(
        root,
        "api/Dockerfile",
        "FROM python:3.12\nCOPY requirements.txt .\nCOPY . .\n",
    );
    write(root, "api/requirements.txt", "fastapi\n");
    write(root, "api/.venv/lib/site.py", &"x".repeat(4000));
    write(root, "api/.env", "TOKEN=1\n");
    write(
        root,
        "web/web.Dockerfile",
        "FROM node:22\nCOPY package.json yarn.lock ./\n",
    );
    write(root, "web/.dockerignore", "node_modules\n*.lock\n");
    write(root, "web/package.json", "{}");
    write(root, "web/yarn.lock", "# lock\n");
    write(root, "web/node_modules/a/index.js", &"y".repeat(9000));

    let out = devbox(root, &["context"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("api: build context api (Dockerfile, no .dockerignore)"),
        "{shown}"
    );
    assert!(
        shown.contains("web: build context web (web.Dockerfile, web/.dockerignore)"),
        "{shown}"
    );
    assert!(!shown.contains("db:"), "{shown}");
    // api sends its virtualenv and secret: both suggested, the secret first.
    let env = shown.find("    .env ").unwrap_or_else(|| panic!("{shown}"));
    let venv = shown
        .find("    .venv ")
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(env < venv, "{shown}");
    // web: node_modules saves 9,000 bytes on line 1; yarn.lock is copied but excluded.
    assert!(shown.contains("line 1    node_modules"), "{shown}");
    assert!(
        shown.contains("web/web.Dockerfile:2: `yarn.lock` is excluded by web/.dockerignore:2"),
        "{shown}"
    );

    let out = devbox(root, &["context", "api", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["service"], "api");
    assert_eq!(json[0]["sent"]["files"], 4);

    let out = devbox(root, &["context", "db"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("service \"db\" has no build"),
        "{}",
        text(&out)
    );
    let out = devbox(root, &["context", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("services: api, db, web"),
        "{}",
        text(&out)
    );
}

#[test]
fn outside_a_compose_project_the_directory_is_the_context() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/Dockerfile", "FROM scratch\nCOPY . /\n");
    write(root, "app/main.go", "package main\n");
    let out = devbox(root, &["context", "app"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("build context app (Dockerfile, no .dockerignore)"),
        "{shown}"
    );
    assert!(shown.contains("nothing to add to .dockerignore"), "{shown}");
    let out = devbox(root, &["context", "missing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("is not a directory"), "{}", text(&out));
}
