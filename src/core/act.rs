//! The one path every action that changes something takes, whatever its
//! source: ask (a dialog holding the effect) → read-only refusal → effect →
//! outcome → toast and journal line.
//!
//! A source command that mutates carries a [`Ticket`], and the source
//! answers with `Msg::ActionDone` holding that ticket back. The ticket is
//! made only by [`ask`], so an action cannot reach a source without a
//! dialog, a read-only check, and a journal line for its result.

use super::confirm::Confirm;
use super::effect::Effect;
use super::source::SourceKind;
use super::state::State;
use super::toast::ToastLevel;

pub use super::ticket::Ticket;

/// How much a dialog must be insisted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// Starts or repeats something (start, unpause, re-run, scale up).
    Harmless,
    /// Stops, removes or disrupts something: the dialog wears the danger
    /// colour. Both kinds act only on an explicit `y` (`Confirm::on_key`).
    Destructive,
}

/// What a pane asks to do; everything the dialog, the read-only refusal
/// and the journal need.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub source: SourceKind,
    pub location: String,
    pub target: String,
    pub verb: String,
    /// The dialog's title, e.g. `Kill container`.
    pub title: String,
    /// The target as the dialog shows it (may say more than `target`,
    /// e.g. `from 3 to 1 replicas in context prod-eu`).
    pub shown_target: String,
    pub risk: Risk,
    /// Text to type before yes counts (a danger context's name).
    pub required_text: Option<String>,
}

/// Opens the dialog for `proposal`, holding the effect `command` builds
/// from the ticket; or refuses it under `--readonly`, with a toast and a
/// journal line.
pub fn ask(
    state: &mut State,
    proposal: Proposal,
    command: impl FnOnce(Ticket) -> Effect,
) -> Vec<Effect> {
    let ticket = ticket_of(state, &proposal);
    if state.settings.readonly {
        return refuse(state, ticket);
    }
    let confirm = Confirm::new(
        proposal.title.clone(),
        proposal.shown_target.clone(),
        command(ticket),
    );
    open(state, proposal, confirm)
}

/// An option the dialog can switch on with one key before `y` (debug
/// logging for a re-run): `command(ticket, on)` makes either request, and
/// the switched one's ticket says `verb_on`, so the journal names what
/// was really sent.
pub struct Switch {
    pub key: char,
    pub label: String,
    pub verb_on: String,
}

/// [`ask`] with a [`Switch`].
pub fn ask_with_switch(
    state: &mut State,
    proposal: Proposal,
    switch: Switch,
    command: impl Fn(Ticket, bool) -> Effect,
) -> Vec<Effect> {
    let ticket = ticket_of(state, &proposal);
    if state.settings.readonly {
        return refuse(state, ticket);
    }
    let switched = Ticket {
        verb: switch.verb_on,
        ..ticket.clone()
    };
    let confirm = Confirm::new(
        proposal.title.clone(),
        proposal.shown_target.clone(),
        command(ticket, false),
    )
    .with_switch(switch.key, switch.label, command(switched, true));
    open(state, proposal, confirm)
}

fn ticket_of(state: &mut State, proposal: &Proposal) -> Ticket {
    Ticket {
        id: state.new_stream_id(),
        source: Some(proposal.source),
        location: proposal.location.clone(),
        target: proposal.target.clone(),
        verb: proposal.verb.clone(),
    }
}

fn open(state: &mut State, proposal: Proposal, mut confirm: Confirm) -> Vec<Effect> {
    if proposal.risk == Risk::Destructive {
        confirm = confirm.destructive();
    }
    if let Some(text) = proposal.required_text {
        confirm = confirm.with_required_text(text);
    }
    state.confirm = Some(confirm);
    Vec::new()
}

/// Under `--readonly`, refuses an action before its input is even asked
/// for (the branch of a dispatch, the replicas of a scale); `None` when
/// actions are allowed.
pub fn refusal(
    state: &mut State,
    source: SourceKind,
    location: String,
    target: String,
    verb: &str,
) -> Option<Vec<Effect>> {
    if !state.settings.readonly {
        return None;
    }
    let ticket = Ticket::new(state.new_stream_id(), Some(source), location, target, verb);
    Some(refuse(state, ticket))
}

fn refuse(state: &mut State, ticket: Ticket) -> Vec<Effect> {
    state.toast(
        ToastLevel::Error,
        format!("read-only mode: {} refused", ticket.describe()),
    );
    let entry = ticket.journal(state.clock, Err("refused: read-only mode".into()));
    vec![Effect::AppendJournal(entry)]
}

/// The source's answer to a ticket: the one place that toasts an action's
/// result and writes its journal line.
pub fn done(state: &mut State, ticket: Ticket, result: Result<(), String>) -> Vec<Effect> {
    done_saying(state, ticket, result.map(|()| String::new()))
}

/// [`done`], with the source's own words after "done" when it worked
/// (a prune's reclaimed space); the journal line is the same.
pub fn done_saying(
    state: &mut State,
    ticket: Ticket,
    result: Result<String, String>,
) -> Vec<Effect> {
    let entry = ticket.journal(state.clock, result.clone().map(|_| ()));
    // GitHub accepts a re-run or dispatch and does it later; the run list
    // shows when it really starts.
    let outcome = match ticket.source {
        Some(SourceKind::GitHub) => "requested",
        _ => "done",
    };
    match result {
        Ok(words) if words.is_empty() => state.toast(
            ToastLevel::Success,
            format!("{}: {outcome}", ticket.describe()),
        ),
        Ok(words) => state.toast(
            ToastLevel::Success,
            format!("{}: {outcome}, {words}", ticket.describe()),
        ),
        Err(e) => state.toast(
            ToastLevel::Error,
            format!("{} failed: {e}", ticket.describe()),
        ),
    }
    vec![Effect::AppendJournal(entry)]
}

/// opsdeck's own switches that change what it may do (read-only from the
/// palette) are journaled too: a postmortem should see when actions were
/// turned off.
pub fn journal_switch(state: &mut State, target: &str, verb: &str) -> Vec<Effect> {
    let ticket = Ticket::new(state.new_stream_id(), None, "opsdeck", target, verb);
    vec![Effect::AppendJournal(ticket.journal(state.clock, Ok(())))]
}

#[cfg(test)]
#[path = "act_tests.rs"]
mod tests;
