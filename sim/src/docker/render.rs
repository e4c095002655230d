//! Containers as the engine's JSON: the list summary and the inspect body.

use serde_json::{Map, Value, json};

use super::clock::{Nanos, human_duration, rfc3339, rfc3339_opt};
use super::loggen;
use super::world::{Container, Status};

/// The `Status` column of `docker ps`.
pub(crate) fn status_text(c: &Container, now: Nanos) -> String {
    let since = |t: Option<Nanos>| human_duration(t.map(|t| now - t).unwrap_or(0).max(0));
    match c.status {
        Status::Paused => format!("Up {} (Paused)", since(c.started_at)),
        Status::Restarting => format!("Restarting ({}) {} ago", c.exit_code, since(c.finished_at)),
        Status::Running => {
            let health = match c.health.as_ref().map(|h| h.status.as_str()) {
                Some("starting") => " (health: starting)".to_string(),
                Some(s) => format!(" ({s})"),
                None => String::new(),
            };
            format!("Up {}{health}", since(c.started_at))
        }
        Status::Dead => "Dead".into(),
        Status::Created => "Created".into(),
        Status::Exited => format!("Exited ({}) {} ago", c.exit_code, since(c.finished_at)),
    }
}

fn network_name(c: &Container) -> String {
    match c.spec.labels.get("com.docker.compose.project") {
        Some(p) => format!("{p}_default"),
        None => "bridge".to_string(),
    }
}

fn publishes(c: &Container) -> bool {
    matches!(c.status, Status::Running | Status::Paused)
}

fn command_line(c: &Container) -> String {
    c.spec.command.join(" ")
}

pub(crate) fn summary(c: &Container, now: Nanos) -> Value {
    let mut ports = Vec::new();
    for p in &c.spec.ports {
        match p.public.filter(|_| publishes(c)) {
            Some(public) => {
                for ip in ["0.0.0.0", "::"] {
                    ports.push(json!({"IP": ip, "PrivatePort": p.private, "PublicPort": public, "Type": p.proto}));
                }
            }
            None => ports.push(json!({"PrivatePort": p.private, "Type": p.proto})),
        }
    }
    let net = network_name(c);
    let mut summary = json!({
        "Id": c.id,
        "Names": [format!("/{}", c.name)],
        "Image": c.spec.image,
        "ImageID": c.image_id,
        "Command": command_line(c),
        "Created": c.created / 1_000_000_000,
        "Ports": ports,
        "Labels": c.spec.labels,
        "State": c.status.as_str(),
        "Status": status_text(c, now),
        "HostConfig": {"NetworkMode": net},
        "NetworkSettings": {"Networks": {net.clone(): endpoint(c, &net)}},
        "Mounts": []
    });
    if let (Some(h), Value::Object(map)) = (c.health.as_ref(), &mut summary) {
        map.insert(
            "Health".into(),
            json!({"Status": h.status.as_str(), "FailingStreak": h.failing_streak}),
        );
    }
    summary
}

fn endpoint(c: &Container, net: &str) -> Value {
    let live = publishes(c);
    let ip = if live { c.ip.as_str() } else { "" };
    let gateway = if live { "172.18.0.1" } else { "" };
    let short = c.id.get(..12).unwrap_or(&c.id);
    let mut aliases = vec![c.name.clone()];
    if let Some(service) = c.spec.labels.get("com.docker.compose.service") {
        aliases.push(service.clone());
    }
    json!({
        "IPAMConfig": null,
        "Links": null,
        "Aliases": aliases,
        "MacAddress": if live { "02:42:ac:12:00:02" } else { "" },
        "NetworkID": loggen::hex_id(loggen::hash_str(net)),
        "EndpointID": if live { format!("{:0>64}", short) } else { String::new() },
        "Gateway": gateway,
        "IPAddress": ip,
        "IPPrefixLen": if live { 16 } else { 0 },
        "IPv6Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "DNSNames": [c.name, short]
    })
}

fn port_key(p: &super::spec::PortSpec) -> String {
    format!("{}/{}", p.private, p.proto)
}

pub(crate) fn inspect(c: &Container, _now: Nanos) -> Value {
    let mut port_map = Map::new();
    let mut bindings = Map::new();
    let mut exposed = Map::new();
    for p in &c.spec.ports {
        exposed.insert(port_key(p), json!({}));
        if let Some(public) = p.public {
            bindings.insert(
                port_key(p),
                json!([{"HostIp": "", "HostPort": public.to_string()}]),
            );
        }
        if publishes(c) {
            let v = match p.public {
                Some(public) => json!([
                    {"HostIp": "0.0.0.0", "HostPort": public.to_string()},
                    {"HostIp": "::", "HostPort": public.to_string()}
                ]),
                None => Value::Null,
            };
            port_map.insert(port_key(p), v);
        }
    }
    let health = c.health.as_ref().map(|h| {
        let log: Vec<Value> = h
            .log
            .iter()
            .map(|p| {
                json!({
                    "Start": rfc3339(p.start),
                    "End": rfc3339(p.start + 35_000_000),
                    "ExitCode": p.exit_code,
                    "Output": p.output
                })
            })
            .collect();
        json!({"Status": h.status.as_str(), "FailingStreak": h.failing_streak, "Log": log})
    });
    let mut state = json!({
        "Status": c.status.as_str(),
        "Running": c.status.running_flag(),
        "Paused": c.status == Status::Paused,
        "Restarting": c.status == Status::Restarting,
        "OOMKilled": c.oom_killed,
        "Dead": c.status == Status::Dead,
        "Pid": c.pid,
        "ExitCode": c.exit_code,
        "Error": "",
        "StartedAt": rfc3339_opt(c.started_at),
        "FinishedAt": rfc3339_opt(c.finished_at)
    });
    if let (Some(h), Value::Object(map)) = (health, &mut state) {
        map.insert("Health".into(), h);
    }
    let net = network_name(c);
    let (path, args) = match c.spec.command.split_first() {
        Some((p, rest)) => (p.clone(), rest.to_vec()),
        None => (String::new(), Vec::new()),
    };
    let short = c.id.get(..12).unwrap_or(&c.id).to_string();
    let dir = format!("/var/lib/docker/containers/{}", c.id);
    let restart_max = match c.spec.restart {
        super::spec::RestartPolicy::OnFailure { max_retries } => max_retries,
        _ => 0,
    };
    let memory = c
        .spec
        .memory_limit_mib
        .map(|m| m * 1024 * 1024)
        .unwrap_or(0);
    json!({
        "Id": c.id,
        "Created": rfc3339(c.created),
        "Path": path,
        "Args": args,
        "State": state,
        "Image": c.image_id,
        "ResolvConfPath": format!("{dir}/resolv.conf"),
        "HostnamePath": format!("{dir}/hostname"),
        "HostsPath": format!("{dir}/hosts"),
        "LogPath": format!("{dir}/{}-json.log", c.id),
        "Name": format!("/{}", c.name),
        "RestartCount": c.restart_count,
        "Driver": "overlayfs",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "docker-default",
        "ExecIDs": null,
        "HostConfig": {
            "NetworkMode": net,
            "PortBindings": bindings,
            "RestartPolicy": {"Name": c.spec.restart.name(), "MaximumRetryCount": restart_max},
            "AutoRemove": false,
            "LogConfig": {"Type": "json-file", "Config": {}},
            "Memory": memory
        },
        "Mounts": [],
        "Config": {
            "Hostname": short,
            "Domainname": "",
            "User": "",
            "AttachStdin": false,
            "AttachStdout": true,
            "AttachStderr": true,
            "ExposedPorts": exposed,
            "Tty": c.spec.tty,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": c.spec.env,
            "Cmd": c.spec.command,
            "Image": c.spec.image,
            "Volumes": null,
            "WorkingDir": "",
            "Entrypoint": null,
            "OnBuild": null,
            "Labels": c.spec.labels
        },
        "NetworkSettings": {
            "SandboxID": if publishes(c) { format!("{:0>64}", c.pid) } else { String::new() },
            "SandboxKey": if publishes(c) { format!("/var/run/docker/netns/{short}") } else { String::new() },
            "Ports": port_map,
            "Networks": {net.clone(): endpoint(c, &net)}
        }
    })
}
