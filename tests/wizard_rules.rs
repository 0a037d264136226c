//! The rendering rules, checked on every generated variant (all leaves, add-ons,
//! workers, other bases): the Dockerfile parses (parse-dockerfile), dependencies come before the
//! source, cache mounts, pinned ARG versions, a usable `development` target, a hardened
//! `production` final stage with a numeric non-root USER and a HEALTHCHECK that can run there,
//! a .dockerignore that never excludes what the Dockerfile copies, and the compose.yaml rules.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

mod wizard_support;

use devbox::domain::dockerignore::IgnoreMatcher;
use parse_dockerfile::{Command, HealthcheckArguments, Instruction, Source};
use wizard_support::{all_variants, file, render};

fn words(command: &Command<'_>) -> Vec<String> {
    match command {
        Command::Exec(argv) => argv.value.iter().map(|s| s.value.to_string()).collect(),
        Command::Shell(text) => text.value.split_whitespace().map(str::to_string).collect(),
        other => panic!("unexpected command form {other:?}"),
    }
}

fn flag<'a>(options: &'a [parse_dockerfile::Flag<'a>], name: &str) -> Option<&'a str> {
    options
        .iter()
        .find(|f| f.name.value == name)
        .and_then(|f| f.value.as_ref())
        .map(|v| v.value.as_ref())
}

/// Build-context paths a Dockerfile reads: COPY/ADD sources without --from, bind-mount sources.
fn context_sources(text: &str) -> Vec<String> {
    let dockerfile = parse_dockerfile::parse(text).expect("parses");
    let mut out = Vec::new();
    for instruction in &dockerfile.instructions {
        match instruction {
            Instruction::Copy(copy) if flag(&copy.options, "from").is_none() => {
                for src in &copy.src {
                    if let Source::Path(path) = src {
                        out.push(path.value.to_string());
                    }
                }
            }
            Instruction::Run(run) => {
                for option in run.options.iter().filter(|o| o.name.value == "mount") {
                    let value = option
                        .value
                        .as_ref()
                        .map(|v| v.value.to_string())
                        .unwrap_or_default();
                    if value.contains("type=bind")
                        && !value.contains("from=")
                        && let Some(source) =
                            value.split(',').find_map(|kv| kv.strip_prefix("source="))
                    {
                        out.push(source.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn dockerfiles_parse_and_follow_the_rules() {
    for variant in all_variants() {
        let files = render(&variant.answers);
        let text = file(&files, "Dockerfile");
        let name = &variant.name;
        let dockerfile = parse_dockerfile::parse(text)
            .unwrap_or_else(|e| panic!("{name}: does not parse: {e}\n{text}"));
        assert!(!text.contains(":latest"), "{name}: uses latest");
        for arg in dockerfile.global_args() {
            assert!(
                arg.arguments.value.contains('='),
                "{name}: global ARG without a pinned default"
            );
        }
        // Deno's DENO_DIR is both its download cache and the installed dependencies `deno run`
        // loads: it has to stay in the image, so it cannot be a cache mount.
        let has_dependencies = (!variant.answers.leaf.is_static() || variant.answers.build_step)
            && !php_without_composer(&variant.answers)
            && variant.answers.leaf != devbox::domain::wizard::Leaf::Deno;
        assert!(
            !has_dependencies || text.contains("--mount=type=cache"),
            "{name}: no cache mount"
        );

        let stages: Vec<_> = dockerfile.stages().collect();
        let stage_names: Vec<String> = stages
            .iter()
            .filter_map(|s| s.from.as_.as_ref().map(|(_, n)| n.value.to_string()))
            .collect();
        assert!(
            stage_names.contains(&"development".to_string()),
            "{name}: no development stage"
        );
        let last = stages.last().expect("stages");
        assert_eq!(
            last.from.as_.as_ref().map(|(_, n)| n.value.as_ref()),
            Some("production"),
            "{name}: production is not the final stage"
        );

        // Every FROM is a stage, or an image with a tag that is not `latest`.
        for stage in &stages {
            let image = stage.from.image.value.as_ref();
            assert!(
                stage_names.iter().any(|s| s == image) || image == "scratch" || image.contains(':'),
                "{name}: untagged FROM {image}"
            );
        }

        // Dependencies before source: in every stage, an install step precedes `COPY . .`.
        let mut installed_in: Vec<String> = Vec::new();
        for stage in &stages {
            // A stage built FROM one that installed the dependencies has them.
            let mut installed = installed_in
                .iter()
                .any(|s| s.as_str() == stage.from.image.value.as_ref());
            for instruction in stage.instructions {
                match instruction {
                    Instruction::Run(run) => {
                        let w = words(&run.arguments).join(" ");
                        if [
                            "install",
                            "sync",
                            "download",
                            "fetch",
                            "npm ci",
                            "pip",
                            "dependency:go-offline",
                            " dependencies",
                            "dotnet restore",
                        ]
                        .iter()
                        .any(|k| w.contains(k))
                        {
                            installed = true;
                        }
                    }
                    // Dependencies installed in an earlier stage arrive with COPY --from.
                    Instruction::Copy(copy) if flag(&copy.options, "from").is_some() => {
                        installed = true
                    }
                    Instruction::Copy(copy) => {
                        let whole = copy
                            .src
                            .iter()
                            .any(|s| matches!(s, Source::Path(p) if p.value == "."));
                        let site = (variant.answers.leaf.is_static()
                            && !variant.answers.build_step)
                            || php_without_composer(&variant.answers);
                        if whole && !site {
                            assert!(
                                installed,
                                "{name}: stage {:?} copies the source before installing dependencies",
                                stage.from.as_.as_ref().map(|a| a.1.value.to_string())
                            );
                        }
                    }
                    _ => {}
                }
            }
            if installed && let Some((_, alias)) = &stage.from.as_ {
                installed_in.push(alias.value.to_string());
            }
        }

        // Production: numeric non-root USER, a HEALTHCHECK in exec form that can run there.
        let user = last.instructions.iter().rev().find_map(|i| match i {
            Instruction::User(u) => Some(u.arguments.value.to_string()),
            _ => None,
        });
        let user = user.unwrap_or_else(|| panic!("{name}: production has no USER"));
        let (uid, gid) = user
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: USER {user} has no group"));
        let uid: u32 = uid
            .parse()
            .unwrap_or_else(|_| panic!("{name}: USER {user} is not numeric"));
        assert!(
            uid != 0 && gid.parse::<u32>().is_ok_and(|g| g != 0),
            "{name}: USER {user} is root"
        );
        let health = last.instructions.iter().find_map(|i| match i {
            Instruction::Healthcheck(h) => Some(h),
            _ => None,
        });
        let health = health.unwrap_or_else(|| panic!("{name}: production has no HEALTHCHECK"));
        let HealthcheckArguments::Cmd { arguments, .. } = &health.arguments else {
            panic!("{name}: HEALTHCHECK NONE")
        };
        assert!(
            matches!(arguments, Command::Exec(_)),
            "{name}: HEALTHCHECK is not in exec form"
        );
        let probe = words(arguments);
        let image = last.from.image.value.as_ref();
        let shell_less = image.contains("distroless") || image == "scratch";
        if shell_less {
            assert_ne!(probe[0], "sh", "{name}: shell probe on {image}");
            assert!(
                probe[0].starts_with('/'),
                "{name}: probe {:?} is not a file copied into {image}",
                probe[0]
            );
            let copied = last.instructions.iter().any(|i| match i {
                Instruction::Copy(c) => {
                    c.dest.value.as_ref() == probe[0]
                        || c.dest.value.as_ref() == "/usr/local/bin/wget"
                            && probe[0] == "/usr/local/bin/wget"
                }
                _ => false,
            });
            assert!(
                copied,
                "{name}: {} is never copied into the final image",
                probe[0]
            );
        }
        if image.contains("slim") && !image.contains("debian") {
            assert!(
                !["wget", "curl"].contains(&probe[0].as_str()),
                "{name}: slim images have no {}",
                probe[0]
            );
        }
        for option in ["interval", "timeout", "start-period", "retries"] {
            assert!(
                flag(&health.options, option).is_some(),
                "{name}: HEALTHCHECK without --{option}"
            );
        }

        // Development: never distroless/scratch; USER before WORKDIR; copies owned by that user.
        let dev = dockerfile.stage("development").expect("development stage");
        let dev_image = dev.from.image.value.as_ref();
        assert!(
            !dev_image.contains("distroless") && dev_image != "scratch",
            "{name}: development on {dev_image}"
        );
        let dev_user = dev.instructions.iter().find_map(|i| match i {
            Instruction::User(u) => Some(u.arguments.value.to_string()),
            _ => None,
        });
        let dev_user = dev_user.unwrap_or_else(|| panic!("{name}: development has no USER"));
        assert!(
            !dev_user.starts_with("0:")
                || dev
                    .instructions
                    .iter()
                    .filter(|i| matches!(i, Instruction::User(_)))
                    .count()
                    > 1,
            "{name}: development runs as root"
        );
        for instruction in dev.instructions {
            if let Instruction::Copy(copy) = instruction
                && flag(&copy.options, "from").is_none()
            {
                assert!(
                    flag(&copy.options, "chown").is_some(),
                    "{name}: development COPY without --chown"
                );
            }
        }
    }
}

#[test]
fn dockerignore_never_excludes_what_the_dockerfile_reads() {
    for variant in all_variants() {
        let files = render(&variant.answers);
        let matcher =
            IgnoreMatcher::parse(file(&files, ".dockerignore")).expect(".dockerignore parses");
        let sources = context_sources(file(&files, "Dockerfile"));
        assert!(
            !sources.is_empty(),
            "{}: no context sources found",
            variant.name
        );
        for source in sources {
            assert!(
                !matcher.is_excluded(&source),
                "{}: .dockerignore excludes {source}, which the Dockerfile copies",
                variant.name
            );
        }
        // Files a build reads without naming them.
        for implicit in [
            "tsconfig.json",
            "README.md",
            ".cargo/config.toml",
            "src/main.rs",
            "go.sum",
        ] {
            assert!(
                !matcher.is_excluded(implicit),
                "{}: excludes {implicit}",
                variant.name
            );
        }
        for secret in [".env", ".env.local", ".git/config"] {
            assert!(
                matcher.is_excluded(secret),
                "{}: does not exclude {secret}",
                variant.name
            );
        }
    }
}

#[test]
fn compose_files_follow_the_rules_and_load() {
    for variant in all_variants() {
        let files = render(&variant.answers);
        let text = file(&files, "compose.yaml");
        let name = &variant.name;
        let loaded = devbox::domain::compose::load_from_str(
            text,
            &devbox::domain::compose::LoadOptions::for_dir("/work/demo"),
        )
        .unwrap_or_else(|e| panic!("{name}: compose.yaml does not load: {e:?}\n{text}"));
        drop(loaded);
        let yaml: serde_json::Value =
            serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        let app = &yaml["services"]["app"];
        assert_eq!(app["build"]["target"], "development", "{name}");
        if variant.answers.kind != devbox::domain::detect::ServiceKind::Worker {
            let port = app["ports"][0].as_str().unwrap_or_default();
            // Development ports are for this machine only (a debugger or reloader behind them).
            assert!(
                port.starts_with("127.0.0.1:${PORT:-"),
                "{name}: port {port}"
            );
        }
        let watch = app["develop"]["watch"].as_array().expect("watch rules");
        assert!(
            watch
                .iter()
                .any(|r| r["action"].as_str().is_some_and(|a| a.starts_with("sync"))),
            "{name}: no sync rule"
        );
        assert!(
            watch.iter().any(|r| r["action"] == "rebuild")
                || (variant.answers.leaf.is_static() && !variant.answers.build_step)
                || php_without_composer(&variant.answers),
            "{name}: no rebuild rule"
        );
        for rule in watch {
            if let Some(target) = rule["target"].as_str() {
                assert!(
                    target.starts_with('/'),
                    "{name}: relative watch target {target}"
                );
            }
        }
        assert!(
            app.get("volumes").is_none(),
            "{name}: bind mount next to watch"
        );
        assert_eq!(app["security_opt"][0], "no-new-privileges:true", "{name}");
        for addon in &variant.answers.add_ons {
            let svc = &yaml["services"][addon.as_str()];
            assert_eq!(
                app["depends_on"][addon.as_str()]["condition"],
                "service_healthy",
                "{name}"
            );
            assert!(
                svc["ports"][0]
                    .as_str()
                    .is_some_and(|p| p.starts_with("127.0.0.1:")),
                "{name}: {addon:?} port"
            );
            assert!(
                svc["healthcheck"]["test"].is_array(),
                "{name}: {addon:?} health"
            );
            let image = svc["image"].as_str().unwrap_or_default();
            assert!(
                image.contains(':') && !image.ends_with(":latest"),
                "{name}: {image}"
            );
            let volume = svc["volumes"][0].as_str().unwrap_or_default();
            let volume_name = volume.split(':').next().unwrap_or_default();
            assert!(
                yaml["volumes"].get(volume_name).is_some(),
                "{name}: volume {volume_name} not declared"
            );
        }
        let production = &yaml["services"]["app-production"];
        assert_eq!(production["read_only"], true, "{name}");
        assert!(
            production["tmpfs"]
                .as_array()
                .is_some_and(|t| t.iter().any(|p| p == "/tmp")),
            "{name}"
        );
        assert_eq!(production["build"]["target"], "production", "{name}");
    }
}

/// A PHP site without composer.json has no dependencies to install or rebuild from.
fn php_without_composer(answers: &devbox::domain::wizard::Answers) -> bool {
    answers.leaf == devbox::domain::wizard::Leaf::PhpApache
        && !answers
            .project
            .install_extras
            .iter()
            .any(|f| f == "composer.json")
}
