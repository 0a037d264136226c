//! Canonical form after decoding: env_file contents folded into `environment`, build and
//! pull-policy defaults, default network, implicit dependencies, profiles, reference checks
//! (services, networks, volumes, secrets, configs), resource names and unused-resource
//! pruning — what compose-go does before `docker compose config` prints the project.

use super::tree_pos::{err_at, pos_at};
use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::ctx::Ctx;
use super::error::{LoadError, Warning, nearest};
use super::graph::start_order;
use super::model::{Project, Service, ServiceName};
use super::options::LoadOptions;
use super::paths::clean;
use super::yaml::Node;

pub fn normalize(
    project: &mut Project,
    tree: &Node,
    opts: &LoadOptions,
    ctx: &mut Ctx<'_>,
) -> Result<(), LoadError> {
    project.services.sort_keys();
    let names: Vec<ServiceName> = project.services.keys().cloned().collect();
    for name in &names {
        let Some(service) = project.services.get_mut(name) else {
            continue;
        };
        let path = ["services", name.as_str()];
        if opts.resolve_env_files {
            super::envfiles::env_files(service, &project.environment, ctx, tree)?;
            super::envfiles::label_files(service, ctx, tree)?;
        }
        for (key, value) in service.environment.iter_mut() {
            if value.is_none() {
                *value = project.environment.get(key).cloned();
            }
        }
        if let Some(build) = service.build.as_mut() {
            // Build args without a value take the project environment's, or are dropped.
            let env = &project.environment;
            build.args = std::mem::take(&mut build.args)
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Some(v) => Some((k, Some(v))),
                    None => env.get(&k).map(|e| (k, Some(e.clone()))),
                })
                .collect();
        }
        // compose-go keeps extra hosts as a sorted list.
        service.extra_hosts.sort();
        service_defaults(service, &project.working_dir);
        super::dependencies::implicit_dependencies(service);
        check_service(service, tree, &path, ctx)?;
    }
    // Profiles: disabled services leave the project but stay known. Moved out in place: a
    // partition into two new maps held every service twice at its peak.
    let mut disabled = IndexMap::new();
    let profiles = &project.profiles;
    project.services.retain(|name, service| {
        let enabled = service.enabled_for(profiles);
        if !enabled {
            disabled.insert(name.clone(), std::mem::take(service));
        }
        enabled
    });
    project.disabled_services = disabled;
    if !opts.services.is_empty() {
        let names: Vec<&str> = opts.services.iter().map(String::as_str).collect();
        super::profiles::enable_services(project, &names)?;
    }
    super::validate::validate(project, tree)?;
    super::dependencies::check_dependencies(project, tree)?;
    start_order(project).map_err(|cycle| {
        let first = cycle.0.first().cloned().unwrap_or_default();
        err_at(tree, &["services", &first, "depends_on"], cycle.to_string())
            .with_help("remove one of the depends_on entries on this cycle")
    })?;
    resources(project, tree)?;
    Ok(())
}

fn service_defaults(service: &mut Service, working_dir: &str) {
    if let Some(build) = service.build.as_mut() {
        if build.context.is_empty() {
            build.context = working_dir.to_owned();
        }
        if build.dockerfile.is_empty() && build.dockerfile_inline.is_empty() {
            build.dockerfile = "Dockerfile".to_owned();
        }
    }
    if service.pull_policy == "if_not_present" {
        service.pull_policy = "missing".to_owned();
    }
    // A `provider:` service is run by a plugin, not as a container: no default network.
    if service.network_mode.is_empty() && service.networks.is_empty() && service.provider.is_none()
    {
        service.networks.insert("default".to_owned(), None);
    }
    for mount in service.volumes.iter_mut() {
        if mount.target.starts_with('/') {
            mount.target = clean(&mount.target);
        }
    }
    // Two mounts on one target: the engine refuses both, Compose keeps the last one.
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<_> = std::mem::take(&mut service.volumes)
        .into_iter()
        .rev()
        .filter(|m| m.target.is_empty() || seen.insert(m.target.clone()))
        .collect();
    kept.reverse();
    service.volumes = kept;
}

fn check_service(
    service: &Service,
    tree: &Node,
    path: &[&str],
    ctx: &mut Ctx<'_>,
) -> Result<(), LoadError> {
    if service.image.is_empty() && service.build.is_none() && service.provider.is_none() {
        return Err(err_at(
            tree,
            path,
            format!(
                "service {:?} has neither an image nor a build context specified",
                service.name.as_str()
            ),
        )
        .with_help("add `image: <name>` or `build: <directory>`"));
    }
    if let (Some(scale), Some(replicas)) = (
        service.scale,
        service.deploy.as_ref().and_then(|d| d.replicas),
    ) && scale != replicas
    {
        return Err(err_at(
            tree,
            &[path, &["scale"]].concat(),
            "can't set distinct values on 'scale' and 'deploy.replicas'".to_owned(),
        )
        .with_help("keep only one of them"));
    }
    let limit = service
        .deploy
        .as_ref()
        .and_then(|d| d.resources.limits.as_ref())
        .map(|l| l.memory);
    if let Some(limit) = limit
        && !service.mem_limit.is_zero()
        && !limit.is_zero()
        && limit != service.mem_limit
    {
        return Err(err_at(
            tree,
            &[path, &["mem_limit"]].concat(),
            "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'"
                .to_owned(),
        ));
    }
    if !service.container_name.is_empty() && service.effective_scale() > 1 {
        return Err(err_at(
            tree,
            &[path, &["container_name"]].concat(),
            format!(
                "services.{}: container_name must be unique, it cannot be set with scale > 1",
                service.name
            ),
        )
        .with_help("remove container_name or set the scale to 1"));
    }
    if !service.restart.is_empty() && !super::decode::refs::valid_restart(&service.restart) {
        let valid = ["no", "always", "on-failure", "unless-stopped"];
        let hint = nearest(&service.restart, valid.iter().copied())
            .map(|b| format!(" (did you mean `{b}`?)"))
            .unwrap_or_default();
        ctx.warnings.push(Warning {
            pos: pos_at(tree, &[path, &["restart"]].concat()),
            message: format!(
                "services.{}.restart: {:?} is not a restart policy the engine accepts: expected no, always, on-failure[:N] or unless-stopped{hint}",
                service.name, service.restart
            ),
        });
    }
    if let Some(h) = &service.healthcheck
        && h.start_interval.is_some()
        && h.start_period.is_none()
    {
        ctx.warnings.push(Warning {
            pos: pos_at(tree, &[path, &["healthcheck"]].concat()),
            message: "healthcheck.start_interval requires healthcheck.start_period to be set"
                .to_owned(),
        });
    }
    for (i, c) in service
        .configs
        .iter()
        .chain(service.secrets.iter())
        .enumerate()
    {
        if c.mode.is_some() || !c.uid.is_empty() || !c.gid.is_empty() {
            let kind = if i < service.configs.len() {
                "configs"
            } else {
                "secrets"
            };
            ctx.warnings.push(Warning {
                pos: pos_at(tree, &[path, &[kind]].concat()),
                message: format!("service {:?}: {kind}.{}: uid, gid and mode are not supported outside Swarm mode and will be ignored", service.name.as_str(), c.source),
            });
        }
    }
    Ok(())
}

fn undefined(
    tree: &Node,
    service: &str,
    field: &str,
    kind: &str,
    name: &str,
    declared: &[&str],
) -> LoadError {
    let mut err = err_at(
        tree,
        &["services", service, field, name],
        format!("service {service:?} refers to undefined {kind} {name}"),
    );
    err.path = format!("services.{service}.{field}");
    match nearest(name, declared.iter().copied()) {
        Some(best) => err.with_help(format!("did you mean `{best}`?")),
        None => err.with_help(format!("declare it under the top-level `{field}:` key")),
    }
}

fn resources(project: &mut Project, tree: &Node) -> Result<(), LoadError> {
    let mut used_networks = BTreeSet::new();
    let mut used_volumes = BTreeSet::new();
    let mut used_secrets = BTreeSet::new();
    let mut used_configs = BTreeSet::new();
    for (name, s) in &project.services {
        let svc = name.as_str();
        for net in s.networks.keys() {
            if net != "default" && !project.networks.contains_key(net) {
                let declared: Vec<&str> = project.networks.keys().map(String::as_str).collect();
                return Err(undefined(tree, svc, "networks", "network", net, &declared));
            }
            used_networks.insert(net.clone());
        }
        for v in &s.volumes {
            if v.kind == "volume" && !v.source.is_empty() {
                if !project.volumes.contains_key(&v.source) {
                    let declared: Vec<&str> = project.volumes.keys().map(String::as_str).collect();
                    return Err(undefined(
                        tree, svc, "volumes", "volume", &v.source, &declared,
                    ));
                }
                used_volumes.insert(v.source.clone());
            }
        }
        let build_secrets = s
            .build
            .as_ref()
            .map(|b| b.secrets.as_slice())
            .unwrap_or(&[]);
        for r in s.secrets.iter().chain(build_secrets) {
            if !project.secrets.contains_key(&r.source) {
                let declared: Vec<&str> = project.secrets.keys().map(String::as_str).collect();
                return Err(undefined(
                    tree, svc, "secrets", "secret", &r.source, &declared,
                ));
            }
            used_secrets.insert(r.source.clone());
        }
        for r in &s.configs {
            if !project.configs.contains_key(&r.source) {
                let declared: Vec<&str> = project.configs.keys().map(String::as_str).collect();
                return Err(undefined(
                    tree, svc, "configs", "config", &r.source, &declared,
                ));
            }
            used_configs.insert(r.source.clone());
        }
    }
    if used_networks.contains("default") && !project.networks.contains_key("default") {
        project
            .networks
            .insert("default".to_owned(), Default::default());
    }
    let pname = project.name.clone();
    let resource_name = |key: &str, name: &mut String, external: bool| {
        if name.is_empty() {
            *name = if external {
                key.to_owned()
            } else {
                format!("{pname}_{key}")
            };
        }
    };
    project.networks.retain(|k, _| used_networks.contains(k));
    for (k, n) in project.networks.iter_mut() {
        resource_name(k, &mut n.name, n.external);
    }
    project.volumes.retain(|k, _| used_volumes.contains(k));
    for (k, v) in project.volumes.iter_mut() {
        resource_name(k, &mut v.name, v.external);
    }
    project.secrets.retain(|k, _| used_secrets.contains(k));
    for (k, s) in project.secrets.iter_mut() {
        resource_name(k, &mut s.name, s.external);
    }
    project.configs.retain(|k, _| used_configs.contains(k));
    for (k, c) in project.configs.iter_mut() {
        resource_name(k, &mut c.name, c.external);
    }
    project.networks.sort_keys();
    project.volumes.sort_keys();
    project.secrets.sort_keys();
    project.configs.sort_keys();
    Ok(())
}
