//! The Java leaves' project facts: how the build tool is called (its wrapper when the project
//! has one), and the production and development commands for each image layout.

use super::tree::Leaf;

/// The settled Java facts the commands follow.
pub struct JavaProject {
    pub gradle: bool,
    /// `spring-boot`, `quarkus`, or empty for a plain jar.
    pub framework: String,
    /// The class `java` starts (a plain jar's main, or Spring Boot's launcher).
    pub main_class: String,
    /// The module directory that builds the application; empty for the root project.
    pub module: String,
    /// The project carries `mvnw`/`gradlew`.
    pub wrapper: bool,
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

impl JavaProject {
    pub fn new(
        leaf: Leaf,
        framework: Option<String>,
        main_class: Option<String>,
        module: Option<String>,
        install_extras: &[String],
    ) -> Self {
        let gradle = leaf == Leaf::JavaGradle;
        let framework = framework.unwrap_or_default();
        let main_class = match main_class.filter(|m| !m.is_empty()) {
            Some(main) => main,
            None if framework == "spring-boot" => {
                "org.springframework.boot.loader.launch.JarLauncher".into()
            }
            None if framework == "quarkus" => String::new(),
            None => "Main".into(),
        };
        let wrapper_file = if gradle { "gradlew" } else { "mvnw" };
        JavaProject {
            gradle,
            framework,
            main_class,
            module: module.unwrap_or_default(),
            wrapper: install_extras.iter().any(|f| f == wrapper_file),
        }
    }

    /// The build tool as the development image calls it; a wrapper runs through `sh`, since a
    /// checkout on Windows (or a zip) loses its executable bit.
    pub fn tool(&self) -> Vec<String> {
        match (self.gradle, self.wrapper) {
            (true, true) => strings(&["sh", "./gradlew", "--no-daemon"]),
            (true, false) => strings(&["gradle", "--no-daemon"]),
            (false, true) => strings(&["sh", "./mvnw", "-B"]),
            (false, false) => strings(&["mvn", "-B"]),
        }
    }

    /// The production command, run in `/app` of the runtime image.
    pub fn entrypoint(&self) -> Vec<String> {
        match self.framework.as_str() {
            "quarkus" => strings(&["java", "-jar", "/app/quarkus-run.jar"]),
            // The extracted layers sit in /app; the launcher finds them from its own location.
            "spring-boot" => vec!["java".into(), self.main_class.clone()],
            _ => vec![
                "java".into(),
                "-cp".into(),
                "/app/lib/*".into(),
                self.main_class.clone(),
            ],
        }
    }

    /// The settled Java facts of a project's answers (the Dockerfile's context reads them too).
    pub fn of(project: &super::Project, leaf: Leaf) -> Self {
        JavaProject::new(
            leaf,
            Some(project.framework.clone()),
            Some(project.main_class.clone()),
            Some(project.module.clone()),
            &project.install_extras,
        )
    }

    /// A Gradle task of the module that runs (`:app:bootRun` in a multi-project build).
    pub fn task(&self, name: &str) -> String {
        if self.module.is_empty() {
            name.to_string()
        } else {
            format!(":{}:{name}", self.module.replace('/', ":"))
        }
    }

    /// The development command: the build tool compiles the synced sources and runs them.
    pub fn dev_command(&self) -> Vec<String> {
        let mut argv = self.tool();
        // Quarkus dev mode listens on localhost unless told otherwise.
        let host = "-Dquarkus.http.host=0.0.0.0".to_string();
        if self.gradle {
            match self.framework.as_str() {
                "spring-boot" => argv.push(self.task("bootRun")),
                "quarkus" => argv.extend([self.task("quarkusDev"), host]),
                _ => argv.push(self.task("run")),
            }
            return argv;
        }
        let tool = argv.join(" ");
        let goal = match self.framework.as_str() {
            "spring-boot" => "spring-boot:run",
            "quarkus" => "quarkus:dev",
            _ => {
                let (select, dir) = if self.module.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" -pl {} -am", self.module),
                        format!("{}/", self.module),
                    )
                };
                let script = format!(
                    "{tool} -q{select} compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib && exec java -cp '{dir}target/classes:{dir}target/lib/*' {}",
                    self.main_class
                );
                return vec!["sh".into(), "-c".into(), script];
            }
        };
        let extra = if self.framework == "quarkus" {
            vec![host]
        } else {
            Vec::new()
        };
        if self.module.is_empty() {
            argv.push(goal.into());
            argv.extend(extra);
            return argv;
        }
        // A plugin goal runs in one module, which finds its siblings in the local repository:
        // they are installed first.
        let extra: String = extra.iter().map(|e| format!(" {e}")).collect();
        vec![
            "sh".into(),
            "-c".into(),
            format!(
                "{tool} -q install -DskipTests && exec {tool} -pl {} {goal}{extra}",
                self.module
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_per_layout() {
        let plain = JavaProject::new(
            Leaf::JavaMaven,
            None,
            Some("com.example.App".into()),
            None,
            &[],
        );
        assert_eq!(
            plain.entrypoint(),
            strings(&["java", "-cp", "/app/lib/*", "com.example.App"])
        );
        assert_eq!(plain.dev_command()[..2], strings(&["sh", "-c"]));
        let boot = JavaProject::new(
            Leaf::JavaGradle,
            Some("spring-boot".into()),
            None,
            Some("app".into()),
            &["gradlew".to_string()],
        );
        assert_eq!(
            boot.entrypoint(),
            strings(&["java", "org.springframework.boot.loader.launch.JarLauncher"])
        );
        assert_eq!(
            boot.dev_command(),
            strings(&["sh", "./gradlew", "--no-daemon", ":app:bootRun"])
        );
        let quarkus = JavaProject::new(Leaf::JavaMaven, Some("quarkus".into()), None, None, &[]);
        assert_eq!(
            quarkus.entrypoint(),
            strings(&["java", "-jar", "/app/quarkus-run.jar"])
        );
        assert_eq!(quarkus.dev_command()[2], "quarkus:dev");
    }
}
