//! Reading Maven POMs and Gradle build scripts for what the Java leaves need: the JDK release,
//! the framework and its version, the main class, modules, and the health dependency. Text
//! scanning with line numbers, not a full XML or Groovy parser: build files are regular enough
//! where these facts live, and every value found says where it came from.

/// A value found in a build file, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub value: String,
    pub line: usize,
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Drops `<!-- … -->` comments, keeping the line breaks inside them so lines still count.
fn without_xml_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find("-->").map_or(after.len(), |e| e + 3);
        out.extend(after[..end].chars().filter(|c| *c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every `<tag>value</tag>` in `text`, trimmed, in order.
fn tags(text: &str, tag: &str) -> Vec<Found> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find(&open).map(|s| s + from) {
        let value_start = start + open.len();
        let Some(end) = text[value_start..].find(&close).map(|e| e + value_start) else {
            break;
        };
        out.push(Found {
            value: text[value_start..end].trim().to_string(),
            line: line_at(text, start),
        });
        from = end + close.len();
    }
    out
}

/// The text between `<block>` and `</block>` (first occurrence), with its offset.
fn block<'a>(text: &'a str, name: &str) -> Option<(&'a str, usize)> {
    let start = text.find(&format!("<{name}>"))?;
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some((&text[start..end], start))
}

/// Facts from a build file, Maven's or Gradle's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BuildFacts {
    /// JDK feature release (`17`, `21`).
    pub release: Option<Found>,
    /// Spring Boot in use; its version when stated.
    pub spring_boot: Option<Found>,
    pub quarkus: Option<Found>,
    /// spring-boot-starter-actuator or quarkus-smallrye-health.
    pub health_dependency: Option<Found>,
    /// A web server dependency (spring-boot-starter-web/webflux, quarkus-rest…).
    pub web: Option<Found>,
    /// The main class named in the build (`<mainClass>`, `<start-class>`, `mainClass = …`).
    pub main_class: Option<Found>,
    /// Modules / included projects (directories).
    pub modules: Vec<String>,
    /// `<packaging>` when it is not a jar (`war`, `pom`).
    pub packaging: Option<Found>,
}

/// A JDK release from `17`, `1.8`, `VERSION_17`, `JavaVersion.VERSION_1_8`.
fn release(value: &str) -> Option<String> {
    let digits: String = value
        .trim()
        .trim_start_matches("JavaVersion.")
        .trim_start_matches("VERSION_")
        .replace('_', ".");
    let digits = digits.strip_prefix("1.").unwrap_or(&digits);
    let major = digits.split('.').next()?;
    (!major.is_empty() && major.chars().all(|c| c.is_ascii_digit())).then(|| major.to_string())
}

const HEALTH: &[&str] = &["spring-boot-starter-actuator", "quarkus-smallrye-health"];
const WEB: &[&str] = &[
    "spring-boot-starter-web",
    "spring-boot-starter-webflux",
    "spring-boot-starter-jersey",
    "quarkus-rest",
    "quarkus-resteasy",
    "quarkus-vertx-http",
    "quarkus-reactive-routes",
];

pub(crate) fn maven(raw: &str) -> BuildFacts {
    let text = without_xml_comments(raw);
    let mut out = BuildFacts::default();
    for tag in [
        "maven.compiler.release",
        "java.version",
        "maven.compiler.source",
        "maven.compiler.target",
        "release",
    ] {
        if let Some(found) = tags(&text, tag).into_iter().find_map(|f| {
            release(&f.value).map(|value| Found {
                value,
                line: f.line,
            })
        }) {
            out.release = Some(found);
            break;
        }
    }
    let artifacts = tags(&text, "artifactId");
    let group_ids = tags(&text, "groupId");
    if let Some((parent, offset)) = block(&text, "parent")
        && parent.contains("spring-boot-starter-parent")
    {
        let version = tags(parent, "version").into_iter().next();
        out.spring_boot = Some(Found {
            value: version.map(|v| v.value).unwrap_or_default(),
            line: line_at(&text, offset),
        });
    }
    if out.spring_boot.is_none()
        && let Some(a) = artifacts.iter().find(|a| {
            a.value == "spring-boot-maven-plugin" || a.value == "spring-boot-dependencies"
        })
    {
        out.spring_boot = Some(Found {
            value: version_near(&text, a.line).unwrap_or_default(),
            line: a.line,
        });
    }
    if let Some(g) = group_ids
        .iter()
        .find(|g| g.value == "io.quarkus" || g.value == "io.quarkus.platform")
    {
        out.quarkus = Some(g.clone());
    }
    out.health_dependency = artifacts
        .iter()
        .find(|a| HEALTH.contains(&a.value.as_str()))
        .cloned();
    out.web = artifacts
        .iter()
        .find(|a| WEB.iter().any(|w| a.value.starts_with(w)))
        .cloned();
    out.main_class = tags(&text, "mainClass")
        .into_iter()
        .chain(tags(&text, "start-class"))
        .find(|m| !m.value.is_empty() && !m.value.contains("${"));
    out.modules = tags(&text, "module")
        .into_iter()
        .map(|m| m.value.trim_end_matches('/').to_string())
        .filter(|m| !m.is_empty() && !m.contains("..") && !m.starts_with('/'))
        .collect();
    out.packaging = tags(&text, "packaging")
        .into_iter()
        .next()
        .filter(|p| p.value != "jar");
    out
}

/// The `<version>` within the few lines after an artifactId (a plugin or BOM entry).
fn version_near(text: &str, line: usize) -> Option<String> {
    let window: String = text
        .lines()
        .skip(line.saturating_sub(2))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    tags(&window, "version")
        .into_iter()
        .next()
        .map(|v| v.value)
        .filter(|v| !v.contains("${"))
}

/// The first quoted string on a line (`'x'` or `"x"`) after `from`.
fn quoted(line: &str, from: usize) -> Option<String> {
    let rest = &line[from.min(line.len())..];
    let start = rest.find(['\'', '"'])?;
    let quote = rest[start..].chars().next()?;
    let body = &rest[start + 1..];
    let end = body.find(quote)?;
    Some(body[..end].to_string())
}

pub(crate) fn gradle(text: &str) -> BuildFacts {
    let mut out = BuildFacts::default();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or_default().trim();
        let number = index + 1;
        let at = |value: String| Found {
            value,
            line: number,
        };
        if line.contains("org.springframework.boot") && out.spring_boot.is_none() {
            let version = line
                .find("version")
                .and_then(|v| quoted(line, v))
                .unwrap_or_default();
            out.spring_boot = Some(at(version));
        } else if line.contains("spring-boot-gradle-plugin") && out.spring_boot.is_none() {
            let version = quoted(line, 0)
                .and_then(|c| c.rsplit(':').next().map(str::to_string))
                .filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .unwrap_or_default();
            out.spring_boot = Some(at(version));
        }
        if line.contains("io.quarkus") && out.quarkus.is_none() {
            out.quarkus = Some(at("io.quarkus".into()));
        }
        if let Some(dep) = HEALTH.iter().find(|d| line.contains(*d))
            && out.health_dependency.is_none()
        {
            out.health_dependency = Some(at(dep.to_string()));
        }
        if let Some(dep) = WEB.iter().find(|d| line.contains(*d))
            && out.web.is_none()
        {
            out.web = Some(at(dep.to_string()));
        }
        for marker in ["mainClass", "mainClassName"] {
            if let Some(pos) = line.find(marker)
                && out.main_class.is_none()
                && let Some(class) = quoted(line, pos)
            {
                out.main_class = Some(at(class));
            }
        }
        if out.release.is_none() {
            for marker in [
                "JavaLanguageVersion.of(",
                "jvmToolchain(",
                "sourceCompatibility",
                "targetCompatibility",
            ] {
                if let Some(pos) = line.find(marker) {
                    let rest = &line[pos + marker.len()..];
                    let value: String = rest
                        .trim_start_matches([' ', '=', '(', '\'', '"'])
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                        .collect();
                    if let Some(r) = release(&value) {
                        out.release = Some(at(r));
                        break;
                    }
                }
            }
        }
    }
    out
}

/// Projects a Gradle settings script includes (`include 'api', ':lib:core'`), as directories.
pub(crate) fn gradle_includes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap_or_default().trim();
        let Some(rest) = line.strip_prefix("include") else {
            continue;
        };
        if !rest.starts_with([' ', '(']) {
            continue;
        }
        for part in rest.split(',') {
            if let Some(name) = quoted(part, 0) {
                let dir = name.trim_start_matches(':').replace(':', "/");
                if !dir.is_empty() && !dir.contains("..") {
                    out.push(dir);
                }
            }
        }
    }
    out
}

/// Spring Boot's launcher class for a version (`3.2` moved it to `…loader.launch`); an unknown
/// version is taken to be current.
pub(crate) fn boot_launcher(version: &str) -> &'static str {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), _) if major < 3 => "org.springframework.boot.loader.JarLauncher",
        (Some(3), Some(minor)) if minor < 2 => "org.springframework.boot.loader.JarLauncher",
        _ => "org.springframework.boot.loader.launch.JarLauncher",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maven_facts_with_lines() {
        let pom = "<project>\n<!-- <java.version>8</java.version> -->\n<parent>\n  <groupId>org.springframework.boot</groupId>\n  <artifactId>spring-boot-starter-parent</artifactId>\n  <version>3.1.5</version>\n</parent>\n<properties><java.version>17</java.version></properties>\n<dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>\n<dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>\n<modules><module>api</module></modules>\n</project>";
        let facts = maven(pom);
        assert_eq!(
            facts.release.as_ref().map(|r| (r.value.as_str(), r.line)),
            Some(("17", 8))
        );
        assert_eq!(
            facts
                .spring_boot
                .as_ref()
                .map(|b| (b.value.as_str(), b.line)),
            Some(("3.1.5", 3))
        );
        assert_eq!(facts.health_dependency.map(|h| h.line), Some(9));
        assert!(facts.web.is_some());
        assert_eq!(facts.modules, vec!["api"]);
        assert_eq!(
            boot_launcher("3.1.5"),
            "org.springframework.boot.loader.JarLauncher"
        );
        assert_eq!(
            boot_launcher("3.4.0"),
            "org.springframework.boot.loader.launch.JarLauncher"
        );
        assert_eq!(
            boot_launcher(""),
            "org.springframework.boot.loader.launch.JarLauncher"
        );
    }

    #[test]
    fn maven_release_forms_and_plain_main_class() {
        let pom = "<project><properties><maven.compiler.source>1.8</maven.compiler.source></properties>\n<build><plugins><plugin><configuration><archive><manifest><mainClass>com.example.Main</mainClass></manifest></archive></configuration></plugin></plugins></build></project>";
        let facts = maven(pom);
        assert_eq!(facts.release.map(|r| r.value), Some("8".into()));
        assert_eq!(
            facts.main_class.map(|m| m.value),
            Some("com.example.Main".into())
        );
        assert!(facts.spring_boot.is_none() && facts.quarkus.is_none());
    }

    #[test]
    fn gradle_facts_groovy_and_kotlin() {
        let groovy = "plugins {\n  id 'org.springframework.boot' version '3.3.2'\n}\njava {\n  toolchain { languageVersion = JavaLanguageVersion.of(21) }\n}\ndependencies { implementation 'org.springframework.boot:spring-boot-starter-actuator' }";
        let facts = gradle(groovy);
        assert_eq!(
            facts.spring_boot.map(|b| (b.value, b.line)),
            Some(("3.3.2".into(), 2))
        );
        assert_eq!(
            facts.release.map(|r| (r.value, r.line)),
            Some(("21".into(), 5))
        );
        assert_eq!(facts.health_dependency.map(|h| h.line), Some(7));
        let kotlin = "plugins { application }\nkotlin { jvmToolchain(17) }\napplication { mainClass.set(\"com.example.AppKt\") }\nimplementation(\"io.quarkus:quarkus-rest\")";
        let facts = gradle(kotlin);
        assert_eq!(facts.release.map(|r| r.value), Some("17".into()));
        assert_eq!(
            facts.main_class.map(|m| m.value),
            Some("com.example.AppKt".into())
        );
        assert!(facts.quarkus.is_some() && facts.web.is_some());
        assert_eq!(
            gradle_includes(
                "rootProject.name = 'x'\ninclude 'api', ':libs:core'\ninclude(\"web\")"
            ),
            vec!["api", "libs/core", "web"]
        );
        let old = "sourceCompatibility = JavaVersion.VERSION_1_8";
        assert_eq!(gradle(old).release.map(|r| r.value), Some("8".into()));
    }
}
