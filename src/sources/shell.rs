//! Opening shells with the sources' clients: the app loop lends the
//! terminal (`terminal::handoff`), this says where the bytes go.

use std::path::PathBuf;

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::app::OpenShell;
use crate::core::effect::ShellTarget;
use crate::terminal::handoff::{Session, Size};

/// Where each source's shells open.
#[derive(Debug, Clone, Default)]
pub struct Shells {
    /// The Docker engine (`DOCKER_HOST` or the config), when Docker is on.
    pub docker_host: Option<String>,
    /// With several engines (`[docker] hosts`): each engine's address by
    /// the name in its containers' keys.
    pub docker_engines: std::collections::BTreeMap<String, String>,
    /// Kubernetes: `Some(kubeconfig)` when the source is on (`None` inside
    /// reads `KUBECONFIG` or `~/.kube/config`, as the source does).
    pub kube: Option<Option<PathBuf>>,
}

impl OpenShell for Shells {
    fn open(
        &self,
        target: &ShellTarget,
        size: Size,
    ) -> BoxFuture<'static, Result<Session, String>> {
        let target = target.clone();
        let docker_host = match &target {
            ShellTarget::Docker { container_id, .. } => {
                match crate::core::docker::split_key(container_id) {
                    ("", _) => self.docker_host.clone(),
                    (engine, _) => self.docker_engines.get(engine).cloned(),
                }
            }
            ShellTarget::Kube { .. } => None,
        };
        let kube = self.kube.clone();
        async move {
            match target {
                ShellTarget::Docker { container_id, name } => {
                    let Some(host) = docker_host else {
                        return Err("the Docker source is off".to_string());
                    };
                    let (_, id) = crate::core::docker::split_key(&container_id);
                    super::docker::shell::open(&host, id, &name, size).await
                }
                ShellTarget::Kube {
                    context,
                    namespace,
                    pod,
                    container,
                } => {
                    let Some(kubeconfig) = kube else {
                        return Err("the Kubernetes source is off".to_string());
                    };
                    let at = super::kube::shell::PodContainer {
                        context: &context,
                        namespace: &namespace,
                        pod: &pod,
                        container: &container,
                    };
                    super::kube::shell::open(kubeconfig, at, size).await
                }
            }
        }
        .boxed()
    }
}
