//! The Java leaves' project facts: how the build tool is called (its wrapper when the project
//! has one), and the production and development commands for each image layout.

use super::tree::Leaf;

/// The settled Java facts the commands follow.
pub(crate) struct JavaProject {
    pub gradle: bool,
    /// `spring-boot`, `quarkus`, or empty for a plain jar.
    pub framework: String,
    /// The class `java` starts (a plain jar's main, or Spring Boot's launcher).
    pub main_class: String,
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
            wrapper: install_extras.iter().any(|f| f == wrapper_file),
        }
    }

    /// The build tool as the development image calls it; a wrapper runs through `sh`, since a
    /// checkout on Windows (or a zip) loses its executable bit.
    fn tool(&self) -> Vec<String> {
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

    /// The development command: the build tool compiles the synced sources and runs them.
    pub fn dev_command(&self) -> Vec<String> {
        let mut argv = self.tool();
        match (self.framework.as_str(), self.gradle) {
            ("spring-boot", true) => argv.push("bootRun".into()),
            ("spring-boot", false) => argv.push("spring-boot:run".into()),
            // Quarkus dev mode listens on localhost unless told otherwise.
            ("quarkus", true) => {
                argv.extend(strings(&["quarkusDev", "-Dquarkus.http.host=0.0.0.0"]))
            }
            ("quarkus", false) => {
                argv.extend(strings(&["quarkus:dev", "-Dquarkus.http.host=0.0.0.0"]))
            }
            (_, true) => argv.push("run".into()),
            (_, false) => {
                let tool = argv.join(" ");
                let script = format!(
                    "{tool} -q compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib && exec java -cp 'target/classes:target/lib/*' {}",
                    self.main_class
                );
                return vec!["sh".into(), "-c".into(), script];
            }
        }
        argv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_per_layout() {
        let plain = JavaProject::new(Leaf::JavaMaven, None, Some("com.example.App".into()), &[]);
        assert_eq!(
            plain.entrypoint(),
            strings(&["java", "-cp", "/app/lib/*", "com.example.App"])
        );
        assert_eq!(plain.dev_command()[..2], strings(&["sh", "-c"]));
        let boot = JavaProject::new(
            Leaf::JavaGradle,
            Some("spring-boot".into()),
            None,
            &["gradlew".to_string()],
        );
        assert_eq!(
            boot.entrypoint(),
            strings(&["java", "org.springframework.boot.loader.launch.JarLauncher"])
        );
        assert_eq!(
            boot.dev_command(),
            strings(&["sh", "./gradlew", "--no-daemon", "bootRun"])
        );
        let quarkus = JavaProject::new(Leaf::JavaMaven, Some("quarkus".into()), None, &[]);
        assert_eq!(
            quarkus.entrypoint(),
            strings(&["java", "-jar", "/app/quarkus-run.jar"])
        );
        assert_eq!(quarkus.dev_command()[2], "quarkus:dev");
    }
}
