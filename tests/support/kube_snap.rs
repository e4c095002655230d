//! The Kubernetes tab as its snapshot tests start it: a fixed clock, one
//! context watched and connected, keys typed as a user types them. Each
//! snapshot file includes this beside `snap.rs` and adds its own rows.

use chrono::{DateTime, TimeZone, Utc};
use opsdeck::core::effect::Effect;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::ContextInfo;
use opsdeck::core::kube_msg::KubeEvent;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;

pub const CTX: &str = "opsdeck-demo";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("time")
}

/// The Kubernetes tab at `w`x`h` on the clock of [`now`], with `context`
/// watched on `namespace` (`*` for all) and connected; no rows yet.
pub fn connected(context: &str, namespace: &str, danger: bool, w: u16, h: u16) -> State {
    connected_asking(context, namespace, danger, w, h).0
}

/// [`connected`], with the effects getting there asked for (the requests
/// a view sends when it opens).
pub fn connected_asking(
    context: &str,
    namespace: &str,
    danger: bool,
    w: u16,
    h: u16,
) -> (State, Vec<Effect>) {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Kubernetes;
    let mut effects = update(
        &mut s,
        Msg::Resize {
            width: w,
            height: h,
        },
    );
    let info = ContextInfo {
        name: context.into(),
        namespace: namespace.into(),
        danger,
    };
    effects.extend(update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec![context.into()],
            watching: vec![info],
        }),
    ));
    effects.extend(update(
        &mut s,
        Msg::Health {
            source: SourceKind::Kubernetes,
            part: Some(context.into()),
            health: SourceHealth::Connected {
                target: "https://10.0.0.1:6443".into(),
                last_update: now(),
            },
        },
    ));
    (s, effects)
}

/// Types `text` (`\n` is Enter) and returns the effects the keys asked for.
pub fn type_keys(s: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        effects.extend(update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))));
    }
    effects
}
