//! `up --pull` and `up --scale`: command-line overrides of the loaded project (each service's
//! `pull_policy`; `scale` and `deploy.replicas`), applied before converging as Compose does.

use crate::domain::compose::Project;

pub fn parse_scale(text: &str) -> Result<(String, i64), String> {
    let (service, num) = text
        .split_once('=')
        .ok_or_else(|| format!("expected SERVICE=NUM, got {text:?}"))?;
    let num: i64 = num.trim().parse().ok().filter(|n| *n >= 0).ok_or_else(|| {
        format!("the number of containers for {service} must be 0 or more, got {num:?}")
    })?;
    Ok((service.trim().to_owned(), num))
}

/// `--pull` and `--scale` applied to the loaded project, as Compose does before converging.
pub fn apply(
    project: &mut Project,
    pull: Option<&str>,
    scale: &[(String, i64)],
) -> Result<(), miette::Report> {
    if let Some(policy) = pull {
        for service in project.services.values_mut() {
            service.pull_policy = policy.to_owned();
        }
    }
    for (name, num) in scale {
        let Some(service) = project.services.get_mut(name.as_str()) else {
            let known: Vec<&str> = project.services.keys().map(|k| k.as_str()).collect();
            return Err(miette::miette!(
                help = format!("services: {}", known.join(", ")),
                "--scale {name}={num}: no such service {name:?} in the project"
            ));
        };
        if !service.container_name.is_empty() && *num > 1 {
            return Err(miette::miette!(
                help = "remove container_name from the service to run several of it",
                "--scale {name}={num}: service {name:?} sets container_name, which must be unique"
            ));
        }
        service.scale = Some(*num);
        if let Some(deploy) = service.deploy.as_mut() {
            deploy.replicas = Some(*num);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::{LoadOptions, load_from_str};

    fn project() -> Project {
        let yaml = "services:\n  web:\n    image: nginx:1.27\n    deploy: {replicas: 3}\n  db:\n    image: postgres:16\n    container_name: db\n";
        load_from_str(yaml, &LoadOptions::for_dir("/p"))
            .unwrap()
            .project
    }

    #[test]
    fn scale_and_pull_override_the_file() {
        let mut p = project();
        apply(&mut p, Some("never"), &[("web".into(), 2)]).unwrap();
        let web = &p.services["web"];
        assert_eq!(web.effective_scale(), 2);
        assert_eq!(web.pull_policy, "never");
        assert_eq!(p.services["db"].pull_policy, "never");
    }

    #[test]
    fn bad_scales_are_named() {
        assert!(parse_scale("web=-1").is_err());
        assert!(parse_scale("web").is_err());
        assert_eq!(parse_scale("web=0").unwrap(), ("web".to_owned(), 0));
        let err = apply(&mut project(), None, &[("wbe".into(), 2)]).unwrap_err();
        assert!(err.to_string().contains("no such service \"wbe\""), "{err}");
        let err = apply(&mut project(), None, &[("db".into(), 2)]).unwrap_err();
        assert!(err.to_string().contains("container_name"), "{err}");
    }
}
