//! State of the Docker pane: containers by id, the derived row order
//! (grouped by compose project, filtered, sorted) and the selection, which
//! follows the container's id across refreshes.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use super::docker::{Container, Usage};
use super::filter::Fields;
use super::list::{ListState, RowSpec, SortColumn};
use super::loadable::Loadable;
use super::log_session::LogSession;
use super::source::SourceHealth;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DockerSort {
    #[default]
    Name,
    State,
    Image,
    Uptime,
    /// Busiest first (the stats stream's figure).
    Cpu,
    /// Most memory first.
    Memory,
}

impl SortColumn for DockerSort {
    fn next(self) -> Self {
        match self {
            Self::Name => Self::State,
            Self::State => Self::Image,
            Self::Image => Self::Uptime,
            Self::Uptime => Self::Cpu,
            Self::Cpu => Self::Memory,
            Self::Memory => Self::Name,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::State => "state",
            Self::Image => "image",
            Self::Uptime => "uptime",
            Self::Cpu => "cpu",
            Self::Memory => "memory",
        }
    }
}

/// Containers as list rows: grouped by compose project (projects first,
/// alphabetically; loose containers last), then by the sort column. The
/// CPU and memory columns read the stats streams' figures; rows without
/// any (stopped, or not streamed: off screen) go last either way.
struct ContainerRows<'a> {
    usage: &'a HashMap<String, Usage>,
}

impl RowSpec<Container> for ContainerRows<'_> {
    type Key = String;
    type Sort = DockerSort;

    fn key(&self, c: &Container) -> String {
        c.key()
    }

    fn fields(&self, c: &Container, out: &mut Fields) {
        out.name(&c.name);
        out.field(&["project", "compose"], c.project.as_deref().unwrap_or(""));
        out.field(&["image"], &c.image);
        out.field(&["state", "status"], c.state.word());
        out.field(&["health"], c.health.map_or("", |h| h.word()));
        out.field(&["id"], &c.id);
        out.field(&["engine", "host"], &c.engine);
    }

    fn compare(&self, a: &Container, b: &Container, sort: DockerSort) -> Ordering {
        match sort {
            DockerSort::Name => a.name.cmp(&b.name),
            DockerSort::State => b
                .severity()
                .cmp(&a.severity())
                .then_with(|| a.name.cmp(&b.name)),
            DockerSort::Image => a.image.cmp(&b.image).then_with(|| a.name.cmp(&b.name)),
            DockerSort::Uptime => b
                .started_at
                .cmp(&a.started_at)
                .then_with(|| a.name.cmp(&b.name)),
            DockerSort::Cpu | DockerSort::Memory => {
                let figure = |c: &Container| {
                    self.usage.get(&c.key()).map(|u| match sort {
                        DockerSort::Cpu => u.cpu_percent,
                        _ => u.mem_bytes as f64,
                    })
                };
                let (fa, fb) = (figure(a).unwrap_or(0.0), figure(b).unwrap_or(0.0));
                fb.total_cmp(&fa).then_with(|| a.name.cmp(&b.name))
            }
        }
    }

    fn sorts_last(&self, c: &Container, sort: DockerSort) -> bool {
        matches!(sort, DockerSort::Cpu | DockerSort::Memory) && !self.usage.contains_key(&c.key())
    }

    fn grouped(&self) -> bool {
        true
    }

    fn group_cmp(&self, a: &Container, b: &Container) -> Ordering {
        (a.project.is_none(), &a.project).cmp(&(b.project.is_none(), &b.project))
    }
}

#[derive(Debug)]
pub struct DockerPane {
    /// The whole source's health; with several engines, theirs combined.
    pub health: SourceHealth,
    /// Each engine's own health, by name, when several are configured
    /// (`[docker] hosts`); empty with one. Also what says to show ENGINE.
    pub engines: BTreeMap<String, SourceHealth>,
    /// Containers by key (`Container::key`).
    pub containers: Loadable<BTreeMap<String, Container>>,
    pub usage: HashMap<String, Usage>,
    /// Container ids in display order, the filter, sort and selection.
    pub list: ListState<String, DockerSort>,
    /// Ids whose stats are being streamed (the running ones on screen).
    pub stats_watched: Vec<String>,
    pub logs: Option<LogSession>,
    /// `:images`, `:volumes`, `:networks`, shown instead of the containers.
    pub objects: Option<super::docker_objects::ObjectView>,
    /// The open compose project's merged log, which later containers join.
    pub project_log: Option<super::docker_project_log::ProjectLog>,
}

impl Default for DockerPane {
    fn default() -> Self {
        DockerPane {
            health: SourceHealth::Connecting {
                target: "docker".into(),
            },
            engines: BTreeMap::new(),
            containers: Loadable::NotLoaded,
            usage: HashMap::new(),
            list: ListState::default(),
            stats_watched: Vec::new(),
            logs: None,
            objects: None,
            project_log: None,
        }
    }
}

impl DockerPane {
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.data().and_then(|m| m.get(id))
    }

    /// True when rows come from several engines and say whose they are.
    pub fn many_engines(&self) -> bool {
        self.engines.len() > 1
    }

    /// Replaces what was known of one engine's containers (its list after
    /// a (re)connect); the other engines' rows stay as they are.
    pub fn replace_engine(&mut self, engine: &str, list: Vec<Container>) {
        let mut map = self.containers.take_data().unwrap_or_default();
        map.retain(|_, c| c.engine != engine);
        map.extend(list.into_iter().map(|c| (c.key(), c)));
        self.usage.retain(|key, _| map.contains_key(key));
        self.containers = Loadable::Loaded(map);
        self.rebuild_order();
    }

    pub fn selected_container(&self) -> Option<&Container> {
        self.list.selected().and_then(|id| self.container(id))
    }

    /// Recomputes the order; the selection stays on the same container,
    /// or moves to its nearest neighbour if it is gone.
    pub fn rebuild_order(&mut self) {
        match self.containers.data() {
            Some(map) => self
                .list
                .rebuild(map.values(), &ContainerRows { usage: &self.usage }),
            None => self.list.replace_order(Vec::new()),
        }
    }

    /// Running containers on screen: the only ones worth streaming stats for.
    pub fn visible_running(&self) -> Vec<String> {
        let Some(map) = self.containers.data() else {
            return Vec::new();
        };
        self.list
            .visible_keys()
            .iter()
            .filter(|id| map.get(*id).is_some_and(|c| c.is_running()))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::docker::ContainerState;
    use crate::core::list::Direction;

    fn order(pane: &DockerPane) -> Vec<String> {
        pane.list.order().to_vec()
    }

    #[test]
    fn cpu_and_memory_sort_both_ways_with_rows_without_stats_last() {
        let mut pane = DockerPane::default();
        let map = ["a", "b", "c", "d"].map(|id| {
            (
                id.to_string(),
                Container::fixture(id, id, ContainerState::Running),
            )
        });
        pane.containers = Loadable::Loaded(map.into_iter().collect());
        let usage = |cpu: f64, mem: u64| Usage {
            cpu_percent: cpu,
            mem_bytes: mem,
            mem_limit: 0,
        };
        pane.usage.insert("a".into(), usage(5.0, 300));
        pane.usage.insert("b".into(), usage(50.0, 100));
        pane.usage.insert("d".into(), usage(0.5, 200));
        // "c" has no stats yet.
        pane.list.set_sort(DockerSort::Cpu, Direction::Natural);
        pane.rebuild_order();
        assert_eq!(order(&pane), ["b", "a", "d", "c"]);
        pane.list.reverse();
        pane.rebuild_order();
        assert_eq!(order(&pane), ["d", "a", "b", "c"]);
        pane.list.set_sort(DockerSort::Memory, Direction::Natural);
        pane.rebuild_order();
        assert_eq!(order(&pane), ["a", "d", "b", "c"]);
        pane.list.reverse();
        pane.rebuild_order();
        assert_eq!(order(&pane), ["b", "d", "a", "c"]);
        assert_eq!(pane.list.sort_label(), "memory (reversed)");
    }

    #[test]
    fn an_engines_new_list_replaces_only_its_rows_and_engine_filters() {
        let on = |engine: &str, id: &str| Container {
            engine: engine.into(),
            ..Container::fixture(id, &format!("{engine}-{id}"), ContainerState::Running)
        };
        let mut pane = DockerPane::default();
        pane.replace_engine("local", vec![on("local", "1"), on("local", "2")]);
        pane.replace_engine("build", vec![on("build", "1")]);
        assert_eq!(order(&pane), ["build/1", "local/1", "local/2"]);
        // local reconnects and lists one container fewer; build's row stays.
        pane.replace_engine("local", vec![on("local", "2")]);
        assert_eq!(order(&pane), ["build/1", "local/2"]);
        pane.list.set_filter("engine:build");
        pane.rebuild_order();
        assert_eq!(order(&pane), ["build/1"]);
    }
}
