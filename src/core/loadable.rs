/// One data set as the UI sees it. Stale data is kept while a reload runs or
/// after a failure, so a dropped connection never blanks a screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Loadable<T> {
    #[default]
    NotLoaded,
    Loading {
        stale: Option<T>,
    },
    Loaded(T),
    Failed {
        error: String,
        stale: Option<T>,
    },
}

impl<T> Loadable<T> {
    /// The freshest data available, stale or not.
    pub fn data(&self) -> Option<&T> {
        match self {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => stale.as_ref(),
            Loadable::NotLoaded => None,
        }
    }

    pub fn data_mut(&mut self) -> Option<&mut T> {
        match self {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => stale.as_mut(),
            Loadable::NotLoaded => None,
        }
    }

    /// Moves to loading, keeping whatever data there was.
    pub fn start_loading(&mut self) {
        let stale = self.take_data();
        *self = Loadable::Loading { stale };
    }

    /// Moves to failed, keeping whatever data there was.
    pub fn fail(&mut self, error: impl Into<String>) {
        let stale = self.take_data();
        *self = Loadable::Failed {
            error: error.into(),
            stale,
        };
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Loadable::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn is_loaded(&self) -> bool {
        matches!(self, Loadable::Loaded(_))
    }

    pub fn take_data(&mut self) -> Option<T> {
        match std::mem::take(self) {
            Loadable::Loaded(v) => Some(v),
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => stale,
            Loadable::NotLoaded => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_keeps_stale_data_and_reload_keeps_it_too() {
        let mut l = Loadable::Loaded(vec![1, 2]);
        l.fail("connection refused");
        assert_eq!(l.data(), Some(&vec![1, 2]));
        assert_eq!(l.error(), Some("connection refused"));
        l.start_loading();
        assert_eq!(l.data(), Some(&vec![1, 2]));
        assert!(!l.is_loaded());
    }

    #[test]
    fn not_loaded_has_no_data() {
        let mut l: Loadable<u8> = Loadable::NotLoaded;
        assert!(l.data().is_none());
        l.fail("x");
        assert!(l.data().is_none());
    }
}
