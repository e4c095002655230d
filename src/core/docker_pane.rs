//! State of the Docker pane: containers by id, the derived row order
//! (grouped by compose project, filtered, sorted) and the selection, which
//! follows the container's id across refreshes.

use std::collections::{BTreeMap, HashMap};

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::docker::{Container, Usage};
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
}

impl DockerSort {
    pub fn next(self) -> Self {
        match self {
            Self::Name => Self::State,
            Self::State => Self::Image,
            Self::Image => Self::Uptime,
            Self::Uptime => Self::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::State => "state",
            Self::Image => "image",
            Self::Uptime => "uptime",
        }
    }
}

#[derive(Debug)]
pub struct DockerPane {
    pub health: SourceHealth,
    pub containers: Loadable<BTreeMap<String, Container>>,
    pub usage: HashMap<String, Usage>,
    pub filter: String,
    pub sort: DockerSort,
    /// Container ids in display order; recomputed when data, filter or sort change.
    pub order: Vec<String>,
    pub selected: Option<String>,
    /// First visible row of the list, kept so the list scrolls like a pager.
    pub offset: usize,
    /// Ids whose stats are being streamed (the running ones on screen).
    pub stats_watched: Vec<String>,
    pub logs: Option<LogSession>,
}

impl Default for DockerPane {
    fn default() -> Self {
        DockerPane {
            health: SourceHealth::Connecting {
                target: "docker".into(),
            },
            containers: Loadable::NotLoaded,
            usage: HashMap::new(),
            filter: String::new(),
            sort: DockerSort::default(),
            order: Vec::new(),
            selected: None,
            offset: 0,
            stats_watched: Vec::new(),
            logs: None,
        }
    }
}

impl DockerPane {
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.data().and_then(|m| m.get(id))
    }

    pub fn selected_container(&self) -> Option<&Container> {
        self.selected.as_deref().and_then(|id| self.container(id))
    }

    pub fn selected_index(&self) -> Option<usize> {
        let sel = self.selected.as_deref()?;
        self.order.iter().position(|id| id == sel)
    }

    /// Recomputes `order` and keeps the selection on the same container; if
    /// that container is gone, the row at the same position is selected.
    pub fn rebuild_order(&mut self) {
        let previous_index = self.selected_index();
        let Some(map) = self.containers.data() else {
            self.order.clear();
            return;
        };
        let mut rows: Vec<&Container> = if self.filter.is_empty() {
            map.values().collect()
        } else {
            let pattern = Pattern::parse(&self.filter, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
            let mut buf = Vec::new();
            map.values()
                .filter(|c| {
                    let hay = format!(
                        "{} {} {} {}",
                        c.name,
                        c.project.as_deref().unwrap_or(""),
                        c.image,
                        c.state.word()
                    );
                    pattern
                        .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                        .is_some()
                })
                .collect()
        };
        let sort = self.sort;
        rows.sort_by(|a, b| {
            // Compose projects first (alphabetically), loose containers last.
            let group = (a.project.is_none(), &a.project).cmp(&(b.project.is_none(), &b.project));
            group.then_with(|| match sort {
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
            })
        });
        self.order = rows.into_iter().map(|c| c.id.clone()).collect();
        let still_there = self
            .selected
            .as_ref()
            .is_some_and(|id| self.order.contains(id));
        if !still_there {
            let idx = previous_index
                .unwrap_or(0)
                .min(self.order.len().saturating_sub(1));
            self.selected = self.order.get(idx).cloned();
        }
    }

    /// Moves the selection by `delta` rows and keeps it inside the viewport.
    pub fn move_selection(&mut self, delta: isize, viewport: usize) {
        if self.order.is_empty() {
            return;
        }
        let current = self.selected_index().unwrap_or(0) as isize;
        let last = self.order.len() as isize - 1;
        let next = (current + delta).clamp(0, last) as usize;
        self.selected = self.order.get(next).cloned();
        self.scroll_into_view(viewport);
    }

    pub fn scroll_into_view(&mut self, viewport: usize) {
        let viewport = viewport.max(1);
        let idx = self.selected_index().unwrap_or(0);
        if idx < self.offset {
            self.offset = idx;
        } else if idx >= self.offset + viewport {
            self.offset = idx + 1 - viewport;
        }
        let max_offset = self.order.len().saturating_sub(viewport);
        self.offset = self.offset.min(max_offset);
    }

    /// Running containers on screen: the only ones worth streaming stats for.
    pub fn visible_running(&self, viewport: usize) -> Vec<String> {
        let Some(map) = self.containers.data() else {
            return Vec::new();
        };
        self.order
            .iter()
            .skip(self.offset)
            .take(viewport)
            .filter(|id| map.get(*id).is_some_and(|c| c.is_running()))
            .cloned()
            .collect()
    }
}
