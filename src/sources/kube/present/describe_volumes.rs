//! kubectl's `describeVolumes` (k8s.io/kubectl/pkg/describe/describe.go):
//! each volume of a pod or pod template with its source in kubectl's
//! words (`printSecretVolumeSource` and the rest), for the kinds of source
//! pods use most; any other reads `<unknown>` as kubectl's default does.

use k8s_openapi::api::core::v1::Volume;

use super::describe::Writer;
use super::describe_containers::Place;

/// `Volumes:` and each volume's source in kubectl's words.
pub(super) fn volumes(w: &mut Writer, place: Place, list: &[Volume]) {
    let space = place.space();
    if list.is_empty() {
        return w.raw(0, &format!("{space}Volumes:\t<none>"));
    }
    w.raw(0, &format!("{space}Volumes:"));
    for v in list {
        w.raw(1, &format!("{}{}:", place.name_indent(), v.name));
        volume_source(w, v);
    }
}

fn volume_source(w: &mut Writer, v: &Volume) {
    if let Some(c) = &v.persistent_volume_claim {
        w.field(
            2,
            "Type",
            "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        );
        w.field(2, "ClaimName", &c.claim_name);
        w.field(2, "ReadOnly", c.read_only.unwrap_or(false).to_string());
    } else if let Some(s) = &v.secret {
        w.field(2, "Type", "Secret (a volume populated by a Secret)");
        w.field(
            2,
            "SecretName",
            s.secret_name.as_deref().unwrap_or_default(),
        );
        w.field(2, "Optional", s.optional.unwrap_or(false).to_string());
    } else if let Some(c) = &v.config_map {
        w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
        w.field(2, "Name", &c.name);
        w.field(2, "Optional", c.optional.unwrap_or(false).to_string());
    } else if let Some(e) = &v.empty_dir {
        w.field(
            2,
            "Type",
            "EmptyDir (a temporary directory that shares a pod's lifetime)",
        );
        // kubectl leaves the default medium blank.
        w.raw(
            2,
            &format!("Medium:\t{}", e.medium.as_deref().unwrap_or_default()),
        );
        let limit = e.size_limit.as_ref().map(|q| q.0.as_str());
        w.field(
            2,
            "SizeLimit",
            limit.filter(|l| *l != "0").unwrap_or("<unset>"),
        );
    } else if let Some(h) = &v.host_path {
        w.field(2, "Type", "HostPath (bare host directory volume)");
        w.field(2, "Path", &h.path);
        // kubectl: `<none>` when unset, the (maybe blank) type when set.
        match &h.type_ {
            Some(t) => w.raw(2, &format!("HostPathType:\t{t}")),
            None => w.field(2, "HostPathType", "<none>"),
        }
    } else if let Some(p) = &v.projected {
        w.field(
            2,
            "Type",
            "Projected (a volume that contains injected data from multiple sources)",
        );
        for s in p.sources.iter().flatten() {
            if let Some(s) = &s.secret {
                w.field(2, "SecretName", &s.name);
                w.field(2, "Optional", s.optional.unwrap_or(false).to_string());
            } else if s.downward_api.is_some() {
                w.field(2, "DownwardAPI", "true");
            } else if let Some(c) = &s.config_map {
                w.field(2, "ConfigMapName", &c.name);
                w.field(2, "Optional", c.optional.unwrap_or(false).to_string());
            } else if let Some(t) = &s.service_account_token {
                // The API server defaults it to an hour.
                let secs = t.expiration_seconds.unwrap_or(3600);
                w.field(2, "TokenExpirationSeconds", secs.to_string());
            }
        }
    } else if v.downward_api.is_some() {
        w.field(
            2,
            "Type",
            "DownwardAPI (a volume populated by information about the pod)",
        );
    } else if let Some(c) = &v.csi {
        w.field(
            2,
            "Type",
            "CSI (a Container Storage Interface (CSI) volume source)",
        );
        w.field(2, "Driver", &c.driver);
        w.raw(
            2,
            &format!("FSType:\t{}", c.fs_type.as_deref().unwrap_or_default()),
        );
        w.field(2, "ReadOnly", c.read_only.unwrap_or(false).to_string());
    } else {
        w.raw(1, "<unknown>");
    }
}
