//! Starting several forwards under one confirmation: each port pair is its
//! own forward (its own task, stopped on its own), and one report answers
//! the ticket for all of them once each has bound its port or failed. A
//! port that cannot be had (a local port already in use) is named, and the
//! others forward all the same, as the report says.

use std::io;

use tokio::sync::{mpsc, oneshot};

use crate::core::msg::Msg;
use crate::core::port_forwards::PortPair;
use crate::core::ticket::Ticket;

/// What one forward's start came to: where it listens, or why not.
pub type Started = Result<String, String>;

/// A bind failure in plain words, naming the address.
pub fn bind_error(local: u16, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::AddrInUse => {
            format!("127.0.0.1:{local} is already in use on this machine")
        }
        io::ErrorKind::PermissionDenied => {
            format!("127.0.0.1:{local} needs more rights than opsdeck has (ports below 1024)")
        }
        _ => format!("cannot listen on 127.0.0.1:{local}: {e}"),
    }
}

/// Waits for every forward's start, then answers `ticket` once.
pub async fn report(
    ticket: Ticket,
    starts: Vec<(PortPair, oneshot::Receiver<Started>)>,
    tx: mpsc::Sender<Msg>,
) {
    let mut outcomes = Vec::new();
    for (pair, heard) in starts {
        let outcome = heard
            .await
            .unwrap_or_else(|_| Err("stopped before it was listening".to_string()));
        outcomes.push((pair.remote, outcome));
    }
    let result = words(&outcomes);
    let _ = tx.send(Msg::ActionReported { ticket, result }).await;
}

/// One forward: its own words. Several: each port named, and the whole is
/// a failure when any port could not be forwarded (naming what still is).
pub fn words(outcomes: &[(u16, Started)]) -> Result<String, String> {
    if let [(_, only)] = outcomes {
        return only.clone();
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (remote, outcome) in outcomes {
        match outcome {
            Ok(w) => good.push(format!("port {remote} {w}")),
            Err(why) => bad.push(format!("port {remote} not forwarded: {why}")),
        }
    }
    if bad.is_empty() {
        return Ok(good.join(", "));
    }
    let mut text = bad.join("; ");
    if !good.is_empty() {
        text.push_str(&format!("; forwarding {}", good.join(", ")));
    }
    Err(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_forward_keeps_its_own_words() {
        let one = [(80, Ok("on 127.0.0.1:5000".to_string()))];
        assert_eq!(words(&one), Ok("on 127.0.0.1:5000".to_string()));
    }

    #[test]
    fn a_failed_port_is_named_beside_those_that_forward() {
        let two = [
            (
                80,
                Err("127.0.0.1:8080 is already in use on this machine".to_string()),
            ),
            (9090, Ok("on 127.0.0.1:43117".to_string())),
        ];
        assert_eq!(
            words(&two),
            Err(
                "port 80 not forwarded: 127.0.0.1:8080 is already in use on this machine; \
                 forwarding port 9090 on 127.0.0.1:43117"
                    .to_string()
            )
        );
        let fine = [
            (80, Ok("on 127.0.0.1:5000".to_string())),
            (9090, Ok("on 127.0.0.1:5001".to_string())),
        ];
        assert_eq!(
            words(&fine),
            Ok("port 80 on 127.0.0.1:5000, port 9090 on 127.0.0.1:5001".to_string())
        );
    }

    #[test]
    fn a_port_in_use_reads_plainly() {
        let e = io::Error::from(io::ErrorKind::AddrInUse);
        assert_eq!(
            bind_error(8080, &e),
            "127.0.0.1:8080 is already in use on this machine"
        );
    }
}
