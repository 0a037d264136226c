//! Lint rules on real-world shapes beyond each rule's pass/fail fixture: false positives found
//! by comparing with hadolint on idiomatic files, and autofixes that must leave a buildable
//! Dockerfile. Each case is a few lines of Dockerfile and what must (not) be reported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use devbox::domain::lint::project::Project;
use devbox::domain::lint::{FixOptions, LintConfig, Report, fix, lint};

fn report(text: &str) -> Report {
    let project = Project::single_dockerfile("Dockerfile", text);
    lint(&project, &LintConfig::default(), &FixOptions::default())
}

/// The rule ids reported, with their lines (`DBX113:3`).
fn hits(text: &str) -> Vec<String> {
    report(text)
        .findings
        .iter()
        .map(|f| format!("{}:{}", f.rule_id, f.line))
        .collect()
}

fn reports(text: &str, id: &str) -> bool {
    report(text).findings.iter().any(|f| f.rule_id == id)
}

/// The Dockerfile after applying one rule's fixes.
fn fixed(text: &str, id: &str) -> String {
    let findings: Vec<_> = report(text)
        .findings
        .into_iter()
        .filter(|f| f.rule_id == id)
        .collect();
    assert!(
        findings.iter().any(|f| f.fix.is_some()),
        "{id} offers no fix: {findings:#?}"
    );
    fix::apply(text, "Dockerfile", &findings).0
}

#[test]
fn settings_about_secrets_are_not_secrets() {
    let text = "FROM python:3.12-slim\n\
        ENV TOKENIZERS_PARALLELISM=false \\\n    ACCESS_TOKEN_EXPIRE_MINUTES=30 \\\n    PASSWORD_MIN_LENGTH=12\n\
        ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json\n\
        ENV SECRET_KEY_BASE_DUMMY=1\n\
        USER 1000\nCMD [\"python\", \"app.py\"]\n";
    assert!(!reports(text, "DBX113"), "{:?}", hits(text));
    let secret = "FROM python:3.12-slim\nENV DJANGO_SECRET_KEY=s3cr3t-value\nARG NPM_TOKEN\n";
    let found: Vec<String> = hits(secret)
        .into_iter()
        .filter(|h| h.starts_with("DBX113"))
        .collect();
    assert_eq!(found, ["DBX113:2", "DBX113:3"]);
}

#[test]
fn a_manifest_in_a_subdirectory_keeps_its_place_when_fixed() {
    let text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n\
        RUN pip install --no-cache-dir -r requirements/prod.txt\nUSER 1000\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(
        fixed(text, "DBX116"),
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements/ ./requirements/\n\
         RUN pip install --no-cache-dir -r requirements/prod.txt\nCOPY . .\nUSER 1000\n\
         CMD [\"python\", \"app.py\"]\n"
    );
}

#[test]
fn the_apt_cleanup_fix_goes_before_a_trailing_comment() {
    let text = "FROM debian:bookworm-slim\n\
        RUN apt-get update && apt-get install -y --no-install-recommends curl # install curl\n\
        USER 1000\n";
    assert_eq!(
        fixed(text, "DBX104"),
        "FROM debian:bookworm-slim\n\
         RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    \
         && rm -rf /var/lib/apt/lists/*  # install curl\nUSER 1000\n"
    );
}

#[test]
fn a_builder_stage_may_keep_its_package_lists_and_caches() {
    let text = "FROM debian:bookworm-slim AS build\n\
        RUN apt-get update && apt-get install -y --no-install-recommends gcc\n\
        RUN pip install wheel\n\
        FROM debian:bookworm-slim\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\nUSER 1000\n";
    assert!(!reports(text, "DBX104"), "{:?}", hits(text));
    assert!(!reports(text, "DBX106"), "{:?}", hits(text));
    // A stage the final one builds on ships its layers.
    let based = text.replace("FROM debian:bookworm-slim\nCOPY", "FROM build\nCOPY");
    assert!(reports(&based, "DBX104"), "{:?}", hits(&based));
}

#[test]
fn servers_that_drop_root_themselves_and_scratch_are_not_runs_as_root() {
    // nginx's master binds the port as root and its workers run as `nginx`: a stock proxy is fine,
    // and a plain USER would stop it from starting.
    let nginx = "FROM nginx:1.27-alpine\nCOPY dist/ /usr/share/nginx/html/\n";
    assert!(!reports(nginx, "DBX115"), "{:?}", hits(nginx));
    let postgres = "FROM postgres:16-alpine\nCOPY init.sql /docker-entrypoint-initdb.d/\n";
    assert!(
        !reports(postgres, "DBX115"),
        "its entrypoint drops to postgres"
    );
    // No users exist in scratch; the static binary decides.
    let scratch = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";
    assert!(!reports(scratch, "DBX115"), "{:?}", hits(scratch));
    // Apache still gets advice, not a USER that breaks its port 80.
    let httpd = "FROM httpd:2.4\nCOPY site/ /usr/local/apache2/htdocs/\n";
    let found = report(httpd);
    let hit = found
        .findings
        .iter()
        .find(|f| f.rule_id == "DBX115")
        .expect("advice on httpd");
    assert!(hit.fix.is_none());
    let windows = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"cmd\"]\n";
    assert!(!reports(windows, "DBX115"));
    // A plain image still gets the finding, with help that matches its fix.
    let node = "FROM node:22-alpine\nCOPY . .\nCMD [\"node\", \"index.js\"]\n";
    let found = report(node);
    let hit = found
        .findings
        .iter()
        .find(|f| f.rule_id == "DBX115")
        .expect("DBX115 on node");
    assert!(
        hit.fix
            .as_ref()
            .is_some_and(|f| f.edits.iter().any(|e| e.replacement.contains("USER node")))
    );
}

#[test]
fn a_localhost_probe_is_explained_for_the_program_it_runs() {
    let curl = "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\nUSER 1000\n";
    let found = report(curl);
    let hit = found
        .findings
        .iter()
        .find(|f| f.rule_id == "DBX119")
        .expect("DBX119");
    assert!(!hit.message.contains("BusyBox"), "{}", hit.message);
    let wget = "FROM node:22-alpine\nHEALTHCHECK CMD wget -q -O /dev/null http://localhost:3000/ || exit 1\nUSER node\n";
    let found = report(wget);
    let hit = found
        .findings
        .iter()
        .find(|f| f.rule_id == "DBX119")
        .expect("DBX119");
    assert!(hit.message.contains("BusyBox wget"), "{}", hit.message);
}

#[test]
fn full_size_means_official_buildpack_images_and_toolchains() {
    for slim_enough in [
        "FROM php:8.3-fpm\n",
        "FROM cgr.dev/chainguard/python:latest\n",
        "FROM python:3.12-slim\n",
    ] {
        assert!(!reports(slim_enough, "DBX102"), "{slim_enough}");
    }
    for shipped_toolchain in [
        "FROM eclipse-temurin:21-jdk\n",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\n",
        "FROM node:22\n",
    ] {
        assert!(reports(shipped_toolchain, "DBX102"), "{shipped_toolchain}");
    }
}

/// Lints a directory holding a Dockerfile and a .dockerignore, as `devbox lint DIR` does.
fn dir_report(files: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let found = devbox::commands::lint::discover::project(dir.path(), dir.path()).unwrap();
    lint(
        &found.project,
        &LintConfig::default(),
        &FixOptions::default(),
    )
}

#[test]
fn an_allowlist_dockerignore_excludes_manifests_on_purpose() {
    let report = dir_report(&[
        (
            "Dockerfile",
            "FROM nginx:1.27-alpine\nCOPY dist/ /usr/share/nginx/html/\n",
        ),
        (".dockerignore", "*\n!dist/\n"),
        ("package.json", "{}\n"),
        ("dist/index.html", "<p>hi</p>\n"),
    ]);
    let ids: Vec<&str> = report.findings.iter().map(|f| f.rule_id).collect();
    assert!(!ids.contains(&"DBX304"), "{ids:?}");
    assert!(!ids.contains(&"DBX401"), "{ids:?}");
}

#[test]
fn heredoc_scripts_are_checked_like_run_lines() {
    let text = "# syntax=docker/dockerfile:1\nFROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER 1000\n";
    let found = hits(text);
    assert!(found.contains(&"DBX104:4".to_string()), "{found:?}");
    assert!(found.contains(&"DBX103:5".to_string()), "{found:?}");
}

#[test]
fn help_names_the_image_own_probe_and_the_real_port() {
    let report = dir_report(&[(
        "compose.yaml",
        "services:\n  cache:\n    image: redis:7.4-alpine\n    ports: [\"6379:6379\"]\n",
    )]);
    let help = |id: &str| {
        report
            .findings
            .iter()
            .find(|f| f.rule_id == id)
            .map(|f| f.help.clone())
            .unwrap_or_default()
    };
    assert!(help("DBX204").contains("redis-cli"), "{}", help("DBX204"));
    assert!(!help("DBX204").contains("pg_isready"));
    assert!(
        help("DBX205").contains("127.0.0.1:6379:6379"),
        "{}",
        help("DBX205")
    );
    let go = "FROM gcr.io/distroless/static-debian12\nEXPOSE 9000\nUSER 65532\nCMD [\"/app\"]\n";
    let probe = report_help(go, "DBX117");
    assert!(
        !probe.contains("\"wget\""),
        "no wget in distroless: {probe}"
    );
    assert!(probe.contains("healthcheck"), "{probe}");
}

fn report_help(text: &str, id: &str) -> String {
    report(text)
        .findings
        .into_iter()
        .find(|f| f.rule_id == id)
        .map(|f| f.help)
        .unwrap_or_default()
}

#[test]
fn rpm_and_zypper_installs_need_their_yes_flag() {
    let yum = "FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN yum install httpd && yum clean all\nUSER 1001\n";
    assert_eq!(
        fixed(yum, "DBX108"),
        "FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN yum install -y httpd && yum clean all\nUSER 1001\n"
    );
    let fine =
        "FROM opensuse/leap:15.6\nRUN zypper -n install curl && dnf install -y git\nUSER 1001\n";
    assert!(!reports(fine, "DBX108"), "{:?}", hits(fine));
}

#[test]
fn pipefail_set_in_a_base_stage_is_inherited() {
    let text = "FROM debian:bookworm-slim AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n\
        FROM base\nRUN curl -fsSL https://example.com/x | tar -xz\nUSER 1000\n";
    assert!(!reports(text, "DBX126"), "{:?}", hits(text));
    let unset = text.replace("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n", "");
    assert!(reports(&unset, "DBX126"), "{:?}", hits(&unset));
}

#[test]
fn a_cache_removed_in_the_same_run_is_not_kept() {
    let apk = "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\nUSER 1000\n";
    assert!(!reports(apk, "DBX105"), "{:?}", hits(apk));
    let pip =
        "FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache/pip\nUSER 1000\n";
    assert!(!reports(pip, "DBX106"), "{:?}", hits(pip));
    let kept = "FROM alpine:3.20\nRUN apk add curl && rm -rf /tmp/x\nUSER 1000\n";
    assert!(reports(kept, "DBX105"), "{:?}", hits(kept));
}

#[test]
fn onbuild_runs_are_checked_like_runs() {
    let text = "FROM python:3.12-slim\nONBUILD COPY requirements.txt .\nONBUILD RUN pip install -r requirements.txt\nUSER 1000\n";
    let found = hits(text);
    assert!(found.contains(&"DBX106:3".to_string()), "{found:?}");
    assert_eq!(
        fixed(text, "DBX106"),
        "FROM python:3.12-slim\nONBUILD COPY requirements.txt .\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\nUSER 1000\n"
    );
}

/// Issue 21's misses: `curl` probes on BusyBox images, hadolint's DL3045 and DL3060, and
/// hadolint's DL3006 false positive on `FROM ${ARG}` (hadolint#339).
#[test]
fn misses_of_hadolint_and_devbox_are_found() {
    let busybox = "FROM busybox:1.37-musl\nCOPY site /www\nUSER 1000\nEXPOSE 8080\n\
        HEALTHCHECK CMD [\"curl\", \"-f\", \"http://127.0.0.1:8080/\"]\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n";
    assert!(reports(busybox, "DBX121"), "{:?}", hits(busybox));
    let wget = busybox.replace("\"curl\", \"-f\"", "\"wget\", \"-q\", \"--spider\"");
    assert!(!reports(&wget, "DBX121"), "{:?}", hits(&wget));

    let relative = "FROM python:3.12-slim\nCOPY . .\nUSER 1000\nCMD [\"python\", \"app.py\"]\n";
    assert!(reports(relative, "DBX144"));
    let yarn = "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\nUSER node\nCMD [\"node\", \"index.js\"]\n";
    assert!(reports(yarn, "DBX145"));

    // The ARG's default is a full, tagged image: nothing is unpinned, and nothing undeclared.
    let arg_base =
        "ARG BASE=python:3.12-slim\nFROM ${BASE}\nUSER 1000\nCMD [\"python\", \"app.py\"]\n";
    for id in ["DBX101", "DBX139", "DBX140"] {
        assert!(!reports(arg_base, id), "{id}: {:?}", hits(arg_base));
    }
    // Without a default it is unpinned when built without --build-arg: reported once, as such.
    let no_default = "ARG BASE\nFROM ${BASE}\nUSER 1000\n";
    assert!(reports(no_default, "DBX139"), "{:?}", hits(no_default));
}

#[test]
fn the_same_host_port_twice_is_reported() {
    let report = dir_report(&[(
        "compose.yaml",
        "services:\n  app:\n    image: redis:7-alpine\n    ports: [\"6379:6379\"]\n  cache:\n    image: redis:7-alpine\n    ports: [\"6379:6379\"]\n",
    )]);
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "DBX211")
        .map(|f| f.line)
        .collect();
    assert_eq!(found, [7], "{:#?}", report.findings);
}

/// False positives found on 72 real Dockerfiles (buildkit, buildx, discourse, jenkinsci/docker,
/// grafana, the official node images): each shape is right, and stays unreported.
#[test]
fn real_file_shapes_of_the_buildkit_checks_are_not_reported() {
    let cases: &[(&str, &str)] = &[
        // A global ARG default built from an earlier one, as BuildKit expands it.
        (
            "DBX139",
            "ARG VERSION=1.36\nARG TAG=${VERSION}\nFROM busybox:${TAG}\n",
        ),
        // Quotes in FROM are removed by the builder.
        ("DBX139", "ARG TAG=3.20\nFROM alpine:\"${TAG}\"\n"),
        // $GOPATH comes from the golang image, not from a typo of $PATH.
        ("DBX140", "FROM golang:1.22\nWORKDIR $GOPATH/src/app\n"),
        // The node image sets NODE_VERSION itself.
        (
            "DBX140",
            "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\nLABEL node=$NODE_VERSION\n",
        ),
        // scratch starts in `/`.
        (
            "DBX144",
            "FROM alpine:3.20 AS build\nRUN echo hi > /out\nFROM scratch\nCOPY --from=build /out out\n",
        ),
        // A stage found through a nested global ARG keeps its WORKDIR.
        (
            "DBX144",
            "ARG A=base\nARG B=${A}\nFROM alpine:3.20 AS base\nWORKDIR /app\nFROM ${B}\nCOPY . .\n",
        ),
        (
            "DBX145",
            "FROM node:20\nRUN npm install -g yarn@1 && yarn --version\n",
        ),
        (
            "DBX145",
            "FROM node:20\nRUN yarn install --cache-folder /tmp/yc && rm -rf /tmp/yc\n",
        ),
        // A blank line inside a heredoc is part of the script.
        (
            "DBX138",
            "FROM alpine:3.20\nRUN <<EOF\necho a \\\n\necho b\nEOF\n",
        ),
    ];
    for (id, text) in cases {
        assert!(!reports(text, id), "{id} on:\n{text}\n{:?}", hits(text));
    }
    // The typo is still caught.
    assert!(reports("FROM alpine:3.20\nENV PATH=/x:$PAHT\n", "DBX140"));
}

/// `--fix` for DBX115 on a file ending in a heredoc puts USER after the terminator.
#[test]
fn the_user_fix_goes_after_a_closing_heredoc() {
    let out = fixed("FROM alpine:3.20\nRUN <<EOF\necho a\nEOF\n", "DBX115");
    assert_eq!(
        out,
        "FROM alpine:3.20\nRUN <<EOF\necho a\nEOF\nUSER 10001:10001\n"
    );
}

/// The rule ids a project directory of `files` reports (`DBX212:compose.yaml:9`), discovered
/// as `devbox lint` discovers a project.
fn project_hits(files: &[(&str, &str)], id: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let found = devbox::commands::lint::discover::project(dir.path(), dir.path()).unwrap();
    lint(
        &found.project,
        &LintConfig::default(),
        &FixOptions::default(),
    )
    .findings
    .iter()
    .filter(|f| f.rule_id == id)
    .map(|f| format!("{}:{}:{}", f.rule_id, f.file, f.line))
    .collect()
}

const WAITS_FOR_API: &str = "services:\n  api:\n    build:\n      context: .\n      target: dev\n  web:\n    image: nginx:1.27\n    depends_on:\n      api:\n        condition: service_healthy\n";

#[test]
fn waiting_for_a_built_service_reads_the_stage_it_builds() {
    let none = "FROM node:22-alpine AS dev\nCMD [\"node\", \"index.js\"]\n";
    assert_eq!(
        project_hits(
            &[("Dockerfile", none), ("compose.yaml", WAITS_FOR_API)],
            "DBX212"
        ),
        ["DBX212:compose.yaml:9"]
    );
    // A HEALTHCHECK in the stage the target is built FROM counts.
    let inherited = "FROM node:22-alpine AS base\nHEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:3000/\"]\nFROM base AS dev\nCMD [\"node\", \"index.js\"]\n";
    assert!(
        project_hits(
            &[("Dockerfile", inherited), ("compose.yaml", WAITS_FOR_API)],
            "DBX212"
        )
        .is_empty()
    );
    // HEALTHCHECK NONE turns it off again.
    let disabled = "FROM node:22-alpine AS base\nHEALTHCHECK CMD [\"true\"]\nFROM base AS dev\nHEALTHCHECK NONE\n";
    assert_eq!(
        project_hits(
            &[("Dockerfile", disabled), ("compose.yaml", WAITS_FOR_API)],
            "DBX212"
        )
        .len(),
        1
    );
    // A base image that is not an official one may define its own probe; a compose
    // healthcheck settles it.
    let vendor = "FROM ghcr.io/acme/runtime:2 AS dev\n";
    assert!(
        project_hits(
            &[("Dockerfile", vendor), ("compose.yaml", WAITS_FOR_API)],
            "DBX212"
        )
        .is_empty()
    );
    let with_probe = WAITS_FOR_API.replace(
        "      target: dev\n",
        "      target: dev\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
    );
    assert!(
        project_hits(
            &[("Dockerfile", none), ("compose.yaml", &with_probe)],
            "DBX212"
        )
        .is_empty()
    );
}

#[test]
fn a_sync_is_judged_against_where_the_stage_copied_its_path() {
    let df = "FROM node:22-alpine AS dev\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nCMD [\"node\", \"src/index.js\"]\n";
    let compose = |path: &str, target: &str| {
        format!(
            "services:\n  web:\n    build: .\n    develop:\n      watch:\n        - action: sync\n          path: {path}\n          target: {target}\n"
        )
    };
    let hits = |path: &str, target: &str| {
        project_hits(
            &[("Dockerfile", df), ("compose.yaml", &compose(path, target))],
            "DBX409",
        )
    };
    assert!(hits("./src", "/app/src").is_empty());
    assert!(hits(".", "/app").is_empty());
    assert!(hits("package.json", "/app/package.json").is_empty());
    // Node's documentation uses /usr/src/app: the same tree under another root.
    assert_eq!(hits("./src", "/usr/src/app/src"), ["DBX409:compose.yaml:6"]);
    // A wrong place inside the app tree.
    assert_eq!(hits("./src", "/app/source").len(), 1);
    // Configuration sent where a server reads it is not the app's copy.
    assert!(hits("./nginx", "/etc/nginx/conf.d").is_empty());
    // A path the image never copies is not judged.
    let only_src = "FROM node:22-alpine\nWORKDIR /app\nCOPY src ./src\n";
    let c = compose("./docs", "/srv/docs");
    assert!(project_hits(&[("Dockerfile", only_src), ("compose.yaml", &c)], "DBX409").is_empty());
}
