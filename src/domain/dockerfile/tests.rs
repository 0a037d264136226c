//! Tests of the Dockerfile layer: stages, spans, forms, heredocs and parse errors.

use super::*;

#[test]
fn stages_args_and_forms() {
    let text = "ARG V=22\nFROM node:${V}-alpine AS build\nRUN npm ci\nFROM build\nCMD [\"node\", \"x.js\"]\n";
    let df = Dockerfile::parse(text).unwrap();
    assert_eq!(df.stages.len(), 2);
    assert_eq!(df.instructions[0].stage, None);
    assert_eq!(df.resolved_base(&df.stages[0]).0, "node:22-alpine");
    assert_eq!(df.resolved_base(&df.stages[1]).1, Some(0));
    assert_eq!(df.root_image(&df.stages[1]), "node:22-alpine");
    let cmd = &df.instructions[4];
    assert!(matches!(&cmd.body, Body::Cmd(Command::Exec { args, .. }) if args.len() == 2));
    assert_eq!(&text[cmd.span.clone()], "CMD [\"node\", \"x.js\"]");
}

#[test]
fn heredoc_run_and_flags() {
    let text =
        "FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk <<EOF\napk add curl\nEOF\n";
    let df = Dockerfile::parse(text).unwrap();
    let run = &df.instructions[1];
    assert_eq!(
        run.flag("mount").and_then(|f| f.value.as_deref()),
        Some("type=cache,target=/var/cache/apk")
    );
    let Body::Run { heredocs, .. } = &run.body else {
        panic!("not a RUN")
    };
    assert_eq!(heredocs[0].value, "apk add curl\n");
}

#[test]
fn parse_error_has_position() {
    let err = Dockerfile::parse("FROM alpine\nBOGUS x\n").unwrap_err();
    assert_eq!((err.line, err.column), (2, 1));
    assert_eq!(err.offset, 12);
    assert!(
        err.message.contains("unknown instruction"),
        "{}",
        err.message
    );
    let err = Dockerfile::parse("# only a comment\n").unwrap_err();
    assert_eq!(err.line, 1);
}
