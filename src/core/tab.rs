//! The tabs (panes) of the app.

use super::action::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Actions,
    Kubernetes,
    Docker,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Overview, Tab::Actions, Tab::Kubernetes, Tab::Docker];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Actions => "Actions",
            Tab::Kubernetes => "Kubernetes",
            Tab::Docker => "Docker",
        }
    }

    /// The key-map scope of this tab's own actions.
    pub fn key_scope(self) -> Option<Scope> {
        match self {
            Tab::Docker => Some(Scope::Docker),
            Tab::Actions => Some(Scope::Actions),
            Tab::Kubernetes => Some(Scope::Kubernetes),
            Tab::Overview => Some(Scope::Overview),
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}
