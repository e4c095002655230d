//! When a breakage is news: once per breakage, never on a first load.

use std::collections::HashSet;

use super::item::TriageItem;

/// Remembers which breakages were already announced. Nothing is announced
/// for what was broken when its scope (the engine, a repository) first
/// loaded, and a breakage is announced once until it clears.
#[derive(Debug, Default)]
pub struct Notifier {
    known: HashSet<String>,
    primed: HashSet<String>,
}

impl Notifier {
    /// Returns the items that just broke. `loaded` lists the scopes whose
    /// data has arrived; a scope's first load only primes the memory.
    pub fn newly_broken(&mut self, items: &[TriageItem], loaded: &[String]) -> Vec<TriageItem> {
        let current: HashSet<String> = items.iter().map(|i| i.key.clone()).collect();
        let mut fresh = Vec::new();
        for item in items {
            let scope = item.scope();
            if !loaded.contains(&scope) {
                continue;
            }
            let primed = self.primed.contains(&scope);
            if self.known.insert(item.key.clone()) && primed {
                fresh.push(item.clone());
            }
        }
        for scope in loaded {
            self.primed.insert(scope.clone());
        }
        // A cleared breakage may be announced again if it comes back.
        self.known.retain(|k| current.contains(k));
        fresh
    }
}
