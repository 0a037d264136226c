//! The Java leaves' template context: build and runtime images, how the build tool resolves,
//! packages and lays out the artefact for the runtime image (Spring Boot layers, Quarkus
//! fast-jar, a plain jar with its runtime classpath).

use serde::Serialize;

use super::pins;
use crate::domain::wizard::java::JavaProject;
use crate::domain::wizard::{Answers, Leaf};

/// One `COPY --from=build SRC DST` of the production stage, least-often-changed first.
#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    pub from: &'static str,
    pub to: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct JavaCtx {
    /// What is packaged, for the header comment (`Spring Boot`, `Quarkus`, `plain jar`).
    pub label: &'static str,
    /// The JDK image of the build and development stages.
    pub build_image: String,
    /// The JRE image of the production stage.
    pub runtime_image: String,
    /// The build tool as a shell command (`mvn -B`, `sh ./gradlew --no-daemon`).
    pub tool: String,
    /// Resolves dependencies and plugins from the build files alone.
    pub resolve: String,
    /// Compiles and packages (tests are the CI's job, not the image build's).
    pub package: String,
    /// Moves the artefact into `/out` in the runtime layout.
    pub collect: String,
    pub cache: &'static str,
    pub cache_dev: &'static str,
    /// Where the build writes (`target`, `build`): excluded from the context.
    pub output_dir: &'static str,
    pub layers: Vec<Layer>,
    /// Environment of the running app: its port, and Actuator's probes when they are probed.
    pub env: Vec<(String, String)>,
    /// Build files at the project root, copied together before the resolve step.
    pub root_files: Vec<String>,
    /// Build files in sub-directories (wrapper properties, modules), each to the same path.
    pub nested_files: Vec<String>,
}

/// The runnable jar among the build's outputs (not the sources, javadoc or Gradle's `-plain`).
fn find_jar(dir: &str) -> String {
    format!(
        "jar=\"$(find {dir} -maxdepth 1 -name '*.jar' ! -name '*-plain.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -print -quit)\""
    )
}

pub fn java_ctx(answers: &Answers, manifests: &[String]) -> Option<JavaCtx> {
    if !answers.leaf.is_java() {
        return None;
    }
    let p = &answers.project;
    let gradle = answers.leaf == Leaf::JavaGradle;
    let project = JavaProject::of(p, answers.leaf);
    let wrapper = project.wrapper;
    let jdk = "eclipse-temurin:${JAVA_VERSION}-jdk".to_string();
    let build_image = match (gradle, wrapper) {
        (_, true) => jdk,
        (false, false) => format!(
            "maven:{}-eclipse-temurin-${{JAVA_VERSION}}",
            pins::MAVEN_IMAGE_VERSION
        ),
        (true, false) => format!("gradle:{}-jdk${{JAVA_VERSION}}", pins::GRADLE_IMAGE_VERSION),
    };
    let tool = project.tool().join(" ");
    let output_dir = if gradle { "build" } else { "target" };
    // In a multi-module build the application's module is built with what it needs, and its
    // outputs are under its directory.
    let module = p.module.trim_matches('/');
    let dir = if module.is_empty() {
        String::new()
    } else {
        format!("{module}/")
    };
    let task = |name: &str| project.task(name);
    let select = if module.is_empty() {
        String::new()
    } else {
        format!(" -pl {module} -am")
    };
    let jars = format!("{dir}{}", if gradle { "build/libs" } else { "target" });
    let framework = p.framework.as_str();
    let (goal, collect, layers) = match framework {
        "spring-boot" => (
            if gradle {
                task("bootJar")
            } else {
                format!("package -DskipTests{select}")
            },
            // Spring Boot 3.3+ extracts with the `tools` jar mode; older ones with `layertools`.
            format!(
                "{} \\\n && (java -Djarmode=tools -jar \"$jar\" extract --layers --launcher --destination /out \\\n     || java -Djarmode=layertools -jar \"$jar\" extract --destination /out)",
                find_jar(&jars)
            ),
            vec![
                Layer {
                    from: "/out/dependencies/",
                    to: "./",
                },
                Layer {
                    from: "/out/spring-boot-loader/",
                    to: "./",
                },
                Layer {
                    from: "/out/snapshot-dependencies/",
                    to: "./",
                },
                Layer {
                    from: "/out/application/",
                    to: "./",
                },
            ],
        ),
        "quarkus" => (
            if gradle {
                task("quarkusBuild")
            } else {
                format!("package -DskipTests{select}")
            },
            format!("cp -R {dir}{output_dir}/quarkus-app /out"),
            vec![
                Layer {
                    from: "/out/lib/",
                    to: "./lib/",
                },
                Layer {
                    from: "/out/quarkus-run.jar",
                    to: "./",
                },
                Layer {
                    from: "/out/app/",
                    to: "./app/",
                },
                Layer {
                    from: "/out/quarkus/",
                    to: "./quarkus/",
                },
            ],
        ),
        _ if gradle => (
            task("installDist"),
            format!("mkdir -p /out && cp -R {dir}build/install/*/lib /out/lib"),
            vec![Layer {
                from: "/out/lib/",
                to: "./lib/",
            }],
        ),
        _ => (
            format!(
                "package dependency:copy-dependencies -DskipTests -DincludeScope=runtime -DoutputDirectory=target/lib{select}"
            ),
            format!(
                "mkdir -p /out/lib {dir}target/lib \\\n && cp -R {dir}target/lib/. /out/lib/ \\\n && find {dir}target -maxdepth 1 -name '*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -exec cp {{}} /out/lib/ \\;"
            ),
            vec![Layer {
                from: "/out/lib/",
                to: "./lib/",
            }],
        ),
    };
    let resolve = if gradle {
        format!("{tool} -q dependencies")
    } else {
        format!("{tool} -q dependency:go-offline -DskipTests")
    };
    let port_var = match framework {
        "spring-boot" => "SERVER_PORT",
        "quarkus" => "QUARKUS_HTTP_PORT",
        _ => "PORT",
    };
    let mut env = vec![(port_var.to_string(), answers.port.to_string())];
    if p.health_path.starts_with("/actuator/health/") {
        env.push((
            "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED".into(),
            "true".into(),
        ));
    }
    let member_files = p.workspace_members.iter().map(|m| {
        format!(
            "{m}/{}",
            if gradle {
                gradle_file(manifests)
            } else {
                "pom.xml"
            }
        )
    });
    let (root_files, nested_files): (Vec<String>, Vec<String>) = manifests
        .iter()
        .cloned()
        .chain(member_files)
        .partition(|f| !f.contains('/'));
    Some(JavaCtx {
        label: match framework {
            "spring-boot" => "Spring Boot layered jar",
            "quarkus" => "Quarkus fast-jar",
            _ => "plain jar and its runtime classpath",
        },
        build_image,
        runtime_image: "eclipse-temurin:${JAVA_VERSION}-jre".into(),
        tool: tool.clone(),
        resolve,
        package: format!("{tool} -q {goal}"),
        collect,
        cache: if gradle { "/root/.gradle" } else { "/root/.m2" },
        cache_dev: if gradle {
            "/home/app/.gradle"
        } else {
            "/home/app/.m2"
        },
        output_dir,
        layers,
        env,
        root_files,
        nested_files,
    })
}

/// The Gradle build file's name in the DSL the root's scripts use (members follow it).
fn gradle_file(manifests: &[String]) -> &'static str {
    if manifests.iter().any(|m| m.ends_with(".gradle.kts")) {
        "build.gradle.kts"
    } else {
        "build.gradle"
    }
}
