//! Java (and Kotlin on the JVM) detection: Maven (`pom.xml`, `mvnw`) or Gradle
//! (`build.gradle(.kts)`, `settings.gradle(.kts)`, `gradlew`), the module that runs (the root,
//! or the one member that is an application), the JDK release, Spring Boot or Quarkus, the main
//! class, the port, and the framework's liveness route.

use super::facts::{Fact, Reason};
use super::java_build::{self, BuildFacts, Found};
use super::java_config::{config, main_from_sources, port, within};
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

/// A module's build file and what it says.
struct Module {
    /// Directory relative to the root; empty for the root project.
    dir: String,
    /// Its build file (`pom.xml`, `app/build.gradle.kts`).
    file: String,
    facts: BuildFacts,
}

impl Module {
    fn runs(&self) -> bool {
        self.facts.spring_boot.is_some()
            || self.facts.quarkus.is_some()
            || self.facts.main_class.is_some()
    }
}

fn read(scan: &ProjectScan, dir: &str, gradle: bool) -> Option<Module> {
    let names: &[&str] = if gradle {
        &["build.gradle.kts", "build.gradle"]
    } else {
        &["pom.xml"]
    };
    let file = names.iter().map(|n| within(dir, n)).find(|f| scan.has(f))?;
    let text = scan.text(&file).unwrap_or_default();
    let facts = if gradle {
        java_build::gradle(text)
    } else {
        java_build::maven(text)
    };
    Some(Module {
        dir: dir.to_string(),
        file,
        facts,
    })
}

/// The module that runs: the root when it is an application (or has no members), else the
/// first member that is one (a `gradle init` layout keeps the application in `app/`; a Maven
/// parent only aggregates). A member takes the root's release when it names none.
fn runnable(
    scan: &ProjectScan,
    root: Option<Module>,
    members: &[String],
    gradle: bool,
) -> Option<Module> {
    match root {
        Some(root) if root.runs() || members.is_empty() => Some(root),
        root => {
            let release = root.as_ref().and_then(|r| r.facts.release.clone());
            let found = members
                .iter()
                .filter_map(|m| read(scan, m, gradle))
                .find(Module::runs);
            match found {
                Some(mut module) => {
                    if module.facts.release.is_none() {
                        module.facts.release = release;
                    }
                    Some(module)
                }
                None => root,
            }
        }
    }
}

pub(crate) fn detect(scan: &ProjectScan) -> Option<Partial> {
    let settings = ["settings.gradle.kts", "settings.gradle"]
        .into_iter()
        .find(|f| scan.has(f));
    let gradle_root = ["build.gradle.kts", "build.gradle"]
        .into_iter()
        .find(|f| scan.has(f));
    let maven = scan.has("pom.xml");
    // Both present: the one with a wrapper is the one the project builds with.
    let use_gradle = match (maven, gradle_root.is_some() || settings.is_some()) {
        (true, true) => scan.has("gradlew") && !scan.has("mvnw"),
        (false, true) => true,
        (true, false) => false,
        (false, false) => return None,
    };
    let root = read(scan, "", use_gradle);
    let members = members(scan, root.as_ref(), settings, use_gradle);
    let module = runnable(scan, root, &members, use_gradle);
    let named = if use_gradle {
        gradle_root.or(settings).unwrap_or("build.gradle")
    } else {
        "pom.xml"
    };
    let tool = if use_gradle { "Gradle" } else { "Maven" };
    let wrapper = scan.has(if use_gradle { "gradlew" } else { "mvnw" });
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Java,
            Reason::at(named, None, format!("{named} at the project root")),
        )),
        package_manager: Some(Fact::new(
            if use_gradle {
                PackageManager::Gradle
            } else {
                PackageManager::Maven
            },
            Reason::at(
                named,
                None,
                format!(
                    "{tool} build{}",
                    if wrapper { " with its wrapper" } else { "" }
                ),
            ),
        )),
        build_step: Some(Fact::new(
            true,
            Reason::at(named, None, "compiled and packaged by the build tool"),
        )),
        // A multi-module build recompiles its siblings too: the whole tree is synced then.
        source_dir: Some(Fact::new(
            if members.is_empty() { "src" } else { "." }.to_string(),
            Reason::at(named, None, format!("{tool} layout: sources under src/")),
        )),
        ..Partial::default()
    };
    // Gradle's root script (Groovy or Kotlin DSL) is copied with its tool files; Maven's build
    // file is always pom.xml.
    if let Some(script) = gradle_root.filter(|_| use_gradle) {
        out.install_extras.push(Fact::new(
            script.to_string(),
            Reason::at(script, None, "the Gradle build script"),
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
    out.workspace_members = members;
    let Some(module) = module else {
        return Some(out);
    };
    if let Some(release) = &module.facts.release {
        out.version = Some(Fact::new(
            release.value.clone(),
            Reason::at(
                &module.file,
                Some(release.line),
                format!("Java {}", release.value),
            ),
        ));
    }
    if !module.dir.is_empty() {
        out.module = Some(Fact::new(
            module.dir.clone(),
            Reason::at(&module.file, None, "the module that builds the application"),
        ));
    }
    framework(scan, &module, &mut out);
    Some(out)
}

fn members(
    scan: &ProjectScan,
    root: Option<&Module>,
    settings: Option<&str>,
    gradle: bool,
) -> Vec<String> {
    let dirs: Vec<String> = if gradle {
        settings
            .and_then(|f| scan.text(f))
            .map(java_build::gradle_includes)
            .unwrap_or_default()
    } else {
        root.map(|r| r.facts.modules.clone()).unwrap_or_default()
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

/// Framework, main class, kind, port and health route of the module that runs.
fn framework(scan: &ProjectScan, module: &Module, out: &mut Partial) {
    let file = module.file.as_str();
    let facts = &module.facts;
    let at = |found: &Found, note: String| Reason::at(file, Some(found.line), note);
    let config = config(scan, &module.dir);
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
        .or_else(|| main_from_sources(scan, &module.dir))
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

    #[test]
    fn gradle_init_layout_runs_the_app_module() {
        let scan = ProjectScan::from_files(
            "demo",
            [
                (
                    "settings.gradle.kts",
                    "rootProject.name = \"demo\"\ninclude(\"app\", \"lib\")",
                ),
                ("gradlew", ""),
                ("gradle/libs.versions.toml", ""),
                ("lib/build.gradle.kts", "plugins { `java-library` }"),
                (
                    "app/build.gradle.kts",
                    "plugins { application }\njava { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\napplication {\n    mainClass = \"org.example.AppKt\"\n}",
                ),
            ],
        );
        let found = detect(&scan).expect("java");
        let module = found.module.expect("module");
        assert_eq!(module.value, "app");
        assert_eq!(module.reason.file.as_deref(), Some("app/build.gradle.kts"));
        let main = found.main_class.expect("main");
        assert_eq!(
            (main.value.as_str(), main.reason.line),
            ("org.example.AppKt", Some(4))
        );
        assert_eq!(found.version.map(|v| v.value), Some("17".into()));
        assert_eq!(found.workspace_members, vec!["app", "lib"]);
        assert_eq!(found.source_dir.map(|s| s.value), Some(".".into()));
        let extras: Vec<String> = found.install_extras.into_iter().map(|f| f.value).collect();
        assert_eq!(
            extras,
            vec![
                "gradlew",
                "gradle/libs.versions.toml",
                "settings.gradle.kts"
            ]
        );
    }

    #[test]
    fn maven_parent_without_an_app_is_not_evidence() {
        let scan = ProjectScan::from_files(
            "lib",
            [
                (
                    "pom.xml",
                    "<project><modules><module>core</module></modules></project>",
                ),
                ("core/pom.xml", "<project/>"),
            ],
        );
        let found = detect(&scan).expect("java");
        assert!(found.main_class.is_none() && found.framework.is_none() && found.module.is_none());
    }
}
