//! Decoders for `deploy` (replicas, resources with GPU device reservations, restart policy)
//! and the service-level `gpus` list.

use super::super::error::{index, join};
use super::super::model::{DeployConfig, DeviceRequest, Resource, Resources, RestartPolicy};
use super::super::yaml::{Node, Value};
use super::values::{
    Result, bytes, duration, expected, float, int, is_extension, map, one_of, string, string_list,
    string_map, uint, unknown_key,
};

pub fn gpus(node: &Node, path: &str) -> Result<Vec<DeviceRequest>> {
    if let Some("all") = node.as_str() {
        return Ok(vec![DeviceRequest {
            count: -1,
            ..DeviceRequest::default()
        }]);
    }
    device_requests(node, path)
}

fn device_requests(node: &Node, path: &str) -> Result<Vec<DeviceRequest>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list of devices"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        let mut d = DeviceRequest::default();
        for (key, v) in map(item, &p)? {
            let kp = join(&p, key);
            match key.as_str() {
                "capabilities" => d.capabilities = string_list(v, &kp, false)?,
                "driver" => d.driver = string(v, &kp)?,
                "count" => {
                    d.count = match v.as_str() {
                        Some(s) if s.eq_ignore_ascii_case("all") => -1,
                        _ => int(v, &kp).map_err(|_| expected(v, &kp, "a number or \"all\""))?,
                    };
                }
                "device_ids" => d.device_ids = string_list(v, &kp, false)?,
                "options" => d.options = string_map(v, &kp)?,
                k => {
                    return Err(unknown_key(
                        k,
                        v,
                        &p,
                        &["capabilities", "driver", "count", "device_ids", "options"],
                    ));
                }
            }
        }
        out.push(d);
    }
    Ok(out)
}

fn resource(node: &Node, path: &str) -> Result<Resource> {
    let mut r = Resource::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "cpus" => r.cpus = float(v, p)? as f32,
            "memory" => r.memory = bytes(v, p)?,
            "pids" => r.pids = int(v, p)?,
            "devices" => r.devices = device_requests(v, p)?,
            "generic_resources" => r.generic_resources = list_json(v, p)?,
            k if is_extension(k) => {}
            k => {
                return Err(unknown_key(
                    k,
                    v,
                    path,
                    &["cpus", "memory", "pids", "devices", "generic_resources"],
                ));
            }
        }
    }
    Ok(r)
}

pub fn list_json(node: &Node, path: &str) -> Result<Vec<serde_json::Value>> {
    match &node.value {
        Value::Seq(items) => Ok(items.iter().map(Node::to_json).collect()),
        _ => Err(expected(node, path, "a list")),
    }
}

pub fn deploy(node: &Node, path: &str) -> Result<DeployConfig> {
    let mut d = DeployConfig::default();
    const KEYS: &[&str] = &[
        "mode",
        "replicas",
        "labels",
        "update_config",
        "rollback_config",
        "resources",
        "restart_policy",
        "placement",
        "endpoint_mode",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "mode" => d.mode = string(v, p)?,
            "replicas" => d.replicas = Some(int(v, p)?),
            "labels" => d.labels = string_map(v, p)?,
            "update_config" => d.update_config = Some(v.to_json()),
            "rollback_config" => d.rollback_config = Some(v.to_json()),
            "resources" => {
                let mut res = Resources::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "limits" => res.limits = Some(resource(x, &kp)?),
                        "reservations" => res.reservations = Some(resource(x, &kp)?),
                        other if is_extension(other) => {}
                        other => return Err(unknown_key(other, x, p, &["limits", "reservations"])),
                    }
                }
                d.resources = res;
            }
            "restart_policy" => {
                let mut r = RestartPolicy::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "condition" => {
                            r.condition = one_of(x, &kp, &["none", "on-failure", "any"])?
                        }
                        "delay" => r.delay = Some(duration(x, &kp)?),
                        "max_attempts" => r.max_attempts = Some(uint(x, &kp)?),
                        "window" => r.window = Some(duration(x, &kp)?),
                        other => {
                            return Err(unknown_key(
                                other,
                                x,
                                p,
                                &["condition", "delay", "max_attempts", "window"],
                            ));
                        }
                    }
                }
                d.restart_policy = Some(r);
            }
            "placement" => {
                if let serde_json::Value::Object(obj) = v.to_json() {
                    d.placement = obj;
                } else {
                    return Err(expected(v, p, "a mapping"));
                }
            }
            "endpoint_mode" => d.endpoint_mode = string(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(d)
}
