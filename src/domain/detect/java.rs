//! Java (and Kotlin on the JVM) detection: Maven (`pom.xml`, `mvnw`) or Gradle
//! (`build.gradle(.kts)`, `gradlew`), the JDK release, Spring Boot or Quarkus, the main class,
//! the port from `application.properties`/`.yml`, and the framework's liveness route.

use super::facts::{Fact, Reason};
use super::java_build::{self, BuildFacts, Found};
use super::{Language, PackageManager, Partial, ProjectScan, ServiceKind};

/// Files the build tool reads before the source: copied with the build file, in this order.
const TOOL_FILES: &[&str] = &[
    "mvnw",
    ".mvn/wrapper/maven-wrapper.properties",
    ".mvn/wrapper/maven-wrapper.jar",
    ".mvn/jvm.config",
    ".mvn/maven.config",
    "gradlew",
    "gradle/wrapper/gradle-wrapper.properties",
    "gradle/wrapper/gradle-wrapper.jar",
    "gradle/libs.versions.toml",
    "gradle.properties",
    "settings.gradle",
    "settings.gradle.kts",
];

/// Where Spring Boot and Quarkus read their configuration.
const CONFIG_FILES: &[&str] = &[
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
];

pub(crate) fn detect(scan: &ProjectScan) -> Option<Partial> {
    let gradle_file = ["build.gradle.kts", "build.gradle"]
        .into_iter()
        .find(|f| scan.has(f));
    let maven = scan.has("pom.xml");
    // Both present: the one with a wrapper is the one the project builds with.
    let use_gradle = match (maven, gradle_file) {
        (true, Some(_)) => scan.has("gradlew") && !scan.has("mvnw"),
        (false, Some(_)) => true,
        (true, None) => false,
        (false, None) => return None,
    };
    let (file, pm, facts) = if use_gradle {
        let file = gradle_file?;
        (
            file,
            PackageManager::Gradle,
            java_build::gradle(scan.text(file).unwrap_or_default()),
        )
    } else {
        (
            "pom.xml",
            PackageManager::Maven,
            java_build::maven(scan.text("pom.xml").unwrap_or_default()),
        )
    };
    let at = |found: &Found, note: String| Reason::at(file, Some(found.line), note);
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Java,
            Reason::at(file, None, format!("{file} at the project root")),
        )),
        package_manager: Some(Fact::new(
            pm,
            Reason::at(
                file,
                None,
                format!(
                    "{} build{}",
                    if use_gradle { "Gradle" } else { "Maven" },
                    if scan.has(if use_gradle { "gradlew" } else { "mvnw" }) {
                        " with its wrapper"
                    } else {
                        ""
                    }
                ),
            ),
        )),
        build_step: Some(Fact::new(
            true,
            Reason::at(file, None, "compiled and packaged by the build tool"),
        )),
        source_dir: Some(Fact::new(
            "src".to_string(),
            Reason::at(file, None, "Maven/Gradle layout: sources under src/"),
        )),
        ..Partial::default()
    };
    // Gradle's build script (Groovy or Kotlin DSL) is copied with its tool files; Maven's is
    // always pom.xml.
    if use_gradle {
        out.install_extras.push(Fact::new(
            file.to_string(),
            Reason::at(file, None, "the Gradle build script"),
        ));
    }
    for extra in TOOL_FILES {
        let wanted = if use_gradle {
            !extra.starts_with(".mvn") && *extra != "mvnw"
        } else {
            extra.starts_with(".mvn") || *extra == "mvnw"
        };
        if wanted && scan.has(extra) {
            out.install_extras.push(Fact::new(
                extra.to_string(),
                Reason::at(extra, None, "read by the build tool before the source"),
            ));
        }
    }
    if let Some(release) = &facts.release {
        out.version = Some(Fact::new(
            release.value.clone(),
            at(release, format!("Java {}", release.value)),
        ));
    }
    out.workspace_members = members(scan, &facts, use_gradle);
    framework(scan, file, &facts, &mut out);
    Some(out)
}

fn members(scan: &ProjectScan, facts: &BuildFacts, gradle: bool) -> Vec<String> {
    let dirs: Vec<String> = if gradle {
        ["settings.gradle.kts", "settings.gradle"]
            .iter()
            .find_map(|f| scan.text(f))
            .map(java_build::gradle_includes)
            .unwrap_or_default()
    } else {
        facts.modules.clone()
    };
    let build_files: &[&str] = if gradle {
        &["build.gradle.kts", "build.gradle"]
    } else {
        &["pom.xml"]
    };
    dirs.into_iter()
        .filter(|d| build_files.iter().any(|b| scan.has(&format!("{d}/{b}"))))
        .collect()
}

/// Framework, main class, kind, port and health route.
fn framework(scan: &ProjectScan, file: &str, facts: &BuildFacts, out: &mut Partial) {
    let at = |found: &Found, note: String| Reason::at(file, Some(found.line), note);
    let config = config(scan);
    if let Some(boot) = &facts.spring_boot {
        let shown = if boot.value.is_empty() {
            "Spring Boot".to_string()
        } else {
            format!("Spring Boot {}", boot.value)
        };
        out.framework = Some(Fact::new("spring-boot".into(), at(boot, shown.clone())));
        out.main_class = Some(Fact::new(
            java_build::boot_launcher(&boot.value).to_string(),
            at(
                boot,
                format!("{shown}: its launcher starts the layered jar"),
            ),
        ));
        out.kind = Some(match &facts.web {
            Some(web) => Fact::new(
                ServiceKind::Http,
                at(web, format!("depends on {}", web.value)),
            ),
            None => Fact::new(
                ServiceKind::Worker,
                at(boot, format!("{shown} without a web starter")),
            ),
        });
        if let Some(h) = &facts.health_dependency {
            out.health_path = Some(Fact::new(
                "/actuator/health/liveness".into(),
                at(
                    h,
                    "Actuator's liveness group (probes enabled in the image)".into(),
                ),
            ));
        }
        out.framework_port = Some(port(&config, "server.port", "Spring Boot", file, boot));
    } else if let Some(quarkus) = &facts.quarkus {
        out.framework = Some(Fact::new("quarkus".into(), at(quarkus, "Quarkus".into())));
        out.kind = Some(Fact::new(ServiceKind::Http, at(quarkus, "Quarkus".into())));
        if let Some(h) = &facts.health_dependency {
            out.health_path = Some(Fact::new(
                "/q/health/live".into(),
                at(h, "SmallRye Health's liveness route".into()),
            ));
        }
        out.framework_port = Some(port(&config, "quarkus.http.port", "Quarkus", file, quarkus));
    } else if let Some(main) = facts
        .main_class
        .as_ref()
        .map(|m| Fact::new(m.value.clone(), at(m, format!("main class {}", m.value))))
        .or_else(|| main_from_sources(scan))
    {
        out.main_class = Some(main);
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            Reason::default_for(
                "a Java application with a main class; answer worker if it serves no HTTP",
            ),
        ));
    }
}

/// Spring/Quarkus configuration: `key=value` lines and the nested keys of a YAML file,
/// flattened to dotted keys, with their file and line.
fn config(scan: &ProjectScan) -> Vec<(String, String, String, usize)> {
    let mut out = Vec::new();
    for file in CONFIG_FILES {
        let Some(text) = scan.text(file) else {
            continue;
        };
        let yaml = !file.ends_with(".properties");
        let mut path: Vec<(usize, String)> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default();
            if line.trim().is_empty() || line.trim_start().starts_with('!') {
                continue;
            }
            let (key, value) = if yaml {
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                let indent = k.len() - k.trim_start().len();
                path.retain(|(i, _)| *i < indent);
                path.push((indent, k.trim().to_string()));
                let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
                (full.join("."), v.trim())
            } else {
                let Some((k, v)) = line.split_once(['=', ':']) else {
                    continue;
                };
                (k.trim().to_string(), v.trim())
            };
            if !value.is_empty() {
                let value = value.trim_matches(['"', '\'']).to_string();
                out.push((key, value, file.to_string(), index + 1));
            }
        }
    }
    out
}

fn port(
    config: &[(String, String, String, usize)],
    key: &str,
    framework: &str,
    file: &str,
    found: &Found,
) -> Fact<u16> {
    config
        .iter()
        .find(|(k, _, _, _)| k == key)
        .and_then(|(_, v, f, line)| {
            // `${PORT:8081}`: the default after the colon is what runs in the container.
            let literal = v
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .and_then(|r| r.split_once(':').map(|(_, d)| d))
                .unwrap_or(v);
            let port = literal.parse::<u16>().ok().filter(|p| *p > 0)?;
            Some(Fact::new(
                port,
                Reason::at(f, Some(*line), format!("{key}={v}")),
            ))
        })
        .unwrap_or_else(|| {
            Fact::new(
                8080,
                Reason::at(
                    file,
                    Some(found.line),
                    format!("{framework}'s default port 8080"),
                ),
            )
        })
}

/// A class with `main` among the conventional entry files under `src/main/java|kotlin`.
fn main_from_sources(scan: &ProjectScan) -> Option<Fact<String>> {
    scan.files
        .iter()
        .filter(|f| wants_source(f))
        .find_map(|file| {
            let text = scan.text(file)?;
            let kotlin = file.ends_with(".kt");
            let marker = if kotlin {
                "fun main("
            } else {
                "static void main("
            };
            let line = text.lines().position(|l| l.contains(marker))? + 1;
            let package = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("package "))
                .map(|p| p.trim().trim_end_matches(';').trim().to_string());
            let stem = file.rsplit('/').next()?.rsplit_once('.')?.0;
            let class = if kotlin {
                format!("{stem}Kt")
            } else {
                stem.to_string()
            };
            let full = match package {
                Some(p) if !p.is_empty() => format!("{p}.{class}"),
                _ => class,
            };
            Some(Fact::new(
                full.clone(),
                Reason::at(file, Some(line), format!("main of {full}")),
            ))
        })
}

/// Entry-point source files whose contents detection reads (`fsio::scan` asks this).
pub fn wants_source(path: &str) -> bool {
    let in_main = path.starts_with("src/main/java/") || path.starts_with("src/main/kotlin/");
    let base = path.rsplit('/').next().unwrap_or(path);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    in_main
        && (base.ends_with(".java") || base.ends_with(".kt"))
        && path.matches('/').count() <= 10
        && (stem == "Main" || stem == "App" || stem.ends_with("Application") || stem == "Server")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_maven_main_from_source() {
        let scan = ProjectScan::from_files(
            "demo",
            [
                (
                    "pom.xml",
                    "<project><properties><maven.compiler.release>21</maven.compiler.release></properties></project>",
                ),
                (
                    "src/main/java/com/example/App.java",
                    "package com.example;\n\npublic class App {\n  public static void main(String[] args) {}\n}",
                ),
            ],
        );
        let found = detect(&scan).expect("java");
        assert_eq!(found.version.map(|v| v.value), Some("21".into()));
        let main = found.main_class.expect("main class");
        assert_eq!(main.value, "com.example.App");
        assert_eq!(main.reason.line, Some(4));
        assert!(found.framework.is_none());
    }

    #[test]
    fn spring_gradle_port_and_health() {
        let scan = ProjectScan::from_files(
            "demo",
            [
                (
                    "build.gradle",
                    "plugins {\n id 'org.springframework.boot' version '3.4.1'\n}\ndependencies {\n implementation 'org.springframework.boot:spring-boot-starter-web'\n implementation 'org.springframework.boot:spring-boot-starter-actuator'\n}",
                ),
                ("gradlew", ""),
                ("settings.gradle", "include 'core'"),
                ("core/build.gradle", ""),
                (
                    "src/main/resources/application.yml",
                    "server:\n  port: ${PORT:9090}\n",
                ),
            ],
        );
        let found = detect(&scan).expect("java");
        assert_eq!(
            found.package_manager.map(|p| p.value),
            Some(PackageManager::Gradle)
        );
        assert_eq!(found.framework.map(|f| f.value), Some("spring-boot".into()));
        let port = found.framework_port.expect("port");
        assert_eq!((port.value, port.reason.line), (9090, Some(2)));
        assert_eq!(
            found.health_path.map(|h| h.value),
            Some("/actuator/health/liveness".into())
        );
        assert_eq!(found.workspace_members, vec!["core"]);
        let extras: Vec<String> = found.install_extras.into_iter().map(|f| f.value).collect();
        assert_eq!(extras, vec!["build.gradle", "gradlew", "settings.gradle"]);
    }
}
