//! The dotnet leaf's template context: the project published and the runtime image it runs on
//! (ASP.NET Core for web apps, the .NET runtime for workers); the restore inputs are the
//! context's manifests.

use serde::Serialize;

use crate::domain::detect::ServiceKind;
use crate::domain::wizard::{Answers, Leaf};

#[derive(Debug, Clone, Serialize)]
pub struct DotnetCtx {
    /// The project restored and published (`src/Api/Api.csproj`).
    pub project: String,
    /// `aspnet` for web apps, `runtime` for workers and console apps.
    pub runtime: &'static str,
    /// A packages.lock.json: restore in locked mode.
    pub locked: bool,
}

pub fn dotnet_ctx(answers: &Answers) -> Option<DotnetCtx> {
    if answers.leaf != Leaf::Dotnet {
        return None;
    }
    let p = &answers.project;
    Some(DotnetCtx {
        project: p.module.clone(),
        runtime: if answers.kind == ServiceKind::Http {
            "aspnet"
        } else {
            "runtime"
        },
        locked: p.lockfile.is_some(),
    })
}
