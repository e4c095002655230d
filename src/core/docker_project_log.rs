//! A compose project's merged log, kept whole while it is open: a
//! container of the project that starts later (`docker compose up
//! --scale`, a recreated container with a new id, a restart) joins it from
//! its start, tagged by its service. Decided here, from the container
//! updates the pane already receives, so the source only follows what it
//! is told to (`DockerCommand::JoinMergedLogs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::docker::Container;
use super::ids::StreamId;

/// What the log follows of one container: the run (its start) being read.
#[derive(Debug, Clone, PartialEq)]
enum Followed {
    /// Read from its start at that moment (or, None, never started yet).
    Since(Option<DateTime<Utc>>),
    /// Followed since the log opened, but its start was not known yet (a
    /// list without inspect details): its next update only records it.
    Running,
}

/// A container to add to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub key: String,
    pub tag: String,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLog {
    pub stream: StreamId,
    /// The engine the project runs on (empty with one engine).
    pub engine: String,
    pub project: String,
    /// By container key.
    followed: BTreeMap<String, Followed>,
}

impl ProjectLog {
    /// The log as opened: `members` are the containers followed from the
    /// start, each with its state as the pane knows it.
    pub fn new<'a>(
        stream: StreamId,
        engine: String,
        project: String,
        members: impl IntoIterator<Item = (String, Option<&'a Container>)>,
    ) -> ProjectLog {
        let followed = members
            .into_iter()
            .map(|(key, c)| {
                let followed = match c {
                    Some(c) if c.started_at.is_some() => Followed::Since(c.started_at),
                    Some(c) if c.is_running() => Followed::Running,
                    _ => Followed::Since(None),
                };
                (key, followed)
            })
            .collect();
        ProjectLog {
            stream,
            engine,
            project,
            followed,
        }
    }

    /// What a container update means for the log: a container of the
    /// project with a start the log has not read joins it. `others` are
    /// the pane's containers, to tag a second container of a service by
    /// its name as the opening did.
    pub fn on_update<'a>(
        &mut self,
        c: &Container,
        others: impl IntoIterator<Item = &'a Container>,
    ) -> Option<Join> {
        if c.engine != self.engine || c.project.as_deref() != Some(self.project.as_str()) {
            return None;
        }
        let since = c.started_at?;
        let key = c.key();
        match self.followed.get(&key) {
            Some(Followed::Since(Some(at))) if *at == since => return None,
            Some(Followed::Running) => {
                self.followed.insert(key, Followed::Since(Some(since)));
                return None;
            }
            _ => {}
        }
        self.followed
            .insert(key.clone(), Followed::Since(Some(since)));
        let service = c.service.clone().unwrap_or_else(|| c.name.clone());
        let replicas = others
            .into_iter()
            .filter(|o| {
                o.key() != key
                    && o.engine == c.engine
                    && o.project == c.project
                    && o.service.as_deref() == Some(service.as_str())
            })
            .count();
        let tag = if replicas > 0 {
            c.name.clone()
        } else {
            service
        };
        Some(Join { key, tag, since })
    }

    /// A removed container just stops contributing (its log has ended).
    pub fn forget(&mut self, key: &str) {
        self.followed.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::docker::ContainerState;

    fn member(id: &str, service: &str, started: Option<i64>) -> Container {
        Container {
            project: Some("shop".into()),
            service: Some(service.into()),
            started_at: started.and_then(|s| DateTime::from_timestamp(s, 0)),
            ..Container::fixture(id, &format!("shop-{service}-1"), ContainerState::Running)
        }
    }

    #[test]
    fn a_container_starting_later_joins_once_tagged_by_its_service() {
        let web = member("w1", "web", Some(100));
        let listed = member("l1", "db", None);
        let mut log = ProjectLog::new(
            7,
            String::new(),
            "shop".into(),
            [
                ("w1".to_string(), Some(&web)),
                ("l1".to_string(), Some(&listed)),
            ],
        );
        // Already followed: the same run never joins twice.
        assert_eq!(log.on_update(&web, []), None);
        // Listed running without its start: the first details only record it.
        assert_eq!(log.on_update(&member("l1", "db", Some(90)), []), None);
        // Another project, or not started yet: nothing.
        let other = Container {
            project: Some("blog".into()),
            ..member("b1", "web", Some(200))
        };
        assert_eq!(log.on_update(&other, []), None);
        assert_eq!(log.on_update(&member("c1", "cache", None), []), None);
        // A new container of the project joins from its start.
        let cache = member("c1", "cache", Some(200));
        let join = log.on_update(&cache, [&web, &cache]).expect("joins");
        assert_eq!(join.tag, "cache");
        assert_eq!(join.since.timestamp(), 200);
        assert_eq!(log.on_update(&cache, []), None, "once");
        // A second web (scaled) is tagged by its name; a restart rejoins.
        let web2 = Container {
            name: "shop-web-2".into(),
            ..member("w2", "web", Some(300))
        };
        assert_eq!(
            log.on_update(&web2, [&web, &web2]).unwrap().tag,
            "shop-web-2"
        );
        let restarted = member("w1", "web", Some(400));
        assert_eq!(log.on_update(&restarted, []).unwrap().tag, "web");
    }
}
