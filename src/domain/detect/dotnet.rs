//! .NET detection: the project files (`*.csproj`, `*.fsproj`, `*.vbproj`, at the root or one
//! level down under a solution), the app among them (the Web SDK serves HTTP, the Worker SDK and
//! console apps are workers; test projects never are), its target framework, assembly name and
//! NuGet lock file, and the files `dotnet restore` reads.

use super::command::Command;
use super::facts::{Fact, Reason, line_of};
use super::{Language, Partial, ProjectScan, ServiceKind};

const PROJECT_EXTENSIONS: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

/// Files restore reads besides the project files, wherever they are in the first two levels.
const RESTORE_FILES: &[&str] = &[
    "global.json",
    "Directory.Build.props",
    "Directory.Packages.props",
    "NuGet.config",
    "nuget.config",
];

/// One project file and what it says.
struct Project<'a> {
    path: &'a str,
    text: &'a str,
    sdk: &'a str,
}

impl Project<'_> {
    fn is_test(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or(self.path);
        self.text.contains("Microsoft.NET.Test.Sdk")
            || self.text.contains("<IsTestProject>true")
            || name.contains(".Test")
            || name.contains(".Tests")
    }

    fn web(&self) -> bool {
        self.sdk.starts_with("Microsoft.NET.Sdk.Web")
            || self.sdk.starts_with("Microsoft.NET.Sdk.Razor")
    }

    fn worker(&self) -> bool {
        self.sdk.starts_with("Microsoft.NET.Sdk.Worker")
            || element(self.text, "OutputType").is_some_and(|t| t.eq_ignore_ascii_case("exe"))
    }
}

/// The text of the first `<name>…</name>` element.
fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find("</")?;
    Some(text[start..start + end].trim())
}

/// `Sdk="Microsoft.NET.Sdk.Web"` on the `<Project>` element.
fn sdk(text: &str) -> &str {
    text.find("Sdk=\"")
        .map(|at| &text[at + 5..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
}

/// `net8.0` → `8.0`; `net10.0-windows` → `10.0`; `netstandard2.0` and `net48` are not apps
/// an image can run.
fn framework_version(tfm: &str) -> Option<String> {
    let rest = tfm.trim().strip_prefix("net")?;
    let version = rest.split('-').next()?;
    let (major, minor) = version.split_once('.')?;
    let major: u32 = major.parse().ok()?;
    (major >= 5 && minor.chars().all(|c| c.is_ascii_digit())).then(|| format!("{major}.{minor}"))
}

pub(crate) fn detect(scan: &ProjectScan) -> Option<Partial> {
    let projects: Vec<Project> = scan
        .contents
        .iter()
        .filter(|(path, _)| {
            path.matches('/').count() <= 2 && PROJECT_EXTENSIONS.iter().any(|e| path.ends_with(e))
        })
        .map(|(path, text)| Project {
            path,
            text,
            sdk: sdk(text),
        })
        .collect();
    if projects.is_empty() {
        return None;
    }
    // The app: a web project first, then a worker or console app; never a test project. The
    // shallowest wins a tie (the solution's main project sits at the root or under src/).
    let runnable = |p: &&Project| !p.is_test() && (p.web() || p.worker());
    let mut candidates: Vec<&Project> = projects.iter().filter(runnable).collect();
    candidates.sort_by_key(|p| (!p.web(), p.path.matches('/').count(), p.path));
    let app = candidates.first()?;
    let file_name = app.path.rsplit('/').next().unwrap_or(app.path);
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let assembly = element(app.text, "AssemblyName")
        .filter(|a| !a.contains('$'))
        .unwrap_or(stem)
        .to_string();
    let at = |needle: &str, note: String| Reason::at(app.path, line_of(app.text, needle), note);
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Dotnet,
            Reason::at(app.path, None, format!("{file_name}: a .NET project")),
        )),
        build_step: Some(Fact::new(
            true,
            Reason::at(app.path, None, "dotnet publish compiles the project"),
        )),
        source_dir: Some(Fact::new(
            ".".to_string(),
            Reason::at(app.path, None, "dotnet watch rebuilds from the whole tree"),
        )),
        module: Some(Fact::new(
            app.path.to_string(),
            Reason::at(app.path, None, "the project restored, built and published"),
        )),
        binary: Some(Fact::new(
            assembly.clone(),
            match element(app.text, "AssemblyName") {
                Some(_) => at("<AssemblyName>", format!("the assembly is {assembly}.dll")),
                None => Reason::at(
                    app.path,
                    None,
                    format!(
                        "no AssemblyName: the assembly is named after the project ({assembly}.dll)"
                    ),
                ),
            },
        )),
        entrypoint: Some(Fact::new(
            Command::exec(["dotnet".to_string(), format!("{assembly}.dll")]),
            Reason::at(
                app.path,
                None,
                "the published assembly, run by the shared runtime",
            ),
        )),
        dev_command: Some(Fact::new(
            Command::exec([
                "dotnet",
                "watch",
                "run",
                "--project",
                app.path,
                "--no-launch-profile",
            ]),
            Reason::at(
                app.path,
                None,
                "dotnet watch rebuilds and restarts on synced edits (launchSettings.json's URLs are not used in a container)",
            ),
        )),
        ..Partial::default()
    };
    let tfm = element(app.text, "TargetFramework")
        .or_else(|| element(app.text, "TargetFrameworks").and_then(|list| list.split(';').next()));
    out.version = tfm.and_then(|t| {
        let version = framework_version(t)?;
        Some(Fact::new(
            version,
            at("<TargetFramework", format!("targets {t}")),
        ))
    });
    let (kind, framework, why) = if app.web() {
        (
            ServiceKind::Http,
            "aspnet",
            format!("Sdk=\"{}\": an ASP.NET Core app", app.sdk),
        )
    } else if app.sdk.starts_with("Microsoft.NET.Sdk.Worker") {
        (
            ServiceKind::Worker,
            "worker",
            format!("Sdk=\"{}\": a worker service", app.sdk),
        )
    } else {
        (
            ServiceKind::Worker,
            "console",
            "OutputType Exe without the Web SDK: a console app".to_string(),
        )
    };
    out.kind = Some(Fact::new(kind, at("Sdk=", why.clone())));
    out.framework = Some(Fact::new(framework.to_string(), at("Sdk=", why)));
    out.framework_port = Some(Fact::new(
        8080,
        Reason::default_for(".NET 8+ images serve on 8080 (ASPNETCORE_HTTP_PORTS)"),
    ));
    // Restore reads every project file (references), the solution and the shared settings.
    for path in scan.files.iter().filter(|f| {
        let base = f.rsplit('/').next().unwrap_or(f);
        f.matches('/').count() <= 2
            && (PROJECT_EXTENSIONS.iter().any(|e| base.ends_with(e))
                || base.ends_with(".sln")
                || base.ends_with(".slnx")
                || RESTORE_FILES.contains(&base))
    }) {
        out.install_extras.push(Fact::new(
            path.clone(),
            Reason::at(path, None, "read by dotnet restore"),
        ));
    }
    let dir = app.path.rsplit_once('/').map_or("", |(d, _)| d);
    let lock = if dir.is_empty() {
        "packages.lock.json".to_string()
    } else {
        format!("{dir}/packages.lock.json")
    };
    if scan.has(&lock) {
        out.lockfile = Some(Fact::new(
            lock.clone(),
            Reason::at(&lock, None, "NuGet lock file: restored in locked mode"),
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AssemblyName>Shop.Api</AssemblyName>
  </PropertyGroup>
</Project>
"#;

    #[test]
    fn the_web_project_of_a_solution_is_the_app() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("Shop.sln", "Microsoft Visual Studio Solution File"),
                ("src/Api/Api.csproj", WEB),
                (
                    "src/Core/Core.csproj",
                    "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
                ),
                (
                    "tests/Api.Tests/Api.Tests.csproj",
                    "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>",
                ),
                ("src/Api/packages.lock.json", "{}"),
            ],
        );
        let out = detect(&scan).unwrap();
        assert_eq!(out.module.unwrap().value, "src/Api/Api.csproj");
        assert_eq!(out.binary.unwrap().value, "Shop.Api");
        assert_eq!(out.version.unwrap().value, "8.0");
        assert_eq!(out.kind.unwrap().value, ServiceKind::Http);
        assert_eq!(out.lockfile.unwrap().value, "src/Api/packages.lock.json");
        let extras: Vec<String> = out.install_extras.into_iter().map(|f| f.value).collect();
        assert!(extras.contains(&"Shop.sln".to_string()), "{extras:?}");
        assert!(
            extras.contains(&"src/Core/Core.csproj".to_string()),
            "{extras:?}"
        );
        assert_eq!(
            out.entrypoint.unwrap().value.argv(None, 8080),
            ["dotnet", "Shop.Api.dll"]
        );
    }

    #[test]
    fn a_worker_sdk_project_is_a_worker_and_libraries_alone_are_not_apps() {
        let worker = ProjectScan::from_files(
            "p",
            [(
                "Jobs.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Worker\"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>",
            )],
        );
        let out = detect(&worker).unwrap();
        assert_eq!(out.kind.unwrap().value, ServiceKind::Worker);
        assert_eq!(out.binary.unwrap().value, "Jobs");
        assert_eq!(out.version.unwrap().value, "9.0");
        let library = ProjectScan::from_files(
            "p",
            [(
                "Lib.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>",
            )],
        );
        assert!(detect(&library).is_none());
        assert_eq!(framework_version("netstandard2.0"), None);
        assert_eq!(
            framework_version("net10.0-windows").as_deref(),
            Some("10.0")
        );
    }
}
