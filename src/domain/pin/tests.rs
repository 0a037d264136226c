//! Sites and rewrites on Dockerfiles and compose files as people write them.

use super::*;

const D: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const E: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn df_sites(text: &str) -> Sites {
    dockerfile_sites(text, &Dockerfile::parse(text).unwrap())
}

#[test]
fn froms_through_args_stages_and_scratch() {
    let text = "\
ARG NODE_VERSION=22.12
ARG BASE=\"python:3.12-slim\"
FROM node:${NODE_VERSION}-alpine AS deps
FROM deps AS build
FROM ${BASE} AS py
FROM scratch
FROM --platform=$BUILDPLATFORM golang:1.23 AS go
FROM $UNSET
";
    let s = df_sites(text);
    let refs: Vec<(usize, &str)> = s
        .sites
        .iter()
        .map(|s| (s.line, s.reference.as_str()))
        .collect();
    assert_eq!(
        refs,
        [
            (3, "node:22.12-alpine"),
            (2, "python:3.12-slim"),
            (7, "golang:1.23")
        ]
    );
    assert_eq!(s.skipped.len(), 1);
    assert_eq!(s.skipped[0].line, 8);

    let pins: Vec<(&Site, &str)> = s.sites.iter().map(|site| (site, D)).collect();
    let out = rewrite(text, &pins);
    assert!(
        out.contains(&format!("ARG BASE=\"python:3.12-slim@{D}\"\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("FROM node:${{NODE_VERSION}}-alpine@{D} AS deps")),
        "{out}"
    );
    assert!(out.contains(&format!("golang:1.23@{D} AS go")), "{out}");
    assert!(out.contains("FROM deps AS build\nFROM ${BASE} AS py\nFROM scratch\n"));
    // Pinned again: the site reads the digest and a new one replaces it.
    let again = df_sites(&out);
    assert_eq!(again.sites[0].pinned.as_deref(), Some(D));
    assert_eq!(again.sites[0].reference, "node:22.12-alpine");
    let pins: Vec<(&Site, &str)> = again.sites.iter().map(|site| (site, E)).collect();
    let twice = rewrite(&out, &pins);
    assert_eq!(twice, out.replace(D, E));
}

#[test]
fn one_arg_used_by_two_froms_is_one_site() {
    let text = "ARG IMG=alpine:3.20\nFROM $IMG AS a\nFROM ${IMG}\n";
    let s = df_sites(text);
    assert_eq!(s.sites.len(), 1);
    assert_eq!(s.sites[0].line, 1);
}

#[test]
fn compose_images_not_built_here() {
    let text = "\
services:
  db:
    image: postgres:16-alpine   # the database
  cache:
    image: \"redis:7.4\"
  web:
    build: .
    image: me/web:1
  env:
    image: ${IMAGE:-busybox:1}
  pinned:
    image: 127.0.0.1:5000/x/base:1@sha256:1111111111111111111111111111111111111111111111111111111111111111
";
    let s = compose_sites("compose.yaml", text).unwrap();
    let refs: Vec<(usize, &str, bool)> = s
        .sites
        .iter()
        .map(|s| (s.line, s.reference.as_str(), s.pinned.is_some()))
        .collect();
    assert_eq!(
        refs,
        [
            (3, "postgres:16-alpine", false),
            (5, "redis:7.4", false),
            (12, "127.0.0.1:5000/x/base:1", true)
        ]
    );
    assert_eq!(s.skipped.len(), 1);
    assert!(s.skipped[0].why.contains("interpolated"));
    let pins: Vec<(&Site, &str)> = s.sites.iter().map(|site| (site, E)).collect();
    let out = rewrite(text, &pins);
    assert!(out.contains(&format!("image: postgres:16-alpine@{E}   # the database")));
    assert!(out.contains(&format!("image: \"redis:7.4@{E}\"")));
    assert!(out.contains(&format!("image: 127.0.0.1:5000/x/base:1@{E}\n")));
    assert!(out.contains("image: me/web:1\n"));
}

#[test]
fn bad_compose_is_an_error_not_a_panic() {
    assert!(compose_sites("c.yaml", "services: [\n").is_err());
}
